import { launch } from './lib.mjs';
import { readFileSync } from 'node:fs';
// Two or more builds of the client against one running service, alternately, N page loads each:
//   GATEWAY_URL=http://127.0.0.1:8080 READER_TOKEN=... node ab.mjs N phone|desktop before=old.js after=new.js[+app.css]
// Each variant's bundle (and stylesheet, when given) is handed to the page by Playwright, so every
// variant loads it the same way; the page, the API and the stream are the service's. Prints the
// median and the spread of the time to the first tiles, the script's run and the answer-to-tiles time.
const [n, profile, ...specs] = process.argv.slice(2);
const variants = specs.map(s => { const [name, files] = s.split('='); const [file, css] = files.split('+'); return { name, body: readFileSync(file), css: css ? readFileSync(css) : null }; });
const phone = profile === 'phone';
const browser = await launch();
const results = Object.fromEntries(variants.map(v => [v.name, []]));
for (let i = 0; i < Number(n); i++) {
  for (const v of variants) {
    const context = await browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.route('**/js/app.*.js', route => route.fulfill({ status: 200, contentType: 'text/javascript', body: v.body }));
    await page.route('**/app.css', route => v.css ? route.fulfill({ status: 200, contentType: 'text/css', body: v.css }) : route.continue());
    if (phone) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8 });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    await page.goto(`${process.env.GATEWAY_URL}/app/#token=${process.env.READER_TOKEN}`);
    await page.waitForFunction(() => performance.getEntriesByName('afp:first-tiles').length > 0, null, { timeout: 30000 });
    const m = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, Math.round(m.startTime)])));
    results[v.name].push(m);
    await context.close();
  }
}
const q = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const load = (await import('node:os')).loadavg().map(x => x.toFixed(2)).join(' ');
for (const [name, ms] of Object.entries(results)) {
  const ft = ms.map(m => m['afp:first-tiles']), draw = ms.map(m => m['afp:first-tiles'] - Math.max(m['afp:script-ready'], m['afp:first-page-answer'])), run = ms.map(m => m['afp:script-ready'] - m['afp:script-start']);
  console.log(`${profile} ${name}: first tiles median ${q(ft, 0.5)} ms (min ${Math.min(...ft)}, max ${Math.max(...ft)}); script run median ${q(run, 0.5)}; answer->tiles median ${q(draw, 0.5)}  [load ${load}]  all: ${ft.join(' ')}`);
}
await browser.close();
