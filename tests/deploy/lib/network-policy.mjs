// Decides whether NetworkPolicies let traffic from a source pod reach a target pod's port, by
// the rules of the NetworkPolicy API: a pod that no policy selects accepts everything; a
// selected pod accepts what at least one rule of one selecting policy allows.
import { namespaceOf, podLabels, podSpec, selects } from './workloads.mjs';

// A source: { namespace, labels } for a pod, or { external: true } for anything outside the cluster.
function peerAllows(peer, source, policyNamespace) {
  if (peer.ipBlock) return true;
  if (source.external) return false;
  const namespaceLabels = { 'kubernetes.io/metadata.name': source.namespace };
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels)
    : source.namespace === policyNamespace;
  return namespaceOk && (!peer.podSelector || selects(peer.podSelector, source.labels));
}

export function containerPorts(workload) {
  return (podSpec(workload).containers ?? []).flatMap((c) => c.ports ?? []);
}

function portAllows(rulePort, port, workload) {
  if (rulePort.port === undefined) return true;
  if (typeof rulePort.port === 'number') return rulePort.port === port.containerPort;
  return containerPorts(workload).some((p) => p.name === rulePort.port && p.containerPort === port.containerPort);
}

export function allows(policies, target, source, port) {
  const selecting = policies.filter(
    (p) => namespaceOf(p) === namespaceOf(target)
      && (p.spec.policyTypes ?? ['Ingress']).includes('Ingress')
      && selects(p.spec.podSelector ?? {}, podLabels(target)),
  );
  if (selecting.length === 0) return true;
  return selecting.some((policy) => (policy.spec.ingress ?? []).some((rule) => {
    const fromOk = !rule.from || rule.from.length === 0
      || rule.from.some((peer) => peerAllows(peer, source, namespaceOf(policy)));
    const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((p) => portAllows(p, port, target));
    return fromOk && portOk;
  }));
}
