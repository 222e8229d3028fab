-- Erasure records (SPEC §6a): who asked to erase whom, when, and when each service was done.
-- Never what was erased. user_id is null for a whole tenant's erasure.
CREATE TABLE erasure_request (
    id              uuid PRIMARY KEY,
    tenant_id       text        NOT NULL,
    scope           text        NOT NULL CHECK (scope IN ('user', 'tenant')),
    user_id         text,
    requested_by    text        NOT NULL,
    requested_at    timestamptz NOT NULL,
    -- when Kafka acknowledged the request; null until then (the re-sender keeps trying)
    published_at    timestamptz,
    feed_done_at    timestamptz,
    social_done_at  timestamptz,
    completed_at    timestamptz
);
CREATE INDEX erasure_request_pending ON erasure_request (requested_at) WHERE completed_at IS NULL;
