package com.activityfeed.feed.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The first screen's modules joined into one script, carried inline by the page with the stylesheet, each allowed by its hash. */
class ClientBundleTest {
    private static final String APP = "META-INF/resources/app/";

    @Test
    void joinsTheFirstScreensModulesInImportOrderAndLeavesChatAndStatsApart() {
        ClientBundle bundle = ClientBundle.make(ClientBundleTest::module);

        assertThat(bundle.modules()).contains("api.js", "dom.js", "tiles.js", "feed.js", "comments.js", "stream.js", "main.js")
                .doesNotContain("chat.js", "stats.js");
        List<String> order = List.copyOf(bundle.modules());
        // every module runs after the ones it imports; main.js, which starts the page, last
        assertThat(order.indexOf("dom.js")).isLessThan(order.indexOf("icons.js"));
        assertThat(order.indexOf("tiles.js")).isLessThan(order.indexOf("feed.js"));
        assertThat(order.getLast()).isEqualTo("main.js");
        String code = bundle.code();
        assertThat(code).doesNotContainPattern("(?m)^import\\s").doesNotContain("from './")
                .contains("const { api, query, ApiError } = module$api;")
                // loaded when opened, as before; the joined script runs in the page, one folder above js/
                .contains("import('./js/chat.js')").doesNotContain("import('./chat.js')")
                .doesNotContainPattern("(?m)^export\\s")
                .containsPattern("(?m)^globalThis\\.afpClient = Object\\.freeze\\(\\{$")
                .containsPattern("(?m)^  api: module\\$api\\.api,$");
        // the same sources make the same script: a deploy without a change keeps the page's ETag
        assertThat(ClientBundle.make(ClientBundleTest::module).code()).isEqualTo(code);
    }

    @Test
    void theServedPageCarriesTheScriptAndStylesheetInlineAndLaterModulesUseItsInstances() {
        ClientBundle bundle = ClientBundle.make(ClientBundleTest::module);

        String page = bundle.linkPage(source("index.html"), source("app.css"));
        assertThat(page).contains("<script type=\"module\">" + bundle.code() + "</script>")
                .contains("<style>" + source("app.css") + "</style>")
                .doesNotContain("modulepreload").doesNotContain("js/main.js").doesNotContain("href=\"app.css\"")
                .doesNotContain(" src=\"js/");
        String chat = bundle.linkLazy(source("js/chat.js"));
        assertThat(chat).contains("const { api, query } = globalThis.afpClient;").doesNotContain("from './api.js'");
        // a module the joined script does not hold keeps its own import
        ClientBundle small = ClientBundle.make(files(Map.of("main.js", "import { a } from './a.js';\na();\n",
                "a.js", "export function a() {}\n")));
        assertThat(small.linkLazy("import { b } from './b.js';\nimport { a as c } from './a.js';\n"))
                .isEqualTo("import { b } from './b.js';\nconst { a: c } = globalThis.afpClient;\n");
    }

    @Test
    void whatCannotStandInlineIsRefused() {
        String page = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; style-src 'self'; script-src 'self'\">"
                + "<link rel=\"stylesheet\" href=\"app.css\"><!-- modules --><script type=\"module\" src=\"js/main.js\"></script><!-- /modules -->";
        ClientBundle closing = ClientBundle.make(files(Map.of("main.js", "const s = '</SCRIPT>';\n")));
        assertThatThrownBy(() -> closing.linkPage(page, "")).hasMessageContaining("</script");
        ClientBundle ok = ClientBundle.make(files(Map.of("main.js", "1;\n")));
        assertThatThrownBy(() -> ok.linkPage(page, "a::after { content: '</style>' }")).hasMessageContaining("</style");
        assertThatThrownBy(() -> ok.linkPage(page.replace(" style-src 'self';", ""), "")).hasMessageContaining("no style-src");
        assertThatThrownBy(() -> ok.linkPage(page.replace("<link rel=\"stylesheet\" href=\"app.css\">", ""), "")).hasMessageContaining("app.css");
        assertThat(ok.linkPage(page, "p{}")).contains("style-src 'self' '" + ClientBundle.sha256("p{}") + "';")
                .contains("script-src 'self' '" + ClientBundle.sha256(ok.code()) + "'\"");
        assertRefused(Map.of("main.js", "const name = 'chat.js';\nimport(name);\n"), "import()");
    }

    @Test
    void renamedImportsBecomeRenamedBindings() {
        ClientBundle bundle = ClientBundle.make(files(Map.of(
                "main.js", "import { a as first, b } from './a.js';\nfirst(b);\n",
                "a.js", "export const b = 1;\nexport function a(x) { return x; }\n")));
        assertThat(bundle.code()).contains("const { a: first, b } = module$a;")
                .contains("const module$a = (() => {\nconst b = 1;\nfunction a(x) { return x; }\nreturn { b, a };\n})();");
    }

    @Test
    void formsTheBundleCannotJoinAreRefused() {
        assertRefused(Map.of("main.js", "import a from './a.js';\n", "a.js", "export default 1;\n"), "import the bundle cannot join");
        assertRefused(Map.of("main.js", "import { a } from './a.js';\n", "a.js", "export let a = 1;\n"), "export the bundle cannot join");
        assertRefused(Map.of("main.js", "import { a } from './a.js';\n", "a.js", "export { a } from './b.js';\n"), "export the bundle cannot join");
        assertRefused(Map.of("main.js", "import { a } from './a.js';\n", "a.js", "import { m } from './main.js';\nexport const a = 1;\n"), "import cycle");
        assertRefused(Map.of("main.js", "import { a } from './a.js';\n"), "does not exist");
        assertRefused(Map.of("main.js", "import { a } from './a.js';\nimport { b } from './b.js';\n",
                "a.js", "export const a = 1;\nexport const x = 1;\n", "b.js", "export const b = 1;\nexport const x = 2;\n"), "export x");
        assertThatThrownBy(() -> ClientBundle.make(files(Map.of("main.js", "1;\n"))).linkPage("<html></html>", ""))
                .hasMessageContaining("<!-- modules -->");
    }

    /** The page's inline scripts and stylesheet run only if the Content-Security-Policy names their hashes, as served and in the sources. */
    @Test
    void everyInlineScriptAndStyleOfThePageIsAllowedByItsHash() throws Exception {
        String source = source("index.html");
        assertInlineAllowed(source, 1, 0);
        assertInlineAllowed(ClientBundle.make(ClientBundleTest::module).linkPage(source, source("app.css")), 2, 1);
    }

    private static void assertInlineAllowed(String page, int scripts, int styles) throws Exception {
        Matcher csp = Pattern.compile("http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"").matcher(page);
        assertThat(csp.find()).as("the page has a Content-Security-Policy").isTrue();
        for (String[] kind : new String[][]{{"script", "script-src", String.valueOf(scripts)}, {"style", "style-src", String.valueOf(styles)}}) {
            String sources = csp.group(1).replaceAll(".*" + kind[1] + " ([^;]*).*", "$1");
            Matcher inline = Pattern.compile("<" + kind[0] + "(?: type=\"module\")?>(.*?)</" + kind[0] + ">", Pattern.DOTALL).matcher(page);
            int found = 0;
            while (inline.find()) {
                found++;
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(inline.group(1).getBytes(StandardCharsets.UTF_8));
                assertThat(sources).as("%s names the hash of inline %s %d", kind[1], kind[0], found)
                        .contains("'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
                // a policy in a meta element applies to what follows it only
                assertThat(inline.start()).isGreaterThan(csp.start());
            }
            assertThat(found).as("inline %s elements", kind[0]).isEqualTo(Integer.parseInt(kind[2]));
            assertThat(sources).doesNotContain("unsafe-inline");
        }
    }

    private static void assertRefused(Map<String, String> files, String message) {
        assertThatThrownBy(() -> ClientBundle.make(files(files))).isInstanceOf(IllegalStateException.class).hasMessageContaining(message);
    }

    private static java.util.function.Function<String, String> files(Map<String, String> files) {
        return new HashMap<>(files)::get;
    }

    private static String module(String file) {
        return source("js/" + file);
    }

    private static String source(String file) {
        try (InputStream in = ClientBundleTest.class.getClassLoader().getResourceAsStream(APP + file)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
