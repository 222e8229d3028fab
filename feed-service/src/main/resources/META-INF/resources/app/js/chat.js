import { api, query } from './api.js';
import { h, clear, toast } from './dom.js';
import { relative, absolute } from './time.js';

const MAIN = 'Main';

/** Chat: the thread list with Main first, create, rename, delete, and live messages. */
export class ChatView {
  constructor({ root }) {
    this.root = root;
    this.threads = new Map();
    this.current = null;
    this.messageIds = new Set();
    this.threadList = h('ul', { class: 'threads', 'aria-label': 'Threads' });
    this.newTitle = h('input', { id: 'new-thread-title', maxlength: '120', placeholder: 'New thread title' });
    this.heading = h('h2', { class: 'thread-title' }, MAIN);
    this.tools = h('div', { class: 'thread-tools' });
    this.messages = h('ol', { class: 'messages', 'aria-live': 'polite' });
    this.body = h('textarea', { id: 'chat-body', rows: '2', maxlength: '2000', placeholder: 'Message',
      onkeydown: e => { if (e.key === 'Enter' && !e.shiftKey) this.send(e); } });
    clear(root).append(
      h('div', { class: 'thread-pane', role: 'navigation', 'aria-label': 'Threads' },
        this.threadList,
        h('form', { class: 'new-thread', onsubmit: e => this.create(e) },
          h('label', { for: 'new-thread-title', class: 'sr-only' }, 'New thread title'), this.newTitle,
          h('button', { type: 'submit' }, 'New thread'))),
      h('section', { class: 'thread-pane-main' },
        h('div', { class: 'thread-head' }, this.heading, this.tools),
        this.messages,
        h('form', { class: 'composer', onsubmit: e => this.send(e) },
          h('label', { for: 'chat-body', class: 'sr-only' }, 'Message'), this.body,
          h('button', { type: 'submit', class: 'primary' }, 'Send'))));
  }

  async load() {
    try {
      const answer = await api('GET', '/api/v1/chat/threads');
      this.threads.clear();
      for (const thread of answer.items || []) this.threads.set(thread.id, thread);
      this.renderThreads();
      const main = [...this.threads.values()].find(t => t.title === MAIN);
      if (!this.current || !this.threads.has(this.current)) this.select(main ? main.id : null);
    } catch (e) {
      toast(`Could not load chat: ${e.message}`, 'error');
    }
  }

  ordered() {
    return [...this.threads.values()].sort((a, b) =>
      (b.title === MAIN) - (a.title === MAIN) || String(b.updatedAt).localeCompare(String(a.updatedAt)));
  }

  renderThreads() {
    const items = this.ordered();
    if (!items.some(t => t.title === MAIN)) items.unshift({ id: null, title: MAIN });
    clear(this.threadList).append(...items.map(t => h('li', {},
      h('button', {
        type: 'button', class: 'thread', 'aria-current': String(t.id === this.current), dataset: { id: t.id || '' },
        onclick: () => this.select(t.id),
      }, t.title))));
  }

  async select(id) {
    this.current = id;
    this.messageIds.clear();
    clear(this.messages);
    const thread = id ? this.threads.get(id) : { title: MAIN };
    this.heading.textContent = thread ? thread.title : MAIN;
    this.renderThreads();
    this.renderTools(thread);
    if (!id) return; // Main is made on first use: its first message creates it
    try {
      const answer = await api('GET', `/api/v1/chat/threads/${encodeURIComponent(id)}/messages${query({ limit: 100 })}`);
      if (this.current !== id) return;
      const items = [...(answer.items || [])].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
      for (const message of items) this.addMessage(message);
    } catch (e) {
      toast(`Could not load messages: ${e.message}`, 'error');
    }
  }

  renderTools(thread) {
    clear(this.tools);
    if (!thread || !thread.id || thread.title === MAIN) return;
    this.tools.append(
      h('button', { type: 'button', class: 'link', onclick: () => this.rename(thread) }, 'Rename'),
      h('button', { type: 'button', class: 'link danger', onclick: () => this.remove(thread) }, 'Delete'));
  }

  addMessage(message) {
    if (!message || this.messageIds.has(message.id)) return;
    this.messageIds.add(message.id);
    this.messages.append(h('li', { class: 'message', dataset: { id: message.id } },
      h('div', { class: 'comment-meta' }, h('strong', {}, message.authorName || message.authorId || ''), ' · ',
        h('time', { datetime: message.createdAt, title: absolute(message.createdAt) }, relative(message.createdAt))),
      h('p', { class: 'message-body' }, message.body)));
    this.messages.scrollTop = this.messages.scrollHeight;
  }

  async create(event) {
    event.preventDefault();
    const title = this.newTitle.value.trim();
    try {
      const thread = await api('POST', '/api/v1/chat/threads', title ? { title } : {});
      this.newTitle.value = '';
      this.threads.set(thread.id, thread);
      this.select(thread.id);
    } catch (e) {
      toast(`Thread not created: ${e.message}`, 'error');
    }
  }

  rename(thread) {
    const input = h('input', { value: thread.title, maxlength: '120', 'aria-label': 'Thread title' });
    const form = h('form', { class: 'rename', onsubmit: async e => {
      e.preventDefault();
      try {
        const updated = await api('PATCH', `/api/v1/chat/threads/${encodeURIComponent(thread.id)}`, { title: input.value.trim() });
        this.threads.set(updated.id, updated);
        this.select(updated.id);
      } catch (err) {
        toast(`Not renamed: ${err.message}`, 'error');
      }
    } }, input, h('button', { type: 'submit' }, 'Save'),
      h('button', { type: 'button', class: 'link', onclick: () => this.select(thread.id) }, 'Cancel'));
    clear(this.tools).append(form);
    input.focus();
    input.select();
  }

  async remove(thread) {
    if (!window.confirm(`Delete the thread “${thread.title}”? Its messages are kept, without a thread.`)) return;
    try {
      await api('DELETE', `/api/v1/chat/threads/${encodeURIComponent(thread.id)}`);
      this.threads.delete(thread.id);
      this.current = null;
      await this.load();
    } catch (e) {
      toast(`Not deleted: ${e.message}`, 'error');
    }
  }

  async send(event) {
    event.preventDefault();
    const body = this.body.value.trim();
    if (!body) return;
    try {
      const message = this.current
        ? await api('POST', `/api/v1/chat/threads/${encodeURIComponent(this.current)}/messages`, { body })
        : await api('POST', '/api/v1/chat/messages', { body });
      this.body.value = '';
      if (!this.current) {
        await this.load();
        this.select(message.threadId);
      } else {
        this.addMessage(message);
      }
    } catch (e) {
      toast(`Message not sent: ${e.message}`, 'error');
    }
  }

  handle(type, data) {
    if (!data) return;
    if (type === 'chat.message.created') {
      if (data.threadId && data.threadId === this.current) this.addMessage(data);
      else if (!this.current && data.threadId && !this.threads.has(data.threadId)) this.load();
    } else if (type === 'chat.thread.created' || type === 'chat.thread.updated') {
      this.threads.set(data.id, data);
      this.renderThreads();
      if (data.id === this.current) { this.heading.textContent = data.title; }
    } else if (type === 'chat.thread.deleted') {
      const id = data.id || data.threadId;
      this.threads.delete(id);
      if (id === this.current) this.load();
      else this.renderThreads();
    }
  }
}
