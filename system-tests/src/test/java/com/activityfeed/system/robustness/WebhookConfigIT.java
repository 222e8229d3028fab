package com.activityfeed.system.robustness;

import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SPEC §3: a webhook configuration fault stops the packaged ingest-service at start-up, whether
 * it comes as an environment variable or a system property, instead of failing requests later.
 */
class WebhookConfigIT {
    private static final Path LOGS = Infra.root().resolve("system-tests/target/service-logs");

    private static void startFails(Map<String, String> extra, String message) {
        Map<String, String> env = ServiceProcess.environment(Infra.shared(), null, TestTokens.SECRET);
        env.putAll(extra);
        assertThatThrownBy(() -> ServiceProcess.start("ingest-service", Ports.free(), env, LOGS).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited during start-up")
                .hasMessageContaining(message);
    }

    @Test
    void anUnknownGenericFieldInAnEnvironmentVariableStopsTheStart() {
        startFails(Map.of("INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_SECRET", "s",
                "INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_FIELDS_TYPE", "/kind",
                "INGEST_WEBHOOKS_TENANTS_ACME_GENERIC_FIELDS_COLOUR", "/colour"), "unknown event field");
    }

    @Test
    void aBadPointerInASystemPropertyStopsTheStart() {
        startFails(Map.of("JAVA_TOOL_OPTIONS", "-Dingest.webhooks.tenants.acme.generic.secret=s"
                + " -Dingest.webhooks.tenants.acme.generic.fields.type=kind"), "is not a JSON pointer");
    }
}
