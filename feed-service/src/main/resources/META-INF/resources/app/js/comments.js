import { api, query } from './api.js';
import { h, clear, toast } from './dom.js';
import { relative, absolute } from './time.js';
import { icon } from './icons.js';
import { sentence } from './tiles.js';
import { names } from './names.js';

const MAX = 500;

/**
 * The comments of one tile in a modal <dialog>: the rest of the page is inert while it is open,
 * so focus stays inside; Esc, the close button, or a click on the backdrop close it, and focus
 * goes back to where it was. The list is oldest first, with a composer and its counter.
 */
export class CommentsDrawer {
  constructor({ root, onPosted }) {
    this.root = root;
    this.onPosted = onPosted;
    this.tileId = null;
    this.ids = new Set();
    this.returnFocus = null;
    this.title = h('h2', { id: 'drawer-title' }, 'Comments');
    this.list = h('ol', { class: 'comments', 'aria-live': 'polite', 'aria-label': 'Comments' });
    this.emptyNote = h('p', { class: 'empty comments-empty', hidden: true }, 'No comments yet. Be the first to say something.');
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
    this.panel = h('div', { class: 'drawer-panel' },
      h('div', { class: 'drawer-head' }, this.title,
        h('button', { type: 'button', class: 'ghost close', onclick: () => this.close() },
          icon('close', { size: 18 }), h('span', { class: 'sr-only' }, 'Close comments'))),
      this.list, this.emptyNote, this.more, form);
    clear(root).append(this.panel);
    // Esc: the dialog's own cancel, closed through close() so focus returns to the tile
    root.addEventListener('cancel', e => { e.preventDefault(); this.close(); });
    // Tab wraps around inside the dialog instead of leaving for the browser's own controls
    root.addEventListener('keydown', e => {
      if (e.key !== 'Tab') return;
      const focusable = [...root.querySelectorAll('button, textarea, input, [href], [tabindex]:not([tabindex="-1"])')]
        .filter(el => !el.disabled && !el.closest('[hidden]') && el.getClientRects().length);
      if (!focusable.length) return;
      const first = focusable[0], last = focusable[focusable.length - 1];
      if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
    });
    // a click on the backdrop (outside the panel) closes it
    root.addEventListener('click', e => { if (e.target === root) this.close(); });
  }

  get isOpen() {
    return this.root.open;
  }

  async open(tile) {
    this.returnFocus = document.activeElement;
    this.returnTile = tile.id;
    this.tileId = tile.id;
    this.ids.clear();
    this.cursor = null;
    this.title.textContent = `Comments: ${sentence(tile)}`;
    clear(this.list);
    this.emptyNote.hidden = true;
    if (!this.root.open) this.root.showModal();
    this.input.value = '';
    this.count();
    this.input.focus();
    await this.page(true);
  }

  close() {
    if (!this.root.open) return;
    this.root.close();
    this.tileId = null;
    if (this.returnFocus && this.returnFocus.isConnected) this.returnFocus.focus();
    else {
      const tile = this.returnTile && document.querySelector(`article[data-id="${CSS.escape(this.returnTile)}"]`);
      if (tile) (tile.querySelector('.comments-button') || tile).focus();
    }
  }

  async page(first = false) {
    const tileId = this.tileId;
    try {
      const answer = await api('GET', `/api/v1/tiles/${encodeURIComponent(tileId)}/comments${query({ cursor: first ? null : this.cursor })}`);
      if (tileId !== this.tileId) return;
      for (const comment of answer.items || []) this.add(comment);
      this.cursor = answer.nextCursor || null;
      this.more.hidden = !this.cursor;
      this.emptyNote.hidden = this.ids.size > 0;
    } catch (e) {
      toast(`Could not load comments: ${e.message}`, 'error');
    }
  }

  add(comment) {
    if (!comment || this.ids.has(comment.id)) return;
    this.ids.add(comment.id);
    names.learnPerson(comment.authorId, comment.authorName);
    this.emptyNote.hidden = true;
    this.list.append(h('li', { class: 'comment', dataset: { id: comment.id } },
      h('div', { class: 'comment-meta' },
        h('strong', {}, comment.authorName || comment.authorId || ''),
        ' · ',
        h('time', { class: 'rel', datetime: comment.createdAt, title: absolute(comment.createdAt) }, relative(comment.createdAt))),
      h('p', { class: 'comment-body' }, comment.body)));
  }

  removeComment(id) {
    const el = this.list.querySelector(`li[data-id="${CSS.escape(id)}"]`);
    if (el) el.remove();
    this.ids.delete(id);
    this.emptyNote.hidden = this.ids.size > 0;
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
    } finally {
      // the Post button was disabled under the focus: give it back to the composer, not the page
      if (this.root.open) this.input.focus();
    }
  }
}
