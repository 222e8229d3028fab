-- When a change was appended (at the end of its transaction, just before commit): the relay
-- measures the committed_to_published hop from it. clock_timestamp(), not now(): now() is the
-- start of a transaction that may have run for a whole consumer batch.
ALTER TABLE change_outbox ADD COLUMN appended_at timestamptz NOT NULL DEFAULT clock_timestamp();
