#!/usr/bin/env bash
# Builds the real Dockerfile with a Docker engine this script starts itself, then checks the image as users run it.
# Docker Hub is not reachable here, so the base images are made locally: `debootstrap --variant=minbase bookworm`
# imported as debian:bookworm-slim, and that plus this machine's Temurin 25 JDK as eclipse-temurin:25-jdk.
# The daemon runs without a bridge or iptables rules (containers use --network host or none), with its sockets and
# pidfile in a temporary folder and its data-root in .cache/docker (git- and docker-ignored), so base images and
# build layers are reused by the next run. The daemon is stopped on every exit path.
#   ci/docker-smoke.sh            (as root; installs docker.io and debootstrap when missing)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-10}
[ "$(id -u)" = 0 ] || { echo "docker-smoke: must run as root (it starts dockerd); try: sudo $0" >&2; exit 2; }

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
jdk=${TEMURIN_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$jdk/bin/jlink" ] || { echo "docker-smoke: no JDK 25 at $jdk; set TEMURIN_HOME to a JDK >= 25" >&2; exit 2; }

data_root="$top/.cache/docker"
tmp=$(mktemp -d /tmp/docker-smoke.XXXXXX)
mkdir -p "$data_root"
export DOCKER_HOST="unix://$tmp/docker.sock"
daemon_pid=""
stop_daemon() {
  local status=$?
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.2; done # up to 30 s
    if kill -0 "$daemon_pid" 2>/dev/null; then
      echo "docker-smoke: dockerd did not stop in 30 s; killing it" >&2
      kill -KILL "$daemon_pid" 2>/dev/null || true
    fi
    wait "$daemon_pid" 2>/dev/null || true
  fi
  # The exec-root holds the daemon's mounts (netns files): unmount what is left before removing it.
  grep -o " $tmp/[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$tmp"
  exit "$status"
}
trap stop_daemon EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== dockerd (data-root $data_root)"
dockerd --bridge=none --iptables=false --ip6tables=false --data-root "$data_root" --exec-root "$tmp/exec" \
  --pidfile "$tmp/dockerd.pid" -H "$DOCKER_HOST" >"$tmp/dockerd.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 300); do # up to 60 s on a busy machine
  docker version >/dev/null 2>&1 && break
  kill -0 "$daemon_pid" 2>/dev/null || { echo "docker-smoke: dockerd exited:" >&2; tail -20 "$tmp/dockerd.log" >&2; exit 1; }
  sleep 0.2
done
docker version --format 'docker {{.Server.Version}}, storage {{.Server.Os}}' || {
  echo "docker-smoke: dockerd did not answer in 60 s:" >&2; tail -20 "$tmp/dockerd.log" >&2; exit 1; }

phase() { # name: prints the seconds since the last phase
  local now; now=$(date +%s)
  echo "== $1 (previous step: $(( now - ${phase_start:-now} )) s)"
  phase_start=$now
}

phase "base images (made locally: Docker Hub is not reachable)"
if ! docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
  debootstrap --variant=minbase bookworm "$tmp/rootfs" http://deb.debian.org/debian >"$tmp/debootstrap.log" 2>&1 || {
    echo "docker-smoke: debootstrap failed:" >&2; tail -20 "$tmp/debootstrap.log" >&2; exit 1; }
  rm -rf "$tmp"/rootfs/var/lib/apt/lists/* "$tmp"/rootfs/var/cache/apt/*.bin
  tar -C "$tmp/rootfs" -c . | docker import -c 'CMD ["bash"]' - debian:bookworm-slim >/dev/null
  rm -rf "$tmp/rootfs"
  echo "debian:bookworm-slim imported from debootstrap --variant=minbase bookworm"
fi
if ! docker image inspect eclipse-temurin:25-jdk >/dev/null 2>&1; then
  mkdir -p "$tmp/temurin/local-ca"
  cp -a "$jdk" "$tmp/temurin/jdk"
  # A Debian JDK's cacerts is a link into /etc/ssl/certs: the image gets the file itself.
  cp --remove-destination "$(readlink -f "$jdk/lib/security/cacerts")" "$tmp/temurin/jdk/lib/security/cacerts"
  # The stand-in trusts the CAs this machine added (a TLS-inspecting egress proxy's, for one): without them the
  # Maven wrapper's download in the Dockerfile fails here. An image from Docker Hub would need the same where such a
  # proxy is in the way.
  cp /usr/local/share/ca-certificates/*.crt "$tmp/temurin/local-ca/" 2>/dev/null || true
  # As the official image: JAVA_HOME=/opt/java/openjdk, curl and certificates for the Maven wrapper, binutils for jlink.
  cat >"$tmp/temurin/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl binutils \
 && rm -rf /var/lib/apt/lists/*
COPY local-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
COPY jdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOCKERFILE
  docker build -q --network host -t eclipse-temurin:25-jdk "$tmp/temurin" >/dev/null
  rm -rf "$tmp/temurin"
  echo "eclipse-temurin:25-jdk built from debian:bookworm-slim + $jdk"
fi

phase "docker build -t runner . (the real Dockerfile, --network host)"
docker build --network host -t runner "$top" >"$tmp/build.log" 2>&1 || {
  echo "docker-smoke: docker build failed:" >&2; tail -40 "$tmp/build.log" >&2; exit 1; }
docker image ls runner --format 'image runner: {{.Size}}'

if [ -n "${DOCKER_SMOKE_BUILD_ONLY:-}" ]; then exit 0; fi
