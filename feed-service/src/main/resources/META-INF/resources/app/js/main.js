import { api, claims, keepToken, setToken, token, useToken } from './api.js';
import { FeedView } from './feed.js';
import { CommentsDrawer } from './comments.js';
import { LiveStream } from './stream.js';
import { icon } from './icons.js';
import { initials } from './tiles.js';
import { keepTimesFresh } from './time.js';
import { Follows, followKey } from './follows.js';
import { names } from './names.js';
import { h, toast } from './dom.js';

const $ = id => document.getElementById(id);
const UNREAD_ANNOUNCE_MS = 10000;
/** The page is shown with its first tiles, or after this long without them. */
const SHELL_AT_LATEST_MS = 800;
/** The unread counts are asked for once the stream connected, or after this long without it. */
const COUNTS_WITHOUT_STREAM_MS = 1500;
/** A poll without a stream asks for the counts unless they were asked for this recently. */
const POLL_COUNTS_AFTER_MS = 5000;

// A token in the URL fragment (the local run prints such links) is used at once; once the first
// tiles are on screen it moves to this tab's session storage and leaves the address bar, so it is
// not bookmarked or shared by accident (returned: the step to take then).
function takeTokenFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const value = params.get('token');
  if (!value) return () => {};
  useToken(value);
  return () => {
    keepToken();
    if (new URLSearchParams(location.hash.slice(1)).get('token') === value) history.replaceState(null, '', location.pathname + location.search);
  };
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
  // a control that redrew itself on click (a removed follow) is no longer in the page: not a click elsewhere
  document.addEventListener('click', e => { if (!panel.hidden && e.target.isConnected && !panel.contains(e.target) && !button.contains(e.target)) set(false); });
  panel.addEventListener('keydown', e => { if (e.key === 'Escape') { set(false); button.focus(); } });
  return set;
}

function start() {
  performance.mark('afp:script-start'); // read by the browser test: when the client's code began to run
  const keepFragmentToken = takeTokenFromFragment();
  $('signin-form').addEventListener('submit', e => {
    e.preventDefault();
    setToken($('token-input').value);
    location.reload();
  });
  const who = claims();
  if (!token() || !who) {
    keepFragmentToken();
    showSignIn(token() ? 'That token cannot be read.' : '');
    return;
  }
  if (who.exp && who.exp * 1000 < Date.now()) {
    setToken(null);
    keepFragmentToken();
    showSignIn('The token has expired: paste a fresh one.');
    return;
  }
  $('signin').hidden = true;
  // The page appears with its first tiles (or when the first page fails, or after SHELL_AT_LATEST_MS):
  // shown before them, the header's own first style, layout and paint ran on the main thread while the
  // first page's answer waited to be handled (on the throttled phone about 130 ms of the path to the
  // first tiles); shown with them, the page is laid out and painted once.
  let shellTimer = setTimeout(() => showShell(), SHELL_AT_LATEST_MS);
  const showShell = () => {
    if (shellTimer === null) return;
    clearTimeout(shellTimer);
    shellTimer = null;
    if ($('signin').hidden) $('app').hidden = false;
  };
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

  names.learnPerson(who.sub, who.name);
  const follows = new Follows();

  const badge = $('unread-badge');
  const announce = unreadAnnouncer($('unread-label'));
  const showCount = (el, answer, label) => {
    const text = answer.capped ? `${answer.unread}+` : String(answer.unread);
    el.textContent = text;
    el.dataset.count = String(answer.unread);
    el.hidden = answer.unread === 0;
    el.setAttribute('aria-label', `${text} unread${label}`);
    return text;
  };
  const setUnread = answer => {
    if (!answer || typeof answer.unread !== 'number') return;
    const text = showCount(badge, answer, '');
    announce(text);
    document.title = answer.unread ? `(${text}) Activity feed` : 'Activity feed';
  };
  // The Following view's own count: GET /unread-count?following=true (feed.unread on the stream is the full count).
  const setFollowingUnread = answer => {
    if (answer && typeof answer.unread === 'number') showCount($('following-badge'), answer, ' you follow');
  };
  let followingAsked = 0;
  const refreshFollowingUnread = () => {
    const asked = ++followingAsked;
    return api('GET', '/api/v1/feed/unread-count?following=true')
      .then(answer => { if (asked === followingAsked) setFollowingUnread(answer); }).catch(() => {});
  };
  let countedAt = 0;
  const refreshUnread = () => {
    countedAt = Date.now();
    return Promise.all([
      api('GET', '/api/v1/feed/unread-count').then(setUnread).catch(() => {}),
      refreshFollowingUnread(),
    ]);
  };
  let unreadTimer;
  const refreshUnreadSoon = () => { clearTimeout(unreadTimer); unreadTimer = setTimeout(refreshUnread, 300); };
  // a read in one view is a read in the other, and changes both counts
  const onUnread = answer => { setUnread(answer); refreshFollowingUnread(); };

  const drawer = new CommentsDrawer({
    root: $('drawer'),
    onPosted: (tileId, comment) => {
      for (const view of feedViews()) view.commentChanged(tileId, comment, 1);
      follows.reloadSoon(); // commenting makes the reader follow the tile's entity (participating); the stream usually says so sooner
    },
  });
  const filterPanel = $('filters');
  let active = 'feed';
  let following = null; // the Following view, made when first opened
  const feedViews = () => (following ? [feed, following.view] : [feed]);
  const activeFeed = () => (active === 'following' && following ? following.view : feed);
  const filtersChanged = () => {
    const n = activeFeed().activeFilters();
    $('filter-count').hidden = n === 0;
    $('filter-count').textContent = String(n);
    $('filter-button').setAttribute('aria-label', n ? `Filter, ${n} active` : 'Filter');
    if (!filterPanel.hidden) redrawFilters();
  };
  const common = {
    me: who.sub, follows, onUnread,
    onComments: tile => drawer.open(tile),
    onFiltersChanged: filtersChanged,
    onReacted: () => follows.reloadSoon(), // reacting makes the reader follow the tile's entity (participating); the stream usually says so sooner
  };
  const feed = new FeedView({ ...common, root: $('feed'), onRead: id => following && following.view.markReadLocal(id), onFirstPage: showShell });
  const redrawFilters = () => {
    const focused = filterPanel.contains(document.activeElement) ? document.activeElement.id : null;
    activeFeed().renderFilters(filterPanel);
    if (focused && $(focused)) $(focused).focus();
  };
  disclosure($('filter-button'), filterPanel, () => {
    redrawFilters();
    const first = filterPanel.querySelector('input');
    if (first) first.focus();
  });
  $('mark-all').addEventListener('click', async () => {
    await activeFeed().markAllRead();
    for (const view of feedViews()) view.markAllLocal();
  });

  // ---- follows: the list with remove buttons, the tiles' follow controls, the Following view ----
  const followName = f => (f.kind === 'actor' ? names.person(f.actorId)
    : f.kind === 'entity' ? names.entity(f.entityType, f.entityId) : (feed.typeList.find(t => t.type === f.type) || {}).name || names.type(f.type));
  const KIND = { actor: 'Person', entity: 'Item', type: 'Type' };
  const drawFollows = () => {
    const items = follows.list().filter(f => !f.pending);
    $('follows-summary').textContent = items.length === 0 ? 'You follow nothing yet.'
      : `You follow ${items.length} ${items.length === 1 ? 'thing' : 'things'}.`;
    $('follows-empty').hidden = items.length > 0;
    const list = $('follows-list');
    const focusedKey = list.contains(document.activeElement) ? document.activeElement.dataset.followKey : null;
    list.replaceChildren(...items.map(f => {
      const name = followName(f);
      const detail = f.kind === 'entity' ? f.entityType : null;
      const origin = f.origin === 'participating' ? 'participating' : 'followed';
      return h('li', { class: 'follow-row', dataset: { followKey: followKey(f), kind: f.kind, origin: f.origin || '' } },
        h('span', { class: 'follow-row-kind' }, detail ? `${KIND[f.kind]} · ${detail}` : KIND[f.kind]),
        h('span', { class: 'follow-row-name' }, name),
        h('span', { class: `origin origin-${origin}`, title: origin === 'participating' ? 'You reacted or commented here' : 'You followed this' }, origin),
        typeof f.followers === 'number' && f.followers > 1 ? h('span', { class: 'muted followers' }, `${f.followers} followers`) : null,
        h('button', {
          type: 'button', class: 'ghost remove-follow', dataset: { followKey: followKey(f) }, title: `Stop following ${name}`,
          onclick: () => follows.unfollow(f).then(() => toast(`Unfollowed ${name}`)).catch(e => toast(`Could not unfollow ${name}: ${e.message}`, 'error')),
        }, icon('trash', { size: 16 }), h('span', { class: 'remove-label' }, 'Remove'), h('span', { class: 'sr-only' }, ` ${name}`)));
    }));
    // focus was on a row that went: the next row, or the toggle
    if (focusedKey && !list.contains(document.activeElement)) (list.querySelector('button.remove-follow') || $('follows-toggle')).focus();
  };
  disclosure($('follows-toggle'), $('follows-panel'));
  let followsShown = null; // the targets the Following view was last loaded with
  follows.onChange(() => {
    drawFollows();
    for (const view of feedViews()) view.followsChanged();
    const now = follows.settledKeys().join('\n');
    if (now === followsShown) return;
    const first = followsShown === null;
    followsShown = now;
    // the list as first loaded is what the service counted and filtered with already: nothing to ask again
    if (first) return;
    // the stream's filter follows the change by itself (SPEC §4a); tiles already drawn and the count do not
    refreshFollowingUnread();
    if (following) following.view.reload();
  });

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

  /**
   * The Following view has a stream of its own, GET /feed/stream?following=true, open while the view
   * is shown: the service decides which tiles match (a group's members beyond the five samples, follows
   * changed in another tab), so the client never guesses from the full stream. It is closed when the
   * view is left, because the service caps each user's open streams (10 by default) and a tab already
   * holds one for the full feed; the Following badge needs no stream, only a count, which the full
   * stream's tile events ask for again. Opened afresh, the view loads its first page at once and again
   * once the stream is connected, so nothing falls between the page and the stream.
   */
  const openFollowing = () => {
    if (!following) {
      const followingView = new FeedView({
        ...common, root: $('following-feed'), following: true, prefix: 'fo-', label: 'Following',
        emptyText: 'Nothing from what you follow yet: the star on a tile follows its people, items or type.',
        onRead: id => feed.markReadLocal(id),
      });
      followingView.typeList = feed.typeList;
      const followingStream = new LiveStream({
        params: { following: 'true' },
        onEvent: (type, data) => {
          if (type === 'feed.connected') { if (following.fresh) { following.fresh = false; followingView.reload(); } return; }
          if (type === 'feed.snapshot-required') { followingView.reload(); return; }
          if (type.startsWith('activity.') || type === 'feed.unread') followingView.handle(type, data);
        },
        onStatus: state => { $('following-feed').dataset.stream = state; },
        poll: () => followingView.poll(),
      });
      following = { view: followingView, stream: followingStream, fresh: true };
      window.afp.following = following;
    }
    following.fresh = true;
    following.view.reload(); // at once, and again once the stream is connected: nothing waits for the stream
    following.stream.lastEventId = null;
    following.stream.start();
  };
  const closeFollowing = () => { if (following) following.stream.stop(); };

  const views = { feed: $('feed-view'), following: $('following-view'), chat: $('chat'), stats: $('stats') };
  const show = name => {
    const before = active;
    active = name;
    for (const [key, el] of Object.entries(views)) el.hidden = key !== name;
    for (const tab of document.querySelectorAll('[data-view]')) tab.setAttribute('aria-current', String(tab.dataset.view === name));
    for (const id of ['filter-button', 'mark-all']) $(id).hidden = name !== 'feed' && name !== 'following';
    filterPanel.hidden = true;
    $('filter-button').setAttribute('aria-expanded', 'false');
    if (name === 'following' && before !== 'following') {
      openFollowing();
      follows.load().catch(() => {});
    }
    if (name !== 'following' && before === 'following') closeFollowing();
    if (name === 'feed' || name === 'following') filtersChanged();
    if (name === 'stats') view('stats').then(v => v.load());
    if (name === 'chat') view('chat');
  };
  for (const tab of document.querySelectorAll('[data-view]')) tab.addEventListener('click', () => show(tab.dataset.view));

  let connectedOnce = false;
  const status = $('live-status');
  const retry = $('retry-now');
  stream = new LiveStream({
    onEvent: (type, data) => {
      if (type === 'feed.unread') { setUnread(data); refreshFollowingUnread(); }
      if (type === 'feed.snapshot-required') { feed.reload(); refreshUnread(); return; }
      if (type === 'feed.connected') {
        refreshUnread();
        // The first page is asked for before the scripts load, the stream only once they ran: what
        // came in between is on neither, so the first connection merges the first page again.
        if (!connectedOnce) { connectedOnce = true; feed.poll(); }
        return;
      }
      if (data && data.comment) names.learnPerson(data.comment.authorId, data.comment.authorName);
      // the reader's own reaction or comment came back: the participating follow (SPEC §4a) was
      // committed with it, in the same transaction, so the list is read again now
      if ((type === 'activity.reaction.updated' && data && data.actorId === who.sub && data.action === 'added')
        || (type === 'activity.comment.created' && data && data.comment && data.comment.authorId === who.sub)) follows.reloadSoon(50);
      if (data && type === 'chat.message.created') names.learnPerson(data.authorId, data.authorName);
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
    // polling (no stream): the counts too, unless just asked for (the first poll follows the counts
    // asked for without a stream within a second or two)
    poll: () => { feed.poll(); if (Date.now() - countedAt > POLL_COUNTS_AFTER_MS) refreshUnread(); },
  });
  // Back online, back to the tab or "Retry now": reconnect at once instead of waiting out the backoff.
  const retryAll = () => { stream.retryNow(); if (following && active === 'following') following.stream.retryNow(); };
  retry.addEventListener('click', retryAll);
  window.addEventListener('online', retryAll);
  window.addEventListener('offline', () => stream.offline());
  document.addEventListener('visibilitychange', () => { if (!document.hidden) retryAll(); });

  window.afp = { feed, stream, drawer, follows, names, times: keepTimesFresh() }; // for the browser tests and for poking around in devtools
  // The first tiles come first: the catalog, the follows, the counts and the stream are asked for
  // once they are on screen. Asked at once, their answers were handled on the main thread before
  // the first page's (a throttled phone drew its tiles half a second after the page had arrived).
  // The stream's first connection reads the first page again, so nothing that changed meanwhile is missed.
  feed.reload().finally(() => requestAnimationFrame(() => setTimeout(() => {
    keepFragmentToken();
    feed.loadTypes().then(types => { if (following) following.view.typeList = types; drawFollows(); });
    follows.load().catch(() => {});
    // the counts are asked for when the stream has connected (feed.connected), which covers what
    // happened before it; asked here as well, each page load counted twice (a following=true count
    // walks up to thousands of tiles on a large tenant). Without a stream soon, they are asked anyway.
    setTimeout(() => { if (!connectedOnce) refreshUnread(); }, COUNTS_WITHOUT_STREAM_MS);
    stream.start();
  }, 0)));
  show('feed');
  performance.mark('afp:script-ready'); // read by the browser test: the client is set up (the first page may still be on its way)
}

start();
