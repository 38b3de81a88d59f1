// Policy over the rendered objects of every overlay: what the issue and ARCHITECTURE.md ask of
// a TaskFlow deployment, stated as checks, so that a patch cannot quietly drop a probe, a limit,
// a budget or an isolation rule.
import { readFileSync } from 'node:fs';
import { describe, render } from '../lib/kustomize.mjs';
import { allows, containerPorts } from '../lib/network-policy.mjs';
import { overlayNames, repoRoot } from '../lib/repo.mjs';
import { createReport } from '../lib/report.mjs';
import {
  component, isTaskflow, namespaceOf, podLabels, podSpec, selects, selectsMap, workloads,
} from '../lib/workloads.mjs';

// What `taskflow serve` reads from its environment (shared/API.md), and which of it is secret.
const requiredSettings = [
  'TASKFLOW_LISTEN', 'TASKFLOW_DATA_DIR', 'TASKFLOW_ROLES', 'TASKFLOW_NODE_ID', 'TASKFLOW_CLUSTER',
  'TASKFLOW_CLUSTER_LISTEN', 'TASKFLOW_NATS', 'TASKFLOW_POSTGRES', 'TASKFLOW_REDIS', 'TASKFLOW_BOOTSTRAP_ADMIN',
  'TASKFLOW_KEY_ENCRYPTION_KEY_FILE',
];
const secretSettings = ['TASKFLOW_POSTGRES', 'TASKFLOW_REDIS', 'TASKFLOW_BOOTSTRAP_ADMIN'];
// The node refuses a key-encryption key file shorter than this (runtime/identity/key_wrap.cpp).
const minKekBytes = 32;
const cafPort = 4242;
const httpPort = 8080;
const grpcPort = 9090;
const dataStoreComponents = ['database', 'cache', 'event-bus'];

function imageUser(root) {
  const users = readFileSync(`${root}/Dockerfile`, 'utf8').split('\n').filter((line) => /^USER\s/i.test(line));
  return Number(users.at(-1)?.split(/\s+/)[1]?.split(':')[0]);
}

function containersOf(workload) {
  const spec = podSpec(workload);
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
}

function byKind(objects, kind) {
  return objects.filter((o) => o.kind === kind);
}

function find(objects, kind, namespace, name) {
  return objects.find((o) => o.kind === kind && namespaceOf(o) === namespace && o.metadata.name === name);
}

// The keys a Secret named `name` will hold: a rendered Secret's, or those an ExternalSecret
// writes into it. `null` means no such Secret will exist.
function secretKeys(objects, namespace, name) {
  const secret = find(objects, 'Secret', namespace, name);
  if (secret) return new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
  const external = byKind(objects, 'ExternalSecret').find(
    (o) => namespaceOf(o) === namespace && (o.spec.target?.name ?? o.metadata.name) === name,
  );
  if (external) return new Set((external.spec.data ?? []).map((d) => d.secretKey));
  return null;
}

function configMapKeys(objects, namespace, name) {
  const map = find(objects, 'ConfigMap', namespace, name);
  return map ? new Set([...Object.keys(map.data ?? {}), ...Object.keys(map.binaryData ?? {})]) : null;
}

// Where each environment variable of a container comes from: 'value', 'field', 'configMap' or
// 'secret'; references to objects or keys that will not exist are reported.
function settingSources(objects, workload, container, fail) {
  const namespace = namespaceOf(workload);
  const sources = new Map();
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? 'configMap' : 'secret';
    const keys = kind === 'configMap' ? configMapKeys(objects, namespace, ref.name) : secretKeys(objects, namespace, ref.name);
    if (keys === null) {
      if (!ref.optional) fail(`envFrom ${kind} '${ref.name}' is not rendered in this overlay`);
      continue;
    }
    for (const key of keys) sources.set(`${from.prefix ?? ''}${key}`, kind);
  }
  for (const env of container.env ?? []) {
    const ref = env.valueFrom?.configMapKeyRef ?? env.valueFrom?.secretKeyRef;
    if (ref) {
      const kind = env.valueFrom.configMapKeyRef ? 'configMap' : 'secret';
      const keys = kind === 'configMap' ? configMapKeys(objects, namespace, ref.name) : secretKeys(objects, namespace, ref.name);
      if (!ref.optional && !keys?.has(ref.key)) fail(`env ${env.name} refers to ${kind} '${ref.name}' key '${ref.key}', which is not rendered`);
      sources.set(env.name, kind);
    } else {
      sources.set(env.name, env.valueFrom ? 'field' : 'value');
    }
  }
  return sources;
}

function settingValue(objects, workload, container, name) {
  const literal = (container.env ?? []).find((e) => e.name === name && e.value !== undefined);
  if (literal) return literal.value;
  for (const from of container.envFrom ?? []) {
    const map = from.configMapRef && find(objects, 'ConfigMap', namespaceOf(workload), from.configMapRef.name);
    if (map?.data?.[name] !== undefined) return map.data[name];
  }
  return undefined;
}

// The key-encryption key is a file, not a variable: TASKFLOW_KEY_ENCRYPTION_KEY_FILE must name a
// key of a Secret that will exist, mounted read-only, unreadable to others, and not optional (a
// node without it keeps new signing keys in clear). A Secret rendered here must hold enough bytes.
function checkKeyEncryptionKey(objects, workload, container, fail) {
  const setting = 'TASKFLOW_KEY_ENCRYPTION_KEY_FILE';
  const path = settingValue(objects, workload, container, setting);
  if (path === undefined) return;
  const mount = (container.volumeMounts ?? []).find((m) => !m.subPath && path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`));
  const volume = mount && (podSpec(workload).volumes ?? []).find((v) => v.name === mount.name);
  if (!mount?.readOnly || !volume?.secret) {
    fail(`${setting} ${path} is not in a read-only mount of a Secret`);
    return;
  }
  const { secretName, items, optional, defaultMode } = volume.secret;
  const file = path.slice(mount.mountPath.replace(/\/$/, '').length + 1);
  const item = (items ?? []).find((i) => i.path === file);
  const key = items ? item?.key : file;
  if (optional) fail(`the Secret '${secretName}' holding the key-encryption key is optional`);
  if (key === undefined) fail(`${setting} ${path} names no item of the Secret '${secretName}'`);
  const keys = secretKeys(objects, namespaceOf(workload), secretName);
  if (keys === null) fail(`the Secret '${secretName}' holding the key-encryption key is not rendered in this overlay`);
  else if (key !== undefined && !keys.has(key)) fail(`the Secret '${secretName}' has no key '${key}' for ${setting}`);
  const mode = item?.mode ?? defaultMode ?? 0o644;
  if (mode & 0o007) fail(`the key-encryption key file is readable by others (mode ${mode.toString(8)})`);
  const secret = find(objects, 'Secret', namespaceOf(workload), secretName);
  const encoded = secret?.data?.[key] !== undefined ? Buffer.from(secret.data[key], 'base64') : secret?.stringData?.[key] && Buffer.from(secret.stringData[key]);
  // Like the node, do not count the line ends a file written by `echo` carries.
  if (encoded && encoded.toString('latin1').replace(/[\r\n]+$/, '').length < minKekBytes) {
    fail(`the key-encryption key in Secret '${secretName}' is shorter than ${minKekBytes} bytes, which the node refuses`);
  }
}

function checkHardening(workload, fail) {
  const spec = podSpec(workload);
  const podContext = spec.securityContext ?? {};
  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[flag]) fail(`${flag} is set`);
  if ((spec.volumes ?? []).some((v) => v.hostPath)) fail('mounts a hostPath volume');
  for (const container of containersOf(workload)) {
    const at = `container ${container.name}`;
    const context = container.securityContext ?? {};
    if (!(context.runAsNonRoot ?? podContext.runAsNonRoot)) fail(`${at}: runAsNonRoot is not true`);
    if ((context.runAsUser ?? podContext.runAsUser) === 0) fail(`${at}: runs as uid 0`);
    const seccomp = (context.seccompProfile ?? podContext.seccompProfile)?.type;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) fail(`${at}: no RuntimeDefault seccomp profile`);
    if (context.allowPrivilegeEscalation !== false) fail(`${at}: allowPrivilegeEscalation is not false`);
    if (context.readOnlyRootFilesystem !== true) fail(`${at}: readOnlyRootFilesystem is not true`);
    if (context.privileged === true) fail(`${at}: privileged is true`);
    if (!(context.capabilities?.drop ?? []).includes('ALL')) fail(`${at}: capabilities do not drop ALL`);
    const tag = container.image.includes('@') ? 'digest' : container.image.split('/').at(-1).split(':')[1];
    if (!tag || tag === 'latest') fail(`${at}: image '${container.image}' is not pinned to a tag`);
  }
}

function checkProbesAndResources(workload, fail) {
  for (const container of podSpec(workload).containers ?? []) {
    const at = `container ${container.name}`;
    if (!container.readinessProbe) fail(`${at}: no readinessProbe`);
    if (!container.livenessProbe) fail(`${at}: no livenessProbe`);
  }
  for (const container of containersOf(workload)) {
    for (const bound of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (!container.resources?.[bound]?.[resource]) fail(`container ${container.name}: no ${resource} ${bound}`);
      }
    }
  }
}

function checkTaskflowNode(objects, workload, uid, fail) {
  const spec = podSpec(workload);
  const container = (spec.containers ?? []).find((c) => c.name === 'taskflow');
  if (!container) {
    fail("no container named 'taskflow'");
    return;
  }
  const httpNamed = containerPorts(workload).find((p) => p.name === 'http');
  if (httpNamed?.containerPort !== httpPort) fail(`container port 'http' is not ${httpPort}`);
  for (const [probe, path] of [['readinessProbe', '/readyz'], ['livenessProbe', '/healthz']]) {
    // An edge may take readiness from gRPC health instead: it follows /readyz
    // and turns NOT_SERVING as soon as a shutdown begins.
    if (probe === 'readinessProbe' && component(workload) === 'edge' && container[probe]?.grpc) continue;
    const get = container[probe]?.httpGet;
    if (get?.path !== path || (get.port !== 'http' && get.port !== httpPort)) fail(`${probe} is not GET ${path} on the http port`);
  }
  if (!container.lifecycle?.preStop) fail('no preStop hook');
  if ((spec.terminationGracePeriodSeconds ?? 30) < 60) fail('terminationGracePeriodSeconds is under 60 s, too short for graceful leave');
  if ((spec.securityContext?.runAsUser ?? container.securityContext?.runAsUser) !== uid) {
    fail(`does not run as uid ${uid}, the image's USER`);
  }

  const sources = settingSources(objects, workload, container, fail);
  for (const name of requiredSettings) if (!sources.has(name)) fail(`setting ${name} is not wired`);
  for (const name of secretSettings) {
    if (sources.has(name) && sources.get(name) !== 'secret') fail(`setting ${name} holds credentials but does not come from a Secret`);
  }
  checkKeyEncryptionKey(objects, workload, container, fail);
  const nodeId = (container.env ?? []).find((e) => e.name === 'TASKFLOW_NODE_ID');
  if (nodeId?.valueFrom?.fieldRef?.fieldPath !== 'metadata.name') fail('TASKFLOW_NODE_ID is not the pod name');
  const listen = settingValue(objects, workload, container, 'TASKFLOW_LISTEN');
  if (listen !== undefined && listen !== `0.0.0.0:${httpPort}`) fail(`TASKFLOW_LISTEN is '${listen}', not 0.0.0.0:${httpPort}`);
  const clusterListen = settingValue(objects, workload, container, 'TASKFLOW_CLUSTER_LISTEN');
  if (clusterListen !== undefined && !clusterListen.endsWith(`:${cafPort}`)) fail(`TASKFLOW_CLUSTER_LISTEN does not use port ${cafPort}`);
  const dataDir = settingValue(objects, workload, container, 'TASKFLOW_DATA_DIR');
  if (dataDir && !(container.volumeMounts ?? []).some((m) => m.mountPath === dataDir && !m.readOnly)) {
    fail(`TASKFLOW_DATA_DIR ${dataDir} is not a writable mount (the root filesystem is read-only)`);
  }

  const roles = settingValue(objects, workload, container, 'TASKFLOW_ROLES') ?? '';
  if (component(workload) === 'worker') {
    if (workload.kind !== 'StatefulSet') fail('workers are not a StatefulSet, so their node ids are not stable');
    if (!roles.split(',').includes('worker')) fail("TASKFLOW_ROLES does not include 'worker'");
    const caf = containerPorts(workload).find((p) => p.name === 'caf');
    if (caf?.containerPort !== cafPort) fail(`no container port 'caf' ${cafPort}`);
    const service = find(objects, 'Service', namespaceOf(workload), workload.spec.serviceName);
    if (!service) fail(`serviceName '${workload.spec.serviceName}' is not rendered`);
    else {
      if (service.spec.clusterIP !== 'None') fail(`service ${service.metadata.name} is not headless`);
      if (!selectsMap(service.spec.selector, podLabels(workload))) fail(`service ${service.metadata.name} does not select the workers`);
      if (!(service.spec.ports ?? []).some((p) => p.port === cafPort)) fail(`service ${service.metadata.name} does not publish port ${cafPort}`);
    }
  } else if (component(workload) === 'edge') {
    if (!roles.split(',').includes('edge')) fail("TASKFLOW_ROLES does not include 'edge'");
    checkGrpcEdge(objects, workload, container, fail);
  } else {
    fail(`unknown TaskFlow component '${component(workload)}'`);
  }
}

// The gRPC task API: served on its port, probed for readiness through gRPC
// health, and published by a Service.
function checkGrpcEdge(objects, workload, container, fail) {
  const grpc = containerPorts(workload).find((p) => p.name === 'grpc');
  if (grpc?.containerPort !== grpcPort) fail(`no container port 'grpc' ${grpcPort}`);
  const listen = settingValue(objects, workload, container, 'TASKFLOW_GRPC_LISTEN');
  if (listen !== `0.0.0.0:${grpcPort}`) fail(`TASKFLOW_GRPC_LISTEN is '${listen}', not 0.0.0.0:${grpcPort}`);
  if (container.readinessProbe?.grpc?.port !== grpcPort) fail(`readinessProbe is not gRPC health on port ${grpcPort}`);
  const published = byKind(objects, 'Service').some(
    (s) => namespaceOf(s) === namespaceOf(workload) && s.spec.selector && selectsMap(s.spec.selector, podLabels(workload)) &&
      (s.spec.ports ?? []).some((p) => p.targetPort === 'grpc' || p.targetPort === grpcPort),
  );
  if (!published) fail('no Service publishes the gRPC port');
}

function checkBudgetsAndScaling(objects, workload, fail) {
  const namespace = namespaceOf(workload);
  const autoscaler = byKind(objects, 'HorizontalPodAutoscaler').find(
    (h) => namespaceOf(h) === namespace && h.spec.scaleTargetRef.kind === workload.kind && h.spec.scaleTargetRef.name === workload.metadata.name,
  );
  if (isTaskflow(workload) && !autoscaler) fail('no HorizontalPodAutoscaler');
  if (autoscaler && workload.spec.replicas !== undefined) {
    fail('sets spec.replicas although an autoscaler owns it; every apply would reset the scale');
  }
  const replicated = autoscaler || (workload.spec.replicas ?? 1) > 1;
  const budget = byKind(objects, 'PodDisruptionBudget').find(
    (b) => namespaceOf(b) === namespace && selects(b.spec.selector, podLabels(workload)),
  );
  if (replicated && !budget) fail('no PodDisruptionBudget although it runs several replicas');
}

function checkServicesAndIngresses(objects, fail) {
  const all = workloads(objects);
  for (const service of byKind(objects, 'Service')) {
    if (!service.spec.selector) continue;
    const selected = all.filter((w) => namespaceOf(w) === namespaceOf(service) && selectsMap(service.spec.selector, podLabels(w)));
    if (selected.length === 0) fail(describe(service), 'selects no pods');
    for (const port of service.spec.ports ?? []) {
      if (typeof port.targetPort === 'string' && !selected.some((w) => containerPorts(w).some((p) => p.name === port.targetPort))) {
        fail(describe(service), `targetPort '${port.targetPort}' is not a container port of the selected pods`);
      }
    }
  }
  for (const ingress of byKind(objects, 'Ingress')) {
    for (const rule of ingress.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const { name, port } = path.backend.service ?? {};
        const service = find(objects, 'Service', namespaceOf(ingress), name);
        if (!service) fail(describe(ingress), `backend service '${name}' is not rendered`);
        else if (!(service.spec.ports ?? []).some((p) => p.name === port?.name || p.port === port?.number)) {
          fail(describe(ingress), `backend port ${port?.name ?? port?.number} is not a port of service '${name}'`);
        }
      }
    }
  }
  for (const budget of byKind(objects, 'PodDisruptionBudget')) {
    if (!all.some((w) => namespaceOf(w) === namespaceOf(budget) && selects(budget.spec.selector, podLabels(w)))) {
      fail(describe(budget), 'selects no pods');
    }
  }
}

// Traffic checked against the policies: strangers are pods that are not TaskFlow's, in the
// namespace and outside it.
function checkIsolation(objects, fail) {
  const policies = byKind(objects, 'NetworkPolicy');
  const all = workloads(objects);
  const podsOf = (c) => all.filter((w) => isTaskflow(w) && component(w) === c);
  for (const target of all) {
    const namespace = namespaceOf(target);
    const strangers = [
      { namespace, labels: { 'app.kubernetes.io/name': 'stranger' } },
      { namespace: 'elsewhere', labels: { 'app.kubernetes.io/name': 'taskflow', 'app.kubernetes.io/component': 'worker' } },
      { external: true },
    ];
    const peers = (c) => podsOf(c).map((w) => ({ namespace: namespaceOf(w), labels: podLabels(w) }));
    const where = describe(target);
    if (isTaskflow(target) && component(target) === 'worker') {
      const caf = { containerPort: cafPort };
      for (const source of [...peers('edge'), ...peers('worker')]) {
        if (!allows(policies, target, source, caf)) fail(where, 'edges and workers cannot reach the CAF port');
      }
      for (const port of containerPorts(target)) {
        for (const source of strangers) {
          if (allows(policies, target, source, port)) fail(where, `port ${port.containerPort} is reachable by ${JSON.stringify(source)}`);
        }
      }
    } else if (isTaskflow(target) && component(target) === 'edge') {
      if (!allows(policies, target, { external: true }, { containerPort: httpPort })) fail(where, 'HTTP is not reachable from outside');
      if (!allows(policies, target, { external: true }, { containerPort: grpcPort })) fail(where, 'gRPC is not reachable from outside');
    } else if (dataStoreComponents.includes(podLabels(target)['app.kubernetes.io/component'])) {
      for (const port of containerPorts(target)) {
        for (const source of strangers) {
          if (allows(policies, target, source, port)) fail(where, `port ${port.containerPort} is reachable by ${JSON.stringify(source)}`);
        }
      }
      const clientPort = containerPorts(target)[0];
      for (const source of [...peers('edge'), ...peers('worker')]) {
        if (!allows(policies, target, source, clientPort)) fail(where, `TaskFlow nodes cannot reach port ${clientPort.containerPort}`);
      }
    } else {
      fail(where, 'is neither a TaskFlow node nor a data store, so no isolation rule covers it');
    }
  }
}

function checkTopology(objects, overlay, fail) {
  const all = workloads(objects);
  const stores = all.filter((w) => ['database', 'cache'].includes(podLabels(w)['app.kubernetes.io/component']));
  if (overlay === 'local') {
    for (const c of ['database', 'cache']) {
      if (!stores.some((w) => podLabels(w)['app.kubernetes.io/component'] === c)) fail('overlay', `local runs no ${c}`);
    }
  } else {
    for (const w of stores) fail(describe(w), 'cloud overlays use the managed database and cache, not one in the cluster');
  }
  for (const c of ['edge', 'worker']) {
    if (!all.some((w) => isTaskflow(w) && component(w) === c)) fail('overlay', `no TaskFlow ${c}`);
  }
  const nats = all.filter((w) => podLabels(w)['app.kubernetes.io/component'] === 'event-bus');
  if (nats.length !== 1) fail('overlay', 'there is not exactly one NATS workload');
  for (const w of nats) {
    if (w.kind !== 'StatefulSet' || w.spec.replicas !== 3) fail(describe(w), 'NATS is not a 3-replica StatefulSet');
    if (w.spec.podManagementPolicy !== 'Parallel') fail(describe(w), 'NATS servers must start in parallel to form their quorum');
    const configs = (podSpec(w).volumes ?? []).filter((v) => v.configMap).map((v) => find(objects, 'ConfigMap', namespaceOf(w), v.configMap.name));
    if (!configs.some((m) => m && Object.values(m.data ?? {}).some((text) => /^\s*jetstream\s*\{/m.test(text)))) {
      fail(describe(w), 'JetStream is not enabled in its configuration');
    }
  }
  const namespaces = new Set(all.map(namespaceOf));
  for (const name of namespaces) {
    const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === name);
    if (ns?.metadata.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') {
      fail(`Namespace/${name}`, "is not rendered with Pod Security level 'restricted'");
    }
    const denyAll = byKind(objects, 'NetworkPolicy').some(
      (p) => namespaceOf(p) === name && Object.keys(p.spec.podSelector ?? {}).length === 0 && (p.spec.ingress ?? []).length === 0,
    );
    if (!denyAll) fail(`Namespace/${name}`, 'has no default-deny ingress NetworkPolicy');
  }
}

const root = repoRoot();
const report = createReport('k8s-policy');
const uid = imageUser(root);
let checked = 0;
for (const overlay of overlayNames(root)) {
  let objects;
  try {
    objects = render(root, overlay);
  } catch (error) {
    report.fail(`overlay ${overlay}`, error.message);
    continue;
  }
  const failAt = (where, message) => report.fail(`overlay ${overlay} ${where}`, message);
  for (const workload of workloads(objects)) {
    const fail = (message) => failAt(describe(workload), message);
    checkHardening(workload, fail);
    checkProbesAndResources(workload, fail);
    checkBudgetsAndScaling(objects, workload, fail);
    if (isTaskflow(workload)) checkTaskflowNode(objects, workload, uid, fail);
    else for (const container of containersOf(workload)) settingSources(objects, workload, container, fail);
    checked += 1;
  }
  checkServicesAndIngresses(objects, failAt);
  checkIsolation(objects, failAt);
  checkTopology(objects, overlay, failAt);
}
report.finish(`${checked} workloads across ${overlayNames(root).length} overlays meet the policy`);
