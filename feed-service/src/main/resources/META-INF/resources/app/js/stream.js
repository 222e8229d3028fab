import { api } from './api.js';

export const EVENT_TYPES = [
  'feed.connected', 'feed.unread', 'feed.snapshot-required',
  'activity.event.created', 'activity.event.updated', 'activity.event.folded', 'activity.event.removed',
  'activity.reaction.updated', 'activity.comment.created', 'activity.comment.deleted',
  'chat.thread.created', 'chat.thread.updated', 'chat.thread.deleted', 'chat.message.created',
];

const POLL_AFTER_FAILURES = 3;
const MAX_BACKOFF_MS = 30000;

/**
 * The live stream (SPEC §2, §5). Tickets are single use, so the browser's own reconnect cannot
 * work: on any error this closes the EventSource, takes a fresh ticket and opens a new stream with
 * lastEventId, backing off; after three failed reconnects the page polls until the stream is back.
 */
export class LiveStream {
  constructor({ onEvent, onStatus, poll, pollIntervalMs = 10000, params = {} }) {
    this.onEvent = onEvent;
    this.params = params; // extra query parameters, e.g. following=true (SPEC §4a)
    this.onStatus = onStatus;
    this.poll = poll;
    this.pollIntervalMs = pollIntervalMs;
    this.lastEventId = null;
    this.failures = 0;
    this.source = null;
    this.retryTimer = null;
    this.pollTimer = null;
    this.stopped = true; // until start(): "Retry now", going online or a visible tab do nothing before
    this.live = false;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.live = false;
    clearTimeout(this.retryTimer);
    this.stopPolling();
    if (this.source) this.source.close();
    this.source = null;
  }

  /**
   * Reconnects now instead of after the backoff (the network came back, the tab became visible,
   * or the reader pressed "Retry now"). A live stream is left alone.
   */
  retryNow() {
    if (this.stopped || this.live) return;
    clearTimeout(this.retryTimer);
    if (this.source) this.source.close();
    this.source = null;
    this.connect();
  }

  /** The browser says the network is gone: say so, and wait for it (or for the backoff). */
  offline() {
    if (this.stopped) return;
    this.live = false;
    this.onStatus('offline', this.failures);
  }

  async connect() {
    if (this.stopped) return;
    this.connecting = (this.connecting || 0) + 1;
    const attempt = this.connecting;
    this.onStatus(this.pollTimer ? 'polling' : this.failures === 0 ? 'connecting' : 'reconnecting', this.failures);
    let ticket;
    try {
      ticket = (await api('POST', '/api/v1/feed/stream-tickets')).ticket;
    } catch (e) {
      if (attempt === this.connecting) this.failed();
      return;
    }
    // a newer attempt (retryNow) superseded this one while the ticket was on its way
    if (this.stopped || attempt !== this.connecting) return;
    let url = `/api/v1/feed/stream?ticket=${encodeURIComponent(ticket)}`;
    if (this.lastEventId) url += `&lastEventId=${encodeURIComponent(this.lastEventId)}`;
    for (const [key, value] of Object.entries(this.params)) url += `&${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
    const source = new EventSource(url);
    this.source = source;
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, event => this.dispatch(source, type, event));
    }
    source.onerror = () => {
      if (this.source !== source) return;
      this.live = false;
      source.close();
      this.source = null;
      this.failed();
    };
  }

  dispatch(source, type, event) {
    if (this.source !== source) return;
    if (event.lastEventId) this.lastEventId = event.lastEventId;
    if (type === 'feed.connected') {
      this.failures = 0;
      this.live = true;
      this.stopPolling();
      this.onStatus('live', 0);
    }
    let data = null;
    try { data = event.data ? JSON.parse(event.data) : null; } catch { data = null; }
    this.onEvent(type, data);
  }

  failed() {
    if (this.stopped) return;
    this.failures += 1;
    if (this.failures >= POLL_AFTER_FAILURES) this.startPolling();
    const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.failures - 1));
    const delay = backoff / 2 + Math.random() * backoff / 2;
    this.onStatus(this.pollTimer ? 'polling' : navigator.onLine === false ? 'offline' : 'reconnecting', this.failures, delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  startPolling() {
    if (this.pollTimer) return;
    this.poll();
    this.pollTimer = setInterval(() => this.poll(), this.pollIntervalMs);
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }
}
