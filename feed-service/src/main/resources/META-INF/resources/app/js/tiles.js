import { h } from './dom.js';
import { relative, absolute } from './time.js';

export const REACTIONS = [
  { type: 'hype', label: 'Hype', emoji: '🔥' },
  { type: 'respect', label: 'Respect', emoji: '🙌' },
  { type: 'tribute', label: 'Tribute', emoji: '🏅' },
];

// The type catalog names icons; anything unknown (or already an emoji) is shown as it is.
const ICONS = {
  badge: '🏅', trophy: '🏆', medal: '🏅', star: '⭐', rank: '📈', 'trending-up': '📈', chart: '📈',
  check: '✅', 'check-circle': '✅', flag: '🏁', fire: '🔥', flame: '🔥', tasks: '🗂️', list: '📋',
  bolt: '⚡', bell: '🔔', activity: '🔔', default: '🔔', clear: '🧹', sparkles: '✨', target: '🎯',
};

export function iconText(icon, type) {
  if (!icon) return '🔔';
  if (/[^\x00-\x7F]/.test(icon) && [...icon].length <= 3) return icon;
  const key = String(icon).toLowerCase().replace(/^(mdi|fa|icon)[-:]/, '');
  if (ICONS[key]) return ICONS[key];
  for (const [name, emoji] of Object.entries(ICONS)) if (key.includes(name)) return emoji;
  return (type || '?').charAt(0).toUpperCase();
}

/**
 * One tile as an element. `actions` receives the user's intents (react, comments, read, expand).
 * Everything from the event is set as text.
 */
export function renderTile(tile, { expanded, me, actions }) {
  const unread = tile.read === false;
  const group = tile.kind === 'group';
  const mine = new Set(tile.myReactions || []);
  const reactions = tile.reactions || {};
  const samplesId = `samples-${tile.id}`;
  const ownActivity = me && ((tile.actor && tile.actor.id === me) || (tile.actors || []).some(a => a && a.id === me));

  return h('article', {
    class: `tile${unread ? ' unread' : ''}${group ? ' group' : ''} priority-${tile.priority || 'normal'}`,
    dataset: { id: tile.id, type: tile.type || '', kind: tile.kind || 'single' },
    tabindex: '-1',
    'aria-label': `${tile.displayName || tile.type}: ${tile.title || ''}`,
  },
    h('div', { class: 'icon', 'aria-hidden': 'true' }, iconText(tile.icon, tile.type)),
    h('div', { class: 'tile-body' },
      h('div', { class: 'meta' },
        h('span', { class: 'type-name' }, tile.displayName || tile.type),
        group ? h('span', { class: 'count', title: `${tile.count} activities` }, `×${tile.count}`) : null,
        tile.priority === 'high' || tile.priority === 'urgent' ? h('span', { class: `prio ${tile.priority}` }, tile.priority) : null,
        h('time', { datetime: tile.latestAt || tile.occurredAt, title: absolute(tile.latestAt || tile.occurredAt) },
          relative(tile.latestAt || tile.occurredAt)),
        unread ? h('span', { class: 'unread-dot', title: 'Unread' }, h('span', { class: 'sr-only' }, 'Unread')) : null,
      ),
      h('h3', { class: 'title' }, tile.title || tile.displayName || tile.type),
      tile.description ? h('p', { class: 'description' }, tile.description) : null,
      actorLine(tile),
      group && (tile.samples || []).length ? [
        h('button', {
          class: 'link expand', type: 'button', 'aria-expanded': String(!!expanded), 'aria-controls': samplesId,
          onclick: () => actions.expand(tile.id),
        }, expanded ? 'Hide details' : `Show latest ${tile.samples.length}`),
        h('ul', { class: 'samples', id: samplesId, hidden: !expanded },
          tile.samples.map(s => h('li', {},
            h('span', { class: 'sample-title' }, s.title || (s.entity && s.entity.name) || ''),
            s.actor && s.actor.name ? h('span', { class: 'sample-actor' }, ` · ${s.actor.name}`) : null,
            h('time', { datetime: s.occurredAt, title: absolute(s.occurredAt) }, ` · ${relative(s.occurredAt)}`)))),
      ] : null,
      h('div', { class: 'actions' },
        REACTIONS.map(r => h('button', {
          type: 'button', class: `reaction${mine.has(r.type) ? ' on' : ''}`,
          'aria-pressed': String(mine.has(r.type)), dataset: { reaction: r.type },
          title: ownActivity ? 'You cannot react to your own activity' : r.label,
          'aria-label': `${r.label}, ${reactions[r.type] || 0}`,
          onclick: () => actions.react(tile.id, r.type),
        }, h('span', { 'aria-hidden': 'true' }, r.emoji), h('span', { class: 'label', 'aria-hidden': 'true' }, ` ${r.label} `),
          h('span', { class: 'n' }, String(reactions[r.type] || 0)))),
        h('button', {
          type: 'button', class: 'comments-button', 'aria-label': `Comments, ${tile.commentCount || 0}`,
          onclick: () => actions.comments(tile.id),
        }, h('span', { 'aria-hidden': 'true' }, '💬'), ' ', h('span', { class: 'n' }, String(tile.commentCount || 0))),
        unread ? h('button', { type: 'button', class: 'link mark-read', onclick: () => actions.read(tile.id) }, 'Mark read') : null,
      ),
    ),
  );
}

function actorLine(tile) {
  const names = (tile.actors && tile.actors.length ? tile.actors : tile.actor ? [tile.actor] : [])
    .map(a => a && (a.name || a.id)).filter(Boolean);
  const entity = tile.entity && (tile.entity.name || tile.entity.id);
  if (!names.length && !entity) return null;
  const more = tile.kind === 'group' && tile.count > names.length && names.length ? ` and others` : '';
  return h('p', { class: 'people' },
    names.length ? h('span', { class: 'actors' }, names.join(', ') + more) : null,
    names.length && entity ? ' · ' : null,
    entity ? h('span', { class: 'entity' }, entity) : null);
}

/** Newest first by (occurredAt, id), the feed's own order (SPEC §4). */
export function compareTiles(a, b) {
  const ta = Date.parse(a.occurredAt), tb = Date.parse(b.occurredAt);
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
