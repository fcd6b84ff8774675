#!/usr/bin/env bash
# What the Dockerfile does, outside Docker: jlink + AOT training into
# runner/target/image, then run that installation and measure it.
# Prints the runtime's size and start-up time (runner --version, median of N runs) with and without the AOT cache,
# then builds and runs the Docker image with ci/docker-smoke.sh.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
image="$top/runner/target/image"
runs=${RUNS:-10}

"$top/ci/build-runtime.sh" "$image"

echo "== smoke"
"$image/runner" --version
scratch=$(mktemp -d)
work="$scratch/workspace"
mkdir -p "$work"
trap 'rm -rf "$scratch"' EXIT
export RUNNER_HOME="$scratch/home" CODEX_HOME="$scratch/home"
# The README's command 1 against the installation: it must succeed and print JSON with the schema's fields.
if ! "$image/runner" exec --provider emulator --skip-git-repo-check -s danger-full-access -C "$work" \
    --output-schema "$top/schemas/examples/repo-summary.json" "Summarize this folder" 2>"$scratch/exec.err" \
    >"$scratch/exec.out"; then
  echo "image-smoke: exec on the emulator failed:" >&2; cat "$scratch/exec.err" >&2; exit 1
fi
node -e '
  const fs = require("fs");
  const answer = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const missing = ["summary", "file_count", "files", "languages"].filter((k) => !(k in answer));
  if (missing.length) { console.error("image-smoke: answer lacks " + missing.join(", ")); process.exit(1); }
' "$scratch/exec.out"
grep -q "^runner: done" "$scratch/exec.err" || { echo "image-smoke: no timing summary on stderr" >&2; exit 1; }
echo "exec on the emulator printed: $(head -c 300 "$scratch/exec.out")"

median_ms() { # command... ; prints the median wall time in ms over $runs runs
  local times=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

echo "== measurements ($runs runs each, median)"
size=$(du -sh "$image/runtime" | cut -f1)
with=$(median_ms "$image/runner" --version)
mv "$image/runner.aot" "$image/runner.aot.off"
without=$(median_ms "$image/runner" --version)
mv "$image/runner.aot.off" "$image/runner.aot"
echo "runtime size: $size (jlink'd), whole install: $(du -sh "$image" | cut -f1)"
echo "start-up (runner --version): ${with} ms with AOT cache, ${without} ms without"

# The same, for real: the Dockerfile built and run by a Docker engine this script starts (it needs root).
echo "== docker"
if [ "$(id -u)" = 0 ]; then "$top/ci/docker-smoke.sh"; else sudo "$top/ci/docker-smoke.sh"; fi
