// The image recipe cannot be built here (no Docker engine), so check what can be: the Dockerfile
// runs nothing but deploy/docker/steps.sh subcommands and copies only files that exist and are
// in the build context; then run the steps that are cheap for real — every package the image
// installs exists in Debian 12, the user step creates the user the manifests run as, and the
// health check tells a healthy server from a failing one.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { loadDockerignore } from '../lib/dockerignore.mjs';
import { repoRoot } from '../lib/repo.mjs';
import { createReport } from '../lib/report.mjs';

const root = repoRoot();
const report = createReport('image');
const stepsPath = 'deploy/docker/steps.sh';
const steps = join(root, stepsPath);
const notes = [];

function stepNames() {
  const text = readFileSync(steps, 'utf8');
  const body = text.slice(text.indexOf('case "${1:-}" in'));
  return new Set([...body.matchAll(/^ {2}([a-z][a-z-]*)\)$/gm)].map((m) => m[1]));
}

function checkDockerfile() {
  const dockerfile = DockerfileParser.parse(readFileSync(join(root, 'Dockerfile'), 'utf8'));
  const excluded = loadDockerignore(root);
  const known = stepNames();
  const stages = dockerfile.getFROMs();
  const stageNames = new Set(stages.map((f) => f.getBuildStage()).filter(Boolean));
  const buildOutputs = new Set();
  for (const from of stages) {
    const image = `${from.getImageName()}:${from.getImageTag()}`;
    if (!/^debian:(12|bookworm)(-slim)?$/.test(image)) report.fail('Dockerfile', `stage '${from.getBuildStage()}' is on ${image}, not Debian 12`);
  }
  if (stages.length < 2) report.fail('Dockerfile', 'is not multi-stage');

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const args = instruction.getArguments().map((a) => a.getValue());
    const line = `Dockerfile:${instruction.getRange().start.line + 1}`;
    if (keyword === 'RUN') {
      const [script, step, ...rest] = args;
      if (!script?.endsWith(stepsPath)) report.fail(line, `RUN must call ${stepsPath}, not '${args.join(' ')}'`);
      else if (!known.has(step)) report.fail(line, `RUN calls unknown step '${step}'`);
      if (args.some((a) => /[;&|`$<>]/.test(a))) report.fail(line, 'RUN chains shell commands; add a step to steps.sh instead');
      if (step === 'build') buildOutputs.add(rest[0]?.replace(/\/?$/, '/'));
    }
    if (keyword === 'COPY' || keyword === 'ADD') {
      const from = instruction.getFlags().find((f) => f.getName() === 'from')?.getValue();
      const sources = args.slice(0, -1);
      if (from) {
        if (!stageNames.has(from)) report.fail(line, `copies from unknown stage '${from}'`);
        for (const source of sources) {
          if (!buildOutputs.has(source.replace(/\/?$/, '/'))) report.fail(line, `copies ${source}, which no build step writes`);
        }
        continue;
      }
      for (const source of sources) {
        if (!existsSync(join(root, source))) report.fail(line, `copies ${source}, which does not exist`);
        else if (source !== '.' && excluded(source)) report.fail(line, `copies ${source}, which .dockerignore leaves out`);
      }
    }
  }
  for (const needed of ['tools/deps/install', 'tools/deps/packages.txt', 'tools/build', stepsPath]) {
    if (!existsSync(join(root, needed))) report.fail(needed, 'a step needs it and it does not exist');
    else if (excluded(needed)) report.fail(needed, 'a step needs it and .dockerignore leaves it out');
    else if (needed !== 'tools/deps/packages.txt') {
      try { accessSync(join(root, needed), constants.X_OK); } catch { report.fail(needed, 'is not executable'); }
    }
  }

  const final = dockerfile.getInstructions().filter((i) => i.getRange().start.line >= stages.at(-1).getRange().start.line);
  const user = final.filter((i) => i.getKeyword() === 'USER').at(-1)?.getArguments()[0]?.getValue();
  const uid = Number(user?.split(':')[0]);
  if (!Number.isInteger(uid) || uid === 0) report.fail('Dockerfile', `the final stage runs as '${user}', not a numeric non-root uid`);
  const health = final.find((i) => i.getKeyword() === 'HEALTHCHECK');
  const healthArgs = health?.getArguments().map((a) => a.getValue()).join(' ') ?? '';
  if (!/steps\.sh",?\s*"healthcheck"|\/healthz/.test(healthArgs)) report.fail('Dockerfile', 'no HEALTHCHECK against /healthz');
  return uid;
}

function runStep(args, options = {}) {
  return spawnSync(steps, args, { encoding: 'utf8', ...options });
}

function checkPackages() {
  const run = runStep(['check-packages', 'build', 'runtime']);
  if (run.status !== 0) report.fail('steps.sh check-packages', (run.stderr || run.stdout).trim());
  else notes.push(run.stdout.trim().replace(/^steps\.sh check-packages: /, ''));
}

function checkUserStep(uid) {
  if (process.getuid() !== 0) {
    notes.push('user step not run (needs root)');
    return;
  }
  const prefix = mkdtempSync(join(tmpdir(), 'taskflow-image-root-'));
  try {
    mkdirSync(join(prefix, 'etc'));
    for (const file of ['passwd', 'group', 'shadow', 'gshadow', 'login.defs']) {
      if (existsSync(`/etc/${file}`)) copyFileSync(`/etc/${file}`, join(prefix, 'etc', file));
    }
    const run = runStep(['user', '--prefix', prefix]);
    if (run.status !== 0) {
      report.fail('steps.sh user', run.stderr.trim());
      return;
    }
    const entry = readFileSync(join(prefix, 'etc', 'passwd'), 'utf8').split('\n').find((l) => l.startsWith('taskflow:'));
    const [, , entryUid, , , home] = entry?.split(':') ?? [];
    if (Number(entryUid) !== uid) report.fail('steps.sh user', `creates uid ${entryUid}, the Dockerfile runs as ${uid}`);
    const dataDir = statSync(join(prefix, home ?? '/nonexistent'), { throwIfNoEntry: false });
    if (dataDir?.uid !== uid) report.fail('steps.sh user', `home ${home} is not a directory owned by ${uid}`);
    notes.push(`user ${uid} created in a scratch root`);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

// The health check step against a server on loopback that answers `status` on /healthz.
async function healthcheckExit(status) {
  const server = createServer((request, response) => {
    response.writeHead(request.url === '/healthz' ? status : 404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const env = { ...process.env, TASKFLOW_LISTEN: `0.0.0.0:${server.address().port}` };
  const code = await new Promise((resolve) => {
    spawn(steps, ['healthcheck'], { env, stdio: 'ignore' }).on('exit', resolve);
  });
  server.close();
  return code;
}

async function checkHealthcheck() {
  if ((await healthcheckExit(200)) !== 0) report.fail('steps.sh healthcheck', 'fails against a healthy server');
  if ((await healthcheckExit(503)) === 0) report.fail('steps.sh healthcheck', 'passes against a server answering 503');
  notes.push('health check tells 200 from 503');
}

const uid = checkDockerfile();
checkPackages();
checkUserStep(uid);
await checkHealthcheck();
report.finish(notes.join('; '));
