-- Retention (SPEC §6a) finds, batch by batch, the rows created before a tenant's cut-off.
CREATE INDEX comment_created ON comment (created_at);
CREATE INDEX chat_message_created ON chat_message (created_at);
CREATE INDEX reaction_created ON reaction (created_at);
CREATE INDEX chat_thread_updated ON chat_thread (updated_at) WHERE NOT is_main;
CREATE INDEX tile_seen ON tile (seen_at) WHERE removed OR alias_of IS NOT NULL;
