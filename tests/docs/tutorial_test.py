#!/usr/bin/env python3
"""tests/docs/tutorial_test.py — runs every snippet of docs/tutorial.md. The `mv` blocks are
appended to one program; each `<!-- check: QUERY LABEL VALUE -->` must hold within 5 reported
standard errors (exact if the error is 0); every `repl` block must run through `mvc repl`
with exit status 0. The `json` blocks are the program's data files: their objects, merged,
are the one file passed with `--data`. Usage: tutorial_test.py MVC TUTORIAL.md"""
import json
import os
import re
import subprocess
import sys
import tempfile

mvc, doc = sys.argv[1], sys.argv[2]
text = open(doc, encoding="utf-8").read()
blocks = re.findall(r"```(\w*)\n(.*?)```", text, re.S)
program = "\n".join(body for lang, body in blocks if lang == "mv")
checks = re.findall(r"<!-- check: (\S+) (\S+) (\S+) -->", text)
data = {}
for lang, body in blocks:
    if lang == "json":
        data.update(json.loads(body))
failures = []
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "lawn.mv")
    open(path, "w").write(program)
    args = [mvc, "run", path, "--samples", "200000", "--threads", "2", "--format", "json"]
    if data:
        open(os.path.join(tmp, "data.json"), "w").write(json.dumps(data))
        args += ["--data", os.path.join(tmp, "data.json")]
    run = subprocess.run(args, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"FAIL: mvc run exited {run.returncode}:\n{run.stderr}")
    results = {}
    for line in run.stdout.splitlines():
        q = json.loads(line)
        for p in q["predictions"]:
            results[(q["query"], p["label"])] = (p["mean"], p["stderr"])
    for query, label, value in checks:
        if (query, label) not in results:
            failures.append(f"no prediction {label} in query {query}")
            continue
        mean, se = results[(query, label)]
        if abs(mean - float(value)) > 5 * se + 1e-12:
            failures.append(f"{query} {label}: {mean} ± {se}, expected {value}")
    for lang, body in blocks:
        if lang != "repl":
            continue
        r = subprocess.run([mvc, "repl", "--threads", "2"], input=body, capture_output=True, text=True)
        if r.returncode != 0 or "error" in r.stderr:
            failures.append(f"repl block failed ({r.returncode}):\n{body}\n{r.stderr}")
print(f"{len(checks)} checks, {sum(1 for l, _ in blocks if l == 'repl')} repl blocks")
if failures:
    sys.exit("FAIL:\n" + "\n".join(failures))
print("PASS")
