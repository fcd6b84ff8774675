#!/usr/bin/env bash
# Keepalive at full scale: a 90 s tool call behind a proxy that drops WebSockets idle for 60 s (the emulator's
# --ws-idle-close), run twice side by side:
#   keepalive on (websocket_keepalive_ms default, 30 s): one socket for the whole run, the second turn chained
#     incrementally (previous_response_id), the socket closed with 1000 at the end;
#   keepalive off (websocket_keepalive_ms = 0): the idle socket is dropped during the tool call, the next turn
#     reconnects and resends in full, and the run still succeeds.
# The unit test WebSocketEndingsTest runs the same at 3 s behind 2 s. Takes about 100 s. Needs a build (made here
# when missing) and curl. A scaled run for trying it out:
#   KEEPALIVE_TOOL_S=3 KEEPALIVE_IDLE=2s KEEPALIVE_ON_LINE='websocket_keepalive_ms = 500' ci/keepalive.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
launcher="$top/runner/target/runner"
tool_s=${KEEPALIVE_TOOL_S:-90}
idle=${KEEPALIVE_IDLE:-60s}

fail() { echo "keepalive: FAIL: $*" >&2; exit 1; }
note() { echo "keepalive: $*" >&2; }

command -v curl >/dev/null 2>&1 || fail "curl is required"
if [ ! -x "$launcher" ] || [ ! -f "$top/runner/target/runner.jar" ]; then
  note "building runner (./mvnw -B -q package -DskipTests)"
  (cd "$top" && ./mvnw -q -B package -DskipTests) || fail "build failed"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/runner-keepalive.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

printf '{"name":"long-tool","turns":[{"shell":"sleep %s"},{"final":"slept"}]}\n' "$tool_s" >"$work/scenario.json"

start_emulator() { # name -> sets $url
  "$launcher" emulator --port 0 --scenario "$work/scenario.json" --ws-idle-close "$idle" --exit-after 30m \
    >"$work/$1.emulator.json" 2>"$work/$1.emulator.err" &
  pids+=("$!")
  for _ in $(seq 1 300); do
    if grep -q '"base_url"' "$work/$1.emulator.json" 2>/dev/null; then
      url=$(sed -n 's/.*"base_url":"\([^"]*\)".*/\1/p' "$work/$1.emulator.json")
      return 0
    fi
    sleep 0.1
  done
  fail "the $1 emulator did not start: $(cat "$work/$1.emulator.err")"
}

run() { # name base_url keepalive_line -> starts runner exec in the background
  mkdir -p "$work/$1/codex" "$work/$1/ws"
  printf 'model_provider = "emu"\n[model_providers.emu]\nbase_url = "%s"\nenv_key = "EMU_KEY"\n' "$2" \
    >"$work/$1/codex/config.toml"
  printf 'supports_websockets = true\n%s\n' "$3" >>"$work/$1/codex/config.toml"
  (cd "$work/$1/ws" && CODEX_HOME="$work/$1/codex" RUNNER_HOME="$work/$1/home" EMU_KEY=k \
    "$launcher" exec --skip-git-repo-check -s danger-full-access --transport websocket "wait $tool_s s" \
      >"$work/$1.out" 2>"$work/$1.err"; echo $? >"$work/$1.exit") &
  pids+=("$!")
}

stats() { curl -fsS -H "Authorization: Bearer k" "${1%/v1}/emulator/stats"; }
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

start_emulator on
on_url=$url
start_emulator off
off_url=$url
note "sleep $tool_s behind --ws-idle-close $idle: keepalive on ($on_url) and off ($off_url), side by side"
run on "$on_url" "${KEEPALIVE_ON_LINE:-# websocket_keepalive_ms: the default}"
run off "$off_url" "websocket_keepalive_ms = 0"
start=$(date +%s)
wait "${pids[2]}" "${pids[3]}" || true
note "both runs ended after $(($(date +%s) - start)) s"
sleep 1 # the server records how a socket ended a moment after the client has gone

for name in on off; do
  code=$(cat "$work/$name.exit")
  [ "$code" = 0 ] || fail "keepalive $name: exit $code: $(tail -n 5 "$work/$name.err")"
  grep -q slept "$work/$name.out" || fail "keepalive $name: no final answer on stdout"
done
on=$(stats "$on_url")
off=$(stats "$off_url")
echo "keepalive on:  handshakes $(echo "$on" | field websocket_handshakes), full $(echo "$on" | field full_creates)," \
  "incremental $(echo "$on" | field incremental_creates), closes $(echo "$on" | sed -n 's/.*"websocket_closes":\({[^}]*}\).*/\1/p')"
echo "keepalive off: handshakes $(echo "$off" | field websocket_handshakes), full $(echo "$off" | field full_creates)," \
  "incremental $(echo "$off" | field incremental_creates), closes $(echo "$off" | sed -n 's/.*"websocket_closes":\({[^}]*}\).*/\1/p')"
[ "$(echo "$on" | field websocket_handshakes)" = 1 ] || fail "keepalive on: expected one handshake"
[ "$(echo "$on" | field incremental_creates)" = 1 ] || fail "keepalive on: the second turn was not incremental"
echo "$on" | grep -q '"websocket_closes":{"1000":1}' || fail "keepalive on: the socket did not end with 1000 alone"
[ "$(echo "$off" | field websocket_handshakes)" = 2 ] || fail "keepalive off: expected a reconnect"
[ "$(echo "$off" | field full_creates)" = 2 ] || fail "keepalive off: expected a full resend"
echo "$off" | grep -q '"server:idle":1' || fail "keepalive off: the emulator did not drop the idle socket"
echo "keepalive: ok"
