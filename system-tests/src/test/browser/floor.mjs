import { launch, median, loadAverage, consoleMessages } from './lib.mjs';
// The floor of the first tiles on this machine: the first screen as static HTML (the client's own DOM
// after its first tiles, scripts removed), same origin and stylesheet, painted without any script:
//   GATEWAY_URL=http://127.0.0.1:8080 READER_TOKEN=... node floor.mjs phone|desktop [loads=5]
// The page is handed over by Playwright (no network wait for it, so the phone's floor is low by
// about one round trip and the HTML's transfer); the stylesheet comes from the service. What the
// client adds is its time to the first tiles minus this.
const phone = process.argv[2] === 'phone';
const n = Number(process.argv[3] || 5);
const browser = await launch();
const opts = phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true } : { viewport: { width: 1280, height: 800 }, bypassCSP: true };
const base = `${process.env.GATEWAY_URL}/app/`;
let html;
{
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  await page.goto(`${base}#token=${process.env.READER_TOKEN}`);
  await page.waitForFunction(() => performance.getEntriesByName('afp:first-tiles').length > 0, null, { timeout: 30000 });
  html = await page.evaluate(() => {
    const doc = document.documentElement.cloneNode(true);
    for (const s of doc.querySelectorAll('script')) s.remove();
    const tiles = [...doc.querySelectorAll('article.tile')];
    for (const t of tiles.slice(20)) t.remove();
    return '<!doctype html>' + doc.outerHTML.replace('</body>', '<script>requestAnimationFrame(() => { performance.mark("static-tiles"); console.debug("static-tiles"); })</script></body>');
  });
  await context.close();
}
const results = [];
for (let i = 0; i < n; i++) {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  await page.route(`${base}static.html`, route => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
  if (phone) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  // told by the page (a console message), so that none of the tool's own script runs in it before then
  const says = consoleMessages(page);
  await page.goto(`${base}static.html`, { waitUntil: 'commit' });
  if (!await says('static-tiles', 30000)) throw new Error('no static-tiles mark within 30 s');
  results.push(await page.evaluate(() => Math.round(performance.getEntriesByName('static-tiles')[0].startTime)));
  await context.close();
}
results.sort((a, b) => a - b);
console.log(`${phone ? 'phone' : 'desktop'} static first screen (${html.length} B of HTML, no script): median ${median(results)} ms, all ${results.join(' ')}  [load ${loadAverage()}]`);
await browser.close();
