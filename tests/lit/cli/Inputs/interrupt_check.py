#!/usr/bin/env python3
"""interrupt_check.py MVC WORKDIR — Ctrl-C (SIGINT) during `mvc run --samples-out` and during
`mvc build`: mvc exits 130 with a message; the CSV ends with a whole row; the build leaves no
temporary directory, no temporary file beside the output, and no output."""
import os
import shutil
import signal
import subprocess
import sys
import time

mvc, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)  # a CSV left by an earlier run would be seen at once
os.makedirs(work)
prog = os.path.join(work, "coin.mv")
with open(prog, "w") as f:
    f.write("model coin {\n  h ~ bernoulli(0.25)\n  k ~ binomial(10, 0.5)\n}\n"
            "query heads on coin {\n  predict h\n  predict k\n}\n")


def wait_until(proc, cond, what, timeout=120):
    end = time.time() + timeout
    while not cond():
        if time.time() > end or proc.poll() is not None:
            proc.kill()
            sys.exit("gave up waiting for " + what + ": " + proc.communicate()[1])
        time.sleep(0.005)


def finish(proc):
    """The process's output once it exits (killed if a minute after Ctrl-C it has not)."""
    try:
        return proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        sys.exit("still running a minute after SIGINT: " + " ".join(proc.args))


# --samples-out: interrupt once rows are streaming.
csv = os.path.join(work, "samples.csv")
p = subprocess.Popen([mvc, "run", prog, "--engine", "interp", "--samples", "1000000000000", "--threads", "2",
                      "--samples-out", csv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
wait_until(p, lambda: os.path.exists(csv) and os.path.getsize(csv) > 100000, "rows in " + csv)
p.send_signal(signal.SIGINT)
out, err = finish(p)
assert p.returncode == 130, f"run: exit {p.returncode}, stderr {err!r}"
assert "mvc: interrupted" in err and "whole rows" in err, err
assert out == "", out  # no estimate from a partial run
data = open(csv).read()
assert data.endswith("\n"), "the last row is cut: " + repr(data[-60:])
rows = data.splitlines()
assert rows[0] == "index,log_weight,h,k", rows[0]
for r in rows[1:]:
    fields = r.split(",")
    assert len(fields) == 4 and fields[0].isdigit() and fields[3].isdigit(), "bad row " + repr(r)
print(f"run: {len(rows) - 1} whole rows, exit 130")

# mvc build: interrupt once its temporary directory exists (TMPDIR is private to this test).
tmp = os.path.join(work, "tmp")
out_dir = os.path.join(work, "out")
for d in (tmp, out_dir):
    os.makedirs(d)
exe = os.path.join(out_dir, "coin")
env = dict(os.environ, TMPDIR=tmp)
p = subprocess.Popen([mvc, "build", prog, "-o", exe], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                     env=env)
wait_until(p, lambda: any(n.startswith("mvc-build-") for n in os.listdir(tmp)), "mvc build's temporary directory")
p.send_signal(signal.SIGINT)
out, err = finish(p)
time.sleep(0.5)  # a linker left running would still be writing
assert p.returncode == 130, f"build: exit {p.returncode}, stderr {err!r}"
assert "mvc: interrupted" in err and "was not written" in err, err
assert os.listdir(tmp) == [], "left in TMPDIR: " + repr(os.listdir(tmp))
assert os.listdir(out_dir) == [], "left beside the output: " + repr(os.listdir(out_dir))
print("build: nothing left behind, exit 130")
