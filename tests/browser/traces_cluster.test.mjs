// A trace across a cluster in the console: a worker (--roles worker) and an
// edge-only node (--roles edge) on real PostgreSQL and nats-server, started
// by the project's tools/stack/stack on loopback. A task is created through
// the edge with a sampled traceparent; the console on the edge lists the
// trace with both nodes and draws the spans of both in one waterfall, the
// worker's under a span of the edge's. Reported as skipped, with the reason,
// where the servers are not installed (tools/deps/install stack installs
// them). Any console error, page error or request off loopback fails it.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {after, afterEach, before, test} from 'node:test';
import * as harness from './harness.mjs';

const {admin, shot} = harness;
const wait_ms = 20000;
const missing = harness.cluster_servers_missing();
const skip = missing.length ? `browser trace cluster test skipped: ${missing.join(', ')} not installed (tools/deps/install stack)` : false;
if (skip) console.log(skip);

let cluster;
let browser;
let page;
const problems = [];
const hex = (bytes) => crypto.randomBytes(bytes).toString('hex');

before(async () => {
  if (skip) return;
  cluster = await harness.start_cluster({workers: ['w1'], edges: ['e1']});
  browser = await harness.launch_browser();
  page = await harness.open_page(browser, problems);
});

afterEach(() => {
  assert.deepEqual(problems.splice(0), []);
});

after(async () => {
  await browser?.close();
  await cluster?.stop();
});

test('a request through an edge-only node draws the spans of the edge and the worker in one waterfall', {skip}, async () => {
  const edge = cluster.edge;
  const sent = {trace_id: hex(16), span_id: hex(8)};
  const created = await harness.api(edge, 'POST', '/api/v1/tasks', {
    token: cluster.token,
    body: {title: 'Traced across the cluster'},
    headers: {traceparent: `00-${sent.trace_id}-${sent.span_id}-01`},
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));

  // The edge gathers the trace from every node; the worker's spans may reach it a moment later.
  let trace;
  for (const until = Date.now() + wait_ms; Date.now() < until; ) {
    const r = await harness.api(edge, 'GET', `/admin/api/traces/${sent.trace_id}`, {token: cluster.token});
    if (r.status === 200) trace = r.body;
    if (trace && ['e1', 'w1'].every((node) => trace.spans.some((s) => s.node === node))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.deepEqual([...new Set((trace?.spans || []).map((s) => s.node))].sort(), ['e1', 'w1'], `the API's trace: ${JSON.stringify(trace)}`);

  await page.goto(`${edge}/admin`);
  await page.locator('#email').fill(admin.email);
  await page.locator('#password').fill(admin.password);
  await page.locator('#sign-in-button').click();
  await page.locator('#nav').waitFor({timeout: wait_ms});
  // By route: the console's own calls are sampled too and fill the newest page.
  await page.goto(`${edge}/admin#/traces?route=%2Fapi%2Fv1%2Ftasks`);
  const row = page.locator(`#traces tr[data-trace="${sent.trace_id}"]`);
  await harness.shown(page, row, wait_ms);
  assert.deepEqual(await row.locator('td.trace-nodes code').allInnerTexts(), ['e1', 'w1']);
  await row.locator('td.label a').click();

  await page.locator('#trace-id').filter({hasText: sent.trace_id}).waitFor({timeout: wait_ms});
  await page.locator('#waterfall .span-row[data-node="w1"]').first().waitFor({timeout: wait_ms});
  const rows = await page.locator('#waterfall .span-row').evaluateAll((all) => all.map((r) => ({id: r.dataset.spanId, parent: r.dataset.parent, node: r.dataset.node, kind: r.dataset.kind, depth: Number(r.dataset.depth)})));
  const on = (node) => rows.filter((r) => r.node === node);
  assert.ok(on('e1').length >= 1 && on('w1').length >= 1, JSON.stringify(rows));
  // The edge's server span continues the caller's trace, and some span of
  // the worker hangs under a span of the edge: the context crossed nodes.
  const server = rows.find((r) => r.node === 'e1' && r.kind === 'server' && r.parent === sent.span_id);
  assert.ok(server, `no server span on e1 under the caller's span: ${JSON.stringify(rows)}`);
  const edge_spans = new Set(on('e1').map((r) => r.id));
  const crossing = on('w1').find((r) => edge_spans.has(r.parent));
  assert.ok(crossing, `no span of w1 has its parent on e1: ${JSON.stringify(rows)}`);
  assert.ok(crossing.depth >= 1);
  assert.deepEqual(await page.locator('#trace-legend li[data-node]').evaluateAll((all) => all.map((li) => li.dataset.node).sort()), ['e1', 'w1']);
  for (const node of ['e1', 'w1']) {
    assert.equal(await page.locator(`#waterfall .span-row[data-node="${node}"] .span-node`).first().innerText(), node);
  }
  assert.equal(await page.locator('#trace-unanswered').count(), 0);
  await page.locator(`#waterfall .span-row[data-span-id="${crossing.id}"] .span-name`).click();
  assert.equal(await page.locator('#span-node').innerText(), 'w1');
  assert.match(await page.locator('#span-parent').innerText(), new RegExp(crossing.parent));
  await shot(page, 'trace-cluster');
});
