-- The per-tenant change log (SPEC §1): every change a client can see gets the tenant's next
-- sequence number in the same transaction as the change. The row lock on tenant_seq serialises
-- a tenant's writers until commit, so sequence order is commit order.
CREATE TABLE tenant_seq (
    tenant_id  text PRIMARY KEY,
    last_seq   bigint NOT NULL
);

CREATE TABLE change_log (
    tenant_id   text        NOT NULL,
    seq         bigint      NOT NULL,
    event       text        NOT NULL,
    tile_id     uuid,
    types       text[]      NOT NULL DEFAULT '{}',
    -- the FeedChange record exactly as relayed on feed.changes and replayed on resume
    message     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX change_log_created ON change_log (created_at);

-- Changes committed but not yet acknowledged by Kafka; the relay sends them in order and deletes them.
CREATE TABLE change_outbox (
    tenant_id  text   NOT NULL,
    seq        bigint NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
