// The live chart: requests per second, p99 latency and activations per
// second of the node that serves the console, from the history the node
// keeps (GET /admin/api/metrics/history: a sample every few seconds for the
// last hour), so a reload draws the recent past at once. While that cannot be
// read, activations are counted from the event stream instead. Drawn on a
// canvas by hand: no chart library.

const poll_ms = 5000;
// Fifteen minutes of five-second samples fit the panels' width.
const shown_samples = 180;

export class live_chart {
  #canvas;
  #note;
  #session;
  #series = [
    {label: 'requests/s', color: '#1f6feb', unit: '', values: []},
    {label: 'p99 latency', color: '#d1242f', unit: ' ms', values: []},
    {label: 'activations/s', color: '#1a7f37', unit: '', values: []},
  ];
  #timer = null;
  #sse_activations = 0;
  #stream_sampled_at = null;

  constructor(canvas, note, session) {
    this.#canvas = canvas;
    this.#note = note;
    this.#session = session;
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  start() {
    if (this.#timer) return;
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), poll_ms);
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = null;
  }

  // Called for activation events from the stream; used while the history is not readable.
  count_activation() {
    this.#sse_activations += 1;
  }

  async #sample() {
    let history = null;
    try {
      const response = await this.#session.fetch('/admin/api/metrics/history', {headers: {Accept: 'application/json'}});
      if (response.ok) history = await response.json();
    } catch {
      history = null;
    }
    if (history) this.#show_history(history);
    else this.#count_from_stream();
    this.#canvas.dataset.samples = String(this.#series[0].values.length);
    this.draw();
  }

  #show_history(history) {
    const samples = (history.samples || []).slice(-shown_samples);
    const keys = ['requests_per_s', 'p99_ms', 'activations_per_s'];
    this.#series.forEach((series, i) => {
      series.values = samples.map((sample) => sample[keys[i]] ?? null);
    });
    this.#stream_sampled_at = null;
    const minutes = Math.max(1, Math.round((samples.length * history.period_s) / 60));
    this.#note.textContent = `Kept by this node: a sample every ${history.period_s} s, ${samples.length} shown (up to ${minutes} min); the console’s own calls are left out.`;
  }

  #count_from_stream() {
    const now = performance.now();
    if (this.#stream_sampled_at !== null) {
      const rate = this.#sse_activations / ((now - this.#stream_sampled_at) / 1000);
      this.#series.forEach((series, i) => {
        series.values.push(i === 2 ? rate : null);
        if (series.values.length > shown_samples) series.values.shift();
      });
    }
    this.#stream_sampled_at = now;
    this.#sse_activations = 0;
    this.#note.textContent = 'This node’s history is not readable: activations are counted from the event stream.';
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
    // Side by side, or stacked where three would be too narrow to read (a phone).
    const gap = 16;
    const count = this.#series.length;
    const stacked = width < 560;
    const panel_width = stacked ? width : (width - gap * (count - 1)) / count;
    const panel_height = stacked ? (height - gap * (count - 1)) / count : height;
    this.#series.forEach((series, i) => {
      g.save();
      g.translate(stacked ? 0 : i * (panel_width + gap), stacked ? i * (panel_height + gap) : 0);
      this.#draw_panel(g, series, 0, panel_width, panel_height);
      g.restore();
    });
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
    const step = width / (shown_samples - 1);
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
