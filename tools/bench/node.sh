# Sourced by the benchmarks: starts one Release node on a free loopback port
# with a throw-away data directory, and stops it (and removes the directory)
# when the script exits. Sets `work`, `server` and `port`.
#
#   start_node [extra taskflow serve flags...]
start_node() {
  work="$(mktemp -d)"
  trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
  # Per-request log lines are info level, the production default; they go to
  # a file, where the node also logs the port it bound.
  build/bin/taskflow serve --listen 127.0.0.1:0 --data-dir "$work/data" "$@" 2>"$work/server.log" &
  server=$!
  port=""
  for _ in $(seq 100); do
    port="$(grep -o '"address":"127.0.0.1:[0-9]*"' "$work/server.log" | head -1 | grep -o '[0-9]*"$' | tr -d '"' || true)"
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  echo "server did not start: $(cat "$work/server.log")" >&2
  exit 1
}
