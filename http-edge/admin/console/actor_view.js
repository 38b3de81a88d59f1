// One actor: its state as formatted JSON, version, node, times, mailbox and
// recent events, and a Passivate button. Live: the event stream re-reads it
// whenever an event names it (a domain event, its activation or
// passivation); the state is always shown as text.
import {format_time, h, replace_children} from './dom.js';

export class actor_view {
  #session;
  #type;
  #id;
  #root;
  #fields = {};
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
    const field = (name, label) => {
      this.#fields[name] = h('dd', {id: `actor-${name.replaceAll('_', '-')}`});
      return [h('dt', {text: label}), this.#fields[name]];
    };
    this.#state = h('pre', {id: 'actor-state', class: 'json'});
    this.#events = h('ol', {id: 'actor-events', class: 'events'});
    this.#status = h('p', {id: 'actor-status', class: 'muted small'});
    this.#outcome = h('p', {id: 'actor-outcome', role: 'status'});
    this.#passivate = h('button', {id: 'passivate', type: 'button', class: 'danger', onclick: () => this.#do_passivate()}, 'Passivate');
    replace_children(
      root,
      h(
        'section',
        {class: 'card'},
        h('p', {}, h('a', {href: `#/actors?type=${encodeURIComponent(this.#type)}`, text: '← resident actors'})),
        h('div', {class: 'title-row'}, h('h2', {}, h('span', {text: `${this.#type} `}), h('code', {id: 'actor-id', text: this.#id})), this.#passivate),
        h('dl', {class: 'facts'}, field('resident', 'Resident'), field('version', 'Version'), field('node', 'Node'), field('shard', 'Shard'), field('activated_at', 'Activated'), field('last_message_at', 'Last message'), field('mailbox_size', 'Mailbox')),
        this.#outcome,
        this.#status,
      ),
      h('section', {class: 'card'}, h('h3', {text: 'State'}), this.#state),
      h('section', {class: 'card'}, h('h3', {text: 'Recent events'}), this.#events),
    );
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
    this.#show(await response.json());
  }

  #path() {
    return `/admin/api/actors/${encodeURIComponent(this.#type)}/${encodeURIComponent(this.#id)}`;
  }

  #show(actor) {
    const f = this.#fields;
    f.resident.textContent = actor.resident ? 'yes' : 'no';
    f.resident.className = actor.resident ? 'yes' : 'no';
    f.version.textContent = actor.version ?? '—';
    f.node.textContent = actor.node || '—';
    f.shard.textContent = actor.shard ?? '—';
    f.activated_at.textContent = format_time(actor.activated_at);
    f.last_message_at.textContent = format_time(actor.last_message_at);
    f.mailbox_size.textContent = actor.mailbox_size ?? '—';
    this.#state.textContent = JSON.stringify(actor.state ?? null, null, 2);
    const events = actor.recent_events || [];
    replace_children(
      this.#events,
      events.length ? events.map((event) => h('li', {}, h('pre', {class: 'json', text: JSON.stringify(event, null, 2)}))) : h('li', {class: 'muted', text: 'None kept.'}),
    );
    this.#passivate.disabled = !actor.resident;
    this.#status.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }

  #show_missing() {
    for (const cell of Object.values(this.#fields)) cell.textContent = '—';
    this.#state.textContent = '';
    this.#passivate.disabled = true;
    this.#status.textContent = 'No such actor.';
  }

  async #do_passivate() {
    this.#passivate.disabled = true;
    const response = await this.#session.fetch(`${this.#path()}/passivate`, {method: 'POST'});
    this.#outcome.textContent =
      response.status === 204 ? 'Passivated.' : response.status === 404 ? 'It was not resident.' : `Passivate failed (HTTP ${response.status}).`;
    await this.refresh();
  }
}
