-- Retention (SPEC §6a) deletes, batch by batch, the events no tile shows any more once they are
-- older than the tenant's cut-off, and the read marks of the tiles it deletes.
CREATE INDEX event_tileless_age ON event (tenant_id, occurred_at) WHERE tile_id IS NULL;
CREATE INDEX tile_read_tile ON tile_read (tile_id);
