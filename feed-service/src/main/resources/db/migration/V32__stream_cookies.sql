-- Stream cookies (SPEC §2): the ticket endpoint also sets a cookie scoped to the stream's path,
-- so a standard EventSource's own reconnect (same URL, used ticket, Last-Event-ID) is accepted by
-- any replica. Reusable until the token it was traded for expires; only a hash is stored.
CREATE TABLE stream_cookie (
    cookie_hash  bytea       PRIMARY KEY,
    tenant_id    text        NOT NULL,
    user_id      text        NOT NULL,
    user_name    text        NOT NULL,
    roles        text[]      NOT NULL,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX stream_cookie_expires ON stream_cookie (expires_at);
CREATE INDEX stream_cookie_user ON stream_cookie (tenant_id, user_id);
