#!/usr/bin/env bash
# Starts the local stack in a throw-away directory, checks each server answers
# on its loopback port (JetStream enabled), stops it, and checks it is gone.
set -euo pipefail
stack="$1"
dir="$(mktemp -d)"
trap '"$stack" destroy "$dir" >/dev/null 2>&1 || true' EXIT

"$stack" start "$dir" >/dev/null
# shellcheck source=/dev/null
source "$dir/env"

psql "$TASKFLOW_POSTGRES" -qtAc "SELECT 'postgres ok'" | grep -qx 'postgres ok'
[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping)" = PONG ]
# The INFO line a NATS server greets clients with says whether JetStream is on.
exec 3<>"/dev/tcp/127.0.0.1/$NATS_PORT"
read -r -t 5 greeting <&3
exec 3<&-
case "$greeting" in
  INFO*'"jetstream":true'*) ;;
  *) echo "nats-server greeting lacks JetStream: $greeting" >&2; exit 1 ;;
esac
for port in "$PG_PORT" "$REDIS_PORT" "$NATS_PORT"; do
  case "$(ss -Htln "sport = :$port")" in
    *127.0.0.1:"$port"*) ;;
    *) echo "port $port is not bound to 127.0.0.1 only" >&2; exit 1 ;;
  esac
done

"$stack" stop "$dir"
sleep 0.5
for port in "$PG_PORT" "$REDIS_PORT" "$NATS_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "a server still listens on $port after stop" >&2; exit 1
  fi
done
echo "local stack: postgres, redis and nats-server started on loopback and stopped"
