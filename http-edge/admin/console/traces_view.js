// The traces view: the recent sampled traces the nodes keep
// (GET /admin/api/traces), newest first, filtered by a least duration and an
// http.route, each a row linking to its waterfall (#/trace/ID) with a bar of
// its duration against the slowest shown. Live: the event stream and the
// polls re-read it with the same filters.
import {h, replace_children, time_element} from './dom.js';
import {format_ms, trace_href} from './trace_view.js';

const default_limit = 50;
// The most the API gives, and the longest least duration it takes (an hour).
const max_limit = 200;
const max_min_ms = 3600000;

// The API takes whole milliseconds; empty for none (or nothing usable).
function whole_ms(text) {
  const ms = Math.floor(Number(String(text ?? '').trim() || Number.NaN));
  return Number.isFinite(ms) && ms > 0 ? String(Math.min(ms, max_min_ms)) : '';
}

export class traces_view {
  #session;
  #filters;
  #root;
  #rows;
  #summary;
  #table;
  #empty;
  #routes;

  constructor(session, filters) {
    const limit = Number.parseInt(filters.get('limit') || '', 10);
    this.#session = session;
    this.#filters = {
      min_ms: whole_ms(filters.get('min_ms')),
      route: filters.get('route') || '',
      limit: Number.isInteger(limit) && limit > 0 ? Math.min(limit, max_limit) : default_limit,
    };
  }

  mount(root) {
    this.#root = root;
    const min_ms = h('input', {id: 'filter-min-ms', name: 'min_ms', type: 'number', min: '0', max: String(max_min_ms), step: '1', placeholder: 'at least ms', inputmode: 'numeric'});
    min_ms.value = this.#filters.min_ms;
    this.#routes = h('datalist', {id: 'trace-routes'});
    const route = h('input', {id: 'filter-route', name: 'route', type: 'search', list: 'trace-routes', placeholder: 'route, e.g. /api/v1/tasks', autocomplete: 'off', spellcheck: 'false'});
    route.value = this.#filters.route;
    const apply = () => {
      const query = new URLSearchParams();
      if (whole_ms(min_ms.value)) query.set('min_ms', whole_ms(min_ms.value));
      // Routes are paths (/api/v1/tasks/{id}); the API refuses one without its slash.
      const path = route.value.trim();
      if (path) query.set('route', path.startsWith('/') ? path : `/${path}`);
      if (this.#filters.limit !== default_limit) query.set('limit', String(this.#filters.limit));
      const hash = `#/traces${query.size ? `?${query}` : ''}`;
      // The same filters again: no hashchange would come, so send one.
      if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
      else location.hash = hash;
    };
    const form = h('form', {id: 'trace-filters', class: 'filters', onsubmit: (e) => (e.preventDefault(), apply())}, min_ms, route, this.#routes, h('button', {type: 'submit', text: 'Search'}));
    this.#summary = h('p', {id: 'traces-summary', class: 'muted'});
    this.#rows = h('tbody');
    // Columns marked "wide" give way on a phone (style.css).
    const columns = [['Started'], ['Request'], ['Status', 'num wide'], ['Duration'], ['Spans', 'num wide'], ['Nodes', 'wide'], ['Trace id', 'wide']];
    this.#table = h('div', {class: 'scroll'}, h('table', {id: 'traces'}, h('thead', {}, h('tr', {}, columns.map(([t, c]) => h('th', {class: c, text: t})))), this.#rows));
    this.#empty = h('p', {id: 'traces-empty', class: 'empty muted', hidden: true});
    replace_children(
      root,
      h(
        'section',
        {class: 'card'},
        h('h2', {text: 'Traces'}),
        h('p', {class: 'muted small', text: 'Recent sampled requests, newest first. A request sent with a sampled traceparent (flags 01) is always kept.'}),
        form,
        this.#summary,
        this.#table,
        this.#empty,
      ),
    );
    return this.refresh();
  }

  unmount() {}

  async refresh() {
    const query = new URLSearchParams({limit: String(this.#filters.limit)});
    if (this.#filters.min_ms) query.set('min_ms', this.#filters.min_ms);
    if (this.#filters.route) query.set('route', this.#filters.route);
    const body = await this.#session.json(`/admin/api/traces?${query}`);
    this.#render(body.items || [], body.unanswered_nodes || []);
  }

  #render(items, unanswered) {
    const slowest = Math.max(0, ...items.map((t) => Number(t.duration_ms) || 0));
    replace_children(
      this.#rows,
      items.map((trace) => {
        const bar = h('span', {class: 'duration-bar'});
        bar.style.width = `${slowest > 0 ? Math.max(1, ((Number(trace.duration_ms) || 0) / slowest) * 100) : 0}%`;
        const started = trace.start_unix_ms > 0 ? new Date(trace.start_unix_ms).toISOString() : null;
        return h(
          'tr',
          {'data-trace': trace.trace_id, class: trace.error ? 'failed' : undefined},
          h('td', {}, time_element(started)),
          h(
            'td',
            {class: 'label'},
            h('a', {href: trace_href(trace.trace_id), text: trace.name || trace.route || trace.trace_id}),
            trace.error ? h('span', {class: 'tag failed', text: 'error'}) : null,
          ),
          h('td', {class: 'num wide', text: trace.status || '—'}),
          h('td', {class: 'duration'}, h('span', {class: 'duration-track'}, bar), h('span', {class: 'duration-ms', text: format_ms(trace.duration_ms)})),
          h('td', {class: 'num wide', text: trace.span_count ?? '—'}),
          h('td', {class: 'wide trace-nodes'}, (trace.nodes || []).map((node) => h('code', {text: node}))),
          h('td', {class: 'wide'}, h('code', {class: 'id', title: trace.trace_id, text: `${String(trace.trace_id).slice(0, 8)}…`})),
        );
      }),
    );
    const known = new Set([...this.#routes.children].map((o) => o.value));
    for (const route of new Set(items.map((t) => t.route).filter(Boolean))) if (!known.has(route)) this.#routes.append(h('option', {value: route}));
    const filtered = !!(this.#filters.min_ms || this.#filters.route);
    this.#table.hidden = !items.length;
    this.#empty.hidden = !!items.length;
    this.#empty.textContent = filtered
      ? 'No kept trace matches these filters.'
      : 'No trace is kept: nodes keep their recent sampled traces in memory, and none has been sampled since they started.';
    const missing = unanswered.length ? ` · no answer from ${unanswered.join(', ')}` : '';
    const bounded = items.length >= this.#filters.limit ? ` (the newest ${this.#filters.limit})` : '';
    this.#summary.textContent = `${items.length} shown${bounded}${filtered ? ', filtered' : ''}${missing} · updated ${new Date().toLocaleTimeString()}`;
  }
}
