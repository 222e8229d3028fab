-- Raw, append-only event log: every consumed event once, never changed (seed 002).
-- pos is the arrival order: a tenant's events are inserted under its tenant_seq row lock, so
-- within a tenant pos order is commit order and polling by pos misses nothing.
CREATE TABLE event (
    pos          bigserial   NOT NULL UNIQUE,
    id           uuid PRIMARY KEY,
    tenant_id    text        NOT NULL,
    type         text        NOT NULL,
    source       text        NOT NULL,
    priority     text        NOT NULL,
    actor_id     text,
    actor_name   text,
    entity_type  text,
    entity_id    text,
    entity_name  text,
    tags         text[]      NOT NULL DEFAULT '{}',
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    stored_at    timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    -- the tile the event is shown in now (its own, or its group); null once expired
    tile_id      uuid,
    expired      boolean     NOT NULL DEFAULT false,
    body         jsonb       NOT NULL
);
CREATE INDEX event_tenant_arrival ON event (tenant_id, pos);
CREATE INDEX event_entity_timeline ON event (tenant_id, entity_type, entity_id, occurred_at, id);
CREATE INDEX event_tile ON event (tile_id);
CREATE INDEX event_expiry ON event (expires_at) WHERE expires_at IS NOT NULL AND NOT expired;

-- What a person sees: one event (single) or a group. Columns hold what the feed filters on;
-- the member arrays let a group match an actorId, entity or tag filter on any member.
CREATE TABLE tile (
    id            uuid PRIMARY KEY,
    tenant_id     text        NOT NULL,
    kind          text        NOT NULL,
    type          text        NOT NULL,
    source        text        NOT NULL,
    priority      text        NOT NULL,
    occurred_at   timestamptz NOT NULL,
    latest_at     timestamptz NOT NULL,
    count         integer     NOT NULL,
    tags          text[]      NOT NULL DEFAULT '{}',
    actor_ids     text[]      NOT NULL DEFAULT '{}',
    entity_types  text[]      NOT NULL DEFAULT '{}',
    entity_ids    text[]      NOT NULL DEFAULT '{}',
    expires_at    timestamptz,
    -- change number of the tile's creation or last growth (read state compares with it)
    content_seq   bigint      NOT NULL,
    -- change number of the tile's own last change (created, updated)
    last_seq      bigint      NOT NULL,
    -- the tile JSON without reactions, myReactions, commentCount, read, seq, contentSeq
    body          jsonb       NOT NULL
);
CREATE INDEX tile_tenant_order ON tile (tenant_id, occurred_at DESC, id DESC);
CREATE INDEX tile_tenant_content_seq ON tile (tenant_id, content_seq);
