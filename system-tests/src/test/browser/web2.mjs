// The browser scenarios of the web client's second edition (issue 17): activity order, compact
// tiles, phone layout, SVG icons without an emoji font, fresh times, connection state, the
// comments dialog, keyboard navigation, axe, texts, caching, lazy loading and first-tile timing.
import {
  env, launch, openFeed, screenshot, http, postEvents, postEach, requireStream, requireSocial, requireReadState,
  tile, waitLive, assert, axe, unavailable, consoleMessages, tilesOnScreen, waitForFeed, noEmojiFonts, serveAppFromSource, Skip, react,
} from './lib.mjs';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const T = 20000;
const short = () => randomUUID().slice(0, 6);
const person = name => ({ id: name.toLowerCase().replace(/\s+/g, '-'), name });
const badge = (who, name, extra = {}) => ({
  type: 'badge_earned', actor: person(who), entity: { type: 'badge', id: name.toLowerCase().replace(/\s+/g, '-'), name }, ...extra,
});
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** A screen's worth of filler tiles of distinct types (high priority is never grouped). */
async function fillers(n, prefix = 'Filler') {
  const titles = Array.from({ length: n }, (_, i) => `${prefix} ${i} ${short()}`);
  await postEvents(titles.map((title, i) => ({ type: `filler_${i % 7}`, priority: 'high', title, actor: person('Dana Scully') })));
  await waitForFeed(env('READER_TOKEN'), titles[n - 1]);
  return titles;
}

async function firstTileId(page) {
  return page.locator('article.tile').first().getAttribute('data-id');
}

export const scenarios = {
  /** A group that grows moves to the top with a short highlight; scrolled down, the pill counts it. */
  async 'activity-order'({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    const type = `sprint_${short()}`;
    await postEach(['Ada Lovelace', 'Grace Hopper', 'Alan Turing'].map(who => ({ type, title: `${who} closed a sprint`, actor: person(who) })));
    const later = await fillers(24);
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
    pages.push(page);
    await waitLive(page);
    const group = page.locator(`article.tile[data-type="${type}"]`);
    await group.waitFor({ state: 'attached', timeout: T }).catch(() => {});
    const position = async () => page.evaluate(t => [...document.querySelectorAll('article.tile')].findIndex(a => a.dataset.type === t), type);
    assert(await position() === -1 || await position() > 5, `the group starts below the newer tiles (at ${await position()})`);

    await postEvents([{ type, title: 'Linus Torvalds closed a sprint', actor: person('Linus Torvalds') }]);
    await page.waitForFunction(t => {
      const first = document.querySelector('article.tile');
      return first && first.dataset.type === t && first.dataset.count === '4';
    }, type, { timeout: T });
    assert(await group.evaluate(el => el.classList.contains('moved')), 'the moved group is highlighted');
    await page.waitForFunction(t => !document.querySelector(`article.tile[data-type="${t}"]`).classList.contains('moved'), type, { timeout: 5000 });
    console.log('a grown group moved to the top, highlighted for a moment');

    // scrolled down: growth waits behind the pill, which counts it, and goes to the top on a click
    await page.locator('article.tile').nth(20).scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 2000);
    await page.waitForFunction(() => window.scrollY > 200);
    await postEvents([{ type, title: 'Margaret Hamilton closed a sprint', actor: person('Margaret Hamilton') }]);
    await page.locator('.new-pill', { hasText: '1 new activity' }).waitFor({ timeout: T });
    assert(await group.count() === 0, 'the grown group waits behind the pill');
    await page.locator('.new-pill').click();
    await page.waitForFunction(t => {
      const first = document.querySelector('article.tile');
      return first && first.dataset.type === t && first.dataset.count === '5';
    }, type, { timeout: T });
    assert(later.length === 24, 'fillers were posted');
  },

  /** A group names its most recent items and people, most recent first; samples do not repeat the actor. */
  async 'group-summary'({ browser, pages }) {
    await postEach([
      badge('Ada Lovelace', 'Sprint Champion'), badge('Grace Hopper', 'Bug Hunter'),
      badge('Alan Turing', 'Code Reviewer'), badge('Ada Lovelace', 'Night Owl'),
    ]);
    await waitForFeed(env('READER_TOKEN'), '"count":4');
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
    pages.push(page);
    const group = page.locator('article.tile[data-kind="group"]');
    await group.waitFor({ timeout: T });
    const text = await group.locator('.sentence').textContent();
    console.log(`group line: ${text}`);
    assert(text.includes('4 badges earned: Night Owl, Code Reviewer +2'), `the most recent items first, the rest counted: ${text}`);
    assert(text.includes('Ada Lovelace, Alan Turing +1'), `the most recent people first: ${text}`);
    await group.locator('button.expand').click();
    const samples = await group.locator('.samples .sample-title').allTextContents();
    console.log(`samples: ${JSON.stringify(samples)}`);
    assert(samples.length === 4 && samples[0] === 'Ada Lovelace earned Night Owl', `newest sample first: ${samples}`);
    for (const s of samples) {
      const name = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing'].find(n => s.includes(n));
      assert(name && s.split(name).length === 2, `a sample names its actor once: ${s}`);
    }
  },

  /** One-line tiles: ≥ 7 per desktop screen and ≥ 5 per phone screen; phone header in one row; one Filter control. */
  async density({ browser, pages }) {
    const titles = await fillers(30, 'Dense');
    const top = titles[29];
    // a tile with reactions from someone else: only non-zero counts are shown, with who reacted
    const items = (await http('GET', '/api/v1/feed?limit=20', env('READER_TOKEN'))).json.items;
    const target = items.find(t => t.title === top);
    for (let i = 0; target && i < 30; i++) {
      if ((await http('PUT', `/api/v1/tiles/${target.id}/reactions/hype`, env('READER2_TOKEN'))).status === 200) break;
      await sleep(500);
    }
    const desktop = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
    pages.push(desktop);
    await tile(desktop, top).waitFor({ timeout: T });
    const onDesktop = await tilesOnScreen(desktop);
    console.log(`MEASURE tiles fully on a 1280×800 screen: ${onDesktop}`);
    assert(onDesktop >= 7, `at least 7 tiles on a desktop screen, saw ${onDesktop}`);
    const heights = await desktop.locator('article.tile').evaluateAll(els => els.map(e => e.getBoundingClientRect().height));
    console.log(`tile heights: ${heights.slice(0, 5).map(Math.round)}`);
    const t = tile(desktop, top);
    assert(await t.locator('.avatar').textContent() === 'DS', 'the avatar shows initials');
    // the reaction is accepted by social before the feed has it: it may reach the page on the stream,
    // after the first page was read (a fresh-clone run opened the page in between)
    await t.locator('.rx[data-count="hype"]').waitFor({ timeout: T });
    assert(await t.locator('.rx').count() === 1, 'only the non-zero reaction is shown');
    const hype = await t.locator('.rx[data-count="hype"]').getAttribute('title');
    assert(/Hype 1/.test(hype), `the count has a title: ${hype}`);
    await t.locator('.rx[data-count="hype"]').hover();
    await t.locator('.rx[data-count="hype"][title="Hype 1: bob"]').waitFor({ state: 'attached', timeout: T });
    assert(await t.locator('button.react').count() === 1 && await t.locator('button[data-reaction]:visible').count() === 0,
      'one React control; the reactions stay in its picker until it is opened');
    assert(await tile(desktop, titles[28]).locator('.rx').count() === 0, 'no zero counts');
    await screenshot(desktop, 'density-desktop');

    const phone = await openFeed(browser, env('READER_TOKEN'), { width: 390, height: 844, isMobile: true });
    pages.push(phone);
    await tile(phone, top).waitFor({ timeout: T });
    const header = await phone.locator('header.top').boundingBox();
    const first = await phone.locator('article.tile').first().boundingBox();
    const onPhone = await tilesOnScreen(phone);
    console.log(`MEASURE phone: header ${Math.round(header.height)} px, first tile at y=${Math.round(first.y)}, ${onPhone} tiles on a 390×844 screen`);
    assert(header.height <= 60, `the phone header is one row (${header.height} px)`);
    assert(first.y < 130, `the first tile starts near the top (y=${first.y})`);
    assert(onPhone >= 5, `at least 5 tiles on a phone screen, saw ${onPhone}`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `no sideways scrolling at 390 px (overflow ${overflow} px)`);
    // the filters are behind one control, in labelled groups
    assert(await phone.locator('#filters').isHidden(), 'filters start folded away');
    await phone.locator('#filter-button').click();
    const legends = await phone.locator('#filters legend').allTextContents();
    assert(['Type', 'Priority', 'Show'].every(l => legends.includes(l)), `labelled filter groups: ${legends}`);
    await phone.locator('#filters input[data-priority="high"]').check();
    await phone.waitForFunction(() => document.getElementById('filter-count').textContent === '1');
    await screenshot(phone, 'density-phone-filters');
    await phone.keyboard.press('Escape');
    assert(await phone.locator('#filters').isHidden(), 'Esc folds the filters away');
  },

  /** Without any colour-emoji font every icon still draws: they are SVG. */
  async 'icons-no-emoji'({ pages }) {
    const browser = await launch({ env: noEmojiFonts() });
    try {
      await postEach([badge('Ada Lovelace', 'Sprint Champion'), { type: 'xp_rank_up', actor: person('Grace Hopper'), entity: { type: 'rank', id: 'gold', name: 'Gold' } }]);
      await waitForFeed(env('READER_TOKEN'), 'Grace Hopper');
      const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
      pages.push(page);
      await page.locator('article.tile').first().waitFor({ timeout: T });
      // the environment: an emoji drawn on a canvas has no colour (no colour-emoji font to draw it)
      const colourful = await page.evaluate(() => {
        const c = document.createElement('canvas');
        c.width = c.height = 40;
        const g = c.getContext('2d');
        g.font = '32px sans-serif';
        g.fillText('\u{1F525}', 2, 32);
        const d = g.getImageData(0, 0, 40, 40).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (Math.abs(d[i] - d[i + 1]) > 40 || Math.abs(d[i + 1] - d[i + 2]) > 40)) n++;
        return n;
      });
      assert(colourful === 0, `no colour-emoji font is available to the page (${colourful} coloured pixels)`);
      const report = await page.evaluate(() => {
        const icons = [...document.querySelectorAll('header svg.i, article.tile svg.i')];
        const visible = icons.filter(i => i.getClientRects().length);
        const drawn = visible.filter(i => { const b = i.getBBox(); return b.width > 4 && b.height > 4; });
        const emoji = /\p{Extended_Pictographic}/u.test(document.getElementById('app').innerText);
        return { icons: icons.length, visible: visible.length, drawn: drawn.length, emoji };
      });
      console.log(`icons: ${JSON.stringify(report)}`);
      assert(report.visible >= 8 && report.drawn === report.visible, `every visible icon is drawn: ${JSON.stringify(report)}`);
      assert(!report.emoji, 'no emoji in the page text');
      await screenshot(page, 'icons-no-emoji');
    } finally {
      await browser.close();
    }
  },

  /** Relative times refresh every 30 s. */
  async 'times-refresh'({ browser, pages }) {
    const title = `Fresh ${short()}`;
    await postEvents([{ type: 'clock_probe', title, actor: person('Ada Lovelace'), occurredAt: new Date(Date.now() - 20000).toISOString() }]);
    await waitForFeed(env('READER_TOKEN'), title);
    const page = await openFeed(browser, env('READER_TOKEN'), { before: p => p.clock.install() });
    pages.push(page);
    const when = tile(page, title).locator('time.when');
    await when.waitFor({ timeout: T });
    const before = await when.textContent();
    assert(before === 'just now', `a 20 s old event is "just now", was ${before}`);
    await page.clock.fastForward(31000);
    await page.waitForFunction(t => {
      const el = [...document.querySelectorAll('article.tile')].find(a => a.querySelector('.title').textContent === t);
      return el && el.querySelector('time.when').textContent !== 'just now';
    }, title, { timeout: 5000 });
    console.log(`after 31 s: "${await when.textContent()}"`);
    // the client words relative times itself (no Intl before the first tiles): the same words as
    // Intl.RelativeTimeFormat in English with numeric 'auto', from seconds to weeks
    const ago = { seconds: 50, minutes: 3 * 60, hours: 100 * 60, yesterday: 26 * 3600, days: 3 * 86400, 'last week': 8 * 86400, weeks: 20 * 86400 };
    const tag = short();
    await postEvents(Object.entries(ago).map(([label, s]) => ({
      type: 'clock_probe', priority: 'high', title: `Ago ${label} ${tag}`, actor: person('Ada Lovelace'),
      occurredAt: new Date(Date.now() - s * 1000).toISOString(),
    })));
    await waitForFeed(env('READER_TOKEN'), `Ago weeks ${tag}`);
    const words = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 2400 });
    pages.push(words);
    for (const [label, s] of Object.entries(ago)) {
      const time = tile(words, `Ago ${label} ${tag}`).locator('time.when');
      await time.waitFor({ timeout: T });
      const shown = await time.textContent();
      // what Intl says for each moment of the last 10 s (the text was worded when the page drew it)
      const expected = await words.evaluate(([iso]) => {
        const units = [['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
        const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
        return [...new Set(Array.from({ length: 11 }, (_, back) => {
          const seconds = Math.round((Date.parse(iso) - (Date.now() - back * 1000)) / 1000);
          const [unit, size] = units.find(([, size]) => Math.abs(seconds) >= size);
          return format.format(Math.round(seconds / size), unit);
        }))];
      }, [await time.getAttribute('datetime')]);
      console.log(`${label}: "${shown}" (Intl over the last 10 s: ${JSON.stringify(expected)})`);
      assert(expected.includes(shown), `${s} s ago reads "${shown}", Intl.RelativeTimeFormat says ${JSON.stringify(expected)}`);
    }
  },

  /** The connection state sits in the sticky header, with "Retry now"; online and a visible tab reconnect at once. */
  async connection({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    await fillers(30, 'Scroll');
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    await serveAppFromSource(context);
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${env('GATEWAY_URL')}/app/#token=${env('READER_TOKEN')}`);
    await waitLive(page);
    await page.mouse.wheel(0, 3000);
    await page.waitForFunction(() => window.scrollY > 300);
    const box = await page.locator('#live-status').boundingBox();
    assert(box && box.y >= 0 && box.y < 60, `the state stays in view while scrolled (y=${box && box.y})`);

    const refuse = route => unavailable(route);
    await context.route('**/api/v1/feed/stream-tickets', refuse);
    // the stream drops: the page reconnects with backoff while tickets are refused
    await page.evaluate(() => { const s = window.afp.stream; s.source.close(); s.source.onerror(); });
    await page.waitForFunction(() => window.afp.stream.failures >= 4, null, { timeout: 40000 });
    assert(await page.locator('#retry-now').isVisible(), '"Retry now" is offered');
    await context.unroute('**/api/v1/feed/stream-tickets');
    let t0 = Date.now();
    await page.locator('#retry-now').click();
    await waitLive(page);
    console.log(`MEASURE Retry now → live in ${Date.now() - t0} ms`);
    assert(Date.now() - t0 < 3000, 'Retry now reconnects at once, not after the backoff');
    assert(await page.locator('#retry-now').isHidden(), '"Retry now" goes away once live');

    // offline, then online: reconnects on the online event
    await context.route('**/api/v1/feed/stream-tickets', refuse);
    await context.setOffline(true);
    await page.locator('#live-status[data-state="offline"], #live-status[data-state="reconnecting"]').waitFor({ timeout: T });
    await page.waitForFunction(() => window.afp.stream.failures >= 4, null, { timeout: 40000 }).catch(() => {});
    await context.unroute('**/api/v1/feed/stream-tickets');
    t0 = Date.now();
    await context.setOffline(false);
    await waitLive(page);
    console.log(`MEASURE online → live in ${Date.now() - t0} ms`);
    assert(Date.now() - t0 < 3000, 'the online event reconnects at once');

    // a tab coming back to view reconnects at once too
    await context.route('**/api/v1/feed/stream-tickets', refuse);
    await page.evaluate(() => { const s = window.afp.stream; s.source.close(); s.source.onerror(); });
    await page.waitForFunction(() => window.afp.stream.failures >= 4, null, { timeout: 40000 });
    await context.unroute('**/api/v1/feed/stream-tickets');
    t0 = Date.now();
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await waitLive(page);
    console.log(`MEASURE tab visible → live in ${Date.now() - t0} ms`);
    assert(Date.now() - t0 < 3000, 'a visible tab reconnects at once');
  },

  /** The comments dialog keeps focus, gives it back, closes on Esc, backdrop click; has an empty state. */
  async dialog({ browser, pages }) {
    await requireSocial(env('READER_TOKEN'));
    const title = `Dialog target ${short()}`;
    await postEvents([{ type: 'dialog_probe', title, actor: person('Grace Hopper') }]);
    await waitForFeed(env('READER_TOKEN'), title);
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
    pages.push(page);
    const target = tile(page, title);
    await target.waitFor({ timeout: T });
    // social learns tiles from the change log: wait until it knows this one
    const id = await target.getAttribute('data-id');
    for (let i = 0; i < 50 && (await http('GET', `/api/v1/tiles/${id}/comments`, env('READER_TOKEN'))).status !== 200; i++) await sleep(200);

    await target.locator('.comments-button').click();
    await page.locator('#drawer[open]').waitFor({ timeout: T });
    assert(await page.evaluate(() => document.getElementById('drawer').matches(':modal')), 'a modal dialog');
    await page.locator('.comments-empty').waitFor({ timeout: T });
    assert(await page.evaluate(() => document.activeElement.id) === 'comment-body', 'focus starts in the composer');
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      assert(await page.evaluate(() => document.getElementById('drawer').contains(document.activeElement)), `Tab ${i + 1} stays in the dialog`);
    }
    await page.locator('#comment-body').fill('First!');
    await page.locator('#drawer .composer button[type="submit"]').click();
    await page.locator('.comment-body', { hasText: 'First!' }).waitFor({ timeout: T });
    assert(await page.locator('.comments-empty').isHidden(), 'the empty state goes with the first comment');
    assert(await page.evaluate(() => document.activeElement.id) === 'comment-body', 'focus is back in the composer after posting');
    await page.keyboard.press('Escape');
    await page.locator('#drawer').waitFor({ state: 'hidden', timeout: T });
    assert(await page.evaluate(t => !!document.activeElement.closest('article.tile') &&
      document.activeElement.closest('article.tile').querySelector('.title').textContent === t, title), 'Esc gives focus back to the tile');
    // a click on the backdrop closes it
    await target.locator('.comments-button').click();
    await page.locator('#drawer[open]').waitFor({ timeout: T });
    await page.mouse.click(100, 400);
    await page.locator('#drawer').waitFor({ state: 'hidden', timeout: T });
    await target.locator('.comments-button .n', { hasText: '1' }).waitFor({ timeout: T });
  },

  /** Roving focus over the tiles with j/k (and arrows), Enter opens one (WAI-ARIA feed pattern). */
  async keyboard({ browser, pages }) {
    const titles = await fillers(6, 'Keys');
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
    pages.push(page);
    await tile(page, titles[5]).waitFor({ timeout: T });
    const focused = () => page.evaluate(() => {
      const a = document.activeElement.closest('article.tile');
      return a ? Number(a.getAttribute('aria-posinset')) : null;
    });
    const tabbable = () => page.locator('article.tile[tabindex="0"]').count();
    assert(await tabbable() === 1, 'one tile is in the tab order');
    await page.keyboard.press('j');
    assert(await focused() === 1, 'j focuses the first tile');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    assert(await focused() === 3, 'j moves down');
    await page.keyboard.press('k');
    assert(await focused() === 2, 'k moves up');
    await page.keyboard.press('ArrowDown');
    assert(await focused() === 3, 'ArrowDown on a tile moves down');
    assert(await tabbable() === 1, 'the roving tabindex follows focus');
    const setsize = await page.locator('article.tile').first().getAttribute('aria-setsize');
    assert(setsize !== null, 'tiles carry aria-setsize');
    // Tab leaves the tile for its controls, Shift+Tab comes back
    await page.keyboard.press('Enter');
    await page.locator('#drawer[open]').waitFor({ timeout: T });
    await page.keyboard.press('Escape');
    await page.locator('#drawer').waitFor({ state: 'hidden', timeout: T });
    assert(await focused() === 3, 'focus returns to the tile');
  },

  /** The unread count is announced only when it changes, at most once per 10 s. */
  async 'unread-announce'({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    await requireReadState(env('READER_TOKEN'));
    const page = await openFeed(browser, env('READER_TOKEN'));
    pages.push(page);
    await waitLive(page);
    await page.evaluate(() => {
      window.announcements = [];
      new MutationObserver(() => window.announcements.push([Date.now(), document.getElementById('unread-label').textContent]))
        .observe(document.getElementById('unread-label'), { childList: true, characterData: true, subtree: true });
    });
    for (let i = 0; i < 5; i++) {
      await postEvents([{ type: `announce_${i}`, title: `Announce ${i} ${short()}`, actor: person('Alan Turing') }]);
      await sleep(600);
    }
    await page.waitForFunction(() => Number(document.getElementById('unread-badge').dataset.count) >= 5, null, { timeout: T });
    await sleep(11000);
    const said = await page.evaluate(() => window.announcements);
    console.log(`announcements: ${JSON.stringify(said)}`);
    assert(said.length >= 1 && said.length <= 2, `five arrivals in 3 s are announced once or twice, not ${said.length} times`);
    for (let i = 1; i < said.length; i++) assert(said[i][0] - said[i - 1][0] >= 9000, 'at most one announcement per 10 s');
    assert(said[said.length - 1][1].startsWith(await page.locator('#unread-badge').getAttribute('data-count')), 'the newest count is said last');
  },

  /** axe-core: no violation of any impact in the feed, filters, dialog, chat and stats, desktop and phone. */
  async axe({ browser, pages }) {
    await requireSocial(env('READER_TOKEN'));
    await postEach([badge('Ada Lovelace', 'Sprint Champion'), badge('Grace Hopper', 'Bug Hunter'), badge('Alan Turing', 'Night Owl'),
      { type: 'xp_rank_up', actor: person('Grace Hopper'), entity: { type: 'rank', id: 'gold', name: 'Gold' }, priority: 'high' },
      { type: 'tasks_burst', actor: person('Alice'), payload: { tasks: 12 } }]);
    const feed = await waitForFeed(env('READER_TOKEN'), 'Gold');
    const other = feed.items.find(t => t.type === 'xp_rank_up');
    for (let i = 0; other && i < 30; i++) {
      if ((await http('PUT', `/api/v1/tiles/${other.id}/reactions/respect`, env('READER2_TOKEN'))).status === 200) break;
      await sleep(500);
    }
    const found = [];
    const check = async (page, where) => {
      const violations = await axe(page);
      console.log(`axe ${where}: ${violations.length} violations ${JSON.stringify(violations, null, 1)}`);
      found.push(...violations.map(v => `${where}: ${v.id} (${v.impact})`));
    };
    for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844, isMobile: true }]) {
      const label = `${size.width}px`;
      const page = await openFeed(browser, env('READER_TOKEN'), size);
      pages.push(page);
      await page.locator('article.tile[data-kind="group"]').waitFor({ timeout: T });
      await page.locator('article.tile[data-kind="group"] button.expand').click();
      await tile(page, 'Grace Hopper reached Gold').locator('button.react').click();
      await check(page, `feed ${label}`);
      await page.keyboard.press('Escape');
      await page.locator('#filter-button').click();
      await check(page, `filters ${label}`);
      await page.locator('#filter-button').click();
      await page.locator('#menu-button').click();
      await check(page, `menu ${label}`);
      await page.locator('#menu-button').click();
      await tile(page, 'Grace Hopper reached Gold').locator('.comments-button').click();
      await page.locator('#drawer[open]').waitFor({ timeout: T });
      await page.locator('.comments-empty, .comment').first().waitFor({ timeout: T });
      await check(page, `dialog ${label}`);
      await page.keyboard.press('Escape');
      await page.locator('nav button[data-view="chat"]').click();
      await page.locator('.thread').first().waitFor({ timeout: T });
      await check(page, `chat ${label}`);
      await page.locator('nav button[data-view="stats"]').click();
      await page.locator('svg.chart').first().waitFor({ timeout: T });
      await check(page, `stats ${label}`);
    }
    assert(found.length === 0, `axe found violations:\n${found.join('\n')}`);
  },

  /** Texts: the event's numbers and names, catalog display names in Stats, dates in the reader's zone. */
  async texts({ browser, pages }) {
    await postEach([
      { type: 'tasks_burst', actor: person('Ada Lovelace'), payload: { tasks: 11 } },
      { type: 'badge_earned', actor: person('Grace Hopper'), entity: { type: 'badge', id: 'night-owl', name: 'Night Owl' } },
    ]);
    await waitForFeed(env('READER_TOKEN'), 'Night Owl');
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800, timezoneId: 'Pacific/Auckland' });
    pages.push(page);
    await tile(page, 'Ada Lovelace finished 11 tasks in a day').waitFor({ timeout: T });
    await tile(page, 'Grace Hopper earned Night Owl').waitFor({ timeout: T });
    // the full date is the time's title, filled in the frame after the first tiles (time.js)
    const when = tile(page, 'Night Owl').locator('time.when[title]');
    await when.waitFor({ timeout: T });
    const [iso, shown] = [await when.getAttribute('datetime'), await when.getAttribute('title')];
    const expected = new Date(iso).toLocaleString('en-US', { timeZone: 'Pacific/Auckland' });
    console.log(`${iso} shown as "${shown}" (Auckland: ${expected})`);
    const norm = x => String(x).replace(/[\s\u202f]+/g, ' ');
    assert(norm(shown) === norm(expected), `the full date is in the reader's time zone: ${shown} vs ${expected}`);
    await page.locator('nav button[data-view="stats"]').click();
    await page.locator('svg.chart').first().waitFor({ timeout: T });
    const byType = await page.locator('.card', { hasText: 'By type' }).textContent();
    assert(byType.includes('Tasks burst') && byType.includes('Badge earned') && !byType.includes('tasks_burst'),
      `Stats names types as the catalog does: ${byType}`);
    const range = await page.locator('#stats .range').textContent();
    console.log(`stats range: ${range}`);
    assert(!/\d{4}-\d{2}-\d{2}T/.test(range) && /20\d\d/.test(range), `a formatted date range: ${range}`);
  },

  /** Caching: ETag + no-cache, gzip, 304 on revalidation, a favicon, the first screen inline in the page; chat and stats load only when opened. */
  async caching({ browser, pages }) {
    for (const path of ['/app/', '/app/js/main.js', '/app/app.css', '/app/favicon.svg']) {
      const res = await fetch(`${env('GATEWAY_URL')}${path}`, { headers: { 'Accept-Encoding': 'gzip' } });
      const etag = res.headers.get('etag');
      const cache = res.headers.get('cache-control');
      console.log(`${path}: ${res.status} ${res.headers.get('content-type')} cache-control=${cache} etag=${etag} encoding=${res.headers.get('content-encoding')}`);
      assert(res.status === 200, `${path} answers 200`);
      assert(cache === 'no-cache', `${path} is revalidated on every use: ${cache}`);
      assert(/^"[0-9a-f]{8,}"$/.test(etag || ''), `${path} has a content ETag: ${etag}`);
      if (!path.endsWith('.svg')) assert(res.headers.get('content-encoding') === 'gzip', `${path} is gzipped`);
      await res.arrayBuffer();
      const again = await fetch(`${env('GATEWAY_URL')}${path}`, { headers: { 'If-None-Match': etag } });
      assert(again.status === 304, `${path} revalidates to 304 (was ${again.status})`);
    }
    // the page carries the first screen: its modules joined and its stylesheet, inline (nothing else to fetch before the first tiles)
    const html = await (await fetch(`${env('GATEWAY_URL')}/app/`)).text();
    assert(/<script type="module">[^]*class FeedView[^]*<\/script>/.test(html) && !html.includes('modulepreload') && !/ src="js\//.test(html),
      'the page carries the joined modules inline and names no script file');
    assert(/<style>[^]*:root[^]*<\/style>/.test(html) && !html.includes('href="app.css"'), 'the page carries its stylesheet inline');
    const page = await openFeed(browser, env('READER_TOKEN'));
    pages.push(page);
    const requested = [];
    page.on('request', r => requested.push(new URL(r.url()).pathname));
    await page.reload();
    await page.locator('#app').waitFor({ state: 'visible', timeout: T });
    await page.waitForLoadState('networkidle').catch(() => {});
    const loadedFirst = await page.evaluate(() => performance.getEntriesByType('resource').map(r => new URL(r.name).pathname));
    assert(!loadedFirst.some(p => /chat\.js|stats\.js/.test(p)), `chat and stats code is not loaded with the feed: ${loadedFirst.filter(p => p.endsWith('.js'))}`);
    assert(await page.locator('link[rel="icon"]').count() === 1, 'the page names a favicon');
    await page.locator('nav button[data-view="chat"]').click();
    await page.waitForFunction(() => performance.getEntriesByType('resource').some(r => r.name.endsWith('/js/chat.js')), null, { timeout: T });
    assert(!(await page.evaluate(() => performance.getEntriesByType('resource').some(r => r.name.endsWith('/js/stats.js')))), 'stats still not loaded');
    await page.locator('nav button[data-view="stats"]').click();
    await page.waitForFunction(() => performance.getEntriesByType('resource').some(r => r.name.endsWith('/js/stats.js')), null, { timeout: T });
  },

  /**
   * The page appears with its first tiles, but not later than 800 ms after the script started when the
   * first page is slow: the header shows while the list is still busy, then the tiles come.
   */
  async 'shell-when-slow'({ browser, pages }) {
    const title = `Slow first page ${short()}`;
    await postEvents([{ type: 'badge_earned', title, actor: person('Fox Mulder') }]);
    await waitForFeed(env('READER_TOKEN'), title);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await serveAppFromSource(context);
    let held = 0;
    await context.route(/\/api\/v1\/feed\?sort=activity&limit=20$/, async route => {
      if (held++ === 0) await sleep(3000); // only the first page; later polls go at once
      await route.continue();
    });
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${env('GATEWAY_URL')}/app/#token=${env('READER_TOKEN')}`);
    await page.locator('#app header').waitFor({ state: 'visible', timeout: T });
    const early = await page.evaluate(() => ({
      tiles: document.querySelectorAll('article.tile').length,
      busy: document.querySelector('#feed [role=feed]').getAttribute('aria-busy'),
      after: Math.round(performance.now() - performance.getEntriesByName('afp:script-start')[0].startTime),
    }));
    assert(early.tiles === 0 && early.busy === 'true', `the header shows while the first page is on its way: ${JSON.stringify(early)}`);
    assert(early.after < 2500, `the header shows before the slow first page is answered (${early.after} ms after the script started)`);
    await tile(page, title).waitFor({ timeout: T });
  },

  /** Own tiles: the React control is disabled up front, so no request can fail. */
  async 'own-tile'({ browser, pages }) {
    const title = `My own badge ${short()}`;
    await postEvents([{ type: 'badge_earned', title, actor: { id: 'alice', name: 'Alice' } }]);
    await waitForFeed(env('READER_TOKEN'), title);
    const page = await openFeed(browser, env('READER_TOKEN'));
    pages.push(page);
    const own = tile(page, title);
    await own.waitFor({ timeout: T });
    assert(await own.locator('button.react').isDisabled(), 'React is disabled on my own tile');
    assert(await own.locator('button[data-reaction]').evaluateAll(b => b.every(x => x.disabled)), 'every reaction is disabled');
    assert((await own.locator('button.react').getAttribute('title')).includes('own activity'), 'the reason is given');
  },
};

// ---- issue 14: following (SPEC §4a) in the web client, and who reacted by name (issue 17) ----

/** An ungrouped event (high priority is never grouped) by `who`, with a title of its own. */
const by = (who, title, extra = {}) => ({ type: 'followed_probe', priority: 'high', title, actor: person(who), ...extra });
const inView = (page, view, text) => page.locator(`#${view} article.tile`, { has: page.locator('.title', { hasText: text }) });
const titlesIn = (page, view) => page.locator(`#${view} article.tile .title`).allTextContents();
const badgeCount = async (page, id) => {
  const el = page.locator(`#${id}`);
  return (await el.isHidden()) ? 0 : Number(await el.getAttribute('data-count'));
};
const waitBadge = (page, id, n) => page.waitForFunction(([i, want]) => {
  const el = document.getElementById(i);
  return el && (want === 0 ? el.hidden : !el.hidden && el.dataset.count === String(want));
}, [id, n], { timeout: T });

/** The reader's follows as the service has them, once `ready` holds (the page shows a change before the service answers). */
async function followsOnServer(ready) {
  let items = [];
  for (let i = 0; i < 50; i++) {
    items = (await http('GET', '/api/v1/feed/follows', env('READER_TOKEN'))).json.items;
    if (ready(items)) break;
    await sleep(100);
  }
  return items;
}

async function requireFollows(token) {
  const answer = await http('GET', '/api/v1/feed/follows', token);
  if (answer.status === 404 || answer.status === 405) throw new Skip(`follows are not available (GET /api/v1/feed/follows answered ${answer.status})`);
}

export const following = {
  /**
   * Follow an actor from a tile (by keyboard): the follows list shows it, the Following view shows
   * only matching tiles and takes the followed actor's new events live but not another's; removing
   * it from the list empties the view.
   */
  async 'follow-actor'({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    await requireFollows(env('READER_TOKEN'));
    const run = short();
    const ada = [`Ada shipped ${run} one`, `Ada shipped ${run} two`];
    const grace = `Grace shipped ${run}`;
    await postEach([by('Ada Lovelace', ada[0]), by('Grace Hopper', grace), by('Ada Lovelace', ada[1], { entity: { type: 'repo', id: `r-${run}`, name: `Repo ${run}` } })]);
    await waitForFeed(env('READER_TOKEN'), ada[1]);
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
    pages.push(page);
    await waitLive(page);
    const adaTile = inView(page, 'feed-view', ada[1]);
    await adaTile.waitFor({ timeout: T });
    assert(!(await adaTile.locator('button.follow').getAttribute('class')).includes(' on'), 'nothing is followed yet');
    assert(await page.locator('nav button[data-view="following"]').isVisible(), 'the Following view is in the header');

    // the star opens the tile's follow menu by keyboard: the person, the item and the type, each with its name
    await adaTile.locator('button.follow').focus();
    await page.keyboard.press('Enter');
    const menu = adaTile.locator('.follow-menu');
    await menu.waitFor({ timeout: T });
    const entries = await menu.locator('button.follow-item').allTextContents();
    console.log(`follow menu: ${JSON.stringify(entries)}`);
    assert(entries.some(e => e.startsWith('Follow Ada Lovelace')) && entries.some(e => e.startsWith(`Follow Repo ${run}`))
      && entries.some(e => /^Follow .* · type$/.test(e)), `the menu offers the person, the item and the type: ${entries}`);
    assert(await page.evaluate(() => document.activeElement.classList.contains('follow-item')), 'focus moves into the menu');
    await page.keyboard.press('Enter'); // the first entry: the person
    await menu.locator('button.follow-item', { hasText: 'Unfollow Ada Lovelace' }).waitFor({ timeout: T });
    assert((await adaTile.locator('button.follow').getAttribute('class')).includes(' on'), 'the star shows the follow');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'hidden', timeout: T });
    const stored = await followsOnServer(items => items.length > 0);
    assert(stored.length === 1 && stored[0].kind === 'actor' && stored[0].actorId === 'ada-lovelace', `the follow is stored: ${JSON.stringify(stored)}`);
    // every tile of the same actor shows the follow, in the full feed
    await page.waitForFunction(t => [...document.querySelectorAll('#feed-view article.tile')]
      .find(a => a.querySelector('.title').textContent === t).querySelector('button.follow.on'), ada[0], { timeout: T });

    // the Following view: only Ada's tiles; the list names the follow with its origin
    await page.locator('nav button[data-view="following"]').click();
    await inView(page, 'following-view', ada[1]).waitFor({ timeout: T });
    await inView(page, 'following-view', ada[0]).waitFor({ timeout: T });
    assert(JSON.stringify((await titlesIn(page, 'following-view')).sort()) === JSON.stringify([...ada].sort()),
      `only the followed actor's tiles: ${await titlesIn(page, 'following-view')}`);
    await page.locator('#follows-toggle').click();
    const row = page.locator('#follows-list li.follow-row');
    await row.first().waitFor({ timeout: T });
    assert(await row.count() === 1, 'one follow listed');
    const rowText = await row.textContent();
    console.log(`follows list: ${rowText}`);
    assert(rowText.includes('Ada Lovelace') && rowText.includes('Person') && (await row.getAttribute('data-origin')) === 'manual'
      && rowText.includes('followed'), `the row names the person and its origin: ${rowText}`);

    // live: a new event by Ada arrives, Grace's does not (Grace's goes first, so the stream had it before Ada's)
    const graceLive = `Grace live ${run}`;
    const adaLive = `Ada live ${run}`;
    await postEach([by('Grace Hopper', graceLive), by('Ada Lovelace', adaLive)]);
    await inView(page, 'following-view', adaLive).waitFor({ timeout: T });
    await inView(page, 'feed-view', graceLive).waitFor({ state: 'attached', timeout: T });
    assert(await inView(page, 'following-view', graceLive).count() === 0, 'an unfollowed actor\'s event stays out of the Following view');
    assert(await inView(page, 'following-view', grace).count() === 0, 'and so do the older ones');
    console.log(`Following view live: ${JSON.stringify(await titlesIn(page, 'following-view'))}`);

    // a second follow (a type) from the view's own tile, then Ada removed from the list: the view keeps only the type
    const typeTitle = `Deploy ${run}`;
    await postEvents([{ type: `deploy_${run}`, priority: 'high', title: typeTitle, actor: person('Linus Torvalds') }]);
    const deployTile = inView(page, 'feed-view', typeTitle);
    await deployTile.waitFor({ state: 'attached', timeout: T });
    await page.locator('nav button[data-view="feed"]').click();
    await deployTile.locator('button.follow').click();
    await deployTile.locator('button.follow-item[data-follow-kind="type"]').click();
    await page.locator('nav button[data-view="following"]').click();
    await inView(page, 'following-view', typeTitle).waitFor({ timeout: T });
    if (await page.locator('#follows-toggle').getAttribute('aria-expanded') === 'false') await page.locator('#follows-toggle').click();
    await row.nth(1).waitFor({ timeout: T });
    await page.locator('#follows-list li.follow-row[data-kind="actor"] button.remove-follow').click();
    await page.waitForFunction(() => document.querySelectorAll('#follows-list li.follow-row').length === 1, null, { timeout: T });
    await page.waitForFunction(t => {
      const titles = [...document.querySelectorAll('#following-view article.tile .title')].map(e => e.textContent);
      return titles.length === 1 && titles[0] === t;
    }, typeTitle, { timeout: T });
    const after = await followsOnServer(items => items.length < 2);
    assert(after.length === 1 && after[0].kind === 'type', `the removal is stored: ${JSON.stringify(after)}`);
    // and the open stream follows the removal: Ada's next event stays out, the type's next one comes in
    const adaAfter = `Ada after ${run}`;
    const typeAfter = `Deploy again ${run}`;
    await postEach([by('Ada Lovelace', adaAfter), { type: `deploy_${run}`, priority: 'high', title: typeAfter, actor: person('Linus Torvalds') }]);
    await inView(page, 'following-view', typeAfter).waitFor({ timeout: T });
    assert(await inView(page, 'following-view', adaAfter).count() === 0, 'after the removal Ada\'s events stay out');
    await screenshot(page, 'following-desktop');
  },

  /** Reacting makes the reader follow the tile's entity (SPEC §4a): the star, the list ("participating") and the view show it. */
  async 'follow-participating'({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    await requireSocial(env('READER_TOKEN'));
    await requireFollows(env('READER_TOKEN'));
    const run = short();
    const doc = { type: 'doc', id: `d-${run}`, name: `Design doc ${run}` };
    const title = `Grace reviewed ${run}`;
    await postEach([by('Grace Hopper', title, { entity: doc }), by('Alan Turing', `Alan ${run}`)]);
    const feed = await waitForFeed(env('READER_TOKEN'), title);
    const item = feed.items.find(t => t.title === title);
    // social learns tiles from feed.changes: the reaction is sent once social knows the tile
    for (let i = 0; i < 30 && (await http('GET', `/api/v1/tiles/${item.id}/comments`, env('READER_TOKEN'))).status !== 200; i++) await sleep(300);
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
    pages.push(page);
    await waitLive(page);
    const t = inView(page, 'feed-view', title);
    await t.waitFor({ timeout: T });
    assert(await t.locator('button.follow.on').count() === 0, 'nothing followed before the reaction');
    await react(page, title, 'respect');
    await t.locator('button.follow.on').waitFor({ timeout: T });
    await page.locator('nav button[data-view="following"]').click();
    await inView(page, 'following-view', title).waitFor({ timeout: T });
    await page.locator('#follows-toggle').click();
    const row = page.locator('#follows-list li.follow-row');
    await row.first().waitFor({ timeout: T });
    const text = await row.textContent();
    console.log(`follows list: ${text}`);
    assert(await row.count() === 1 && (await row.getAttribute('data-origin')) === 'participating' && text.includes('participating')
      && text.includes(doc.name) && text.includes('doc'), `the entity is followed as participating, by name: ${text}`);
    assert(await inView(page, 'following-view', `Alan ${run}`).count() === 0, 'other tiles stay out');
  },

  /**
   * A page load asks for each unread count once: when its stream has connected, or 1.5 s after the
   * first tiles when the stream cannot connect (a following=true count can walk thousands of tiles).
   */
  async 'counts-once'({ browser, pages }) {
    const title = `Counted once ${short()}`;
    await postEvents([by('Walter Skinner', title)]);
    await waitForFeed(env('READER_TOKEN'), title);
    for (const stream of ['connected', 'refused']) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await serveAppFromSource(context);
      if (stream === 'refused') {
        await context.route('**/api/v1/feed/stream-tickets', route => unavailable(route));
      }
      const asked = { all: 0, following: 0 };
      context.on('request', r => {
        const url = new URL(r.url());
        if (url.pathname === '/api/v1/feed/unread-count') asked[url.searchParams.get('following') === 'true' ? 'following' : 'all']++;
      });
      const page = await context.newPage();
      pages.push(page);
      await page.goto(`${env('GATEWAY_URL')}/app/#token=${env('READER_TOKEN')}`);
      await tile(page, title).waitFor({ timeout: T });
      if (stream === 'connected') await waitLive(page);
      await page.waitForFunction(() => Number(document.getElementById('unread-badge').dataset.count) > 0, null, { timeout: T });
      await sleep(2500); // anything asked again would be asked by now
      assert(asked.all === 1 && asked.following === 1,
        `stream ${stream}: each count asked for once per page load, asked ${JSON.stringify(asked)}`);
      await context.close();
      pages.pop();
    }
  },

  /** One unread badge per view, both live, whichever view is shown; a read in one view counts in both. */
  async 'following-unread'({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    await requireReadState(env('READER_TOKEN'));
    await requireFollows(env('READER_TOKEN'));
    const run = short();
    assert((await http('PUT', '/api/v1/feed/follows/actors/ada-lovelace', env('READER_TOKEN'))).status === 200, 'follow through the API');
    await postEach([by('Ada Lovelace', `A1 ${run}`), by('Grace Hopper', `G1 ${run}`), by('Ada Lovelace', `A2 ${run}`),
      by('Grace Hopper', `G2 ${run}`), by('Grace Hopper', `G3 ${run}`)]);
    await waitForFeed(env('READER_TOKEN'), `G3 ${run}`);
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
    pages.push(page);
    await waitLive(page);
    await waitBadge(page, 'unread-badge', 5);
    await waitBadge(page, 'following-badge', 2);
    console.log(`badges: feed ${await badgeCount(page, 'unread-badge')}, following ${await badgeCount(page, 'following-badge')}`);
    // live while the full feed is shown
    await postEach([by('Ada Lovelace', `A3 ${run}`), by('Grace Hopper', `G4 ${run}`)]);
    await waitBadge(page, 'unread-badge', 7);
    await waitBadge(page, 'following-badge', 3);
    // live while the Following view is shown
    await page.locator('nav button[data-view="following"]').click();
    await inView(page, 'following-view', `A3 ${run}`).waitFor({ timeout: T });
    await postEach([by('Grace Hopper', `G5 ${run}`), by('Ada Lovelace', `A4 ${run}`)]);
    await inView(page, 'following-view', `A4 ${run}`).waitFor({ timeout: T });
    await waitBadge(page, 'unread-badge', 9);
    await waitBadge(page, 'following-badge', 4);
    // a read in the Following view lowers both, and the full feed shows the tile read
    await inView(page, 'following-view', `A4 ${run}`).locator('button.mark-read').click();
    await waitBadge(page, 'following-badge', 3);
    await waitBadge(page, 'unread-badge', 8);
    assert(!(await inView(page, 'feed-view', `A4 ${run}`).getAttribute('class')).includes('unread'), 'the full feed shows it read too');
    // a read in the full feed of a Grace tile: only the full count moves
    await page.locator('nav button[data-view="feed"]').click();
    await inView(page, 'feed-view', `G5 ${run}`).locator('button.mark-read').click();
    await waitBadge(page, 'unread-badge', 7);
    await sleep(1000);
    assert(await badgeCount(page, 'following-badge') === 3, 'the Following count is unchanged by an unfollowed tile');
    const server = (await http('GET', '/api/v1/feed/unread-count?following=true', env('READER_TOKEN'))).json;
    assert(server.unread === 3, `the badge says what the service says: ${JSON.stringify(server)}`);
    // a new follow changes the Following count at once
    await inView(page, 'feed-view', `G4 ${run}`).locator('button.follow').click();
    await inView(page, 'feed-view', `G4 ${run}`).locator('button.follow-item', { hasText: 'Follow Grace Hopper' }).click();
    await waitBadge(page, 'following-badge', 7);
    const labels = await page.locator('nav').evaluate(n => [...n.querySelectorAll('.badge')].map(b => b.getAttribute('aria-label')));
    assert(labels[0] === '7 unread' && labels[1] === '7 unread you follow', `each badge says what it counts: ${labels}`);
  },

  /** The phone layout: the view switch is in the one-row header, nothing scrolls sideways, the list and menu fit. */
  async 'following-phone'({ browser, pages }) {
    await requireFollows(env('READER_TOKEN'));
    const run = short();
    assert((await http('PUT', '/api/v1/feed/follows/actors/ada-lovelace', env('READER_TOKEN'))).status === 200, 'follow through the API');
    assert((await http('PUT', `/api/v1/feed/follows/entities/repository/a-very-long-repository-name-${run}`, env('READER_TOKEN'))).status === 200, 'follow an entity');
    await postEach([by('Ada Lovelace', `Ada on a phone ${run}`, { entity: { type: 'repository', id: `a-very-long-repository-name-${run}`, name: `A very long repository name that goes on ${run}` } }),
      by('Grace Hopper', `Grace on a phone ${run}`)]);
    await waitForFeed(env('READER_TOKEN'), `Grace on a phone ${run}`);
    const phone = await openFeed(browser, env('READER_TOKEN'), { width: 390, height: 844, isMobile: true });
    pages.push(phone);
    await inView(phone, 'feed-view', `Ada on a phone ${run}`).waitFor({ timeout: T });
    const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const tab = phone.locator('nav button[data-view="following"]');
    const box = await tab.boundingBox();
    const header = await phone.locator('header.top').boundingBox();
    console.log(`MEASURE phone: header ${Math.round(header.height)} px, Following tab at x=${Math.round(box.x)}..${Math.round(box.x + box.width)}`);
    assert(await tab.isVisible() && box.x >= 0 && box.x + box.width <= 390 && box.y < header.height, 'the view switch is in the header, on screen');
    assert(header.height <= 60, `the header stays one row (${header.height} px)`);
    assert(await tab.evaluate(b => b.textContent.includes('Following')), 'the tab is named (for screen readers on a phone)');
    assert(await overflow() <= 0, `no sideways scrolling in the feed (${await overflow()} px)`);
    const t = inView(phone, 'feed-view', `Ada on a phone ${run}`);
    await t.locator('button.follow').click();
    await t.locator('.follow-menu').waitFor({ timeout: T });
    const menuBox = await t.locator('.follow-menu').boundingBox();
    assert(menuBox.x >= 0 && menuBox.x + menuBox.width <= 390, `the follow menu fits the screen (${menuBox.x}..${menuBox.x + menuBox.width})`);
    assert(await overflow() <= 0, `no sideways scrolling with the follow menu open (${await overflow()} px)`);
    await screenshot(phone, 'following-phone-menu');
    await phone.keyboard.press('Escape');
    await tab.click();
    await inView(phone, 'following-view', `Ada on a phone ${run}`).waitFor({ timeout: T });
    await phone.locator('#follows-toggle').click();
    await phone.locator('#follows-list li.follow-row').nth(1).waitFor({ timeout: T });
    assert(await overflow() <= 0, `no sideways scrolling in the Following view with its list (${await overflow()} px)`);
    const rows = await phone.locator('#follows-list li.follow-row').evaluateAll(els => els.map(e => e.getBoundingClientRect().right));
    assert(rows.every(r => r <= 390), `the rows fit: ${rows}`);
    assert(await phone.locator('#follows-list button.remove-follow').first().isVisible(), 'the remove button is on screen');
    await screenshot(phone, 'following-phone');
  },

  /** axe-core on the new parts (Following view, follows list, a tile's follow menu), desktop and phone: no violation of any impact. */
  async 'following-axe'({ browser, pages }) {
    await requireFollows(env('READER_TOKEN'));
    const run = short();
    assert((await http('PUT', '/api/v1/feed/follows/actors/ada-lovelace', env('READER_TOKEN'))).status === 200, 'follow through the API');
    assert((await http('PUT', '/api/v1/feed/follows/types/badge_earned', env('READER_TOKEN'))).status === 200, 'follow a type');
    await postEach([by('Ada Lovelace', `Ada ${run}`), by('Grace Hopper', `Grace ${run}`), badge('Alan Turing', 'Night Owl')]);
    await waitForFeed(env('READER_TOKEN'), 'Night Owl');
    const found = [];
    for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844, isMobile: true }]) {
      const page = await openFeed(browser, env('READER_TOKEN'), size);
      pages.push(page);
      await inView(page, 'feed-view', `Grace ${run}`).waitFor({ timeout: T });
      await inView(page, 'feed-view', `Grace ${run}`).locator('button.follow').click();
      await inView(page, 'feed-view', `Grace ${run}`).locator('.follow-menu').waitFor({ timeout: T });
      const check = async where => {
        const violations = await axe(page);
        console.log(`axe ${where} ${size.width}px: ${JSON.stringify(violations, null, 1)}`);
        found.push(...violations.map(v => `${where} ${size.width}px: ${v.id} (${v.impact})`));
      };
      await check('feed with a follow menu open');
      await page.keyboard.press('Escape');
      await page.locator('nav button[data-view="following"]').click();
      await inView(page, 'following-view', `Ada ${run}`).waitFor({ timeout: T });
      await page.locator('#follows-toggle').click();
      await page.locator('#follows-list li.follow-row').nth(1).waitFor({ timeout: T });
      await inView(page, 'following-view', `Ada ${run}`).locator('button.follow').click();
      await check('Following view with its list and a follow menu open');
    }
    assert(found.length === 0, `axe found violations:\n${found.join('\n')}`);
  },

  /** Who reacted: a person the feed knows by name is named, not shown by user id (issue 17). */
  async 'reactor-names'({ browser, pages }) {
    await requireSocial(env('READER_TOKEN'));
    const run = short();
    const target = `Dana's deploy ${run}`;
    // bob, the second reader, is also an actor in this tenant's feed: his name is known from his tile
    await postEach([by('Dana Scully', target), { ...by('Bob', `Bob built a shed ${run}`), actor: { id: 'bob', name: 'Bob Builder' } }]);
    const feed = await waitForFeed(env('READER_TOKEN'), `Bob built a shed ${run}`);
    const item = feed.items.find(t => t.title === target);
    for (let i = 0; i < 30; i++) {
      if ((await http('PUT', `/api/v1/tiles/${item.id}/reactions/hype`, env('READER2_TOKEN'))).status === 200) break;
      await sleep(500);
    }
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
    pages.push(page);
    const chip = inView(page, 'feed-view', target).locator('.rx[data-count="hype"]');
    await chip.waitFor({ timeout: T });
    await chip.hover();
    await inView(page, 'feed-view', target).locator('.rx[data-count="hype"][title="Hype 1: Bob Builder"]').waitFor({ state: 'attached', timeout: T });
    assert((await chip.locator('.sr-only').textContent()) === 'Hype 1: Bob Builder', 'screen readers hear the name too');
  },
};

/**
 * First tiles: desktop, then a throttled phone (4× CPU slowdown, 1.6 Mbps, 150 ms RTT), both from
 * a cold browser cache (a fresh context). Printed as MEASURE lines; asserted generously, the
 * figures are re-measured quietly. The time to the first tiles (`ms`) is when the first tile's
 * sentence was painted (Element Timing's renderTime); `frame` is when the frame that draws them began
 * (the `afp:first-tiles` mark, before that frame's style, layout and paint). Besides them it returns where the time
 * went: navigation timing, every resource (start, end, bytes), the feed request, the client's own
 * marks (`afp:*`) and the long tasks (> 50 ms of main thread), all in ms from navigation start.
 */
export async function firstTiles(browser, { phone, base = env('GATEWAY_URL'), paintTimeoutMs = 30000 }) {
  const context = await browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } });
  await serveAppFromSource(context);
  // long tasks are not kept in the timeline unless observed from the start: an observer installed before any page script
  await context.addInitScript(() => {
    window.__longTasks = [];
    window.__painted = [];
    // when the page (#app) was shown: with the first page's tiles, or after 800 ms without them
    // (and how many tiles it held then: the observer runs right after the change, before later tasks)
    window.__shownAt = null;
    window.__tilesWhenShown = null;
    new MutationObserver(() => {
      const app = document.getElementById('app');
      if (window.__shownAt !== null || !app || app.hidden) return;
      window.__shownAt = performance.now();
      window.__tilesWhenShown = document.querySelectorAll('article.tile').length;
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['hidden'] });
    try {
      new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push([Math.round(e.startTime), Math.round(e.duration)]); })
        .observe({ type: 'longtask', buffered: true });
      // the first tile's sentence on screen: Element Timing's renderTime (the page marks it elementtiming="afp:first-tile")
      new PerformanceObserver(list => {
        for (const e of list.getEntries()) {
          window.__painted.push([e.identifier, e.renderTime || e.loadTime]);
          if (e.identifier === 'afp:first-tile') console.debug('afp:first-tile-painted');
        }
      }).observe({ type: 'element', buffered: true });
      new PerformanceObserver(list => {
        for (const e of list.getEntries()) if (e.name === 'afp:first-tiles') console.debug('afp:first-tiles-mark');
      }).observe({ type: 'mark', buffered: true });
    } catch { /* no long task or element timing in this browser */ }
  });
  const page = await context.newPage();
  // The page says when its first tiles' frame began and when they were painted (console messages from
  // the observers above): nothing of the tool's runs in the page until then. Waiting with a locator or
  // waitForFunction injected Playwright's own script right after the load event, on the first tiles'
  // path: 80 ms of main thread on the throttled phone, which no user pays.
  const saying = consoleMessages(page);
  if (phone) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  await page.goto(`${base}/app/#token=${env('READER_TOKEN')}`, { waitUntil: 'commit' });
  if (!await saying('afp:first-tiles-mark', 30000)) throw new Error('no afp:first-tiles mark within 30 s');
  // a page that does not mark its first tile (an older version, in ab.mjs) has no paint time: null
  const marked = await saying('afp:first-tile-painted', paintTimeoutMs);
  const frame = await page.evaluate(() => performance.getEntriesByName('afp:first-tiles')[0].startTime);
  const ms = marked ? await page.evaluate(() => window.__painted.find(([id]) => id === 'afp:first-tile')[1]) : null;
  const timing = await page.evaluate(() => {
    const r = x => Math.round(x);
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const path = u => { const url = new URL(u); return url.pathname.replace(/^\/app\//, '') + (url.search ? '?…' : ''); };
    const feed = resources.find(e => /\/api\/v1\/feed\?sort=activity&limit=20$/.test(e.name));
    return {
      bytes: resources.concat([nav]).reduce((n, e) => n + (e.transferSize || 0), 0),
      navigation: {
        requestStart: r(nav.requestStart), responseStart: r(nav.responseStart), responseEnd: r(nav.responseEnd),
        domInteractive: r(nav.domInteractive), domContentLoaded: r(nav.domContentLoadedEventEnd), htmlBytes: nav.transferSize,
      },
      // what was asked for before the first tiles were drawn, in the order asked
      resources: resources.filter(e => e.startTime < performance.getEntriesByName('afp:first-tiles')[0].startTime)
        .map(e => ({ path: path(e.name), start: r(e.startTime), end: r(e.responseEnd), wait: r(e.responseStart - e.requestStart), bytes: e.transferSize })),
      feedRequest: feed ? { start: r(feed.startTime), firstByte: r(feed.responseStart), end: r(feed.responseEnd), bytes: feed.transferSize } : null,
      marks: Object.fromEntries(performance.getEntriesByType('mark').filter(m => m.name.startsWith('afp:')).map(m => [m.name, r(m.startTime)])),
      longTasks: window.__longTasks || [],
      shownAt: window.__shownAt === null ? null : r(window.__shownAt),
      tilesWhenShown: window.__tilesWhenShown,
    };
  });
  return { page, context, ms, frame, bytes: timing.bytes, timing };
}

/** Prints one profile's breakdown as MEASURE lines. */
export function printBreakdown(label, run) {
  const t = run.timing;
  console.log(`MEASURE ${label}: first tiles painted ${run.ms == null ? '(not marked)' : run.ms.toFixed(0)} ms after navigation start (their frame began at ${run.frame.toFixed(0)} ms), ${t.bytes} bytes transferred`);
  console.log(`MEASURE ${label} navigation: ${JSON.stringify(t.navigation)}`);
  console.log(`MEASURE ${label} feed request: ${JSON.stringify(t.feedRequest)}`);
  console.log(`MEASURE ${label} marks: ${JSON.stringify(t.marks)}, page shown at ${t.shownAt} ms with ${t.tilesWhenShown} tiles`);
  console.log(`MEASURE ${label} long tasks [start, duration]: ${JSON.stringify(t.longTasks)}`);
  for (const e of t.resources) console.log(`MEASURE ${label} resource: ${e.path} ${e.start}→${e.end} (wait ${e.wait}, ${e.bytes} B)`);
}

/** The README's picture: the desktop and the phone screenshots side by side, as one PNG. */
export async function sideBySide(browser, desktopPng, phonePng, out) {
  const page = await browser.newPage({ viewport: { width: 1280 + 390 + 72, height: 800 + 48 } });
  const uri = f => `data:image/png;base64,${readFileSync(f).toString('base64')}`;
  await page.setContent(`<body style="margin:0;background:#e9ecf2;display:flex;gap:24px;padding:24px;align-items:flex-start">
    <img src="${uri(desktopPng)}" style="width:1280px;height:800px;border-radius:8px;box-shadow:0 4px 16px #0003">
    <img src="${uri(phonePng)}" style="width:390px;height:800px;object-fit:cover;object-position:top;border-radius:18px;box-shadow:0 4px 16px #0003"></body>`);
  await page.waitForFunction(() => [...document.images].every(i => i.complete));
  mkdirSync(join(out, '..'), { recursive: true });
  await page.screenshot({ path: out });
  await page.close();
}

export { writeFileSync };
