#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy at the root) over every C++ source of the layer
# folders and tools/, using the build's compile_commands.json. Fails on any
# finding, printing it.
set -euo pipefail
root="$1" build="$2"
cd "$root"
command -v clang-tidy >/dev/null || { echo "clang-tidy is not installed (tools/deps/install test)"; exit 1; }
[ -f "$build/compile_commands.json" ] || { echo "no $build/compile_commands.json"; exit 1; }
mapfile -t files < <(find messages actors persistence cluster runtime http-edge tools -name '*.cpp' | sort)
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
# GCC-only warning flags in compile_commands.json mean nothing to clang.
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option >"$out" 2>/dev/null ||
  true
findings="$(grep -E '^/.*: (warning|error): ' "$out" | sort -u || true)"
count=0
[ -z "$findings" ] || count="$(wc -l <<<"$findings")"
[ -z "$findings" ] || echo "$findings"
echo "check_tidy: ${#files[@]} files checked, $count findings"
[ "$count" -eq 0 ]
