// Shared helpers for the browser scenarios: Debian's Chromium through playwright-core (never a
// downloaded browser), the gateway URL and tokens from the environment, problem-aware HTTP.
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const env = name => {
  const value = process.env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
};

export const BASE = () => env('GATEWAY_URL');
export const SHOTS = () => process.env.SCREENSHOT_DIR || 'screenshots';

export class Skip extends Error {}

/**
 * A fontconfig setup that hides every colour-emoji font from Chromium, as on a machine where
 * none is installed: icons must not depend on one.
 */
export function noEmojiFonts() {
  const dir = join(SHOTS(), '..', 'fontconfig-no-emoji');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'fonts.conf');
  writeFileSync(file, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <cachedir>${join(dir, 'cache')}</cachedir>
  <selectfont><rejectfont>
    <glob>*Emoji*</glob><glob>*emoji*</glob>
    <pattern><patelt name="color"><bool>true</bool></patelt></pattern>
  </rejectfont></selectfont>
</fontconfig>
`);
  return { ...process.env, FONTCONFIG_FILE: file };
}

export async function launch({ env } = {}) {
  // launch() gives every run a fresh temporary profile (the user-data-dir) of its own.
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    env,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * With APP_SOURCE_DIR set (the client's source folder), the page's files are answered from there
 * instead of the packaged service: edit, rerun a scenario, no repackaging.
 */
export async function serveAppFromSource(context) {
  const dir = process.env.APP_SOURCE_DIR;
  if (!dir) return;
  const types = { html: 'text/html', js: 'text/javascript', css: 'text/css', svg: 'image/svg+xml' };
  await context.route('**/app/**', route => {
    const path = new URL(route.request().url()).pathname.replace(/^\/app\/?/, '') || 'index.html';
    if (path.includes('..')) return route.continue();
    try {
      route.fulfill({ body: readFileSync(join(dir, path)), contentType: types[path.split('.').pop()] || 'application/octet-stream' });
    } catch {
      route.continue();
    }
  });
}

/**
 * Waits until the feed's first page is drawn whole: its first tiles come in two frames (the top
 * ones first), and a page that fails to load or shows the sign-in form has nothing to wait for.
 */
export async function firstPageDrawn(page) {
  await page.waitForFunction(() => !window.afp || !window.afp.feed.loading, null, { timeout: 5000 }).catch(() => {});
}

/** A browser context signed in with `token` through the URL fragment, as the local run's link does. */
export async function openFeed(browser, token, { width = 1000, height = 900, timezoneId, isMobile, before } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, timezoneId, isMobile, hasTouch: isMobile });
  await serveAppFromSource(context);
  const page = await context.newPage();
  if (before) await before(page);
  page.on('pageerror', e => console.log(`[page error] ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') console.log(`[console] ${m.text()}`); });
  page.on('dialog', d => { console.log(`[dialog] ${d.type()}: ${d.message()}`); page.dialogs = (page.dialogs || 0) + 1; d.dismiss(); });
  await page.goto(`${BASE()}/app/#token=${token}`);
  await page.locator('#app').waitFor({ state: 'visible', timeout: 15000 });
  await firstPageDrawn(page);
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS(), { recursive: true });
  const file = join(SHOTS(), `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`screenshot: ${file}`);
  return file;
}

export async function http(method, path, token, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${BASE()}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return { status: response.status, json, text, headers: response.headers };
}

/** Posts events through ingest (via the gateway), one by one, in order. */
export async function postEach(events) {
  const ids = [];
  for (const e of events) ids.push(...await postEvents([e]));
  return ids;
}

/** Posts events through ingest (via the gateway), waiting out a 429 as its Retry-After says. */
export async function postEvents(events) {
  for (let attempt = 0; attempt < 60; attempt++) {
    const answer = await http('POST', '/api/v1/events', env('INGEST_TOKEN'), events.length === 1 ? events[0] : { events });
    if (answer.status === 202) return answer.json.events.map(e => e.id);
    if (answer.status !== 429 && answer.status !== 503) throw new Error(`ingest answered ${answer.status}: ${answer.text}`);
    const wait = Number(answer.headers.get('retry-after') || '1');
    await new Promise(resolve => setTimeout(resolve, Math.max(1, wait) * 1000));
  }
  throw new Error('ingest kept refusing the events');
}

/** Skips the scenario (exit code 3, reason printed) when an API it needs is not implemented. */
export async function requireApi(what, method, path, token, body) {
  const answer = await http(method, path, token, body);
  if (answer.status === 404 || answer.status === 405) {
    throw new Skip(`${what} is not available (${method} ${path} answered ${answer.status})`);
  }
  return answer;
}

export async function requireStream(token) {
  await requireApi('the live stream (stream tickets, SPEC §2/§5)', 'POST', '/api/v1/feed/stream-tickets', token);
}

export async function requireSocial(token) {
  await requireApi('social-service (chat and reactions, SPEC §6)', 'GET', '/api/v1/chat/threads', token);
}

export async function requireReadState(token) {
  await requireApi('read state (SPEC §4)', 'GET', '/api/v1/feed/unread-count', token);
}

export function tile(page, text) {
  return page.locator('article.tile', { has: page.locator('.title', { hasText: text }) });
}

/** Reacts through the tile's one React control: opens its picker if closed, then the reaction. */
export async function react(page, text, type) {
  const t = tile(page, text);
  if (await t.locator('.picker').isHidden()) await t.locator('button.react').click();
  await t.locator(`button[data-reaction="${type}"]`).click();
}

/** Waits until the feed API holds a tile whose JSON contains `text`. */
export async function waitForFeed(token, text, query = '') {
  for (let i = 0; i < 150; i++) {
    const feed = await http('GET', `/api/v1/feed${query}`, token);
    if (feed.status === 200 && feed.text.includes(text)) return feed.json;
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`the feed never showed ${text}`);
}

/** Runs axe-core in the page; answers its violations (every impact). */
export async function axe(page, context = 'body') {
  // evaluated through the DevTools protocol, so the page's script-src 'self' does not stop it
  if (!await page.evaluate(() => !!window.axe)) await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  return page.evaluate(async c => {
    const result = await window.axe.run(c, { resultTypes: ['violations'] });
    return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => `${n.target.join(' ')}: ${n.failureSummary}`) }));
  }, context);
}

/** Tiles whose whole box lies inside the viewport. */
export async function tilesOnScreen(page) {
  return page.evaluate(() => [...document.querySelectorAll('article.tile')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
  }).length);
}

export async function waitLive(page) {
  await page.locator('#live-status[data-state="live"]').waitFor({ timeout: 20000 });
}

/** The middle value of a list of figures ('-' when there is none), as the measuring scripts print it. */
export function median(xs) {
  return xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : '-';
}

/** The machine's load average (1, 5, 15 min), printed beside every figure. */
export function loadAverage() {
  return loadavg().map(x => x.toFixed(2)).join(' ');
}

/** Answers a routed request with a 503 problem, as a service that is down would. */
export function unavailable(route, headers = {}) {
  return route.fulfill({ status: 503, contentType: 'application/problem+json', headers,
    body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503 }) });
}

/**
 * What a page says on its console, without running any of the tool's script in it: call before the
 * page loads; the returned function waits up to `ms` for a message and answers whether it came.
 */
export function consoleMessages(page) {
  const said = new Set();
  const waiters = [];
  page.on('console', m => {
    said.add(m.text());
    for (const w of waiters.splice(0)) w();
  });
  return (text, ms) => new Promise(resolve => {
    const deadline = setTimeout(() => resolve(false), ms);
    const check = () => { if (said.has(text)) { clearTimeout(deadline); resolve(true); } else waiters.push(check); };
    check();
  });
}

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
