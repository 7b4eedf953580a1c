#!/usr/bin/env bash
# Brings up a real Docker Engine for scalectl's Docker tests, the same way locally and in CI:
# Debian's docker.io, busybox-static and docker-compose; `dockerd --bridge=none --iptables=false`
# in the background; the offline test image scalectl-test/busybox:latest (a `docker import` of a
# busybox-static rootfs); a single-node swarm on 127.0.0.1. Idempotent: an engine that already
# answers `docker info`, an initialised swarm and an existing image are reused.
#
# Run it (`bash .ci/docker-setup.sh`) or source it (`source .ci/docker-setup.sh`); either way it
# exits/returns non-zero with one line naming what failed. The engine keeps running afterwards;
# `bash .ci/docker-setup.sh --stop` stops a dockerd this script started (by its saved PID).
#
# Environment: SCALECTL_DOCKER_STATE (default /tmp/scalectl-docker) holds dockerd.pid and
# dockerd.log; SCALECTL_TEST_IMAGE (default scalectl-test/busybox:latest).

scalectl_docker_setup() (
  set -euo pipefail
  local state="${SCALECTL_DOCKER_STATE:-/tmp/scalectl-docker}"
  local image="${SCALECTL_TEST_IMAGE:-scalectl-test/busybox:latest}"
  local pidfile="$state/dockerd.pid" logfile="$state/dockerd.log"
  mkdir -p "$state"
  say() { echo "docker-setup: $*" >&2; }

  if [ "${1:-}" = "--stop" ]; then
    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      local pid; pid="$(cat "$pidfile")"
      say "stopping dockerd (pid $pid)"
      kill -TERM "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      rm -f "$pidfile"
    else
      say "no dockerd started by this script is running"
    fi
    return 0
  fi

  # 1. Packages: apt-get update once, only when something is missing.
  local missing=()
  for pkg in docker.io busybox-static docker-compose; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >"$state/apt.log" 2>&1 || { tail -20 "$state/apt.log" >&2; say "apt-get update failed"; return 1; }
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$state/apt.log" 2>&1 \
      || { tail -20 "$state/apt.log" >&2; say "apt-get install ${missing[*]} failed (log: $state/apt.log)"; return 1; }
  fi

  # 2. The engine: reuse one that answers, else start dockerd in the background.
  if docker info >/dev/null 2>&1; then
    say "engine already answers docker info; reusing it"
  else
    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      say "dockerd (pid $(cat "$pidfile")) is running but not answering yet; waiting"
    else
      local dockerd_bin; dockerd_bin="$(command -v dockerd || echo /usr/sbin/dockerd)"
      say "starting $dockerd_bin --bridge=none --iptables=false (log: $logfile)"
      # setsid: the engine outlives this shell and a Ctrl-C in it.
      setsid "$dockerd_bin" --bridge=none --iptables=false --ip6tables=false \
        --host=unix:///var/run/docker.sock >"$logfile" 2>&1 </dev/null &
      echo $! >"$pidfile"
    fi
    local ready=0
    for _ in $(seq 1 120); do
      if docker info >/dev/null 2>&1; then ready=1; break; fi
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then break; fi
      sleep 0.5
    done
    if [ "$ready" != 1 ]; then
      tail -30 "$logfile" >&2 || true
      say "dockerd did not answer docker info within 60 s (log: $logfile)"
      return 1
    fi
    say "engine is up (pid $(cat "$pidfile"))"
  fi

  # 3. The test image, built offline from busybox-static.
  if docker image inspect "$image" >/dev/null 2>&1; then
    say "image $image already exists"
  else
    local rootfs; rootfs="$(mktemp -d)"
    mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
    cp /bin/busybox "$rootfs/bin/busybox"
    local applet
    for applet in $("$rootfs/bin/busybox" --list); do
      [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
    echo 'root:x:0:' >"$rootfs/etc/group"
    chmod 1777 "$rootfs/tmp"
    tar -C "$rootfs" -c . | docker import \
      --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' - "$image" >/dev/null
    rm -rf "$rootfs"
    say "built $image from busybox-static"
  fi

  # 4. A single-node swarm on loopback.
  local swarm; swarm="$(docker info --format '{{.Swarm.LocalNodeState}}')"
  if [ "$swarm" = active ]; then
    say "swarm already active"
  else
    # pending/error/locked: a half-made swarm from an earlier run; start it over on this node.
    [ "$swarm" = inactive ] || docker swarm leave --force >/dev/null 2>&1 || true
    docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 >/dev/null
    say "swarm initialised on 127.0.0.1"
  fi
  say "ready: $(docker version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}'), image $image"
)

# Sourced: return the status without `set -e` leaking into the caller. Run: exit with it.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  scalectl_docker_setup "$@"
  return $?
else
  scalectl_docker_setup "$@"
  exit $?
fi
