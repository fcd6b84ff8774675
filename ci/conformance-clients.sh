#!/usr/bin/env bash
# Real third-party clients against `runner emulator`: codex-cli 0.169.0 (HTTP and WebSocket) and openai-node
# (responses.create plain + streamed, ResponsesWS with two chained turns). Asserts on what the clients report and on
# the emulator's GET /emulator/stats. Exits non-zero with a message naming the failed check; prints a short summary.
#
#   ci/conformance-clients.sh [--build]
#
# Needs node + npm (Node >= 20) and network access to the npm registry on first run: the clients are installed
# once into .cache/npm at the repo root (git-ignored) and reused. Builds runner/target/runner with
# `./mvnw -B package -DskipTests` when it is missing or when --build is given.
# Env: KEEP_SCRATCH=1 keeps the scratch folder (logs, CODEX_HOME) for debugging.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/codex-config.sh
. "$top/ci/lib/codex-config.sh"
npm_dir="$top/.cache/npm"
codex_version=0.169.0
openai_version=6.49.0 # newest openai-node that still runs on Node 20 (7.x needs Node >= 22)
ws_version=8.23.0
launcher="$top/runner/target/runner"

fail() { echo "conformance-clients: FAIL: $*" >&2; exit 1; }
note() { echo "conformance-clients: $*" >&2; }

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || fail "node and npm are required (Node >= 20)"
command -v curl >/dev/null 2>&1 || fail "curl is required"

# --- build --------------------------------------------------------------------------------------------------------
if [ "${1:-}" = "--build" ] || [ ! -f "$top/runner/target/runner.jar" ] || [ ! -x "$launcher" ]; then
  note "building runner (./mvnw -B package -DskipTests)"
  (cd "$top" && ./mvnw -q -B package -DskipTests) || fail "build failed"
fi
[ -x "$launcher" ] || fail "$launcher is missing after the build"

# --- clients (installed once) -------------------------------------------------------------------------------------
installed() { # package version
  [ -f "$npm_dir/node_modules/$1/package.json" ] \
    && [ "$(node -p "require('$npm_dir/node_modules/$1/package.json').version")" = "$2" ]
}
if ! installed @openai/codex "$codex_version" || ! installed openai "$openai_version" || ! installed ws "$ws_version"; then
  note "installing @openai/codex@$codex_version openai@$openai_version ws@$ws_version into $npm_dir"
  mkdir -p "$npm_dir"
  [ -f "$npm_dir/package.json" ] || echo '{"name":"runner-conformance-clients","private":true}' >"$npm_dir/package.json"
  (cd "$npm_dir" && npm install --no-audit --no-fund --loglevel=error \
    "@openai/codex@$codex_version" "openai@$openai_version" "ws@$ws_version" >/dev/null) \
    || fail "npm install failed (network or registry problem?)"
fi
codex="$npm_dir/node_modules/.bin/codex"
[ -x "$codex" ] || fail "codex binary missing at $codex"

# --- scratch + emulator -------------------------------------------------------------------------------------------
scratch=$(mktemp -d "${TMPDIR:-/tmp}/conformance-clients.XXXXXX")
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  if [ "${KEEP_SCRATCH:-0}" = 1 ]; then note "scratch kept in $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT

"$launcher" emulator --port 0 --scenario tools:1 >"$scratch/emulator.out" 2>"$scratch/emulator.err" &
emulator_pid=$!
port=""
for _ in $(seq 300); do # up to 30 s for the first stdout line
  if [ -s "$scratch/emulator.out" ] && [ "$(wc -l <"$scratch/emulator.out")" -ge 1 ]; then
    first=$(head -n 1 "$scratch/emulator.out")
    # The first line is JSON: {"port":43123,"base_url":"http://127.0.0.1:43123/v1"}
    port=$(printf '%s\n' "$first" | grep -oE '"port": *[0-9]+' | grep -oE '[0-9]+$' || true)
    break
  fi
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  cat "$scratch/emulator.err" >&2
  fail "emulator did not print its port (first stdout line: '$(head -n 1 "$scratch/emulator.out" 2>/dev/null)')"
fi
base="http://127.0.0.1:$port"
note "emulator on $base"

# /emulator/* need a bearer token (any non-empty value), also under --no-auth
admin_auth="Authorization: Bearer emulator-admin"
stats() { curl -fsS --max-time 10 -H "$admin_auth" "$base/emulator/stats" || fail "GET /emulator/stats failed"; }
reset() { curl -fsS --max-time 10 -H "$admin_auth" -X POST "$base/emulator/reset" >/dev/null || fail "POST /emulator/reset failed"; }
stat() { printf '%s' "$1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{
  let v=JSON.parse(s); for (const k of process.argv[1].split(".")) v=v?.[k]; console.log(v ?? "missing")})' "$2"; }
expect() { # label actual op expected
  case $3 in
    eq) [ "$2" = "$4" ] ;;
    ge) [ "$2" != missing ] && [ "$2" -ge "$4" ] ;;
  esac || fail "$1: expected $3 $4, got $2"
}

# --- codex-cli --------------------------------------------------------------------------------------------------
run_codex() { # websockets(true|false)
  local ws=$1 dir="$scratch/codex-$1"
  mkdir -p "$dir/home" "$dir/codex-home" "$dir/tmp" "$dir/work"
  codex_config "$dir/codex-home/config.toml" "$base" "$ws" EMULATOR_API_KEY
  reset
  local rc=0
  (cd "$dir/work" && HOME="$dir/home" TMPDIR="$dir/tmp" CODEX_HOME="$dir/codex-home" EMULATOR_API_KEY=conformance \
    timeout 120 "$codex" exec --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox --json \
    "Run the tool once, then answer." </dev/null >"$dir/events.jsonl" 2>"$dir/stderr.txt") || rc=$?
  if [ "$rc" != 0 ]; then
    tail -n 20 "$dir/stderr.txt" >&2; tail -n 5 "$dir/events.jsonl" >&2
    fail "codex (websockets=$ws) exited $rc"
  fi
  grep -q '"type":"turn.completed"' "$dir/events.jsonl" || fail "codex (websockets=$ws): no turn.completed event"
  # Top-level failures only: codex also emits an item of type "error" warning that mock-model has no metadata.
  local failed='^\{"type":"(turn\.failed|error)"'
  if grep -qE "$failed" "$dir/events.jsonl"; then
    fail "codex (websockets=$ws) reported: $(grep -E "$failed" "$dir/events.jsonl" | head -n 2)"
  fi
  grep '"type":"item.completed"' "$dir/events.jsonl" | grep '"command_execution"' | grep -q '"exit_code":0' \
    || fail "codex (websockets=$ws): no command_execution item with exit_code 0"
  grep '"type":"item.completed"' "$dir/events.jsonl" | grep '"agent_message"' | grep -q 'step 1' \
    || fail "codex (websockets=$ws): the final agent_message does not carry the tool output 'step 1'"
  local s; s=$(stats)
  if [ "$ws" = false ]; then
    expect "codex http: requests.http" "$(stat "$s" requests.http)" eq 2
    expect "codex http: requests.websocket" "$(stat "$s" requests.websocket)" eq 0
    expect "codex http: incremental_creates" "$(stat "$s" incremental_creates)" eq 0
  else
    # warm-up (generate:false) + two turns, all on one socket; no silent fallback to HTTP
    expect "codex ws: websocket_handshakes" "$(stat "$s" websocket_handshakes)" eq 1
    expect "codex ws: requests.http (fallback to HTTP?)" "$(stat "$s" requests.http)" eq 0
    expect "codex ws: requests.websocket" "$(stat "$s" requests.websocket)" ge 2
    expect "codex ws: incremental_creates (second turn must chain previous_response_id)" \
      "$(stat "$s" incremental_creates)" ge 1
    expect "codex ws: cache_hits" "$(stat "$s" cache_hits)" ge 1
    expect "codex ws: cache_misses" "$(stat "$s" cache_misses)" eq 0
  fi
  summary+=("codex $codex_version websockets=$ws: ok ($(stat "$s" requests.http) http, $(stat "$s" requests.websocket) ws requests, $(stat "$s" incremental_creates) incremental)")
}

summary=()
run_codex false
run_codex true

# --- openai-node --------------------------------------------------------------------------------------------------
reset
node_out=$(CONFORMANCE_NPM_DIR="$npm_dir" EMULATOR_BASE_URL="$base/v1" timeout 120 node "$top/ci/clients/openai-node.cjs") \
  || fail "openai-node client failed (see above)"
s=$(stats)
expect "openai-node: requests.http (2 plain + 2 streamed)" "$(stat "$s" requests.http)" eq 4
expect "openai-node: requests.websocket" "$(stat "$s" requests.websocket)" eq 2
expect "openai-node: websocket_handshakes" "$(stat "$s" websocket_handshakes)" eq 1
expect "openai-node: incremental_creates" "$(stat "$s" incremental_creates)" eq 1
expect "openai-node: cache_hits" "$(stat "$s" cache_hits)" eq 1
summary+=("openai-node $openai_version: ok $node_out")

echo "conformance-clients: all passed"
printf '  %s\n' "${summary[@]}"
