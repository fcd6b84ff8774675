#!/usr/bin/env bash
# Benchmarks the runner against codex-cli 0.169.0 on `runner emulator` and regenerates ci/bench/RESULTS.md.
#
#   ci/bench.sh [--quick] [--runs N] [--full-matrix] [--no-codex] [--plan] [--out DIR]
#   ci/bench.sh --batch [--quick] [--tasks N] [--no-codex] [--out DIR]
#
#   --batch        `runner batch` at scale instead (ci/bench/batch.sh, see its --help): 1,000-task rows against the
#                  goals of issue 22, ~10 min on 2 idle cores (--quick: 200 tasks, no codex); rewrites the
#                  batch section of ci/bench/RESULTS.md
#
#   (default)      what README's Performance summary needs, ~20-25 minutes on 2 cores: a start-up phase (explore:1,
#                  all codex variants), explore:20 at zero latency (sandbox off and on), explore:20 with the
#                  realistic profile (sandbox off) and tools:40 (the echo session) at zero latency; 4 runs per
#                  client and cell, 8 in the headline cell (explore:20, zero latency), 6 in the start-up phase.
#                  Writes ci/bench/RESULTS.md.
#   --full-matrix  also explore:5/40, tools:1/5/20, realistic explore:5 and tools:40, sandboxes on at realistic
#                  latency too (~1.5 hours)
#   --quick        smoke run: explore:5 at zero and realistic latency, 1 run each (~4 min); RESULTS.md untouched
#   --runs N       runs per cell and client (default 4; twice N in the headline cell, N + 2 for start-up; --quick: 1)
#   --no-codex     runner only (no npm needed); RESULTS.md untouched
#   --plan         print the cells, runs per cell and expected duration, then exit
#   --out DIR      where the raw results go (default runner/target/bench)
#
# Every session runs in a fresh clone of this repository (the commit under test) with an empty HOME, so the
# explore:N commands read real files and login shells source only /etc/profile. Clients, interleaved within each
# cell: runner (the jlink'd image with its AOT cache; --transport websocket|http; -s danger-full-access or
# workspace-write) and codex exec (supports_websockets true|false; --dangerously-bypass-approvals-and-sandbox or
# --sandbox workspace-write) in four variants: its native binary or its npm launcher (node, which spawns the same
# binary), each with a warm CODEX_HOME (kept across sessions, as on a developer's machine or a cached CI runner) or a
# fresh one (made for the session, as on an ephemeral CI runner). Needs a prior `./mvnw -B -q package -DskipTests`.
# Writes DIR/runs.jsonl (one line per session), DIR/results.{json,md}; prints the headline table for README.
# Exits non-zero naming the first failed session.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
batch_args=() batch=0
for arg in "$@"; do if [ "$arg" = --batch ]; then batch=1; else batch_args+=("$arg"); fi; done
[ "$batch" = 1 ] && exec "$top/ci/bench/batch.sh" "${batch_args[@]}"
# shellcheck source=lib/codex-config.sh
. "$top/ci/lib/codex-config.sh"
cd "$top"
quick=0 runs="" full=0 codex_on=1 plan_only=0 out="$top/runner/target/bench"
invocation="ci/bench.sh${*:+ $*}"
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --runs) runs=${2:?--runs needs a number}; shift ;;
    --full-matrix) full=1 ;;
    --no-codex) codex_on=0 ;;
    --plan) plan_only=1 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option '$1' (see ci/bench.sh --help)" >&2; exit 2 ;;
  esac
  shift
done
case ${runs:-1} in ''|*[!0-9]*|0) echo "bench: --runs needs a positive number, not '$runs'" >&2; exit 2 ;; esac

fail() { echo "bench: FAIL: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

# --- the plan ---------------------------------------------------------------------------------------------------
# A cell is scenario x latency; its clients run interleaved, round after round, against one emulator.
# Client ids are kind:transport:sandbox. codex = native binary + warm CODEX_HOME (the headline's yardstick).
headline_cell="explore:20 zero"
if [ "$quick" = 1 ]; then
  runs=${runs:-1} headline_runs=$runs startup_runs=$runs
  cells=("explore:5 zero" "explore:5 realistic")
  headline_cell="explore:5 zero"
elif [ "$full" = 1 ]; then
  runs=${runs:-4} headline_runs=$(( runs * 2 )) startup_runs=$(( runs + 2 ))
  cells=("explore:5 zero" "explore:20 zero" "explore:40 zero" "tools:1 zero" "tools:5 zero" "tools:20 zero"
    "tools:40 zero" "explore:5 realistic" "explore:20 realistic" "tools:40 realistic")
else
  runs=${runs:-4} headline_runs=$(( runs * 2 )) startup_runs=$(( runs + 2 ))
  cells=("explore:20 zero" "tools:40 zero" "explore:20 realistic")
fi
clients_for() { # scenario latency -> client ids
  local list=(runner:websocket:off runner:http:off)
  [ "$codex_on" = 1 ] && list+=(codex:websocket:off codex:http:off)
  if [ "$2" = zero ] || [ "$full" = 1 ]; then
    list+=(runner:websocket:on runner:http:on)
    [ "$codex_on" = 1 ] && list+=(codex:websocket:on codex:http:on)
  fi
  # the other codex variants over a whole session, where the headline comes from
  [ "$codex_on" = 1 ] && [ "$1 $2" = "$headline_cell" ] && list+=(codex-npm:websocket:off codex-npm:http:off \
    codex-fresh:websocket:off codex-fresh:http:off)
  echo "${list[@]}"
}
runs_for() { if [ "$1 $2" = "$headline_cell" ]; then echo "$headline_runs"; else echo "$runs"; fi; }
startup_clients=(runner:websocket:off runner:http:off runner-noaot:websocket:off runner-noaot:http:off)
[ "$codex_on" = 1 ] && startup_clients+=(codex:websocket:off codex:http:off codex-fresh:websocket:off
  codex-fresh:http:off codex-npm:websocket:off codex-npm:http:off codex-npm-fresh:websocket:off
  codex-npm-fresh:http:off)

# Rough cost model (ms per session and per call, fitted to a run on 2 busy cores) for the expected duration.
estimate() {
  local total=0 cell scen lat c per size n
  for cell in "${cells[@]}"; do
    read -r scen lat <<<"$cell"
    size=${scen#*:}
    n=$(runs_for "$scen" "$lat")
    [ "$lat" = zero ] && n=$(( n + 1 )) # the warm-up round
    for c in $(clients_for "$scen" "$lat"); do
      case $c in
        runner:*) per=20 ;; codex*:off) per=90 ;; *) per=300 ;;
      esac
      [ "${scen%%:*}" = explore ] && per=$(( per + 50 )) # several processes per call instead of one echo
      # over HTTP every request carries the whole conversation, and codex's requests are the larger
      [ "$lat" = realistic ] && case $c in
        codex*:http:*) per=$(( per + 2750 )) ;; *:http:*) per=$(( per + 1950 )) ;; *) per=$(( per + 750 )) ;;
      esac
      total=$(( total + n * (1300 + size * per) ))
    done
  done
  total=$(( total + (startup_runs + 1) * ${#startup_clients[@]} * 1500 ))
  echo $(( total / 1000 ))
}
est=$(estimate)
note "plan: cells [$(printf '%s; ' "${cells[@]}" | sed 's/; $//')] x $runs run(s) ($headline_runs in $headline_cell)," \
  "start-up phase x $startup_runs; expected ~$(( (est + 59) / 60 )) min"
[ "$plan_only" = 1 ] && exit 0

jar="$top/runner/target/runner.jar"
[ -f "$jar" ] && [ -x "$top/runner/target/runner" ] \
  || fail "no build found at runner/target/runner.jar; build first with: ./mvnw -B -q package -DskipTests"
for tool in curl git; do command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"; done
command -v node >/dev/null 2>&1 || fail "node (>= 20) is required for the report (and for codex)"
command -v bwrap >/dev/null 2>&1 || fail "bubblewrap is required for the sandbox-on runs: apt-get install bubblewrap"
[ -x /usr/bin/time ] || note "no GNU time at /usr/bin/time: the CPU column stays empty (apt-get install time)"

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

# --- codex: its npm launcher and the native binary inside the npm package -----------------------------------------
codex_version=0.169.0
npm_dir="$top/.cache/npm"
codex_npm="$npm_dir/node_modules/.bin/codex"
codex_native=""
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
  [ -x "$codex_npm" ] || fail "codex launcher missing at $codex_npm"
  # The platform package holds the binary the launcher spawns: vendor/<triple>/bin/codex (older: codex/codex).
  codex_native=$(find -L "$npm_dir/node_modules/@openai" -path '*/vendor/*' -type f -name codex -perm -u+x \
    \( -path '*/bin/codex' -o -path '*/codex/codex' \) 2>/dev/null | sort | head -n 1)
  [ -n "$codex_native" ] || fail "no native codex binary under $npm_dir/node_modules/@openai/*/vendor/"
  "$codex_native" --version 2>/dev/null | grep -q "$codex_version" \
    || fail "$codex_native is not codex-cli $codex_version"
fi

# --- scratch, the checkout under test, emulator, session helpers --------------------------------------------------
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

commit=$(git -C "$top" rev-parse --short HEAD)
checkout="$scratch/checkout" # what explore:N reads: this repository at the commit under test
git clone -q --no-hardlinks "$top" "$checkout" || fail "git clone of $top failed"
git -C "$checkout" checkout -q "$commit"

base=""
start_emulator() { # scenario latency
  stop_emulator
  "$image/runner" emulator --port 0 --no-auth --scenario "$1" --latency "$2" \
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
  [ -n "$port" ] || { cat "$scratch/emulator.err" >&2; fail "emulator ($1, $2) did not print its port"; }
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
  # the warm CODEX_HOMEs keep their state across cells; only the provider's URL changes
  local t ws
  for t in websocket http; do
    ws=false && [ "$t" = websocket ] && ws=true
    mkdir -p "$scratch/codex-home-warm-$t"
    codex_config "$scratch/codex-home-warm-$t/config.toml" "$base" "$ws" BENCH_API_KEY
  done
  # Baseline: what one reset + stats exchange itself adds to the counters (subtracted in the report).
  reset_stats
  baseline=$(stats)
}
# /emulator/* need a bearer token (any non-empty value), also under --no-auth
admin_auth="Authorization: Bearer emulator-admin"
stats() { curl -fsS --max-time 10 -H "$admin_auth" "$base/emulator/stats" || fail "GET /emulator/stats failed"; }
reset_stats() { curl -fsS --max-time 10 -H "$admin_auth" -X POST "$base/emulator/reset" >/dev/null || fail "POST /emulator/reset failed"; }

# One session: appends one JSON line to runs.jsonl. Timestamps in epoch microseconds.
session() { # phase scenario latency client round
  local phase=$1 scen=$2 lat=$3 client=$4 round=$5
  local size=${scen#*:} kind transport sandbox
  IFS=: read -r kind transport sandbox <<<"$client"
  local run="$scratch/run" rc=0 start end load
  rm -rf "$run" && mkdir -p "$run/home" "$run/tmp"
  # CPU time of the client and everything it starts (tools, bwrap): load-independent, unlike wall time.
  local timer=()
  [ -x /usr/bin/time ] && timer=(/usr/bin/time -f '%U %S' -o "$run/cpu.txt")
  load=$(cut -d' ' -f1 /proc/loadavg)
  reset_stats
  case $kind in
    runner|runner-noaot)
      local exe="$image/runner" mode=danger-full-access
      [ "$kind" = runner-noaot ] && exe="$noaot/runner"
      [ "$sandbox" = on ] && mode=workspace-write
      start=$(date +%s%6N)
      (cd "$checkout" && HOME="$run/home" TMPDIR="$run/tmp" RUNNER_HOME="$scratch/runner-home" \
        CODEX_HOME="$scratch/runner-home" BENCH_API_KEY=bench exec "${timer[@]}" timeout 300 "$exe" exec --provider bench \
        --transport "$transport" -s "$mode" --skip-git-repo-check --metrics "$run/metrics.json" \
        "Run the tools, then answer." </dev/null >"$run/stdout.txt" 2>"$run/stderr.txt") || rc=$?
      end=$(date +%s%6N)
      ;;
    codex*)
      local exe=$codex_native ch="$scratch/codex-home-warm-$transport" sandbox_args=(--dangerously-bypass-approvals-and-sandbox)
      case $kind in codex-npm*) exe=$codex_npm ;; esac
      case $kind in
        *-fresh)
          ch="$run/codex-home" && mkdir -p "$ch"
          local ws=false && [ "$transport" = websocket ] && ws=true
          codex_config "$ch/config.toml" "$base" "$ws" BENCH_API_KEY
          ;;
      esac
      [ "$sandbox" = on ] && sandbox_args=(--sandbox workspace-write)
      start=$(date +%s%6N)
      (cd "$checkout" && HOME="$run/home" TMPDIR="$run/tmp" CODEX_HOME="$ch" BENCH_API_KEY=bench exec "${timer[@]}" \
        timeout 300 "$exe" exec --skip-git-repo-check "${sandbox_args[@]}" --json "Run the tools, then answer." \
        </dev/null >"$run/stdout.txt" 2>"$run/stderr.txt") || rc=$?
      end=$(date +%s%6N)
      ;;
  esac
  local s; s=$(stats)
  local label="$phase $scen $lat $client round $round"
  if [ "$rc" != 0 ]; then
    tail -n 15 "$run/stderr.txt" >&2
    fail "$label exited $rc"
  fi
  # Every tool call must have run and succeeded, else the session did not do the work being timed.
  local done_tools
  case $kind in
    codex*) done_tools=$(grep '"type":"item.completed"' "$run/stdout.txt" | grep '"command_execution"' \
      | grep -c '"exit_code":0' || true) ;;
    *) done_tools=$(node -e 'const m=require(process.argv[1]); console.log(m.tools.calls - m.tools.errors)' \
      "$run/metrics.json") ;;
  esac
  [ "$done_tools" = "$size" ] || { tail -n 15 "$run/stderr.txt" >&2; fail "$label: $done_tools of $size tool calls succeeded"; }
  local metrics=null cpu=null
  [ -f "$run/metrics.json" ] && metrics=$(tr -d '\n' <"$run/metrics.json")
  [ -s "$run/cpu.txt" ] && cpu=$(awk 'END {printf "%d", ($1 + $2) * 1000}' "$run/cpu.txt")
  printf '{"phase":"%s","scenario":"%s","size":%s,"latency":"%s","client":"%s","kind":"%s","transport":"%s","sandbox":"%s","round":%s,"load1":%s,"cpu_ms":%s,"start_us":%s,"end_us":%s,"stats":%s,"baseline":%s,"metrics":%s}\n' \
    "$phase" "$scen" "$size" "$lat" "$client" "$kind" "$transport" "$sandbox" "$round" "$load" "$cpu" "$start" "$end" \
    "$s" "$baseline" "$metrics" >>"$out/runs.jsonl"
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
date_utc=$(date -u +%Y-%m-%dT%H:%MZ)

note "start-up phase: explore:1, zero latency, ${startup_clients[*]}"
start_emulator explore:1 zero
for c in "${startup_clients[@]}"; do session warmup explore:1 zero "$c" 0; done # not recorded: see report
for r in $(seq "$startup_runs"); do
  for c in $(rotated "$r" "${startup_clients[@]}"); do session startup explore:1 zero "$c" "$r"; done
done
echo >&2

for cell in "${cells[@]}"; do
  read -r scen lat <<<"$cell"
  read -r -a clients <<<"$(clients_for "$scen" "$lat")"
  n=$(runs_for "$scen" "$lat")
  note "$scen, $lat latency: ${#clients[@]} clients x $n round(s)"
  start_emulator "$scen" "$lat"
  # one unrecorded session per client warms the emulator's JIT, the page cache and the warm CODEX_HOMEs; the zero
  # latency cells before a realistic one have done that already, and its sessions are long
  if [ "$lat" = zero ]; then
    for c in "${clients[@]}"; do session warmup "$scen" "$lat" "$c" 0; done
  fi
  for r in $(seq "$n"); do
    for c in $(rotated "$r" "${clients[@]}"); do session matrix "$scen" "$lat" "$c" "$r"; done
  done
  echo >&2
done
stop_emulator
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

run_mode=default
[ "$quick" = 1 ] && run_mode=quick
[ "$full" = 1 ] && run_mode="full-matrix"
machine=$(node -e '
const os=require("os"); const [lb,la,dur,codex,commit,java,date,mode,headline,bin,invocation]=process.argv.slice(1);
console.log(JSON.stringify({cpu: os.cpus()[0].model, cores: os.cpus().length,
  memory_gb: Math.round(os.totalmem()/2**30), kernel: os.release(), load_before: lb, load_after: la,
  duration_s: +dur, codex: codex, codex_native: bin, commit: commit, java: java, node: process.version, date: date,
  mode: mode, headline_cell: headline, invocation: invocation}))' \
  "$load_before" "$load_after" "$(( $(date +%s) - began ))" "$([ "$codex_on" = 1 ] && echo "$codex_version" || echo none)" \
  "$commit" "$("$image/runtime/bin/java" -version 2>&1 | head -n 1)" "$date_utc" "$run_mode" "$headline_cell" \
  "${codex_native#"$top"/}" "$invocation")
echo "$machine" >"$out/machine.json" # node ci/bench/report.cjs DIR/runs.jsonl "$(cat DIR/machine.json)" DIR redoes the report
results_md=""
if [ "$run_mode" != quick ] && [ "$codex_on" = 1 ]; then results_md="$top/ci/bench/RESULTS.md"; fi
node "$top/ci/bench/report.cjs" "$out/runs.jsonl" "$machine" "$out" ${results_md:+"$results_md"}
note "done in $(( $(date +%s) - began )) s (expected ~$est s); results in ${out#"$top"/}/results.{md,json}${results_md:+ and ci/bench/RESULTS.md}"
