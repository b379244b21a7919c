#!/usr/bin/env python3
"""interrupt_prefix.py MVC WORKDIR — Ctrl-C (SIGINT) during `mvc run --samples-out` at 1, 2, 4 and 8
threads and on both sampling engines: exit 130, and the message says how many samples the file
holds ("holds the whole rows of samples 0..K-1 (the first K of N)"), which must be exactly the rows
of samples 0..K-1 in order (no gap, no half row, nothing after), a whole number of 4096-sample
blocks, as a run that fails at run time leaves the rows before its failing sample."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time

mvc, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
prog = os.path.join(work, "coin.mv")
with open(prog, "w") as f:
    f.write("model coin {\n  h ~ bernoulli(0.25)\n  k ~ binomial(10, 0.5)\n}\n"
            "query heads on coin {\n  predict h\n  predict k\n}\n")
N = 1000000000000


def interrupted_run(engine, threads, after_bytes):
    csv = os.path.join(work, f"{engine}.{threads}.csv")
    p = subprocess.Popen([mvc, "run", prog, "--engine", engine, "--samples", str(N), "--threads", str(threads),
                          "--samples-out", csv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    end = time.time() + 120
    while not (os.path.exists(csv) and os.path.getsize(csv) > after_bytes):
        if time.time() > end or p.poll() is not None:
            p.kill()
            sys.exit(f"{engine} x{threads}: gave up waiting for rows: {p.communicate()[1]}")
        time.sleep(0.002)
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        sys.exit(f"{engine} x{threads}: still running a minute after SIGINT")
    where = f"{engine} x{threads}"
    if p.returncode != 130 or out != "":
        sys.exit(f"{where}: exit {p.returncode}, stdout {out!r}, stderr {err!r}")
    m = re.search(r"holds the whole rows of samples 0\.\.(\d+) \(the first (\d+) of (\d+)\)", err)
    if not m or int(m.group(1)) + 1 != int(m.group(2)) or int(m.group(3)) != N:
        sys.exit(f"{where}: the message does not say which samples the file holds: {err!r}")
    k = int(m.group(2))
    data = open(csv).read()
    if not data.endswith("\n"):
        sys.exit(f"{where}: the last row is cut: {data[-60:]!r}")
    rows = data.splitlines()
    indices = [int(r.split(",")[0]) for r in rows[1:]]
    if rows[0] != "index,log_weight,h,k" or indices != list(range(k)):
        gaps = [i for i in range(1, len(indices)) if indices[i] != indices[i - 1] + 1][:3]
        sys.exit(f"{where}: {len(indices)} rows, not samples 0..{k - 1} (breaks after rows {gaps}, last {indices[-1:]})")
    if k % 4096:
        sys.exit(f"{where}: {k} samples is not a whole number of blocks")
    return k


for threads in (1, 2, 4, 8):
    interrupted_run("interp", threads, 200000)
interrupted_run("jit", 4, 200000)
print("prefix at 1, 2, 4, 8 threads and on the jit")
