// The actors view: resident actors, each with what a person knows it by (a
// task's title, a user's email), filtered by type, node and id prefix, paged
// by the API's next_cursor; no table at all when nothing matches. Live: the event stream re-reads what is on
// screen (as many rows as are loaded), so counts and rows follow activations
// and passivations without a reload.
import {h, replace_children, time_element} from './dom.js';

const page_size = 50;
// The most rows the API gives in one page.
const max_limit = 500;

export class actors_view {
  #session;
  #filters;
  #root;
  #rows;
  #summary;
  #more;
  #table;
  #empty;
  #items = [];
  #next_cursor = null;
  #total = null;  // resident actors in the cluster, from the nodes' counts
  #unanswered = [];  // nodes that did not answer in time: their actors are missing

  constructor(session, filters) {
    this.#session = session;
    this.#filters = {type: filters.get('type') || '', node: filters.get('node') || '', prefix: filters.get('prefix') || ''};
  }

  async mount(root) {
    this.#root = root;
    const type = h('select', {id: 'filter-type', name: 'type'}, ...['', 'task', 'user', 'session'].map((t) => h('option', {value: t, text: t || 'any type'})));
    type.value = this.#filters.type;
    const node = h('select', {id: 'filter-node', name: 'node'}, h('option', {value: '', text: 'any node'}));
    const prefix = h('input', {id: 'filter-prefix', name: 'prefix', type: 'search', placeholder: 'id prefix', autocomplete: 'off', spellcheck: 'false'});
    prefix.value = this.#filters.prefix;
    const apply = () => {
      const query = new URLSearchParams();
      for (const [key, control] of Object.entries({type, node, prefix})) if (control.value) query.set(key, control.value.trim());
      location.hash = `#/actors${query.size ? `?${query}` : ''}`;
    };
    const form = h('form', {class: 'filters', onsubmit: (e) => (e.preventDefault(), apply())}, type, node, prefix, h('button', {type: 'submit', text: 'Search'}));
    type.addEventListener('change', apply);
    node.addEventListener('change', apply);
    this.#summary = h('p', {id: 'actors-summary', class: 'muted'});
    this.#rows = h('tbody');
    // Columns marked "wide" give way on a phone (style.css).
    const columns = [['Type'], ['Id'], ['Name'], ['Node', 'wide'], ['Shard', 'num wide'], ['Activated'], ['Last message', 'wide'], ['Mailbox', 'num wide']];
    this.#table = h('div', {class: 'scroll'}, h('table', {id: 'actors'}, h('thead', {}, h('tr', {}, columns.map(([t, c]) => h('th', {class: c, text: t})))), this.#rows));
    this.#empty = h('p', {id: 'actors-empty', class: 'empty muted', hidden: true});
    this.#more = h('button', {id: 'load-more', type: 'button', hidden: true, onclick: () => this.#load_more()}, 'Load more');
    replace_children(
      root,
      h(
        'section',
        {class: 'card'},
        h('h2', {text: 'Resident actors'}),
        form,
        this.#summary,
        this.#table,
        this.#empty,
        this.#more,
      ),
    );
    const cluster = await this.#session.json('/admin/api/cluster');
    for (const n of cluster.nodes || []) node.append(h('option', {value: n.id, text: n.id}));
    node.value = this.#filters.node;
    this.#total = cluster.nodes?.reduce((sum, n) => sum + (Number(n.resident_actors) || 0), 0) ?? null;
    await this.#load(null, page_size);
  }

  unmount() {}

  // Re-reads from the start as many rows as are shown.
  async refresh() {
    const cluster = await this.#session.json('/admin/api/cluster');
    this.#total = cluster.nodes?.reduce((sum, n) => sum + (Number(n.resident_actors) || 0), 0) ?? null;
    await this.#load(null, Math.min(max_limit, Math.max(page_size, this.#items.length)));
  }

  async #load_more() {
    if (this.#next_cursor) await this.#load(this.#next_cursor, page_size);
  }

  async #load(cursor, limit) {
    const query = new URLSearchParams({limit: String(limit)});
    for (const [key, value] of Object.entries(this.#filters)) if (value) query.set(key, value);
    if (cursor) query.set('cursor', cursor);
    const body = await this.#session.json(`/admin/api/actors?${query}`);
    this.#items = cursor ? this.#items.concat(body.items || []) : body.items || [];
    this.#next_cursor = body.next_cursor || null;
    this.#unanswered = body.unanswered_nodes || [];
    this.#render();
  }

  #render() {
    replace_children(
      this.#rows,
      this.#items.map((a) =>
        h(
          'tr',
          {'data-actor': `${a.type}/${a.id}`},
          h('td', {text: a.type}),
          h('td', {}, h('a', {href: `#/actor/${encodeURIComponent(a.type)}/${encodeURIComponent(a.id)}`}, h('code', {class: 'id', text: a.id}))),
          h('td', {class: 'label', text: a.label ?? ''}),
          h('td', {class: 'wide'}, h('code', {text: a.node})),
          h('td', {class: 'num wide', text: a.shard}),
          h('td', {}, time_element(a.activated_at)),
          h('td', {class: 'wide'}, time_element(a.last_message_at)),
          h('td', {class: 'num wide', text: a.mailbox_size ?? '—'}),
        ),
      ),
    );
    const filtered = Object.values(this.#filters).some(Boolean);
    this.#table.hidden = !this.#items.length;
    this.#empty.hidden = !!this.#items.length;
    this.#empty.textContent = filtered
      ? 'No resident actor matches these filters.'
      : 'No actor is resident: an actor is activated by the first call that needs it and passivated when idle.';
    const shown = `${this.#items.length}${this.#next_cursor ? '+' : ''} shown`;
    const total = this.#total === null ? '' : ` · ${this.#total} resident in the cluster`;
    const missing = this.#unanswered.length ? ` · no answer from ${this.#unanswered.join(', ')}` : '';
    this.#summary.textContent = `${shown}${filtered ? ' (filtered)' : ''}${total}${missing} · updated ${new Date().toLocaleTimeString()}`;
    this.#more.hidden = !this.#next_cursor;
  }
}
