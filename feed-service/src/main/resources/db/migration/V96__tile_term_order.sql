-- Every term of every tile in the feed's order (SPEC §8 P4): one row per (term, tile), keyed by
-- the term and then the tile's position (occurred_at, id), so a filter with one term that must hold
-- (one actor, one entity, one tag, one type, ...) is an ordered walk of that term's tiles alone: a
-- page of an actor who made one tile in 500 reads about twenty rows here, where the tenant's order
-- (tile_tenant_order) walks thousands and the GIN index (tile_terms) fetches all the actor's tiles to
-- sort them. The term carries the tenant (migration V70), so the walk never leaves it.
--
-- Kept by the triggers below from tile.terms (itself generated), so every writer of tiles (ingest,
-- fold, expiry, rebuild, erasure, retention) keeps it exact without knowing it exists. Row triggers:
-- an update fires only when the tile's terms or position changed (most growths change neither), and
-- writes only the difference. (Statement triggers with transition tables copied every updated tile,
-- body included, on every upsert: the consumer stored 20-25 % fewer events per second with them.)
-- A tile's position never moves (a group keeps its first member's), but a change of it is handled.
-- Only the feed's own order is kept here: sort=activity's order moves with every group that grows.
CREATE TABLE tile_term (
    term        text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    tile_id     uuid        NOT NULL,
    CONSTRAINT tile_term_pkey PRIMARY KEY (term, occurred_at, tile_id)
);

-- The terms of a tile that this table keeps: all but the entity pairs ('e', the product of a
-- group's entity types and ids, the kind that grows fastest with a group); an entity filter walks
-- its entity id ('ei') and checks the pair on each tile.
CREATE FUNCTION tile_term_kept(terms text[]) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT x FROM unnest(terms) x WHERE split_part(x, chr(31), 2) <> 'e'
$$;

CREATE FUNCTION tile_term_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tile_term (term, occurred_at, tile_id)
    SELECT DISTINCT x, NEW.occurred_at, NEW.id FROM tile_term_kept(NEW.terms) x
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- Only the terms that differ. A group grows by appending its new members' values to its sets
-- (tags, actors, entity types and ids keep their first-seen order), so in the common case the new
-- terms are those of the sets' tails, spelled by feed_tile_terms itself: a few rows, whatever the
-- group's size. Any other change (a set that lost or reordered values, a new type, source,
-- priority or position) compares all terms, by hashing. The trigger's WHEN skips a group that grew
-- without a new term.
CREATE FUNCTION tile_term_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.occurred_at = NEW.occurred_at AND OLD.type = NEW.type AND OLD.source = NEW.source
            AND OLD.priority = NEW.priority
            AND coalesce(NEW.tags[1:cardinality(OLD.tags)] = OLD.tags, false)
            AND coalesce(NEW.actor_ids[1:cardinality(OLD.actor_ids)] = OLD.actor_ids, false)
            AND coalesce(NEW.entity_types[1:cardinality(OLD.entity_types)] = OLD.entity_types, false)
            AND coalesce(NEW.entity_ids[1:cardinality(OLD.entity_ids)] = OLD.entity_ids, false) THEN
        INSERT INTO tile_term (term, occurred_at, tile_id)
        SELECT DISTINCT x, NEW.occurred_at, NEW.id
        FROM tile_term_kept(feed_tile_terms(NEW.tenant_id, NEW.type, NEW.source, NEW.priority,
                NEW.tags[cardinality(OLD.tags) + 1:], NEW.actor_ids[cardinality(OLD.actor_ids) + 1:],
                NEW.entity_types[cardinality(OLD.entity_types) + 1:],
                NEW.entity_ids[cardinality(OLD.entity_ids) + 1:])) x
        WHERE split_part(x, chr(31), 2) NOT IN ('t', 's', 'p')
        ON CONFLICT DO NOTHING;
    ELSIF OLD.occurred_at IS DISTINCT FROM NEW.occurred_at THEN
        DELETE FROM tile_term WHERE term IN (SELECT tile_term_kept(OLD.terms))
            AND occurred_at = OLD.occurred_at AND tile_id = OLD.id;
        INSERT INTO tile_term (term, occurred_at, tile_id)
        SELECT DISTINCT x, NEW.occurred_at, NEW.id FROM tile_term_kept(NEW.terms) x
        ON CONFLICT DO NOTHING;
    ELSE
        DELETE FROM tile_term WHERE term IN (SELECT tile_term_kept(OLD.terms) EXCEPT SELECT tile_term_kept(NEW.terms))
            AND occurred_at = OLD.occurred_at AND tile_id = OLD.id;
        INSERT INTO tile_term (term, occurred_at, tile_id)
        SELECT x, NEW.occurred_at, NEW.id FROM (SELECT tile_term_kept(NEW.terms) EXCEPT SELECT tile_term_kept(OLD.terms)) d(x)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION tile_term_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tile_term WHERE term IN (SELECT tile_term_kept(OLD.terms))
        AND occurred_at = OLD.occurred_at AND tile_id = OLD.id;
    RETURN NULL;
END $$;

CREATE TRIGGER tile_term_insert AFTER INSERT ON tile FOR EACH ROW EXECUTE FUNCTION tile_term_inserted();
CREATE TRIGGER tile_term_update AFTER UPDATE ON tile FOR EACH ROW
    WHEN (OLD.terms IS DISTINCT FROM NEW.terms OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at)
    EXECUTE FUNCTION tile_term_updated();
CREATE TRIGGER tile_term_delete AFTER DELETE ON tile FOR EACH ROW EXECUTE FUNCTION tile_term_deleted();

-- The tiles already stored, after the triggers: creating them locked tile against writes until this
-- migration commits, so no tile written by a replica still running the previous version can fall
-- between this read and the triggers (its write waits, then fires them). On a large feed, writers
-- wait for this statement: about two minutes per million tiles on the benchmark machine
-- (docs/operations.md, Upgrade).
INSERT INTO tile_term (term, occurred_at, tile_id)
SELECT DISTINCT x, t.occurred_at, t.id FROM tile t, tile_term_kept(t.terms) x;
