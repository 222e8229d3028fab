package com.activityfeed.system;

import com.activityfeed.system.tracing.OtlpReceiver;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The three packaged services against the JVM-wide infrastructure, started once for every system
 * test class of the run and stopped when the JVM exits.
 */
public final class SystemUnderTest {
    /**
     * A tenant with every signed webhook configured, through environment variables as Kubernetes
     * sets them (the dashed tenant id quoted), so tests reach every webhook parser.
     */
    public static final String WEBHOOK_TENANT = "bad-input";
    public static final String GITHUB_SECRET = "bad-input-github";
    public static final String HUBSPOT_SECRET = "bad-input-hubspot";
    public static final String SALESFORCE_ORGANIZATION = "00D000000000BADAAA";
    public static final String GENERIC_SECRET = "bad-input-generic";

    private static SystemUnderTest instance;

    public final Infra infra;
    public final ServiceProcess ingest;
    public final ServiceProcess feed;
    public final ServiceProcess social;
    /** Where the three services export their spans (OTLP/HTTP, as a cluster's collector would receive them). */
    public final OtlpReceiver traces;

    private SystemUnderTest() {
        infra = Infra.shared();
        try {
            traces = new OtlpReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the OTLP receiver", e);
        }
        Path logs = Infra.root().resolve("system-tests/target/service-logs");
        Map<String, String> ingestEnv = tracing(ServiceProcess.environment(infra, null, TestTokens.SECRET));
        String hooks = "INGEST_WEBHOOKS_TENANTS__BAD_INPUT__";
        ingestEnv.put(hooks + "GITHUB_SECRET", GITHUB_SECRET);
        ingestEnv.put(hooks + "HUBSPOT_CLIENT_SECRET", HUBSPOT_SECRET);
        ingestEnv.put(hooks + "SALESFORCE_ORGANIZATION_ID", SALESFORCE_ORGANIZATION);
        ingestEnv.put(hooks + "GENERIC_SECRET", GENERIC_SECRET);
        ingestEnv.put(hooks + "GENERIC_FIELDS_TYPE", "/kind");
        ingestEnv.put(hooks + "GENERIC_FIELDS_OCCURRED_AT", "/at");
        ingestEnv.put(hooks + "GENERIC_FIELDS_IDEMPOTENCY_KEY", "/id");
        ingestEnv.put(hooks + "GENERIC_CONSTANTS_SOURCE", "monitoring");
        ingest = ServiceProcess.start("ingest-service", Ports.free(), ingestEnv, logs);
        feed = ServiceProcess.start("feed-service", Ports.free(),
                tracing(ServiceProcess.environment(infra, "feed", TestTokens.SECRET)), logs);
        social = ServiceProcess.start("social-service", Ports.free(),
                tracing(ServiceProcess.environment(infra, "social", TestTokens.SECRET)), logs);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            social.close();
            feed.close();
            ingest.close();
            traces.close();
        }, "afp-services-shutdown"));
    }

    /** Span export switched on the way an operator does it (docs/operations.md §6a), batches sent every 200 ms. */
    private Map<String, String> tracing(Map<String, String> env) {
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.endpoint());
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("OTEL_TRACES_SAMPLER", "parentbased_always_on");
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
        return env;
    }

    public static synchronized SystemUnderTest get() {
        if (instance == null) {
            instance = new SystemUnderTest();
        }
        return instance;
    }
}
