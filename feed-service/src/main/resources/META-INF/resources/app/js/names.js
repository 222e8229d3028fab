// The names of people and entities this page has seen: tile actors and members, comment and chat
// authors, the reader's own token. The reactions and follows endpoints answer ids only (the feed
// stores who reacted by user id), so an id is shown as a name when the page knows one, else as is.
const people = new Map();
const entities = new Map();
const types = new Map();

const entityKey = (type, id) => `${type}\u0000${id}`;

export const names = {
  person(id) {
    return (id != null && people.get(id)) || id;
  },

  entity(type, id) {
    return entities.get(entityKey(type, id)) || id;
  },

  type(type) {
    return types.get(type) || type;
  },

  learnPerson(id, name) {
    if (id && name && name !== id) people.set(id, name);
  },

  learnEntity(type, id, name) {
    if (type && id && name && name !== id) entities.set(entityKey(type, id), name);
  },

  /** Everyone and everything a tile names: its actor and entity, its first actors, its samples. */
  learnTile(tile) {
    if (!tile) return;
    const actor = a => { if (a) names.learnPerson(a.id, a.name); };
    const entity = e => { if (e) names.learnEntity(e.type, e.id, e.name); };
    if (tile.type && tile.displayName) types.set(tile.type, tile.displayName);
    actor(tile.actor);
    entity(tile.entity);
    for (const a of tile.actors || []) actor(a);
    for (const s of tile.samples || []) { actor(s.actor); entity(s.entity); }
  },
};
