#!/usr/bin/env bash
# Fails when a C++ source under the project's folders differs from what
# .clang-format makes of it, naming the files.
set -euo pipefail
root="$1"
cd "$root"
mapfile -t files < <(find messages actors persistence cluster runtime http-edge tools tests \
  \( -name node_modules -o -path tests/arch/fixtures \) -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
bad=0
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f (run: clang-format -i $f)"
    bad=$((bad + 1))
  fi
done
echo "check_format: ${#files[@]} files checked, $bad not formatted"
[ "$bad" -eq 0 ]
