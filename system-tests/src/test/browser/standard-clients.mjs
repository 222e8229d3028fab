// A standard SSE client on the live stream, with no reconnect code of ours: whatever reconnects
// is the client's own (SPEC §2, R2). Prints one line per received event ("EVENT <id|-> <name>"),
// per error ("ERROR <readyState>") and per open ("OPEN"); stops when its stdin closes.
//
//   node standard-clients.mjs eventsource-bearer   # the eventsource npm package, Authorization: Bearer
//   node standard-clients.mjs eventsource-ticket   # the same package, ?ticket= plus the stream cookie
//   node standard-clients.mjs chromium             # Chromium's native EventSource, ?ticket= plus the cookie
//
// Environment: FEED_URL (where the stream is served), READER_TOKEN.
import { EventSource } from 'eventsource';
import { env, launch } from './lib.mjs';

// Every event of the stream is named (SPEC §5), so onmessage never fires: one listener per name.
const EVENT_NAMES = ['feed.connected', 'feed.snapshot-required', 'feed.unread',
  'activity.event.created', 'activity.event.updated', 'activity.event.folded', 'activity.event.removed',
  'activity.reaction.updated', 'activity.comment.created', 'activity.comment.deleted',
  'chat.thread.created', 'chat.thread.updated', 'chat.thread.deleted', 'chat.message.created'];

const report = (id, name) => console.log(`EVENT ${id || '-'} ${name}`);
const mode = process.argv[2];
const base = env('FEED_URL');
const token = env('READER_TOKEN');

function listen(source) {
  for (const name of EVENT_NAMES) source.addEventListener(name, e => report(e.lastEventId, name));
  source.onmessage = e => console.log(`UNNAMED ${e.lastEventId || '-'}`);
  source.onopen = () => console.log('OPEN');
  source.onerror = () => console.log(`ERROR ${source.readyState}`);
}

/** The ticket and the Set-Cookie of POST /stream-tickets, as a server-side client sees them. */
async function ticketAndCookie() {
  const response = await fetch(`${base}/api/v1/feed/stream-tickets`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`stream-tickets answered ${response.status}`);
  const { ticket } = await response.json();
  const cookie = response.headers.getSetCookie().map(c => c.split(';')[0]).find(c => c.startsWith('afp_stream='));
  if (!cookie) throw new Error('no stream cookie was set');
  return { ticket, cookie };
}

const stdinClosed = new Promise(resolve => { process.stdin.on('end', resolve); process.stdin.on('close', resolve); process.stdin.resume(); });

if (mode === 'eventsource-bearer' || mode === 'eventsource-ticket') {
  let url = `${base}/api/v1/feed/stream`;
  let headers = { Authorization: `Bearer ${token}` };
  if (mode === 'eventsource-ticket') {
    // what a cookie-keeping HTTP client does: the cookie goes back on every request to its path
    const { ticket, cookie } = await ticketAndCookie();
    url += `?ticket=${encodeURIComponent(ticket)}`;
    headers = { Cookie: cookie };
  }
  const source = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, ...headers } }),
  });
  listen(source);
  await stdinClosed;
  source.close();
} else if (mode === 'chromium') {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    page.on('console', m => console.log(`[console] ${m.text()}`));
    await page.exposeFunction('report', (line) => console.log(line));
    // any page of the stream's origin: the ticket's cookie is then first-party (SameSite=Strict)
    await page.goto(`${base}/q/health/live`);
    await page.evaluate(async ({ token, names }) => {
      const response = await fetch('/api/v1/feed/stream-tickets', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      const { ticket } = await response.json();
      const source = new EventSource(`/api/v1/feed/stream?ticket=${encodeURIComponent(ticket)}`);
      for (const name of names) source.addEventListener(name, e => window.report(`EVENT ${e.lastEventId || '-'} ${name}`));
      source.onmessage = e => window.report(`UNNAMED ${e.lastEventId || '-'}`);
      source.onopen = () => window.report('OPEN');
      source.onerror = () => window.report(`ERROR ${source.readyState}`);
      window.streamSource = source;
    }, { token, names: EVENT_NAMES });
    await stdinClosed;
  } finally {
    await browser.close();
  }
} else {
  console.error(`unknown client ${mode}`);
  process.exit(2);
}
process.exit(0);
