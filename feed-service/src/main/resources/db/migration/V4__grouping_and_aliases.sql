-- Folded tile ids (and every group member's event id) stay aliases of their group.
CREATE TABLE tile_alias (
    alias_id   uuid PRIMARY KEY,
    tenant_id  text NOT NULL,
    group_id   uuid NOT NULL
);
CREATE INDEX tile_alias_group ON tile_alias (group_id);

-- The grouping engine's state: each tenant and key's newest window. Kept here so that a
-- restarted or another replica continues exactly where the last one stopped.
CREATE TABLE grouping_window (
    tenant_id  text        NOT NULL,
    key        text        NOT NULL,
    start_at   timestamptz NOT NULL,
    end_at     timestamptz NOT NULL,
    count      integer     NOT NULL,
    singles    uuid[]      NOT NULL DEFAULT '{}',
    group_id   uuid,
    PRIMARY KEY (tenant_id, key)
);

-- Per-user read state: a watermark plus per-tile reads above it, both compared with content_seq.
CREATE TABLE read_watermark (
    tenant_id  text   NOT NULL,
    user_id    text   NOT NULL,
    seq        bigint NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE TABLE tile_read (
    tenant_id    text   NOT NULL,
    user_id      text   NOT NULL,
    tile_id      uuid   NOT NULL,
    content_seq  bigint NOT NULL,
    PRIMARY KEY (tenant_id, user_id, tile_id)
);
