-- Raw, append-only event log: every consumed event once, never changed.
CREATE TABLE event (
    id           uuid PRIMARY KEY,
    tenant_id    text        NOT NULL,
    type         text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    stored_at    timestamptz NOT NULL DEFAULT now(),
    body         jsonb       NOT NULL
);
CREATE INDEX event_tenant_arrival ON event (tenant_id, stored_at, id);

-- What a person sees: one event (single) or a group.
CREATE TABLE tile (
    id           uuid PRIMARY KEY,
    tenant_id    text        NOT NULL,
    kind         text        NOT NULL,
    type         text        NOT NULL,
    occurred_at  timestamptz NOT NULL,
    latest_at    timestamptz NOT NULL,
    count        integer     NOT NULL,
    body         jsonb       NOT NULL
);
CREATE INDEX tile_tenant_order ON tile (tenant_id, occurred_at DESC, id DESC);
