// The browser scenarios of issue 8. Run one: `node scenarios.mjs <name>`; exit 0 passed,
// 1 failed (with screenshots of every open page), 3 skipped because an API it needs is missing.
import {
  env, launch, openFeed, screenshot, http, postEvents, postEach, requireApi, requireStream, requireSocial, requireReadState,
  tile, waitLive, assert, Skip, react, SHOTS, firstPageDrawn, loadAverage, unavailable,
} from './lib.mjs';
import { scenarios as secondEdition, following, firstTiles, printBreakdown, sideBySide } from './web2.mjs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

const unique = prefix => `${prefix} ${randomUUID().slice(0, 8)}`;
const T = 20000;

const event = (title, extra = {}) => ({
  type: 'badge_earned', title, actor: { id: 'carol', name: 'Carol' },
  entity: { type: 'badge', id: randomUUID().slice(0, 8), name: 'Sprint Champion' }, ...extra,
});

const scenarios = {
  /** The page through the gateway shows the demo tiles; its screenshot goes in the README. */
  async 'demo-tiles'({ browser, pages }) {
    const titles = ['Ada earned Sprint Champion', 'Grace reached rank Gold', 'Linus completed the Daily Challenge'];
    await postEach([
      event(titles[0], { actor: { id: 'ada', name: 'Ada' } }),
      event(titles[1], { type: 'xp_rank_up', actor: { id: 'grace', name: 'Grace' }, entity: { type: 'rank', id: 'gold', name: 'Gold' } }),
      event(titles[2], { type: 'challenge_completed', actor: { id: 'linus', name: 'Linus' }, entity: { type: 'challenge', id: 'daily', name: 'Daily Challenge' } }),
    ]);
    // three streak milestones make one group tile
    await postEach(['Maya', 'Noor', 'Omar'].map(name => event(`${name} kept a 7-day streak`, {
      type: 'streak_milestone', actor: { id: name.toLowerCase(), name }, entity: { type: 'streak', id: '7', name: '7-day streak' },
    })));
    // wait for the feed to hold them, then load the page fresh
    let items = [];
    for (let i = 0; i < 100; i++) {
      const feed = await http('GET', '/api/v1/feed', env('READER_TOKEN'));
      items = feed.status === 200 ? feed.json.items : [];
      if (titles.every(t => feed.text.includes(t)) && items.some(t => t.kind === 'group')) break;
      await new Promise(r => setTimeout(r, 200));
    }
    // a reaction from someone else, so the screenshot shows counts (social learns tiles asynchronously)
    const ada = items.find(t => t.title === titles[0]);
    for (let i = 0; ada && i < 20; i++) {
      if ((await http('PUT', `/api/v1/tiles/${ada.id}/reactions/respect`, env('READER2_TOKEN'))).status === 200) break;
      await new Promise(r => setTimeout(r, 500));
    }
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 1280, height: 800 });
    pages.push(page);
    for (const title of titles) await tile(page, title).waitFor({ timeout: T });
    const first = tile(page, titles[2]);
    assert((await first.locator('.avatar').textContent()).startsWith('L'), 'a tile shows its actor\'s initials');
    assert((await first.locator('time').textContent()).length > 0, 'a tile shows its relative time');
    assert(await first.locator('.avatar svg.i').count() === 1, 'a tile shows its type icon');
    assert(new URL(page.url()).hash === '', 'the token left the address bar');
    const group = page.locator('article.tile[data-kind="group"]');
    await group.locator('button.expand').click();
    assert(await group.locator('.samples li').count() === 3, 'the group shows its samples');
    await group.locator('button.expand').click();
    await screenshot(page, 'feed');

    // phone width: everything readable without sideways scrolling
    const phone = await openFeed(browser, env('READER_TOKEN'), { width: 390, height: 844, isMobile: true });
    pages.push(phone);
    await tile(phone, titles[0]).waitFor({ timeout: T });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `no horizontal overflow at 390 px (overflow ${overflow} px)`);
    await screenshot(phone, 'feed-phone');
    await sideBySide(browser, join(SHOTS(), 'feed.png'), join(SHOTS(), 'feed-phone.png'), join(SHOTS(), 'feed-side-by-side.png'));
  },

  /** No token or a refused one: the page asks for a token to paste, and works once given a good one. */
  async 'token-paste'({ browser, pages }) {
    const context = await browser.newContext();
    const page = await context.newPage();
    pages.push(page);
    const forged = env('READER_TOKEN').replace(/\.[^.]*$/, '.c2lnbmF0dXJlLW5vdC12YWxpZA');
    await page.goto(`${env('GATEWAY_URL')}/app/#token=${forged}`);
    await page.locator('#signin-error', { hasText: 'refused the token' }).waitFor({ timeout: T });
    assert(await page.evaluate(() => sessionStorage.getItem('afp.token')) === null, 'a refused token is forgotten');
    await page.locator('#token-input').fill(env('READER_TOKEN'));
    await page.locator('#signin-form button[type="submit"]').click();
    await page.locator('#app').waitFor({ state: 'visible', timeout: T });
    await page.locator('#whoami', { hasText: 'Alice' }).waitFor({ state: 'attached', timeout: T });
    await page.reload();
    await page.locator('#app').waitFor({ state: 'visible', timeout: T });
    assert(await page.locator('#signin').isHidden(), 'the token is kept for the tab across reloads');
  },

  /** An event posted through ingest appears without a reload. */
  async live({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    const page = await openFeed(browser, env('READER_TOKEN'));
    pages.push(page);
    await waitLive(page);
    await page.evaluate(() => { window.notReloaded = true; });
    const title = unique('Live badge');
    await postEvents([event(title)]);
    await tile(page, title).waitFor({ timeout: T });
    assert(await page.evaluate(() => window.notReloaded === true), 'the page was not reloaded');
  },

  /** Scrolled down, a new activity shows as an "N new activities" pill instead of a jump. */
  async pill({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    await postEvents(Array.from({ length: 20 }, (_, i) => event(`Filler ${i}`, { type: 'filler', priority: 'high' })));
    for (let i = 0; i < 100; i++) {
      const feed = await http('GET', '/api/v1/feed?types=filler', env('READER_TOKEN'));
      if (feed.status === 200 && feed.json.items.length === 20) break;
      await new Promise(r => setTimeout(r, 200));
    }
    const page = await openFeed(browser, env('READER_TOKEN'), { width: 800, height: 600 });
    pages.push(page);
    await waitLive(page);
    await page.locator('article.tile').nth(15).scrollIntoViewIfNeeded();
    await page.waitForFunction(() => window.scrollY > 200);
    const title = unique('While scrolled');
    await postEvents([event(title)]);
    await page.locator('.new-pill', { hasText: '1 new activity' }).waitFor({ timeout: T });
    assert(await tile(page, title).count() === 0, 'the new tile waits behind the pill');
    await page.locator('.new-pill').click();
    await tile(page, title).waitFor({ timeout: T });
    await page.locator('.new-pill').waitFor({ state: 'hidden', timeout: T });
  },

  /**
   * The first connection reads the first page again (what came between the page and the stream);
   * tiles it brings unchanged keep their elements, so nothing under the reader's pointer or focus
   * is replaced.
   */
  async remerge({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    const title = unique('Drawn once');
    // a type of its own, so a run repeated within the grouping window draws a single tile again
    await postEvents([event(title, { type: `drawn_${randomUUID().slice(0, 8)}` })]);
    for (let i = 0; i < 100; i++) {
      const feed = await http('GET', '/api/v1/feed', env('READER_TOKEN'));
      if (feed.status === 200 && feed.text.includes(title)) break;
      await new Promise(r => setTimeout(r, 200));
    }
    // the second read of the feed's first page waits until the drawn tiles are marked
    let release;
    const held = new Promise(r => { release = r; });
    let reads = 0;
    let reread = null;
    const page = await openFeed(browser, env('READER_TOKEN'), {
      before: p => p.route(url => new URL(url).pathname === '/api/v1/feed', async route => {
        if (++reads === 2) {
          reread = route.request();
          await held;
        }
        await route.continue();
      }),
    });
    pages.push(page);
    await tile(page, title).waitFor({ timeout: T });
    const marked = await page.evaluate(() => {
      const tiles = [...document.querySelectorAll('article.tile')];
      for (const el of tiles) el.dataset.drawnOnce = 'yes';
      return tiles.length;
    });
    for (let i = 0; i < 100 && !reread; i++) await new Promise(r => setTimeout(r, 100));
    assert(reread, 'the first connection read the first page again');
    const answered = page.waitForResponse(r => r.request() === reread);
    release();
    await (await answered).finished();
    await waitLive(page);
    await page.waitForTimeout(300);
    const kept = await page.evaluate(() => document.querySelectorAll('article.tile[data-drawn-once="yes"]').length);
    assert(kept === marked, `every tile drawn before the re-read keeps its element (${kept} of ${marked})`);
  },

  /** feed.snapshot-required: the page refetches the feed, then streams on. */
  async snapshot({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    const page = await openFeed(browser, env('READER_TOKEN'));
    pages.push(page);
    await waitLive(page);
    // the stream goes away; an event arrives meanwhile
    await page.evaluate(() => { window.afp.stream.stop(); });
    const title = unique('Missed while away');
    await postEvents([event(title)]);
    for (let i = 0; i < 100; i++) {
      const feed = await http('GET', '/api/v1/feed', env('READER_TOKEN'));
      if (feed.status === 200 && feed.text.includes(title)) break;
      await new Promise(r => setTimeout(r, 200));
    }
    assert(await tile(page, title).count() === 0, 'the missed event is not shown yet');
    // resuming from an id the log does not have makes the server ask for a snapshot
    await page.evaluate(() => { window.afp.stream.lastEventId = '999999999'; window.afp.stream.start(); });
    await tile(page, title).waitFor({ timeout: T });
    await waitLive(page);
  },

  /** Stream down: after three failed reconnects the page polls and says so; it goes live again when it can. */
  async reconnect({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    const context = await browser.newContext();
    // Tickets refused from the start, as when every feed replica's stream endpoint is down.
    await context.route('**/api/v1/feed/stream-tickets', route => unavailable(route, { 'Retry-After': '1' }));
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${env('GATEWAY_URL')}/app/#token=${env('READER_TOKEN')}`);
    await page.locator('#live-status[data-state="polling"]').waitFor({ timeout: T });
    assert((await page.locator('#live-status').textContent()).includes('refreshing every 10 seconds'), 'the page says it polls');
    const title = unique('Polled badge');
    await postEvents([event(title)]);
    await tile(page, title).waitFor({ timeout: 30000 });
    await context.unroute('**/api/v1/feed/stream-tickets');
    await page.locator('#live-status[data-state="live"]').waitFor({ timeout: 40000 });
    const later = unique('Live again');
    await postEvents([event(later)]);
    await tile(page, later).waitFor({ timeout: T });
  },

  /** Three events of one type fold into one group tile, live. */
  async fold({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    const page = await openFeed(browser, env('READER_TOKEN'));
    pages.push(page);
    await waitLive(page);
    const type = `task.done-${randomUUID().slice(0, 6)}`;
    const ids = await postEach([1, 2, 3].map(n => event(`Task ${n} done`, { type, actor: { id: `user${n}`, name: `User ${n}` } })));
    const tiles = page.locator(`article.tile[data-type="${type}"]`);
    await page.waitForFunction(t => {
      const found = document.querySelectorAll(`article.tile[data-type="${t}"]`);
      return found.length === 1 && found[0].dataset.kind === 'group';
    }, type, { timeout: T });
    assert(await tiles.count() === 1, `one tile for ${ids.length} events`);
    const count = await tiles.locator('.count').textContent();
    assert(count.includes('3'), `group count shows 3, was ${count}`);
    await tiles.locator('button.expand').click();
    assert(await tiles.locator('.samples li').count() === 3, 'three samples when expanded');
    // a fourth event grows the group in place
    await postEvents([event('Task 4 done', { type, actor: { id: 'user4', name: 'User 4' } })]);
    await page.waitForFunction(t => {
      const found = document.querySelectorAll(`article.tile[data-type="${t}"]`);
      return found.length === 1 && found[0].querySelector('.count').textContent.includes('4');
    }, type, { timeout: T });
  },

  /** An expired event leaves the page in place, without a reload. */
  async expiry({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    const page = await openFeed(browser, env('READER_TOKEN'));
    pages.push(page);
    await waitLive(page);
    await page.evaluate(() => { window.notReloaded = true; });
    const title = unique('Short-lived');
    const now = Date.now();
    await postEvents([event(title, { occurredAt: new Date(now).toISOString(), expiresAt: new Date(now + 2000).toISOString() })]);
    await tile(page, title).waitFor({ timeout: T });
    // housekeeping runs every 30 s; the admin endpoint runs it now (until the event is due)
    for (let i = 0; i < 60 && await tile(page, title).count() > 0; i++) {
      const run = await http('POST', '/api/v1/feed/admin/housekeeping', env('ADMIN_TOKEN'));
      assert(run.status === 200, `housekeeping answered ${run.status}: ${run.text}`);
      if (run.json.expired > 0) break;
      await new Promise(r => setTimeout(r, 250));
    }
    await tile(page, title).waitFor({ state: 'detached', timeout: T });
    assert(await page.evaluate(() => window.notReloaded === true), 'the page was not reloaded');
  },

  /** A reaction made in one browser shows its count in another one. */
  async reactions({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    await requireSocial(env('READER_TOKEN'));
    const title = unique('Reaction target');
    await postEvents([event(title)]);
    const alice = await openFeed(browser, env('READER_TOKEN'));
    const bob = await openFeed(browser, env('READER2_TOKEN'));
    pages.push(alice, bob);
    await waitLive(alice);
    await waitLive(bob);
    await tile(alice, title).waitFor({ timeout: T });
    await tile(bob, title).waitFor({ timeout: T });
    // by keyboard: the React control opens its picker, whose reactions are buttons Enter activates
    await tile(alice, title).locator('button.react').focus();
    await alice.keyboard.press('Enter');
    await tile(alice, title).locator('button[data-reaction="hype"]').focus();
    await alice.keyboard.press('Enter');
    await tile(alice, title).locator('button[data-reaction="hype"][aria-pressed="true"]').waitFor({ timeout: T });
    await bob.waitForFunction(t => {
      const el = [...document.querySelectorAll('article.tile')].find(a => a.querySelector('.title').textContent === t);
      const chip = el && el.querySelector('.rx[data-count="hype"]');
      return chip && chip.querySelector('.n').textContent === '1' && chip.title.includes('alice');
    }, title, { timeout: T });
  },

  /** A refusal the page could not foresee (403) rolls the optimistic count back and says why. */
  async 'reaction-refused'({ browser, pages }) {
    await requireSocial(env('READER_TOKEN'));
    const title = unique('Refused badge');
    await postEvents([event(title)]);
    const alice = await openFeed(browser, env('READER_TOKEN'));
    pages.push(alice);
    await tile(alice, title).waitFor({ timeout: T });
    // the service refuses, as it does for a group whose sixth actor is the reader (the tile lists five)
    await alice.route('**/api/v1/tiles/*/reactions/*', route => route.fulfill({ status: 403, contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'you cannot react to your own activity' }) }));
    await react(alice, title, 'hype');
    await alice.locator('#toast', { hasText: 'cannot react to your own activity' }).waitFor({ timeout: T });
    await alice.waitForFunction(t => {
      const el = [...document.querySelectorAll('article.tile')].find(a => a.querySelector('.title').textContent === t);
      const button = el && el.querySelector('button[data-reaction="hype"]');
      return button && button.querySelector('.n').textContent === '0' && button.getAttribute('aria-pressed') === 'false'
        && !el.querySelector('.rx');
    }, title, { timeout: T });
  },

  /** The 11th new reaction in an hour is refused (429): rolled back, with a message saying when to retry. */
  async 'reaction-rate-limit'({ browser, pages }) {
    await requireSocial(env('READER_TOKEN'));
    const titles = Array.from({ length: 11 }, (_, i) => `Rate ${i} ${randomUUID().slice(0, 6)}`);
    // distinct types: no grouping, eleven tiles
    await postEvents(titles.map((t, i) => event(t, { type: `rate_${i}` })));
    let items = [];
    for (let i = 0; i < 100 && items.length < 11; i++) {
      const feed = await http('GET', '/api/v1/feed?limit=50', env('READER_TOKEN'));
      items = feed.status === 200 ? feed.json.items.filter(t => titles.includes(t.title)) : [];
      if (items.length < 11) await new Promise(r => setTimeout(r, 200));
    }
    // social learns tiles from feed.changes: wait until it knows all of them (bob only reads)
    for (const item of items) {
      for (let i = 0; i < 50; i++) {
        if ((await http('GET', `/api/v1/tiles/${item.id}/comments`, env('READER2_TOKEN'))).status === 200) break;
        await new Promise(r => setTimeout(r, 200));
      }
    }
    const page = await openFeed(browser, env('READER_TOKEN'));
    pages.push(page);
    for (const title of titles.slice(0, 10)) {
      await react(page, title, 'tribute');
      await tile(page, title).locator('button[data-reaction="tribute"][aria-pressed="true"]').waitFor({ timeout: T });
    }
    const last = tile(page, titles[10]);
    await react(page, titles[10], 'tribute');
    await page.locator('#toast', { hasText: 'Too many reactions' }).waitFor({ timeout: T });
    await last.locator('button[data-reaction="tribute"][aria-pressed="false"]').waitFor({ timeout: T });
    assert(await last.locator('button[data-reaction="tribute"] .n').textContent() === '0', 'the count rolled back');
  },

  /** A comment posted in one browser is seen in another. */
  async comments({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    await requireSocial(env('READER_TOKEN'));
    const title = unique('Comment target');
    await postEvents([event(title)]);
    const alice = await openFeed(browser, env('READER_TOKEN'));
    const bob = await openFeed(browser, env('READER2_TOKEN'));
    pages.push(alice, bob);
    await waitLive(bob);
    await tile(alice, title).locator('.comments-button').click();
    const body = `Well done <b>${randomUUID().slice(0, 6)}</b>`;
    await alice.locator('#comment-body').fill(body);
    assert((await alice.locator('#comment-counter').textContent()).startsWith(`${body.length}/500`), 'the counter counts');
    await alice.locator('#comment-body').fill('x'.repeat(500));
    assert(await alice.locator('#comment-counter').textContent() === '500/500', 'the counter reaches 500');
    assert(await alice.locator('#comment-body').evaluate(el => { el.value += 'y'; return el.value.length; }) >= 500, 'typing stops at the limit');
    await alice.locator('#comment-body').fill(body);
    await alice.locator('#drawer .composer button[type="submit"]').click();
    await alice.locator('.comment-body', { hasText: body }).waitFor({ timeout: T });
    await bob.waitForFunction(t => {
      const el = [...document.querySelectorAll('article.tile')].find(a => a.querySelector('.title').textContent === t);
      return el && el.querySelector('.comments-button .n').textContent === '1';
    }, title, { timeout: T });
    await tile(bob, title).locator('.comments-button').click();
    const seen = bob.locator('.comment-body', { hasText: body });
    await seen.waitFor({ timeout: T });
    assert(await seen.textContent() === body, 'the comment is shown as text');
  },

  /** Mark all read in one tab: the badge drops in both tabs of the same reader. */
  async 'mark-all-read'({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    await requireReadState(env('READER_TOKEN'));
    await postEach([event(unique('Unread one')), event(unique('Unread two'), { type: 'xp_rank_up' })]);
    const first = await openFeed(browser, env('READER_TOKEN'));
    const second = await openFeed(browser, env('READER_TOKEN'));
    pages.push(first, second);
    await waitLive(first);
    await waitLive(second);
    for (const page of [first, second]) {
      await page.waitForFunction(() => Number(document.getElementById('unread-badge').dataset.count) >= 2, null, { timeout: T });
    }
    const before = Number(await first.locator('#unread-badge').getAttribute('data-count'));
    await first.locator('article.tile.unread .mark-read').first().click();
    for (const page of [first, second]) {
      await page.waitForFunction(n => Number(document.getElementById('unread-badge').dataset.count) === n - 1, before, { timeout: T });
    }
    await first.locator('#mark-all').click();
    for (const page of [first, second]) {
      await page.waitForFunction(() => {
        const badge = document.getElementById('unread-badge');
        return badge.dataset.count === '0' && badge.hidden;
      }, null, { timeout: T });
    }
  },

  /** An event title that looks like markup is shown literally and never runs. */
  async xss({ browser, pages }) {
    const title = '<img src=x onerror=alert(1)>';
    const description = '<script>alert(2)</script>';
    await postEvents([event(title, { type: 'xss_probe', description })]);
    for (let i = 0; i < 100; i++) {
      const feed = await http('GET', '/api/v1/feed?types=xss_probe', env('READER_TOKEN'));
      if (feed.status === 200 && feed.text.includes('onerror')) break;
      await new Promise(r => setTimeout(r, 200));
    }
    const page = await openFeed(browser, env('READER_TOKEN'));
    pages.push(page);
    const shown = page.locator('article.tile[data-type="xss_probe"] .title');
    await shown.waitFor({ timeout: T });
    assert(await shown.textContent() === title, `the title is shown literally: ${await shown.textContent()}`);
    assert(await page.locator('article.tile img').count() === 0, 'no img element was made from data');
    assert(!page.dialogs, 'no script ran');
  },

  /** Chat: a message from one browser arrives live in another; threads made, renamed, deleted. */
  async chat({ browser, pages }) {
    await requireStream(env('READER_TOKEN'));
    await requireSocial(env('READER_TOKEN'));
    const alice = await openFeed(browser, env('READER_TOKEN'));
    const bob = await openFeed(browser, env('READER2_TOKEN'));
    pages.push(alice, bob);
    await waitLive(bob);
    await alice.locator('nav button[data-view="chat"]').click();
    await bob.locator('nav button[data-view="chat"]').click();
    const text = unique('Hello team');
    await alice.locator('#chat-body').fill(text);
    await alice.locator('#chat-body').press('Enter');
    await alice.locator('.message-body', { hasText: text }).waitFor({ timeout: T });
    await bob.locator('.thread', { hasText: 'Main' }).click();
    await bob.locator('.message-body', { hasText: text }).waitFor({ timeout: T });

    const threadTitle = unique('Retro');
    await alice.locator('#new-thread-title').fill(threadTitle);
    await alice.locator('.new-thread button').click();
    await bob.locator('.thread', { hasText: threadTitle }).waitFor({ timeout: T });
    await alice.locator('.thread-tools button', { hasText: 'Rename' }).click();
    const renamed = unique('Retro renamed');
    await alice.locator('.rename input').fill(renamed);
    await alice.locator('.rename button[type="submit"]').click();
    await bob.locator('.thread', { hasText: renamed }).waitFor({ timeout: T });
    alice.removeAllListeners('dialog');
    alice.on('dialog', d => d.accept());
    await alice.locator('.thread-tools button', { hasText: 'Delete' }).click();
    await bob.locator('.thread', { hasText: renamed }).waitFor({ state: 'detached', timeout: T });
  },

  /** Stats: weekly and weekday charts, by type and top lists, drawn from the stats API. */
  async stats({ browser, pages }) {
    await requireApi('stats (GET /api/v1/feed/stats, SPEC §4)', 'GET', '/api/v1/feed/stats?tz=UTC', env('READER_TOKEN'));
    await postEach([event(unique('Stats one')), event(unique('Stats two'), { type: 'xp_rank_up' })]);
    for (let i = 0; i < 100; i++) {
      const stats = await http('GET', '/api/v1/feed/stats?tz=UTC', env('READER_TOKEN'));
      if (stats.status === 200 && stats.json.total >= 2) break;
      await new Promise(r => setTimeout(r, 200));
    }
    const page = await openFeed(browser, env('READER_TOKEN'));
    pages.push(page);
    await page.locator('nav button[data-view="stats"]').click();
    await page.locator('svg.chart').first().waitFor({ timeout: T });
    const bars = await page.locator('svg.chart').evaluateAll(charts => charts.map(c => c.querySelectorAll('rect').length));
    assert(bars[0] === 12 && bars[1] === 7, `12 weekly and 7 weekday bars, got ${bars}`);
    assert(await page.locator('.total-n').first().textContent() === '2', 'the total counts both events');
    assert(!(await page.locator('#stats').textContent()).includes('null'), 'no missing value printed as "null"');
    const byType = await page.locator('.card', { hasText: 'By type' }).textContent();
    assert(byType.includes('Badge earned') && byType.includes('Rank up'), `by type lists both types by name: ${byType}`);
    await screenshot(page, 'stats');
    // The page's side of a partial answer (the service's side is feed-service's own test): the real
    // answer, marked partial on its way in, shows the notice.
    await page.route('**/api/v1/feed/stats?**', async route => {
      const real = await route.fetch();
      const body = { ...(await real.json()), partial: true, errors: [{ section: 'topActors', message: 'timed out' }] };
      await route.fulfill({ response: real, json: body });
    });
    await page.locator('#stats .chip', { hasText: 'Only me' }).click();
    const notice = page.locator('#stats .notice.warn');
    await notice.waitFor({ timeout: T });
    assert((await notice.textContent()).includes('topActors (timed out)'), 'the partial notice names the failed section');
  },

  /** 1,000 tiles in the feed: time to the first tiles, desktop and a throttled phone (printed; asserted generously). */
  async 'first-tiles-1000'({ browser, pages }) {
    const n = 1000;
    // high priority is never grouped (SPEC §4), so these are 1,000 tiles
    // idempotency keys: a batch retried after a 503 whose records did land is not stored twice
    const events = Array.from({ length: n }, (_, i) => event(`Bulk ${i}`, { priority: 'high', type: 'bulk_item', idempotencyKey: `bulk-${i}` }));
    for (let i = 0; i < n; i += 500) await postEvents(events.slice(i, i + 500));
    for (let i = 0; i < 240 && await countTiles('bulk_item') < n; i++) await new Promise(r => setTimeout(r, 500));
    const stored = await countTiles('bulk_item');
    assert(stored === n, `the feed holds ${n} tiles (has ${stored})`);
    // 1. The server as found: in a suite the services ran other scenarios before, alone they just started
    //    (the first requests after a JVM start pay for class loading and JIT, which a user rarely meets).
    const desktop = await firstTiles(browser, { phone: false });
    pages.push(desktop.page);
    printBreakdown('desktop, server as found, cold browser cache', desktop);
    const page = desktop.page;
    await firstPageDrawn(page);
    const drawn = await page.locator('article.tile').count();
    const elements = await page.evaluate(() => document.querySelector('article.tile').querySelectorAll('*').length);
    console.log(`first page: ${drawn} tiles drawn, ${n} in the feed; ${elements} elements in the first tile`);
    await page.mouse.wheel(0, 20000);
    await page.waitForFunction(d => document.querySelectorAll('article.tile').length > d, drawn, { timeout: T });
    console.log(`infinite scroll: ${await page.locator('article.tile').count()} tiles after one scroll`);
    const phoneFound = await firstTiles(browser, { phone: true });
    pages.push(phoneFound.page);
    printBreakdown('phone, server as found, cold browser cache', phoneFound);
    // 2. A warm server, as a user of a running service meets it: three whole page loads first (page,
    //    scripts, feed, counts, stream), then each profile measured again from a cold browser cache.
    for (let i = 0; i < 3; i++) {
      const warm = await firstTiles(browser, { phone: false });
      await warm.context.close();
    }
    const desktopWarm = await firstTiles(browser, { phone: false });
    pages.push(desktopWarm.page);
    printBreakdown('desktop, warm server, cold browser cache', desktopWarm);
    const phone = await firstTiles(browser, { phone: true });
    pages.push(phone.page);
    printBreakdown('phone (4x CPU slowdown, 1.6 Mbps, 150 ms RTT), warm server, cold browser cache', phone);
    for (const run of [desktop, phoneFound, desktopWarm, phone]) assert(run.ms != null, 'the first tile is marked for Element Timing and its paint is reported');
    console.log(`MEASURE first tiles painted, desktop: ${desktop.ms.toFixed(0)} ms server as found, ${desktopWarm.ms.toFixed(0)} ms warm server (target 300 ms; their frame began at ${desktop.frame.toFixed(0)} and ${desktopWarm.frame.toFixed(0)} ms)`);
    console.log(`MEASURE first tiles painted, phone: ${phoneFound.ms.toFixed(0)} ms server as found, ${phone.ms.toFixed(0)} ms warm server (target 1 s; their frame began at ${phoneFound.frame.toFixed(0)} and ${phone.frame.toFixed(0)} ms)`);
    const load = loadAverage();
    console.log(`MEASURE load average while measuring: ${load}`);
    // what makes the first tiles fast, whatever the machine's load: the page carries its script and
    // stylesheet, so the only request before the first tiles is the first page, asked for by the page's
    // inline script while the rest of the page still arrives
    for (const [label, run] of [['desktop', desktopWarm], ['phone', phone]]) {
      const t = run.timing;
      const files = t.resources.filter(e => /\.(js|css)$/.test(e.path));
      assert(files.length === 0, `${label}: no script or stylesheet file before the first tiles: ${JSON.stringify(files.map(e => e.path))}`);
      assert(t.feedRequest && t.feedRequest.start < t.navigation.domInteractive,
        `${label}: the first page is asked for while the page is parsed: ${JSON.stringify(t.feedRequest)} ${JSON.stringify(t.navigation)}`);
      // the page is laid out and painted once, with its tiles: shown holding them (unless the first page
      // took longer than the 800 ms after which the page shows without it)
      const m = t.marks;
      assert(t.shownAt !== null && (t.tilesWhenShown > 0 || t.shownAt >= m['afp:script-start'] + 790),
        `${label}: the page is shown with its first tiles: shown at ${t.shownAt} ms with ${t.tilesWhenShown} tiles, marks ${JSON.stringify(m)}`);
    }
    // targets 300 ms and 1 s on a quiet machine; asserted with room for a machine shared by many builds
    assert(desktop.ms < 3000, `desktop first tiles in ${desktop.ms.toFixed(0)} ms, server as found (target 300 ms)`);
    assert(desktopWarm.ms < 3000, `desktop first tiles in ${desktopWarm.ms.toFixed(0)} ms, warm server (target 300 ms)`);
    assert(phoneFound.ms < 6000, `phone first tiles in ${phoneFound.ms.toFixed(0)} ms, server as found (target 1 s)`);
    assert(phone.ms < 6000, `phone first tiles in ${phone.ms.toFixed(0)} ms, warm server (target 1 s)`);
  },
};

/** Counts a type's tiles by walking the feed's cursor, as a client would. */
async function countTiles(type) {
  let count = 0;
  let cursor = null;
  for (let guard = 0; guard < 100; guard++) {
    const page = await http('GET', `/api/v1/feed?limit=100&types=${type}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, env('READER_TOKEN'));
    if (page.status !== 200) throw new Error(`feed answered ${page.status}: ${page.text}`);
    count += (page.json.items || []).length;
    cursor = page.json.nextCursor;
    if (!cursor) break;
  }
  return count;
}

async function main() {
  const name = process.argv[2];
  const scenario = scenarios[name] || secondEdition[name] || following[name];
  if (!scenario) {
    console.error(`unknown scenario ${name}; known: ${[...Object.keys(scenarios), ...Object.keys(secondEdition), ...Object.keys(following)].join(', ')}`);
    process.exit(2);
  }
  const browser = await launch();
  const pages = [];
  let code = 0;
  try {
    await scenario({ browser, pages });
    console.log(`PASSED ${name}`);
  } catch (e) {
    if (e instanceof Skip) {
      console.log(`SKIPPED ${name}: ${e.message}`);
      code = 3;
    } else {
      console.log(`FAILED ${name}: ${e.stack || e}`);
      code = 1;
      for (const [i, page] of pages.entries()) {
        try { await screenshot(page, `${name}-failure-${i + 1}`); } catch { /* page gone */ }
      }
    }
  } finally {
    await browser.close();
  }
  process.exit(code);
}

main();
