package com.activityfeed.deploy;

import com.activityfeed.messages.Topics;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Kafka access each service needs, as "type:name:patternType" -> operations: what its
 * SmallRye channels declare in application.properties (consumed topic and group, dead-letter
 * topic, produced topic), plus the clients its code creates itself, listed here with the class
 * that creates them. The KafkaUser of each service must grant exactly this.
 */
final class KafkaAccess {

    private record Access(String resource, Set<String> operations) {
    }

    /** Producers and consumers made in code, not through channels. */
    private static final Map<String, List<Access>> PROGRAMMATIC = Map.of(
            "ingest-service", List.of(
                    // publish.EventPublisher
                    topic(Topics.ACTIVITY_RAW, "Describe", "Write"),
                    // publish.TransactionalBatches: transactional ids <pod name>-<n>
                    new Access("transactionalId:ingest-service-:prefix", Set.of("Describe", "Write"))),
            "feed-service", List.of(
                    // platform-kafka DeadLetters, from ingest.RawEventConsumer and social.SocialUpdateConsumer
                    topic(Topics.dlq(Topics.ACTIVITY_RAW), "Describe", "Write"),
                    topic(Topics.dlq(Topics.SOCIAL_UPDATES), "Describe", "Write"),
                    // erasure.ErasurePublisher
                    topic(Topics.ERASURE_REQUESTS, "Describe", "Write"),
                    // admin.AdminService: lag of the activity.raw group, re-drive of the DLQ into activity.raw
                    topic(Topics.ACTIVITY_RAW, "Describe", "Write"),
                    topic(Topics.dlq(Topics.ACTIVITY_RAW), "Describe", "Read"),
                    group("feed-service-dlq-redrive", "literal"),
                    // changes.ChangeRelay
                    topic(Topics.FEED_CHANGES, "Describe", "Write"),
                    // stream.ChangeFanoutConsumer: a group per replica, feed-stream-<uuid>
                    topic(Topics.FEED_CHANGES, "Describe", "Read"),
                    group("feed-stream-", "prefix")),
            "social-service", List.of(
                    // outbox.SocialRelay
                    topic(Topics.SOCIAL_UPDATES, "Describe", "Write"),
                    // platform-kafka DeadLetters, from tiles.TileProjectionConsumer
                    topic(Topics.dlq(Topics.FEED_CHANGES), "Describe", "Write"),
                    // erasure.ErasureConsumer reports its part
                    topic(Topics.ERASURE_RESULTS, "Describe", "Write")));

    private KafkaAccess() {
    }

    static Map<String, Set<String>> of(String service) {
        Map<String, Set<String>> out = new TreeMap<>();
        Properties p = ServiceSettings.of(service).properties();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("%")) {
                continue;
            }
            if (key.matches("mp\\.messaging\\.incoming\\.[^.]+\\.topic")) {
                String channel = key.substring(0, key.length() - ".topic".length());
                add(out, topic(p.getProperty(key), "Describe", "Read"));
                add(out, group(p.getProperty(channel + ".group.id", service), "literal"));
                String dlq = p.getProperty(channel + ".dead-letter-queue.topic");
                if (dlq != null) {
                    add(out, topic(dlq, "Describe", "Write"));
                }
            } else if (key.matches("mp\\.messaging\\.outgoing\\.[^.]+\\.topic")) {
                add(out, topic(p.getProperty(key), "Describe", "Write"));
            }
        }
        PROGRAMMATIC.getOrDefault(service, List.of()).forEach(a -> add(out, a));
        return out;
    }

    private static void add(Map<String, Set<String>> out, Access a) {
        out.computeIfAbsent(a.resource(), k -> new TreeSet<>()).addAll(a.operations());
    }

    private static Access topic(String name, String... operations) {
        return new Access("topic:" + name + ":literal", Set.of(operations));
    }

    private static Access group(String name, String pattern) {
        return new Access("group:" + name + ":" + pattern, Set.of("Describe", "Read"));
    }
}
