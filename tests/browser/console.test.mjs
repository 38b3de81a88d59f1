// The admin console in headless Chromium, against a taskflow it starts itself
// (free loopback port, throw-away data directory, a bootstrap admin). Signs
// in, finds the node, follows a task's actor through creation, a PATCH seen
// live (ISO times, the API's names, a diff per event, the live feed) and
// passivation, reads a view that failed to load again within seconds, checks
// that a hostile title stays text, that empty and
// not-found states show no empty cards, that a phone-sized screen does not
// scroll sideways, and that a non-admin is turned away. Any console error
// (a CSP violation is one), page error or request off loopback fails the
// run. Screenshots go to $TASKFLOW_SCREENSHOTS; with
// TASKFLOW_UPDATE_DOCS_SCREENSHOT=1 the cluster view also goes to
// docs/console.png and the actor view to docs/console-actor.png.
import assert from 'node:assert/strict';
import path from 'node:path';
import {after, afterEach, before, test} from 'node:test';
import * as harness from './harness.mjs';

const {admin, shot} = harness;
const wait_ms = 15000;
// "2026-12-06 15:04:05 · 3 min ago": local ISO time and its age.
const local_iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} · (just now|\d+ (s|min|h|d) ago)$/;

let taskflow;
let base;
let browser;
let page;
let admin_token;
const problems = [];

function api(method, url, {token = admin_token, ...options} = {}) {
  return harness.api(base, method, url, {token, ...options});
}

function sign_in_api(email, password) {
  return harness.sign_in_api(base, email, password);
}

function open_page(viewport) {
  return harness.open_page(browser, problems, viewport);
}

async function sign_in_page(p, email, password) {
  await p.goto(`${base}/admin`);
  await p.locator('#email').fill(email);
  await p.locator('#password').fill(password);
  await p.locator('#sign-in-button').click();
}

async function create_task(title) {
  const r = await api('POST', '/api/v1/tasks', {body: {title}});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  taskflow = await harness.start_taskflow();
  base = taskflow.base;
  admin_token = await sign_in_api(admin.email, admin.password);
  browser = await harness.launch_browser();
  page = await open_page();
});

afterEach(() => {
  assert.deepEqual(problems.splice(0), []);
});

after(async () => {
  await browser?.close();
  await taskflow?.stop();
});

let task;

test('the console is the admin role\'s, and its 401 is the page a browser signs in on', async () => {
  const response = await fetch(`${base}/admin`);
  assert.equal(response.status, 401);
  assert.match(response.headers.get('www-authenticate'), /^Bearer/);
  assert.match(await response.text(), /\/admin\/assets\/app\.js/);
  const csp = response.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  const as_admin = {Authorization: `Bearer ${admin_token}`};
  const ok = await fetch(`${base}/admin`, {headers: as_admin});
  assert.equal(ok.status, 200);
  const again = await fetch(`${base}/admin`, {headers: {...as_admin, 'If-None-Match': ok.headers.get('etag')}});
  assert.equal(again.status, 304);
  assert.equal((await api('GET', '/admin/api/cluster', {token: null})).status, 401);
});

test('the bootstrap admin signs in and sees the node and its shards', async () => {
  await sign_in_page(page, admin.email, admin.password);
  const cluster = (await api('GET', '/admin/api/cluster')).body;
  const node = cluster.nodes[0];
  const row = page.locator(`#nodes tbody tr[data-node="${node.id}"]`);
  await row.waitFor({timeout: wait_ms});
  const text = await row.innerText();
  assert.match(text, /up/);
  assert.match(text, new RegExp(`\\b${cluster.shard_count}\\b`));
  assert.equal(await page.locator('#shard-grid .shard').count(), cluster.shard_count);
  assert.match(await page.locator('#shard-legend').innerText(), new RegExp(`${node.id} · ${cluster.shard_count} shards`));
  await page.locator('#shard-grid .shard').nth(5).hover();
  const tip = page.locator('#shard-tip');
  await tip.waitFor({state: 'visible', timeout: wait_ms});
  assert.match(await tip.innerText(), new RegExp(`shard 5\\s+owner: ${node.id}\\s+resident actors: \\d+`));
  assert.equal(await page.locator('#who').innerText(), admin.email);
});

test('a task created through the API shows up as a resident actor', async () => {
  task = await create_task('Browser test task');
  for (let i = 0; i < 24; i++) await create_task(`Background task ${i + 1}`);
  await page.locator('#nav a[data-view="actors"]').click();
  await page.locator('#filter-type').selectOption('task');
  await page.locator(`#actors tr[data-actor="task/${task.id}"]`).waitFor({timeout: wait_ms});
  // Ids are UUIDv7: tasks made in the same minute share their first 8 digits.
  await page.locator('#filter-prefix').fill(task.id.slice(0, 28));
  await page.locator('.filters button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelectorAll('#actors tbody tr[data-actor]').length === 1, null, {timeout: wait_ms});
  const row = page.locator(`#actors tr[data-actor="task/${task.id}"]`);
  assert.equal(await row.locator('td.label').innerText(), 'Browser test task');
  assert.match((await row.locator('time').first().innerText()).trim(), local_iso);
  await shot(page, 'actors');
});

test('a filter that matches nothing shows one line, not an empty table', async () => {
  await page.goto(`${base}/admin#/actors?type=task&prefix=ffffffff`);
  await page.locator('#actors-empty').filter({hasText: 'No resident actor matches'}).waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#actors').isVisible(), false);
});

test('its actor view shows its state in the API\'s terms with local ISO times', async () => {
  await page.goto(`${base}/admin#/actors?type=task&prefix=${task.id}`);
  await page.locator(`#actors tr[data-actor="task/${task.id}"] a`).click();
  await page.locator('#actor-state').filter({hasText: 'Browser test task'}).waitFor({timeout: wait_ms});
  assert.equal(await page.locator('#actor-id').innerText(), task.id);
  assert.equal(await page.locator('#actor-resident').innerText(), 'yes');
  assert.equal(await page.locator('#actor-version').innerText(), String(task.version));
  assert.match(await page.locator('#actor-activated-at').innerText(), local_iso);
  assert.equal(await page.locator('#actor-state dd[data-field="status"]').innerText(), 'todo');
  assert.equal(await page.locator('#actor-state dd[data-field="priority"]').innerText(), 'medium');
  assert.match(await page.locator('#actor-state dd[data-field="created_at"]').innerText(), local_iso);
  const text = await page.locator('#view').innerText();
  assert.doesNotMatch(text, /TASK_STATUS_|_at_ms/);
  assert.match(await page.locator('#actor-events li.event').first().innerText(), /task\.created\s+created “Browser test task” by/);
  await shot(page, 'actor');
});

test('a PATCH through the API shows on the page without a reload', async () => {
  await page.evaluate(() => {
    window.__same_page = true;
  });
  const r = await api('PATCH', `/api/v1/tasks/${task.id}`, {body: {title: 'Renamed through the API', status: 'in_progress'}, headers: {'If-Match': `"${task.version}"`}});
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await page.locator('#actor-state').filter({hasText: 'Renamed through the API'}).waitFor({timeout: wait_ms});
  await page.locator('#actor-version').filter({hasText: String(r.body.version)}).waitFor({timeout: wait_ms});
  assert.equal(await page.evaluate(() => window.__same_page), true);
});

test('each event is one line that opens on a diff of what it changed', async () => {
  const events = page.locator('#actor-events li.event');
  await page.waitForFunction(() => document.querySelectorAll('#actor-events li.event').length === 3, null, {timeout: wait_ms});
  assert.equal(await page.locator('#actor-events li.event details').count(), 3);
  assert.equal(await page.locator('#actor-state dd[data-field="status"]').innerText(), 'in_progress');
  const status = events.nth(0);
  assert.match(await status.locator('summary').innerText(), /task\.status_changed\s+status todo → in_progress by \S+/);
  assert.match(await status.locator('summary time').innerText(), local_iso);
  await status.locator('summary').click();
  const diff = status.locator('table.diff tr[data-field="status"]');
  assert.equal(await diff.locator('td.from').innerText(), 'todo');
  assert.equal(await diff.locator('td.to').innerText(), 'in_progress');
  const update = events.nth(1);
  assert.match(await update.locator('summary').innerText(), /title “Browser test task” → “Renamed through the API”/);
  await update.locator('summary').click();
  assert.equal(await update.locator('table.diff tbody tr').count(), 1);
  assert.equal(await update.locator('tr[data-field="title"] td.to').innerText(), 'Renamed through the API');
  assert.doesNotMatch(await page.locator('#view').innerText(), /TASK_STATUS_/);
  // The same events reached the live feed from the admin stream.
  await page.locator('#feed-events li').filter({hasText: 'status todo → in_progress'}).waitFor({timeout: wait_ms});
  await shot(page, 'actor-diff');
  if (process.env.TASKFLOW_UPDATE_DOCS_SCREENSHOT === '1') {
    await page.screenshot({path: path.join(process.env.TASKFLOW_SOURCE_DIR, 'docs', 'console-actor.png'), fullPage: true});
  }
});

test('an id nothing is stored under is one not-found card', async () => {
  await page.goto(`${base}/admin#/actor/task/01890000-0000-7000-8000-000000000000`);
  await page.locator('#actor-missing').waitFor({timeout: wait_ms});
  // Chromium logs the API's 404 as a failed resource load: that one is the point here.
  problems.splice(0, problems.length, ...problems.filter((p) => !/status of 404/.test(p)));
  assert.equal(await page.locator('#view .card').count(), 1);
  assert.equal(await page.locator('#actor-state').count(), 0);
  // Looking did not make it resident.
  const resident = (await api('GET', '/admin/api/actors?type=task&prefix=01890000&limit=10')).body.items;
  assert.deepEqual(resident, []);
});

test('a view that failed to load is read again within seconds, not at the next poll', async () => {
  // The first read answers 503 as a busy node would; the poll is 15 s away.
  const url = `${base}/admin/api/actors/task/${task.id}`;
  let refused = 0;
  await page.route(url, (route) => {
    if (refused++ > 0) return route.continue();
    return route.fulfill({
      status: 503,
      contentType: 'application/problem+json',
      headers: {'Retry-After': '1'},
      body: JSON.stringify({type: '/problems/unavailable', title: 'Service unavailable', status: 503, detail: 'Busy.'}),
    });
  });
  await page.goto(`${base}/admin#/actor/task/${task.id}`);
  await page.locator('.error.banner').waitFor({timeout: wait_ms});
  await page.locator('#actor-resident').filter({hasText: 'yes'}).waitFor({timeout: 5000});
  assert.equal(await page.locator('.error.banner').count(), 0);
  await page.unroute(url);
  // Chromium logs the refused read as a failed resource load: that one is the point here.
  problems.splice(0, problems.length, ...problems.filter((p) => !/status of 503/.test(p)));
});

test('a hostile title renders as inert text', async () => {
  const hostile = '<img src=x onerror="window.__xss=1">';
  const evil = await create_task(hostile);
  await page.goto(`${base}/admin#/actor/task/${evil.id}`);
  await page.locator('#actor-state').filter({hasText: '<img src=x onerror='}).waitFor({timeout: wait_ms});
  assert.ok(await page.getByText('<img src=x onerror=', {exact: false}).first().isVisible());
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await shot(page, 'hostile-title');
});

test('the cluster view draws resident actors on the shard grid and the live chart', async () => {
  await page.goto(`${base}/admin#/cluster`);
  await page.locator('#shard-grid .shard.busy').first().waitFor({timeout: wait_ms});
  // Steady traffic for three chart samples (two seconds apart), bounded in time.
  for (const until = Date.now() + 6500; Date.now() < until; ) {
    await api('GET', `/api/v1/tasks/${task.id}`);
    if (Math.random() < 0.1) await create_task('Chart traffic');
    await new Promise((r) => setTimeout(r, 20));
  }
  await page.locator('#chart-source').filter({hasText: 'Kept by this node'}).waitFor({timeout: wait_ms});
  await shot(page, 'cluster');
  if (process.env.TASKFLOW_UPDATE_DOCS_SCREENSHOT === '1') {
    await page.screenshot({path: path.join(process.env.TASKFLOW_SOURCE_DIR, 'docs', 'console.png'), fullPage: true});
  }
});

test('the chart history is kept on the node, so a reload draws it at once', async () => {
  await page.reload();
  await page.waitForFunction(() => Number(document.getElementById('chart')?.dataset.samples) >= 2, null, {timeout: 3000});
  const history = (await api('GET', '/admin/api/metrics/history')).body;
  assert.equal(history.period_s, 5);
  assert.ok(history.samples.some((s) => s.requests_per_s > 0), JSON.stringify(history.samples));
});

test('a phone-sized screen shows every view without sideways scrolling', async () => {
  const phone = await open_page({width: 390, height: 844});
  await sign_in_page(phone, admin.email, admin.password);
  await phone.locator('#shard-grid').waitFor({timeout: wait_ms});
  const routes = ['#/cluster', `#/actors?type=task`, `#/actor/task/${task.id}`];
  const ready = ['#shard-grid', '#actors tbody tr[data-actor]', '#actor-events li.event'];
  for (const [i, route] of routes.entries()) {
    await phone.goto(`${base}/admin${route}`);
    await phone.locator(ready[i]).first().waitFor({timeout: wait_ms});
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${route} is ${width} px wide`);
  }
  await shot(phone, 'phone-actor');
  await phone.context().close();
});

test('passivating the actor takes it off the resident list', async () => {
  await page.goto(`${base}/admin#/actor/task/${task.id}`);
  await page.locator('#actor-resident').filter({hasText: 'yes'}).waitFor({timeout: wait_ms});
  await page.locator('#passivate').click();
  await page.locator('#actor-outcome').filter({hasText: 'Passivated.'}).waitFor({timeout: wait_ms});
  await page.goto(`${base}/admin#/actors?type=task`);
  await page.locator('#actors tbody tr[data-actor]').first().waitFor({timeout: wait_ms});
  await page.locator(`#actors tr[data-actor="task/${task.id}"]`).waitFor({state: 'detached', timeout: wait_ms});
  const resident = (await api('GET', '/admin/api/actors?type=task&limit=500')).body.items.map((a) => a.id);
  assert.ok(!resident.includes(task.id));
});

test('a non-admin sign-in is refused', async () => {
  const user = {email: 'not-an-admin@example.com', password: 'long-enough-password'};
  const created = await api('POST', '/api/v1/users', {body: {...user, display_name: 'Not an admin'}, token: null});
  assert.equal(created.status, 201);
  assert.equal((await api('GET', '/admin/api/cluster', {token: await sign_in_api(user.email, user.password)})).status, 403);
  const other = await open_page();
  await sign_in_page(other, user.email, user.password);
  await other.locator('#sign-in-error').filter({hasText: /admin role required/i}).waitFor({timeout: wait_ms});
  assert.equal(await other.locator('#console').isVisible(), false);
  await shot(other, 'refused');
  await other.context().close();
});
