#!/usr/bin/env bash
# --metrics-push against a real Prometheus Pushgateway (Debian's prometheus-pushgateway, installed when missing),
# started here on a free loopback port and stopped on every exit path: exec and batch push on the emulator, the series
# are read back from the gateway's /metrics with their job and grouping labels, and a push to a closed port warns
# without changing the exit code.
#   ci/pushgateway-test.sh        (after ./mvnw package; as root or with sudo for the install)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
runner="$top/runner/target/runner"
if [ ! -x "$runner" ] || [ ! -f "$top/runner/target/runner.jar" ]; then
  echo "pushgateway-test: $runner is missing; run ./mvnw -B package -DskipTests first" >&2; exit 2
fi
if ! command -v prometheus-pushgateway >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-pushgateway >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus-pushgateway >/dev/null
  fi
fi

work=$(mktemp -d)
gateway_pid=""
cleanup() {
  if [ -n "$gateway_pid" ]; then kill "$gateway_pid" 2>/dev/null || true; wait "$gateway_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-pushgateway --web.listen-address="127.0.0.1:$port" --persistence.file="" >"$work/gateway.log" 2>&1 &
gateway_pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 100); do # up to 10 s
  curl -sf "$url/-/ready" >/dev/null 2>&1 && break
  kill -0 "$gateway_pid" 2>/dev/null || { echo "pushgateway-test: the gateway exited:" >&2; cat "$work/gateway.log" >&2; exit 1; }
  sleep 0.1
done
curl -sf "$url/-/ready" >/dev/null || { echo "pushgateway-test: the gateway is not ready after 10 s" >&2; exit 1; }
echo "pushgateway $(prometheus-pushgateway --version 2>&1 | head -1 | cut -d' ' -f3) on $url"

export RUNNER_HOME="$work/home" CODEX_HOME="$work/home"
unset GITHUB_ACTIONS
fail() { echo "pushgateway-test: $*" >&2; exit 1; }
expect() { # series regex
  grep -Eq "$1" "$work/metrics.txt" || { echo "pushgateway-test: /metrics lacks $1; it has:" >&2
    grep '^runner_' "$work/metrics.txt" >&2 || true; exit 1; }
}

# exec, with GitHub's variables as grouping labels
GITHUB_REPOSITORY=octo/repo GITHUB_WORKFLOW=ci GITHUB_RUN_ID=4242 GITHUB_RUN_ATTEMPT=1 \
  "$runner" exec --provider emulator --skip-git-repo-check -s danger-full-access -C "$work" \
  -c emulator.scenario=tools:2 --metrics-push "$url" "go" </dev/null >"$work/exec.out" 2>"$work/exec.err" \
  || fail "exec failed: $(cat "$work/exec.err")"
curl -sf "$url/metrics" >"$work/metrics.txt"
# (the gateway sorts labels by name)
labels='instance="",job="runner",provider="emulator",repository="octo/repo",run_attempt="1",run_id="4242",workflow="ci"'
expect "^runner_run_success\{$labels\} 1$"
expect "^runner_run_exit_code\{$labels\} 0$"
expect "^runner_tool_duration_seconds_count\{instance=\"\",job=\"runner\",provider=\"emulator\",repository=\"octo/repo\",run_attempt=\"1\",run_id=\"4242\",tool=\"shell\",transport=\"websocket\",workflow=\"ci\"\} 2$"
expect '^push_time_seconds\{instance="",job="runner",repository="octo/repo",run_attempt="1",run_id="4242",workflow="ci"\} '
echo "exec: pushed and read back ($(grep -c '^runner_' "$work/metrics.txt") runner series)"

# batch: tasks by status, grouped by shard; the gateway from the config key this time
printf '%s\n' '{"id":"a","prompt":"one"}' '{"id":"b","prompt":"two"}' >"$work/tasks.jsonl"
(cd "$work" && "$runner" batch --provider emulator -s danger-full-access -c emulator.scenario=tools:1 \
  --results "$work/results.jsonl" -c "metrics_push_url=\"$url\"" --shard 0/1 tasks.jsonl </dev/null \
  >"$work/batch.out" 2>"$work/batch.err") || fail "batch failed: $(cat "$work/batch.err")"
curl -sf "$url/metrics" >"$work/metrics.txt"
expect '^runner_batch_tasks\{instance="",job="runner_batch",shard="0_1",status="ok"\} 2$'
expect '^runner_batch_tasks\{instance="",job="runner_batch",shard="0_1",status="failed"\} 0$'
expect '^runner_run_success\{instance="",job="runner_batch",shard="0_1"\} 1$'
echo "batch: tasks by status pushed and read back"

# a gateway that is not there: a warning, and the run's own exit code
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
code=0
"$runner" exec --provider emulator --skip-git-repo-check -s danger-full-access -C "$work" \
  --metrics-push "http://127.0.0.1:$closed" "go" </dev/null >/dev/null 2>"$work/closed.err" || code=$?
[ "$code" = 0 ] || fail "a failed push changed the exit code to $code: $(cat "$work/closed.err")"
grep -q "runner: warning: could not push metrics to http://127.0.0.1:$closed" "$work/closed.err" \
  || fail "a failed push did not warn: $(cat "$work/closed.err")"
echo "failed push: warned, exit code 0 kept"
echo "pushgateway-test: ok"
