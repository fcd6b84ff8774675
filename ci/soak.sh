#!/usr/bin/env bash
# Soak: one runner JVM (`runner batch`) through thousands of turns and many WebSocket rotations against
# `runner emulator`, counting the JVM's file descriptors, sockets and threads while it works, and how every socket
# ended as the emulator saw it. Fails on growth (a leak), on any task that is not ok, and on any socket that ended
# without a close frame (1006).
#
# Time is compressed: sockets live --max-age-ms instead of the service's 60 minutes, so each rotation stands for one
# hour of a long-running client's life, and the emulator closes sockets at twice that age (its own
# websocket_connection_limit_reached) in case the runner does not rotate first.
#
#   ci/soak.sh            quick variant for CI (< 60 s on an idle 2-core machine): 40 tasks x 6 turns
#   ci/soak.sh --long     1,000 tasks x 6 turns (6,000 turns, several hundred rotations; ~10-20 minutes)
#   ci/soak.sh --tasks N --tools K --max-age-ms MS --concurrency C   any other size
#
# Needs a build (./mvnw -B -q package -DskipTests; built here when missing), curl and Linux /proc.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
launcher="$top/runner/target/runner"

tasks=40 tools=5 max_age_ms=1500 concurrency=4 keepalive_ms=200
while [ $# -gt 0 ]; do
  case $1 in
    --long) tasks=1000 ;;
    --tasks) tasks=$2; shift ;;
    --tools) tools=$2; shift ;;
    --max-age-ms) max_age_ms=$2; shift ;;
    --concurrency) concurrency=$2; shift ;;
    *) echo "usage: ci/soak.sh [--long] [--tasks N] [--tools K] [--max-age-ms MS] [--concurrency C]" >&2; exit 2 ;;
  esac
  shift
done

fail() { echo "soak: FAIL: $*" >&2; exit 1; }
note() { echo "soak: $*" >&2; }

command -v curl >/dev/null 2>&1 || fail "curl is required"
[ -d /proc/self/fd ] || fail "needs Linux /proc"
if [ ! -x "$launcher" ] || [ ! -f "$top/runner/target/runner.jar" ]; then
  note "building runner (./mvnw -B -q package -DskipTests)"
  (cd "$top" && ./mvnw -q -B package -DskipTests) || fail "build failed"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/runner-soak.XXXXXX")
emulator_pid=
batch_pid=
cleanup() {
  if [ -n "$batch_pid" ]; then kill "$batch_pid" 2>/dev/null || true; fi
  if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- the emulator ---------------------------------------------------------------------------------------------
"$launcher" emulator --port 0 --scenario "tools:$tools" --ws-max-age "$((max_age_ms * 2))ms" --exit-after 2h \
  >"$work/emulator.json" 2>"$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 300); do
  grep -q '"port"' "$work/emulator.json" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || fail "the emulator did not start: $(cat "$work/emulator.err")"
  sleep 0.1
done
base_url=$(sed -n 's/.*"base_url":"\([^"]*\)".*/\1/p' "$work/emulator.json")
[ -n "$base_url" ] || fail "the emulator printed no base_url within 30 s"
stats() { curl -fsS -H "Authorization: Bearer soak" "${base_url%/v1}/emulator/stats"; }

# --- the batch --------------------------------------------------------------------------------------------------
mkdir -p "$work/codex" "$work/home" "$work/ws"
cat >"$work/codex/config.toml" <<EOF
model_provider = "soak"
[model_providers.soak]
base_url = "$base_url"
env_key = "SOAK_KEY"
supports_websockets = true
websocket_max_age_ms = $max_age_ms
websocket_rotation_margin_ms = $((max_age_ms / 3))
websocket_keepalive_ms = $keepalive_ms
EOF
for i in $(seq 1 "$tasks"); do
  printf '{"id":"t%d","prompt":"soak task %d"}\n' "$i" "$i"
done >"$work/tasks.jsonl"

note "$tasks tasks x $((tools + 1)) turns, sockets rotated after $((max_age_ms - max_age_ms / 3)) ms," \
  "keepalive $keepalive_ms ms, concurrency $concurrency, emulator $base_url"
start=$(date +%s)
(cd "$work/ws" && CODEX_HOME="$work/codex" RUNNER_HOME="$work/home" SOAK_KEY=soak \
  exec "$launcher" batch -q --transport websocket -s danger-full-access --workspace copy \
    --concurrency "$concurrency" --results "$work/results.jsonl" "$work/tasks.jsonl" \
    >"$work/batch.out" 2>"$work/batch.err") &
batch_pid=$!

# --- sampling: fds, sockets and threads of the runner JVM, with the tasks done so far ----------------------------
sample() { # pid -> "done fds sockets threads"
  local fds sockets threads done_count
  fds=$(find "/proc/$1/fd" -mindepth 1 2>/dev/null | wc -l) || return 1
  sockets=$(find "/proc/$1/fd" -lname 'socket:*' 2>/dev/null | wc -l)
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 1
  [ -n "$threads" ] || return 1
  done_count=$( (wc -l <"$work/results.jsonl") 2>/dev/null || echo 0)
  echo "$done_count $fds $sockets $threads"
}
: >"$work/samples"
while kill -0 "$batch_pid" 2>/dev/null; do
  s=$(sample "$batch_pid") && echo "$s" >>"$work/samples"
  sleep 0.2
done
status=0
wait "$batch_pid" || status=$?
batch_pid=
elapsed=$(($(date +%s) - start))
[ "$status" = 0 ] || fail "runner batch exited $status: $(tail -n 5 "$work/batch.err")"
ok=$(grep -c '"status":"ok"' "$work/results.jsonl" || true)
[ "$ok" = "$tasks" ] || fail "$ok of $tasks tasks ok; see $(grep -v '"status":"ok"' "$work/results.jsonl" | head -n 1)"

# the emulator learns how each socket ended a moment after the client closed it
json=$(stats)
for _ in $(seq 1 50); do
  handshakes=$(echo "$json" | sed -n 's/.*"websocket_handshakes":\([0-9]*\).*/\1/p')
  closes=$(echo "$json" | sed -n 's/.*"websocket_closes":{\([^}]*\)}.*/\1/p')
  ended=$(echo "$closes" | tr ',' '\n' | awk -F: '{n += $NF} END {print n + 0}')
  [ "${ended:-0}" -ge "$handshakes" ] && break
  sleep 0.1
  json=$(stats)
done
requests=$(echo "$json" | sed -n 's/.*"requests":{"http":[0-9]*,"websocket":\([0-9]*\)}.*/\1/p')

# --- verdict ----------------------------------------------------------------------------------------------------
# "before": the first sample with a tenth of the tasks done (pools, loops and caches warm); "after": the last one
# taken before the last result was written (after it, the JVM is closing its resources on the way out).
total=$(wc -l <"$work/samples")
[ "$total" -ge 2 ] || fail "too few samples ($total): the batch ended too fast to measure; raise --tasks"
before=$(awk -v t=$((tasks / 10)) '$1 >= t {print; exit}' "$work/samples")
[ -n "$before" ] || before=$(head -n 1 "$work/samples")
after=$(awk -v t="$tasks" '$1 < t' "$work/samples" | tail -n 1)
[ -n "$after" ] || fail "no sample before the last task ended"
peak=$(awk 'BEGIN {f = s = t = 0} {if ($2 > f) f = $2; if ($3 > s) s = $3; if ($4 > t) t = $4}
  END {print f, s, t}' "$work/samples")
read -r b_done b_fds b_sockets b_threads <<<"$before"
read -r a_done a_fds a_sockets a_threads <<<"$after"
read -r p_fds p_sockets p_threads <<<"$peak"
rotations=$((handshakes - concurrency))
echo "soak: $tasks tasks, $requests turns, $handshakes WebSocket handshakes (~$rotations rotations, each standing" \
  "for one hour of a 60-minute socket) in $elapsed s; closes seen by the server: {$closes}"
echo "soak: runner JVM at $b_done tasks done: fds $b_fds, sockets $b_sockets, threads $b_threads;" \
  "at $a_done done: fds $a_fds, sockets $a_sockets, threads $a_threads;" \
  "peak fds $p_fds, sockets $p_sockets, threads $p_threads ($total samples)"
echo "$closes" | grep -q '"1006"' && fail "sockets ended without a close frame: {$closes}"
echo "$closes" | grep -q '"1005"' && fail "sockets ended with an empty close frame: {$closes}"
# Growth allowance: concurrency workers' command hosts and sockets may be mid-start at either sample.
slack=$((concurrency * 3 + 4))
[ "$a_fds" -le $((b_fds + slack)) ] || fail "file descriptors grew from $b_fds to $a_fds"
[ "$a_sockets" -le $((b_sockets + concurrency + 2)) ] || fail "sockets grew from $b_sockets to $a_sockets"
[ "$a_threads" -le $((b_threads + slack)) ] || fail "threads grew from $b_threads to $a_threads"
[ "$rotations" -ge 1 ] || fail "no socket was rotated; lower --max-age-ms or raise --tasks"
echo "soak: ok"
