// Every rendered object validates against the OpenAPI schema of its kind: Kubernetes' own from
// kubernetes-models, and the published CRD schemas for the External Secrets Operator and GKE.
// An object whose kind has no schema here fails too, rather than passing unchecked.
import { createRequire } from 'node:module';
import { describe, render } from '../lib/kustomize.mjs';
import { overlayNames, repoRoot } from '../lib/repo.mjs';
import { createReport } from '../lib/report.mjs';

const require = createRequire(import.meta.url);
const schemaPackages = ['kubernetes-models', '@kubernetes-models/external-secrets', '@kubernetes-models/gke'];

function modelFor({ apiVersion, kind }) {
  for (const pkg of schemaPackages) {
    try {
      const models = require(`${pkg}/${apiVersion}`);
      if (models[kind]) return models[kind];
    } catch (error) {
      if (error.code !== 'MODULE_NOT_FOUND' && error.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
    }
  }
  return undefined;
}

// kustomize v5 folds long base64 values over several lines; the API server's decoder skips line
// breaks, the schema's "byte" format does not.
function unfoldSecretData(object) {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(Object.entries(object.data).map(([key, value]) => [key, value.replace(/\s+/g, '')]));
  return { ...object, data };
}

const root = repoRoot();
const report = createReport('k8s-schema');
let validated = 0;
for (const overlay of overlayNames(root)) {
  let objects;
  try {
    objects = render(root, overlay);
  } catch (error) {
    report.fail(`overlay ${overlay}`, error.message);
    continue;
  }
  for (const object of objects) {
    const where = `overlay ${overlay} ${describe(object)}`;
    const Model = modelFor(object);
    if (!Model) {
      report.fail(where, `no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(unfoldSecretData(object)).validate();
      validated += 1;
    } catch (error) {
      report.fail(where, error.message);
    }
  }
}
report.finish(`${validated} objects valid`);
