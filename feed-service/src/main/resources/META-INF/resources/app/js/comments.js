import { api, query } from './api.js';
import { h, clear, toast } from './dom.js';
import { relative, absolute } from './time.js';

const MAX = 500;

/** The comments drawer of one tile: the list, oldest first, and a composer with its counter. */
export class CommentsDrawer {
  constructor({ root, onPosted }) {
    this.root = root;
    this.onPosted = onPosted;
    this.tileId = null;
    this.ids = new Set();
    this.returnFocus = null;
    this.title = h('h2', { id: 'drawer-title' }, 'Comments');
    this.list = h('ol', { class: 'comments', 'aria-live': 'polite' });
    this.more = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => this.page() }, 'Load more');
    this.input = h('textarea', {
      id: 'comment-body', rows: '3', maxlength: String(MAX), placeholder: 'Write a comment',
      'aria-describedby': 'comment-counter', oninput: () => this.count(),
      onkeydown: e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) this.submit(e); },
    });
    this.counter = h('span', { id: 'comment-counter', class: 'counter' }, `0/${MAX}`);
    this.send = h('button', { type: 'submit', class: 'primary', disabled: true }, 'Post');
    const form = h('form', { class: 'composer', onsubmit: e => this.submit(e) },
      h('label', { for: 'comment-body', class: 'sr-only' }, 'Comment'), this.input,
      h('div', { class: 'composer-row' }, this.counter, this.send));
    clear(root).append(
      h('div', { class: 'drawer-head' }, this.title,
        h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close comments', onclick: () => this.close() }, '✕')),
      this.list, this.more, form);
    root.addEventListener('keydown', e => { if (e.key === 'Escape') this.close(); });
  }

  async open(tile) {
    this.returnFocus = document.activeElement;
    this.tileId = tile.id;
    this.ids.clear();
    this.cursor = null;
    this.title.textContent = `Comments: ${tile.title || tile.displayName || ''}`;
    clear(this.list);
    this.root.hidden = false;
    this.input.value = '';
    this.count();
    this.input.focus();
    await this.page(true);
  }

  close() {
    if (this.root.hidden) return;
    this.root.hidden = true;
    this.tileId = null;
    if (this.returnFocus && this.returnFocus.isConnected) this.returnFocus.focus();
  }

  async page(first = false) {
    const tileId = this.tileId;
    try {
      const answer = await api('GET', `/api/v1/tiles/${encodeURIComponent(tileId)}/comments${query({ cursor: first ? null : this.cursor })}`);
      if (tileId !== this.tileId) return;
      for (const comment of answer.items || []) this.add(comment);
      this.cursor = answer.nextCursor || null;
      this.more.hidden = !this.cursor;
    } catch (e) {
      toast(`Could not load comments: ${e.message}`, 'error');
    }
  }

  add(comment) {
    if (!comment || this.ids.has(comment.id)) return;
    this.ids.add(comment.id);
    this.list.append(h('li', { class: 'comment', dataset: { id: comment.id } },
      h('div', { class: 'comment-meta' },
        h('strong', {}, comment.authorName || comment.authorId || ''),
        ' · ',
        h('time', { datetime: comment.createdAt, title: absolute(comment.createdAt) }, relative(comment.createdAt))),
      h('p', { class: 'comment-body' }, comment.body)));
  }

  removeComment(id) {
    const el = this.list.querySelector(`li[data-id="${CSS.escape(id)}"]`);
    if (el) el.remove();
  }

  /** Live: a comment for the open tile appears (or goes) here too. */
  handle(type, data) {
    if (!data || !this.tileId || data.tileId !== this.tileId) return;
    if (type === 'activity.comment.created') this.add(data.comment);
    else if (type === 'activity.comment.deleted' && data.comment) this.removeComment(data.comment.id);
  }

  count() {
    const length = [...this.input.value].length;
    const trimmed = this.input.value.trim().length;
    this.counter.textContent = `${length}/${MAX}`;
    this.counter.classList.toggle('over', length > MAX);
    this.send.disabled = trimmed === 0 || length > MAX;
  }

  async submit(event) {
    event.preventDefault();
    const body = this.input.value.trim();
    if (!body || [...body].length > MAX) return;
    const tileId = this.tileId;
    this.send.disabled = true;
    try {
      const comment = await api('POST', `/api/v1/tiles/${encodeURIComponent(tileId)}/comments`, { body });
      this.input.value = '';
      this.count();
      if (tileId === this.tileId) this.add(comment);
      this.onPosted(tileId, comment);
    } catch (e) {
      toast(e.status === 429 ? `Slow down: try again in ${e.retryAfter || 'a few'} seconds.` : `Comment not posted: ${e.message}`, 'error');
      this.count();
    }
  }
}
