// The checks must catch what they claim to: break a copy of the repository in one known way at
// a time and expect the matching check to fail with a message that names the break. A mutation
// that finds nothing to change fails too, so this test cannot rot into a no-op.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../lib/repo.mjs';
import { createReport } from '../lib/report.mjs';

const root = repoRoot();
const checks = dirname(fileURLToPath(import.meta.url));
const report = createReport('negative');
const copied = ['Dockerfile', '.dockerignore', 'deploy', 'terraform', 'tools/deps', 'tools/build', '.github', 'docs', '.ci'];

function edit(file, from, to) {
  return (dir) => {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from.slice(0, 60))}`);
    writeFileSync(path, text.replace(from, to));
  };
}

function append(file, text) {
  return (dir) => writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8') + text);
}

const mutations = [
  ['a worker without readiness probe', 'k8s-policy', /StatefulSet\/taskflow-worker: container taskflow: no readinessProbe/,
    edit('deploy/k8s/base/worker/statefulset.yaml', '        readinessProbe:\n          httpGet:\n            path: /readyz\n            port: http\n          periodSeconds: 5\n          failureThreshold: 2\n', '')],
  ['a privileged edge', 'k8s-policy', /Deployment\/taskflow-edge: container taskflow: privileged is true/,
    edit('deploy/k8s/base/edge/deployment.yaml', 'privileged: false', 'privileged: true')],
  ['an edge without memory limit', 'k8s-policy', /Deployment\/taskflow-edge: container taskflow: no memory limits/,
    edit('deploy/k8s/base/edge/deployment.yaml', '            memory: 512Mi\n', '')],
  ['workers open to every pod', 'k8s-policy', /StatefulSet\/taskflow-worker.*reachable by/,
    edit('deploy/k8s/base/network-policy/worker.yaml', '  - from:\n', '  - from:\n    - podSelector: {}\n')],
  ['local PostgreSQL open to every pod', 'k8s-policy', /StatefulSet\/postgres: port 5432 is reachable by/,
    edit('deploy/k8s/overlays/local/network-policy.yaml', '  - from:\n    - podSelector:\n        matchLabels:\n          app.kubernetes.io/name: taskflow\n    ports:\n    - port: postgres', '  - ports:\n    - port: postgres')],
  ['edges without a disruption budget', 'k8s-policy', /Deployment\/taskflow-edge: no PodDisruptionBudget/,
    edit('deploy/k8s/base/kustomization.yaml', '- edge/pdb.yaml\n', '')],
  ['workers without an autoscaler', 'k8s-policy', /StatefulSet\/taskflow-worker: no HorizontalPodAutoscaler/,
    edit('deploy/k8s/base/kustomization.yaml', '- worker/hpa.yaml\n', '')],
  ['a setting left unwired', 'k8s-policy', /setting TASKFLOW_NATS is not wired/,
    edit('deploy/k8s/base/kustomization.yaml', '  - TASKFLOW_NATS=nats://nats:4222\n', '')],
  ['node ids that are not pod names', 'k8s-policy', /TASKFLOW_NODE_ID is not the pod name/,
    edit('deploy/k8s/base/worker/statefulset.yaml', 'fieldPath: metadata.name', 'fieldPath: metadata.uid')],
  ['a replica count the autoscaler fights', 'k8s-policy', /sets spec.replicas although an autoscaler owns it/,
    edit('deploy/k8s/base/worker/statefulset.yaml', '  serviceName: taskflow-worker\n', '  serviceName: taskflow-worker\n  replicas: 3\n')],
  ['a key-encryption key that is not mounted', 'k8s-policy', /Deployment\/taskflow-edge: TASKFLOW_KEY_ENCRYPTION_KEY_FILE \S+ is not in a read-only mount of a Secret/,
    edit('deploy/k8s/base/edge/deployment.yaml', '        - name: kek\n          mountPath: /var/run/secrets/taskflow/kek\n          readOnly: true\n', '')],
  ['a cloud overlay that syncs no key-encryption key', 'k8s-policy', /overlay gcp Deployment\/taskflow-edge: the Secret 'taskflow-kek' holding the key-encryption key is not rendered/,
    edit('deploy/k8s/overlays/gcp/external-secrets.yaml', '    name: taskflow-kek\n    creationPolicy', '    name: taskflow-key\n    creationPolicy')],
  ['a local key-encryption key the node refuses', 'k8s-policy', /key-encryption key in Secret 'taskflow-kek' is shorter than 32 bytes/,
    edit('deploy/k8s/overlays/local/kustomization.yaml', '  - key=local-only-kek-not-secret-never-use-it-elsewhere\n', '  - key=too-short\n')],
  ['a field of the wrong type', 'k8s-schema', /StatefulSet\/nats: data\/spec\/replicas must be integer/,
    edit('deploy/k8s/base/nats/statefulset.yaml', 'replicas: 3', 'replicas: three')],
  ['a kustomization naming a missing file', 'render', /overlay local: kubectl kustomize failed/,
    edit('deploy/k8s/base/kustomization.yaml', '- edge/pdb.yaml\n', '- edge/pdb.yaml\n- edge/missing.yaml\n')],
  ['a kustomize field kubectl 1.20 does not know', 'render', /field 'labels' is unknown to kustomize v2.0.3/,
    append('deploy/k8s/base/kustomization.yaml', 'labels:\n- pairs:\n    team: taskflow\n')],
  ['RDS open to the internet', 'terraform', /aws_vpc_security_group_ingress_rule.from_cluster: opens a database or cache to 0.0.0.0\/0/,
    edit('terraform/modules/aws/postgres/main.tf', '  referenced_security_group_id = var.allowed_security_group_id', '  cidr_ipv4                    = "0.0.0.0/0"')],
  ['RDS unencrypted', 'terraform', /aws_db_instance.this: must hold: storage_encrypted is true/,
    edit('terraform/modules/aws/postgres/main.tf', 'storage_encrypted          = true', 'storage_encrypted          = false')],
  ['Memorystore without TLS', 'terraform', /google_redis_instance.this: must hold: transit_encryption_mode/,
    edit('terraform/modules/gcp/redis/main.tf', '"SERVER_AUTHENTICATION"', '"DISABLED"')],
  ['an undeclared variable', 'terraform', /var.memory_size is used but not declared/,
    edit('terraform/modules/gcp/redis/main.tf', 'var.memory_gb', 'var.memory_size')],
  ['a module source that does not exist', 'terraform', /source \.\.\/\.\.\/modules\/azure\/cache does not exist/,
    edit('terraform/environments/azure/main.tf', '"../../modules/azure/redis"', '"../../modules/azure/cache"')],
  ['the key-encryption key in a plain output', 'terraform', /output "kek" carries a secret but is not sensitive/,
    append('terraform/modules/gcp/secrets/outputs.tf', '\noutput "kek" {\n  value = random_bytes.kek.base64\n}\n')],
  ['a password in a variables file', 'terraform', /sets "db_password": secrets are generated by Terraform/,
    append('terraform/environments/aws/terraform.tfvars.example', 'db_password = "hunter2hunter2"\n')],
  ['a RUN step outside steps.sh', 'image', /RUN must call deploy\/docker\/steps.sh/,
    edit('Dockerfile', 'RUN /opt/taskflow/deploy/docker/steps.sh user\n', 'RUN /opt/taskflow/deploy/docker/steps.sh user\nRUN apt-get install -y vim\n')],
  ['an image running as root', 'image', /final stage runs as '0'/,
    edit('Dockerfile', 'USER 10001:10001', 'USER 0')],
  ['an image that no longer sees tools/deps', 'image', /tools\/deps\/install: a step needs it and \.dockerignore leaves it out/,
    append('.dockerignore', 'tools/deps\n')],
  ['an ungated deploy', 'workflow', /job deploy-gcp: is not gated on vars.DEPLOY_GCP == 'true'/,
    edit('.github/workflows/ci.yml', "vars.DEPLOY_GCP == 'true' && ", '')],
];

let caught = 0;
for (const [name, check, expected, mutate] of mutations) {
  const dir = mkdtempSync(join(tmpdir(), 'taskflow-negative-'));
  try {
    for (const path of copied) {
      if (existsSync(join(root, path))) cpSync(join(root, path), join(dir, path), { recursive: true });
    }
    try {
      mutate(dir);
    } catch (error) {
      report.fail(name, `mutation no longer applies: ${error.message}`);
      continue;
    }
    const run = spawnSync(process.execPath, [join(checks, `${check}.mjs`), '--root', dir], { encoding: 'utf8' });
    if (run.status === 0) report.fail(name, `the ${check} check passed`);
    else if (!expected.test(run.stderr)) report.fail(name, `the ${check} check failed without saying ${expected}: ${run.stderr.trim().split('\n')[0]}`);
    else caught += 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
report.finish(`${caught} of ${mutations.length} deliberate breaks caught`);
