package com.activityfeed.feed.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * statically, joined into one ES module named by a hash of its content ({@code js/app.<hash>.js}).
 * The sources stay plain ES modules (readable, served as they are, no build tool); only the page
 * that {@link AppRoutes} serves names the bundle, so a phone on a slow network asks for one script
 * instead of twelve (each a round trip behind the browser's six connections per host).
 *
 * <p>Each module becomes a function scope, run once in import order, returning its exports; an
 * import becomes a destructuring of the imported module's exports. That keeps ES semantics for the
 * forms this client uses ({@code import { a, b as c } from './x.js'}, {@code export function|class|
 * const}); any other form (default exports, {@code export let}, re-exports, import cycles) is
 * refused when the bundle is made, so a change that would need a real bundler fails its test
 * rather than the page. Modules loaded later ({@code import('./chat.js')}) stay separate files; their
 * imports of bundled modules are pointed at the bundle ({@link #linkLazy}), so the page keeps one
 * instance of each module. The bundle exports every bundled module's exports for them.
 */
final class ClientBundle {
    static final String ENTRY = "main.js";
    /** The block of index.html that names the separate modules; the served page names the bundle instead. */
    static final Pattern MODULES_BLOCK = Pattern.compile("<!-- modules -->.*?<!-- /modules -->", Pattern.DOTALL);

    private static final Pattern IMPORT = Pattern.compile("^import\\s*\\{([^}]*)}\\s*from\\s*'\\./([A-Za-z0-9_-]+\\.js)';[ \\t]*$", Pattern.MULTILINE);
    private static final Pattern ANY_IMPORT = Pattern.compile("^\\s*import\\b(?!\\s*\\()", Pattern.MULTILINE);
    private static final Pattern EXPORT = Pattern.compile("^export\\s+(?:async\\s+function\\*?|function\\*?|class|const)\\s+([A-Za-z_$][\\w$]*)", Pattern.MULTILINE);
    private static final Pattern ANY_EXPORT = Pattern.compile("^\\s*export\\b", Pattern.MULTILINE);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][\\w$]*");

    private final String name;
    private final String code;
    private final Set<String> modules;

    private ClientBundle(String name, String code, Set<String> modules) {
        this.name = name;
        this.code = code;
        this.modules = modules;
    }

    /** The bundle's file name under {@code js/}: {@code app.<24 hex digits of SHA-256>.js}. */
    String name() {
        return name;
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
            boolean entry = file.equals(ENTRY);
            out.append("\n// ---- ").append(file).append(" ----\n")
                    .append(entry ? "(() => {\n" : "const " + variable(file) + " = (() => {\n")
                    .append(body);
            if (!body.endsWith("\n")) {
                out.append('\n');
            }
            out.append(entry ? "})();\n" : "return { " + String.join(", ", exports) + " };\n})();\n");
        }
        // `export { module$x.a as a }` is not valid syntax: the names are bound to constants first
        out.append("\n// for the modules loaded later (chat, stats), which import from this file\n");
        List<String> bindings = new ArrayList<>();
        exportsOf.forEach((file, names) -> names.forEach(n -> bindings.add(n + "$ = " + variable(file) + "." + n)));
        if (!bindings.isEmpty()) {
            out.append("const ").append(String.join(",\n  ", bindings)).append(";\n");
            out.append("export { ").append(String.join(", ", exportedBy.keySet().stream().map(n -> n + "$ as " + n).toList())).append(" };\n");
        }
        String code = out.toString();
        return new ClientBundle("app." + hash(code) + ".js", code, sources.keySet());
    }

    /** A module loaded later, with its imports of bundled modules pointed at the bundle. */
    String linkLazy(String source) {
        return IMPORT.matcher(source).replaceAll(m -> modules.contains(m.group(2))
                ? Matcher.quoteReplacement("import {" + m.group(1) + "} from './" + name + "';")
                : Matcher.quoteReplacement(m.group()));
    }

    /** The page with the block that names the separate modules replaced by the bundle. */
    String linkPage(String html) {
        Matcher block = MODULES_BLOCK.matcher(html);
        if (!block.find()) {
            throw new IllegalStateException("index.html has no <!-- modules --> … <!-- /modules --> block to replace by the bundle");
        }
        return block.replaceFirst(Matcher.quoteReplacement("<script type=\"module\" src=\"js/" + name + "\"></script>"));
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

    private static String hash(String code) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
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
