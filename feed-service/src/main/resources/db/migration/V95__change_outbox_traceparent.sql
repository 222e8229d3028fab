-- The W3C trace context of the span that wrote the change (null: none), so the relay's send to
-- feed.changes continues the event's trace (OpenTelemetry). Only the outbox holds it: it is needed
-- until the row is relayed, never when the log is replayed.
ALTER TABLE change_outbox ADD COLUMN traceparent text;
