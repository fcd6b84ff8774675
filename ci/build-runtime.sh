#!/usr/bin/env bash
# Builds a self-contained runner installation in OUT: a jlink'd runtime with only the modules the runner needs,
# runner.jar + lib/runner-libraries.jar (the libraries merged), the launcher, and an AOT cache trained on a real
# emulator run.
# Used by the Dockerfile and by ci/image-smoke.sh (which then measures it).
#   ci/build-runtime.sh OUT [JDK_HOME]     (JDK_HOME: a JDK >= 25 with jlink; found under /usr/lib/jvm if not given)
set -euo pipefail

out=${1:?usage: ci/build-runtime.sh OUT [JDK_HOME]}
top=$(cd "$(dirname "$0")/.." && pwd)
target="$top/runner/target"

find_jdk() {
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/openjdk; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] && [ -f "$candidate/release" ] || continue
    feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release")
    if [ "${feature:-0}" -ge 25 ]; then echo "$candidate"; return 0; fi
  done
  return 1
}
jdk=${2:-$(find_jdk)} || { echo "build-runtime: no JDK >= 25 with jlink found; install one (e.g. Temurin 25) or pass its path" >&2; exit 2; }

if [ ! -f "$target/runner.jar" ]; then
  echo "build-runtime: $target/runner.jar is missing; run ./mvnw -B package -DskipTests first" >&2
  exit 2
fi

rm -rf "$out"
mkdir -p "$out/lib"
out=$(cd "$out" && pwd) # absolute: the training run below works in another folder
train_dir=$(mktemp -d)
trap 'rm -rf "$train_dir"' EXIT
cp "$target/runner.jar" "$out/"
# Only the jars the manifest's Class-Path names: runner/target/lib keeps jars an older build left there.
(cd "$train_dir" && "$jdk/bin/jar" -xf "$target/runner.jar" META-INF/MANIFEST.MF)
class_path=$(tr -d '\r' <"$train_dir/META-INF/MANIFEST.MF" | awk '
  /^Class-Path: / { cp = substr($0, 13); on = 1; next }
  on && /^ / { cp = cp substr($0, 2); next }
  { on = 0 }
  END { print cp }')
[ -n "$class_path" ] || { echo "build-runtime: runner.jar's manifest has no Class-Path" >&2; exit 1; }
for entry in $class_path; do cp "$target/$entry" "$out/$entry"; done
rm -rf "$train_dir/META-INF"
# picocli ships Java 5 class files, which the AOT cache leaves out; rewritten as Java 8 ones they are cached too.
for old_jar in "$out"/lib/picocli-[0-9]*.jar; do
  "$jdk/bin/java" "$top/ci/lib/ModernizeJar.java" "$old_jar" >&2
done
# The libraries as one jar, in class path order: each lookup on the class path (a class the cache lacks, a service the
# JDK looks for at start-up) opens every jar and reads its manifest (see MergeJars).
"$jdk/bin/java" "$top/ci/lib/MergeJars.java" "$out/lib/runner-libraries.jar" \
  $(for entry in $class_path; do echo "$out/$entry"; done) >&2
for entry in $class_path; do rm "$out/$entry"; done
# runner.jar again, with its manifest naming that jar alone (`jar --update` would merge the two Class-Path values)
mkdir "$train_dir/app"
(cd "$train_dir/app" && "$jdk/bin/jar" -xf "$out/runner.jar")
tr -d '\r' <"$train_dir/app/META-INF/MANIFEST.MF" | awk '
  /^Class-Path: / { skip = 1; next }
  skip && /^ / { next }
  { skip = 0 }
  /^$/ { next }
  { print }
  END { print "Class-Path: lib/runner-libraries.jar" }' >"$train_dir/manifest.mf"
rm "$train_dir/app/META-INF/MANIFEST.MF"
rm "$out/runner.jar"
"$jdk/bin/jar" --create --file "$out/runner.jar" --manifest "$train_dir/manifest.mf" -C "$train_dir/app" .
rm -rf "$train_dir/app"
# One modification time for all jars (and, below, the cache): the launcher uses the cache only while they still share it.
for jar in "$out"/lib/*.jar; do touch -r "$out/runner.jar" "$jar"; done
cp "$top/runner/src/main/launcher/runner" "$out/runner"
chmod 755 "$out/runner"

# Modules from jdeps, plus what reflection, TLS and Netty reach at run time that jdeps cannot see. Not jdk.localedata:
# the runner formats nothing by locale, and with it Jackson's first ObjectMapper (its date format's calendar) walks the
# CLDR locale list on every start (and the runtime is smaller without it).
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 21 \
  --class-path "$out/lib/*" "$out/runner.jar")
modules="$modules,jdk.crypto.ec,jdk.unsupported,java.logging,jdk.management,jdk.zipfs"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$out/runtime"

# Train the AOT cache on what users run: exec with tool calls over both transports, against a model server in a JVM
# of its own (as a real provider is): the embedded emulator would put its server classes, about 330 classes of the 5,650 the cache held, in
# every start.
printf '{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"],"additionalProperties":false}\n' \
  > "$train_dir/schema.json"
jvm_opts=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC --sun-misc-unsafe-memory-access=allow)
"$out/runtime/bin/java" "${jvm_opts[@]}" -jar "$out/runner.jar" emulator --port 0 --no-auth --scenario tools:3 \
  >"$train_dir/emulator.out" 2>"$train_dir/emulator.err" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -rf "$train_dir"' EXIT
base_url=""
for _ in $(seq 300); do # up to 30 s on a busy machine
  base_url=$(sed -n 's/.*"base_url":"\([^"]*\)".*/\1/p' "$train_dir/emulator.out")
  [ -n "$base_url" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$base_url" ]; then
  echo "build-runtime: the training emulator did not start:" >&2; cat "$train_dir/emulator.err" >&2; exit 1
fi
mkdir -p "$train_dir/home"
printf '[model_providers.train]\nname = "training emulator"\nbase_url = "%s"\n' "$base_url" >"$train_dir/home/config.toml"
(
  cd "$train_dir"
  export RUNNER_HOME="$train_dir/home" CODEX_HOME="$train_dir/home"
  "$out/runtime/bin/java" "${jvm_opts[@]}" -XX:TieredStopAtLevel=1 \
    -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -XX:AOTCacheOutput="$out/runner.aot" -Xlog:aot=off -Xlog:cds=off \
    -Drunner.training=true -jar "$out/runner.jar" train-aot --workdir "$train_dir" --schema "$train_dir/schema.json" \
    --provider train </dev/null >"$train_dir/train.log" 2>&1 || {
      echo "build-runtime: AOT training run failed:" >&2; cat "$train_dir/train.log" >&2; exit 1; }
)
kill "$emulator_pid" 2>/dev/null || true
wait "$emulator_pid" 2>/dev/null || true
touch -r "$out/runner.jar" "$out/runner.aot"
echo "build-runtime: $out (runtime $(du -sh "$out/runtime" | cut -f1), AOT cache $(du -sh "$out/runner.aot" | cut -f1))"
