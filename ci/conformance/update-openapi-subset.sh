#!/usr/bin/env bash
# Regenerates runner/src/test/resources/conformance/openai-openapi-subset.json from a copy of the official OpenAI
# OpenAPI document (github.com/openai/openai-openapi, MIT): the component schemas the conformance tests validate
# against, with everything they reference. Run it when the upstream spec changes, then run the tests.
#
#   ci/conformance/update-openapi-subset.sh SPEC.yaml COMMIT
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 SPEC.yaml COMMIT   (the openai/openai-openapi commit the file comes from)" >&2
  exit 2
fi
spec=$1
commit=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$spec" ] || { echo "$0: no such file: $spec" >&2; exit 2; }

cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
(cd "$top/runner" && ../mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null)

# The roots: every component a test in runner/src/test/java/dev/runner/conformance names.
roots=(CreateResponse Response ResponseStreamEvent ResponsesClientEvent ResponsesServerEvent ResponseWsError
  ErrorResponse InputItem EasyInputMessage InputMessage CompactResource CompactResponseMethodPublicBody)

"${JAVA:-java}" -cp "$(cat "$cp_file")" "$top/ci/lib/OpenApiSubset.java" "$spec" \
  "$top/runner/src/test/resources/conformance/openai-openapi-subset.json" \
  "https://github.com/openai/openai-openapi" "$commit" "${roots[@]}"
