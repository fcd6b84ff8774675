#!/usr/bin/env python3
"""Checks the request bodies ci/codex-dropin.sh captured (DIR/NNN.json, in order) against what codex would send for
the same step. Prints one line per check; exits 1 when one fails."""
import json
import os
import sys

folder, agents_text = sys.argv[1], sys.argv[2]
bodies = [json.load(open(os.path.join(folder, f))) for f in sorted(os.listdir(folder)) if f.endswith(".json")]
failed = []


def check(name, ok):
    print(("ok   " if ok else "FAIL ") + name)
    if not ok:
        failed.append(name)


def texts(body):
    out = []
    for item in body.get("input", []):
        out.append("".join(c.get("text", "") for c in item.get("content", []) if isinstance(c, dict)))
    return out


check("requests captured (%d)" % len(bodies), len(bodies) >= 3)
first = bodies[0]
check("reasoning.effort high", first.get("reasoning", {}).get("effort") == "high")
check("reasoning.summary concise", first.get("reasoning", {}).get("summary") == "concise")
check("include reasoning.encrypted_content", first.get("include") == ["reasoning.encrypted_content"])
check("store false", first.get("store") is False)
check("text.verbosity low", first.get("text", {}).get("verbosity") == "low")
check("AGENTS.md sent first, as codex sends it",
      texts(first)[0].startswith("# AGENTS.md instructions for ") and agents_text in texts(first)[0])
check("the task follows it", texts(first)[1].startswith("Summarize the repository"))
resumed = [b for b in bodies if any(t.startswith("Now list the files") for t in texts(b))]
check("resume --last sent the first task again before the new one",
      bool(resumed) and any(t.startswith("Summarize the repository") for t in texts(resumed[0])))
forked = [b for b in bodies if any(t.startswith("Suggest one test") for t in texts(b))]
check("fork THREAD_ID (from --json's thread.started) continued that session",
      bool(forked) and any(t.startswith("Now list the files") for t in texts(forked[0])))
review = [b for b in bodies if any("You are reviewing a code change" in t for t in texts(b))]
check("review sent the built-in prompt", bool(review))
check("review asked for the findings schema",
      bool(review) and "findings" in review[0].get("text", {}).get("format", {}).get("schema", {}).get("properties", {}))
sys.exit(1 if failed else 0)
