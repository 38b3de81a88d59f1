// Builds DOM nodes. Every string, from the server or not, becomes a text node
// or textContent: the console never parses HTML at run time (the page's CSP
// also turns on Trusted Types, so assigning markup to any HTML sink would throw).

// h('td', {class: 'num', title: 'x', onclick: fn}, 'text', child, ...)
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'href') node.setAttribute('href', internal_href(value));
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function replace_children(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

// Links stay inside the console: only "#/..." routes, never a server-made URL.
function internal_href(value) {
  const href = String(value);
  return href.startsWith('#/') ? href : '#/';
}

// "2026-12-06 15:04:05 · 3 min ago": the browser's local time, ISO-ordered,
// and its age, for a server's RFC 3339 time.
export function format_time(iso, now = Date.now()) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${local_iso(date)} · ${relative_age(now - date.getTime())}`;
}

// A <time> element showing format_time; the machine-readable time stays in datetime.
export function time_element(iso, props = {}) {
  return h('time', {...props, datetime: iso || undefined, text: format_time(iso)});
}

export function local_iso(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function relative_age(ms) {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 5) return 'just now';
  const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : s < 86400 ? `${Math.floor(s / 3600)} h` : `${Math.floor(s / 86400)} d`;
  return ms < 0 ? `in ${text}` : `${text} ago`;
}

export function format_duration(ms) {
  if (!(ms >= 0)) return '—';
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hr = Math.floor((s % 86400) / 3600);
  const min = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${hr}h`;
  if (hr) return `${hr}h ${min}m`;
  if (min) return `${min}m ${s % 60}s`;
  return `${s}s`;
}

// Calls fn at most once per `ms`, the last call winning.
export function throttle(fn, ms) {
  let timer = null;
  let last = 0;
  return () => {
    if (timer) return;
    const wait = Math.max(0, last + ms - Date.now());
    timer = setTimeout(() => {
      timer = null;
      last = Date.now();
      fn();
    }, wait);
  };
}
