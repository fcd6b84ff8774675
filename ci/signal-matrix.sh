#!/usr/bin/env bash
# The signal matrix: SIGINT and SIGTERM sent to `runner exec` in every phase of a run, over both transports, REPS
# times per phase x transport (signals alternate; every other pair of runs uses --json). Each phase is held by the
# emulator, not by sleeps in the runner: the stdin the prompt is read from (start), a stalled stream (stream), a
# tool call that sleeps (tool), a repair turn whose answer takes its time (repair). The script waits until the run is
# in the phase (a blocked stdin read, the emulator's request count, the tool's processes), sends the signal, and
# checks what README promises:
#   exit 130/143; stdout empty (--json: no answer but repair's rejected one, last event turn.failed); -o not written; exactly one stderr line
#   from the runner, saying which signal stopped it, and no warnings or stack traces; no request after the signal;
#   no process of the tool left; TMPDIR left empty.
# Usage: ci/signal-matrix.sh [REPS]   (default 20; JOBS=N runs N workers at once, default 2)
set -euo pipefail
cd "$(dirname "$0")/.."

reps=${1:-20}
jobs=${JOBS:-2}
runner=${RUNNER:-$PWD/runner/target/runner}
[ -x "$runner" ] || ./mvnw -B -q package -DskipTests
sandbox=read-only
command -v bwrap >/dev/null 2>&1 || sandbox=danger-full-access

work=$(mktemp -d "${TMPDIR:-/tmp}/signal-matrix.XXXXXX")
# workers run in subshells: the emulators' pids go to a file the main shell's trap reads
cleanup() {
  if [ -f "$work/emulators.pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$work/emulators.pids"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A CI runner starts its steps with SIGINT at its default; a background job of a script gets it ignored, and the JVM
# then keeps ignoring it. This puts it back, as the step's own process would have it. Only for `launch ... &`: the
# exec replaces the background subshell, so $! is the JVM's pid.
launch() { exec python3 -c 'import os,signal,sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' "$@"; }

start_emulator() { # DIR SCENARIO -> the port on stdout
  local dir=$1 scenario=$2
  launch "$runner" emulator --no-auth --scenario "$scenario" >"$dir/emu.out" 2>"$dir/emu.err" &
  echo $! >>"$work/emulators.pids"
  for _ in $(seq 300); do
    if [ -s "$dir/emu.out" ]; then head -1 "$dir/emu.out" | jq -r .port; return; fi
    sleep 0.1
  done
  cat "$dir/emu.err" >&2
  echo "emulator did not start" >&2
  exit 1
}

stats() { curl -sf -H 'Authorization: Bearer x' "http://127.0.0.1:$1/emulator/stats"; }
creates() { stats "$1" | jq '.request_first_byte_micros | length'; }
reset() { curl -sf -X POST -H 'Authorization: Bearer x' "http://127.0.0.1:$1/emulator/reset" >/dev/null; }

# waits until "$@" succeeds, at most 120 s (a loaded CI machine starts a JVM slowly)
await() {
  for _ in $(seq 1200); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  return 1
}
# the runner's prompt reader is a thread of that name (bash's command substitutions also wait in pipe_read)
reading_stdin() { grep -qs runner-stdin /proc/"$1"/task/*/comm; }
at_least() { [ "$(creates "$1")" -ge "$2" ]; }
tool_running() { pgrep -f "$1" >/dev/null; }
no_tool_left() { ! pgrep -f "$1" >/dev/null; }

worker() { # W: runs its share of the matrix, one line per run in $work/w$W.results
  local w=$1 dir=$work/w$1
  mkdir -p "$dir/home"
  local marker="sleep 30$w.5"
  cat >"$dir/stream.json" <<'JSON'
{"name":"stream","turns":[{"final":"never sent","fault":"stall"}]}
JSON
  cat >"$dir/tool.json" <<JSON
{"name":"tool","turns":[{"shell":"sh -c '$marker & $marker; echo done'"},{"final":"done"}]}
JSON
  # the repair turn answers the same scenario turn again: its latency holds the repair's stream open
  cat >"$dir/repair.json" <<'JSON'
{"name":"repair","turns":[{"text":"this is not JSON","latency_ms":3000}]}
JSON
  echo '{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}' \
    >"$dir/schema.json"
  local -A ports
  for p in stream tool repair; do
    start_emulator "$dir" "$dir/$p.json" >"$dir/$p.port"
    ports[$p]=$(cat "$dir/$p.port")
  done
  ports[start]=${ports[stream]}
  git -C "$dir" init -q 2>/dev/null || true

  local n=0
  for phase in start stream tool repair; do
    for transport in websocket http; do
      for rep in $(seq "$reps"); do
        n=$((n + 1))
        [ $((n % jobs)) -eq $((w % jobs)) ] || continue
        run_one "$w" "$dir" "$phase" "$transport" "$rep" "${ports[$phase]}" "$marker"
      done
    done
  done
}

run_one() {
  local w=$1 dir=$2 phase=$3 transport=$4 rep=$5 port=$6 marker=$7
  local sig=INT code=130 json=()
  [ $((rep % 2)) -eq 0 ] && { sig=TERM; code=143; }
  [ $(((rep / 2) % 2)) -eq 1 ] && json=(--json)
  local r=$dir/run tmp=$dir/tmp
  rm -rf "$r" "$tmp"
  mkdir -p "$r" "$tmp"
  cat >"$dir/home/config.toml" <<TOML
model = "m"
[model_providers.e]
name = "e"
base_url = "http://127.0.0.1:$port/v1"
env_key = "EK"
supports_websockets = true
TOML
  reset "$port"
  local args=(exec --provider e -c "transport=$transport" -s "$sandbox" -C "$dir" -o "$r/answer.txt" "${json[@]}")
  [ "$phase" = repair ] && args+=(--output-schema "$dir/schema.json")
  local fifo=$r/stdin
  mkfifo "$fifo"
  if [ "$phase" = start ]; then
    args+=(-)
  else
    args+=("say hi")
  fi
  # the fifo stays open for writing (fd 9) until the run ends: in "start" the prompt never arrives
  EK=x RUNNER_HOME=$dir/home CODEX_HOME=$dir/home TMPDIR=$tmp \
    launch "$runner" "${args[@]}" <"$fifo" >"$r/out" 2>"$r/err" &
  local pid=$!
  exec 9>"$fifo"
  [ "$phase" = start ] || exec 9>&-
  local ok=true why=""
  case $phase in
    start) await reading_stdin "$pid" || { ok=false; why="never read stdin"; } ;;
    stream) await at_least "$port" 1 || { ok=false; why="no request"; } ;;
    tool) await tool_running "$marker" || { ok=false; why="tool never ran"; } ;;
    repair) await at_least "$port" 2 || { ok=false; why="no repair request"; } ;;
  esac
  local before
  before=$(creates "$port")
  local t0
  t0=$(date +%s%N)
  kill -"$sig" "$pid" 2>/dev/null || true
  local rc=0
  # bounded: an orderly stop takes well under 10 s; after 30 s the run is declared hung
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    ok=false
    why="$why; still running 30 s after SIG$sig"
  fi
  wait "$pid" || rc=$?
  exec 9>&- 2>/dev/null || true
  local ms=$((($(date +%s%N) - t0) / 1000000))
  local after
  after=$(creates "$port")
  [ "$rc" = "$code" ] || { ok=false; why="$why; exit $rc, want $code"; }
  [ "$after" = "$before" ] || { ok=false; why="$why; $((after - before)) request(s) after the signal"; }
  [ ! -e "$r/answer.txt" ] || { ok=false; why="$why; -o written"; }
  if [ ${#json[@]} -eq 0 ]; then
    [ ! -s "$r/out" ] || { ok=false; why="$why; stdout: $(head -c 200 "$r/out")"; }
  else
    tail -1 "$r/out" | jq -e '.type == "turn.failed" or .type == "error"' >/dev/null 2>&1 \
      || { ok=false; why="$why; last event: $(tail -1 "$r/out" | head -c 200)"; }
    # the repair phase's rejected first answer is an event of its own; no other phase may show one
    [ "$phase" = repair ] || ! grep -q '"agent_message"' "$r/out" || { ok=false; why="$why; an answer in the events"; }
  fi
  local lines
  lines=$(grep -c '^runner:' "$r/err" || true)
  [ "$lines" = 1 ] && grep -q "^runner: stopped by SIG$sig" "$r/err" \
    || { ok=false; why="$why; stderr: $(tr '\n' '|' <"$r/err" | head -c 300)"; }
  ! grep -Eqi 'warn|exception|^\s+at ' "$r/err" || { ok=false; why="$why; noise: $(tr '\n' '|' <"$r/err" | head -c 300)"; }
  await_short() { for _ in $(seq 50); do "$@" && return 0; sleep 0.1; done; return 1; }
  if [ "$phase" = tool ]; then
    await_short no_tool_left "$marker" || { ok=false; why="$why; tool processes left: $(pgrep -af "$marker" | head -3 | tr '\n' '|')"; pkill -f "$marker" || true; }
  fi
  [ -z "$(ls -A "$tmp")" ] || { ok=false; why="$why; TMPDIR not empty: $(ls -A "$tmp" | head -3 | tr '\n' ' ')"; }
  local verdict=ok
  $ok || verdict="FAIL:$why"
  printf '%s %s SIG%s %s %s ms %s\n' "$phase" "$transport" "$sig" "${json[*]:-text}" "$ms" "$verdict" >>"$work/w$w.results"
}

for w in $(seq "$jobs"); do worker "$w" & done
failed=0
for w in $(seq "$jobs"); do wait -n || failed=1; done

cat "$work"/w*.results >"$work/all"
total=$(wc -l <"$work/all")
bad=$(grep -c FAIL "$work/all" || true)
echo "signal matrix: $total runs ($reps per phase x transport), $bad failed"
grep FAIL "$work/all" | head -20 || true
printf '| phase | transport | runs | ok | median ms signal -> exit | max ms |\n|---|---|---|---|---|---|\n'
for phase in start stream tool repair; do
  for transport in websocket http; do
    cell=$(grep "^$phase $transport " "$work/all" || true)
    runs=$(grep -c . <<<"$cell" || true)
    ok=$(grep -c ' ok$' <<<"$cell" || true)
    ms=$(awk '{print $5}' <<<"$cell" | sort -n)
    median=$(sed -n "$(((runs + 1) / 2))p" <<<"$ms")
    printf '| %s | %s | %s | %s | %s | %s |\n' "$phase" "$transport" "$runs" "$ok" "$median" "$(tail -1 <<<"$ms")"
  done
done
expected=$((reps * 8))
[ "$total" = "$expected" ] || { echo "expected $expected runs, got $total" >&2; exit 1; }
[ "$bad" = 0 ] && [ "$failed" = 0 ]
