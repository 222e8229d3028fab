package com.activityfeed.social.erasure;

import com.activityfeed.messages.ErasureRequest;
import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.chat.ChatMessageEntity;
import com.activityfeed.social.comments.CommentEntity;
import com.activityfeed.social.outbox.Outbox;
import com.activityfeed.social.reactions.ReactionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * social-service's part of an erasure (SPEC §6a), in one transaction under the tenant's outbox lock:
 * the person's comments and chat messages are deleted (not marked deleted), their reactions removed
 * and their reaction-limit grants dropped. Each tile whose counts change gets the usual
 * {@code social.updates} (reaction.updated with the new totals, comment.deleted with the new
 * count) so clients follow live; those updates name the erased actor, never the person. The tile
 * projection follows feed-service's rewritten tiles on feed.changes; only folded singles, which the
 * feed never announces again, get the erased actor here. A tenant's
 * erasure deletes every row of the tenant, the outbox included. Doing it again changes nothing.
 */
@ApplicationScoped
public class SocialEraser {
    static final String ERASED_ID = "erased";
    static final String ERASED_NAME = "Deleted user";
    private static final Logger LOG = Logger.getLogger(SocialEraser.class);

    private final EntityManager entityManager;
    private final Outbox outbox;

    public SocialEraser(EntityManager entityManager, Outbox outbox) {
        this.entityManager = entityManager;
        this.outbox = outbox;
    }

    @Transactional
    public void apply(ErasureRequest request) {
        outbox.lockTenant(request.tenantId());
        if (request.wholeTenant()) {
            eraseTenant(request.tenantId());
        } else {
            eraseUser(request.tenantId(), request.userId());
        }
        if (ErasureApplied.findById(request.id()) == null) {
            ErasureApplied applied = new ErasureApplied();
            applied.id = request.id();
            applied.tenantId = request.tenantId();
            applied.appliedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            applied.persist();
        }
    }

    private void eraseUser(String tenant, String userId) {
        int reactions = removeReactions(tenant, userId);
        int comments = deleteComments(tenant, userId);
        long messages = ChatMessageEntity.delete("tenantId = ?1 and authorId = ?2", tenant, userId);
        // reaction_grant has no key and no entity (see ReactionService)
        entityManager.createNativeQuery("DELETE FROM reaction_grant WHERE tenant_id = :tenant AND user_id = :user")
                .setParameter("tenant", tenant)
                .setParameter("user", userId)
                .executeUpdate();
        // Tiles the feed still shows are rewritten there and reach the projection on feed.changes; a
        // single folded into a group before the erasure is never announced again, so its actor goes
        // here. One statement over the tenant's tiles: array_replace has no portable query form.
        entityManager.createNativeQuery("""
                        UPDATE tile SET actor_ids = array_replace(actor_ids, :user, :erased)
                        WHERE tenant_id = :tenant AND :user = ANY (actor_ids)""")
                .setParameter("user", userId)
                .setParameter("erased", ERASED_ID)
                .setParameter("tenant", tenant)
                .executeUpdate();
        LOG.infof("erased a user of tenant %s: %d reactions, %d comments, %d chat messages", tenant, reactions,
                comments, messages);
    }

    private int removeReactions(String tenant, String userId) {
        Map<UUID, List<String>> removed = new LinkedHashMap<>();
        for (ReactionEntity r : ReactionEntity.<ReactionEntity>list("tenantId = ?1 and userId = ?2", tenant, userId)) {
            removed.computeIfAbsent(r.tileId, k -> new ArrayList<>()).add(r.type);
        }
        ReactionEntity.delete("tenantId = ?1 and userId = ?2", tenant, userId);
        int n = 0;
        for (Map.Entry<UUID, List<String>> tile : removed.entrySet()) {
            var counts = ReactionEntity.counts(tile.getKey());
            for (String type : tile.getValue()) {
                outbox.append(tenant, SocialUpdate.Kind.REACTION_UPDATED,
                        new SocialUpdate.Reaction(tile.getKey(), counts, ERASED_ID, type, SocialUpdate.Reaction.REMOVED,
                                List.of()), null, null, null);
                n++;
            }
        }
        return n;
    }

    private int deleteComments(String tenant, String userId) {
        List<CommentEntity> deleted = CommentEntity.list("tenantId = ?1 and authorId = ?2", tenant, userId);
        CommentEntity.delete("tenantId = ?1 and authorId = ?2", tenant, userId);
        for (CommentEntity d : deleted) {
            if (d.deletedAt != null) {
                continue; // already announced as deleted and no longer counted
            }
            SocialUpdate.Comment comment = new SocialUpdate.Comment(d.id, d.tileId, ERASED_ID, ERASED_NAME, "",
                    d.createdAt);
            outbox.append(tenant, SocialUpdate.Kind.COMMENT_DELETED,
                    null, new SocialUpdate.CommentChange(d.tileId, comment, CommentEntity.countVisible(d.tileId)), null, null);
        }
        return deleted.size();
    }

    /**
     * Every row of the tenant, in every table with a {@code tenant_id} column (so a table added
     * later is not forgotten): a bulk delete per table, found in the catalog, hence native SQL.
     */
    private void eraseTenant(String tenant) {
        @SuppressWarnings("unchecked")
        List<String> tables = entityManager.createNativeQuery("""
                        SELECT c.table_name::text FROM information_schema.columns c
                        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                        WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
                          AND c.table_name <> 'erasure_applied'
                        ORDER BY c.table_name = 'chat_thread', c.table_name""", String.class)
                .getResultList();
        int rows = 0;
        for (String table : tables) {
            rows += entityManager.createNativeQuery("DELETE FROM \"" + table.replace("\"", "\"\"") + "\" WHERE tenant_id = :tenant")
                    .setParameter("tenant", tenant)
                    .executeUpdate();
        }
        // the bulk deletes bypassed the persistence context: nothing loaded before may be written back
        entityManager.clear();
        LOG.infof("erased tenant %s: %d rows deleted", tenant, rows);
    }
}
