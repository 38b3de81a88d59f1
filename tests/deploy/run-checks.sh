#!/usr/bin/env bash
# Runs the deployment checks without CMake: all of them, or those named.
# Usage: tests/deploy/run-checks.sh [--no-install] [check...]
# checks: render k8s-schema k8s-policy terraform workflow image negative
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "${1:-}" = "--no-install" ]; then
  shift
else
  "$here/install-deps.sh" || exit 1
fi
checks=("$@")
[ ${#checks[@]} -eq 0 ] && checks=(render k8s-schema k8s-policy terraform workflow image negative)

passed=0
failed=0
for check in "${checks[@]}"; do
  if node "$here/checks/$check.mjs"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
