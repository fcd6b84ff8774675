#!/usr/bin/env bash
# Installs the third-party MCP servers the MCP tests drive (stdio and streamable HTTP) into .cache/mcp-servers at the
# repo root (git-ignored), once; later runs reuse them. Prints the folder. Needs node + npm (Node >= 20) and the npm
# registry on the first run.
#
#   ci/mcp-servers.sh
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir="$top/.cache/mcp-servers"
everything_version=2026.8.31
filesystem_version=2026.8.31

fail() { echo "mcp-servers: FAIL: $*" >&2; exit 1; }
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  fail "node and npm are required (Node >= 20)"
fi

installed() { # package version
  [ -f "$dir/node_modules/$1/package.json" ] \
    && [ "$(node -p "require('$dir/node_modules/$1/package.json').version")" = "$2" ]
}
if ! installed @modelcontextprotocol/server-everything "$everything_version" \
  || ! installed @modelcontextprotocol/server-filesystem "$filesystem_version"; then
  echo "mcp-servers: installing server-everything@$everything_version server-filesystem@$filesystem_version" >&2
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"runner-mcp-test-servers","private":true}' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error \
    "@modelcontextprotocol/server-everything@$everything_version" \
    "@modelcontextprotocol/server-filesystem@$filesystem_version" >/dev/null) \
    || fail "npm install failed (network or registry problem?)"
fi
echo "$dir"
