import { api, query } from './api.js';
import { h, svg, clear, toast } from './dom.js';
import { day } from './time.js';

/** Stats (seed 001): totals, weekly and weekday charts as inline SVG, by type, top lists. */
export class StatsView {
  constructor({ root, types }) {
    this.root = root;
    this.scope = 'all';
    this.types = types || (() => []);
  }

  /** The catalog's display name of a type ("Badge earned"), or the type id humanised. */
  typeName(type) {
    const known = (this.types() || []).find(t => t.type === type);
    if (known && known.name) return known.name;
    const words = String(type || '').replace(/[._-]+/g, ' ').trim();
    return words ? words[0].toUpperCase() + words.slice(1) : '';
  }

  async load() {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    clear(this.root).append(h('p', { class: 'muted' }, 'Loading stats…'));
    try {
      const stats = await api('GET', `/api/v1/feed/stats${query({ tz, actorId: this.scope === 'me' ? 'me' : null })}`);
      this.render(stats);
    } catch (e) {
      clear(this.root).append(h('p', { class: 'notice error' }, `Stats are not available: ${e.message}`));
      toast(`Could not load stats: ${e.message}`, 'error');
    }
  }

  render(s) {
    const scope = h('div', { class: 'chips', role: 'group', 'aria-label': 'Whose activity' },
      ['all', 'me'].map(v => h('button', { type: 'button', class: 'chip', 'aria-pressed': String(this.scope === v),
        onclick: () => { this.scope = v; this.load(); } }, v === 'all' ? 'Everyone' : 'Only me')));
    // Element.append would print a null child as the text "null": build through h() instead.
    clear(this.root).append(h('div', {},
      h('h2', { class: 'view-title' }, 'Stats'),
      scope,
      s.partial ? h('div', { class: 'notice warn', role: 'status' },
        h('strong', {}, 'Some sections could not be computed: '),
        (s.errors || []).map(e => `${e.section} (${e.message})`).join('; ') || 'partial results') : null,
      h('div', { class: 'totals' },
        total('Activities', s.total), total('Entities', s.uniqueEntities), total('People', s.uniqueActors)),
      h('section', { class: 'card' }, h('h3', {}, 'Last 12 weeks'),
        bars((s.weekly || []).map(w => ({ label: String(w.week).replace(/^\d{4}-/, ''), title: w.week, count: w.count })), 'Activities per week')),
      h('section', { class: 'card' }, h('h3', {}, 'By weekday'),
        bars((s.byWeekday || []).map(d => ({ label: String(d.day).slice(0, 2), title: d.day, count: d.count })), 'Activities per weekday')),
      h('section', { class: 'card' }, h('h3', {}, 'By type'), table(s.byType, ['Type', 'Count'], t => [t.displayName || this.typeName(t.type), t.count])),
      h('section', { class: 'card' }, h('h3', {}, 'Top entities'),
        table(s.topEntities, ['Entity', 'Count'], e => [e.name || `${e.entityType}/${e.entityId}`, e.count])),
      h('section', { class: 'card' }, h('h3', {}, 'Top people'), table(s.topActors, ['Person', 'Count'], a => [a.name || a.actorId, a.count])),
      h('section', { class: 'card' }, h('h3', {}, 'Most discussed'),
        table(s.topTiles, ['Activity', 'Reactions', 'Comments'], t => [t.title || t.tileId, t.reactions, t.comments])),
      h('p', { class: 'muted range' }, range(s))));
  }
}

/** The range in the reader's time zone: "Aug 29, 2026 – Nov 21, 2026". The end is exclusive. */
function range(s) {
  if (!s.from || !s.to) return '';
  const end = new Date(Date.parse(s.to) - 1).toISOString();
  return `${day(s.from)} – ${day(end)}`;
}

function total(label, value) {
  return h('div', { class: 'total' }, h('span', { class: 'total-n' }, value == null ? '–' : String(value)), h('span', {}, label));
}

function bars(points, label) {
  const width = 600, height = 160, pad = 18;
  const max = Math.max(1, ...points.map(p => p.count || 0));
  const step = points.length ? (width / points.length) : width;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + pad}`, role: 'img', 'aria-label': label, class: 'chart' });
  points.forEach((p, i) => {
    const barHeight = Math.round((p.count || 0) / max * (height - pad));
    const x = i * step + step * 0.15;
    chart.append(...[
      svg('rect', { x, y: height - barHeight, width: step * 0.7, height: barHeight, rx: 3 },
        svg('title', {}, `${p.title}: ${p.count}`)),
      svg('text', { x: x + step * 0.35, y: height + 13, 'text-anchor': 'middle' }, p.label),
      p.count ? svg('text', { x: x + step * 0.35, y: height - barHeight - 4, 'text-anchor': 'middle', class: 'value' }, String(p.count)) : null,
    ].filter(Boolean));
  });
  return chart;
}

function table(rows, headers, cells) {
  if (!rows || rows.length === 0) return h('p', { class: 'muted' }, 'None yet.');
  return h('table', {},
    h('thead', {}, h('tr', {}, headers.map(x => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map(r => h('tr', {}, cells(r).map(c => h('td', {}, c == null ? '' : String(c)))))));
}
