package com.activityfeed.system.web;

import com.activityfeed.testsupport.gateway.Gateway;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.TestTokens;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The web client in Debian's Chromium, driven by playwright-core ({@code src/test/browser}),
 * through the gateway in front of the packaged services. Each scenario runs in a tenant of its
 * own; a scenario whose API is not implemented is reported as skipped with its reason.
 */
class BrowserIT {
    private static final Path BROWSER_DIR = Infra.root().resolve("system-tests/src/test/browser");
    private static final Path SCREENSHOTS = Infra.root().resolve("system-tests/target/screenshots");
    private static final Path LOGS = Infra.root().resolve("system-tests/target/browser-logs");
    private static final Pattern SKIPPED = Pattern.compile("^SKIPPED [^:]+: (.*)$", Pattern.MULTILINE);
    private static Gateway gateway;

    @BeforeAll
    static void start() throws IOException {
        assertThat(BROWSER_DIR.resolve("node_modules/playwright-core"))
                .as("playwright-core is installed: run system-tests/src/test/browser/setup.sh").exists();
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium is installed: run setup.sh").exists();
        Files.createDirectories(SCREENSHOTS);
        Files.createDirectories(LOGS);
        gateway = WebStack.gateway();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"demo-tiles", "token-paste", "live", "pill", "remerge", "snapshot", "reconnect", "fold",
            "expiry", "reactions", "reaction-refused", "reaction-rate-limit", "comments", "mark-all-read", "xss",
            "chat", "stats", "first-tiles-1000",
            // the second edition (issue 17)
            "activity-order", "group-summary", "density", "icons-no-emoji", "times-refresh", "connection", "dialog",
            "keyboard", "unread-announce", "axe", "texts", "caching", "own-tile", "shell-when-slow", "reactor-names",
            // following (issue 14)
            "follow-actor", "follow-participating", "following-unread", "counts-once", "following-phone", "following-axe"})
    void scenario(String name) throws Exception {
        String tenant = "web-" + UUID.randomUUID().toString().substring(0, 8);
        Path log = LOGS.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder("node", "scenarios.mjs", name)
                .directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("GATEWAY_URL", "http://127.0.0.1:" + gateway.port());
        env.put("SCREENSHOT_DIR", SCREENSHOTS.toString());
        env.put("READER_TOKEN", TestTokens.reader(tenant, "alice"));
        env.put("READER2_TOKEN", TestTokens.reader(tenant, "bob"));
        env.put("INGEST_TOKEN", TestTokens.ingest(tenant));
        env.put("ADMIN_TOKEN", TestTokens.admin(tenant));
        Process process = builder.start();
        boolean finished = process.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.println("---- browser scenario " + name + " ----\n" + output);
        if (!finished) {
            fail("scenario " + name + " did not finish in 4 minutes:\n" + output);
        }
        int code = process.exitValue();
        if (code == 3) {
            Matcher skipped = SKIPPED.matcher(output);
            Assumptions.abort("SKIPPED " + name + ": " + (skipped.find() ? skipped.group(1) : output));
        }
        assertThat(code).as("scenario %s failed (screenshots in %s):%n%s", name, SCREENSHOTS, output).isZero();
        if (name.equals("demo-tiles")) {
            assertThat(SCREENSHOTS.resolve("feed.png")).exists();
        }
    }
}
