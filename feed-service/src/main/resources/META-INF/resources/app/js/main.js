import { api, claims, setToken, token } from './api.js';
import { h, toast } from './dom.js';
import { FeedView } from './feed.js';
import { CommentsDrawer } from './comments.js';
import { ChatView } from './chat.js';
import { StatsView } from './stats.js';
import { LiveStream } from './stream.js';

const $ = id => document.getElementById(id);

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
  $('whoami').textContent = `${who.name || who.sub} · ${who.tenant}`;
  let stream = null;
  document.addEventListener('afp:unauthorized', () => {
    if (stream) stream.stop();
    setToken(null);
    showSignIn('The server refused the token: paste a valid one.');
  });
  $('sign-out').addEventListener('click', () => { setToken(null); location.reload(); });

  const badge = $('unread-badge');
  const setUnread = answer => {
    if (!answer || typeof answer.unread !== 'number') return;
    const text = answer.capped ? `${answer.unread}+` : String(answer.unread);
    badge.textContent = text;
    badge.dataset.count = String(answer.unread);
    badge.hidden = answer.unread === 0;
    $('unread-label').textContent = `${text} unread`;
    document.title = answer.unread ? `(${text}) Activity feed` : 'Activity feed';
  };
  const refreshUnread = () => api('GET', '/api/v1/feed/unread-count').then(setUnread).catch(() => {});
  let unreadTimer;
  const refreshUnreadSoon = () => { clearTimeout(unreadTimer); unreadTimer = setTimeout(refreshUnread, 300); };

  const drawer = new CommentsDrawer({
    root: $('drawer'),
    onPosted: (tileId, comment) => feed.commentChanged(tileId, comment, 1),
  });
  const feed = new FeedView({
    root: $('feed'), me: who.sub, onUnread: setUnread,
    onComments: tile => drawer.open(tile),
  });
  const chat = new ChatView({ root: $('chat') });
  const stats = new StatsView({ root: $('stats') });
  $('mark-all').addEventListener('click', () => feed.markAllRead());

  const views = { feed: $('feed-view'), chat: $('chat'), stats: $('stats') };
  const loaded = new Set(['feed']);
  const show = name => {
    for (const [key, el] of Object.entries(views)) el.hidden = key !== name;
    for (const tab of document.querySelectorAll('[data-view]')) tab.setAttribute('aria-current', String(tab.dataset.view === name));
    if (name === 'chat' && !loaded.has('chat')) { loaded.add('chat'); chat.load(); }
    if (name === 'stats') stats.load();
  };
  for (const tab of document.querySelectorAll('[data-view]')) tab.addEventListener('click', () => show(tab.dataset.view));

  const status = $('live-status');
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
      if (type.startsWith('chat.')) chat.handle(type, data);
    },
    onStatus: (state, failures) => {
      status.dataset.state = state;
      status.textContent = {
        connecting: 'Connecting…',
        live: 'Live',
        reconnecting: `Reconnecting (attempt ${failures})…`,
        polling: 'Live updates are unavailable: refreshing every 10 seconds while reconnecting',
      }[state] || state;
    },
    poll: () => { feed.poll(); refreshUnread(); },
  });

  feed.reload();
  feed.loadTypes();
  refreshUnread();
  stream.start();
  show('feed');
  window.afp = { feed, chat, stream }; // for the browser tests and for poking around in devtools
}

start();
