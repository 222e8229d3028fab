import { api, query, ApiError } from './api.js';
import { h, clear, toast } from './dom.js';
import { renderTile, compareTiles, reactionLabel, followTargets } from './tiles.js';
import { names } from './names.js';

const PAGE = 20;
/** Tiles drawn in the first frame of the first page (about the top half of a phone screen); the rest follow a frame later. */
const FIRST_FRAME_TILES = 6;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const HIGHLIGHT_MS = 2000;

/**
 * The feed in activity order (SPEC §4 sort=activity): a group that grows moves to the top with a
 * short highlight. First page, infinite scroll over the cursor, filters, live changes, and the
 * WAI-ARIA feed pattern's keyboard model (j/k or arrows move between tiles, Enter opens one).
 * With `following` it is the Following view: every read adds following=true (SPEC §4a).
 */
export class FeedView {
  constructor({ root, me, onUnread, onComments, onFiltersChanged, following = false, follows = null, prefix = '',
    label = 'Activity feed', emptyText = 'Nothing here yet.', onRead, onReacted, onFirstPage }) {
    this.root = root;
    this.me = me;
    this.onUnread = onUnread;
    this.onComments = onComments;
    this.onFiltersChanged = onFiltersChanged || (() => {});
    this.following = following;
    this.follows = follows;
    this.prefix = prefix;
    this.label = label;
    this.emptyText = emptyText;
    this.onRead = onRead || (() => {});
    this.onReacted = onReacted || (() => {});
    this.onFirstPage = onFirstPage || (() => {}); // once: the first page is about to be drawn, or failed
    this.followOpen = null;       // the tile whose follow menu is open
    this.arrivedWhileLoading = null;
    this.tiles = new Map();       // id -> tile, drawn in the list
    this.pending = new Map();     // id -> tile, new or grown while scrolled down
    this.expanded = new Set();
    this.aliases = new Map();     // folded id -> group id
    this.reactors = new Map();    // tile id -> {type: [who reacted, besides the reader]}
    this.reactorsAt = new Map();  // tile id -> when they were last fetched
    this.filters = { types: new Set(), priority: new Set(), unread: false };
    this.typeList = [];
    this.cursor = null;
    this.loading = false;
    this.generation = 0;
    this.firstDrawn = false;
    this.activeId = null;         // the tile that holds the roving tabindex
    this.pickerOpen = null;
    this.build();
  }

  build() {
    this.pill = h('button', { type: 'button', class: 'new-pill', hidden: true, onclick: () => this.showPending() });
    this.list = h('div', { class: 'tiles', role: 'feed', 'aria-busy': 'false', 'aria-label': this.label,
      onkeydown: e => this.onKey(e), onfocusin: e => this.onFocus(e),
      onpointerover: e => { const rx = e.target.closest('.rx'); if (rx) this.loadReactors(rx.closest('article').dataset.id); } });
    this.empty = h('p', { class: 'empty', hidden: true }, this.emptyText);
    this.sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
    this.more = h('button', { type: 'button', class: 'load-more', hidden: true, onclick: () => this.loadMore() }, 'Load more');
    clear(this.root).append(this.pill, this.list, this.empty, this.sentinel, this.more);
    this.observer = new IntersectionObserver(entries => {
      if (entries.some(e => e.isIntersecting)) this.loadMore();
    }, { rootMargin: '600px' });
    this.observer.observe(this.sentinel);
    window.addEventListener('scroll', () => { if (window.scrollY < 80 && this.pending.size) this.showPending(); }, { passive: true });
    document.addEventListener('click', e => {
      if (this.pickerOpen && !e.target.closest('.react-wrap')) this.togglePicker(null);
      if (this.followOpen && !e.target.closest('.follow-wrap')) this.toggleFollowMenu(null);
    });
    // j and k work from anywhere on the page (not while typing), like GitHub's and Gmail's lists
    document.addEventListener('keydown', e => {
      if (e.defaultPrevented || this.root.closest('[hidden]') || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.target.closest('input, textarea, select, dialog, [role="dialog"], .filters, .menu') || this.list.contains(e.target)) return;
      if (e.key === 'j' || e.key === 'k') { e.preventDefault(); this.move(e.key === 'j' ? 1 : -1); }
    });
  }

  // ---- filters ----

  async loadTypes() {
    try {
      const catalog = await api('GET', '/api/v1/feed/types');
      const items = Array.isArray(catalog) ? catalog : (catalog && (catalog.items || catalog.types)) || [];
      this.typeList = items.map(t => ({ type: t.type || t.id || t.name, name: t.displayName || t.type })).filter(t => t.type);
      this.onFiltersChanged();
    } catch {
      // The type filters are a convenience; the feed works without the catalog.
    }
    return this.typeList;
  }

  /** The filter panel's content: labelled groups of checkboxes. */
  renderFilters(panel) {
    const box = (group, value, label, checked, onchange) => {
      const id = `f-${group}-${value}`.replace(/[^a-zA-Z0-9_-]/g, '_');
      return h('label', { class: 'check', for: id },
        h('input', { type: 'checkbox', id, checked, dataset: { [group]: value }, onchange }), ` ${label}`);
    };
    clear(panel).append(
      this.typeList.length ? h('fieldset', {}, h('legend', {}, 'Type'),
        this.typeList.map(t => box('type', t.type, t.name, this.filters.types.has(t.type), () => this.toggle('types', t.type)))) : null,
      h('fieldset', {}, h('legend', {}, 'Priority'),
        PRIORITIES.map(p => box('priority', p, p[0].toUpperCase() + p.slice(1), this.filters.priority.has(p), () => this.toggle('priority', p)))),
      h('fieldset', {}, h('legend', {}, 'Show'),
        box('unread', 'only', 'Unread only', this.filters.unread, () => { this.filters.unread = !this.filters.unread; this.afterFilter(); })),
      this.activeFilters() ? h('button', { type: 'button', class: 'link clear-filters', onclick: () => this.clearFilters() }, 'Clear filters') : null,
    );
  }

  activeFilters() {
    return this.filters.types.size + this.filters.priority.size + (this.filters.unread ? 1 : 0);
  }

  clearFilters() {
    this.filters = { types: new Set(), priority: new Set(), unread: false };
    this.afterFilter();
  }

  toggle(key, value) {
    const set = this.filters[key];
    if (set.has(value)) set.delete(value); else set.add(value);
    this.afterFilter();
  }

  afterFilter() {
    this.onFiltersChanged();
    this.reload();
  }

  params() {
    return {
      sort: 'activity',
      limit: PAGE,
      types: [...this.filters.types],
      priority: [...this.filters.priority],
      unread: this.filters.unread ? 'true' : null,
      following: this.following ? 'true' : null,
    };
  }

  matches(tile) {
    if (this.filters.types.size && !this.filters.types.has(tile.type)) return false;
    if (this.filters.priority.size && !this.filters.priority.has(tile.priority || 'normal')) return false;
    return !(this.filters.unread && tile.read === true);
  }

  // ---- loading ----

  async reload() {
    const generation = ++this.generation;
    this.loading = true;
    this.list.setAttribute('aria-busy', 'true');
    try {
      const url = `/api/v1/feed${query(this.params())}`;
      // the first page may be on its way already (the inline script in index.html): taken once;
      // a failed early answer (null) is asked again here, so errors are handled as for any page
      const early = window.afpFirstPage && window.afpFirstPage.url === url ? window.afpFirstPage.answer : null;
      if (early) window.afpFirstPage = null;
      this.arrivedWhileLoading = [];
      const page = (early && await early) || await api('GET', url);
      if (!this.firstDrawn) performance.mark('afp:first-page-answer'); // read by the browser test
      if (generation !== this.generation) return;
      if (!this.firstDrawn) this.onFirstPage();
      this.tiles.clear();
      this.pending.clear();
      this.aliases.clear();
      clear(this.list);
      this.cursor = page.nextCursor || null;
      const items = page.items || [];
      // The page's first tiles come in two frames: the top ones first, the rest in the frame after.
      // The first frame's style, layout and paint grow with every tile: on the throttled phone six
      // tiles were painted 300 ms sooner than eighteen.
      const now = this.firstDrawn ? items.length : Math.min(items.length, FIRST_FRAME_TILES);
      this.append(items.slice(0, now));
      if (!this.firstDrawn) {
        this.firstDrawn = true;
        // Read by the browser test: the frame that draws the first tiles begins (the mark), and the
        // first tile's sentence is painted (Element Timing, renderTime).
        const sentence = this.list.querySelector('.sentence');
        if (sentence) sentence.setAttribute('elementtiming', 'afp:first-tile');
        requestAnimationFrame(() => performance.mark('afp:first-tiles'));
      }
      if (now < items.length) {
        await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
        if (generation !== this.generation) return;
        // a live change applied meanwhile may have drawn one of them already
        this.append(items.slice(now).filter(t => !this.tiles.has(t.id) && !this.pending.has(t.id)));
      }
      // live changes that came while the page was on its way may be newer than it: applied again
      const arrived = this.arrivedWhileLoading || [];
      this.arrivedWhileLoading = null;
      for (const tile of arrived) this.upsert(tile, false);
      this.updatePill();
    } catch (e) {
      if (!this.firstDrawn) this.onFirstPage();
      this.fail(e);
    } finally {
      if (generation === this.generation) {
        this.arrivedWhileLoading = null;
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
    this.list.setAttribute('aria-busy', 'true');
    try {
      const page = await api('GET', `/api/v1/feed${query({ ...this.params(), cursor: this.cursor })}`);
      if (generation !== this.generation) return;
      this.cursor = page.nextCursor || null;
      // a tile that moved while paging may come twice (SPEC §4): keep the one already shown
      this.append((page.items || []).filter(t => !this.tiles.has(t.id) && !this.pending.has(t.id)));
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
    this.updatePositions();
    // compact tiles may leave the sentinel in view after a page: observing it afresh asks again
    if (this.cursor && !this.loading) {
      this.observer.unobserve(this.sentinel);
      this.observer.observe(this.sentinel);
    }
  }

  append(items) {
    const fragment = document.createDocumentFragment();
    for (const tile of items) {
      names.learnTile(tile);
      this.tiles.set(tile.id, tile);
      fragment.append(this.draw(tile));
    }
    this.list.append(fragment);
    this.updatePositions();
  }

  /** aria-posinset / aria-setsize (WAI feed pattern); the set size is unknown (-1) while pages remain. */
  updatePositions() {
    const size = this.cursor ? -1 : this.list.children.length;
    let i = 0;
    for (const el of this.list.children) {
      el.setAttribute('aria-posinset', String(++i));
      el.setAttribute('aria-setsize', String(size));
    }
    if (!this.activeId || !this.element(this.activeId)) {
      const first = this.list.firstElementChild;
      this.activeId = first ? first.dataset.id : null;
      if (first) first.tabIndex = 0;
    }
  }

  /** Who reacted, by name where the page knows the person (names.js), else by user id. */
  reactorNames(id) {
    const ids = this.reactors.get(id);
    if (!ids) return undefined;
    return Object.fromEntries(Object.entries(ids).map(([type, users]) => [type, users.map(u => names.person(u))]));
  }

  draw(tile) {
    const el = renderTile({ ...tile, reactors: this.reactorNames(tile.id) }, {
      expanded: this.expanded.has(tile.id),
      pickerOpen: this.pickerOpen === tile.id,
      followOpen: this.followOpen === tile.id,
      isFollowed: target => this.isFollowed(target),
      prefix: this.prefix,
      me: this.me,
      actions: {
        followMenu: id => this.toggleFollowMenu(this.followOpen === id ? null : id, true),
        toggleFollow: target => this.toggleFollow(target),
        expand: id => { this.expanded.has(id) ? this.expanded.delete(id) : this.expanded.add(id); this.redraw(id, '.expand'); },
        react: (id, type) => this.react(id, type),
        picker: id => this.togglePicker(this.pickerOpen === id ? null : id, true),
        comments: id => this.onComments(this.tiles.get(id) || { id }),
        read: id => this.markRead(id),
      },
    });
    if (tile.id === this.activeId) el.tabIndex = 0;
    return el;
  }

  element(id) {
    return this.list.querySelector(`article[data-id="${CSS.escape(id)}"]`);
  }

  togglePicker(id, focusFirst) {
    const before = this.pickerOpen;
    this.pickerOpen = id;
    if (before && before !== id) this.redraw(before);
    if (id) {
      this.redraw(id, '.react');
      const el = this.element(id);
      const first = el && el.querySelector('.picker button');
      if (focusFirst && first) first.focus();
    }
  }

  toggleFollowMenu(id, focusFirst) {
    const before = this.followOpen;
    this.followOpen = id;
    if (before && before !== id) this.redraw(before);
    if (id) {
      this.redraw(id, 'button.follow');
      const el = this.element(id);
      const first = el && el.querySelector('.follow-menu button');
      if (focusFirst && first) first.focus();
    }
  }

  async toggleFollow(target) {
    if (!this.follows) return;
    const was = this.follows.has(target);
    try {
      await this.follows.toggle(target);
      toast(`${was ? 'Unfollowed' : 'Following'} ${target.name}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) toast(`Not followed: ${e.message}`, 'error');
      else toast(`Could not ${was ? 'unfollow' : 'follow'} ${target.name}: ${e.message}`, 'error');
    }
  }

  /**
   * The reader's follows changed: a tile whose follow control now reads otherwise redraws (focus
   * stays where it was), and so does the one with its follow menu open; the others keep their elements.
   */
  followsChanged() {
    for (const [id, tile] of this.tiles) {
      const el = this.element(id);
      const button = el && el.querySelector('.follow');
      if (!button) continue;
      const following = followTargets(tile).some(t => this.isFollowed(t));
      if (id === this.followOpen || following !== button.classList.contains('on')) this.redraw(id);
    }
  }

  isFollowed(target) {
    return !!this.follows && this.follows.has(target);
  }

  redraw(id, focusSelector) {
    const tile = this.tiles.get(id);
    const old = this.element(id);
    if (!tile || !old) return null;
    const focused = old.contains(document.activeElement) ? document.activeElement : null;
    let selector = focusSelector;
    if (!selector && focused) {
      if (focused === old) selector = ':scope';
      else if (focused.dataset.reaction) selector = `[data-reaction="${focused.dataset.reaction}"]`;
      else if (focused.dataset.followKey) selector = `[data-follow-key="${CSS.escape(focused.dataset.followKey)}"]`;
      else selector = ['react', 'follow', 'comments-button', 'expand', 'mark-read'].filter(c => focused.classList.contains(c)).map(c => `.${c}`)[0] || ':scope';
    }
    const fresh = this.draw(tile);
    for (const name of ['aria-posinset', 'aria-setsize']) if (old.hasAttribute(name)) fresh.setAttribute(name, old.getAttribute(name));
    if (old.classList.contains('moved')) fresh.classList.add('moved');
    old.replaceWith(fresh);
    if (focused && selector) {
      const target = selector === ':scope' ? fresh : fresh.querySelector(selector) || fresh;
      target.focus();
    }
    return fresh;
  }

  /**
   * Inserts a tile at its place in activity order, or updates a known one; a tile whose latestAt
   * moved (a group that grew) goes to its new place, highlighted, or behind the pill when the reader
   * is scrolled down.
   */
  upsert(tile, live) {
    names.learnTile(tile);
    if (this.arrivedWhileLoading) this.arrivedWhileLoading.push(tile);
    const id = this.aliases.get(tile.id) || tile.id;
    const known = this.tiles.get(id) || this.pending.get(id);
    if (known) {
      const merged = { ...known, ...tile };
      // The stream leaves out the reader's own state (SPEC §5): keep it, except that a tile
      // that grew is unread again.
      const grew = tile.contentSeq != null && known.contentSeq != null && tile.contentSeq !== known.contentSeq;
      if (!('myReactions' in tile)) merged.myReactions = known.myReactions;
      if (!('read' in tile)) merged.read = grew ? false : known.read;
      if (this.pending.has(id)) { this.pending.set(id, merged); return; }
      // a page read again (the first connection, polling) brings mostly what is drawn already:
      // redrawing it would replace the element under the reader's pointer, focus or selection
      if (JSON.stringify(merged) === JSON.stringify(known)) return;
      this.tiles.set(id, merged);
      const moved = compareTiles(merged, known) !== 0;
      if (moved && live && window.scrollY > 200) {
        // out of sight: it waits behind the pill, which counts growth like arrivals
        this.removeElement(id);
        this.pending.set(id, merged);
        this.updatePill();
      } else if (moved) {
        this.place(id, merged, true); // to its new place (the top, mostly), highlighted
      } else {
        this.redraw(id);
      }
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
    this.tiles.set(fresh.id, fresh);
    this.place(fresh.id, fresh, live);
  }

  lastTile() {
    const el = this.list.lastElementChild;
    return el ? this.tiles.get(el.dataset.id) : null;
  }

  /** Draws tile `id` at its place in the order (moving it when drawn already), optionally highlighted. */
  place(id, tile, highlight) {
    const old = this.element(id);
    const hadFocus = old && old.contains(document.activeElement);
    const el = old ? this.redraw(id) : this.draw(tile);
    let before = null;
    for (const child of this.list.children) {
      if (child === el) continue;
      const other = this.tiles.get(child.dataset.id);
      if (other && compareTiles(tile, other) < 0) { before = child; break; }
    }
    if (before !== el) this.list.insertBefore(el, before);
    if (hadFocus) el.focus({ preventScroll: true });
    if (highlight) {
      el.classList.remove('moved');
      void el.offsetWidth; // restart the animation when it grows again
      el.classList.add('moved');
      setTimeout(() => { const now = this.element(id); if (now) now.classList.remove('moved'); }, HIGHLIGHT_MS);
    }
    this.refreshFooter();
  }

  removeElement(id) {
    const el = this.element(id);
    if (!el) return;
    if (this.activeId === id) {
      const next = el.nextElementSibling || el.previousElementSibling;
      this.activeId = next ? next.dataset.id : null;
      if (next) next.tabIndex = 0;
    }
    el.remove();
  }

  remove(id) {
    this.pending.delete(id);
    if (this.tiles.delete(id)) this.removeElement(id);
    this.updatePill();
    this.refreshFooter();
  }

  showPending() {
    const tiles = [...this.pending.values()];
    this.pending.clear();
    for (const tile of tiles) {
      this.tiles.set(tile.id, tile);
      this.place(tile.id, tile, true);
    }
    this.updatePill();
    if (window.scrollY > 0) window.scrollTo({ top: 0, behavior: 'smooth' });
  }

  updatePill() {
    const n = this.pending.size;
    this.pill.hidden = n === 0;
    this.pill.textContent = n === 1 ? '1 new activity' : `${n} new activities`;
  }

  // ---- keyboard: roving focus over the articles (WAI-ARIA feed pattern) ----

  onFocus(e) {
    const article = e.target.closest('article.tile');
    if (!article || article.dataset.id === this.activeId) return;
    const old = this.activeId && this.element(this.activeId);
    if (old) old.tabIndex = -1;
    article.tabIndex = 0;
    this.activeId = article.dataset.id;
  }

  onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest('input, textarea')) return;
    const article = e.target.closest('article.tile');
    if (!article) return;
    const onArticle = e.target === article;
    if (e.key === 'j' || e.key === 'PageDown' || (onArticle && e.key === 'ArrowDown')) {
      e.preventDefault();
      this.move(1, article);
    } else if (e.key === 'k' || e.key === 'PageUp' || (onArticle && e.key === 'ArrowUp')) {
      e.preventDefault();
      this.move(-1, article);
    } else if (e.key === 'Escape' && this.pickerOpen) {
      this.togglePicker(null);
      article.querySelector('.react').focus();
    } else if (e.key === 'Escape' && this.followOpen) {
      const id = this.followOpen;
      this.toggleFollowMenu(null);
      const el = this.element(id);
      if (el) el.querySelector('button.follow').focus();
    } else if (onArticle && e.key === 'Enter') {
      e.preventDefault();
      const id = article.dataset.id;
      this.onComments(this.tiles.get(id) || { id });
    }
  }

  /** Moves focus to the next (+1) or previous (-1) tile, loading the next page at the end. */
  move(step, from) {
    const focused = this.list.contains(document.activeElement) ? document.activeElement.closest('article.tile') : null;
    const current = from || focused;
    let target;
    if (current) target = step > 0 ? current.nextElementSibling : current.previousElementSibling;
    else target = (this.activeId && this.element(this.activeId)) || this.list.firstElementChild;
    if (!target && step > 0) this.loadMore();
    if (!target) return;
    target.focus();
    target.scrollIntoView({ block: 'nearest' });
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

  reactionUpdated({ tileId, counts, actorId, actorName, reactionType, action }) {
    const removed = /remove|delete/i.test(action || '');
    const key = this.aliases.get(tileId) || tileId;
    if (actorId && actorId !== this.me && reactionType) {
      names.learnPerson(actorId, actorName);
      const known = this.reactors.get(key) || {};
      const ids = new Set(known[reactionType] || []);
      if (removed) ids.delete(actorId); else ids.add(actorId);
      this.reactors.set(key, { ...known, [reactionType]: [...ids] });
    }
    this.withTile(tileId, tile => {
      if (counts) tile.reactions = { ...counts };
      if (actorId === this.me && reactionType) {
        const mine = new Set(tile.myReactions || []);
        if (removed) mine.delete(reactionType); else mine.add(reactionType);
        tile.myReactions = [...mine];
      }
    });
  }

  /** Who reacted to a tile, fetched when the reader points at its counts; the titles change in place. */
  async loadReactors(id) {
    if ((this.reactorsAt.get(id) || 0) > Date.now() - 30000) return;
    this.reactorsAt.set(id, Date.now());
    try {
      const answer = await api('GET', `/api/v1/feed/tiles/${encodeURIComponent(id)}/reactions`);
      const others = {};
      for (const [type, users] of Object.entries(answer || {})) others[type] = (users || []).filter(u => u !== this.me);
      this.reactors.set(id, others);
      const tile = this.tiles.get(id);
      const el = this.element(id);
      if (!tile || !el) return;
      for (const chip of el.querySelectorAll('.rx')) {
        const type = chip.dataset.count;
        const label = reactionLabel({ ...tile, reactors: this.reactorNames(id) }, type, (tile.reactions || {})[type] || 0);
        chip.title = label;
        chip.querySelector('.sr-only').textContent = label;
      }
    } catch {
      // the count is still right; only the names are missing
    }
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
      this.onReacted(id);
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
      const el = this.element(id);
      const focusTile = el && el.contains(document.activeElement);
      this.withTile(id, tile => { tile.read = true; });
      if (focusTile) { const now = this.element(id); if (now) now.focus(); }
      this.onRead(id);
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

  /** The other view marked tile `id` read: shown read here too. */
  markReadLocal(id) {
    this.withTile(id, tile => { tile.read = true; });
  }

  markAllLocal() {
    for (const [id, tile] of this.tiles) {
      if (tile.read === false) { tile.read = true; this.redraw(id); }
    }
    for (const tile of this.pending.values()) tile.read = true;
  }
}
