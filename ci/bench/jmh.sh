#!/usr/bin/env bash
# JMH micro-benchmarks (runner/src/jmh/java): SSE decoding, event parsing, request serialization, with allocation
# rates (-prof gc). Builds with -Pjmh, then runs JMH twice: with the JIT as JMH uses it (C2) and with C1 only
# (-XX:TieredStopAtLevel=1), which is how the runner's launcher starts the JVM.
#   ci/bench/jmh.sh [JMH options...]      e.g. ci/bench/jmh.sh SseDecoderBench -f 1 -i 3
# Results: runner/target/bench/jmh-c2.{json,txt} and jmh-c1.{json,txt}. About 3 minutes with the defaults.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out="$top/runner/target/bench"
mkdir -p "$out"

jdk=""
for candidate in "${RUNNER_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -f "$candidate/release" ] || continue
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release")
  if [ "${v:-0}" -ge 21 ] && { [ -z "$jdk" ] || [ "$v" -gt "$best" ]; }; then jdk=$candidate; best=$v; fi
done
[ -n "$jdk" ] || { echo "jmh: no JDK >= 21 found (set RUNNER_JAVA_HOME)" >&2; exit 2; }

echo "jmh: building with -Pjmh (test-compile)" >&2
./mvnw -q -B -Pjmh test-compile -pl runner
./mvnw -q -B -Pjmh dependency:build-classpath -pl runner -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/jmh.classpath" >/dev/null
cp="$top/runner/target/test-classes:$top/runner/target/classes:$(cat "$out/jmh.classpath")"

args=("$@")
[ ${#args[@]} -gt 0 ] || args=(-f 1 -wi 3 -w 1s -i 5 -r 1s)
for jit in c2 c1; do
  extra=()
  [ "$jit" = c1 ] && extra=(-jvmArgsAppend "-XX:TieredStopAtLevel=1")
  echo "jmh: running ($jit) with $jdk" >&2
  "$jdk/bin/java" -cp "$cp" org.openjdk.jmh.Main "${args[@]}" "${extra[@]}" -prof gc -rf json \
    -rff "$out/jmh-$jit.json" | tee "$out/jmh-$jit.txt" | grep -E '^(Benchmark|[A-Za-z].*Bench\.[A-Za-z0-9]+(:gc\.alloc\.rate\.norm)? )' || true
done
echo "jmh: results in ${out#"$top"/}/jmh-{c2,c1}.{txt,json}" >&2
