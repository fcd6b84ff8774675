#!/usr/bin/env bash
# `runner batch` at scale on `runner emulator` (a separate process, real sockets); run through `ci/bench.sh --batch`.
#
#   ci/bench.sh --batch [--quick] [--tasks N] [--no-codex] [--out DIR]
#
#   (default)  in one run (~600 CPU s: ~10 min on 2 idle cores, 28 min at load average 30-80), then rewrites the
#              batch section of ci/bench/RESULTS.md:
#              1. N tasks x tools:4, zero latency, --concurrency 32 over WebSocket lanes, read-only and with a copy
#                 of the folder per task; beside each the same work as `xargs -P 2 runner exec` (and with the copy
#                 row `xargs -P 2 codex exec`), each measured on a 100-task sample and extrapolated to N (the table
#                 says so)
#              2. N single-turn tasks (scenario echo: no tools), zero latency, --concurrency 64; and 5 x N
#              3. N tasks x tools:4, realistic latency, --concurrency 256, WebSocket with lanes and HTTP
#              4. N tasks x tools:4 killed with SIGKILL once a third have results, then --resume: every id exactly once
#   --quick    N = 200, samples of 20, no codex (~1 min); RESULTS.md untouched
#   --tasks N  tasks per row (default 1000)
#   --no-codex no codex row (no npm needed)
#   --out DIR  raw results (default runner/target/bench-batch): rows.jsonl, one line per row
#
# Rows marked read-only run `-s read-only --workspace shared`: every task in the one folder under the sandbox, as
# `runner exec` runs (the same work as the xargs read-only row); rows marked copy run `-s danger-full-access
# --workspace copy`: each task gets a copy of the folder with a git baseline (for its patch). Every task has its own
# command host. The xargs rows run `runner exec` (the jlink'd image with its AOT cache) and codex's native binary. CPU is user + system time of the
# client and everything it started (GNU time), plus the emulator's own (from /proc), which shares the machine.
# Exits non-zero naming the first check that failed: a batch that did not finish every task ok, a resume that lost or
# repeated an id.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../lib/codex-config.sh
. "$top/ci/lib/codex-config.sh"
cd "$top"
quick=0 tasks="" codex_on=1 out="$top/runner/target/bench-batch"
invocation="ci/bench.sh --batch${*:+ $*}"
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --tasks) tasks=${2:?--tasks needs a number}; shift ;;
    --no-codex) codex_on=0 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown option '$1' (see ci/bench.sh --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then tasks=${tasks:-200} sample=20 codex_on=0; else tasks=${tasks:-1000} sample=100; fi
case $tasks in ''|*[!0-9]*|0) echo "bench: --tasks needs a positive number, not '$tasks'" >&2; exit 2 ;; esac
[ "$sample" -gt "$tasks" ] && sample=$tasks

fail() { echo "bench: FAIL: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

for tool in curl node; do command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"; done
[ -x /usr/bin/time ] || fail "GNU time is required at /usr/bin/time (apt-get install time)"
jar="$top/runner/target/runner.jar"
[ -f "$jar" ] || fail "no build found at runner/target/runner.jar; build first with: ./mvnw -B -q package -DskipTests"
image="$top/runner/target/image"
launcher="$top/runner/src/main/launcher/runner"
if [ ! -x "$image/runner" ] || [ ! -f "$image/runner.aot" ] || [ "$jar" -nt "$image/runner.jar" ] ||
  [ "$launcher" -nt "$image/runner" ]; then
  note "building the runner image with its AOT cache (ci/build-runtime.sh runner/target/image)"
  "$top/ci/build-runtime.sh" "$image" >&2 || fail "ci/build-runtime.sh failed"
fi
runner="$image/runner"

codex_version=0.169.0
codex_native=""
if [ "$codex_on" = 1 ]; then
  npm_dir="$top/.cache/npm"
  if [ ! -f "$npm_dir/node_modules/@openai/codex/package.json" ]; then
    command -v npm >/dev/null 2>&1 || fail "npm is required for codex (or pass --no-codex)"
    note "installing @openai/codex@$codex_version into $npm_dir"
    mkdir -p "$npm_dir"
    [ -f "$npm_dir/package.json" ] || echo '{"name":"runner-conformance-clients","private":true}' >"$npm_dir/package.json"
    (cd "$npm_dir" && npm install --no-audit --no-fund --loglevel=error "@openai/codex@$codex_version" >/dev/null) \
      || fail "npm install @openai/codex@$codex_version failed (network or registry problem?)"
  fi
  codex_native=$(find -L "$npm_dir/node_modules/@openai" -path '*/vendor/*' -type f -name codex -perm -u+x \
    \( -path '*/bin/codex' -o -path '*/codex/codex' \) 2>/dev/null | sort | head -n 1)
  [ -n "$codex_native" ] || fail "no native codex binary under $npm_dir/node_modules/@openai/*/vendor/"
  "$codex_native" --version 2>/dev/null | grep -q "$codex_version" || fail "$codex_native is not codex-cli $codex_version"
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/bench-batch.XXXXXX")
emulator_pid="" batch_pid=""
stop_emulator() {
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  emulator_pid=""
}
cleanup() {
  if [ -n "$batch_pid" ]; then kill -9 "$batch_pid" 2>/dev/null || true; fi
  stop_emulator
  if [ "${KEEP_SCRATCH:-0}" = 1 ]; then note "scratch kept in $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

home="$scratch/home" work="$scratch/work"
mkdir -p "$home" "$work" "$scratch/tmp"
export RUNNER_HOME="$home" CODEX_HOME="$home" BENCH_API_KEY=bench TMPDIR="$scratch/tmp"
base=""
start_emulator() { # scenario latency
  stop_emulator
  "$runner" emulator --port 0 --no-auth --scenario "$1" --latency "$2" >"$scratch/emulator.out" 2>"$scratch/emulator.err" &
  emulator_pid=$!
  local port=""
  for _ in $(seq 300); do
    [ -s "$scratch/emulator.out" ] && port=$(head -n 1 "$scratch/emulator.out" | grep -oE '"port": *[0-9]+' | grep -oE '[0-9]+$' || true)
    [ -n "$port" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$scratch/emulator.err" >&2; fail "emulator ($1, $2) did not print its port"; }
  base="http://127.0.0.1:$port"
  # websocket_lanes: the pool shares each socket among up to 16 tasks; retries off so a fault is visible
  cat >"$home/config.toml" <<TOML
model = "mock-model"

[model_providers.bench]
name = "bench emulator"
base_url = "$base/v1"
env_key = "BENCH_API_KEY"
supports_websockets = true
websocket_lanes = true
request_max_retries = 0
stream_max_retries = 0
TOML
  mkdir -p "$scratch/codex-home"
  codex_config "$scratch/codex-home/config.toml" "$base" true BENCH_API_KEY
}
admin_auth="Authorization: Bearer emulator-admin"
stats() { curl -fsS --max-time 10 -H "$admin_auth" "$base/emulator/stats" || fail "GET /emulator/stats failed"; }
reset_stats() { curl -fsS --max-time 10 -H "$admin_auth" -X POST "$base/emulator/reset" >/dev/null || fail "POST /emulator/reset failed"; }
# the emulator's CPU seconds so far (utime + stime of its JVM: the launcher execs java in place)
emulator_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$emulator_pid/stat"; }
# CPU seconds the whole machine spent so far (all but idle and iowait): it also counts what no process is charged
# with, as the kernel's namespace clean-up and command hosts whose parent (bubblewrap) was killed before reaping them
machine_cpu() { awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }

make_tasks() { # count file
  local i
  for ((i = 1; i <= $1; i++)); do printf '{"id":"t%05d","prompt":"Run the tools, then answer."}\n' "$i"; done >"$2"
}
make_tasks "$tasks" "$scratch/tasks.jsonl"

# One row: appends a JSON line to rows.jsonl. kind: batch (TRANSPORT CONCURRENCY) or xargs-runner / xargs-codex.
mkdir -p "$out" && out=$(cd "$out" && pwd)
: >"$out/rows.jsonl"
row() { # label scenario latency kind transport concurrency count isolation(shared|copy)
  local label=$1 scen=$2 lat=$3 kind=$4 transport=$5 conc=$6 n=$7 iso=$8
  local batch_iso=(-s read-only --workspace shared) exec_sandbox=read-only
  if [ "$iso" = copy ]; then batch_iso=(-s danger-full-access --workspace copy) exec_sandbox=danger-full-access; fi
  local run="$scratch/run" rc=0 load cpu0 cpu1 start end jvm_ticks=""
  rm -rf "$run" && mkdir -p "$run"
  make_tasks "$n" "$run/tasks.jsonl"
  load=$(cut -d' ' -f1 /proc/loadavg)
  reset_stats
  cpu0=$(emulator_cpu) mcpu0=$(machine_cpu)
  start=$(date +%s%N)
  case $kind in
    batch)
      (cd "$work" && exec /usr/bin/time -f '%e %U %S %M' -o "$run/time.txt" "$runner" batch --provider bench \
        --transport "$transport" "${batch_iso[@]}" --concurrency "$conc" -q \
        --results "$run/results.jsonl" --metrics "$run/metrics.json" "$run/tasks.jsonl" \
        </dev/null >"$run/stdout.txt" 2>"$run/stderr.txt") &
      local timer=$! java="" sample
      # the JVM's own CPU, apart from the processes it starts (git, command hosts, tools): its last /proc reading
      while kill -0 "$timer" 2>/dev/null; do
        [ -n "$java" ] || java=$(pgrep -P "$timer" | head -n 1 || true)
        if [ -n "$java" ] && sample=$(awk '{ print $14 + $15 }' "/proc/$java/stat" 2>/dev/null); then
          jvm_ticks=$sample
        fi
        sleep 0.2
      done
      wait "$timer" || rc=$?
      ;;
    xargs-runner)
      (cd "$work" && /usr/bin/time -f '%e %U %S %M' -o "$run/time.txt" xargs -P 2 -n 1 -a <(seq "$n") sh -c \
        "exec \"\$0\" exec --provider bench --transport $transport -s $exec_sandbox --skip-git-repo-check \
        'Run the tools, then answer.' </dev/null >/dev/null 2>>'$run/stderr.txt'" "$runner" \
        </dev/null >"$run/stdout.txt" 2>>"$run/stderr.txt") || rc=$?
      ;;
    xargs-codex)
      (cd "$work" && CODEX_HOME="$scratch/codex-home" /usr/bin/time -f '%e %U %S %M' -o "$run/time.txt" \
        xargs -P 2 -n 1 -a <(seq "$n") sh -c "exec \"\$0\" exec --skip-git-repo-check \
        --dangerously-bypass-approvals-and-sandbox --json 'Run the tools, then answer.' </dev/null \
        >>'$run/stdout.txt' 2>>'$run/stderr.txt'" "$codex_native" </dev/null 2>>"$run/stderr.txt") || rc=$?
      ;;
  esac
  end=$(date +%s%N)
  cpu1=$(emulator_cpu) mcpu1=$(machine_cpu)
  if [ "$rc" != 0 ]; then
    tail -n 20 "$run/stderr.txt" >&2
    fail "$label exited $rc"
  fi
  local s; s=$(stats)
  # every task must have finished ok with its tools run, else the row did not do the work being timed
  local ok turns=0
  case $kind in
    batch)
      ok=$(grep -c '"status":"ok"' "$run/results.jsonl" || true)
      turns=$(node -p "require('$run/metrics.json').turns")
      ;;
    xargs-runner) ok=$n ;;
    xargs-codex) ok=$(grep -c '"type":"turn.completed"' "$run/stdout.txt" || true) ;;
  esac
  [ "$ok" = "$n" ] || { tail -n 20 "$run/stderr.txt" >&2; fail "$label: $ok of $n tasks ok"; }
  node -e '
const [label, scen, lat, kind, transport, conc, n, total, load, wallNs, time, cpu0, cpu1, turns, stats, jvm, iso,
  mcpu] = process.argv.slice(1);
const [e, u, s, rssKb] = time.trim().split(/\s+/).map(Number);
const st = JSON.parse(stats);
const req = st.requests.http + st.requests.websocket;
const wall = Number(wallNs) / 1e9, scale = Number(total) / Number(n);
console.log(JSON.stringify({ label, scenario: scen, latency: lat, kind, transport, isolation: iso,
  concurrency: +conc, tasks: +n,
  extrapolated_to: scale > 1 ? +total : null, load: +load, wall_s: wall, client_cpu_s: u + s,
  jvm_cpu_s: jvm === "" ? null : +jvm,
  emulator_cpu_s: +cpu1 - +cpu0, machine_cpu_s: +mcpu, peak_rss_mb: rssKb / 1024, turns: +turns || req, requests: req,
  tasks_per_s: +n / wall, turns_per_s: (+turns || req) / wall, ws_handshakes: st.websocket_handshakes,
  tcp_connections: st.tcp_connections - 1, injected_ms: st.injected_server_time_ms,
  ideal_s: st.injected_server_time_ms / 1000 / +conc }));' \
    "$label" "$scen" "$lat" "$kind" "$transport" "$conc" "$n" "$tasks" "$load" "$(( end - start ))" \
    "$(tail -n 1 "$run/time.txt")" "$cpu0" "$cpu1" "$turns" "$s" \
    "$([ -n "$jvm_ticks" ] && awk -v t="$jvm_ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')" \
    "$iso" "$(awk -v a="$mcpu0" -v b="$mcpu1" 'BEGIN { printf "%.2f", b - a }')" >>"$out/rows.jsonl"
  note "$label: $(tail -n 1 "$out/rows.jsonl")"
}

# Kill -9 once a third of the tasks have results, then --resume: every id exactly once, each with a terminal status.
resume_check() { # label concurrency
  local label=$1 conc=$2 run="$scratch/resume" killed_at lines rc=0
  rm -rf "$run" && mkdir -p "$run"
  make_tasks "$tasks" "$run/tasks.jsonl"
  reset_stats
  (cd "$work" && exec "$runner" batch --provider bench -s danger-full-access --workspace copy \
    --concurrency "$conc" -q --results "$run/results.jsonl" "$run/tasks.jsonl" </dev/null >/dev/null \
    2>"$run/stderr-1.txt") &
  batch_pid=$!
  for _ in $(seq 1200); do
    lines=$( (wc -l <"$run/results.jsonl") 2>/dev/null || echo 0)
    [ "$lines" -ge $(( tasks / 3 )) ] && break
    kill -0 "$batch_pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$batch_pid" 2>/dev/null || fail "$label: the batch ended before it could be killed ($lines results)"
  kill -9 "$batch_pid"
  wait "$batch_pid" 2>/dev/null || true
  batch_pid=""
  killed_at=$(wc -l <"$run/results.jsonl")
  (cd "$work" && "$runner" batch --provider bench -s danger-full-access --workspace copy --concurrency "$conc" -q \
    --resume --results "$run/results.jsonl" "$run/tasks.jsonl" </dev/null >/dev/null 2>"$run/stderr-2.txt") || rc=$?
  [ "$rc" = 0 ] || { tail -n 20 "$run/stderr-2.txt" >&2; fail "$label: --resume exited $rc"; }
  node -e '
const fs = require("fs");
const [label, tasksFile, resultsFile, killedAt, out] = process.argv.slice(1);
const ids = fs.readFileSync(tasksFile, "utf8").trim().split("\n").map(l => JSON.parse(l).id);
const lines = fs.readFileSync(resultsFile, "utf8").split("\n").filter(l => l.trim());
const seen = new Map(); let torn = 0;
for (const l of lines) {
  let r; try { r = JSON.parse(l); } catch { torn++; continue; }
  seen.set(r.id, (seen.get(r.id) || 0) + 1);
}
const missing = ids.filter(i => !seen.has(i)), twice = [...seen].filter(([, c]) => c > 1).map(([i]) => i);
const row = { label, kind: "resume", tasks: ids.length, killed_with_results: +killedAt, lines: lines.length,
  torn_lines: torn, missing: missing.length, duplicated: twice.length };
fs.appendFileSync(out, JSON.stringify(row) + "\n");
if (missing.length || twice.length || torn) {
  console.error(`${label}: ${missing.length} ids missing (${missing.slice(0, 5)}), ${twice.length} twice (${twice.slice(0, 5)}), ${torn} torn lines`);
  process.exit(1);
}' "$label" "$run/tasks.jsonl" "$run/results.jsonl" "$killed_at" "$out/rows.jsonl" || fail "$label: resume check failed"
  note "$label: $(tail -n 1 "$out/rows.jsonl")"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
began=$(date +%s)
date_utc=$(date -u +%Y-%m-%dT%H:%MZ)
note "batch bench: $tasks tasks per row, samples of $sample for xargs; scratch $scratch"

start_emulator tools:4 zero
# warm-up, not recorded: the emulator's JIT (a provider's servers are warm) and the page cache
row warmup tools:4 zero batch websocket 32 "$sample" shared && : >"$out/rows.jsonl"
# the same work as `runner exec`, which runs every task in the one folder under its default read-only sandbox
row "tools:4 zero, batch c=32 WS lanes, read-only" tools:4 zero batch websocket 32 "$tasks" shared
row "tools:4 zero, xargs -P 2 runner exec WS, read-only" tools:4 zero xargs-runner websocket 2 "$sample" shared
# writing tasks: a copy of the folder each, with a git baseline for its patch; exec has no such isolation
row "tools:4 zero, batch c=32 WS lanes, copy per task" tools:4 zero batch websocket 32 "$tasks" copy
row "tools:4 zero, xargs -P 2 runner exec WS, no sandbox" tools:4 zero xargs-runner websocket 2 "$sample" copy
[ "$codex_on" = 1 ] && row "tools:4 zero, xargs -P 2 codex exec WS, no sandbox" tools:4 zero xargs-codex websocket 2 \
  "$sample" copy
resume_check "tools:4 zero, kill -9 at a third, then --resume" 32

start_emulator echo zero
row warmup echo zero batch websocket 64 "$sample" shared && sed -i '$d' "$out/rows.jsonl"
row "single turn zero, batch c=64 WS lanes" echo zero batch websocket 64 "$tasks" shared
# the same for five times as long: the JVM's start and warm-up weigh less, so this is closer to the transport's ceiling
row "single turn zero, batch c=64 WS lanes, 5 × longer" echo zero batch websocket 64 "$(( tasks * 5 ))" shared

start_emulator tools:4 realistic
row "tools:4 realistic, batch c=256 WS lanes" tools:4 realistic batch websocket 256 "$tasks" shared
row "tools:4 realistic, batch c=256 HTTP" tools:4 realistic batch http 256 "$tasks" shared
stop_emulator

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
commit=$(git -C "$top" rev-parse --short HEAD)
results_md=""
[ "$quick" = 1 ] || results_md="$top/ci/bench/RESULTS.md"
node "$top/ci/bench/batch-report.cjs" "$out/rows.jsonl" "$out" "$results_md" "$commit" "$date_utc" \
  "$load_before" "$load_after" "$(( $(date +%s) - began ))" "$invocation"
note "done in $(( $(date +%s) - began )) s; ${out#"$top"/}/batch.md${results_md:+ and the batch section of ci/bench/RESULTS.md}"
