// The CI workflow parses, its test job runs .ci/run like CI does, it builds the image from the
// Dockerfile, and each cloud's deploy job is gated on its DEPLOY_<CLOUD> variable and points at
// Terraform and manifests that exist. Every variable it reads is documented for operators.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { repoRoot } from '../lib/repo.mjs';
import { createReport } from '../lib/report.mjs';

const root = repoRoot();
const report = createReport('workflow');
const path = '.github/workflows/ci.yml';
const clouds = ['aws', 'azure', 'gcp'];

function strings(value) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

function executable(file) {
  try {
    accessSync(join(root, file), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const document = parseDocument(readFileSync(join(root, path), 'utf8'), { prettyErrors: true });
if (document.errors.length > 0) {
  for (const error of document.errors) report.fail(path, error.message);
  report.finish('');
}
const workflow = document.toJS();
const jobs = workflow.jobs ?? {};
const needs = (job) => [].concat(job?.needs ?? []);
const steps = (job) => job?.steps ?? [];

if (!workflow.on?.push || !('pull_request' in (workflow.on ?? {}))) report.fail(path, 'does not run on push and pull_request');
if (!workflow.permissions) report.fail(path, 'grants the default token permissions instead of naming them');

for (const [name, job] of Object.entries(jobs)) {
  if (!job['timeout-minutes']) report.fail(`job ${name}`, 'has no timeout-minutes');
  for (const step of steps(job)) {
    if (step.uses && !/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(step.uses)) report.fail(`job ${name}`, `${step.uses} is not pinned to a version`);
    const dir = step['working-directory'];
    if (dir && !existsSync(join(root, dir))) report.fail(`job ${name}`, `working-directory ${dir} does not exist`);
  }
  for (const text of strings(job)) {
    if ((text.match(/\$\{\{/g) ?? []).length !== (text.match(/\}\}/g) ?? []).length) report.fail(`job ${name}`, `unbalanced expression in '${text}'`);
  }
}

const test = jobs.test;
if (!steps(test).some((s) => s.run?.trim() === 'bash .ci/run')) report.fail('job test', "does not run 'bash .ci/run'");
if (!/^debian:12/.test(test?.container?.image ?? test?.container ?? '')) report.fail('job test', 'does not run in a Debian 12 container like the project machines');
if (!existsSync(join(root, '.ci/run'))) report.fail('job test', 'runs .ci/run, which does not exist');

const image = jobs.image;
if (!needs(image).includes('test')) report.fail('job image', 'does not wait for the tests');
const build = steps(image).find((s) => s.uses?.startsWith('docker/build-push-action@') || /docker (buildx )?build/.test(s.run ?? ''));
if (!build) report.fail('job image', 'builds no image');
else if (!existsSync(join(root, build.with?.file ?? 'Dockerfile'))) report.fail('job image', `builds ${build.with?.file}, which does not exist`);

for (const cloud of clouds) {
  const name = `deploy-${cloud}`;
  const job = jobs[name];
  if (!job) {
    report.fail(path, `has no job ${name}`);
    continue;
  }
  if (!String(job.if ?? '').includes(`vars.DEPLOY_${cloud.toUpperCase()} == 'true'`)) {
    report.fail(`job ${name}`, `is not gated on vars.DEPLOY_${cloud.toUpperCase()} == 'true'`);
  }
  if (!needs(job).includes('image')) report.fail(`job ${name}`, 'does not wait for the image');
  if (job.permissions?.['id-token'] !== 'write') report.fail(`job ${name}`, 'cannot use OIDC federation (id-token: write)');
  if (!steps(job).some((s) => s['working-directory'] === `terraform/environments/${cloud}`)) {
    report.fail(`job ${name}`, `does not apply terraform/environments/${cloud}`);
  }
  const release = steps(job).find((s) => new RegExp(`deploy/k8s/release\\.sh ${cloud}\\b`).test(s.run ?? ''));
  if (!release) report.fail(`job ${name}`, `does not run deploy/k8s/release.sh ${cloud}`);
  if (!existsSync(join(root, 'deploy/k8s/overlays', cloud))) report.fail(`job ${name}`, `deploys overlay ${cloud}, which does not exist`);
}
if (!executable('deploy/k8s/release.sh')) report.fail('deploy/k8s/release.sh', 'is missing or not executable');

const docs = existsSync(join(root, 'docs/deployment.md')) ? readFileSync(join(root, 'docs/deployment.md'), 'utf8') : '';
const variables = new Set(strings(workflow).flatMap((t) => [...t.matchAll(/vars\.([A-Z0-9_]+)/g)].map((m) => m[1])));
for (const variable of variables) {
  if (!docs.includes(`\`${variable}\``)) report.fail('docs/deployment.md', `does not explain repository variable ${variable}`);
}
report.finish(`${Object.keys(jobs).length} jobs, ${variables.size} repository variables documented`);
