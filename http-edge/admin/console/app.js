// The admin console: sign-in, then a hash-routed single page (#/cluster,
// #/actors?type=&node=&prefix=, #/actor/TYPE/ID, #/traces?min_ms=&route=,
// #/trace/ID?span=SPAN) kept live by the admin event stream, with polling
// while the stream is down.
import {actor_view} from './actor_view.js';
import {actors_view} from './actors_view.js';
import {cluster_view} from './cluster_view.js';
import {h, replace_children, throttle} from './dom.js';
import {event_feed} from './event_feed.js';
import {event_json, event_stream} from './event_stream.js';
import {live_chart} from './live_chart.js';
import {session, sign_in_refused} from './session.js';
import {trace_view} from './trace_view.js';
import {traces_view} from './traces_view.js';

const $ = (id) => document.getElementById(id);
// Polling keeps views fresh while the stream is down, and as a slow safety
// net while it is up.
const poll_ms = {live: 15000, down: 3000};
// A view that failed to load (a busy node answering 503, a deadline) is read
// again soon, the wait doubling up to the polling interval, rather than
// showing the error until the next poll.
const retry_ms = {first: 1000, max: poll_ms.down};

const auth = new session((reason) => show_sign_in(reason));
const chart = new live_chart($('chart'), $('chart-source'), auth);
const stream = new event_stream(auth, on_stream_event, on_stream_state);
const feed = new event_feed($('feed'));
let view = null;
let stream_live = false;
let poll_timer = null;
let error_banner = null;
let retry_timer = null;
let retry_wait = retry_ms.first;

const refresh_view = throttle(() => run(() => view?.refresh()), 1000);

// Runs a step of `owner` (the view shown when it starts); what it ends in
// counts only while that view is still the one shown.
function run(step, owner = view) {
  Promise.resolve()
    .then(step)
    .then(() => {
      if (owner !== view) return;
      error_banner?.remove();
      stop_retrying();
    })
    .catch((error) => {
      if (owner !== view) return;
      if (error instanceof sign_in_refused && error.status === 403) return show_sign_in(error.message);
      show_error(error.message || String(error));
      retry_soon();
    });
}

function retry_soon() {
  if (retry_timer !== null) return;
  retry_timer = setTimeout(() => {
    retry_timer = null;
    run(() => view?.refresh());
  }, retry_wait);
  retry_wait = Math.min(retry_wait * 2, retry_ms.max);
}

function stop_retrying() {
  clearTimeout(retry_timer);
  retry_timer = null;
  retry_wait = retry_ms.first;
}

function show_error(message) {
  error_banner?.remove();
  error_banner = h('p', {class: 'error banner', role: 'alert', text: message});
  $('view').prepend(error_banner);
}

function show_sign_in(message = '') {
  stream.stop();
  chart.stop();
  clearInterval(poll_timer);
  stop_retrying();
  view?.unmount();
  view = null;
  $('console').hidden = true;
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  $('stream-state').hidden = true;
  $('who').textContent = '';
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('sign-in-button').disabled = false;
}

function show_console() {
  $('sign-in').hidden = true;
  $('console').hidden = false;
  $('nav').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = auth.user?.email || '';
  stream.start();
  chart.start();
  schedule_poll();
  route();
}

function schedule_poll() {
  clearInterval(poll_timer);
  poll_timer = setInterval(refresh_view, stream_live ? poll_ms.live : poll_ms.down);
}

function on_stream_state(state) {
  stream_live = state === 'live';
  const pill = $('stream-state');
  pill.hidden = false;
  pill.textContent = stream_live ? 'live' : 'polling';
  pill.className = `pill ${stream_live ? 'ok' : 'warn'}`;
  pill.title = stream_live ? 'Following /admin/api/stream' : 'The event stream is down; polling every 3 s';
  schedule_poll();
}

function on_stream_event(event) {
  if (/(^|[._ -])activat/i.test(event.event)) chart.count_activation();
  if (event.event === 'domain_event') feed.add(event_json(event));
  // A view of one thing (an actor, a trace) re-reads only for events that
  // name it; the others show aggregates that any event may change.
  if (view && (!view.named_by || view.named_by(event))) refresh_view();
}

function route() {
  if (!auth.signed_in) return;
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  view?.unmount();
  let name = 'cluster';
  if (parts[0] === 'actors') {
    name = 'actors';
    view = new actors_view(auth, new URLSearchParams(query));
  } else if (parts[0] === 'actor' && parts.length === 3) {
    name = 'actors';
    view = new actor_view(auth, parts[1], parts[2]);
  } else if (parts[0] === 'traces') {
    name = 'traces';
    view = new traces_view(auth, new URLSearchParams(query));
  } else if (parts[0] === 'trace' && parts.length === 2) {
    name = 'traces';
    view = new trace_view(auth, parts[1], new URLSearchParams(query));
  } else {
    view = new cluster_view(auth);
  }
  for (const link of $('nav').querySelectorAll('a')) link.classList.toggle('active', link.dataset.view === name);
  error_banner = null;
  stop_retrying();
  // Each view draws into an element of its own: a read the view before it
  // started (a refresh still in flight) then lands in a detached element,
  // never over the view now shown.
  const root = h('div');
  replace_children($('view'), root);
  const mounted = view;
  run(() => mounted.mount(root), mounted);
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const email = $('email').value.trim();
  const password = $('password').value;
  if (!email || !password) {
    $('sign-in-error').textContent = 'Enter an email and a password.';
    return;
  }
  $('sign-in-button').disabled = true;
  $('sign-in-error').textContent = '';
  auth
    .sign_in(email, password)
    .then(() => {
      $('password').value = '';
      show_console();
    })
    .catch((error) => show_sign_in(error.message || String(error)));
});

$('sign-out').addEventListener('click', () => {
  auth.sign_out().finally(() => show_sign_in('Signed out.'));
});

window.addEventListener('hashchange', route);

auth
  .resume()
  .then((resumed) => (resumed ? show_console() : show_sign_in()))
  .catch((error) => show_sign_in(error.message || String(error)));

