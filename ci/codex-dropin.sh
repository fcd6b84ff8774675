#!/usr/bin/env bash
# A CI step written for `codex exec`, run with `runner exec` in its place (CODEX=runner) against the runner's emulator.
# A recording proxy keeps every request body and the checks at the end compare them with what codex sends for the same
# step: -c reasoning keys, AGENTS.md from the repository, resume --last, review. Offline; needs python3 and git.
# Usage: ci/codex-dropin.sh       (RUNNER=path/to/runner; default: runner/target/runner from ./mvnw package)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
runner=${RUNNER:-$top/runner/target/runner}
fail() { echo "codex-dropin: $*" >&2; exit 1; }
[ -x "$runner" ] || fail "$runner is missing; build it with ./mvnw -B -pl runner package -DskipTests, or set RUNNER"
command -v python3 >/dev/null || fail "python3 is missing (apt-get install python3)"
command -v git >/dev/null || fail "git is missing (apt-get install git)"
# shellcheck source=lib/codex-config.sh
. "$top/ci/lib/codex-config.sh"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# the emulator, and the recording proxy in front of it
"$runner" emulator --scenario demo --no-auth >"$work/emulator.out" 2>"$work/emulator.err" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/emulator.out" ] && break; sleep 0.1; done
emulator_port=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["port"])' \
  "$work/emulator.out") || fail "the emulator did not start: $(cat "$work/emulator.err")"
mkdir -p "$work/bodies"
python3 "$top/ci/dropin/capture_proxy.py" "http://127.0.0.1:$emulator_port" "$work/bodies" >"$work/proxy.out" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/proxy.out" ] && break; sleep 0.1; done
proxy_port=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["port"])' "$work/proxy.out")

# a repository with project docs, and codex's config pointing at the proxy (HTTP, so every body passes it)
export CODEX_HOME="$work/codex-home" RUNNER_HOME="$work/runner-home" EMULATOR_KEY=offline
mkdir -p "$CODEX_HOME" "$work/repo"
codex_config "$CODEX_HOME/config.toml" "http://127.0.0.1:$proxy_port" false EMULATOR_KEY
agents="Run ./build.sh before answering; never edit generated/."
git -C "$work/repo" init -q
printf '%s\n' "$agents" >"$work/repo/AGENTS.md"
printf 'echo build\n' >"$work/repo/build.sh"
git -C "$work/repo" add -A
git -C "$work/repo" -c user.email=ci@example.com -c user.name=ci commit -q -m "start"
printf 'echo changed\n' >>"$work/repo/build.sh"

# --- the step as written for codex: only CODEX changes ----------------------------------------------------------
CODEX="$runner"
cd "$work/repo"
"$CODEX" exec --dangerously-bypass-approvals-and-sandbox --color never \
  -c model_reasoning_effort=high -c model_reasoning_summary=concise -c model_verbosity=low \
  -o "$work/last.txt" --json "Summarize the repository" >"$work/events.jsonl"
"$CODEX" exec --dangerously-bypass-approvals-and-sandbox resume --last "Now list the files" >"$work/resumed.txt"
thread=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["thread_id"])' "$work/events.jsonl")
"$CODEX" exec --dangerously-bypass-approvals-and-sandbox fork "$thread" "Suggest one test" >"$work/forked.txt"
"$CODEX" exec --dangerously-bypass-approvals-and-sandbox review --uncommitted >"$work/review.json"
# ----------------------------------------------------------------------------------------------------------------

[ -s "$work/last.txt" ] || fail "-o wrote nothing"
grep -q '"type":"turn.completed"' "$work/events.jsonl" || fail "--json printed no turn.completed event"
python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); assert v["overall_correctness"] in ("patch is correct","patch is incorrect")' \
  "$work/review.json" || fail "review printed no findings object: $(head -c 300 "$work/review.json")"
python3 "$top/ci/dropin/check_requests.py" "$work/bodies" "$agents"
echo "codex-dropin: ok ($(find "$work/bodies" -name '*.json' | wc -l) requests checked)"
