-- Erasures social-service has done (SPEC §6a): the request id and when, never what was erased.
-- A redelivered request is done again (it finds nothing) and reported again; this row says when
-- it was first done, for the audit.
CREATE TABLE erasure_applied (
    id          uuid PRIMARY KEY,
    tenant_id   text        NOT NULL,
    applied_at  timestamptz NOT NULL
);
