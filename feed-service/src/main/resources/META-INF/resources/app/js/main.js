import { api, claims, setToken, token } from './api.js';
import { FeedView } from './feed.js';
import { CommentsDrawer } from './comments.js';
import { LiveStream } from './stream.js';
import { icon } from './icons.js';
import { initials } from './tiles.js';
import { keepTimesFresh } from './time.js';

const $ = id => document.getElementById(id);
const UNREAD_ANNOUNCE_MS = 10000;

// A token in the URL fragment (the local run prints such links) moves to this tab's session
// storage and leaves the address bar, so it is not bookmarked or shared by accident.
function takeTokenFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const value = params.get('token');
  if (value) {
    setToken(value);
    history.replaceState(null, '', location.pathname + location.search);
  }
}

function showSignIn(message) {
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message || '';
  $('token-input').focus();
}

/**
 * The unread count for screen readers: said only when it changed, and at most once per 10 s
 * (the newest value, after the quiet time), so a busy feed does not talk over everything else.
 */
function unreadAnnouncer(region) {
  let said = null;
  let lastAt = 0;
  let timer = null;
  let next = null;
  const say = () => {
    timer = null;
    if (next === said) return;
    said = next;
    lastAt = Date.now();
    region.textContent = `${next} unread`;
  };
  return text => {
    next = text;
    if (said === null) { said = text; return; } // the first count is on screen, not news
    if (timer) return;
    const wait = Math.max(0, lastAt + UNREAD_ANNOUNCE_MS - Date.now());
    timer = setTimeout(say, wait);
  };
}

/** A toggle button and the panel it shows; Esc and a click elsewhere close it. */
function disclosure(button, panel, onOpen) {
  const set = open => {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open && onOpen) onOpen();
  };
  button.addEventListener('click', () => set(panel.hidden));
  document.addEventListener('click', e => { if (!panel.hidden && !panel.contains(e.target) && !button.contains(e.target)) set(false); });
  panel.addEventListener('keydown', e => { if (e.key === 'Escape') { set(false); button.focus(); } });
  return set;
}

function start() {
  takeTokenFromFragment();
  $('signin-form').addEventListener('submit', e => {
    e.preventDefault();
    setToken($('token-input').value);
    location.reload();
  });
  const who = claims();
  if (!token() || !who) {
    showSignIn(token() ? 'That token cannot be read.' : '');
    return;
  }
  if (who.exp && who.exp * 1000 < Date.now()) {
    setToken(null);
    showSignIn('The token has expired: paste a fresh one.');
    return;
  }
  $('signin').hidden = true;
  $('app').hidden = false;
  for (const slot of document.querySelectorAll('[data-icon]')) slot.replaceWith(icon(slot.dataset.icon, { size: 18 }));
  const name = who.name || who.sub;
  $('whoami').textContent = `${name} · ${who.tenant}`;
  $('menu-button').textContent = initials(name);
  $('menu-button').setAttribute('aria-label', `Account: ${name}`);
  let stream = null;
  document.addEventListener('afp:unauthorized', () => {
    if (stream) stream.stop();
    setToken(null);
    showSignIn('The server refused the token: paste a valid one.');
  });
  $('sign-out').addEventListener('click', () => { setToken(null); location.reload(); });
  disclosure($('menu-button'), $('menu'));

  const badge = $('unread-badge');
  const announce = unreadAnnouncer($('unread-label'));
  const setUnread = answer => {
    if (!answer || typeof answer.unread !== 'number') return;
    const text = answer.capped ? `${answer.unread}+` : String(answer.unread);
    badge.textContent = text;
    badge.dataset.count = String(answer.unread);
    badge.hidden = answer.unread === 0;
    badge.setAttribute('aria-label', `${text} unread`);
    announce(text);
    document.title = answer.unread ? `(${text}) Activity feed` : 'Activity feed';
  };
  const refreshUnread = () => api('GET', '/api/v1/feed/unread-count').then(setUnread).catch(() => {});
  let unreadTimer;
  const refreshUnreadSoon = () => { clearTimeout(unreadTimer); unreadTimer = setTimeout(refreshUnread, 300); };

  const drawer = new CommentsDrawer({
    root: $('drawer'),
    onPosted: (tileId, comment) => feed.commentChanged(tileId, comment, 1),
  });
  const filterPanel = $('filters');
  const feed = new FeedView({
    root: $('feed'), me: who.sub, onUnread: setUnread,
    onComments: tile => drawer.open(tile),
    onFiltersChanged: () => {
      const n = feed.activeFilters();
      $('filter-count').hidden = n === 0;
      $('filter-count').textContent = String(n);
      $('filter-button').setAttribute('aria-label', n ? `Filter, ${n} active` : 'Filter');
      if (!filterPanel.hidden) redrawFilters();
    },
  });
  const redrawFilters = () => {
    const focused = filterPanel.contains(document.activeElement) ? document.activeElement.id : null;
    feed.renderFilters(filterPanel);
    if (focused && $(focused)) $(focused).focus();
  };
  disclosure($('filter-button'), filterPanel, () => {
    redrawFilters();
    const first = filterPanel.querySelector('input');
    if (first) first.focus();
  });
  $('mark-all').addEventListener('click', () => feed.markAllRead());

  // Chat and stats are loaded the first time they are opened: the feed's first screen does not wait for them.
  const lazy = {
    chat: () => import('./chat.js').then(m => new m.ChatView({ root: $('chat') })),
    stats: () => import('./stats.js').then(m => new m.StatsView({ root: $('stats'), types: () => feed.typeList })),
  };
  const loaded = {};
  const view = name => {
    if (!loaded[name]) loaded[name] = lazy[name]().then(v => { window.afp[name] = v; if (name === 'chat') v.load(); return v; });
    return loaded[name];
  };
  const views = { feed: $('feed-view'), chat: $('chat'), stats: $('stats') };
  const show = name => {
    for (const [key, el] of Object.entries(views)) el.hidden = key !== name;
    for (const tab of document.querySelectorAll('[data-view]')) tab.setAttribute('aria-current', String(tab.dataset.view === name));
    for (const id of ['filter-button', 'mark-all']) $(id).hidden = name !== 'feed';
    if (name !== 'feed') filterPanel.hidden = true;
    if (name === 'stats') view('stats').then(v => v.load());
    if (name === 'chat') view('chat');
  };
  for (const tab of document.querySelectorAll('[data-view]')) tab.addEventListener('click', () => show(tab.dataset.view));

  const status = $('live-status');
  const retry = $('retry-now');
  stream = new LiveStream({
    onEvent: (type, data) => {
      if (type === 'feed.unread') setUnread(data);
      if (type === 'feed.snapshot-required') { feed.reload(); refreshUnread(); return; }
      if (type === 'feed.connected') { refreshUnread(); return; }
      if (type.startsWith('activity.')) {
        feed.handle(type, data);
        drawer.handle(type, data);
        if (type.startsWith('activity.event.')) refreshUnreadSoon();
      }
      if (type.startsWith('chat.') && loaded.chat) loaded.chat.then(chat => chat.handle(type, data));
    },
    onStatus: (state, failures) => {
      status.dataset.state = state;
      $('live-text').textContent = {
        connecting: 'Connecting…',
        live: 'Live',
        reconnecting: `Reconnecting (attempt ${failures})…`,
        offline: 'Offline: waiting for the network',
        polling: 'Live updates paused: refreshing every 10 seconds',
      }[state] || state;
      retry.hidden = state === 'live' || state === 'connecting';
    },
    poll: () => { feed.poll(); refreshUnread(); },
  });
  retry.addEventListener('click', () => stream.retryNow());
  // Back online or back to the tab: reconnect at once instead of waiting out the backoff.
  window.addEventListener('online', () => stream.retryNow());
  window.addEventListener('offline', () => stream.offline());
  document.addEventListener('visibilitychange', () => { if (!document.hidden) stream.retryNow(); });

  window.afp = { feed, stream, drawer, times: keepTimesFresh() }; // for the browser tests and for poking around in devtools
  feed.reload();
  feed.loadTypes();
  refreshUnread();
  stream.start();
  show('feed');
}

start();
