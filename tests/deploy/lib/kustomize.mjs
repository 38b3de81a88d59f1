// Renders an overlay with `kubectl kustomize`, the same command operators apply with
// (`kubectl apply -k`), and parses the result into plain objects.
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { overlayDir } from './repo.mjs';

// The manifests keep fields that kustomize v2.0.3 (kubectl 1.20) needs; newer kubectl warns
// about exactly those, and the warnings say nothing about the manifests themselves.
const expectedWarning = /^# Warning: '(bases|patchesStrategicMerge)' is deprecated\./;

export function render(root, overlay) {
  const kubectl = process.env.KUBECTL || 'kubectl';
  const run = spawnSync(kubectl, ['kustomize', overlayDir(root, overlay)], { encoding: 'utf8' });
  if (run.error) throw new Error(`cannot run ${kubectl}: ${run.error.message}`);
  const stderr = run.stderr.split('\n').filter((line) => line.trim() && !expectedWarning.test(line));
  if (run.status !== 0) throw new Error(`kubectl kustomize failed: ${stderr.join(' ')}`);
  return parseAllDocuments(run.stdout)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`unparsable output: ${doc.errors[0].message}`);
      return doc.toJS();
    })
    .filter((object) => object !== null);
}

export function describe(object) {
  return `${object.kind}/${object.metadata?.name}`;
}
