#!/usr/bin/env bash
# Runs the README's shell examples as a reader would paste them: in order, in
# one shell, against a node of their own (on a free loopback port, with the
# admin login tools/run would have kept in data/bootstrap-admin), so the
# README cannot drift from what the code does. A ```sh block preceded by a
# line "<!-- not run by tests/e2e/readme_examples_test.sh: why -->" is
# skipped (the set-up commands, and the cluster that needs its own servers).
# Every HTTP error fails the run; a stream is read for 3 s.
#   readme_examples_test.sh SOURCE_DIR BIN_DIR
set -euo pipefail

src="$1"
bin="$2"
work="$(mktemp -d "${TMPDIR:-/tmp}/taskflow-readme.XXXXXX")"
node=""
cleanup() {
  [ -n "$node" ] && kill -TERM "$node" 2>/dev/null && wait "$node" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/data" "$work/build"
ln -s "$bin" "$work/build/bin"
printf 'admin@taskflow.local:%s\n' "readme-example-admin-pw" >"$work/data/bootstrap-admin"
(
  cd "$work"
  TASKFLOW_BOOTSTRAP_ADMIN="$(cat data/bootstrap-admin)" exec build/bin/taskflow serve \
    --listen 127.0.0.1:0 --data-dir data --ready-file ready 2>node.log
) &
node=$!
for _ in $(seq 200); do
  [ -s "$work/ready" ] && break
  kill -0 "$node" 2>/dev/null || { cat "$work/node.log" >&2; exit 1; }
  sleep 0.05
done
address="$(sed -n 's/^http=//p' "$work/ready")"
[ -n "$address" ] || { echo "the node did not become ready" >&2; exit 1; }

# The blocks, with the address the README assumes replaced by this node's.
python3 - "$src/README.md" "$address" >"$work/examples.sh" <<'PY'
import re, sys
readme, address = sys.argv[1], sys.argv[2]
lines = open(readme, encoding="utf-8").read().split("\n")
blocks, skip, inside, current, start = [], False, False, [], 0
for number, line in enumerate(lines, 1):
    if not inside and line.startswith("<!-- not run by tests/e2e/readme_examples_test.sh"):
        skip = True
    elif not inside and line.strip() == "```sh":
        inside, current, start = True, [], number
    elif inside and line.strip() == "```":
        inside = False
        if not skip:
            blocks.append((start, current))
        skip = False
    elif inside:
        current.append(line)
print('curl() {')
print('  local a; for a in "$@"; do case "$a" in -*N*) [[ "$a" == --* ]] || { command curl --max-time 3 "$@" || [ $? -eq 28 ]; return; };; esac; done')
print('  command curl --fail-with-body "$@"')
print('}')
for start, body in blocks:
    text = "\n".join(body)
    text = text.replace("http://127.0.0.1:8080", "http://" + address).replace("localhost:8080", address)
    print(f'echo "--- README.md line {start}"')
    print(text)
print(f'echo "--- {len(blocks)} blocks ran"')
PY

cd "$work"
export TASKFLOW_URL="http://$address"
export TASKFLOW_PASSWORD="readme-example-admin-pw"
export TASKFLOW_CREDENTIALS="$work/credentials.json"
bash -euo pipefail examples.sh
echo "README examples: every block ran without an error"
