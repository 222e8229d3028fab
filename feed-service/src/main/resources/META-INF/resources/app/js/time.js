// No Intl on the first screen: a renderer's first use of Intl loads its locale data, which took
// 130–280 ms on the throttled phone profile before the first tiles could be drawn. The page is in
// English, so are its relative times; full dates (titles) use the reader's locale and time zone.
const UNITS = [
  ['year', 365 * 24 * 3600, 'last year', 'next year'], ['month', 30 * 24 * 3600, 'last month', 'next month'],
  ['week', 7 * 24 * 3600, 'last week', 'next week'], ['day', 24 * 3600, 'yesterday', 'tomorrow'],
  ['hour', 3600], ['minute', 60], ['second', 1],
];

/** "just now", "5 minutes ago", "yesterday", "in 2 hours" (what Intl.RelativeTimeFormat says in English with numeric: 'auto'). */
export function relative(iso, now = Date.now()) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size, last, next] of UNITS) {
    if (Math.abs(seconds) < size) continue;
    const n = Math.round(seconds / size);
    if (n === -1 && last) return last;
    if (n === 1 && next) return next;
    const count = `${Math.abs(n)} ${unit}${Math.abs(n) === 1 ? '' : 's'}`;
    return n < 0 ? `${count} ago` : `in ${count}`;
  }
  return 'just now';
}

let fullFormat = null; // Date.prototype.toLocaleString's format, made once (each toLocaleString call makes one)
let filling = false;

/**
 * The full date and time in the reader's locale and time zone, for a <time>'s title; null until the
 * first tiles are on screen: the titles of times drawn before are filled in the frame after.
 */
export function absolute(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  if (fullFormat) return fullFormat.format(date);
  if (!filling) {
    filling = true;
    requestAnimationFrame(() => setTimeout(() => {
      fullFormat = new Intl.DateTimeFormat(undefined, {
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
      for (const el of document.querySelectorAll('time[datetime]:not([title])')) {
        const title = absolute(el.getAttribute('datetime'));
        if (title) el.title = title;
      }
    }, 0));
  }
  return null;
}

let dateFormat = null; // made when Stats first needs it, not while the first screen loads

/** A date in the reader's own time zone ("Nov 20, 2026"). */
export function day(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  dateFormat = dateFormat || new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
  return dateFormat.format(date);
}

/** Relative times go stale ("just now" a minute later): every 30 s each <time class="rel"> is redrawn. */
export function keepTimesFresh(root = document, everyMs = 30000) {
  const refresh = () => {
    const now = Date.now();
    for (const el of root.querySelectorAll('time.rel[datetime]')) {
      const text = relative(el.getAttribute('datetime'), now);
      if (el.textContent !== text) el.textContent = text;
    }
  };
  const timer = setInterval(refresh, everyMs);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
  return { refresh, stop: () => clearInterval(timer) };
}
