package com.activityfeed.social.chat;

import com.activityfeed.messages.SocialUpdate;
import com.activityfeed.social.outbox.Outbox;
import com.activityfeed.social.paging.Cursor;
import com.activityfeed.social.paging.Page;
import com.activityfeed.social.tiles.TileLookup;
import com.activityfeed.social.tiles.TileProjection;
import com.activityfeed.web.Caller;
import com.activityfeed.web.ProblemException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

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

    private static final String THREAD_COLUMNS = "id, title, tile_id, created_at, updated_at";
    private static final String MESSAGE_COLUMNS = "id, thread_id, author_id, author_name, body, created_at";

    private final AgroalDataSource dataSource;
    private final TileProjection tiles;
    private final Outbox outbox;

    public ChatService(AgroalDataSource dataSource, TileProjection tiles, Outbox outbox) {
        this.dataSource = dataSource;
        this.tiles = tiles;
        this.outbox = outbox;
    }

    @Transactional
    public Page<SocialUpdate.Thread> threads(Caller caller, Cursor after, int limit) {
        try (Connection c = dataSource.getConnection()) {
            outbox.lockTenant(c, caller.tenant());
            main(c, caller.tenant());
            return page(c, "SELECT " + THREAD_COLUMNS + " FROM chat_thread WHERE tenant_id = ?",
                    caller.tenant(), null, after, limit, ChatService::thread, SocialUpdate.Thread::createdAt,
                    SocialUpdate.Thread::id);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list threads", e);
        }
    }

    /** {@code tileId} must already be resolved to a tile social knows (or be null). */
    @Transactional
    public SocialUpdate.Thread createThread(Caller caller, String title, UUID tileId) {
        try (Connection c = dataSource.getConnection()) {
            outbox.lockTenant(c, caller.tenant());
            // Main is made on the tenant's first chat use of any kind, so it is always its oldest thread.
            main(c, caller.tenant());
            UUID discussed = null;
            if (tileId != null) {
                discussed = tiles.lockTarget(c, caller.tenant(), tileId).orElseThrow(TileLookup::notFound).id();
            }
            return insertThread(c, caller.tenant(), title == null ? DEFAULT_TITLE : title, discussed, false);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a thread", e);
        }
    }

    @Transactional
    public SocialUpdate.Thread rename(Caller caller, UUID threadId, String title) {
        try (Connection c = dataSource.getConnection()) {
            outbox.lockTenant(c, caller.tenant());
            SocialUpdate.Thread thread;
            try (PreparedStatement ps = c.prepareStatement("UPDATE chat_thread SET title = ?, updated_at = now() "
                    + "WHERE id = ? AND tenant_id = ? RETURNING " + THREAD_COLUMNS)) {
                ps.setString(1, title);
                ps.setObject(2, threadId);
                ps.setString(3, caller.tenant());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw noThread();
                    }
                    thread = thread(rs);
                }
            }
            outbox.append(c, caller.tenant(), SocialUpdate.Kind.THREAD_UPDATED, null, null, thread, null);
            return thread;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot rename thread " + threadId, e);
        }
    }

    @Transactional
    public void deleteThread(Caller caller, UUID threadId) {
        try (Connection c = dataSource.getConnection()) {
            outbox.lockTenant(c, caller.tenant());
            SocialUpdate.Thread thread;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + THREAD_COLUMNS
                    + ", is_main FROM chat_thread WHERE id = ? AND tenant_id = ? FOR UPDATE")) {
                ps.setObject(1, threadId);
                ps.setString(2, caller.tenant());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw noThread();
                    }
                    if (rs.getBoolean("is_main")) {
                        throw ProblemException.conflict("the Main thread cannot be deleted");
                    }
                    thread = thread(rs);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM chat_thread WHERE id = ?")) {
                ps.setObject(1, threadId);
                ps.executeUpdate();
            }
            outbox.append(c, caller.tenant(), SocialUpdate.Kind.THREAD_DELETED, null, null, thread, null);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete thread " + threadId, e);
        }
    }

    /** Messages of one thread, or of {@code Main} when {@code threadId} is null. */
    @Transactional
    public Page<SocialUpdate.Message> messages(Caller caller, UUID threadId, Cursor after, int limit) {
        try (Connection c = dataSource.getConnection()) {
            UUID thread;
            if (threadId == null) {
                outbox.lockTenant(c, caller.tenant());
                thread = main(c, caller.tenant()).id();
            } else {
                thread = findThread(c, caller.tenant(), threadId).orElseThrow(ChatService::noThread);
            }
            return page(c, "SELECT " + MESSAGE_COLUMNS + " FROM chat_message WHERE tenant_id = ? AND thread_id = ?",
                    caller.tenant(), thread, after, limit, ChatService::message, SocialUpdate.Message::createdAt,
                    SocialUpdate.Message::id);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list messages", e);
        }
    }

    /** Messages whose thread was deleted. */
    @Transactional
    public Page<SocialUpdate.Message> unthreaded(Caller caller, Cursor after, int limit) {
        try (Connection c = dataSource.getConnection()) {
            return page(c, "SELECT " + MESSAGE_COLUMNS + " FROM chat_message WHERE tenant_id = ? AND thread_id IS NULL",
                    caller.tenant(), null, after, limit, ChatService::message, SocialUpdate.Message::createdAt,
                    SocialUpdate.Message::id);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list unthreaded messages", e);
        }
    }

    /** Posts to a thread, or to {@code Main} when {@code threadId} is null. */
    @Transactional
    public SocialUpdate.Message post(Caller caller, UUID threadId, String body) {
        try (Connection c = dataSource.getConnection()) {
            outbox.lockTenant(c, caller.tenant());
            UUID thread = threadId == null ? main(c, caller.tenant()).id()
                    : findThread(c, caller.tenant(), threadId).orElseThrow(ChatService::noThread);
            SocialUpdate.Message message = new SocialUpdate.Message(UUID.randomUUID(), thread, caller.userId(),
                    caller.name(), body, Instant.now().truncatedTo(ChronoUnit.MICROS));
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO chat_message (id, tenant_id, thread_id, author_id, author_name, body, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setObject(1, message.id());
                ps.setString(2, caller.tenant());
                ps.setObject(3, thread);
                ps.setString(4, message.authorId());
                ps.setString(5, message.authorName());
                ps.setString(6, body);
                ps.setTimestamp(7, Timestamp.from(message.createdAt()));
                ps.executeUpdate();
            }
            outbox.append(c, caller.tenant(), SocialUpdate.Kind.MESSAGE_CREATED, null, null, null, message);
            return message;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot post a message", e);
        }
    }

    /** The tenant's Main thread, made (and announced) on first use; the caller holds the tenant lock. */
    private SocialUpdate.Thread main(Connection c, String tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + THREAD_COLUMNS
                + " FROM chat_thread WHERE tenant_id = ? AND is_main")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return thread(rs);
                }
            }
        }
        return insertThread(c, tenant, MAIN_TITLE, null, true);
    }

    private SocialUpdate.Thread insertThread(Connection c, String tenant, String title, UUID tileId, boolean main)
            throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        SocialUpdate.Thread thread = new SocialUpdate.Thread(UUID.randomUUID(), title, tileId, now, now);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO chat_thread (id, tenant_id, title, tile_id, is_main, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setObject(1, thread.id());
            ps.setString(2, tenant);
            ps.setString(3, title);
            ps.setObject(4, tileId);
            ps.setBoolean(5, main);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.executeUpdate();
        }
        outbox.append(c, tenant, SocialUpdate.Kind.THREAD_CREATED, null, null, thread, null);
        return thread;
    }

    private static Optional<UUID> findThread(Connection c, String tenant, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM chat_thread WHERE id = ? AND tenant_id = ?")) {
            ps.setObject(1, id);
            ps.setString(2, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** One page of a (created_at, id) ordered query; {@code thread}, when set, is the second parameter. */
    private static <T> Page<T> page(Connection c, String select, String tenant, UUID thread, Cursor after, int limit,
                                    RowMapper<T> mapper, Function<T, Instant> createdAt, Function<T, UUID> id)
            throws SQLException {
        List<T> items = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select
                + " AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?")) {
            int i = 1;
            ps.setString(i++, tenant);
            if (thread != null) {
                ps.setObject(i++, thread);
            }
            ps.setTimestamp(i++, after == null ? Timestamp.from(Instant.EPOCH) : after.timestamp());
            ps.setObject(i++, after == null ? new UUID(Long.MIN_VALUE, Long.MIN_VALUE) : after.id());
            ps.setInt(i, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(mapper.map(rs));
                }
            }
        }
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            T last = items.get(limit - 1);
            next = new Cursor(createdAt.apply(last), id.apply(last)).encode();
        }
        return new Page<>(List.copyOf(items), next);
    }

    private static SocialUpdate.Thread thread(ResultSet rs) throws SQLException {
        return new SocialUpdate.Thread(rs.getObject("id", UUID.class), rs.getString("title"),
                rs.getObject("tile_id", UUID.class), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static SocialUpdate.Message message(ResultSet rs) throws SQLException {
        return new SocialUpdate.Message(rs.getObject("id", UUID.class), rs.getObject("thread_id", UUID.class),
                rs.getString("author_id"), rs.getString("author_name"), rs.getString("body"),
                rs.getTimestamp("created_at").toInstant());
    }

    static ProblemException noThread() {
        return ProblemException.notFound("no such thread");
    }
}
