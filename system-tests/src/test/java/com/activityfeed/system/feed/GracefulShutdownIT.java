package com.activityfeed.system.feed;

import com.activityfeed.system.SystemUnderTest;
import com.activityfeed.testsupport.infra.Infra;
import com.activityfeed.testsupport.infra.Ports;
import com.activityfeed.testsupport.infra.ServiceProcess;
import com.activityfeed.testsupport.infra.TestTokens;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A feed replica stopped with SIGTERM (a rolling deploy, a scale-down) stops cleanly: its
 * scheduled jobs (erasure checks, housekeeping, ticket purge, follow refresh) do not run once
 * shutdown has begun, so the log of the stop holds no job failing on a closed database layer
 * ("EntityManagerFactory is closed") and no error. The replica runs its jobs every second, so
 * several fall due during the seconds its consumers take to leave their groups.
 */
class GracefulShutdownIT {

    @Test
    void aStoppedReplicaRunsNoJobOnceShutdownBegan() throws Exception {
        SystemUnderTest system = SystemUnderTest.get();
        Map<String, String> env = ServiceProcess.environment(system.infra, "feed", TestTokens.SECRET);
        env.put("FEED_ERASURE_CHECK_EVERY", "1s");
        env.put("FEED_HOUSEKEEPING_EVERY", "1s");
        env.put("FEED_HOUSEKEEPING_DELAY", "1s");
        ServiceProcess replica = ServiceProcess.start("feed-service", Ports.free(), env,
                Infra.root().resolve("system-tests/target/service-logs"));
        long before;
        try {
            // the erasure job's first run is 5 s after the start: let every job have run at least once
            Thread.sleep(7_000);
            String running = Files.readString(replica.log(), StandardCharsets.UTF_8);
            assertThat(running).as("the replica's log while it runs").doesNotContain("EntityManagerFactory is closed");
            before = running.length();
        } finally {
            replica.close();
        }
        String stop = Files.readString(replica.log(), StandardCharsets.UTF_8).substring((int) before);
        assertThat(stop).as("the log of the stop").contains("stopped in")
                .doesNotContain("EntityManagerFactory is closed")
                .doesNotContain("next run retries")
                .doesNotContain(" ERROR ");
    }
}
