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
started=$(date +%s)
[ "$(id -u)" = 0 ] || { echo "docker-smoke: must run as root (it starts dockerd); try: sudo $0" >&2; exit 2; }

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
jdk=${TEMURIN_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ -x "$jdk/bin/jlink" ] || { echo "docker-smoke: no JDK 25 at $jdk; set TEMURIN_HOME to a JDK >= 25" >&2; exit 2; }

# DOCKER_SMOKE_DATA_ROOT: a folder that outlives the checkout (a CI clone is fresh every run) keeps the cache.
data_root=${DOCKER_SMOKE_DATA_ROOT:-"$top/.cache/docker"}
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

fail() { echo "docker-smoke: $*" >&2; exit 1; }
# bubblewrap makes user, pid and mount namespaces and mounts a fresh /proc: Docker's default seccomp profile refuses
# the first (without CAP_SYS_ADMIN), its masked /proc paths the last; AppArmor (where the host has it) refuses mounts.
sandbox_opts=(--security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined)

phase "image"
docker image inspect runner --format 'size {{.Size}} bytes, entrypoint {{json .Config.Entrypoint}}, user {{.Config.User}}'
docker history runner --format '{{.Size}}\t{{.CreatedBy}}' | awk -F'\t' '$1 != "0B" {print "  " $1 "\t" substr($2, 1, 90)}'
[ "$(docker image inspect runner --format '{{.Config.User}}')" = runner ] || fail "the image does not run as user runner"

phase "runner --version in the container (median of $runs)"
# Inside one container, so the figure is the runner's start, not docker run's (which is measured after).
docker run --rm --network none --entrypoint bash runner -c "
  for i in \$(seq $runs); do s=\$(date +%s%N); runner --version >/dev/null; e=\$(date +%s%N); echo \$(( (e - s) / 1000000 )); done
  " | sort -n | awk '{a[NR]=$1} END {print "runner --version: " a[int((NR+1)/2)] " ms median in the container (min " a[1] ", max " a[NR] ")"}'
times=()
for _ in $(seq "$runs"); do
  s=$(date +%s%N); docker run --rm --network none runner --version >/dev/null; e=$(date +%s%N)
  times+=($(( (e - s) / 1000000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "docker run --rm runner --version: " a[int((NR+1)/2)] " ms median"}'

# A checkout owned by another uid than the image's user (10001), as a CI host's bind mount is.
owner=4242
checkout="$tmp/checkout"
mkdir -p "$checkout"
cp "$top/schemas/examples/repo-summary.json" "$checkout/s.json"
printf 'print("hello")\n' >"$checkout/main.py"
git -C "$checkout" init -q
git -C "$checkout" -c user.name=smoke -c user.email=smoke@example.com add -A
git -C "$checkout" -c user.name=smoke -c user.email=smoke@example.com commit -q -m "a commit"
chown -R "$owner:$owner" "$checkout"
chmod -R go-w "$checkout"

phase "docker run without the sandbox options: refused before any work, naming them"
code=0
(cd "$checkout" && OPENAI_API_KEY=sk-smoke-not-a-key timeout 120 \
  docker run --rm -v "$PWD:/workspace" -e OPENAI_API_KEY runner exec --output-schema s.json "task") \
  >"$tmp/readme.out" 2>"$tmp/readme.err" || code=$?
echo "exit $code: $(grep -m1 '^runner:' "$tmp/readme.err" | cut -c1-160)"
if [ "$code" != 2 ] || ! grep -q 'security-opt seccomp=unconfined' "$tmp/readme.err"; then
  fail "expected exit 2 naming the Docker options (the default sandbox cannot start under Docker's defaults):
$(cat "$tmp/readme.err")"
fi

phase "README's docker run as written, --user \$(id -u):\$(id -g) being the checkout's owner"
# README: docker run --rm <the three --security-opt> --user "$(id -u):$(id -g)" -v "$PWD:/workspace" -e OPENAI_API_KEY
#   runner exec --output-schema s.json "task"
# no network here, so it must get as far as connecting to the API (exit 4)
code=0
(cd "$checkout" && OPENAI_API_KEY=sk-smoke-not-a-key timeout 300 docker run --rm "${sandbox_opts[@]}" \
  --user "$owner:$owner" -v "$PWD:/workspace" -e OPENAI_API_KEY runner exec --output-schema s.json "task") \
  >"$tmp/readme2.out" 2>"$tmp/readme2.err" || code=$?
echo "exit $code: $(grep -m1 '^runner:' "$tmp/readme2.err" | cut -c1-160)"
[ "$code" = 4 ] || fail "expected exit 4 (no network to reach the API), got $code: $(cat "$tmp/readme2.err")"
grep -q 'sk-smoke-not-a-key' "$tmp/readme2.err" && fail "the API key was printed"
grep -q 'warning' "$tmp/readme2.err" && fail "README's docker run warned: $(grep warning "$tmp/readme2.err")"

phase "exec on the emulator, default read-only sandbox, image user against the other uid's checkout"
code=0
docker run --rm "${sandbox_opts[@]}" -v "$checkout:/workspace" runner exec --provider emulator \
  --output-schema s.json "Summarize this repository" >"$tmp/ro.out" 2>"$tmp/ro.err" || code=$?
[ "$code" = 0 ] || fail "read-only exec on the emulator failed ($code): $(cat "$tmp/ro.err")"
grep -q 'git ls-files.*-> exit 0' "$tmp/ro.err" || fail "no git command ran: $(cat "$tmp/ro.err")"
node -e '
  const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  if (a.file_count !== 2 || !a.files.includes("main.py")) { console.error("unexpected answer " + JSON.stringify(a)); process.exit(1); }
' "$tmp/ro.out" || fail "the answer does not list the checkout's two tracked files"
# git itself, as the image user, in the other uid's checkout (safe.directory)
docker run --rm -v "$checkout:/workspace" --entrypoint git runner log --oneline -1 >"$tmp/git.out" 2>&1 \
  || fail "git refuses the checkout as the image user: $(cat "$tmp/git.out")"
echo "read-only: answer $(head -c 200 "$tmp/ro.out"); git log as uid 10001: $(cat "$tmp/git.out")"

phase "workspace-write: the image user cannot write another uid's checkout; --user of its owner can"
cat >"$tmp/plan.json" <<'JSON'
{"turns":[{"patch":"*** Begin Patch\n*** Add File: notes.txt\n+written in the container\n*** End Patch"},{"final":"done"}]}
JSON
chmod 644 "$tmp/plan.json"
code=0
docker run --rm "${sandbox_opts[@]}" -v "$checkout:/workspace" -v "$tmp/plan.json:/plan.json:ro" runner exec \
  --provider emulator -c emulator.scenario=/plan.json --full-auto "write" >"$tmp/ww1.out" 2>"$tmp/ww1.err" || code=$?
[ ! -e "$checkout/notes.txt" ] || fail "uid 10001 wrote into uid $owner's checkout"
echo "as uid 10001: exit $code, $(grep -m1 'apply_patch' "$tmp/ww1.err" | cut -c1-140)"
code=0
docker run --rm "${sandbox_opts[@]}" --user "$owner:$owner" -v "$checkout:/workspace" \
  -v "$tmp/plan.json:/plan.json:ro" runner exec --provider emulator -c emulator.scenario=/plan.json --full-auto \
  "write" >"$tmp/ww2.out" 2>"$tmp/ww2.err" || code=$?
if [ "$code" != 0 ] || [ "$(cat "$checkout/notes.txt" 2>/dev/null)" != "written in the container" ]; then
  fail "--user $owner:$owner could not write its own checkout ($code): $(cat "$tmp/ww2.err")"
fi
[ "$(stat -c %u "$checkout/notes.txt")" = "$owner" ] || fail "notes.txt is not owned by $owner"
echo "as --user $owner:$owner: exit 0, notes.txt written and owned by $owner"

phase "orphans reaped: tini is PID 1"
docker run --rm --entrypoint tini runner -- bash -c '
  sh -c "sleep 0.2 & exit 0"     # the sleep is orphaned: PID 1 inherits it
  sleep 1
  zombies=$(grep -l "^State:.Z" /proc/[0-9]*/status 2>/dev/null | wc -l)
  echo "PID 1: $(cat /proc/1/comm), zombies left: $zombies"
  [ "$zombies" = 0 ]' || fail "an orphan was left a zombie"
[ "$(docker image inspect runner --format '{{index .Config.Entrypoint 0}}')" = tini ] \
  || fail "the image's entrypoint is not tini"
phase "done"
echo "docker-smoke: ok in $(( $(date +%s) - started )) s"
