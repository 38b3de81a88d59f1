// The console's traces view in headless Chromium, against a taskflow it
// starts itself. A task created with a sampled traceparent is found in the
// traces list (and filtered out of it), and opens on a waterfall that
// continues the caller's trace: the HTTP server span, a child under it, the
// span's attributes on a click. The task's events link to that trace; those
// of a request whose traceparent was not sampled do not. A fixture trace,
// served in place of the API's answer, pins down the drawing itself: order
// and indentation, bar positions, kinds, the critical path, errors, links,
// a parent outside the trace, a node that did not answer. Unknown and
// malformed ids, and a phone-sized screen, are checked too. Any console
// error (a CSP violation is one), page error or request off loopback fails
// the run; screenshots go to $TASKFLOW_SCREENSHOTS.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {after, afterEach, before, test} from 'node:test';
import * as harness from './harness.mjs';

const {admin, shot} = harness;
const wait_ms = 15000;

let taskflow;
let base;
let browser;
let page;
let admin_token;
const problems = [];

const hex = (bytes) => crypto.randomBytes(bytes).toString('hex');

function api(method, url, {token = admin_token, ...options} = {}) {
  return harness.api(base, method, url, {token, ...options});
}

async function sign_in_page(p) {
  await p.goto(`${base}/admin`);
  await p.locator('#email').fill(admin.email);
  await p.locator('#password').fill(admin.password);
  await p.locator('#sign-in-button').click();
  await p.locator('#nav').waitFor({timeout: wait_ms});
}

// Chromium logs an API's 4xx as a failed resource load; drops the ones a test provoked.
function forgive(status) {
  problems.splice(0, problems.length, ...problems.filter((p) => !p.includes(`status of ${status}`)));
}

// Until the node keeps the trace with at least `spans` spans, or the time is up.
async function kept_trace(trace_id, spans = 2) {
  let last;
  for (const until = Date.now() + wait_ms; Date.now() < until; ) {
    last = await api('GET', `/admin/api/traces/${trace_id}`);
    if (last.status === 200 && last.body.spans.length >= spans) return last.body;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`trace ${trace_id} was not kept: ${last.status} ${JSON.stringify(last.body)}`);
}

before(async () => {
  taskflow = await harness.start_taskflow();
  base = taskflow.base;
  admin_token = await harness.sign_in_api(base, admin.email, admin.password);
  browser = await harness.launch_browser();
  page = await harness.open_page(browser, problems);
  await sign_in_page(page);
});

afterEach(() => {
  assert.deepEqual(problems.splice(0), []);
});

after(async () => {
  await browser?.close();
  await taskflow?.stop();
});

const sent = {trace_id: hex(16), span_id: hex(8)};
let task;
let server_span;

test('a request sent with a sampled traceparent is listed among the traces, and filters find it', async () => {
  const r = await api('POST', '/api/v1/tasks', {body: {title: 'Traced from the browser test'}, headers: {traceparent: `00-${sent.trace_id}-${sent.span_id}-01`}});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  task = r.body;
  await kept_trace(sent.trace_id);
  await page.locator('#nav a[data-view="traces"]').click();
  const row = page.locator(`#traces tr[data-trace="${sent.trace_id}"]`);
  await harness.shown(page, row, wait_ms);
  assert.match(await row.locator('td.label a').innerText(), /POST/);
  assert.equal(await row.locator('a').getAttribute('href'), `#/trace/${sent.trace_id}`);
  await page.locator('#filter-route').fill('/api/v1/tasks');
  await page.locator('#filter-min-ms').fill('0');
  await page.locator('#trace-filters button[type="submit"]').click();
  await page.waitForFunction(() => location.hash === '#/traces?route=%2Fapi%2Fv1%2Ftasks', null, {timeout: wait_ms});
  await harness.shown(page, row, wait_ms);
  // Slower than any request here: nothing is left, and one line says so.
  await page.locator('#filter-min-ms').fill('3600000');
  await page.locator('#trace-filters button[type="submit"]').click();
  await page.locator('#traces-empty').filter({hasText: 'No kept trace matches'}).waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#traces').isVisible(), false);
  // The route alone: the console's own calls are sampled too, and in time
  // push a task's trace out of the newest page of the unfiltered list.
  await page.goto(`${base}/admin#/traces?route=%2Fapi%2Fv1%2Ftasks`);
  await harness.shown(page, row, wait_ms);
  await shot(page, 'traces');
});

test('its waterfall continues the caller\'s trace: the server span under the caller\'s, a child under it', async () => {
  await page.locator(`#traces tr[data-trace="${sent.trace_id}"] td.label a`).click();
  await page.locator('#waterfall .span-row').first().waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#trace-id').innerText(), sent.trace_id);
  const server = page.locator(`#waterfall .span-row[data-kind="server"][data-parent="${sent.span_id}"]`);
  assert.equal(await server.count(), 1, 'one server span, a child of the span the caller sent');
  assert.match(await server.locator('.span-name').innerText(), /^POST /);
  assert.equal(await server.getAttribute('data-depth'), '0');
  server_span = await server.getAttribute('data-span-id');
  const children = page.locator(`#waterfall .span-row[data-parent="${server_span}"]`);
  assert.ok((await children.count()) >= 1, 'the server span has a child span');
  assert.equal(await children.first().getAttribute('data-depth'), '1');
  // Indented under it, and its bar inside the track.
  const indent = (row) => row.locator('.span-label').evaluate((e) => parseFloat(getComputedStyle(e).paddingLeft));
  assert.ok((await indent(children.first())) > (await indent(server)));
  for (const row of [server, children.first()]) {
    const [bar, track] = await Promise.all([row.locator('.span-bar').boundingBox(), row.locator('.span-track').boundingBox()]);
    assert.ok(bar.width >= 1 && bar.x >= track.x - 0.5 && bar.x + bar.width <= track.x + track.width + 0.5, JSON.stringify({bar, track}));
  }
  const node = (await api('GET', '/admin/api/cluster')).body.node_id;
  await page.locator(`#trace-legend li[data-node="${node}"]`).waitFor({timeout: wait_ms});
  assert.equal(await server.getAttribute('data-node'), node);
  assert.equal(await server.locator('.span-node').innerText(), node);
  assert.ok((await page.locator('#waterfall .span-row.critical').count()) >= 1, 'some span is on the critical path');
  await shot(page, 'trace');
});

test('a click on a span shows its attributes, and a reload keeps it picked', async () => {
  await page.locator(`#waterfall .span-row[data-span-id="${server_span}"] .span-name`).click();
  const details = page.locator('#span-details');
  await details.waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#span-id').innerText(), server_span);
  assert.match(await page.locator('#span-parent').innerText(), new RegExp(`${sent.span_id} \\(not in this trace\\)`));
  assert.equal(await page.locator('#span-kind').innerText(), 'server');
  assert.equal(await page.locator('#span-attributes tr[data-key="http.route"] td').innerText(), '/api/v1/tasks');
  assert.equal(await page.locator('#span-attributes tr[data-key="http.response.status_code"] td').innerText(), '201');
  assert.equal(await page.evaluate(() => location.hash), `#/trace/${sent.trace_id}?span=${server_span}`);
  await page.reload();
  await page.locator('#span-id').filter({hasText: server_span}).waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#waterfall .span-row.selected').getAttribute('data-span-id'), server_span);
  await shot(page, 'trace-span');
});

test('the task\'s events link to the trace of their request; an unsampled request\'s do not', async () => {
  await page.goto(`${base}/admin#/actor/task/${task.id}`);
  const link = page.locator('#actor-events li.event').first().locator('a.trace-link');
  await link.waitFor({timeout: wait_ms});
  assert.equal(await link.getAttribute('href'), `#/trace/${sent.trace_id}`);
  await link.click();
  await page.locator('#trace-id').filter({hasText: sent.trace_id}).waitFor({timeout: wait_ms});

  const unsampled = {trace_id: hex(16), span_id: hex(8)};
  const r = await api('POST', '/api/v1/tasks', {body: {title: 'Not sampled'}, headers: {traceparent: `00-${unsampled.trace_id}-${unsampled.span_id}-00`}});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await page.goto(`${base}/admin#/actor/task/${r.body.id}`);
  await page.locator('#actor-events li.event').first().waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#actor-events a.trace-link').count(), 0);
  assert.equal((await api('GET', `/admin/api/traces/${unsampled.trace_id}`)).status, 404);
});

test('an unknown trace is one not-found card; a malformed id is refused without asking the node', async () => {
  await page.goto(`${base}/admin#/trace/${hex(16)}`);
  await page.locator('#trace-missing').waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#view .card').count(), 1);
  forgive(404);
  const asked = [];
  const listen = (request) => request.url().includes('/admin/api/traces/') && asked.push(request.url());
  page.on('request', listen);
  await page.goto(`${base}/admin#/trace/${sent.trace_id.toUpperCase()}`);
  await page.locator('#trace-invalid').waitFor({timeout: wait_ms});
  page.off('request', listen);
  assert.deepEqual(asked, []);
  assert.equal((await api('GET', '/admin/api/traces/not-a-trace-id')).status, 400);
});

// A trace on two nodes (one of three did not answer) with every case the
// drawing handles; ids are random so no real trace can answer for it.
const fixture_id = hex(16);
const other_trace = hex(16);
const ids = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'g', 'o'].map((name) => [name, hex(8)]));
const fixture = {
  trace_id: fixture_id,
  start_unix_ms: Date.now() - 60000,
  duration_ms: 40,
  nodes: ['e1', 'w1'],
  unanswered_nodes: ['w2'],
  spans: [
    {span_id: ids.a, parent_span_id: '', name: 'POST /api/v1/tasks', kind: 'server', node: 'e1', start_ms: 0, duration_ms: 40, error: false, status_message: '', critical: true, links: [], attributes: {'http.route': '/api/v1/tasks', 'http.response.status_code': 201, 'user_agent.original': '<img src=x onerror="window.__xss=1">'}},
    {span_id: ids.b, parent_span_id: ids.a, name: 'task.create → w1', kind: 'client', node: 'e1', start_ms: 2, duration_ms: 30, error: false, status_message: '', critical: true, links: [], attributes: {}},
    {span_id: ids.d, parent_span_id: ids.b, name: 'task.create', kind: 'consumer', node: 'w1', start_ms: 4, duration_ms: 26, error: false, status_message: '', critical: true, links: [], attributes: {}},
    {span_id: ids.c, parent_span_id: ids.d, name: 'store.append', kind: 'client', node: 'w1', start_ms: 6, duration_ms: 20, error: false, status_message: '', critical: true, links: [], attributes: {'db.system': 'postgresql'}},
    {span_id: ids.g, parent_span_id: ids.d, name: 'outbox.publish', kind: 'producer', node: 'w1', start_ms: 27, duration_ms: 3, error: false, status_message: '', critical: false, attributes: {}, links: [{trace_id: fixture_id, span_id: ids.a}, {trace_id: other_trace, span_id: ids.o}]},
    {span_id: ids.e, parent_span_id: ids.a, name: 'cache.put', kind: 'internal', node: 'e1', start_ms: 33, duration_ms: 2, error: true, status_message: 'cache unavailable', critical: false, links: [], attributes: {}},
    {span_id: ids.o, parent_span_id: hex(8), name: 'projector.apply', kind: 'consumer', node: 'w1', start_ms: 36, duration_ms: 4, error: false, status_message: '', critical: false, links: [], attributes: {}},
  ],
};

async function serve_fixture(p) {
  await p.route(`${base}/admin/api/traces/${fixture_id}`, (route) => route.fulfill({status: 200, contentType: 'application/json', body: JSON.stringify(fixture)}));
}

test('a trace draws as a waterfall: tree order, bars by time, kinds, nodes, the critical path, errors', async () => {
  await serve_fixture(page);
  await page.goto(`${base}/admin#/trace/${fixture_id}`);
  await page.locator('#waterfall .span-row').first().waitFor({timeout: wait_ms});
  const rows = await page.locator('#waterfall .span-row').evaluateAll((all) =>
    all.map((row) => ({
      id: row.dataset.spanId,
      depth: Number(row.dataset.depth),
      node: row.dataset.node,
      kind: row.querySelector('.span-bar').className.replace('span-bar ', ''),
      left: row.querySelector('.span-bar').style.left,
      width: row.querySelector('.span-bar').style.width,
      critical: row.classList.contains('critical'),
      error: row.classList.contains('error'),
      orphan: row.classList.contains('orphan'),
    })),
  );
  // Each span after its parent, siblings by start; one whose parent is not in the trace starts a tree of its own.
  assert.deepEqual(
    rows.map((r) => [r.id, r.depth]),
    [[ids.a, 0], [ids.b, 1], [ids.d, 2], [ids.c, 3], [ids.g, 3], [ids.e, 1], [ids.o, 0]],
  );
  const by_id = Object.fromEntries(rows.map((r) => [r.id, r]));
  assert.deepEqual([by_id[ids.a].left, by_id[ids.a].width], ['0%', '100%']);
  assert.deepEqual([by_id[ids.b].left, by_id[ids.b].width], ['5%', '75%']);
  assert.deepEqual([by_id[ids.c].left, by_id[ids.c].width], ['15%', '50%']);
  assert.deepEqual([by_id[ids.o].left, by_id[ids.o].width], ['90%', '10%']);
  assert.deepEqual(rows.map((r) => r.kind), ['kind-server', 'kind-client', 'kind-consumer', 'kind-client', 'kind-producer', 'kind-internal', 'kind-consumer']);
  assert.deepEqual(rows.filter((r) => r.critical).map((r) => r.id), [ids.a, ids.b, ids.d, ids.c]);
  assert.deepEqual(rows.filter((r) => r.error).map((r) => r.id), [ids.e]);
  assert.deepEqual(rows.filter((r) => r.orphan).map((r) => r.id), [ids.o]);
  assert.deepEqual(rows.map((r) => r.node), ['e1', 'e1', 'w1', 'w1', 'w1', 'e1', 'w1']);
  // Kinds have colours of their own; the critical path and errors are drawn differently from the rest.
  const look = (id, property) => page.locator(`#waterfall .span-row[data-span-id="${id}"] .span-bar`).evaluate((bar, p) => getComputedStyle(bar)[p], property);
  assert.notEqual(await look(ids.a, 'backgroundColor'), await look(ids.b, 'backgroundColor'));
  assert.notEqual(await look(ids.b, 'backgroundColor'), await look(ids.e, 'backgroundColor'));
  assert.notEqual(await look(ids.c, 'outlineStyle'), await look(ids.g, 'outlineStyle'));
  assert.notEqual(await look(ids.e, 'boxShadow'), await look(ids.g, 'boxShadow'));
  assert.match(await page.locator(`#waterfall .span-row[data-span-id="${ids.e}"]`).innerText(), /error/);
  assert.deepEqual(await page.locator('#trace-legend li[data-node]').evaluateAll((all) => all.map((li) => li.dataset.node)), ['e1', 'w1']);
  assert.match(await page.locator('#trace-legend').innerText(), /server[\s\S]*client[\s\S]*internal[\s\S]*producer[\s\S]*consumer[\s\S]*critical path[\s\S]*error/);
  assert.match(await page.locator('#trace-unanswered').innerText(), /No answer from w2/);
  assert.equal(await page.locator('#trace-duration').innerText(), '40.0 ms');
  assert.equal(await page.locator('#trace-root').innerText(), 'POST /api/v1/tasks');
  await shot(page, 'trace-fixture');
});

test('a span\'s details show its status, attributes as text, and links that open their span or trace', async () => {
  await page.locator(`#waterfall .span-row[data-span-id="${ids.e}"]`).click();
  await page.locator('#span-status').filter({hasText: 'error: cache unavailable'}).waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#span-critical').innerText(), 'no');
  assert.equal(await page.locator('#span-links').innerText(), 'None.');
  await page.locator(`#waterfall .span-row[data-span-id="${ids.a}"]`).click();
  await page.locator('#span-id').filter({hasText: ids.a}).waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#span-attributes tr[data-key="user_agent.original"] td').innerText(), '<img src=x onerror="window.__xss=1">');
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await page.locator(`#waterfall .span-row[data-span-id="${ids.g}"] .span-name`).click();
  const links = page.locator('#span-links li');
  await links.first().waitFor({timeout: wait_ms});
  assert.equal(await links.count(), 2);
  assert.equal(await links.nth(1).locator('a').getAttribute('href'), `#/trace/${other_trace}?span=${ids.o}`);
  // The parent is a button to it; so is a link to a span of the same trace.
  assert.equal(await page.locator('#span-parent button').getAttribute('data-span-id'), ids.d);
  await links.nth(0).locator('button').click();
  await page.locator('#span-id').filter({hasText: ids.a}).waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#waterfall .span-row.selected').getAttribute('data-span-id'), ids.a);
  await shot(page, 'trace-fixture-span');
});

test('a phone-sized screen shows the traces and a waterfall without sideways scrolling', async () => {
  const phone = await harness.open_page(browser, problems, {width: 390, height: 844});
  await serve_fixture(phone);
  await sign_in_page(phone);
  for (const [route, ready] of [
    ['#/traces?route=%2Fapi%2Fv1%2Ftasks', `#traces tr[data-trace="${sent.trace_id}"]`],
    [`#/trace/${sent.trace_id}`, '#waterfall .span-row'],
    [`#/trace/${fixture_id}?span=${ids.c}`, '#span-details'],
  ]) {
    await phone.goto(`${base}/admin${route}`);
    await harness.shown(phone, phone.locator(ready), wait_ms);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${route} is ${width} px wide`);
  }
  await shot(phone, 'phone-trace');
  await phone.context().close();
});
