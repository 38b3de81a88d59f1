#!/usr/bin/env bash
# The steps of the container image, one subcommand each. The Dockerfile runs nothing else, and
# tests/deploy runs the cheap ones on every test run (see docs/deployment.md), so the image
# recipe is exercised even where no Docker engine can build it.
#
#   steps.sh build-deps                 packages to compile (tools/deps/install build)
#   steps.sh build OUT                  Release build with tools/build; binaries copied to OUT
#   steps.sh runtime-deps               packages the binaries need at run time, apt lists dropped
#   steps.sh user [--prefix DIR]        the unprivileged user and its data dir (under DIR if given)
#   steps.sh healthcheck                GET /healthz on the port of TASKFLOW_LISTEN
#   steps.sh check-packages GROUP...    every package of those groups exists in the apt sources
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
uid=10001
data_dir=/var/lib/taskflow

packages_of() {
  awk -v groups=" $* " '$1 !~ /^#/ && NF >= 2 && index(groups, " " $2 " ") { print $1 }' "$root/tools/deps/packages.txt"
}

case "${1:-}" in
  build-deps)
    "$root/tools/deps/install" build
    ;;
  build)
    out="${2:?steps.sh build: output directory required}"
    # The image needs the server, not the test binaries.
    "$root/tools/build" --type Release --dir "$root/build" -- -DTASKFLOW_BUILD_TESTS=OFF
    mkdir -p "$out"
    for binary in taskflow taskflowctl; do
      if [ -x "$root/build/bin/$binary" ]; then
        install -m 0755 --strip "$root/build/bin/$binary" "$out/$binary"
      fi
    done
    [ -x "$out/taskflow" ] || { echo "steps.sh build: no build/bin/taskflow" >&2; exit 1; }
    ;;
  runtime-deps)
    "$root/tools/deps/install" runtime
    apt-get clean
    rm -rf /var/lib/apt/lists/*
    ;;
  user)
    base=""
    if [ "${2:-}" = "--prefix" ]; then base="${3:?steps.sh user: --prefix needs a directory}"; fi
    prefix=()
    if [ -n "$base" ]; then prefix=(--prefix "$base"); fi
    # A fixed uid above the system range, so Kubernetes' runAsUser can name it.
    groupadd "${prefix[@]}" --gid "$uid" taskflow
    useradd "${prefix[@]}" --uid "$uid" --gid "$uid" --no-create-home --no-log-init \
      --home-dir "$data_dir" --shell /usr/sbin/nologin taskflow
    install -d -m 0750 -o "$uid" -g "$uid" "$base$data_dir"
    ;;
  healthcheck)
    listen="${TASKFLOW_LISTEN:-127.0.0.1:8080}"
    # Whatever address the server binds, it answers on loopback inside its own container.
    exec curl --fail --silent --show-error --max-time 2 --output /dev/null "http://127.0.0.1:${listen##*:}/healthz"
    ;;
  check-packages)
    shift
    [ $# -gt 0 ] || { echo "steps.sh check-packages: name at least one group" >&2; exit 2; }
    mapfile -t wanted < <(packages_of "$@")
    [ ${#wanted[@]} -gt 0 ] || { echo "steps.sh check-packages: no packages in groups [$*]" >&2; exit 1; }
    # One apt-cache call for all: loading the package lists is what takes the time.
    found=" $(apt-cache show --no-all-versions "${wanted[@]}" 2>/dev/null | awk '/^Package: / { printf "%s ", $2 }')"
    missing=()
    for pkg in "${wanted[@]}"; do
      case "$found" in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "steps.sh check-packages: not in the apt sources: ${missing[*]}" >&2
      exit 1
    fi
    echo "steps.sh check-packages: ${#wanted[@]} packages of [$*] available"
    ;;
  *)
    echo "usage: steps.sh build-deps | build OUT | runtime-deps | user [--prefix DIR] | healthcheck | check-packages GROUP..." >&2
    exit 2
    ;;
esac
