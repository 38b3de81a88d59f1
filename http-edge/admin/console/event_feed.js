// The live domain-event feed: every domain event the admin stream delivers
// (GET /admin/api/stream, kind domain_event), newest on top, each one line:
// time, type, the aggregate it belongs to, and the API's summary of it. Kept
// to the last few in memory; the stream does not replay, so it starts empty.
// The bus delivers at least once: an event already shown (same event_id) is
// not shown twice.
import {h, local_iso, replace_children} from './dom.js';

const kept = 50;
const linked_types = new Set(['task', 'user', 'session']);

export class event_feed {
  #list;
  #empty;
  #items = [];

  constructor(root) {
    this.#list = h('ol', {id: 'feed-events', class: 'feed'});
    this.#empty = h('p', {id: 'feed-empty', class: 'muted small', text: 'No domain event since this page opened; they appear here as they are committed.'});
    replace_children(root, h('h2', {text: 'Domain events, live'}), this.#empty, this.#list);
  }

  // `frame`: the stream's data for one domain_event, {seq, kind, node, at, data}.
  add(frame) {
    const event = frame?.data;
    if (!event || typeof event !== 'object') return;
    if (event.event_id && this.#items.some((item) => item.dataset.event === event.event_id)) return;
    const type = String(event.aggregate_type || '');
    const id = String(event.aggregate_id || '');
    const target = linked_types.has(type) ? h('a', {href: `#/actor/${encodeURIComponent(type)}/${encodeURIComponent(id)}`}, h('code', {text: `${type}/${id.slice(0, 8)}…`})) : h('code', {text: type});
    const at = event.occurred_at ? new Date(event.occurred_at) : null;
    const item = h(
      'li',
      {'data-event': event.event_id || ''},
      h('time', {datetime: event.occurred_at || undefined, class: 'muted small', text: at && !Number.isNaN(at.getTime()) ? local_iso(at).slice(11) : '—'}),
      h('code', {class: 'event-type', text: event.type || ''}),
      target,
      h('span', {class: 'event-summary', text: event.summary || ''}),
    );
    this.#items.unshift(item);
    this.#items.length = Math.min(this.#items.length, kept);
    replace_children(this.#list, this.#items);
    this.#empty.hidden = true;
  }
}
