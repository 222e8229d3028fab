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

/** The first screen's modules joined into one script, and the page's inline script allowed by its hash. */
class ClientBundleTest {
    private static final String APP = "META-INF/resources/app/";

    @Test
    void joinsTheFirstScreensModulesInImportOrderAndLeavesChatAndStatsApart() {
        ClientBundle bundle = ClientBundle.make(ClientBundleTest::module);

        assertThat(bundle.name()).matches("app\\.[0-9a-f]{24}\\.js");
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
                .contains("import('./chat.js')") // loaded when opened, as before
                .containsPattern("(?m)^export \\{ .*\\bapi\\$ as api\\b.*};$");
        // the same sources make the same name: a deploy without a change keeps the browser's copy
        assertThat(ClientBundle.make(ClientBundleTest::module).name()).isEqualTo(bundle.name());
    }

    @Test
    void theServedPageNamesOnlyTheBundleAndLaterModulesImportFromIt() {
        ClientBundle bundle = ClientBundle.make(ClientBundleTest::module);

        String page = bundle.linkPage(source("index.html"));
        assertThat(page).contains("<script type=\"module\" src=\"js/" + bundle.name() + "\"></script>")
                .doesNotContain("modulepreload").doesNotContain("js/main.js").contains("app.css");
        String chat = bundle.linkLazy(source("js/chat.js"));
        assertThat(chat).contains("import { api, query } from './" + bundle.name() + "';").doesNotContain("from './api.js'");
        // a module the bundle does not hold keeps its own import
        ClientBundle small = ClientBundle.make(files(Map.of("main.js", "import { a } from './a.js';\na();\n",
                "a.js", "export function a() {}\n")));
        assertThat(small.linkLazy("import { b } from './b.js';\nimport { a } from './a.js';\n"))
                .isEqualTo("import { b } from './b.js';\nimport { a } from './" + small.name() + "';\n");
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
        assertThatThrownBy(() -> ClientBundle.make(files(Map.of("main.js", "1;\n"))).linkPage("<html></html>"))
                .hasMessageContaining("<!-- modules -->");
    }

    /** The page's one inline script runs only if the Content-Security-Policy names its hash. */
    @Test
    void everyInlineScriptOfThePageIsAllowedByItsHash() throws Exception {
        String page = source("index.html");
        Matcher csp = Pattern.compile("http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"").matcher(page);
        assertThat(csp.find()).as("the page has a Content-Security-Policy").isTrue();
        String scriptSrc = csp.group(1).replaceAll(".*script-src ([^;]*).*", "$1");
        Matcher inline = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(page);
        int scripts = 0;
        while (inline.find()) {
            scripts++;
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(inline.group(1).getBytes(StandardCharsets.UTF_8));
            assertThat(scriptSrc).as("script-src names the hash of inline script %d", scripts)
                    .contains("'sha256-" + Base64.getEncoder().encodeToString(digest) + "'");
            // a policy in a meta element applies to what follows it only
            assertThat(inline.start()).isGreaterThan(csp.start());
        }
        assertThat(scripts).as("the first page is asked for by an inline script").isEqualTo(1);
        assertThat(scriptSrc).doesNotContain("unsafe-inline");
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
