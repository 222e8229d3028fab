-- Following (SPEC §4a) and reads that stay fast for every filter (SPEC §8 P4).
--
-- Every filterable value of a tile becomes one "term": tenant, kind and value joined by the unit
-- separator (U+001F, which no identifier may hold), e.g. 'acme␟a␟ada' for actor ada. Kinds:
-- t type, s source, p priority, g tag, a actor, et entity type, ei entity id, e entity (type␟id).
-- A follow is stored as the same term, so "tiles I follow" is "tiles whose terms overlap the
-- user's follow terms", and another tenant's actor or entity can never match (the tenant is part
-- of every term). The function is the only place the SQL side spells terms; FollowTarget and
-- FilterTerms spell them in Java.
CREATE FUNCTION feed_tile_terms(tenant text, type text, source text, priority text, tags text[],
                                actor_ids text[], entity_types text[], entity_ids text[])
    RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY[tenant || chr(31) || 't' || chr(31) || type,
                 tenant || chr(31) || 's' || chr(31) || source,
                 tenant || chr(31) || 'p' || chr(31) || priority]
        || ARRAY(SELECT tenant || chr(31) || 'g' || chr(31) || x FROM unnest(tags) x)
        || ARRAY(SELECT tenant || chr(31) || 'a' || chr(31) || x FROM unnest(actor_ids) x)
        || ARRAY(SELECT tenant || chr(31) || 'et' || chr(31) || x FROM unnest(entity_types) x)
        || ARRAY(SELECT tenant || chr(31) || 'ei' || chr(31) || x FROM unnest(entity_ids) x)
        -- a tile keeps its members' entity types and ids as two sets, so the pairs are their
        -- product: exact for single tiles and for groups of one entity type (the common case)
        || ARRAY(SELECT tenant || chr(31) || 'e' || chr(31) || et || chr(31) || ei
                 FROM unnest(entity_types) et, unnest(entity_ids) ei)
$$;

-- Generated, so every writer of tile (ingest, fold, expiry, rebuild) keeps it exact without a
-- line of code, and the tenant's feed can be filtered by one GIN index on any combination.
ALTER TABLE tile ADD COLUMN terms text[] NOT NULL
    GENERATED ALWAYS AS (feed_tile_terms(tenant_id, type, source, priority, tags, actor_ids, entity_types,
                                         entity_ids)) STORED;
CREATE INDEX tile_terms ON tile USING gin (terms);
-- sort=activity walks this one, as the default order walks tile_tenant_order
CREATE INDEX IF NOT EXISTS tile_tenant_activity ON tile (tenant_id, latest_at DESC, id DESC);

-- One row per follow. term is the target spelled as tile terms; the target's parts are kept
-- for the API.
CREATE TABLE follow (
    id           uuid        PRIMARY KEY,
    tenant_id    text        NOT NULL,
    user_id      text        NOT NULL,
    kind         text        NOT NULL CHECK (kind IN ('actor', 'entity', 'type')),
    actor_id     text,
    entity_type  text,
    entity_id    text,
    type         text,
    term         text        NOT NULL,
    origin       text        NOT NULL CHECK (origin IN ('manual', 'participating')),
    created_at   timestamptz NOT NULL,
    CONSTRAINT follow_user_term UNIQUE (tenant_id, user_id, term)
);
-- the follows list, newest first, keyset-paged
CREATE INDEX follow_user_created ON follow (tenant_id, user_id, created_at DESC, id DESC);
-- "followers": how many users of the tenant follow a term
CREATE INDEX follow_term ON follow (tenant_id, term);

-- An explicit unfollow (a DELETE) is remembered, so participating never follows it again.
CREATE TABLE follow_unfollowed (
    tenant_id       text        NOT NULL,
    user_id         text        NOT NULL,
    term            text        NOT NULL,
    unfollowed_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id, term)
);

-- One row per user who ever followed: locked by every change of the user's follows (so the
-- 5 000 limit holds under concurrent requests and replicas), and its changed_at is what every
-- replica polls to reload the follows of its open following=true streams.
CREATE TABLE follow_owner (
    tenant_id   text        NOT NULL,
    user_id     text        NOT NULL,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX follow_owner_changed ON follow_owner (changed_at);
