// What every browser test needs: a taskflow of its own (free loopback port,
// throw-away data directory, a bootstrap admin) or a cluster of them on real
// PostgreSQL and nats-server (start_cluster), JSON calls against it,
// Debian's headless Chromium through playwright-core (from the npm packages
// the fixture installed into $TASKFLOW_BROWSER_PACKAGES), and pages that
// record every console error, page error and request off loopback, so a test
// can fail on any of them.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(path.join(process.env.TASKFLOW_BROWSER_PACKAGES, 'package.json'));
const {chromium} = require('playwright-core');

export const admin = {email: 'admin@taskflow.test', password: 'browser-admin-password'};

export function start_taskflow() {
  return start_node([]);
}

// One `taskflow serve` on a free loopback port with its own throw-away data
// directory and the bootstrap admin, given `args` after the common ones;
// resolves once it answers /readyz.
async function start_node(args) {
  const data_dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskflow-browser-'));
  const server = spawn(process.env.TASKFLOW_BINARY, ['serve', '--listen', '127.0.0.1:0', '--data-dir', path.join(data_dir, 'data'), ...args], {
    env: {...process.env, TASKFLOW_BOOTSTRAP_ADMIN: `${admin.email}:${admin.password}`},
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = fs.createWriteStream(path.join(data_dir, 'taskflow.log'));
  server.stderr.pipe(log);
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      // A node that does not drain in time is killed: teardown is bounded.
      const killer = setTimeout(() => server.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(killer);
    }
    if (!process.env.TASKFLOW_BROWSER_KEEP) fs.rmSync(data_dir, {recursive: true, force: true});
  };
  try {
    const port = await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`taskflow did not start:\n${seen}`)), 20000);
      server.once('exit', (code) => reject(new Error(`taskflow exited with ${code}:\n${seen}`)));
      server.stderr.on('data', (chunk) => {
        seen += chunk;
        const match = /"http_listening".*?"address":"127\.0\.0\.1:(\d+)"|"address":"127\.0\.0\.1:(\d+)".*?"http_listening"/.exec(seen);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1] || match[2]));
        }
      });
    });
    const base = `http://127.0.0.1:${port}`;
    for (const until = Date.now() + 20000; ; ) {
      const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > until) throw new Error(`taskflow never became ready (log: ${path.join(data_dir, 'taskflow.log')})`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return {base, log: path.join(data_dir, 'taskflow.log'), stop};
  } catch (error) {
    await stop();
    throw error;
  }
}

// What tools/stack/stack needs to start the servers a cluster runs on; an
// empty list when all of it is installed (tools/deps/install stack).
export function cluster_servers_missing() {
  const on_path = (tool) => (process.env.PATH || '').split(':').some((dir) => dir && fs.existsSync(path.join(dir, tool)));
  const missing = ['nats-server', 'redis-server'].filter((tool) => !on_path(tool));
  const postgres = fs.existsSync('/usr/lib/postgresql') && fs.readdirSync('/usr/lib/postgresql').some((v) => fs.existsSync(path.join('/usr/lib/postgresql', v, 'bin', 'postgres')));
  if (!postgres) missing.push('PostgreSQL (/usr/lib/postgresql/*/bin/postgres)');
  return missing;
}

// A cluster of its own: PostgreSQL, nats-server (and Redis, which the stack
// script starts too) from the project's tools/stack/stack on free loopback
// ports in a throw-away directory, then each worker and each edge-only node
// as its own taskflow on them. Resolves once the first edge sees exactly
// these workers up and a task created through it is answered 201; stop()
// ends the nodes (edges first) and destroys the servers and their data.
export async function start_cluster({workers = ['w1'], edges = ['e1']} = {}) {
  const stack_dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskflow-browser-stack-'));
  const stack = path.join(process.env.TASKFLOW_SOURCE_DIR, 'tools', 'stack', 'stack');
  const nodes = new Map();
  const stop = async () => {
    for (const id of [...nodes.keys()].reverse()) await nodes.get(id).stop();
    nodes.clear();
    await run_stack(stack, ['destroy', stack_dir]).catch(() => {});
  };
  try {
    await run_stack(stack, ['start', stack_dir]);
    const env = Object.fromEntries(
      fs
        .readFileSync(path.join(stack_dir, 'env'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const flags = (id, roles) => ['--postgres', env.TASKFLOW_POSTGRES, '--nats', env.TASKFLOW_NATS, '--node-id', id, '--roles', roles, '--cluster-listen', '127.0.0.1:0', ...unlimited];
    // One at a time: each writes the bootstrap admin if it is missing.
    for (const id of workers) nodes.set(id, await start_node(flags(id, 'worker')));
    for (const id of edges) nodes.set(id, await start_node(flags(id, 'edge')));
    const edge = nodes.get(edges[0]).base;
    const token = await sign_in_api(edge, admin.email, admin.password);
    await until_members(edge, token, workers);
    for (const until = Date.now() + 30000; ; ) {
      const created = await api(edge, 'POST', '/api/v1/tasks', {token, body: {title: 'cluster warm-up'}}).catch((error) => ({status: 0, body: String(error)}));
      if (created.status === 201) break;
      if (Date.now() > until) throw new Error(`the edge never created a task: ${created.status} ${JSON.stringify(created.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return {nodes: Object.fromEntries([...nodes].map(([id, node]) => [id, {base: node.base, log: node.log}])), edge, token, stop};
  } catch (error) {
    await stop();
    throw error;
  }
}

// Only the edge's own limits would be measured otherwise.
const unlimited = ['--rate-limit-principal', '0', '--rate-limit-ip', '0', '--rate-limit-auth', '0'];

function run_stack(stack, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(stack, args, {
      env: {TASKFLOW_STACK_PG_SYNCHRONOUS_COMMIT: 'off', ...process.env},
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tools/stack/stack ${args[0]} failed (${code}): ${errors}`))));
  });
}

// Until `base` counts exactly `workers` as up nodes with the worker role.
async function until_members(base, token, workers) {
  const wanted = JSON.stringify([...workers].sort());
  let seen = [];
  for (const until = Date.now() + 30000; Date.now() < until; ) {
    const r = await api(base, 'GET', '/admin/api/cluster', {token}).catch(() => ({status: 0}));
    if (r.status === 200) {
      seen = r.body.nodes.filter((n) => n.state === 'up' && (n.roles || []).includes('worker')).map((n) => n.id).sort();
      if (JSON.stringify(seen) === wanted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`up workers never became ${wanted}; last seen ${JSON.stringify(seen)}`);
}

export async function api(base, method, url, {body, token, headers = {}} = {}) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      ...(body === undefined ? {} : {'Content-Type': 'application/json'}),
      ...(token ? {Authorization: `Bearer ${token}`} : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null};
}

export async function sign_in_api(base, email, password) {
  const r = await api(base, 'POST', '/api/v1/sessions', {body: {email, password}});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.access_token;
}

export function launch_browser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// The console page answers a browser, which sends no token, 401 with the
// page as its body (http-edge/admin/console_routes.cpp); Chromium logs that as
// a failed load of the document itself. Only that one is expected.
function is_console_page_401(message) {
  const {url} = message.location();
  if (!url || !/status of 401/.test(message.text())) return false;
  return ['/admin', '/admin/'].includes(new URL(url).pathname);
}

// A page in a fresh context; what goes wrong in it is pushed onto `problems`.
export async function open_page(browser, problems, viewport = {width: 1280, height: 900}) {
  const context = await browser.newContext({viewport});
  const p = await context.newPage();
  p.on('console', (message) => {
    if (message.type() !== 'error' || is_console_page_401(message)) return;
    problems.push(`console error: ${message.text()}`);
  });
  p.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  p.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol.startsWith('http') && url.hostname !== '127.0.0.1') problems.push(`request off loopback: ${request.url()}`);
  });
  return p;
}

export async function shot(p, name) {
  const dir = process.env.TASKFLOW_SCREENSHOTS;
  fs.mkdirSync(dir, {recursive: true});
  await p.screenshot({path: path.join(dir, `${name}.png`), fullPage: true});
}

// Waits until `locator` shows on page `p`; if it never does, the error says
// what the console showed instead (its view's text, a screenshot).
export async function shown(p, locator, timeout) {
  try {
    await locator.first().waitFor({timeout});
  } catch (error) {
    const view = await p.locator('#view').innerText().catch(() => '(no view)');
    await shot(p, 'not-shown').catch(() => {});
    throw new Error(`${error.message}\nat ${p.url()} the view shows:\n${view}`);
  }
}
