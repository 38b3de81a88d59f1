// Every overlay renders with `kubectl kustomize`; every kustomization sticks to the fields
// kustomize v2.0.3 knows, so the oldest kubectl we support (Debian 12's 1.20) renders it too;
// and deploy/k8s/release.sh puts the image it is given into every TaskFlow container while
// changing nothing else.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, render } from '../lib/kustomize.mjs';
import { overlayNames, repoRoot, walk } from '../lib/repo.mjs';
import { createReport } from '../lib/report.mjs';
import { isTaskflow, podSpec, workloads } from '../lib/workloads.mjs';

const requiredOverlays = ['local', 'aws', 'azure', 'gcp'];
const v2Fields = new Set([
  'apiVersion', 'kind', 'namespace', 'namePrefix', 'commonAnnotations', 'resources', 'bases',
  'patchesStrategicMerge', 'patchesJson6902', 'configMapGenerator', 'secretGenerator',
  'generatorOptions', 'images',
]);
const v2GeneratorFields = new Set(['name', 'behavior', 'literals', 'files', 'env', 'type']);
const releaseImage = 'registry.invalid/taskflow:release-check';

const root = repoRoot();
const report = createReport('render');

for (const file of walk(`${root}/deploy/k8s`, (name) => name === 'kustomization.yaml')) {
  const where = relative(root, file);
  const kustomization = parse(readFileSync(file, 'utf8')) ?? {};
  for (const field of Object.keys(kustomization)) {
    if (!v2Fields.has(field)) report.fail(where, `field '${field}' is unknown to kustomize v2.0.3 (kubectl 1.20)`);
  }
  for (const generator of [...(kustomization.configMapGenerator ?? []), ...(kustomization.secretGenerator ?? [])]) {
    for (const field of Object.keys(generator)) {
      if (!v2GeneratorFields.has(field)) report.fail(where, `generator field '${field}' is unknown to kustomize v2.0.3`);
    }
  }
}

function checkRelease(overlay, objectCount) {
  const run = spawnSync(`${root}/deploy/k8s/release.sh`, ['--render', overlay, releaseImage], { encoding: 'utf8' });
  if (run.status !== 0) {
    report.fail(`release.sh ${overlay}`, run.stderr.trim());
    return;
  }
  const released = parseAllDocuments(run.stdout).map((d) => d.toJS()).filter(Boolean);
  if (released.length !== objectCount) report.fail(`release.sh ${overlay}`, `renders ${released.length} objects, the overlay ${objectCount}`);
  for (const workload of workloads(released).filter(isTaskflow)) {
    for (const container of podSpec(workload).containers) {
      if (container.image !== releaseImage) report.fail(`release.sh ${overlay} ${describe(workload)}`, `runs ${container.image}, not the released image`);
    }
  }
}

const overlays = overlayNames(root);
for (const name of requiredOverlays) {
  if (!overlays.includes(name)) report.fail('deploy/k8s/overlays', `overlay '${name}' is missing`);
}
const counts = [];
for (const overlay of overlays) {
  try {
    const objects = render(root, overlay);
    counts.push(`${overlay} ${objects.length}`);
    checkRelease(overlay, objects.length);
  } catch (error) {
    report.fail(`overlay ${overlay}`, error.message);
  }
}
report.finish(`rendered ${counts.join(', ')} objects; release.sh sets the image in each`);
