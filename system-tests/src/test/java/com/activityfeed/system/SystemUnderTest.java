package com.activityfeed.system;

import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;

import java.nio.file.Path;

/**
 * The three packaged services against the JVM-wide infrastructure, started once for every system
 * test class of the run and stopped when the JVM exits.
 */
public final class SystemUnderTest {
    private static SystemUnderTest instance;

    public final Infra infra;
    public final ServiceProcess ingest;
    public final ServiceProcess feed;
    public final ServiceProcess social;

    private SystemUnderTest() {
        infra = Infra.shared();
        Path logs = Infra.root().resolve("system-tests/target/service-logs");
        ingest = ServiceProcess.start("ingest-service", Ports.free(),
                ServiceProcess.environment(infra, null, TestTokens.SECRET), logs);
        feed = ServiceProcess.start("feed-service", Ports.free(),
                ServiceProcess.environment(infra, "feed", TestTokens.SECRET), logs);
        social = ServiceProcess.start("social-service", Ports.free(),
                ServiceProcess.environment(infra, "social", TestTokens.SECRET), logs);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            social.close();
            feed.close();
            ingest.close();
        }, "afp-services-shutdown"));
    }

    public static synchronized SystemUnderTest get() {
        if (instance == null) {
            instance = new SystemUnderTest();
        }
        return instance;
    }
}
