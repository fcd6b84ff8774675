#!/usr/bin/env bash
# exec resume of a stored session, as a CI job runs it: the built runner against `runner emulator` processes over both
# transports. With store_responses = true the resumed run continues from the saved response (one chained create, its
# parent read from the emulator's store); against a restarted emulator, which lost it, the run resends the whole
# conversation after one previous_response_not_found, exits 0 and prints the same answer. Offline; needs python3.
# Usage: ci/resume-chain.sh       (RUNNER=path/to/runner; default: runner/target/runner from ./mvnw package)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
runner=${RUNNER:-$top/runner/target/runner}
fail() { echo "resume-chain: $*" >&2; exit 1; }
[ -x "$runner" ] || fail "$runner is missing; build it with ./mvnw -B -pl runner package -DskipTests, or set RUNNER"
command -v python3 >/dev/null || fail "python3 is missing (apt-get install python3)"

work=$(mktemp -d)
emulator_pid=
cleanup() {
  [ -z "$emulator_pid" ] || kill "$emulator_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# starts a new emulator (nothing stored) and points provider 'local' at it
start_emulator() {
  [ -z "$emulator_pid" ] || { kill "$emulator_pid"; wait "$emulator_pid" 2>/dev/null || true; }
  : >"$work/emulator.out"
  "$runner" emulator --scenario tools:2 --no-auth >"$work/emulator.out" 2>"$work/emulator.err" &
  emulator_pid=$!
  for _ in $(seq 100); do [ -s "$work/emulator.out" ] && break; sleep 0.1; done
  port=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["port"])' \
    "$work/emulator.out") || fail "the emulator did not start: $(cat "$work/emulator.err")"
  mkdir -p "$RUNNER_HOME"
  cat >"$RUNNER_HOME/config.toml" <<EOF
store_responses = true

[model_providers.local]
base_url = "http://127.0.0.1:$port/v1"
env_key = "EMULATOR_KEY"
supports_websockets = true
EOF
}

# one counter of the running emulator's stats
stat() {
  python3 - "$port" "$1" <<'EOF'
import json, sys, urllib.request
req = urllib.request.Request("http://127.0.0.1:%s/emulator/stats" % sys.argv[1], headers={"Authorization": "Bearer x"})
print(json.load(urllib.request.urlopen(req, timeout=10))[sys.argv[2]])
EOF
}

run() {
  "$runner" exec "$@" --provider local --transport "$transport" --skip-git-repo-check -s danger-full-access
}

export EMULATOR_KEY=offline CODEX_HOME="$work/codex-home"
mkdir -p "$work/repo" "$CODEX_HOME"
cd "$work/repo"
for transport in websocket http; do
  export RUNNER_HOME="$work/home-$transport"
  start_emulator
  run "Count to two" >"$work/first.txt" 2>"$work/first.err" || fail "$transport: exec failed: $(cat "$work/first.err")"
  session=$(find "$RUNNER_HOME/sessions" -name '*.jsonl')
  grep -q '"last_response":{"id":"resp_[^"]*","items":[0-9]*,"store":true' "$session" \
    || fail "$transport: the session file records no stored last response: $session"
  cp "$session" "$work/saved.jsonl"

  full=$(stat full_creates) incremental=$(stat incremental_creates) misses=$(stat cache_misses)
  run resume --last "And now?" >"$work/chained.txt" 2>"$work/chained.err" \
    || fail "$transport: resume failed: $(cat "$work/chained.err")"
  [ "$(stat full_creates)" = "$full" ] || fail "$transport: the resume sent a full create"
  [ "$(stat incremental_creates)" = $((incremental + 1)) ] || fail "$transport: the resume did not chain once"
  [ "$(stat cache_misses)" = $((misses + 1)) ] || fail "$transport: the parent did not come from the store"

  # the same saved session against a new emulator, which never had its response
  cp "$work/saved.jsonl" "$session"
  start_emulator
  run resume --last "And now?" -v >"$work/resent.txt" 2>"$work/resent.err" \
    || fail "$transport: resume against a new emulator failed: $(cat "$work/resent.err")"
  cmp -s "$work/chained.txt" "$work/resent.txt" \
    || fail "$transport: answers differ: $(cat "$work/chained.txt") / $(cat "$work/resent.txt")"
  if [ "$(stat incremental_creates)" != 1 ] || [ "$(stat full_creates)" != 1 ]; then
    fail "$transport: expected one refused chained create and one full create"
  fi
  [ "$(grep -c 'is gone from the server (previous_response_not_found)' "$work/resent.err")" = 1 ] \
    || fail "$transport: the fallback was not logged once with -v: $(cat "$work/resent.err")"
  if grep -qi 'error' "$work/resent.err"; then fail "$transport: an error reached stderr: $(cat "$work/resent.err")"; fi
  grep -q 'wire .* 1 full + 1 incremental request(s)' "$work/resent.err" \
    || fail "$transport: the summary does not count one full and one incremental request: $(cat "$work/resent.err")"
  echo "resume-chain: $transport ok: chained, then resent in full after previous_response_not_found"
done
