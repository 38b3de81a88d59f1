// The live chart: requests per second, p99 latency and activations per
// second of the node that serves the console. Sampled from its Prometheus
// text on /metrics every two seconds (counter deltas; p99 interpolated in the
// latency histogram's bucket deltas, as Prometheus' histogram_quantile does).
// When /metrics cannot be read, activations are counted from the event
// stream instead. Drawn on a canvas by hand: no chart library.

const period_ms = 2000;
const kept_samples = 90;

// The console's own calls are left out, so an idle node draws a flat line.
function counted(labels) {
  const route = labels.route || '';
  return route !== '/metrics' && !route.startsWith('/admin');
}

// [{name, labels, value}] from Prometheus text exposition format 0.0.4.
export function parse_prometheus(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const label of (match[2] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[label[1]] = label[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    samples.push({name: match[1], labels, value: Number(match[3])});
  }
  return samples;
}

// Totals the chart derives its rates from.
export function totals(samples) {
  const result = {requests: 0, activations: 0, buckets: new Map()};
  for (const {name, labels, value} of samples) {
    if (name === 'taskflow_http_requests_total' && counted(labels)) result.requests += value;
    else if (name === 'taskflow_actor_activations_total') result.activations += value;
    else if (name === 'taskflow_http_request_duration_seconds_bucket' && counted(labels)) {
      const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
      result.buckets.set(le, (result.buckets.get(le) || 0) + value);
    }
  }
  return result;
}

// The q-quantile, in seconds, of the observations between two histogram
// snapshots; null when there were none.
export function quantile(q, before, after) {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => Math.max(0, after.get(le) - (before.get(le) || 0)));
  const total = counts[counts.length - 1] || 0;
  if (!total) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (let i = 0; i < bounds.length; i++) {
    if (counts[i] >= rank) {
      if (bounds[i] === Infinity) return lower;
      return lower + ((bounds[i] - lower) * (rank - below)) / Math.max(counts[i] - below, 1e-9);
    }
    lower = bounds[i];
    below = counts[i];
  }
  return lower;
}

export class live_chart {
  #canvas;
  #note;
  #series = [
    {label: 'requests/s', color: '#1f6feb', unit: '', values: []},
    {label: 'p99 latency', color: '#d1242f', unit: ' ms', values: []},
    {label: 'activations/s', color: '#1a7f37', unit: '', values: []},
  ];
  #previous = null;
  #timer = null;
  #sse_activations = 0;
  #source = 'metrics';

  constructor(canvas, note) {
    this.#canvas = canvas;
    this.#note = note;
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  start() {
    if (this.#timer) return;
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), period_ms);
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = null;
    this.#previous = null;
  }

  // Called for activation events from the stream; used while /metrics is not readable.
  count_activation() {
    this.#sse_activations += 1;
  }

  async #sample() {
    const now = performance.now();
    let current = null;
    try {
      const response = await fetch('/metrics', {cache: 'no-store', headers: {Accept: 'text/plain'}});
      if (response.ok) current = {at: now, ...totals(parse_prometheus(await response.text()))};
    } catch {
      current = null;
    }
    this.#source = current ? 'metrics' : 'stream';
    if (!current) current = {at: now, requests: null, activations: this.#sse_activations, buckets: new Map()};
    const before = this.#previous;
    this.#previous = current;
    // Rates need two samples from the same source.
    if (before && (before.requests === null) === (current.requests === null)) {
      const seconds = (current.at - before.at) / 1000;
      const rate = (a, b) => (a === null || b === null ? null : Math.max(0, b - a) / seconds);
      const p99 = current.requests === null ? null : quantile(0.99, before.buckets, current.buckets);
      this.#push([rate(before.requests, current.requests), p99 === null ? null : p99 * 1000, rate(before.activations, current.activations)]);
    }
    this.#note.textContent =
      this.#source === 'metrics'
        ? 'From this node’s /metrics every 2 s; the console’s own calls are left out.'
        : '/metrics is not readable: activations are counted from the event stream.';
    this.draw();
  }

  #push(values) {
    this.#series.forEach((series, i) => {
      series.values.push(values[i]);
      if (series.values.length > kept_samples) series.values.shift();
    });
  }

  draw() {
    const canvas = this.#canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) return;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const gap = 16;
    const panel = (width - gap * (this.#series.length - 1)) / this.#series.length;
    this.#series.forEach((series, i) => this.#draw_panel(g, series, i * (panel + gap), panel, height));
  }

  #draw_panel(g, series, x, width, height) {
    const top = 22;
    const bottom = height - 4;
    const known = series.values.filter((v) => v !== null);
    const latest = series.values.length ? series.values[series.values.length - 1] : null;
    const max = Math.max(1, ...known) * 1.15;
    g.font = '12px system-ui, sans-serif';
    g.fillStyle = '#57606a';
    g.textBaseline = 'top';
    g.fillText(series.label, x, 2);
    g.fillStyle = series.color;
    g.font = 'bold 12px system-ui, sans-serif';
    const text = latest === null ? '—' : `${latest < 10 ? latest.toFixed(2) : Math.round(latest)}${series.unit}`;
    g.textAlign = 'right';
    g.fillText(text, x + width, 2);
    g.textAlign = 'left';
    g.strokeStyle = '#d0d7de';
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(x, bottom + 0.5);
    g.lineTo(x + width, bottom + 0.5);
    g.stroke();
    g.fillStyle = '#8c959f';
    g.font = '10px system-ui, sans-serif';
    g.fillText(`${max < 10 ? max.toFixed(1) : Math.round(max)}`, x, top);
    const step = width / (kept_samples - 1);
    const start = x + width - step * (series.values.length - 1);
    g.strokeStyle = series.color;
    g.lineWidth = 1.5;
    g.beginPath();
    series.values.forEach((value, i) => {
      if (value === null) return;
      const px = start + i * step;
      const py = bottom - ((bottom - top) * value) / max;
      const joined = i > 0 && series.values[i - 1] !== null;
      if (joined) g.lineTo(px, py);
      else g.moveTo(px, py);
      // A sample with no neighbour would draw nothing: give it a dot.
      const alone = !joined && (i + 1 >= series.values.length || series.values[i + 1] === null);
      if (alone) g.arc(px, py, 1.5, 0, 2 * Math.PI);
    });
    g.stroke();
  }
}
