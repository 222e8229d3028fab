package com.activityfeed.social.tiles;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A tile as feed-service announced it (V1, V2); a folded tile is an alias of its group. */
@Entity
@Table(name = "tile")
public class TileEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "kind", nullable = false)
    public String kind;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "actor_ids", nullable = false)
    public List<String> actorIds = new ArrayList<>();

    @Column(name = "alias_of")
    public UUID aliasOf;

    @Column(name = "removed", nullable = false)
    public boolean removed;

    /** Set by the database when the row is first written (retention's clock for removed tiles). */
    @Column(name = "seen_at", nullable = false, insertable = false, updatable = false)
    public Instant seenAt;
}
