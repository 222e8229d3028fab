import { launch, median, loadAverage } from './lib.mjs';
import { firstTiles, printBreakdown } from './web2.mjs';
// Time to the first tiles (painted, and the start of their frame), N fresh-context page loads against a running service, with the breakdown of the last:
//   GATEWAY_URL=http://127.0.0.1:8080 READER_TOKEN=... node firsttiles.mjs phone|desktop [loads=7]
const phone = process.argv[2] === 'phone';
const n = Number(process.argv[3] || 7);
const browser = await launch();
const all = [];
const frames = [];
let last;
for (let i = 0; i < n; i++) {
  const run = await firstTiles(browser, { phone });
  if (run.ms != null) all.push(Math.round(run.ms));
  frames.push(Math.round(run.frame));
  if (last) await last.context.close();
  last = run;
}
printBreakdown(phone ? 'phone' : 'desktop', last);
await last.context.close();
console.log(`${phone ? 'phone' : 'desktop'} first tiles painted: median ${median(all)} ms, in order ${all.join(' ')}; their frame began: median ${median(frames)} ms  [load ${loadAverage()}]`);
await browser.close();
