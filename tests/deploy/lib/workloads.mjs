// Views over rendered objects that the policy checks share: which objects run pods, what those
// pods look like, and which selectors pick them.
const podTemplatePaths = {
  Deployment: (o) => o.spec?.template,
  StatefulSet: (o) => o.spec?.template,
  DaemonSet: (o) => o.spec?.template,
  ReplicaSet: (o) => o.spec?.template,
  Job: (o) => o.spec?.template,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template,
  Pod: (o) => o,
};

export function workloads(objects) {
  return objects.filter((o) => podTemplatePaths[o.kind]);
}

export function podTemplate(workload) {
  return podTemplatePaths[workload.kind](workload) ?? {};
}

export function podLabels(workload) {
  return podTemplate(workload).metadata?.labels ?? {};
}

export function podSpec(workload) {
  return podTemplate(workload).spec ?? {};
}

export function namespaceOf(object) {
  return object.metadata?.namespace ?? 'default';
}

// Label selectors as the API server reads them: matchLabels and matchExpressions both hold.
export function selects(selector, labels) {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In': return values.includes(labels[key]);
      case 'NotIn': return !values.includes(labels[key]);
      case 'Exists': return key in labels;
      case 'DoesNotExist': return !(key in labels);
      default: return false;
    }
  });
  return byLabels && byExpressions;
}

// Service selectors are plain maps.
export function selectsMap(selector, labels) {
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export function isTaskflow(workload) {
  return podLabels(workload)['app.kubernetes.io/name'] === 'taskflow';
}

export function component(workload) {
  return podLabels(workload)['app.kubernetes.io/component'];
}
