// What every browser test needs: a taskflow of its own (free loopback port,
// throw-away data directory, a bootstrap admin), JSON calls against it,
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

export async function start_taskflow() {
  const data_dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskflow-browser-'));
  const server = spawn(process.env.TASKFLOW_BINARY, ['serve', '--listen', '127.0.0.1:0', '--data-dir', path.join(data_dir, 'data')], {
    env: {...process.env, TASKFLOW_BOOTSTRAP_ADMIN: `${admin.email}:${admin.password}`},
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log = fs.createWriteStream(path.join(data_dir, 'taskflow.log'));
  server.stderr.pipe(log);
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
    if (Date.now() > until) throw new Error('taskflow never became ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    async stop() {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((resolve) => server.once('exit', resolve));
      }
      if (!process.env.TASKFLOW_BROWSER_KEEP) fs.rmSync(data_dir, {recursive: true, force: true});
    },
  };
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
