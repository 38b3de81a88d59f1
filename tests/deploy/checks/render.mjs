// Every overlay renders with `kubectl kustomize`, and every kustomization sticks to the fields
// kustomize v2.0.3 knows, so the oldest kubectl we support (Debian 12's 1.20) renders it too.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse } from 'yaml';
import { render } from '../lib/kustomize.mjs';
import { overlayNames, repoRoot, walk } from '../lib/repo.mjs';
import { createReport } from '../lib/report.mjs';

const requiredOverlays = ['local', 'aws', 'azure', 'gcp'];
const v2Fields = new Set([
  'apiVersion', 'kind', 'namespace', 'namePrefix', 'commonAnnotations', 'resources', 'bases',
  'patchesStrategicMerge', 'patchesJson6902', 'configMapGenerator', 'secretGenerator',
  'generatorOptions', 'images',
]);
const v2GeneratorFields = new Set(['name', 'behavior', 'literals', 'files', 'env', 'type']);

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

const overlays = overlayNames(root);
for (const name of requiredOverlays) {
  if (!overlays.includes(name)) report.fail('deploy/k8s/overlays', `overlay '${name}' is missing`);
}
const counts = [];
for (const overlay of overlays) {
  try {
    counts.push(`${overlay} ${render(root, overlay).length}`);
  } catch (error) {
    report.fail(`overlay ${overlay}`, error.message);
  }
}
report.finish(`rendered ${counts.join(', ')} objects`);
