// One actor: its facts (version, node, times, mailbox), its state field by
// field in the API's terms, and its recent events, each a one-line summary
// that opens on a table of what it changed, with a link to the trace of the
// request that caused it when that was sampled; a Passivate button. Live: the
// event stream re-reads it whenever an event names it (a domain event, its
// activation or passivation). An actor the API does not know is one
// not-found card, with no empty cards around it.
import {format_time, h, replace_children, time_element} from './dom.js';
import {sampled_trace, trace_href} from './trace_view.js';

const time_field = /_at$|_until$/;

export class actor_view {
  #session;
  #type;
  #id;
  #root;
  #fields = null;  // null until the first answer: the cards are built for an actor that exists
  #state;
  #events;
  #status;
  #outcome;
  #passivate;

  constructor(session, type, id) {
    this.#session = session;
    this.#type = type;
    this.#id = id;
  }

  mount(root) {
    this.#root = root;
    replace_children(root, h('p', {class: 'muted', text: `Loading ${this.#type} ${this.#id}…`}));
    return this.refresh();
  }

  unmount() {}

  named_by(event) {
    return event.data.includes(this.#id);
  }

  async refresh() {
    const response = await this.#session.fetch(this.#path(), {headers: {Accept: 'application/json'}});
    if (response.status === 404) {
      this.#show_missing();
      return;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status} reading ${this.#type}/${this.#id}`);
    const actor = await response.json();
    if (!this.#fields) this.#build();
    this.#show(actor);
  }

  #path() {
    return `/admin/api/actors/${encodeURIComponent(this.#type)}/${encodeURIComponent(this.#id)}`;
  }

  #back_link() {
    return h('p', {}, h('a', {href: `#/actors?type=${encodeURIComponent(this.#type)}`, text: '← resident actors'}));
  }

  #build() {
    this.#fields = {};
    const field = (name, label) => {
      this.#fields[name] = h('dd', {id: `actor-${name.replaceAll('_', '-')}`});
      return [h('dt', {text: label}), this.#fields[name]];
    };
    this.#state = h('dl', {id: 'actor-state', class: 'state-fields'});
    this.#events = h('ol', {id: 'actor-events', class: 'events'});
    this.#status = h('p', {id: 'actor-status', class: 'muted small'});
    this.#outcome = h('p', {id: 'actor-outcome', role: 'status'});
    this.#passivate = h('button', {id: 'passivate', type: 'button', class: 'danger', onclick: () => this.#do_passivate()}, 'Passivate');
    replace_children(
      this.#root,
      h(
        'section',
        {class: 'card'},
        this.#back_link(),
        h('div', {class: 'title-row'}, h('h2', {}, h('span', {text: `${this.#type} `}), h('code', {id: 'actor-id', text: this.#id})), this.#passivate),
        h('dl', {class: 'facts'}, field('resident', 'Resident'), field('version', 'Version'), field('node', 'Node'), field('shard', 'Shard'), field('activated_at', 'Activated'), field('last_message_at', 'Last message'), field('mailbox_size', 'Mailbox')),
        this.#outcome,
        this.#status,
      ),
      h('section', {class: 'card'}, h('h3', {text: 'State'}), this.#state),
      h('section', {class: 'card'}, h('h3', {text: 'Recent events'}), h('p', {class: 'muted small', text: 'Newest first; open one for what it changed.'}), this.#events),
    );
  }

  #show(actor) {
    const f = this.#fields;
    f.resident.textContent = actor.resident ? 'yes' : 'no';
    f.resident.className = actor.resident ? 'yes' : 'no';
    f.version.textContent = actor.version ?? '—';
    f.node.textContent = actor.node || '—';
    f.shard.textContent = actor.shard ?? '—';
    replace_children(f.activated_at, time_element(actor.activated_at));
    replace_children(f.last_message_at, time_element(actor.last_message_at));
    f.mailbox_size.textContent = actor.mailbox_size ?? '—';
    const state = actor.state ?? {};
    replace_children(
      this.#state,
      Object.keys(state).length
        ? Object.entries(state).flatMap(([key, value]) => [h('dt', {text: key}), h('dd', {'data-field': key}, value_node(key, value))])
        : h('p', {class: 'muted', text: 'Never created: the actor holds no state.'}),
    );
    const events = actor.recent_events || [];
    replace_children(this.#events, events.length ? events.map(event_item) : h('li', {class: 'muted', text: 'No events stored for it.'}));
    this.#passivate.disabled = !actor.resident;
    this.#status.textContent = `Updated ${format_time(new Date().toISOString())}`;
  }

  #show_missing() {
    this.#fields = null;
    replace_children(
      this.#root,
      h(
        'section',
        {id: 'actor-missing', class: 'card empty'},
        this.#back_link(),
        h('h2', {}, `No ${this.#type} `, h('code', {text: this.#id})),
        h('p', {class: 'muted', text: 'It is not resident and nothing is stored under this id: it was never created, or the id is mistyped.'}),
      ),
    );
  }

  async #do_passivate() {
    this.#passivate.disabled = true;
    const response = await this.#session.fetch(`${this.#path()}/passivate`, {method: 'POST'});
    this.#outcome.textContent =
      response.status === 204 ? 'Passivated.' : response.status === 404 ? 'It was not resident.' : `Passivate failed (HTTP ${response.status}).`;
    await this.refresh();
  }
}

// A field's value as text: times local, lists joined, nothing as a dash.
function value_node(key, value) {
  if (value === null || value === undefined) return h('span', {class: 'muted', text: '—'});
  if (typeof value === 'string' && time_field.test(key)) return time_element(value);
  if (value === '') return h('span', {class: 'muted', text: '(empty)'});
  if (Array.isArray(value)) return value.length ? value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ') : h('span', {class: 'muted', text: '(none)'});
  if (typeof value === 'object') return h('code', {text: JSON.stringify(value)});
  return String(value);
}

function event_item(event) {
  // The request that caused it, when that request's trace was sampled.
  const trace = sampled_trace(event.traceparent);
  const line = [
    h('span', {class: 'version', text: `v${event.version}`}),
    h('code', {class: 'event-type', text: event.type}),
    h('span', {class: 'event-summary', text: event.summary || ''}),
    time_element(event.occurred_at, {class: 'muted small'}),
    trace ? h('a', {class: 'trace-link small', href: trace_href(trace), title: `Trace ${trace}`, 'data-trace': trace, text: 'trace'}) : null,
  ];
  const changes = Object.entries(event.changes || {});
  if (!changes.length) return h('li', {class: 'event'}, h('div', {class: 'event-line'}, line));
  const rows = changes.map(([field, change]) =>
    h(
      'tr',
      {'data-field': field},
      h('th', {scope: 'row', text: field}),
      h('td', {class: 'from'}, 'from' in change ? value_node(field, change.from) : h('span', {class: 'muted', text: 'not known'})),
      h('td', {class: 'to'}, value_node(field, change.to)),
    ),
  );
  return h(
    'li',
    {class: 'event'},
    h(
      'details',
      {},
      h('summary', {class: 'event-line'}, line),
      h('table', {class: 'diff'}, h('thead', {}, h('tr', {}, h('th', {text: 'Field'}), h('th', {text: 'Before'}), h('th', {text: 'After'}))), h('tbody', {}, rows)),
    ),
  );
}
