#!/usr/bin/env bash
# Fuzzes the decoders and parsers with Jazzer, one @FuzzTest at a time (Jazzer fuzzes one per JVM), each for its
# @FuzzTest maxDuration (30 s). Ordinary builds only replay the committed inputs under
# runner/src/test/resources/**/<Class>Inputs/<method>/. A crash makes the run fail; Jazzer saves the input there as
# crash-<sha1>, which from then on is replayed by every build: commit it with the fix.
#
#   ci/fuzz.sh [TestClass ...]     (default: all five targets)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(SseDecoderFuzzTest EventDecoderFuzzTest PatchParserFuzzTest ConfigParsingFuzzTest SchemaLoadingFuzzTest)
fi
status=0
for t in "${targets[@]}"; do
  echo "fuzz: $t" >&2
  if ! (cd "$top" && JAZZER_FUZZ=1 ./mvnw -B -q ${MAVEN_OFFLINE:+-o} test -Dtest="$t" \
      -Dsurefire.failIfNoSpecifiedTests=false -Dspotless.check.skip=true -Dcheckstyle.skip=true); then
    echo "fuzz: $t found a failing input; see runner/target/surefire-reports/*$t*.txt" >&2
    status=1
  fi
done
exit $status
