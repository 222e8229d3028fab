-- feed-service's copy of social state, kept from social.updates, so a tile answers reactions,
-- myReactions and commentCount without calling social-service.
CREATE TABLE tile_social (
    tile_id        uuid PRIMARY KEY,
    tenant_id      text   NOT NULL,
    hype           bigint NOT NULL DEFAULT 0,
    respect        bigint NOT NULL DEFAULT 0,
    tribute        bigint NOT NULL DEFAULT 0,
    comment_count  bigint NOT NULL DEFAULT 0,
    -- change number of the tile's last social change (a tile's seq is the greater of this and its own)
    last_seq       bigint NOT NULL DEFAULT 0
);

-- Each user's reactions, for myReactions and for merging when tiles fold (one per user and type).
CREATE TABLE tile_reaction (
    tile_id    uuid NOT NULL,
    user_id    text NOT NULL,
    type       text NOT NULL,
    tenant_id  text NOT NULL,
    PRIMARY KEY (tile_id, user_id, type)
);
CREATE INDEX tile_reaction_user ON tile_reaction (tenant_id, user_id);

-- social.updates applied, by outbox id: redelivery changes nothing.
CREATE TABLE social_update_applied (
    id          uuid PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
