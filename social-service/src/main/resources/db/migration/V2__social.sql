-- A tile announced as expired by the feed: reactions and comments on it are refused.
ALTER TABLE tile ADD COLUMN removed boolean NOT NULL DEFAULT false;
CREATE INDEX tile_alias_of ON tile (alias_of) WHERE alias_of IS NOT NULL;

-- One reaction per tile, user and type (SPEC §6).
CREATE TABLE reaction (
    tile_id     uuid        NOT NULL,
    user_id     text        NOT NULL,
    type        text        NOT NULL,
    tenant_id   text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tile_id, user_id, type)
);

-- Every new reaction, for the per-user hourly limit. In PostgreSQL so that it holds across replicas.
CREATE TABLE reaction_grant (
    tenant_id   text        NOT NULL,
    user_id     text        NOT NULL,
    granted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reaction_grant_user ON reaction_grant (tenant_id, user_id, granted_at);

CREATE TABLE comment (
    id           uuid PRIMARY KEY,
    tenant_id    text        NOT NULL,
    tile_id      uuid        NOT NULL,
    -- the tile the comment was written on, before any fold moved it to a group
    origin_tile  uuid        NOT NULL,
    author_id    text        NOT NULL,
    author_name  text        NOT NULL,
    body         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    deleted_at   timestamptz
);
CREATE INDEX comment_tile ON comment (tile_id, created_at, id) WHERE deleted_at IS NULL;

CREATE TABLE chat_thread (
    id          uuid PRIMARY KEY,
    tenant_id   text        NOT NULL,
    title       text        NOT NULL,
    tile_id     uuid,
    is_main     boolean     NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_thread_tenant ON chat_thread (tenant_id, created_at, id);
-- One Main thread per tenant, made on first use.
CREATE UNIQUE INDEX chat_thread_main ON chat_thread (tenant_id) WHERE is_main;

CREATE TABLE chat_message (
    id           uuid PRIMARY KEY,
    tenant_id    text        NOT NULL,
    thread_id    uuid REFERENCES chat_thread (id) ON DELETE SET NULL,
    author_id    text        NOT NULL,
    author_name  text        NOT NULL,
    body         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_message_thread ON chat_message (thread_id, created_at, id);
CREATE INDEX chat_message_unthreaded ON chat_message (tenant_id, created_at, id) WHERE thread_id IS NULL;

-- social.updates committed but not yet acknowledged by Kafka; the relay sends them in position order
-- and deletes them after the acknowledgement.
CREATE TABLE outbox (
    position    bigserial PRIMARY KEY,
    id          uuid        NOT NULL UNIQUE,
    tenant_id   text        NOT NULL,
    message     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
