#!/usr/bin/env bash
# Benchmarks the runner against codex-cli 0.169.0 on `runner emulator` (issue 6). See README, "Performance".
#
#   ci/bench.sh [--quick] [--runs N] [--full-matrix] [--no-codex] [--out DIR]
#
#   (default)      tools:1,5,20,40 at zero latency and tools:5,40 with the realistic profile (sandbox off only),
#                  5 runs each, plus a start-up phase; it prints its expected duration (20-30 minutes on 2 cores).
#   --full-matrix  the issue's whole matrix: realistic latency also for tools:1,20 and with the sandboxes on (~45 min)
#   --quick        smoke run: tools:1,5 at zero latency, tools:5 realistic, 1 run each (~3 min; --no-codex ~1.5 min)
#   --runs N       runs per cell and client (default 5; --quick: 1)
#   --no-codex     runner only (no node/npm needed)
#   --out DIR      where results go (default runner/target/bench)
#
# Clients, interleaved within each cell (one emulator per scenario x latency, since both are fixed when the emulator
# starts): runner --transport websocket|http with -s danger-full-access (sandbox off) and -s workspace-write
# (bubblewrap, on); codex exec with supports_websockets true|false, --dangerously-bypass-approvals-and-sandbox (off)
# and --sandbox workspace-write (on). Runner sessions use the jlink'd image with its AOT cache
# (runner/target/image, built by ci/build-runtime.sh when missing or older than the jar or the launcher).
# Writes DIR/runs.jsonl (one line per session, raw emulator stats), DIR/results.json and DIR/results.md, and prints
# the tables. Needs a prior `./mvnw -B -q package -DskipTests`. Exits non-zero naming the first failed session.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/codex-config.sh
. "$top/ci/lib/codex-config.sh"
cd "$top"
quick=0 runs="" full=0 codex_on=1 out="$top/runner/target/bench"
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --full-matrix) full=1 ;;
    --no-codex) codex_on=0 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option '$1' (see ci/bench.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

fail() { echo "bench: FAIL: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

jar="$top/runner/target/runner.jar"
[ -f "$jar" ] && [ -x "$top/runner/target/runner" ] \
  || fail "no build found at runner/target/runner.jar; build first with: ./mvnw -B -q package -DskipTests"
command -v curl >/dev/null 2>&1 || fail "curl is required"
command -v node >/dev/null 2>&1 || fail "node (>= 20) is required for the report (and for codex)"
command -v bwrap >/dev/null 2>&1 || fail "bubblewrap is required for the sandbox-on runs: apt-get install bubblewrap"

# --- the runner image (jlink + AOT cache) and a copy of it without the cache ------------------------------------
image="$top/runner/target/image"
launcher="$top/runner/src/main/launcher/runner"
if [ ! -x "$image/runner" ] || [ ! -f "$image/runner.aot" ] || [ "$jar" -nt "$image/runner.jar" ] ||
  [ "$launcher" -nt "$image/runner" ]; then
  note "building the runner image with its AOT cache (ci/build-runtime.sh runner/target/image)"
  "$top/ci/build-runtime.sh" "$image" >&2 || fail "ci/build-runtime.sh failed"
fi
mkdir -p "$out" && out=$(cd "$out" && pwd)
noaot="$out/image-noaot" # the same installation with runner.aot left out: symlinks, the launcher copied
rm -rf "$noaot" && mkdir -p "$noaot"
ln -s "$image/runner.jar" "$noaot/runner.jar" && ln -s "$image/lib" "$noaot/lib" && ln -s "$image/runtime" "$noaot/runtime"
cp "$image/runner" "$noaot/runner"

# --- codex (installed once into .cache/npm, as ci/conformance-clients.sh does) ------------------------------------
codex_version=0.169.0
npm_dir="$top/.cache/npm"
codex="$npm_dir/node_modules/.bin/codex"
if [ "$codex_on" = 1 ]; then
  command -v npm >/dev/null 2>&1 || fail "npm is required for codex (or pass --no-codex)"
  if [ ! -f "$npm_dir/node_modules/@openai/codex/package.json" ] \
      || [ "$(node -p "require('$npm_dir/node_modules/@openai/codex/package.json').version")" != "$codex_version" ]; then
    note "installing @openai/codex@$codex_version into $npm_dir"
    mkdir -p "$npm_dir"
    [ -f "$npm_dir/package.json" ] || echo '{"name":"runner-conformance-clients","private":true}' >"$npm_dir/package.json"
    (cd "$npm_dir" && npm install --no-audit --no-fund --loglevel=error "@openai/codex@$codex_version" >/dev/null) \
      || fail "npm install @openai/codex@$codex_version failed (network or registry problem?)"
  fi
  [ -x "$codex" ] || fail "codex binary missing at $codex"
fi

# --- the plan ---------------------------------------------------------------------------------------------------
# A cell is scenario x latency; its clients run interleaved, round after round, against one emulator.
if [ "$quick" = 1 ]; then
  runs=${runs:-1}
  cells=("1 zero" "5 zero" "5 realistic")
else
  runs=${runs:-5}
  cells=("1 zero" "5 zero" "20 zero" "40 zero" "5 realistic" "40 realistic")
  [ "$full" = 1 ] && cells=("1 zero" "5 zero" "20 zero" "40 zero" "1 realistic" "5 realistic" "20 realistic" "40 realistic")
fi
clients_for() { # latency -> client ids (client:transport:sandbox)
  local list=(runner:websocket:off runner:http:off)
  [ "$codex_on" = 1 ] && list+=(codex:websocket:off codex:http:off)
  if [ "$1" = zero ] || [ "$full" = 1 ]; then
    list+=(runner:websocket:on runner:http:on)
    [ "$codex_on" = 1 ] && list+=(codex:websocket:on codex:http:on)
  fi
  echo "${list[@]}"
}
startup_clients=(runner-aot:websocket:off runner-aot:http:off runner-noaot:websocket:off runner-noaot:http:off)
[ "$codex_on" = 1 ] && startup_clients+=(codex:websocket:off codex:http:off)
startup_runs=$(( runs < 3 ? runs : runs + 2 ))

# Rough cost model (seconds per session on a 2-core machine) for the expected duration.
estimate() {
  local total=0 cell size lat c per
  for cell in "${cells[@]}"; do
    read -r size lat <<<"$cell"
    for c in $(clients_for "$lat"); do
      case $c in
        runner:*) per=100 ;; codex:*:off) per=160 ;; *) per=300 ;;
      esac
      [ "$lat" = realistic ] && per=$(( per + 600 ))
      total=$(( total + (runs + 1) * (2000 + size * per) )) # + 1: the warm-up round
    done
  done
  total=$(( total + (startup_runs + 1) * ${#startup_clients[@]} * 2000 ))
  echo $(( total / 1000 ))
}
est=$(estimate)
note "plan: cells [$(printf '%s; ' "${cells[@]}" | sed 's/; $//')] x $runs run(s), start-up phase x $startup_runs; expected ~$(( (est + 59) / 60 )) min"

# --- scratch, emulator, session helpers ---------------------------------------------------------------------------
scratch=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX")
emulator_pid=""
stop_emulator() {
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  emulator_pid=""
}
cleanup() {
  stop_emulator
  if [ "${KEEP_SCRATCH:-0}" = 1 ]; then note "scratch kept in $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

base=""
start_emulator() { # size latency
  stop_emulator
  "$image/runner" emulator --port 0 --no-auth --scenario "tools:$1" --latency "$2" \
    >"$scratch/emulator.out" 2>"$scratch/emulator.err" &
  emulator_pid=$!
  local port=""
  for _ in $(seq 300); do
    if [ -s "$scratch/emulator.out" ]; then
      port=$(head -n 1 "$scratch/emulator.out" | grep -oE '"port": *[0-9]+' | grep -oE '[0-9]+$' || true)
      [ -n "$port" ] && break
    fi
    kill -0 "$emulator_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$scratch/emulator.err" >&2; fail "emulator (tools:$1, $2) did not print its port"; }
  base="http://127.0.0.1:$port"
  # Runner config: a custom provider on this emulator, retries off so a fault is visible rather than hidden.
  mkdir -p "$scratch/runner-home"
  cat >"$scratch/runner-home/config.toml" <<TOML
model = "mock-model"

[model_providers.bench]
name = "bench emulator"
base_url = "$base/v1"
env_key = "BENCH_API_KEY"
supports_websockets = true
request_max_retries = 0
stream_max_retries = 0
TOML
  # Baseline: what one reset + stats exchange itself adds to the counters (subtracted in the report).
  reset_stats
  baseline=$(stats)
}
# /emulator/* need a bearer token (any non-empty value), also under --no-auth
admin_auth="Authorization: Bearer emulator-admin"
stats() { curl -fsS --max-time 10 -H "$admin_auth" "$base/emulator/stats" || fail "GET /emulator/stats failed"; }
reset_stats() { curl -fsS --max-time 10 -H "$admin_auth" -X POST "$base/emulator/reset" >/dev/null || fail "POST /emulator/reset failed"; }

codex_home() { # transport -> prints CODEX_HOME for it (made once per emulator)
  local d="$scratch/codex-home-$1" ws=false
  [ "$1" = websocket ] && ws=true
  mkdir -p "$d"
  codex_config "$d/config.toml" "$base" "$ws" BENCH_API_KEY
  echo "$d"
}

# One session: prints nothing, appends one JSON line to runs.jsonl. Timestamps in epoch microseconds.
session() { # phase size latency client round
  local phase=$1 size=$2 lat=$3 client=$4 round=$5
  local kind transport sandbox
  IFS=: read -r kind transport sandbox <<<"$client"
  local run="$scratch/run" rc=0 start end timer=()
  rm -rf "$run" && mkdir -p "$run/home" "$run/tmp" "$run/work"
  # CPU time of the client and everything it starts (tools, bwrap): load-independent, unlike wall time.
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f '%U %S' -o "$run/cpu.txt")
  reset_stats
  case $kind in
    runner|runner-aot|runner-noaot)
      local exe="$image/runner" mode=danger-full-access
      [ "$kind" = runner-noaot ] && exe="$noaot/runner"
      [ "$sandbox" = on ] && mode=workspace-write
      start=$(date +%s%6N)
      (cd "$run/work" && HOME="$run/home" TMPDIR="$run/tmp" RUNNER_HOME="$scratch/runner-home" \
        CODEX_HOME="$scratch/runner-home" BENCH_API_KEY=bench exec "${timer[@]}" timeout 300 "$exe" exec --provider bench \
        --transport "$transport" -s "$mode" --skip-git-repo-check --metrics "$run/metrics.json" \
        "Run the tools, then answer." </dev/null >"$run/stdout.txt" 2>"$run/stderr.txt") || rc=$?
      end=$(date +%s%6N)
      ;;
    codex)
      local ch mode=(--dangerously-bypass-approvals-and-sandbox)
      ch=$(codex_home "$transport")
      [ "$sandbox" = on ] && mode=(--sandbox workspace-write)
      start=$(date +%s%6N)
      (cd "$run/work" && HOME="$run/home" TMPDIR="$run/tmp" CODEX_HOME="$ch" BENCH_API_KEY=bench exec "${timer[@]}" \
        timeout 300 "$codex" exec --skip-git-repo-check "${mode[@]}" --json "Run the tools, then answer." \
        </dev/null >"$run/stdout.txt" 2>"$run/stderr.txt") || rc=$?
      end=$(date +%s%6N)
      ;;
  esac
  local s; s=$(stats)
  local label="$phase tools:$size $lat $client round $round"
  if [ "$rc" != 0 ]; then
    tail -n 15 "$run/stderr.txt" >&2
    fail "$label exited $rc"
  fi
  # Every tool call must have run and succeeded, else the session did not do the work being timed.
  local done_tools
  if [ "$kind" = codex ]; then
    done_tools=$(grep '"type":"item.completed"' "$run/stdout.txt" | grep '"command_execution"' \
      | grep -c '"exit_code":0' || true)
  else
    done_tools=$(node -e 'const m=require(process.argv[1]); console.log(m.tools.calls - m.tools.errors)' \
      "$run/metrics.json")
  fi
  [ "$done_tools" = "$size" ] || { tail -n 15 "$run/stderr.txt" >&2; fail "$label: $done_tools of $size tool calls succeeded"; }
  local metrics=null cpu=null
  [ -f "$run/metrics.json" ] && metrics=$(tr -d '\n' <"$run/metrics.json")
  [ -s "$run/cpu.txt" ] && cpu=$(awk 'END {printf "%d", ($1 + $2) * 1000}' "$run/cpu.txt")
  printf '{"phase":"%s","size":%s,"latency":"%s","client":"%s","kind":"%s","transport":"%s","sandbox":"%s","round":%s,"cpu_ms":%s,"start_us":%s,"end_us":%s,"stats":%s,"baseline":%s,"metrics":%s}\n' \
    "$phase" "$size" "$lat" "$client" "$kind" "$transport" "$sandbox" "$round" "$cpu" "$start" "$end" "$s" "$baseline" \
    "$metrics" >>"$out/runs.jsonl"
  printf '.' >&2
}

# Round r starts r - 1 clients further down the list, so that no client always runs right after the same one (what a
# session leaves behind, in caches or in the kernel, would weigh on one client only).
rotated() { # round client... -> the clients in this round's order
  local r=$1; shift
  local n=$# i
  local list=("$@")
  for ((i = 0; i < n; i++)); do echo "${list[$(( (i + r - 1) % n ))]}"; done
}

# --- run ------------------------------------------------------------------------------------------------------
: >"$out/runs.jsonl"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
began=$(date +%s)

note "start-up phase: tools:1, zero latency, ${startup_clients[*]}"
start_emulator 1 zero
for c in "${startup_clients[@]}"; do session warmup 1 zero "$c" 0; done # not recorded: see report
for r in $(seq "$startup_runs"); do
  for c in $(rotated "$r" "${startup_clients[@]}"); do session startup 1 zero "$c" "$r"; done
done
echo >&2

for cell in "${cells[@]}"; do
  read -r size lat <<<"$cell"
  read -r -a clients <<<"$(clients_for "$lat")"
  note "tools:$size, $lat latency: ${#clients[@]} clients x $runs round(s)"
  start_emulator "$size" "$lat"
  if [ "$lat" = zero ]; then # one unrecorded session per client warms the emulator's JIT and the page cache
    for c in "${clients[@]}"; do session warmup "$size" "$lat" "$c" 0; done
  fi
  for r in $(seq "$runs"); do
    for c in $(rotated "$r" "${clients[@]}"); do session matrix "$size" "$lat" "$c" "$r"; done
  done
  echo >&2
done
stop_emulator
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

machine=$(node -e '
const os=require("os"); const [lb,la,dur,codex,commit,java]=process.argv.slice(1);
console.log(JSON.stringify({cpu: os.cpus()[0].model, cores: os.cpus().length,
  memory_gb: Math.round(os.totalmem()/2**30), kernel: os.release(), load_before: lb, load_after: la,
  duration_s: +dur, codex: codex, commit: commit, java: java, node: process.version}))' \
  "$load_before" "$load_after" "$(( $(date +%s) - began ))" "$([ "$codex_on" = 1 ] && echo "$codex_version" || echo none)" \
  "$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$("$image/runtime/bin/java" -version 2>&1 | head -n 1)")
echo "$machine" >"$out/machine.json" # node ci/bench/report.cjs DIR/runs.jsonl "$(cat DIR/machine.json)" DIR redoes the report
node "$top/ci/bench/report.cjs" "$out/runs.jsonl" "$machine" "$out"
note "done in $(( $(date +%s) - began )) s (expected ~$est s); results in ${out#"$top"/}/results.{md,json}"
