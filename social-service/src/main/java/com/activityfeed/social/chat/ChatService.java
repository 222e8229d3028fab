package com.activityfeed.social.chat;

import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.outbox.Outbox;
import com.activityfeed.social.paging.Cursor;
import com.activityfeed.social.paging.Page;
import com.activityfeed.social.tiles.TileLookup;
import com.activityfeed.social.tiles.TileProjection;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Chat threads and messages per tenant. Each tenant has a {@code Main} thread, made on first use,
 * that takes messages posted without a thread and cannot be deleted. Deleting another thread keeps
 * its messages, unthreaded (the foreign key sets {@code thread_id} to null).
 */
@ApplicationScoped
public class ChatService {
    public static final int MAX_TITLE = 120;
    public static final int MAX_BODY = 2000;
    public static final String DEFAULT_TITLE = "New thread";
    public static final String MAIN_TITLE = "Main";

    private static final String PAGE_ORDER = " and " + Cursor.AFTER + " order by createdAt, id";

    private final TileProjection tiles;
    private final Outbox outbox;

    public ChatService(TileProjection tiles, Outbox outbox) {
        this.tiles = tiles;
        this.outbox = outbox;
    }

    @Transactional
    public Page<SocialUpdate.Thread> threads(Caller caller, Cursor after, int limit) {
        outbox.lockTenant(caller.tenant());
        main(caller.tenant());
        Cursor from = Cursor.orStart(after);
        return Page.of(ChatThreadEntity.<ChatThreadEntity>find("tenantId = :tenant" + PAGE_ORDER,
                                Parameters.with("tenant", caller.tenant())
                                        .and("afterAt", from.createdAt()).and("afterId", from.id()))
                        .range(0, limit).list(),
                limit, ChatThreadEntity::toRecord, t -> new Cursor(t.createdAt, t.id));
    }

    /** {@code tileId} must already be resolved to a tile social knows (or be null). */
    @Transactional
    public SocialUpdate.Thread createThread(Caller caller, String title, UUID tileId) {
        outbox.lockTenant(caller.tenant());
        // Main is made on the tenant's first chat use of any kind, so it is always its oldest thread.
        main(caller.tenant());
        UUID discussed = null;
        if (tileId != null) {
            discussed = tiles.lockTarget(caller.tenant(), tileId).orElseThrow(TileLookup::notFound).id();
        }
        return insertThread(caller.tenant(), title == null ? DEFAULT_TITLE : title, discussed, false).toRecord();
    }

    @Transactional
    public SocialUpdate.Thread rename(Caller caller, UUID threadId, String title) {
        outbox.lockTenant(caller.tenant());
        ChatThreadEntity thread = lockThread(caller.tenant(), threadId);
        thread.title = title;
        thread.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        SocialUpdate.Thread renamed = thread.toRecord();
        outbox.append(caller.tenant(), SocialUpdate.Kind.THREAD_UPDATED, null, null, renamed, null);
        return renamed;
    }

    @Transactional
    public void deleteThread(Caller caller, UUID threadId) {
        outbox.lockTenant(caller.tenant());
        ChatThreadEntity thread = lockThread(caller.tenant(), threadId);
        if (thread.main) {
            throw ProblemException.conflict("the Main thread cannot be deleted");
        }
        SocialUpdate.Thread deleted = thread.toRecord();
        thread.delete();
        outbox.append(caller.tenant(), SocialUpdate.Kind.THREAD_DELETED, null, null, deleted, null);
    }

    /** Messages of one thread, or of {@code Main} when {@code threadId} is null. */
    @Transactional
    public Page<SocialUpdate.Message> messages(Caller caller, UUID threadId, Cursor after, int limit) {
        UUID thread;
        if (threadId == null) {
            outbox.lockTenant(caller.tenant());
            thread = main(caller.tenant()).id;
        } else {
            thread = findThread(caller.tenant(), threadId).id;
        }
        Cursor from = Cursor.orStart(after);
        return Page.of(ChatMessageEntity.<ChatMessageEntity>find("tenantId = :tenant and threadId = :thread" + PAGE_ORDER,
                                Parameters.with("tenant", caller.tenant()).and("thread", thread)
                                        .and("afterAt", from.createdAt()).and("afterId", from.id()))
                        .range(0, limit).list(),
                limit, ChatMessageEntity::toRecord, m -> new Cursor(m.createdAt, m.id));
    }

    /** Messages whose thread was deleted. */
    @Transactional
    public Page<SocialUpdate.Message> unthreaded(Caller caller, Cursor after, int limit) {
        Cursor from = Cursor.orStart(after);
        return Page.of(ChatMessageEntity.<ChatMessageEntity>find("tenantId = :tenant and threadId is null" + PAGE_ORDER,
                                Parameters.with("tenant", caller.tenant())
                                        .and("afterAt", from.createdAt()).and("afterId", from.id()))
                        .range(0, limit).list(),
                limit, ChatMessageEntity::toRecord, m -> new Cursor(m.createdAt, m.id));
    }

    /** Posts to a thread, or to {@code Main} when {@code threadId} is null. */
    @Transactional
    public SocialUpdate.Message post(Caller caller, UUID threadId, String body) {
        outbox.lockTenant(caller.tenant());
        UUID thread = threadId == null ? main(caller.tenant()).id : findThread(caller.tenant(), threadId).id;
        ChatMessageEntity message = new ChatMessageEntity();
        message.id = UUID.randomUUID();
        message.tenantId = caller.tenant();
        message.threadId = thread;
        message.authorId = caller.userId();
        message.authorName = caller.name();
        message.body = body;
        message.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        message.persist();
        SocialUpdate.Message posted = message.toRecord();
        outbox.append(caller.tenant(), SocialUpdate.Kind.MESSAGE_CREATED, null, null, null, posted);
        return posted;
    }

    /** The tenant's Main thread, made (and announced) on first use; the caller holds the tenant lock. */
    private ChatThreadEntity main(String tenant) {
        return ChatThreadEntity.<ChatThreadEntity>find("tenantId = ?1 and main = true", tenant)
                .firstResultOptional()
                .orElseGet(() -> insertThread(tenant, MAIN_TITLE, null, true));
    }

    private ChatThreadEntity insertThread(String tenant, String title, UUID tileId, boolean main) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ChatThreadEntity thread = new ChatThreadEntity();
        thread.id = UUID.randomUUID();
        thread.tenantId = tenant;
        thread.title = title;
        thread.tileId = tileId;
        thread.main = main;
        thread.createdAt = now;
        thread.updatedAt = now;
        thread.persist();
        outbox.append(tenant, SocialUpdate.Kind.THREAD_CREATED, null, null, thread.toRecord(), null);
        return thread;
    }

    private static ChatThreadEntity findThread(String tenant, UUID id) {
        return ChatThreadEntity.<ChatThreadEntity>find("id = ?1 and tenantId = ?2", id, tenant)
                .firstResultOptional()
                .orElseThrow(ChatService::noThread);
    }

    private static ChatThreadEntity lockThread(String tenant, UUID id) {
        return ChatThreadEntity.<ChatThreadEntity>find("id = ?1 and tenantId = ?2", id, tenant)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional()
                .orElseThrow(ChatService::noThread);
    }

    static ProblemException noThread() {
        return ProblemException.notFound("no such thread");
    }
}
