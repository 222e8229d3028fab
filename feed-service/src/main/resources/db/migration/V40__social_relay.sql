-- The feed core owns tile_alias (V4). It is declared here too, IF NOT EXISTS, so that the social
-- relay's alias resolution works on any build order; after V4 this statement does nothing.
CREATE TABLE IF NOT EXISTS tile_alias (
    alias_id   uuid PRIMARY KEY,
    tenant_id  text NOT NULL,
    group_id   uuid NOT NULL
);

-- Reaction counts are recounted per tile on every update.
CREATE INDEX IF NOT EXISTS tile_reaction_tile_type ON tile_reaction (tile_id, type);
