#!/usr/bin/env bash
# Fails when a C++ source under the project's folders differs from what
# .clang-format makes of it, naming the files.
# clang-format gets the files in large batches, two at a time: started once per
# file it spent most of its time starting (750 files took 99 s, now a few).
set -euo pipefail
root="$1"
cd "$root"
mapfile -t files < <(find messages actors persistence cluster runtime http-edge tools tests \
  \( -name node_modules -o -path tests/arch/fixtures \) -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
# --dry-run --Werror reports each difference as "FILE:LINE:COL: error: ..."
# and exits non-zero; anything else on stderr (a file it cannot read) is a
# failure of its own.
report=$(printf '%s\0' "${files[@]}" | xargs -0 -n 64 -P 2 clang-format --dry-run --Werror 2>&1 >/dev/null) && status=0 || status=$?
mapfile -t bad < <(grep -oE '^[^:]+:[0-9]+:[0-9]+: error: code should be clang-formatted' <<<"$report" | cut -d: -f1 | sort -u)
for f in "${bad[@]}"; do
  echo "not formatted: $f (run: clang-format -i $f)"
done
echo "check_format: ${#files[@]} files checked, ${#bad[@]} not formatted"
if [ "$status" -ne 0 ] && [ "${#bad[@]}" -eq 0 ]; then
  echo "$report"
  echo "check_format: clang-format failed (exit $status)"
fi
[ "$status" -eq 0 ]
