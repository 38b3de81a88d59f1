// One distributed trace as a waterfall (GET /admin/api/traces/{id}): a row
// per span, indented under its parent, its bar placed by start_ms and
// duration_ms against the whole trace, coloured by kind, the node that
// recorded it named on the row and in a legend; spans on the critical path
// and failed spans are marked. Picking a span shows its attributes and links
// below, and keeps it in the address (#/trace/ID?span=SPAN) for a reload.
// Bars are placed through CSSOM properties (element.style.left), which the
// console's CSP allows; it forbids only style attributes in markup.
import {format_time, h, replace_children, time_element} from './dom.js';
import {sign_in_refused} from './session.js';

export const kinds = ['server', 'client', 'internal', 'producer', 'consumer'];
// Nodes mark a row's edge and its node tag, in hues the kinds' bars (style.css) do not use.
const node_palette = ['#0e8a9a', '#bc4c00', '#bf3989', '#6639ba', '#4d2d00', '#0a3069'];
const trace_id_pattern = /^[0-9a-f]{32}$/;
// W3C Trace Context: version-traceid-parentid-flags, all lower-case hex.
const traceparent_pattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const axis_ticks = [0, 0.25, 0.5, 0.75, 1];

function node_colour(index) {
  return index < node_palette.length ? node_palette[index] : `hsl(${(index * 137.508) % 360} 55% 35%)`;
}

export function is_trace_id(id) {
  return trace_id_pattern.test(id) && !/^0+$/.test(id);
}

// The trace id of a traceparent whose sampled flag is set, else null: only
// sampled traces are recorded, so only those are worth a link.
export function sampled_trace(traceparent) {
  const match = traceparent_pattern.exec(String(traceparent || ''));
  if (!match || match[1] === 'ff' || !is_trace_id(match[2])) return null;
  return Number.parseInt(match[4], 16) & 1 ? match[2] : null;
}

export function trace_href(trace_id, span_id = '') {
  return `#/trace/${trace_id}${span_id ? `?span=${encodeURIComponent(span_id)}` : ''}`;
}

// "0.42 ms", "3.1 ms", "125 ms", "1.25 s".
export function format_ms(ms) {
  const value = Number(ms);
  if (!Number.isFinite(value) || value < 0) return '—';
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

// The spans in the order a waterfall draws them: each one after its parent,
// siblings by start. A span whose parent is not in the trace (the caller's
// own span, or one on a node that did not answer) starts a tree of its own.
export function span_rows(spans) {
  const by_id = new Map(spans.map((span) => [span.span_id, span]));
  const children = new Map();
  const roots = [];
  for (const span of spans) {
    const parent = span.parent_span_id;
    if (parent && parent !== span.span_id && by_id.has(parent)) {
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(span);
    } else {
      roots.push(span);
    }
  }
  const by_start = (a, b) => (Number(a.start_ms) || 0) - (Number(b.start_ms) || 0);
  const rows = [];
  const placed = new Set();
  const visit = (span, depth) => {
    if (placed.has(span.span_id)) return;
    placed.add(span.span_id);
    rows.push({span, depth, orphan: depth === 0 && !!span.parent_span_id});
    for (const child of (children.get(span.span_id) || []).sort(by_start)) visit(child, depth + 1);
  };
  for (const root of roots.sort(by_start)) visit(root, 0);
  // Spans caught in a parent cycle (a broken recorder) are still shown.
  for (const span of spans) if (!placed.has(span.span_id)) visit(span, 0);
  return rows;
}

export class trace_view {
  #session;
  #id;
  #selected;
  #root;
  #trace = null;
  #shown = '';  // the answer drawn last: a refresh that changes nothing redraws nothing
  #details = null;

  constructor(session, id, query) {
    this.#session = session;
    this.#id = id;
    this.#selected = query.get('span') || '';
  }

  mount(root) {
    this.#root = root;
    if (!is_trace_id(this.#id)) {
      this.#show_message('trace-invalid', 'Not a trace id', 'A trace id is 32 lower-case hexadecimal digits, not all zero, as in a traceparent.');
      return Promise.resolve();
    }
    replace_children(root, h('p', {class: 'muted', text: `Loading trace ${this.#id}…`}));
    return this.refresh();
  }

  unmount() {}

  // Events carry the traceparent of the request that caused them.
  named_by(event) {
    return event.data.includes(this.#id);
  }

  async refresh() {
    if (!is_trace_id(this.#id)) return;
    const response = await this.#session.fetch(`/admin/api/traces/${this.#id}`, {headers: {Accept: 'application/json'}});
    if (response.status === 404) {
      this.#trace = null;
      this.#shown = '';
      this.#show_message('trace-missing', 'No trace ', 'No node keeps a span of it: nodes keep their recent sampled traces in memory, so it was not sampled, is older than what they keep, or the id is mistyped.');
      return;
    }
    if (response.status === 403) throw new sign_in_refused('Admin role required.', 403);
    if (!response.ok) throw new Error(`HTTP ${response.status} reading trace ${this.#id}`);
    const text = await response.text();
    if (text === this.#shown) return;
    this.#shown = text;
    this.#trace = JSON.parse(text);
    this.#render();
  }

  #back_link() {
    return h('p', {}, h('a', {href: '#/traces', text: '← traces'}));
  }

  #show_message(id, title, detail) {
    replace_children(
      this.#root,
      h('section', {id, class: 'card empty'}, this.#back_link(), h('h2', {}, title, h('code', {text: this.#id})), h('p', {class: 'muted', text: detail})),
    );
  }

  #render() {
    const trace = this.#trace;
    const spans = Array.isArray(trace.spans) ? trace.spans : [];
    const nodes = [...new Set([...(trace.nodes || []), ...spans.map((s) => s.node).filter(Boolean)])];
    const colours = new Map(nodes.map((node, i) => [node, node_colour(i)]));
    const total = Math.max(Number(trace.duration_ms) || 0, ...spans.map((s) => (Number(s.start_ms) || 0) + (Number(s.duration_ms) || 0)));
    const rows = span_rows(spans);
    const root_span = rows[0]?.span;
    const unanswered = trace.unanswered_nodes || [];
    const fact = (label, ...value) => [h('dt', {text: label}), h('dd', {}, ...value)];
    this.#details = h('section', {id: 'span-details', class: 'card', hidden: true});
    replace_children(
      this.#root,
      h(
        'section',
        {class: 'card'},
        this.#back_link(),
        h('h2', {}, 'Trace ', h('code', {id: 'trace-id', class: 'id', text: trace.trace_id || this.#id})),
        h(
          'dl',
          {class: 'facts'},
          fact('Root', h('span', {id: 'trace-root', text: root_span?.name || '—'})),
          fact('Started', time_element(trace.start_unix_ms > 0 ? new Date(trace.start_unix_ms).toISOString() : null)),
          fact('Duration', h('span', {id: 'trace-duration', text: format_ms(trace.duration_ms)})),
          fact('Spans', h('span', {id: 'trace-span-count', text: spans.length})),
          fact('Nodes', h('span', {id: 'trace-nodes', text: nodes.join(', ') || '—'})),
        ),
        unanswered.length
          ? h('p', {id: 'trace-unanswered', class: 'error', role: 'status', text: `No answer from ${unanswered.join(', ')}: the spans they recorded are missing.`})
          : null,
        h('p', {class: 'muted small', text: `Updated ${format_time(new Date().toISOString())}`}),
      ),
      h(
        'section',
        {class: 'card'},
        h('h3', {text: 'Waterfall'}),
        this.#legend(nodes, colours),
        spans.length ? this.#waterfall(rows, total, colours) : h('p', {id: 'waterfall-empty', class: 'muted', text: 'The nodes that answered keep no span of this trace.'}),
      ),
      this.#details,
    );
    const picked = spans.find((s) => s.span_id === this.#selected);
    if (picked) this.#select(picked, false);
  }

  #legend(nodes, colours) {
    const item = (swatch, ...label) => h('li', {}, swatch, h('span', {}, ...label));
    const node_swatch = (node) => {
      const swatch = h('span', {class: 'swatch node'});
      swatch.style.borderColor = colours.get(node);
      return swatch;
    };
    return h(
      'ul',
      {id: 'trace-legend', class: 'legend'},
      nodes.map((node) => h('li', {'data-node': node}, node_swatch(node), h('code', {text: node}))),
      kinds.map((kind) => item(h('span', {class: `swatch kind-${kind}`}), kind)),
      item(h('span', {class: 'swatch critical'}), 'critical path'),
      item(h('span', {class: 'swatch failed'}), 'error'),
    );
  }

  #waterfall(rows, total, colours) {
    const scale = total > 0 ? total : 1;
    const percent = (ms) => Math.min(100, Math.max(0, ((Number(ms) || 0) / scale) * 100));
    const axis = h('div', {class: 'span-track axis-track'});
    for (const at of axis_ticks) {
      const tick = h('span', {class: 'axis-tick', text: format_ms(total * at)});
      tick.style.left = `${at * 100}%`;
      axis.append(tick);
    }
    const list = h('ol', {id: 'waterfall', class: 'waterfall'});
    for (const {span, depth, orphan} of rows) {
      const kind = kinds.includes(span.kind) ? span.kind : 'internal';
      const left = percent(span.start_ms);
      const bar = h('span', {class: `span-bar kind-${kind}`, title: this.#bar_title(span, kind)});
      bar.style.left = `${left}%`;
      bar.style.width = `${Math.min(100 - left, percent(span.duration_ms))}%`;
      const colour = colours.get(span.node) || '#57606a';
      const node = h('code', {class: 'span-node', text: span.node || '?'});
      node.style.borderColor = colour;
      node.style.color = colour;
      const label = h(
        'div',
        {class: 'span-label'},
        h('button', {type: 'button', class: 'span-name', title: orphan ? `${span.name} (its parent span is not in this trace)` : span.name, text: span.name || '(unnamed)'}),
        node,
        span.error ? h('span', {class: 'tag failed', text: 'error'}) : null,
      );
      label.style.paddingLeft = `${Math.min(depth, 12) * 14}px`;
      const classes = ['span-row', span.critical ? 'critical' : '', span.error ? 'error' : '', orphan ? 'orphan' : ''].filter(Boolean).join(' ');
      const row = h(
        'li',
        {
          class: classes,
          'data-span-id': span.span_id,
          'data-parent': span.parent_span_id || '',
          'data-node': span.node || '',
          'data-kind': kind,
          'data-depth': depth,
          onclick: () => this.#select(span, true),
        },
        label,
        h('span', {class: 'span-ms', text: format_ms(span.duration_ms)}),
        h('div', {class: 'span-track'}, bar),
      );
      row.style.borderLeftColor = colour;
      list.append(row);
    }
    return h(
      'div',
      {class: 'waterfall-box'},
      h('div', {class: 'span-row axis', 'aria-hidden': 'true'}, h('span', {class: 'span-label muted small', text: 'span · node'}), h('span', {class: 'span-ms muted small', text: 'took'}), axis),
      list,
    );
  }

  #bar_title(span, kind) {
    const parts = [span.name, `${format_ms(span.duration_ms)} from +${format_ms(span.start_ms)}`, kind, span.node];
    if (span.critical) parts.push('critical path');
    if (span.error) parts.push(`error${span.status_message ? `: ${span.status_message}` : ''}`);
    return parts.filter(Boolean).join(' · ');
  }

  #select(span, remember) {
    this.#selected = span.span_id;
    for (const row of this.#root.querySelectorAll('#waterfall .span-row')) row.classList.toggle('selected', row.dataset.spanId === span.span_id);
    if (remember) history.replaceState(null, '', trace_href(this.#id, span.span_id));
    const spans = this.#trace.spans || [];
    const parent = spans.find((s) => s.span_id === span.parent_span_id);
    const fact = (label, id, ...value) => [h('dt', {text: label}), h('dd', {id}, ...value)];
    const attributes = Object.entries(span.attributes || {}).sort(([a], [b]) => a.localeCompare(b));
    const links = Array.isArray(span.links) ? span.links : [];
    replace_children(
      this.#details,
      h('h3', {}, 'Span ', h('code', {text: span.name || '(unnamed)'})),
      h(
        'dl',
        {class: 'facts'},
        fact('Span id', 'span-id', h('code', {text: span.span_id})),
        fact('Parent', 'span-parent', parent ? this.#span_button(parent) : span.parent_span_id ? [h('code', {text: span.parent_span_id}), h('span', {class: 'muted', text: ' (not in this trace)'})] : h('span', {class: 'muted', text: 'none: the root'})),
        fact('Kind', 'span-kind', span.kind || '—'),
        fact('Node', 'span-node', h('code', {text: span.node || '—'})),
        fact('Starts at', 'span-start', `+${format_ms(span.start_ms)}`),
        fact('Took', 'span-duration', format_ms(span.duration_ms)),
        fact('Critical path', 'span-critical', span.critical ? 'yes' : 'no'),
        fact('Status', 'span-status', span.error ? h('span', {class: 'error', text: span.status_message ? `error: ${span.status_message}` : 'error'}) : span.status_message || 'ok'),
      ),
      h('h4', {text: 'Attributes'}),
      attributes.length
        ? h(
            'table',
            {id: 'span-attributes', class: 'attributes'},
            h(
              'tbody',
              {},
              attributes.map(([key, value]) => h('tr', {'data-key': key}, h('th', {scope: 'row'}, h('code', {text: key})), h('td', {text: typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}))),
            ),
          )
        : h('p', {id: 'span-attributes', class: 'muted', text: 'None.'}),
      h('h4', {text: 'Links'}),
      links.length ? h('ul', {id: 'span-links', class: 'links'}, links.map((link) => h('li', {}, this.#link(link)))) : h('p', {id: 'span-links', class: 'muted', text: 'None.'}),
    );
    this.#details.hidden = false;
  }

  #span_button(span) {
    return h('button', {type: 'button', class: 'link', 'data-span-id': span.span_id, onclick: () => this.#select(span, true)}, h('code', {text: span.name || span.span_id}), ` (${span.span_id})`);
  }

  // A link to a span of this trace selects it; to another trace, opens that trace.
  #link(link) {
    const here = (this.#trace.spans || []).find((s) => s.span_id === link.span_id);
    if (link.trace_id === this.#id && here) return [h('span', {class: 'muted', text: 'this trace: '}), this.#span_button(here)];
    if (is_trace_id(link.trace_id)) {
      return h('a', {href: trace_href(link.trace_id, link.span_id), 'data-trace': link.trace_id}, 'trace ', h('code', {text: link.trace_id}), ' span ', h('code', {text: link.span_id || '—'}));
    }
    return h('code', {text: `${link.trace_id || '?'} / ${link.span_id || '?'}`});
  }
}
