#!/usr/bin/env bash
# The sandbox escape suite (runner's SandboxEscapeTest), as root and as an ordinary user this script creates.
# Fails when an attack succeeds, when a case could not run (skipped or aborted), or when no case ran at all.
# Needs root (it creates the user), bubblewrap, python3 and a JDK >= 21 (JAVA_HOME, /usr/lib/jvm/*).
# Usage: ci/escape-suite.sh            (USER_NAME=runner-escape by default)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
user=${USER_NAME:-runner-escape}
tests=(dev.runner.tools.SandboxEscapeTest dev.runner.tools.WritableRootsEscapeTest)

fail() { echo "escape-suite: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root: it runs the suite as root and as the user $user, whom it creates"
command -v bwrap >/dev/null || fail "bubblewrap is missing (apt-get install bubblewrap)"
command -v python3 >/dev/null || fail "python3 is missing (apt-get install python3)"
command -v runuser >/dev/null || fail "runuser is missing (apt-get install util-linux)"

find_jdk() {
  local candidate feature
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/openjdk; do
    if [ -z "$candidate" ] || [ ! -x "$candidate/bin/java" ] || [ ! -f "$candidate/release" ]; then continue; fi
    feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release")
    if [ -n "$feature" ] && [ "$feature" -ge 21 ]; then echo "$candidate"; return 0; fi
  done
  return 1
}
jdk=$(find_jdk) || fail "no JDK >= 21 found; install one or set JAVA_HOME"

id -u "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
home=$(getent passwd "$user" | cut -d: -f6)
[ -d "$home" ] || fail "the home of $user ($home) does not exist"

# Classes and the test class path, copied where the user can read them; not under /tmp, which the sandbox replaces.
junit=$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' "$top/pom.xml")
stage="$home/escape-suite"
rm -rf "$stage"
mkdir -p "$stage/lib" "$stage/root" "$stage/user"
(cd "$top" && ./mvnw -B -q -pl runner test-compile dependency:build-classpath dependency:copy \
  -Dmdep.outputFile="$stage/classpath.txt" -Dmdep.includeScope=test \
  -Dartifact="org.junit.platform:junit-platform-launcher:$junit" -DoutputDirectory="$stage/lib" \
  -Dspotless.check.skip=true -Dcheckstyle.skip=true)
cp -r "$top/runner/target/classes" "$top/runner/target/test-classes" "$stage/"
tr ':' '\n' <"$stage/classpath.txt" | while IFS= read -r jar; do
  [ -n "$jar" ] && cp "$jar" "$stage/lib/"
done
cp "$top/ci/lib/EscapeSuite.java" "$stage/"
chown -R "$user:" "$stage/user"
chmod -R a+rX "$stage"
cp_all="$stage/classes:$stage/test-classes:$stage/lib/*"

status=0
echo "== as root"
(cd "$stage/root" && "$jdk/bin/java" -cp "$cp_all" "$stage/EscapeSuite.java" "${tests[@]}") || status=1
echo "== as $user"
(cd "$stage/user" && runuser -u "$user" -- env -i PATH="/usr/local/bin:/usr/bin:/bin" HOME="$home" LANG=C.UTF-8 \
  "$jdk/bin/java" -cp "$cp_all" "$stage/EscapeSuite.java" "${tests[@]}") || status=1

rm -rf "$stage"
if [ "$status" != 0 ]; then fail "an attack succeeded or a case did not run (see above)"; fi
echo "escape-suite: every attack failed, as root and as $user"
