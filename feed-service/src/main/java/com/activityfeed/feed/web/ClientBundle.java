package com.activityfeed.feed.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web client's first screen as one script: {@code js/main.js} and every module it imports
 * statically, joined into one ES module. The sources stay plain ES modules (readable, served as they
 * are, no build tool); only the page that {@link AppRoutes} serves carries the joined script, inline,
 * with the stylesheet inline beside it ({@link #linkPage}), so the first screen needs no request but
 * the page and the feed's first page. On a phone each further file cost a round trip after the page
 * had been parsed (150 ms at the throttled profile, plus its transfer); inline, their bytes come with
 * the page while the browser is still setting up the document. The page itself is revalidated by its
 * ETag on every use (a 304 when nothing changed), so a deploy is seen at once.
 *
 * <p>Each module becomes a function scope, run once in import order, returning its exports; an
 * import becomes a destructuring of the imported module's exports. That keeps ES semantics for the
 * forms this client uses ({@code import { a, b as c } from './x.js'}, {@code export function|class|
 * const}); any other form (default exports, {@code export let}, re-exports, import cycles) is
 * refused when the bundle is made, so a change that would need a real bundler fails its test
 * rather than the page. Modules loaded later ({@code import('./chat.js')}) stay separate files; their
 * imports of bundled modules read the page's instances from {@code globalThis.afpClient}, which the
 * joined script fills with every bundled module's exports ({@link #linkLazy}), so the page keeps one
 * instance of each module.
 */
final class ClientBundle {
    static final String ENTRY = "main.js";
    /** The block of index.html that names the separate modules; the served page has the joined script there instead. */
    static final Pattern MODULES_BLOCK = Pattern.compile("<!-- modules -->.*?<!-- /modules -->", Pattern.DOTALL);
    /** The page's stylesheet link; the served page has the stylesheet inline there instead. */
    static final String STYLESHEET = "<link rel=\"stylesheet\" href=\"app.css\">";
    /** The global through which modules loaded later reach the joined modules' exports. */
    static final String GLOBAL = "globalThis.afpClient";
    private static final Pattern CSP = Pattern.compile("(<meta http-equiv=\"Content-Security-Policy\" content=\")([^\"]*)(\")");
    /** Inside {@code <script>} and {@code <style>} the HTML parser ends at the first closing tag (and treats {@code <!--} in a script specially). */
    private static final Pattern NOT_INLINE_SCRIPT = Pattern.compile("</script|<!--", Pattern.CASE_INSENSITIVE);
    private static final Pattern NOT_INLINE_STYLE = Pattern.compile("</style", Pattern.CASE_INSENSITIVE);

    private static final Pattern IMPORT = Pattern.compile("^import\\s*\\{([^}]*)}\\s*from\\s*'\\./([A-Za-z0-9_-]+\\.js)';[ \\t]*$", Pattern.MULTILINE);
    private static final Pattern ANY_IMPORT = Pattern.compile("^\\s*import\\b(?!\\s*\\()", Pattern.MULTILINE);
    private static final Pattern EXPORT = Pattern.compile("^export\\s+(?:async\\s+function\\*?|function\\*?|class|const)\\s+([A-Za-z_$][\\w$]*)", Pattern.MULTILINE);
    private static final Pattern ANY_EXPORT = Pattern.compile("^\\s*export\\b", Pattern.MULTILINE);
    /** A module loaded when needed; relative to js/ in the sources, to the page (one folder up) once joined. */
    private static final Pattern DYNAMIC_IMPORT = Pattern.compile("\\bimport\\('\\./([A-Za-z0-9_-]+\\.js)'\\)");
    private static final Pattern ANY_DYNAMIC_IMPORT = Pattern.compile("\\bimport\\s*\\(");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][\\w$]*");

    private final String code;
    private final Set<String> modules;

    private ClientBundle(String code, Set<String> modules) {
        this.code = code;
        this.modules = modules;
    }

    String code() {
        return code;
    }

    /** The modules (file names under js/) joined into the bundle, in the order they run. */
    Set<String> modules() {
        return modules;
    }

    /**
     * Makes the bundle of {@link #ENTRY} from the module sources, {@code read} answering a file name
     * under js/ with its text (null when there is none).
     */
    static ClientBundle make(Function<String, String> read) {
        Map<String, String> sources = new LinkedHashMap<>();
        collect(ENTRY, read, sources, new LinkedHashSet<>());
        Map<String, List<String>> exportsOf = new LinkedHashMap<>();
        Map<String, String> exportedBy = new LinkedHashMap<>();
        StringBuilder out = new StringBuilder(64 * 1024)
                .append("// The web client's first screen: ").append(String.join(", ", sources.keySet()))
                .append(", joined by feed-service (web.ClientBundle) from the modules under /app/js/.\n");
        for (Map.Entry<String, String> module : sources.entrySet()) {
            String file = module.getKey();
            List<String> exports = exports(file, module.getValue());
            for (String export : exports) {
                String before = exportedBy.putIfAbsent(export, file);
                if (before != null) {
                    throw new IllegalStateException("both " + before + " and " + file + " export " + export + ": the bundle exports every name once");
                }
            }
            exportsOf.put(file, exports);
            String body = EXPORT.matcher(module.getValue()).replaceAll(m -> Matcher.quoteReplacement(m.group().substring("export".length()).stripLeading()));
            body = IMPORT.matcher(body).replaceAll(m -> Matcher.quoteReplacement(
                    "const { " + destructure(m.group(1), file) + " } = " + variable(m.group(2)) + ";"));
            if (ANY_DYNAMIC_IMPORT.matcher(body).results().count() != DYNAMIC_IMPORT.matcher(body).results().count()) {
                throw new IllegalStateException("js/" + file + " has an import() the bundle cannot point at js/: only `import('./x.js')`");
            }
            body = DYNAMIC_IMPORT.matcher(body).replaceAll("import('./js/$1')");
            boolean entry = file.equals(ENTRY);
            out.append("\n// ---- ").append(file).append(" ----\n")
                    .append(entry ? "(() => {\n" : "const " + variable(file) + " = (() => {\n")
                    .append(body);
            if (!body.endsWith("\n")) {
                out.append('\n');
            }
            out.append(entry ? "})();\n" : "return { " + String.join(", ", exports) + " };\n})();\n");
        }
        out.append("\n// for the modules loaded later (chat, stats): the page's instances of the joined modules\n");
        List<String> bindings = new ArrayList<>();
        exportsOf.forEach((file, names) -> names.forEach(n -> bindings.add(n + ": " + variable(file) + "." + n)));
        out.append(GLOBAL).append(" = Object.freeze({\n  ").append(String.join(",\n  ", bindings)).append(",\n});\n");
        return new ClientBundle(out.toString(), sources.keySet());
    }

    /** A module loaded later, its imports of joined modules read from the page's instances ({@link #GLOBAL}). */
    String linkLazy(String source) {
        return IMPORT.matcher(source).replaceAll(m -> modules.contains(m.group(2))
                ? Matcher.quoteReplacement("const { " + destructure(m.group(1), m.group(2)) + " } = " + GLOBAL + ";")
                : Matcher.quoteReplacement(m.group()));
    }

    /**
     * The page as served: the block that names the separate modules replaced by the joined script
     * and the stylesheet link by the stylesheet, both inline, each allowed by its hash in the page's
     * Content-Security-Policy (which keeps refusing any other inline script or style).
     */
    String linkPage(String html, String css) {
        Matcher block = MODULES_BLOCK.matcher(html);
        if (!block.find()) {
            throw new IllegalStateException("index.html has no <!-- modules --> … <!-- /modules --> block to replace by the joined script");
        }
        if (!html.contains(STYLESHEET)) {
            throw new IllegalStateException("index.html has no " + STYLESHEET + " to replace by the stylesheet");
        }
        if (NOT_INLINE_SCRIPT.matcher(code).find()) {
            throw new IllegalStateException("the joined script contains </script or <!--, which cannot stand inline");
        }
        if (NOT_INLINE_STYLE.matcher(css).find()) {
            throw new IllegalStateException("app.css contains </style, which cannot stand inline");
        }
        Matcher csp = CSP.matcher(html);
        if (!csp.find()) {
            throw new IllegalStateException("index.html has no Content-Security-Policy to allow the inline script and stylesheet in");
        }
        String policy = allow(allow(csp.group(2), "script-src", sha256(code)), "style-src", sha256(css));
        String page = html.substring(0, csp.start(2)) + policy + html.substring(csp.end(2));
        page = MODULES_BLOCK.matcher(page).replaceFirst(Matcher.quoteReplacement("<script type=\"module\">" + code + "</script>"));
        return page.replace(STYLESHEET, "<style>" + css + "</style>");
    }

    /** The policy with {@code hash} added to {@code directive}'s sources. */
    private static String allow(String policy, String directive, String hash) {
        Matcher d = Pattern.compile("(^|;\\s*)" + directive + " ([^;]*)").matcher(policy);
        if (!d.find()) {
            throw new IllegalStateException("the page's Content-Security-Policy has no " + directive + ": " + policy);
        }
        return policy.substring(0, d.end(2)) + " '" + hash + "'" + policy.substring(d.end(2));
    }

    private static void collect(String file, Function<String, String> read, Map<String, String> done, Set<String> visiting) {
        if (done.containsKey(file)) {
            return;
        }
        if (!visiting.add(file)) {
            throw new IllegalStateException("import cycle through " + file + ": the bundle runs modules in import order");
        }
        String source = read.apply(file);
        if (source == null) {
            throw new IllegalStateException("js/" + file + " is imported but does not exist");
        }
        long imports = ANY_IMPORT.matcher(source).results().count();
        List<MatchResult> known = IMPORT.matcher(source).results().map(MatchResult::of).toList();
        if (imports != known.size()) {
            throw new IllegalStateException("js/" + file + " has an import the bundle cannot join: only `import { a, b as c } from './x.js';` on one line");
        }
        for (MatchResult m : known) {
            collect(m.module(), read, done, visiting);
        }
        visiting.remove(file);
        done.put(file, source);
    }

    private static List<String> exports(String file, String source) {
        List<String> names = EXPORT.matcher(source).results().map(m -> m.group(1)).toList();
        if (ANY_EXPORT.matcher(source).results().count() != names.size()) {
            throw new IllegalStateException("js/" + file + " has an export the bundle cannot join: only `export function|class|const name`");
        }
        return names;
    }

    private static String destructure(String list, String file) {
        List<String> parts = new ArrayList<>();
        for (String item : list.split(",")) {
            String spec = item.trim();
            if (spec.isEmpty()) {
                continue;
            }
            String[] as = spec.split("\\s+as\\s+");
            for (String n : as) {
                if (!NAME.matcher(n).matches()) {
                    throw new IllegalStateException("js/" + file + " imports `" + spec + "`, which the bundle cannot join");
                }
            }
            parts.add(as.length == 2 ? as[0] + ": " + as[1] : as[0]);
        }
        return String.join(", ", parts);
    }

    private static String variable(String file) {
        return "module$" + file.substring(0, file.length() - ".js".length()).replaceAll("\\W", "_");
    }

    /** A CSP hash source's value: {@code sha256-} and the Base64 of the UTF-8 text's SHA-256. */
    static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record MatchResult(String names, String module) {
        static MatchResult of(java.util.regex.MatchResult m) {
            return new MatchResult(m.group(1), m.group(2));
        }
    }
}
