// The API reference at /swagger in headless Chromium, against a taskflow it
// starts itself: the page loads both OpenAPI documents under its CSP, the
// Authorize dialog takes a bearer token from a sign-in, and "Try it out" on
// GET /api/v2/tasks runs the call with it and shows a 200. Any CSP violation
// (Chromium reports each as a console error), page error or request off
// loopback fails the run.
import assert from 'node:assert/strict';
import {after, afterEach, before, test} from 'node:test';
import * as harness from './harness.mjs';

const wait_ms = 15000;

let taskflow;
let browser;
let page;
let token;
const problems = [];

before(async () => {
  taskflow = await harness.start_taskflow();
  token = await harness.sign_in_api(taskflow.base, harness.admin.email, harness.admin.password);
  const created = await harness.api(taskflow.base, 'POST', '/api/v2/tasks', {body: {title: 'Seen through the reference'}, token});
  assert.equal(created.status, 201, JSON.stringify(created.body));
  browser = await harness.launch_browser();
  page = await harness.open_page(browser, problems);
  // Violations also reach the page as events: count them even if Chromium
  // ever stops logging them.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
});

afterEach(() => {
  assert.deepEqual(problems.splice(0), []);
});

after(async () => {
  await browser?.close();
  await taskflow?.stop();
});

test('/swagger and /docs serve the reference under a CSP with no inline or evaluated script', async () => {
  for (const path of ['/swagger', '/swagger/', '/docs']) {
    const response = await fetch(`${taskflow.base}${path}`);
    assert.equal(response.status, 200, path);
    const csp = response.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-eval/);
  }
  const landing = await (await fetch(`${taskflow.base}/`)).text();
  assert.match(landing, /href="\/swagger"/);
});

test('the page offers both API versions', async () => {
  await page.goto(`${taskflow.base}/swagger`);
  await page.locator('.information-container .title').filter({hasText: 'TaskFlow API'}).waitFor({timeout: wait_ms});
  const versions = await page.locator('#select option').allTextContents();
  assert.equal(versions.length, 2, versions.join(', '));
  assert.match(versions[0], /^v2/);
  assert.match(versions[1], /^v1/);
  await harness.shot(page, 'reference');
});

test('Authorize with a bearer token, then Try it out on GET /api/v2/tasks answers 200', async () => {
  await page.locator('button.authorize').first().click();
  const dialog = page.locator('.dialog-ux .modal-ux');
  await dialog.locator('input[aria-label="auth-bearer-value"]').fill(token);
  await dialog.locator('.auth-container').filter({has: page.locator('input[aria-label="auth-bearer-value"]')})
    .locator('button[type=submit]').click();
  await dialog.locator('button.btn-done').first().click();

  const operation = page.locator('[id^="operations-"][id$="-listTasksV2"]');
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  await operation.locator('button.execute').click();
  const status = operation.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({timeout: wait_ms});
  assert.equal((await status.textContent()).trim(), '200');
  const body = await operation.locator('.live-responses-table .response-col_description pre').first().textContent();
  assert.match(body, /Seen through the reference/);
  // The call carried the token: the curl line Swagger UI shows names it.
  assert.match(await operation.locator('.curl-command').textContent(), /Authorization: Bearer /);
  await harness.shot(page, 'reference-try-it-out');
});
