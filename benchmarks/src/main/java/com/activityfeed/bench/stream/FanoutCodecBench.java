package com.activityfeed.bench.stream;

import com.activityfeed.bench.LoadAverage;
import com.activityfeed.messages.FeedChange;
import com.activityfeed.messages.FeedEvents;
import com.activityfeed.messages.MessageCodec;
import com.activityfeed.messages.TileRef;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What reading one {@code feed.changes} message for the streams costs, the JSON of its data
 * included: parsed into a tree and written again ({@link MessageCodec#readFeedChange}) against
 * kept as the text the message carries ({@link MessageCodec#readFeedChangeForStream}). The
 * fan-out pays it once per change and replica, a stream's catch-up once per replayed change.
 * The change is a grown group of five samples, about 2 KB, as the feed writes them.
 */
public final class FanoutCodecBench {
    private FanoutCodecBench() {
    }

    public static void main(String[] args) {
        var f = JsonNodeFactory.instance;
        ObjectNode tile = f.objectNode();
        tile.put("id", UUID.randomUUID().toString()).put("kind", "group").put("type", "task_completed")
            .put("displayName", "Task completed").put("icon", "check").put("title", "Ada Lovelace and 4 others completed 11 tasks")
            .put("description", "Sprint 42 wrap-up").put("occurredAt", "2026-11-29T06:00:00.123456Z").put("latestAt", "2026-11-29T06:04:00.5Z")
            .put("count", 11).put("source", "api").put("priority", "normal");
        tile.putArray("tags").add("team:core").add("sprint:42");
        var samples = tile.putArray("samples");
        for (int i = 0; i < 5; i++) {
            ObjectNode s = samples.addObject();
            s.put("eventId", UUID.randomUUID().toString()).put("occurredAt", "2026-11-29T06:0" + i + ":00Z").put("title", "Completed task #" + (100 + i));
            s.putObject("actor").put("id", "user-" + i).put("name", "User Number " + i);
            s.putObject("entity").put("type", "task").put("id", "T-" + (100 + i)).put("name", "Write the release notes " + i);
        }
        tile.putObject("reactions").put("hype", 2).put("respect", 0).put("tribute", 1);
        tile.put("comments", 3);
        ObjectNode data = f.objectNode(); data.set("tile", tile);
        var change = new FeedChange(1, "acme", 123456, null, FeedEvents.TILE_UPDATED, UUID.randomUUID(),
                new TileRef(UUID.randomUUID(), "group", List.of("user-0", "user-1")), null, List.of("task_completed"),
                Instant.now(), Instant.now(), data);
        String json = MessageCodec.write(change);
        System.out.println("feed.changes message of " + json.length() + " chars   " + LoadAverage.now());
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long sink = 0;
        for (int round = 0; round < 6; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) sink += MessageCodec.jsonText(MessageCodec.readFeedChange(json).data()).length();
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) sink += MessageCodec.jsonText(MessageCodec.readFeedChangeForStream(json).data()).length();
            long t2 = System.nanoTime();
            System.out.printf("round %d: tree and written again %.2f us, kept as text %.2f us per change, ratio %.2f   %s%n", round,
                    (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (double) (t2 - t1) / (t1 - t0), LoadAverage.now());
        }
        System.out.println(sink > 0 ? "" : "nothing read");
    }
}
