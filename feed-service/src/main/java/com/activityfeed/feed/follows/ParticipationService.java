package com.activityfeed.feed.follows;

import com.activityfeed.messages.SocialUpdate;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.UUID;

/**
 * "Participating" (SPEC §4a): a user who reacts to or comments on a tile follows its entity (a
 * group's is its first member's), or its actor when it has none, unless that user unfollowed it
 * before. Runs inside the transaction that applies the social update, so a redelivered update
 * is applied once and the follow commits with the reaction or comment or not at all.
 */
@ApplicationScoped
public class ParticipationService {
    private final FollowService follows;

    public ParticipationService(FollowService follows) {
        this.follows = follows;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onSocialUpdate(SocialUpdate update) {
        String user;
        UUID tileId;
        if (update.kind() == SocialUpdate.Kind.REACTION_UPDATED && update.reaction() != null
                && SocialUpdate.Reaction.ADDED.equals(update.reaction().action())) {
            user = update.reaction().actorId();
            tileId = update.reaction().tileId();
        } else if (update.kind() == SocialUpdate.Kind.COMMENT_CREATED && update.comment() != null
                && update.comment().comment() != null) {
            user = update.comment().comment().authorId();
            tileId = update.comment().tileId();
        } else {
            return;
        }
        if (user == null || tileId == null) {
            return;
        }
        FollowTarget target = target(update.tenantId(), tileId);
        if (target != null && !(FollowTarget.ACTOR.equals(target.kind()) && user.equals(target.actorId()))) {
            follows.participate(update.tenantId(), user, target);
        }
    }

    /** The tile's (or its group's) entity, else its actor; null when it has neither or is gone. */
    private static FollowTarget target(String tenant, UUID tileId) {
        List<Tuple> rows = Panache.getEntityManager().createNativeQuery("""
                        SELECT t.body->'entity'->>'type' AS entity_type, t.body->'entity'->>'id' AS entity_id,
                               t.body->'actor'->>'id' AS actor_id FROM tile t
                        WHERE t.tenant_id = ?1 AND t.id = coalesce(
                            (SELECT a.group_id FROM tile_alias a WHERE a.alias_id = ?2 AND a.tenant_id = ?1), ?2)""",
                        Tuple.class)
                .setParameter(1, tenant).setParameter(2, tileId).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Tuple row = rows.getFirst();
        String entityType = row.get("entity_type", String.class);
        String entityId = row.get("entity_id", String.class);
        String actorId = row.get("actor_id", String.class);
        if (entityType != null && entityId != null && !entityType.isEmpty() && !entityId.isEmpty()) {
            return new FollowTarget(FollowTarget.ENTITY, null, entityType, entityId, null);
        }
        if (actorId != null && !actorId.isEmpty()) {
            return new FollowTarget(FollowTarget.ACTOR, actorId, null, null, null);
        }
        return null;
    }
}
