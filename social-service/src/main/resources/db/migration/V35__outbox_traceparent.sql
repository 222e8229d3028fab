-- The W3C trace context of the request that wrote the update (null: none), so the relay's send to
-- social.updates continues the request's trace (OpenTelemetry).
ALTER TABLE outbox ADD COLUMN traceparent text;
