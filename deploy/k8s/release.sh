#!/usr/bin/env bash
# Rolls TaskFlow out to the current kubectl context: one overlay, one image, then waits until
# NATS, the workers and the edges have all rolled. Used by the CI deploy jobs and by hand.
# Usage: deploy/k8s/release.sh [--render] OVERLAY IMAGE
#   --render   print the manifests that would be applied instead of applying them
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
render=false
if [ "${1:-}" = "--render" ]; then render=true; shift; fi
overlay="${1:?usage: release.sh [--render] OVERLAY IMAGE}"
image="${2:?usage: release.sh [--render] OVERLAY IMAGE}"
[ -d "$here/overlays/$overlay" ] || { echo "release.sh: no overlay '$overlay'" >&2; exit 2; }
case "${image##*/}" in
  *:*) ;;
  *) echo "release.sh: image '$image' has no tag; give REPOSITORY:TAG" >&2; exit 2 ;;
esac

# The image goes into a throwaway kustomization on top of the overlay, so the committed
# overlay is never edited; it matches the base's image name and the local overlay's.
# kustomize takes only relative paths to other kustomizations.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/kustomization.yaml" <<YAML
bases:
- $(realpath --relative-to="$work" "$here/overlays/$overlay")
images:
- name: ghcr.io/taskflow/taskflow
  newName: ${image%:*}
  newTag: ${image##*:}
- name: taskflow
  newName: ${image%:*}
  newTag: ${image##*:}
YAML

kubectl="${KUBECTL:-kubectl}"
if $render; then
  exec "$kubectl" kustomize "$work"
fi
"$kubectl" apply -k "$work"
# Workers roll one at a time, each leaving gracefully before the next goes; this waits for all.
"$kubectl" --namespace taskflow rollout status statefulset/nats --timeout=15m
"$kubectl" --namespace taskflow rollout status statefulset/taskflow-worker --timeout=30m
"$kubectl" --namespace taskflow rollout status deployment/taskflow-edge --timeout=15m
