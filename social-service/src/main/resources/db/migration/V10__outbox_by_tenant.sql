-- The relay reads the outbox tenant by tenant (interleaved, so one tenant's backlog does not
-- delay another's updates): each tenant's rows in position order.
CREATE INDEX outbox_tenant_position ON outbox (tenant_id, position);
