package com.activityfeed.feed.grouping;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grouping rule itself, decision by decision. How the consumer applies it (batches of any size,
 * windows and tiles in PostgreSQL, redeliveries) is tested on the real thing: ingest.GroupingPassTest.
 */
class GroupingEngineTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /** Applies decisions like the repository does: windows by (tenant, key), tiles by id with their members. */
    static final class Feed {
        final Map<String, WindowState> windows = new HashMap<>();
        final Map<UUID, List<UUID>> tiles = new LinkedHashMap<>();
        final Map<UUID, UUID> aliases = new HashMap<>();
        final List<Decision> decisions = new ArrayList<>();
        GroupingSettings settings = GroupingSettings.DEFAULT;

        Decision add(EventFacts e) {
            String windowKey = e.tenant() + "/" + settings.key().keyOf(e);
            Decision d = GroupingEngine.decide(e, settings, windows.get(windowKey));
            decisions.add(d);
            switch (d.kind()) {
                case SINGLE -> tiles.put(d.tileId(), new ArrayList<>(List.of(e.id())));
                case FOLD -> {
                    List<UUID> members = new ArrayList<>();
                    for (UUID folded : d.foldedTileIds()) {
                        members.addAll(tiles.remove(folded));
                        aliases.put(folded, d.tileId());
                    }
                    members.add(e.id());
                    aliases.put(e.id(), d.tileId());
                    tiles.put(d.tileId(), members);
                }
                case GROW -> {
                    tiles.get(d.tileId()).add(e.id());
                    aliases.put(e.id(), d.tileId());
                }
            }
            if (d.changesWindow()) {
                windows.put(windowKey, d.window());
            }
            return d;
        }

        void addAll(List<EventFacts> events) {
            events.forEach(this::add);
        }
    }

    static EventFacts event(String tenant, String type, Instant at) {
        return new EventFacts(UUID.randomUUID(), tenant, type, at, true, null, null, null);
    }

    static EventFacts event(String tenant, String type, Instant at, String actor) {
        return new EventFacts(UUID.randomUUID(), tenant, type, at, true, actor, null, null);
    }

    @Test
    void firstTwoAreSinglesAndTheThirdFoldsThemIntoAGroup() {
        Feed feed = new Feed();
        EventFacts a = event("t", "badge_earned", T0);
        EventFacts b = event("t", "badge_earned", T0.plusSeconds(10));
        EventFacts c = event("t", "badge_earned", T0.plusSeconds(20));
        assertThat(feed.add(a).kind()).isEqualTo(Decision.Kind.SINGLE);
        assertThat(feed.add(b).kind()).isEqualTo(Decision.Kind.SINGLE);
        Decision fold = feed.add(c);
        assertThat(fold.kind()).isEqualTo(Decision.Kind.FOLD);
        assertThat(fold.foldedTileIds()).containsExactly(a.id(), b.id());
        assertThat(fold.tileId()).isEqualTo(TileIds.group("t", a.id()));
        assertThat(feed.tiles).containsOnlyKeys(fold.tileId());
        assertThat(feed.tiles.get(fold.tileId())).containsExactly(a.id(), b.id(), c.id());

        Decision grow = feed.add(event("t", "badge_earned", T0.plusSeconds(30)));
        assertThat(grow.kind()).isEqualTo(Decision.Kind.GROW);
        assertThat(grow.tileId()).isEqualTo(fold.tileId());
        assertThat(grow.window().count()).isEqualTo(4);
    }

    @Test
    void anEventExactlyFiveMinutesAfterTheOpeningOpensANewWindow() {
        Feed feed = new Feed();
        feed.add(event("t", "x", T0));
        feed.add(event("t", "x", T0.plus(Duration.ofMinutes(5)).minusMillis(1)));
        EventFacts atEdge = event("t", "x", T0.plus(Duration.ofMinutes(5)));
        Decision d = feed.add(atEdge);
        assertThat(d.kind()).isEqualTo(Decision.Kind.SINGLE);
        assertThat(d.window().start()).isEqualTo(atEdge.occurredAt());
        assertThat(d.window().count()).isEqualTo(1);
        assertThat(feed.tiles).hasSize(3);
    }

    @Test
    void theLastMillisecondInsideTheWindowStillFolds() {
        Feed feed = new Feed();
        feed.add(event("t", "x", T0));
        feed.add(event("t", "x", T0.plusSeconds(1)));
        assertThat(feed.add(event("t", "x", T0.plus(Duration.ofMinutes(5)).minusMillis(1))).kind())
                .isEqualTo(Decision.Kind.FOLD);
    }

    @Test
    void twoTypesInterleavedGroupSeparately() {
        Feed feed = new Feed();
        for (int i = 0; i < 4; i++) {
            feed.add(event("t", "badge_earned", T0.plusSeconds(i)));
            feed.add(event("t", "xp_rank_up", T0.plusSeconds(i)));
        }
        assertThat(feed.tiles).hasSize(2);
        assertThat(feed.tiles.values()).allSatisfy(members -> assertThat(members).hasSize(4));
    }

    @Test
    void twoTenantsInterleavedNeverShareAWindowAndGetDifferentGroupIds() {
        Feed feed = new Feed();
        List<UUID> firstOfA = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            EventFacts a = event("a", "x", T0.plusSeconds(i));
            if (i == 0) {
                firstOfA.add(a.id());
            }
            feed.add(a);
            feed.add(event("b", "x", T0.plusSeconds(i)));
        }
        assertThat(feed.tiles).hasSize(2);
        assertThat(feed.tiles).containsKey(TileIds.group("a", firstOfA.getFirst()));
        assertThat(TileIds.group("a", firstOfA.getFirst())).isNotEqualTo(TileIds.group("b", firstOfA.getFirst()));
    }

    @Test
    void highAndUrgentEventsAreNeverGroupedAndChangeNoWindow() {
        Feed feed = new Feed();
        feed.add(event("t", "x", T0));
        for (int i = 1; i <= 3; i++) {
            EventFacts urgent = new EventFacts(UUID.randomUUID(), "t", "x", T0.plusSeconds(i), false, null, null, null);
            Decision d = feed.add(urgent);
            assertThat(d.kind()).isEqualTo(Decision.Kind.SINGLE);
            assertThat(d.changesWindow()).isFalse();
        }
        assertThat(feed.windows.get("t/x").count()).isEqualTo(1);
        assertThat(feed.tiles).hasSize(4);
    }

    @Test
    void outOfOrderInsideTheWindowJoinsIt() {
        Feed feed = new Feed();
        feed.add(event("t", "x", T0.plusSeconds(60)));
        feed.add(event("t", "x", T0.plusSeconds(200)));
        assertThat(feed.add(event("t", "x", T0.plusSeconds(61))).kind()).isEqualTo(Decision.Kind.FOLD);
    }

    @Test
    void anEventOlderThanTheNewestWindowStaysSingleAndChangesNoWindow() {
        Feed feed = new Feed();
        feed.add(event("t", "x", T0));
        feed.add(event("t", "x", T0.plusSeconds(400))); // opens the newest window
        Decision late = feed.add(event("t", "x", T0.plusSeconds(10))); // inside the old window, before the newest
        assertThat(late.kind()).isEqualTo(Decision.Kind.SINGLE);
        assertThat(late.changesWindow()).isFalse();
        assertThat(feed.windows.get("t/x").start()).isEqualTo(T0.plusSeconds(400));
        assertThat(feed.windows.get("t/x").count()).isEqualTo(1);
    }

    @Test
    void anEventAfterTheWindowOpensANewOneEvenAfterAFold() {
        Feed feed = new Feed();
        for (int i = 0; i < 3; i++) {
            feed.add(event("t", "x", T0.plusSeconds(i)));
        }
        Decision next = feed.add(event("t", "x", T0.plus(Duration.ofMinutes(6))));
        assertThat(next.kind()).isEqualTo(Decision.Kind.SINGLE);
        assertThat(next.window().groupId()).isNull();
        assertThat(feed.tiles).hasSize(2);
    }

    @Test
    void keyByActorAndByEntity() {
        Feed byActor = new Feed();
        byActor.settings = new GroupingSettings(Duration.ofMinutes(5), 3, GroupingKey.TYPE_ACTOR);
        for (int i = 0; i < 3; i++) {
            byActor.add(event("t", "x", T0.plusSeconds(i), "ada"));
            byActor.add(event("t", "x", T0.plusSeconds(i), "bob"));
        }
        assertThat(byActor.tiles).hasSize(2);

        Feed byEntity = new Feed();
        byEntity.settings = new GroupingSettings(Duration.ofMinutes(5), 3, GroupingKey.TYPE_ENTITY);
        for (int i = 0; i < 3; i++) {
            byEntity.add(new EventFacts(UUID.randomUUID(), "t", "x", T0.plusSeconds(i), true, "ada", "deal", "1"));
            byEntity.add(new EventFacts(UUID.randomUUID(), "t", "x", T0.plusSeconds(i), true, "ada", "deal", "2"));
        }
        assertThat(byEntity.tiles).hasSize(2);
    }

    @Test
    void aThresholdAndWindowFromTheCatalogApply() {
        Feed feed = new Feed();
        feed.settings = new GroupingSettings(Duration.ofMinutes(1), 2, GroupingKey.TYPE);
        feed.add(event("t", "x", T0));
        assertThat(feed.add(event("t", "x", T0.plusSeconds(59))).kind()).isEqualTo(Decision.Kind.FOLD);
        assertThat(feed.add(event("t", "x", T0.plusSeconds(60))).kind()).isEqualTo(Decision.Kind.SINGLE);
    }

    @Test
    void groupIdsAreStableVersion5UuidsOfTenantAndFirstMember() {
        UUID first = UUID.fromString("0190f0a0-0000-7000-8000-000000000001");
        UUID id = TileIds.group("acme", first);
        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(TileIds.group("acme", first)).isEqualTo(id);
        // RFC 4122 test vector: v5(DNS namespace, "www.example.com")
        assertThat(TileIds.v5(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com"))
                .isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    }
}
