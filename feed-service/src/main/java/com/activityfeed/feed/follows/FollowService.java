package com.activityfeed.feed.follows;

import com.activityfeed.web.ProblemException;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A user's follows (SPEC §4a): follow, unfollow (remembered, so participating never undoes it),
 * the list, and the follow that participating adds. Every change locks the user's
 * {@link FollowOwner} row first, which serialises it with any other change of the same user's
 * follows on any replica (the limit cannot be overrun) and marks the change for every replica's
 * open streams.
 */
@ApplicationScoped
public class FollowService {
    private static final Logger LOG = Logger.getLogger(FollowService.class);
    private static final String BY_TERM = "tenantId = ?1 and userId = ?2 and term = ?3";

    private final FollowConfig config;
    private final Event<FollowsChanged> changed;

    public FollowService(FollowConfig config, Event<FollowsChanged> changed) {
        this.config = config;
        this.changed = changed;
    }

    /** Follows {@code target} (idempotent). An explicit follow of a participating one makes it manual. */
    @Transactional
    public FollowView follow(String tenant, String user, FollowTarget target) {
        String term = target.term(tenant);
        lockOwner(tenant, user);
        Unfollowed.delete(BY_TERM, tenant, user, term);
        Follow follow = Follow.<Follow>find(BY_TERM, tenant, user, term).firstResult();
        if (follow == null) {
            if (Follow.count("tenantId = ?1 and userId = ?2", tenant, user) >= config.maxPerUser()) {
                throw ProblemException.conflict("a user follows at most " + config.maxPerUser()
                        + " actors, entities and types; unfollow one first");
            }
            follow = create(tenant, user, target, term, Follow.MANUAL);
        } else {
            follow.origin = Follow.MANUAL;
        }
        changed.fire(new FollowsChanged(tenant, user));
        return view(follow, followers(tenant, List.of(term)).getOrDefault(term, 1L));
    }

    /** Unfollows {@code target} (idempotent) and remembers it, so that participating never follows it again. */
    @Transactional
    public void unfollow(String tenant, String user, FollowTarget target) {
        String term = target.term(tenant);
        lockOwner(tenant, user);
        Follow.delete(BY_TERM, tenant, user, term);
        Unfollowed unfollowed = Unfollowed.findById(new Unfollowed.Key(tenant, user, term));
        if (unfollowed == null) {
            unfollowed = new Unfollowed();
            unfollowed.tenantId = tenant;
            unfollowed.userId = user;
            unfollowed.term = term;
            unfollowed.unfollowedAt = now();
            unfollowed.persist();
        } else {
            unfollowed.unfollowedAt = now();
        }
        changed.fire(new FollowsChanged(tenant, user));
    }

    /**
     * Follows {@code target} as {@code participating}, inside the caller's transaction, unless the
     * user follows it already, unfollowed it before, or holds the maximum (then it is only logged:
     * a reaction never fails because of it). Returns whether a follow was added.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean participate(String tenant, String user, FollowTarget target) {
        String term = target.term(tenant);
        if (Follow.count(BY_TERM, tenant, user, term) > 0 || Unfollowed.count(BY_TERM, tenant, user, term) > 0) {
            return false;
        }
        lockOwner(tenant, user);
        if (Follow.count(BY_TERM, tenant, user, term) > 0 || Unfollowed.count(BY_TERM, tenant, user, term) > 0) {
            return false;
        }
        if (Follow.count("tenantId = ?1 and userId = ?2", tenant, user) >= config.maxPerUser()) {
            LOG.infof("user %s of %s holds %d follows: participating in %s adds none", user, tenant,
                    config.maxPerUser(), target);
            return false;
        }
        create(tenant, user, target, term, Follow.PARTICIPATING);
        changed.fire(new FollowsChanged(tenant, user));
        return true;
    }

    /** The user's follows, newest first, keyset-paged. */
    @Transactional
    public FollowView.Page list(String tenant, String user, int limit, String cursor) {
        List<Follow> rows;
        if (cursor == null) {
            rows = Follow.<Follow>find("tenantId = ?1 and userId = ?2 order by createdAt desc, id desc", tenant, user)
                    .range(0, limit).list();
        } else {
            Position after = Position.decode(cursor);
            rows = Follow.<Follow>find("tenantId = ?1 and userId = ?2 and (createdAt < ?3 or (createdAt = ?3 and id < ?4))"
                            + " order by createdAt desc, id desc", tenant, user, after.createdAt(), after.id())
                    .range(0, limit).list();
        }
        List<Follow> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        Map<String, Long> followers = followers(tenant, page.stream().map(f -> f.term).toList());
        List<FollowView> items = new ArrayList<>(page.size());
        for (Follow f : page) {
            items.add(view(f, followers.getOrDefault(f.term, 1L)));
        }
        String next = rows.size() > limit ? new Position(page.getLast().createdAt, page.getLast().id).encode() : null;
        return new FollowView.Page(items, next);
    }

    private static Follow create(String tenant, String user, FollowTarget target, String term, String origin) {
        Follow follow = new Follow();
        follow.id = UUID.randomUUID();
        follow.tenantId = tenant;
        follow.userId = user;
        follow.kind = target.kind();
        follow.actorId = target.actorId();
        follow.entityType = target.entityType();
        follow.entityId = target.entityId();
        follow.type = target.type();
        follow.term = term;
        follow.origin = origin;
        follow.createdAt = now();
        follow.persist();
        return follow;
    }

    /**
     * Creates or bumps the user's owner row, which locks it until commit: the one statement that
     * both serialises the user's follow changes and tells other replicas about them.
     */
    private static void lockOwner(String tenant, String user) {
        Panache.getEntityManager().createNativeQuery("""
                        INSERT INTO follow_owner (tenant_id, user_id, changed_at) VALUES (?1, ?2, clock_timestamp())
                        ON CONFLICT (tenant_id, user_id) DO UPDATE SET changed_at = clock_timestamp()""")
                .setParameter(1, tenant).setParameter(2, user).executeUpdate();
    }

    /** Followers per term: how many users of the tenant follow it. */
    private static Map<String, Long> followers(String tenant, List<String> terms) {
        Map<String, Long> counts = new HashMap<>();
        if (terms.isEmpty()) {
            return counts;
        }
        Panache.getEntityManager().createQuery(
                        "select f.term, count(f) from Follow f where f.tenantId = ?1 and f.term in ?2 group by f.term",
                        TermFollowers.class)
                .setParameter(1, tenant).setParameter(2, terms).getResultList()
                .forEach(row -> counts.put(row.term(), row.followers()));
        return counts;
    }

    /** One row of {@link #followers}: Hibernate builds it from the query's two columns. */
    record TermFollowers(String term, long followers) {
    }

    private static FollowView view(Follow f, long followers) {
        return new FollowView(f.kind, f.actorId, f.entityType, f.entityId, f.type, f.origin, followers, f.createdAt);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The follows list's cursor: the last follow's (createdAt, id). */
    record Position(Instant createdAt, UUID id) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("w1|" + createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                if (parts.length == 3 && parts[0].equals("w1")) {
                    return new Position(Instant.parse(parts[1]), UUID.fromString(parts[2]));
                }
            } catch (RuntimeException e) {
                // answered below
            }
            throw ProblemException.badRequest("cursor is not a cursor of this list");
        }
    }
}
