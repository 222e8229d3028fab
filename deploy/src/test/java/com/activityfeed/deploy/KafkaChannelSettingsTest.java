package com.activityfeed.deploy;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings every Kafka channel of the services must carry, whatever the deployment. */
class KafkaChannelSettingsTest {
    private static final Pattern INCOMING = Pattern.compile("mp\\.messaging\\.incoming\\.([a-z0-9-]+)\\.connector");
    static final int MAX_POLL_TIMEOUT_MS = 100;

    /**
     * The connector's commit strategy looks up a partition's committed offset on the polling thread
     * when the partition's first record after an assignment arrives, so that record waits for the
     * poll under way to end: with the connector's default of 1 s, the first event after every start
     * or rebalance reached its streams a second late. Every incoming channel polls in short steps.
     */
    @Test
    void everyIncomingChannelPollsInShortSteps() {
        Map<String, String> wrong = new TreeMap<>();
        int channels = 0;
        for (String service : Manifests.SERVICES) {
            ServiceSettings settings = ServiceSettings.of(service);
            for (String key : settings.clusterValues().keySet()) {
                Matcher m = INCOMING.matcher(key);
                if (!m.matches() || !settings.properties().getProperty(key).equals("smallrye-kafka")) {
                    continue;
                }
                channels++;
                String timeout = settings.properties().getProperty("mp.messaging.incoming." + m.group(1) + ".poll-timeout");
                if (timeout == null || !timeout.matches("\\d+") || Integer.parseInt(timeout) > MAX_POLL_TIMEOUT_MS) {
                    wrong.put(service + " " + m.group(1), String.valueOf(timeout));
                }
            }
        }
        assertThat(channels).as("incoming Kafka channels found").isGreaterThanOrEqualTo(6);
        assertThat(wrong).as("poll-timeout (ms) of incoming channels, at most " + MAX_POLL_TIMEOUT_MS).isEmpty();
    }
}
