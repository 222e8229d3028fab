import { h } from './dom.js';
import { relative, absolute } from './time.js';
import { icon, iconName } from './icons.js';
import { followKey } from './follows.js';

export const REACTIONS = [
  { type: 'hype', label: 'Hype', icon: 'flame' },
  { type: 'respect', label: 'Respect', icon: 'clap' },
  { type: 'tribute', label: 'Tribute', icon: 'medal' },
];

/** Up to two initials of a name ("Ada Lovelace" → "AL"), for the avatar when there is no picture. */
export function initials(name) {
  const words = String(name || '?').trim().split(/[\s._-]+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [words[0] || '?'];
  return letters.map(w => [...w][0] || '').join('').toUpperCase() || '?';
}

function hue(text) {
  let n = 0;
  for (const c of String(text || '')) n = (n * 31 + c.codePointAt(0)) % 360;
  return n;
}

const personName = a => a && (a.name || a.id);

/** The tile's people, most recent first: the samples' actors (newest first), then the first-five list. */
export function people(tile) {
  const seen = new Map();
  for (const s of tile.samples || []) if (s.actor && !seen.has(s.actor.id)) seen.set(s.actor.id, personName(s.actor));
  for (const a of tile.actors || []) if (a && !seen.has(a.id)) seen.set(a.id, personName(a));
  if (!seen.size && tile.actor) seen.set(tile.actor.id, personName(tile.actor));
  return [...seen.values()].filter(Boolean);
}

function sampleItem(s) {
  return (s.entity && (s.entity.name || s.entity.id)) || s.title || '';
}

/**
 * A group's summary: its most recent items ("Night Owl, Code Reviewer +2") and people
 * ("Ada, Grace +1"), most recent first. Items are counted in events, people in distinct actors.
 */
export function groupSummary(tile) {
  const names = [];
  let covered = 0;
  for (const s of tile.samples || []) {
    const name = sampleItem(s);
    if (!name) continue;
    if (!names.includes(name)) {
      if (names.length === 2) continue;
      names.push(name);
    }
    covered += 1;
  }
  const moreItems = Math.max(0, (tile.count || 0) - covered);
  const who = people(tile);
  const actorCount = Math.max(who.length, (tile.actors || []).length);
  return {
    items: names.length ? names.join(', ') + (moreItems ? ` +${moreItems}` : '') : '',
    people: who.length ? who.slice(0, 2).join(', ') + (actorCount > 2 ? ` +${actorCount - 2}` : '') : '',
  };
}

/** The one sentence a tile says: an event's own title, else its description; a group's summary. */
export function sentence(tile) {
  if (tile.kind === 'group') {
    const { items } = groupSummary(tile);
    const head = tile.description || `${tile.count} × ${tile.displayName || tile.type}`;
    return items ? `${head}: ${items}` : head;
  }
  const own = tile.title && tile.title !== tile.displayName ? tile.title : null;
  return own || tile.description || tile.title || tile.displayName || tile.type;
}

/** A sample line of an expanded group; the actor is named only when the sample's text does not already. */
export function sampleText(s) {
  const text = s.title || sampleItem(s);
  const actor = personName(s.actor);
  return actor && !text.includes(actor) ? `${text} · ${actor}` : text;
}

export function isOwn(tile, me) {
  return !!me && ((tile.actor && tile.actor.id === me) || (tile.actors || []).some(a => a && a.id === me));
}

/** "Hype 2: you, bob": a reaction count and who gave it, as far as this page knows. */
export function reactionLabel(tile, type, n) {
  const r = REACTIONS.find(x => x.type === type);
  return `${r ? r.label : type} ${n}: ${reactedBy(tile, type, n)}`;
}

/** Who reacted, as far as this page knows: the reader, then the others (fetched on hover, or seen live). */
function reactedBy(tile, type, n) {
  const known = [];
  if ((tile.myReactions || []).includes(type)) known.push('you');
  for (const name of (tile.reactors && tile.reactors[type]) || []) if (!known.includes(name)) known.push(name);
  const others = n - known.length;
  if (!known.length) return `${n} ${n === 1 ? 'person' : 'people'}`;
  return others > 0 ? `${known.join(', ')} and ${others} ${others === 1 ? 'other' : 'others'}` : known.join(', ');
}

/**
 * What a reader can follow from a tile (SPEC §4a): every person and entity it names (its actor and
 * entity, its first actors, its samples', most recent first) and its type, each with its name.
 */
export function followTargets(tile) {
  const people = new Map();
  const things = new Map();
  const person = a => { if (a && a.id && !people.has(a.id)) people.set(a.id, { kind: 'actor', actorId: a.id, name: personName(a) }); };
  const thing = e => {
    const key = e && e.type && e.id ? `${e.type}\u0000${e.id}` : null;
    if (key && !things.has(key)) things.set(key, { kind: 'entity', entityType: e.type, entityId: e.id, name: e.name || e.id });
  };
  for (const s of tile.samples || []) person(s.actor);
  for (const a of tile.actors || []) person(a);
  person(tile.actor);
  for (const s of tile.samples || []) thing(s.entity);
  thing(tile.entity);
  const targets = [...people.values(), ...things.values()];
  if (tile.type) targets.push({ kind: 'type', type: tile.type, name: tile.displayName || tile.type });
  return targets;
}

const KIND_LABEL = { actor: 'person', entity: 'item', type: 'type' };

/** The follow menu's entry for one target: "Follow Ada Lovelace · person", or "Unfollow …" when followed. */
function followItem(target, followed, actions) {
  const verb = followed ? 'Unfollow' : 'Follow';
  return h('li', {}, h('button', {
    type: 'button', class: `follow-item${followed ? ' on' : ''}`, dataset: { followKey: followKey(target), followKind: target.kind },
    onclick: () => actions.toggleFollow(target),
  }, icon(followed ? 'tick' : 'plus', { size: 14 }), h('span', { class: 'follow-verb' }, verb), ' ',
  h('span', { class: 'follow-name' }, target.name), h('span', { class: 'follow-kind' }, ` · ${KIND_LABEL[target.kind]}`)));
}

/**
 * One tile as a compact line: avatar, sentence, non-zero reactions, comments, one React control,
 * time. `actions` receives the reader's intents. Everything from the event is set as text.
 */
export function renderTile(tile, { expanded, me, actions, pickerOpen, followOpen, isFollowed = () => false, prefix = '' }) {
  const unread = tile.read === false;
  const group = tile.kind === 'group';
  const mine = new Set(tile.myReactions || []);
  const reactions = tile.reactions || {};
  const own = isOwn(tile, me);
  const when = tile.latestAt || tile.occurredAt;
  const who = group ? groupSummary(tile).people : personName(tile.actor) || '';
  const avatarName = group ? people(tile)[0] : personName(tile.actor);
  // the Following view draws the same tiles in the same page: its ids get a prefix of their own
  const titleId = `${prefix}t-${tile.id}`;
  const text = sentence(tile);
  const samplesId = `${prefix}samples-${tile.id}`;
  const pickerId = `${prefix}react-${tile.id}`;
  const followMenuId = `${prefix}follow-${tile.id}`;
  const targets = followTargets(tile);
  const following = targets.some(t => isFollowed(t));

  const reactionChips = REACTIONS.filter(r => (reactions[r.type] || 0) > 0).map(r => {
    const n = reactions[r.type];
    const label = reactionLabel(tile, r.type, n);
    return h('span', { class: `rx${mine.has(r.type) ? ' on' : ''}`, title: label, dataset: { count: r.type } },
      icon(r.icon, { size: 14 }), h('span', { class: 'n', 'aria-hidden': 'true' }, String(n)),
      h('span', { class: 'sr-only' }, label));
  });

  return h('article', {
    class: `tile${unread ? ' unread' : ''}${group ? ' group' : ''} priority-${tile.priority || 'normal'}`,
    dataset: { id: tile.id, type: tile.type || '', kind: tile.kind || 'single', count: String(tile.count || 1) },
    tabindex: '-1', 'aria-labelledby': titleId,
  },
    h('span', { class: 'avatar', 'aria-hidden': 'true', style: null, dataset: { hue: String(hue(avatarName) % 12) } },
      initials(avatarName || tile.displayName),
      h('span', { class: 'type-icon' }, icon(iconName(tile.icon, tile.type), { size: 11 }))),
    h('div', { class: 'line' },
      h('p', { class: 'sentence', id: titleId },
        h('span', { class: 'title' }, text),
        who && !text.includes(who) ? h('span', { class: 'who' }, group ? ` · ${who}` : ` · ${who}`) : null,
        tile.priority === 'high' || tile.priority === 'urgent' ? h('span', { class: `prio ${tile.priority}` }, ` ${tile.priority}`) : null,
        unread ? h('span', { class: 'sr-only' }, ', unread') : null),
      group && (tile.samples || []).length ? h('ul', { class: 'samples', id: samplesId, hidden: !expanded },
        tile.samples.map(s => h('li', {}, h('span', { class: 'sample-title' }, sampleText(s)), ' ',
          h('time', { datetime: s.occurredAt, title: absolute(s.occurredAt), class: 'rel' }, relative(s.occurredAt))))) : null),
    h('div', { class: 'side' },
      reactionChips.length ? h('span', { class: 'reactions' }, reactionChips) : null,
      group && (tile.samples || []).length ? h('button', {
        type: 'button', class: 'ghost expand', 'aria-expanded': String(!!expanded), 'aria-controls': samplesId,
        title: expanded ? 'Hide details' : `Show the latest ${tile.samples.length}`, onclick: () => actions.expand(tile.id),
      }, icon('chevron', { size: 16, cls: expanded ? 'flip' : '' }), h('span', { class: 'sr-only' }, expanded ? 'Hide details' : `Show the latest ${tile.samples.length}`),
      h('span', { class: 'count' }, `×${tile.count}`)) : null,
      h('button', {
        type: 'button', class: 'ghost comments-button', title: 'Comments',
        onclick: () => actions.comments(tile.id),
      }, icon('comment', { size: 16 }), h('span', { class: 'sr-only' }, 'Comments'),
      h('span', { class: 'n', hidden: !tile.commentCount }, String(tile.commentCount || 0))),
      h('span', { class: 'react-wrap' },
        h('button', {
          type: 'button', class: 'ghost react', 'aria-expanded': String(!!pickerOpen), 'aria-controls': pickerOpen ? pickerId : null,
          disabled: own, title: own ? 'You cannot react to your own activity' : 'React',
          onclick: () => actions.picker(tile.id),
        }, icon('smile', { size: 16 }), h('span', { class: 'sr-only' }, own ? 'React (not on your own activity)' : 'React')),
        // the picker and the follow menu are built only while open (opening redraws the tile):
        // twenty tiles on the first screen then cost about half the elements
        pickerOpen ? h('span', { class: 'picker', id: pickerId, role: 'group', 'aria-label': 'Reactions' },
          REACTIONS.map(r => h('button', {
            type: 'button', class: `reaction${mine.has(r.type) ? ' on' : ''}`, 'aria-pressed': String(mine.has(r.type)),
            dataset: { reaction: r.type }, disabled: own, title: r.label,
            onclick: () => actions.react(tile.id, r.type),
          }, icon(r.icon, { size: 16 }), h('span', { class: 'label' }, r.label),
          h('span', { class: 'n' }, String(reactions[r.type] || 0))))) : null),
      h('span', { class: 'follow-wrap' },
        h('button', {
          type: 'button', class: `ghost follow${following ? ' on' : ''}`, 'aria-expanded': String(!!followOpen), 'aria-controls': followOpen ? followMenuId : null,
          title: following ? 'Following: change what you follow' : 'Follow', onclick: () => actions.followMenu(tile.id),
        }, icon('star', { size: 16 }), h('span', { class: 'sr-only' }, following ? 'Follow (you follow something here)' : 'Follow')),
        followOpen ? h('ul', { class: 'follow-menu', id: followMenuId, 'aria-label': 'Follow' },
          targets.map(t => followItem(t, isFollowed(t), actions))) : null),
      unread ? h('button', { type: 'button', class: 'ghost mark-read', title: 'Mark as read', onclick: () => actions.read(tile.id) },
        h('span', { class: 'dot', 'aria-hidden': 'true' }), h('span', { class: 'sr-only' }, 'Mark as read')) : null,
      h('time', { class: 'rel when', datetime: when, title: absolute(when) }, relative(when))),
  );
}

/** The feed's order (SPEC §4): by (latestAt, id) with sort=activity, else (occurredAt, id); newest first. */
export function compareTiles(a, b, activity = true) {
  const key = t => Date.parse(activity ? (t.latestAt || t.occurredAt) : t.occurredAt);
  const ta = key(a), tb = key(b);
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
