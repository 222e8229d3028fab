-- One-time stream tickets (SPEC §2): EventSource cannot send headers, so a client trades its
-- bearer token for a ticket any replica accepts once. Only a hash of the ticket is stored.
CREATE TABLE stream_ticket (
    ticket_hash  bytea       PRIMARY KEY,
    tenant_id    text        NOT NULL,
    user_id      text        NOT NULL,
    user_name    text        NOT NULL,
    roles        text[]      NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX stream_ticket_expires ON stream_ticket (expires_at);
