#!/usr/bin/env bash
# One bounded libFuzzer pass: the target explores from a scratch copy of its
# seeds (libFuzzer adds what it finds to the first corpus directory, and the
# seeds in the tree stay as they are) for SECONDS, with leak detection on.
# Used by the `fuzz` test label and by tools/fuzz.
# Usage: fuzz_pass.sh FUZZER SEED_DIR SECONDS [libFuzzer option ...]
# A finding is written to $TASKFLOW_FUZZ_ARTIFACTS (default: the current
# directory) as <target>-crash-<sha1>, -leak- or -timeout-, and the exit code
# is non-zero. The last line sums the pass up.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 FUZZER SEED_DIR SECONDS [libFuzzer option ...]" >&2; exit 2; }
fuzzer="$1" seeds="$2" seconds="$3"
shift 3
name="$(basename "$fuzzer")"
artifacts="${TASKFLOW_FUZZ_ARTIFACTS:-$PWD}"
mkdir -p "$artifacts"
work="$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cp "$seeds"/* "$work/corpus/"
seed_count=$(find "$work/corpus" -type f | wc -l)

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
started=$SECONDS
# -rss_limit_mb: a parser that balloons on one input is a finding, not a slow test.
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -error_exitcode=77 -timeout_exitcode=78 \
  -detect_leaks=1 -print_final_stats=1 -artifact_prefix="$artifacts/$name-" "$@" "$work/corpus" \
  >"$work/log" 2>&1 || status=$?

stat() { sed -n "s/^stat::$1: *//p" "$work/log" | tail -1; }
runs="$(stat number_of_executed_units)"
if [ "$status" -ne 0 ] || [ -z "$runs" ]; then
  # What libFuzzer and the sanitizers said about the finding.
  tail -n 60 "$work/log" >&2
  echo "$name: FAILED (exit $status) after ${runs:-?} executions; input saved under $artifacts/$name-*" >&2
  exit $(( status == 0 ? 1 : status ))
fi
corpus=$(find "$work/corpus" -type f | wc -l)
# Options such as -runs=N can end the pass before SECONDS.
printf '%s: %s executions in %ss, %s exec/s, corpus %s inputs (%s seeds), peak RSS %s MB: clean\n' \
  "$name" "$runs" "$((SECONDS - started))" "$(stat average_exec_per_sec)" "$corpus" "$seed_count" "$(stat peak_rss_mb)"
