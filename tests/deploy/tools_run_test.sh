#!/usr/bin/env bash
# tools/run as a user runs it, on the build under test (TASKFLOW_BUILD_DIR):
# the banner comes once the node listens and tells the truth (the address
# --listen gave, the store the node runs on, a login that signs in), Ctrl-C's
# SIGTERM stops the node and the stack, and a taken address is one clear line.
# Usage: tools_run_test.sh ROOT BUILD [--stack]
set -euo pipefail
root="$1" build="$2" mode="${3:-}"
work="$(mktemp -d "${TMPDIR:-/tmp}/taskflow-run-test.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -d "$work/stack" ] && "$root/tools/stack/stack" destroy "$work/stack" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- tools/run printed:"; cat "$work"/*.out 2>/dev/null; exit 1; }
export TASKFLOW_BUILD_DIR="$build"
unset TASKFLOW_BOOTSTRAP_ADMIN TASKFLOW_LISTEN TASKFLOW_DATA_DIR TASKFLOW_POSTGRES TASKFLOW_NATS TASKFLOW_REDIS

args=(--listen 127.0.0.1:0 --data-dir "$work/data")
[ "$mode" = --stack ] && export TASKFLOW_STACK_DIR="$work/stack" && args=(--stack "${args[@]}")
"$root/tools/run" "${args[@]}" >"$work/run.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do
  grep -q '^TaskFlow is listening on ' "$work/run.out" && break
  kill -0 "${pids[0]}" 2>/dev/null || fail "tools/run exited before the node listened"
  sleep 0.2
done
url="$(sed -n 's/^TaskFlow is listening on //p' "$work/run.out")"
[ -n "$url" ] || fail "no banner within 120 s"
echo "banner: $url"

# Once listening: the node's own http_listening line comes before the banner.
listening_line="$(grep -n '"http_listening"' "$work/run.out" | head -1 | cut -d: -f1)"
banner_line="$(grep -n '^TaskFlow is listening on ' "$work/run.out" | cut -d: -f1)"
[ -n "$listening_line" ] && [ "$listening_line" -lt "$banner_line" ] || fail "the banner came before the node listened"
case "$url" in http://127.0.0.1:[1-9]*) ;; *) fail "banner address $url is not the port --listen 127.0.0.1:0 got" ;; esac
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz")" = 200 ] || fail "$url/healthz does not answer"

store="$(sed -n 's/^  store: *//p' "$work/run.out")"
if [ "$mode" = --stack ]; then
  case "$store" in "postgres postgresql://taskflow@127.0.0.1:"*/taskflow) ;; *) fail "store line '$store' is not the stack's PostgreSQL" ;; esac
  grep -q '^  bus: *nats nats://127.0.0.1:[0-9]* *cache: redis redis://127.0.0.1:' "$work/run.out" || fail "bus/cache line"
else
  [ "$store" = "sqlite $work/data/taskflow.db" ] || fail "store line '$store' is not $work/data/taskflow.db"
fi

# The login it prints signs in.
login="$(sed -n 's/^  admin: *//p' "$work/run.out")"
email="${login%% / *}" password="${login#* / }"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url/api/v1/sessions" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}")"
[ "$code" = 201 ] || fail "the printed login did not sign in ($code)"

# A second tools/run on the same address: one line, naming the flag.
"$root/tools/run" --listen "${url#http://}" --data-dir "$work/data2" >"$work/taken.out" 2>&1 && fail "a second node on ${url#http://} started"
grep -qx "taskflow: ${url#http://} is already in use; choose another with --listen HOST:PORT (or TASKFLOW_LISTEN)" \
  "$work/taken.out" || fail "no clear line for the taken address"
grep -q 'TaskFlow is listening' "$work/taken.out" && fail "a banner for a node that did not start"

# The stack's servers, to check afterwards that tools/run stopped them.
servers=()
if [ "$mode" = --stack ]; then
  for pidfile in redis/redis.pid nats/nats.pid; do servers+=("$(cat "$work/stack/$pidfile")"); done
fi

kill -TERM "${pids[0]}"
set +e
wait "${pids[0]}"
status=$?
set -e
pids=()
[ "$status" -eq 0 ] || fail "tools/run exited $status after SIGTERM"
grep -q '"stopped"' "$work/run.out" || fail "the node did not drain and stop"
for pid in "${servers[@]}"; do
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  ! kill -0 "$pid" 2>/dev/null || fail "server $pid of the stack still runs after tools/run exited"
done
echo "tools/run: banner, login, taken address and shutdown as promised"
