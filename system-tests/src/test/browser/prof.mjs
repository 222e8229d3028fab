import { launch } from './lib.mjs';

// The client's JavaScript on one page load (a V8 CPU profile, 0.1 ms sampling):
//   GATEWAY_URL=http://127.0.0.1:8080 READER_TOKEN=... node prof.mjs phone|desktop
// prints the marks, a 50 ms timeline aligned on afp:script-start, and self and inclusive time per
// function of the bundle (how the first use of Intl was found on the first screen's path).
const phone = process.argv[2] === 'phone';
const browser = await launch();
const context = await browser.newContext(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
if (phone) {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6 * 1024 * 1024 / 8, uploadThroughput: 750 * 1024 / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
await page.goto(`${process.env.GATEWAY_URL}/app/#token=${process.env.READER_TOKEN}`);
await page.waitForFunction(() => performance.getEntriesByName('afp:first-tiles').length > 0, null, { timeout: 30000 });
const ms = await page.evaluate(() => performance.getEntriesByName('afp:first-tiles')[0].startTime);
const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, Math.round(m.startTime)])));
const { profile } = await cdp.send('Profiler.stop');
console.log('first tiles', Math.round(ms), JSON.stringify(marks));
// self time per function, only samples before first tiles
const byId = new Map(profile.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
const self = new Map();
const incl = new Map();
let t = profile.startTime;
const navStart = await page.evaluate(() => performance.timeOrigin * 1000);
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  const dt = (profile.timeDeltas[i + 1] || 0) / 1000;
  const node = byId.get(profile.samples[i]);
  const key = n => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber + 1}`;
  self.set(key(node), (self.get(key(node)) || 0) + dt);
  total += dt;
  const seen = new Set();
  for (let id = node.id; id; id = parent.get(id)) {
    const k = key(byId.get(id));
    if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) || 0) + dt); }
  }
}
const top = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`).join('\n');
// timeline: 50 ms buckets from the first sample of the bundle (aligned with afp:script-start)
{
  let tt = profile.startTime, firstScript = null;
  const rows = [];
  for (let i = 0; i < profile.samples.length; i++) {
    tt += profile.timeDeltas[i];
    const node = byId.get(profile.samples[i]);
    let top = node, path = [];
    for (let id = node.id; id; id = parent.get(id)) path.push(byId.get(id));
    const js = path.reverse().find(n => n.callFrame.url.includes('app.'));
    if (js && firstScript == null) firstScript = tt;
    rows.push([tt, node.callFrame.functionName || '(anon)', js ? (path[2] ? path[2].callFrame.functionName : '') + '/' + js.callFrame.functionName : '']);
  }
  const off = marks['afp:script-start'] - 0;
  const buckets = new Map();
  for (const [tt, fn, js] of rows) {
    const at = Math.floor(((tt - firstScript) / 1000 + off) / 50) * 50;
    const k = js ? 'js:' + js : fn;
    if (!buckets.has(at)) buckets.set(at, new Map());
    buckets.get(at).set(k, (buckets.get(at).get(k) || 0) + 1);
  }
  for (const at of [...buckets.keys()].sort((a, b) => a - b)) {
    if (at > marks['afp:first-tiles'] + 100) break;
    const m = buckets.get(at);
    console.log(String(at).padStart(6), [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k}×${v}`).join('  '));
  }
}
console.log(`profile total ${total.toFixed(0)} ms\n-- self\n${top(self, 30)}\n-- inclusive\n${top(incl, 40)}`);
await browser.close();
