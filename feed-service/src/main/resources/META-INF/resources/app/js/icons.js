import { svg } from './dom.js';

// SVG icons drawn with strokes on a 24×24 grid: no icon font and no colour-emoji font needed.
const PATHS = {
  badge: ['M12 15a6 6 0 1 0 0-12 6 6 0 0 0 0 12z', 'M8.2 13.9 7 22l5-3 5 3-1.2-8.1'],
  trophy: ['M8 21h8', 'M12 17v4', 'M7 4h10v5a5 5 0 0 1-10 0z', 'M17 5h3v2a3 3 0 0 1-3 3', 'M7 5H4v2a3 3 0 0 0 3 3'],
  rank: ['M4 20h16', 'M7 16V11', 'M12 16V7', 'M17 16V4', 'M14.5 6.5 17 4l2.5 2.5'],
  flame: ['M12 22c4 0 7-2.7 7-6.8 0-4.6-4-7.2-4.8-11.2-2.7 1.6-4.2 4.3-4.2 6.6-1-1-1.6-2.2-1.7-3.6C6.3 9 5 11.4 5 14.9 5 19.2 8 22 12 22z'],
  bolt: ['M13 2 4 14h7l-1 8 9-12h-7z'],
  check: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'm8 12 3 3 5-6'],
  bell: ['M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9', 'M10.3 21a1.9 1.9 0 0 0 3.4 0'],
  rocket: ['M4.5 16.5c-1.5 1.3-2 5-2 5s3.7-.5 5-2c.7-.8.7-2.1-.1-2.9a2.2 2.2 0 0 0-2.9-.1z',
    'M12 15l-3-3a22 22 0 0 1 2-3.9A12.9 12.9 0 0 1 22 2c0 2.7-.8 7.5-6 11a22.4 22.4 0 0 1-4 2z', 'M9 12H4s.6-3 2-4c1.6-1.1 5 0 5 0', 'M12 15v5s3-.6 4-2c1.1-1.6 0-5 0-5'],
  target: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M12 18a6 6 0 1 0 0-12 6 6 0 0 0 0 12z', 'M12 14a2 2 0 1 0 0-4 2 2 0 0 0 0 4z'],
  star: ['m12 2 3.1 6.3 6.9 1-5 4.9 1.2 6.8L12 17.8 5.8 21l1.2-6.8-5-4.9 6.9-1z'],
  comment: ['M21 11.5a8.4 8.4 0 0 1-9 8.5 9 9 0 0 1-4-.9L3 20l1.2-4.1A8 8 0 0 1 3 11.5 8.4 8.4 0 0 1 12 3a8.4 8.4 0 0 1 9 8.5z'],
  smile: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M8 14s1.5 2 4 2 4-2 4-2', 'M9 9h.01', 'M15 9h.01'],
  clap: ['M7 11V6a1.5 1.5 0 0 1 3 0v4', 'M10 10V4.5a1.5 1.5 0 0 1 3 0V10', 'M13 10V6a1.5 1.5 0 0 1 3 0v7',
    'M7 11a1.5 1.5 0 0 0-3 .5c0 2 1 5.5 3.5 7.5 2 1.6 5 2 7.2.6A5.7 5.7 0 0 0 17 15v-2'],
  medal: ['M7.2 2h9.6L14 8h-4z', 'M12 22a6 6 0 1 0 0-12 6 6 0 0 0 0 12z', 'm12 13.5 1 2 2.2.3-1.6 1.6.4 2.2-2-1-2 1 .4-2.2-1.6-1.6 2.2-.3z'],
  filter: ['M3 5h18', 'M6 12h12', 'M10 19h4'],
  feed: ['M4 6h16', 'M4 12h16', 'M4 18h10'],
  chat: ['M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z'],
  chart: ['M3 3v18h18', 'M8 17V12', 'M13 17V8', 'M18 17V5'],
  refresh: ['M21 12a9 9 0 0 1-15.5 6.2L3 16', 'M3 12a9 9 0 0 1 15.5-6.2L21 8', 'M21 3v5h-5', 'M3 21v-5h5'],
  close: ['M6 6l12 12', 'M18 6 6 18'],
  user: ['M20 21a8 8 0 0 0-16 0', 'M12 13a5 5 0 1 0 0-10 5 5 0 0 0 0 10z'],
  checks: ['M2 12l5 5L18 6', 'm12 16 1 1 9-11'],
  chevron: ['m6 9 6 6 6-6'],
  plus: ['M12 5v14', 'M5 12h14'],
  tick: ['m5 12 5 5 9-10'],
  trash: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3'],
};

/** The catalog's icon field (a name or an emoji) or the type, mapped to one of the SVG icons. */
const BY_NAME = [
  [/badge|🏅|🎖/u, 'badge'], [/trophy|🏆|challenge|cup/u, 'trophy'], [/rank|⬆|📈|trending|level|xp/u, 'rank'],
  [/fire|flame|🔥|streak/u, 'flame'], [/bolt|⚡|burst|zap/u, 'bolt'], [/check|✅|✔|clear|done|finished/u, 'check'],
  [/deploy|rocket|🚀|release/u, 'rocket'], [/target|🎯|goal/u, 'target'], [/star|⭐|✨/u, 'star'],
  [/comment|💬/u, 'comment'], [/medal/u, 'medal'],
];

const NAMES = new Map(); // (icon, type) -> icon name: every tile asks, the patterns run once per pair

export function iconName(icon, type) {
  const key = `${icon || ''}\u0000${type || ''}`;
  let name = NAMES.get(key);
  if (!name) {
    name = match(icon, type);
    NAMES.set(key, name);
  }
  return name;
}

function match(icon, type) {
  for (const value of [icon, type]) {
    if (!value) continue;
    const text = String(value).toLowerCase();
    if (PATHS[text]) return text;
    for (const [pattern, name] of BY_NAME) if (pattern.test(text)) return name;
  }
  return 'bell';
}

const DRAWN = new Map(); // one element per distinct icon, cloned: a tile has five or six

/** An inline SVG icon; decorative unless given a label. */
export function icon(name, { label, size = 18, cls } = {}) {
  const key = `${name}|${size}|${cls || ''}|${label || ''}`;
  let template = DRAWN.get(key);
  if (!template) {
    const paths = PATHS[name] || PATHS.bell;
    template = svg('svg', {
      viewBox: '0 0 24 24', width: size, height: size, fill: 'none', stroke: 'currentColor', 'stroke-width': '2',
      'stroke-linecap': 'round', 'stroke-linejoin': 'round', class: `i i-${name}${cls ? ` ${cls}` : ''}`, focusable: 'false',
      'aria-hidden': label ? null : 'true', role: label ? 'img' : null, 'aria-label': label || null,
    }, ...paths.map(d => svg('path', { d })));
    DRAWN.set(key, template);
  }
  return template.cloneNode(true);
}
