-- Tiles as feed-service announces them on feed.changes: enough to check a reaction or comment target.
CREATE TABLE tile (
    id          uuid PRIMARY KEY,
    tenant_id   text        NOT NULL,
    kind        text        NOT NULL,
    actor_ids   text[]      NOT NULL DEFAULT '{}',
    alias_of    uuid,
    seen_at     timestamptz NOT NULL DEFAULT now()
);
