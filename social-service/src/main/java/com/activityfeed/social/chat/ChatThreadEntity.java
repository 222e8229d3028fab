package com.activityfeed.social.chat;

import com.activityfeed.messages.SocialUpdate;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A chat thread of a tenant (V2); one per tenant is {@code Main}. */
@Entity
@Table(name = "chat_thread")
public class ChatThreadEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "title", nullable = false)
    public String title;

    /** The tile it discusses, if any. */
    @Column(name = "tile_id")
    public UUID tileId;

    @Column(name = "is_main", nullable = false)
    public boolean main;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public SocialUpdate.Thread toRecord() {
        return new SocialUpdate.Thread(id, title, tileId, createdAt, updatedAt);
    }
}
