# shellcheck shell=bash
# Sourced by the benchmarks: starts one Release node on a free loopback port
# with a throw-away data directory, and stops it (and removes the directory)
# when the script exits, signed in as a bootstrap admin with rate limits off
# (a benchmark is one principal on one IP). Sets `work`, `server`, `port` and
# exports TASKFLOW_TOKEN, which the wrk scripts send as a Bearer token.
# TASKFLOW_BIN names the binary (default build/bin/taskflow).
#
#   start_node [extra taskflow serve flags...]
start_node() {
  work="$(mktemp -d)"
  trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
  # Per-request log lines are info level, the production default; they go to
  # a file, where the node also logs the port it bound.
  TASKFLOW_BOOTSTRAP_ADMIN="bench@taskflow.local:bench-password" \
    "${TASKFLOW_BIN:-build/bin/taskflow}" serve --listen 127.0.0.1:0 --data-dir "$work/data" --rate-limit-principal 0 \
    --rate-limit-ip 0 --rate-limit-auth 0 "$@" 2>"$work/server.log" &
  server=$!
  port=""
  for _ in $(seq 100); do
    port="$(grep -o '"address":"127.0.0.1:[0-9]*"' "$work/server.log" | head -1 | grep -o '[0-9]*"$' | tr -d '"' || true)"
    if [ -n "$port" ]; then
      TASKFLOW_TOKEN="$(curl -s -X POST "http://127.0.0.1:$port/api/v1/sessions" -H 'Content-Type: application/json' \
        -d '{"email":"bench@taskflow.local","password":"bench-password"}' \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
      export TASKFLOW_TOKEN
      return 0
    fi
    sleep 0.05
  done
  echo "server did not start: $(cat "$work/server.log")" >&2
  exit 1
}
