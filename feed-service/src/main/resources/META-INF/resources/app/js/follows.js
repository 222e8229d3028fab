import { api, query } from './api.js';

const PAGE = 500;
const MAX_PAGES = 10; // SPEC §4a: at most 5 000 follows per user

/** The API path of a follow target (SPEC §4): actors, entities or types. */
export function followPath(target) {
  const e = encodeURIComponent;
  if (target.kind === 'actor') return `/api/v1/feed/follows/actors/${e(target.actorId)}`;
  if (target.kind === 'entity') return `/api/v1/feed/follows/entities/${e(target.entityType)}/${e(target.entityId)}`;
  return `/api/v1/feed/follows/types/${e(target.type)}`;
}

/** One string per target, the same for a tile's target and a row of the follows list. */
export function followKey(target) {
  if (target.kind === 'actor') return `actor:${target.actorId}`;
  if (target.kind === 'entity') return `entity:${target.entityType}\u001f${target.entityId}`;
  return `type:${target.type}`;
}

/**
 * The reader's follows (GET /api/v1/feed/follows, every page), the one copy both feed views and
 * the follows list read. follow() and unfollow() show the change at once and roll back if the
 * service refuses; every change is told to the listeners. settledKeys() is what the service holds
 * as far as this page knows (a follow or unfollow counts once the service answered), for the
 * reads that must see it: the Following view and its count.
 */
export class Follows {
  constructor() {
    this.items = new Map(); // key -> follow as the API answers it
    this.listeners = [];
    this.loaded = false;
    this.reloadTimer = null;
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  emit() {
    for (const listener of this.listeners) listener(this);
  }

  has(target) {
    const item = this.items.get(followKey(target));
    return !!item && !item.removing;
  }

  /** The follows shown: without those on their way out, with those on their way in (`pending`). */
  list() {
    return [...this.items.values()].filter(f => !f.removing);
  }

  settledKeys() {
    return [...this.items.entries()].filter(([, f]) => !f.pending).map(([key]) => key).sort();
  }

  async load() {
    const items = new Map();
    let cursor = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = await api('GET', `/api/v1/feed/follows${query({ limit: PAGE, cursor })}`);
      for (const item of (answer && answer.items) || []) items.set(followKey(item), item);
      cursor = answer && answer.nextCursor;
      if (!cursor) break;
    }
    const changed = !this.loaded || items.size !== this.items.size || [...items.keys()].some(k => !this.items.has(k));
    this.items = items;
    this.loaded = true;
    if (changed) this.emit();
    return changed;
  }

  /**
   * Reacting or commenting makes the reader follow the tile's entity (SPEC §4a, origin
   * participating), written by the feed when social's update reaches it: read the list again shortly.
   */
  reloadSoon(delayMs = 2000) {
    const at = Date.now() + delayMs;
    if (this.reloadTimer && this.reloadAt <= at) return; // one sooner is planned already
    clearTimeout(this.reloadTimer);
    this.reloadAt = at;
    this.reloadTimer = setTimeout(() => { this.reloadTimer = null; this.load().catch(() => {}); }, delayMs);
  }

  async follow(target) {
    const key = followKey(target);
    if (this.has(target)) return this.items.get(key);
    const { name, ...plain } = target;
    this.items.set(key, { ...plain, origin: 'manual', pending: true });
    this.emit();
    try {
      const answer = await api('PUT', followPath(target));
      this.items.set(key, answer || { ...plain, origin: 'manual' });
      this.emit();
      return answer;
    } catch (e) {
      this.items.delete(key);
      this.emit();
      throw e;
    }
  }

  async unfollow(target) {
    const key = followKey(target);
    const before = this.items.get(key);
    if (before) this.items.set(key, { ...before, removing: true });
    this.emit();
    try {
      await api('DELETE', followPath(target));
      if (this.items.get(key) && this.items.get(key).removing) this.items.delete(key);
      this.emit();
    } catch (e) {
      if (before) this.items.set(key, before);
      else this.items.delete(key);
      this.emit();
      throw e;
    }
  }

  toggle(target) {
    return this.has(target) ? this.unfollow(target) : this.follow(target);
  }
}
