const UNITS = [
  ['year', 365 * 24 * 3600], ['month', 30 * 24 * 3600], ['week', 7 * 24 * 3600],
  ['day', 24 * 3600], ['hour', 3600], ['minute', 60], ['second', 1],
];
const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function relative(iso, now = Date.now()) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

export function absolute(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString();
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
