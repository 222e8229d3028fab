-- sort=activity (SPEC §4) walks the tenant's tiles by (latest_at, id), newest first or, backwards,
-- oldest first; a group that grows moves in this index, never in tile_tenant_order.
CREATE INDEX tile_tenant_activity ON tile (tenant_id, latest_at DESC, id DESC);
