// Shared helpers for the browser scenarios: Debian's Chromium through playwright-core (never a
// downloaded browser), the gateway URL and tokens from the environment, problem-aware HTTP.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const env = name => {
  const value = process.env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
};

export const BASE = () => env('GATEWAY_URL');
export const SHOTS = () => process.env.SCREENSHOT_DIR || 'screenshots';

export class Skip extends Error {}

export async function launch() {
  // launch() gives every run a fresh temporary profile (the user-data-dir) of its own.
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A browser context signed in with `token` through the URL fragment, as the local run's link does. */
export async function openFeed(browser, token, { width = 1000, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.on('pageerror', e => console.log(`[page error] ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') console.log(`[console] ${m.text()}`); });
  page.on('dialog', d => { console.log(`[dialog] ${d.type()}: ${d.message()}`); page.dialogs = (page.dialogs || 0) + 1; d.dismiss(); });
  await page.goto(`${BASE()}/app/#token=${token}`);
  await page.locator('#app').waitFor({ state: 'visible', timeout: 15000 });
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

export async function waitLive(page) {
  await page.locator('#live-status[data-state="live"]').waitFor({ timeout: 20000 });
}

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
