import { api, query, ApiError } from './api.js';
import { h, clear, toast } from './dom.js';
import { renderTile, compareTiles } from './tiles.js';

const PAGE = 20;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];

/** The feed: first page, infinite scroll over the cursor, filters, and live changes in place. */
export class FeedView {
  constructor({ root, me, onUnread, onComments }) {
    this.root = root;
    this.me = me;
    this.onUnread = onUnread;
    this.onComments = onComments;
    this.tiles = new Map();       // id -> tile, drawn in the list
    this.pending = new Map();     // id -> tile, arrived while scrolled down
    this.expanded = new Set();
    this.aliases = new Map();     // folded id -> group id
    this.filters = { types: new Set(), priority: new Set(), unread: false };
    this.cursor = null;
    this.loading = false;
    this.generation = 0;
    this.firstDrawn = false;
    this.build();
  }

  build() {
    this.chips = h('div', { class: 'chips', role: 'group', 'aria-label': 'Filters' });
    this.pill = h('button', { type: 'button', class: 'new-pill', hidden: true, onclick: () => this.showPending() });
    this.list = h('div', { class: 'tiles', role: 'feed', 'aria-busy': 'false', 'aria-label': 'Activity feed' });
    this.empty = h('p', { class: 'empty', hidden: true }, 'Nothing here yet.');
    this.sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
    this.more = h('button', { type: 'button', class: 'load-more', hidden: true, onclick: () => this.loadMore() }, 'Load more');
    clear(this.root).append(this.chips, this.pill, this.list, this.empty, this.sentinel, this.more);
    this.observer = new IntersectionObserver(entries => {
      if (entries.some(e => e.isIntersecting)) this.loadMore();
    }, { rootMargin: '600px' });
    this.observer.observe(this.sentinel);
    window.addEventListener('scroll', () => { if (window.scrollY < 80 && this.pending.size) this.showPending(); }, { passive: true });
    this.renderChips([]);
  }

  async loadTypes() {
    try {
      const catalog = await api('GET', '/api/v1/feed/types');
      const items = Array.isArray(catalog) ? catalog : (catalog && (catalog.items || catalog.types)) || [];
      this.renderChips(items.map(t => ({ type: t.type || t.id || t.name, name: t.displayName || t.type })).filter(t => t.type));
    } catch {
      // The chips for types are a convenience; the feed works without the catalog.
    }
  }

  renderChips(types) {
    const chip = (label, pressed, onclick, extra = {}) =>
      h('button', { type: 'button', class: 'chip', 'aria-pressed': String(pressed), onclick, ...extra }, label);
    clear(this.chips).append(
      ...types.map(t => chip(t.name, this.filters.types.has(t.type), () => this.toggle('types', t.type), { dataset: { type: t.type } })),
      ...PRIORITIES.map(p => chip(p, this.filters.priority.has(p), () => this.toggle('priority', p), { dataset: { priority: p } })),
      chip('Unread only', this.filters.unread, () => { this.filters.unread = !this.filters.unread; this.afterFilter(); }, { dataset: { unread: '' } }),
    );
    this.typeList = types;
  }

  toggle(key, value) {
    const set = this.filters[key];
    if (set.has(value)) set.delete(value); else set.add(value);
    this.afterFilter();
  }

  afterFilter() {
    this.renderChips(this.typeList || []);
    this.reload();
  }

  params() {
    return {
      limit: PAGE,
      types: [...this.filters.types],
      priority: [...this.filters.priority],
      unread: this.filters.unread ? 'true' : null,
    };
  }

  matches(tile) {
    if (this.filters.types.size && !this.filters.types.has(tile.type)) return false;
    if (this.filters.priority.size && !this.filters.priority.has(tile.priority || 'normal')) return false;
    return !(this.filters.unread && tile.read === true);
  }

  async reload() {
    const generation = ++this.generation;
    this.loading = true;
    this.list.setAttribute('aria-busy', 'true');
    try {
      const page = await api('GET', `/api/v1/feed${query(this.params())}`);
      if (generation !== this.generation) return;
      this.tiles.clear();
      this.pending.clear();
      this.aliases.clear();
      clear(this.list);
      this.append(page.items || []);
      this.cursor = page.nextCursor || null;
      this.updatePill();
      if (!this.firstDrawn) {
        this.firstDrawn = true;
        // Read by the browser test: time from navigation to the first tiles on screen.
        requestAnimationFrame(() => performance.mark('afp:first-tiles'));
      }
    } catch (e) {
      this.fail(e);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.list.setAttribute('aria-busy', 'false');
        this.refreshFooter();
      }
    }
  }

  async loadMore() {
    if (this.loading || !this.cursor) return;
    const generation = this.generation;
    this.loading = true;
    try {
      const page = await api('GET', `/api/v1/feed${query({ ...this.params(), cursor: this.cursor })}`);
      if (generation !== this.generation) return;
      this.append((page.items || []).filter(t => !this.tiles.has(t.id)));
      this.cursor = page.nextCursor || null;
    } catch (e) {
      this.fail(e);
    } finally {
      if (generation === this.generation) {
        this.loading = false;
        this.refreshFooter();
      }
    }
  }

  /** Polling fallback while the stream is down: merge the first page into what is shown. */
  async poll() {
    try {
      const page = await api('GET', `/api/v1/feed${query(this.params())}`);
      for (const tile of page.items || []) this.upsert(tile, false);
    } catch {
      // the next poll or the stream coming back will catch up
    }
  }

  fail(e) {
    if (e instanceof ApiError && e.status === 401) {
      document.dispatchEvent(new CustomEvent('afp:unauthorized'));
      return;
    }
    toast(`Could not load the feed: ${e.message}`, 'error');
  }

  refreshFooter() {
    this.empty.hidden = this.tiles.size > 0;
    this.more.hidden = !this.cursor;
  }

  append(items) {
    const fragment = document.createDocumentFragment();
    for (const tile of items) {
      this.tiles.set(tile.id, tile);
      fragment.append(this.draw(tile));
    }
    this.list.append(fragment);
  }

  draw(tile) {
    return renderTile(tile, {
      expanded: this.expanded.has(tile.id),
      me: this.me,
      actions: {
        expand: id => { this.expanded.has(id) ? this.expanded.delete(id) : this.expanded.add(id); this.redraw(id, '.expand'); },
        react: (id, type) => this.react(id, type),
        comments: id => this.onComments(this.tiles.get(id) || { id }),
        read: id => this.markRead(id),
      },
    });
  }

  element(id) {
    return this.list.querySelector(`article[data-id="${CSS.escape(id)}"]`);
  }

  redraw(id, focusSelector) {
    const tile = this.tiles.get(id);
    const old = this.element(id);
    if (!tile || !old) return;
    const hadFocus = old.contains(document.activeElement) ? document.activeElement : null;
    const selector = focusSelector || (hadFocus && hadFocus.dataset.reaction ? `[data-reaction="${hadFocus.dataset.reaction}"]` : null);
    const fresh = this.draw(tile);
    old.replaceWith(fresh);
    if (hadFocus && selector) {
      const target = fresh.querySelector(selector);
      if (target) target.focus();
    }
  }

  /** Inserts a tile at its place in the order (tiles never move), or replaces it in place. */
  upsert(tile, live) {
    const id = this.aliases.get(tile.id) || tile.id;
    const known = this.tiles.get(id) || this.pending.get(id);
    if (known) {
      const merged = { ...known, ...tile };
      // The stream leaves out the reader's own state (SPEC §5): keep it, except that a tile
      // that grew is unread again.
      if (!('myReactions' in tile)) merged.myReactions = known.myReactions;
      if (!('read' in tile)) merged.read = tile.contentSeq != null && tile.contentSeq !== known.contentSeq ? false : known.read;
      if (this.pending.has(id)) this.pending.set(id, merged);
      else { this.tiles.set(id, merged); this.redraw(id); }
      return;
    }
    const fresh = { myReactions: [], read: false, ...tile };
    if (!this.matches(fresh)) return;
    const last = this.lastTile();
    if (this.cursor && last && compareTiles(fresh, last) > 0) return; // belongs to a page not loaded yet
    if (live && window.scrollY > 200) {
      this.pending.set(fresh.id, fresh);
      this.updatePill();
      return;
    }
    this.insert(fresh);
  }

  lastTile() {
    const el = this.list.lastElementChild;
    return el ? this.tiles.get(el.dataset.id) : null;
  }

  insert(tile) {
    this.tiles.set(tile.id, tile);
    const el = this.draw(tile);
    el.classList.add('arrived');
    let before = null;
    for (const child of this.list.children) {
      const other = this.tiles.get(child.dataset.id);
      if (other && compareTiles(tile, other) < 0) { before = child; break; }
    }
    this.list.insertBefore(el, before);
    this.refreshFooter();
  }

  remove(id) {
    this.pending.delete(id);
    if (this.tiles.delete(id)) {
      const el = this.element(id);
      if (el) el.remove();
    }
    this.updatePill();
    this.refreshFooter();
  }

  showPending() {
    const tiles = [...this.pending.values()];
    this.pending.clear();
    for (const tile of tiles) this.insert(tile);
    this.updatePill();
    if (window.scrollY > 0) window.scrollTo({ top: 0, behavior: 'smooth' });
  }

  updatePill() {
    const n = this.pending.size;
    this.pill.hidden = n === 0;
    this.pill.textContent = n === 1 ? '1 new activity' : `${n} new activities`;
  }

  // ---- live events (SPEC §5) ----

  async handle(type, data) {
    switch (type) {
      case 'activity.event.created':
      case 'activity.event.updated':
        if (data && data.id) this.upsert(data, true);
        break;
      case 'activity.event.folded': {
        const folded = data.foldedTileIds || [];
        const wasShown = folded.some(id => this.tiles.has(id));
        for (const id of folded) {
          this.aliases.set(id, data.groupTileId);
          this.remove(id);
        }
        if (!this.tiles.has(data.groupTileId) && !this.pending.has(data.groupTileId)) {
          try {
            const group = await api('GET', `/api/v1/feed/tiles/${encodeURIComponent(data.groupTileId)}`);
            this.upsert(group, !wasShown);
          } catch {
            // the group's own created event brings it as well
          }
        }
        break;
      }
      case 'activity.event.removed':
        this.remove(data.tileId);
        break;
      case 'activity.reaction.updated':
        this.reactionUpdated(data);
        break;
      case 'activity.comment.created':
      case 'activity.comment.deleted':
        this.commentChanged(data.tileId, data.comment, type.endsWith('created') ? 1 : -1, data.commentCount);
        break;
      case 'feed.unread':
        if (data && data.unread === 0 && !data.capped) this.markAllLocal();
        break;
      default:
        break;
    }
  }

  withTile(id, change) {
    const key = this.aliases.get(id) || id;
    const tile = this.tiles.get(key) || this.pending.get(key);
    if (!tile) return;
    change(tile);
    if (this.tiles.has(key)) this.redraw(key);
  }

  reactionUpdated({ tileId, counts, actorId, reactionType, action }) {
    this.withTile(tileId, tile => {
      if (counts) tile.reactions = { ...counts };
      if (actorId === this.me && reactionType) {
        const mine = new Set(tile.myReactions || []);
        if (/remove|delete/i.test(action || '')) mine.delete(reactionType); else mine.add(reactionType);
        tile.myReactions = [...mine];
      }
    });
  }

  /** Comment counts move only once per comment, whether the stream or our own POST saw it first. */
  commentChanged(tileId, comment, delta, exactCount) {
    this.seenComments = this.seenComments || new Set();
    const key = `${delta > 0 ? '+' : '-'}${comment && comment.id}`;
    const seen = comment && comment.id && this.seenComments.has(key);
    if (comment && comment.id) this.seenComments.add(key);
    if (typeof exactCount === 'number') {
      // the stream carries the tile's exact count after the change
      this.withTile(tileId, tile => { tile.commentCount = exactCount; });
    } else if (!seen) {
      this.withTile(tileId, tile => { tile.commentCount = Math.max(0, (tile.commentCount || 0) + delta); });
    }
  }

  async react(id, type) {
    const tile = this.tiles.get(id);
    if (!tile) return;
    const before = { reactions: { ...(tile.reactions || {}) }, myReactions: [...(tile.myReactions || [])] };
    const had = before.myReactions.includes(type);
    // Optimistic: show the change now, roll it back if the service refuses.
    tile.reactions = { ...before.reactions, [type]: Math.max(0, (before.reactions[type] || 0) + (had ? -1 : 1)) };
    tile.myReactions = had ? before.myReactions.filter(t => t !== type) : [...before.myReactions, type];
    this.redraw(id);
    try {
      const answer = await api(had ? 'DELETE' : 'PUT', `/api/v1/tiles/${encodeURIComponent(id)}/reactions/${type}`);
      const current = this.tiles.get(id);
      if (current && answer) {
        if (answer.counts) current.reactions = { ...answer.counts };
        if (answer.myReactions) current.myReactions = [...answer.myReactions];
        this.redraw(id);
      }
    } catch (e) {
      const current = this.tiles.get(id);
      if (current) {
        current.reactions = before.reactions;
        current.myReactions = before.myReactions;
        this.redraw(id);
      }
      if (e.status === 403) toast('You cannot react to your own activity.', 'error');
      else if (e.status === 429) toast(`Too many reactions: try again in ${e.retryAfter || 'a few'} seconds.`, 'error');
      else toast(`Reaction not saved: ${e.message}`, 'error');
    }
  }

  async markRead(id) {
    try {
      const answer = await api('POST', '/api/v1/feed/read', { tileIds: [id] });
      this.withTile(id, tile => { tile.read = true; });
      this.onUnread(answer);
    } catch (e) {
      toast(`Could not mark as read: ${e.message}`, 'error');
    }
  }

  async markAllRead() {
    try {
      const answer = await api('POST', '/api/v1/feed/read-all');
      this.markAllLocal();
      this.onUnread(answer);
    } catch (e) {
      toast(`Could not mark all as read: ${e.message}`, 'error');
    }
  }

  markAllLocal() {
    for (const [id, tile] of this.tiles) {
      if (tile.read === false) { tile.read = true; this.redraw(id); }
    }
    for (const tile of this.pending.values()) tile.read = true;
  }
}
