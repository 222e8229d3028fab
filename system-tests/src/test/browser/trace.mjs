import { launch } from './lib.mjs';
import { readFileSync } from 'node:fs';
// Where the main thread's time goes on one page load, up to the first tiles (a Chrome trace):
//   GATEWAY_URL=http://127.0.0.1:8080 READER_TOKEN=... node trace.mjs phone|desktop
// prints the marks, the time per trace event (layout, style, module evaluation, parsing...), every
// task over 20 ms with what it held, and each layout or style pass over 2 ms with the script that
// forced it (none: the browser's own, before a frame). The phone is the 4x CPU / 1.6 Mbps profile.
const phone = process.argv[2] === 'phone';
const browser = await launch();
const context = await browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
if (phone) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}
await browser.startTracing(page, { path: '/tmp/trace.json', categories: ['devtools.timeline', 'blink.user_timing', 'v8', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.stack'] });
await page.goto(`${process.env.GATEWAY_URL}/app/#token=${process.env.READER_TOKEN}`);
await page.waitForFunction(() => performance.getEntriesByName('afp:first-tiles').length > 0, null, { timeout: 30000 });
const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, Math.round(m.startTime)])));
await page.waitForTimeout(300);
await browser.stopTracing();
console.log(JSON.stringify(marks));
const events = JSON.parse(readFileSync('/tmp/trace.json', 'utf8')).traceEvents;
const main = events.find(e => e.name === 'thread_name' && e.args.name === 'CrRendererMain' && events.some(x => x.pid === e.pid && x.name === 'afp:first-tiles'));
const mine = events.filter(e => e.pid === main.pid && e.tid === main.tid);
const nav = events.find(e => e.pid === main.pid && (e.name === 'navigationStart' || e.name === 'markAsMainFrame')) ;
const firstTiles = mine.find(e => e.name === 'afp:first-tiles') || events.find(e => e.name === 'afp:first-tiles');
const t0 = firstTiles.ts - marks['afp:first-tiles'] * 1000;
// top-level complete events (RunTask children) by name, in 100 ms windows
const interesting = new Set(['ParseHTML', 'EvaluateScript', 'v8.compileModule', 'v8.evaluateModule', 'FunctionCall', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'Commit', 'ParseAuthorStyleSheet', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'ResourceReceivedData', 'ResourceFinish', 'v8.compile', 'V8.GC_SCAVENGER', 'MajorGC', 'MinorGC', 'HitTest', 'IntersectionObserverController::computeIntersections', 'UpdateLayer', 'CompositeLayers', 'v8.run', 'XHRReadyStateChange', 'ScheduleStyleRecalculation', 'RunMicrotasks', 'V8.Execute', 'v8.produceModuleCache']);
const sums = new Map();
const timeline = [];
for (const e of mine) {
  if (e.ph !== 'X' || !e.dur) continue;
  const at = (e.ts - t0) / 1000;
  if (at < 0 || at > marks['afp:first-tiles']) continue;
  if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') { timeline.push([at, e.dur / 1000]); continue; }
  if (!interesting.has(e.name)) continue;
  sums.set(e.name, (sums.get(e.name) || 0) + e.dur / 1000);
}
console.log('main thread before first tiles, by event (nested events counted in each):');
for (const [k, v] of [...sums.entries()].sort((a, b) => b[1] - a[1])) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
const busy = timeline.reduce((n, [, d]) => n + d, 0);
console.log(`tasks: ${timeline.length}, busy ${busy.toFixed(0)} ms of ${marks['afp:first-tiles']} ms`);
console.log('tasks over 20 ms [start, ms]:', JSON.stringify(timeline.filter(([, d]) => d > 20).map(([a, d]) => [Math.round(a), Math.round(d)])));
// what happened inside the long tasks: direct children
for (const [a, d] of timeline.filter(([, d]) => d > 40)) {
  const inside = mine.filter(e => e.ph === 'X' && e.dur && (e.ts - t0) / 1000 >= a && (e.ts - t0) / 1000 < a + d && interesting.has(e.name));
  const m = new Map();
  for (const e of inside) m.set(e.name, (m.get(e.name) || 0) + e.dur / 1000);
  console.log(`  task at ${Math.round(a)} (${Math.round(d)} ms):`, [...m.entries()].sort((x, y) => y[1] - x[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', '));
}
for (const e of mine) {
  if (e.ph !== 'X' || !['Layout', 'UpdateLayoutTree'].includes(e.name) || e.dur < 2000) continue;
  const at = (e.ts - t0) / 1000;
  if (at < 0 || at > marks['afp:first-tiles']) continue;
  const stack = (e.args.beginData && e.args.beginData.stackTrace) || (e.args.data && e.args.data.stackTrace) || [];
  console.log(`${e.name} at ${Math.round(at)} ${(e.dur / 1000).toFixed(0)} ms:`, stack.slice(0, 5).map(f => `${f.functionName}:${f.lineNumber}`).join(' < '));
}
await browser.close();
