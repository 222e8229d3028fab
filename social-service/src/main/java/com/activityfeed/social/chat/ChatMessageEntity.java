package com.activityfeed.social.chat;

import com.activityfeed.messages.SocialUpdate;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A chat message (V2). {@code threadId} is a plain column, not an association: deleting a thread
 * leaves its messages unthreaded through the foreign key's {@code ON DELETE SET NULL}.
 */
@Entity
@Table(name = "chat_message")
public class ChatMessageEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "thread_id")
    public UUID threadId;

    @Column(name = "author_id", nullable = false)
    public String authorId;

    @Column(name = "author_name", nullable = false)
    public String authorName;

    @Column(name = "body", nullable = false)
    public String body;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public SocialUpdate.Message toRecord() {
        return new SocialUpdate.Message(id, threadId, authorId, authorName, body, createdAt);
    }
}
