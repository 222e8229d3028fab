import { launch, median, loadAverage } from './lib.mjs';
import { firstTiles } from './web2.mjs';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
// Two or more versions of the served page against one running service, alternately, N fresh-context loads each:
//   GATEWAY_URL=http://127.0.0.1:8080 READER_TOKEN=... node ab.mjs N phone|desktop before=old.html after=new.html[+dir]
// Each variant is a page as the service serves it (save one with `curl -s $GATEWAY_URL/app/ > new.html`); the
// files it names (`js/…`, `app.css`) are read from the variant's folder (`+dir`, default the page's folder).
// Every variant is answered the same way, by a local server of its own on a loopback port (gzip, keep-alive),
// which passes everything else (/api/…) to GATEWAY_URL, so the network profile applies to all of them
// alike. Prints, per variant, the medians of the first tiles painted (Element Timing; only when the page
// marks its first tile) and of the start of the frame that draws them (the afp:first-tiles mark).
const [n, profile, ...specs] = process.argv.slice(2);
const upstream = new URL(process.env.GATEWAY_URL);
const types = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
const variants = await Promise.all(specs.map(spec => {
  const [name, files] = spec.split('=');
  const [page, dir = page.replace(/[^/]*$/, '') || './'] = files.split('+');
  const gz = new Map();
  const server = http.createServer((req, res) => {
    const path = req.url.split('?')[0];
    const file = path === '/app/' ? page : path.startsWith('/app/') && !path.includes('..') && /\.(js|css)$/.test(path) ? dir + path.slice('/app/'.length) : null;
    let body = null;
    try { body = file && (gz.get(file) || gz.set(file, gzipSync(readFileSync(file))).get(file)); } catch { body = null; }
    if (body) {
      res.writeHead(200, { 'Content-Type': types[file.split('.').pop()], 'Content-Encoding': 'gzip', 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
      return res.end(body);
    }
    const up = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      r => { res.writeHead(r.statusCode, r.headers); r.pipe(res); });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve({ name, server, url: `http://127.0.0.1:${server.address().port}` })));
}));
const browser = await launch();
const results = Object.fromEntries(variants.map(v => [v.name, { painted: [], frame: [] }]));
for (let i = 0; i < Number(n); i++) {
  for (const v of variants) {
    const run = await firstTiles(browser, { phone: profile === 'phone', base: v.url, paintTimeoutMs: 3000 });
    if (run.ms != null) results[v.name].painted.push(Math.round(run.ms));
    results[v.name].frame.push(Math.round(run.frame));
    await run.context.close();
  }
}
const load = loadAverage();
for (const [name, r] of Object.entries(results)) {
  console.log(`${profile} ${name}: first tiles painted median ${median(r.painted)} ms (${r.painted.join(' ') || 'not marked'}); their frame began median ${median(r.frame)} ms (${r.frame.join(' ')})`);
}
console.log(`[load ${load}] ${new Date().toISOString()}`);
await browser.close();
for (const v of variants) v.server.close();
