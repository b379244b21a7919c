# tests/python/test_interrupt.py — Ctrl-C (SIGINT) stops a long run or samples() promptly with KeyboardInterrupt.
import os
import signal
import subprocess
import sys
import time

import pytest
from conftest import EXAMPLES

CHILD = r"""
import sys, time
import multiverse as mv
prog = mv.load(sys.argv[1])
call = sys.argv[2]
print("running", flush=True)
start = time.monotonic()
try:
    if call == "run":
        prog.run("cure_d1", samples=10**12, engine="interp", threads=2)
    else:
        prog.samples("cure_d1", 30_000_000, engine="interp", threads=1)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
r = prog.run("cure_d1", samples=1000, seed=2)  # the program is still usable
print("after", r.samples, flush=True)
"""


@pytest.mark.parametrize("call", ["run", "samples"])
def test_sigint_raises_keyboard_interrupt_promptly(call):
    p = subprocess.Popen([sys.executable, "-c", CHILD, os.path.join(EXAMPLES, "diagnosis.mv"), call],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline() == "running\n"
        time.sleep(1.5)  # well into the run (it would take hours)
        assert p.poll() is None, "the run ended before it was interrupted"
        sent = time.monotonic()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        waited = time.monotonic() - sent
    finally:
        p.kill()
    assert p.returncode == 0, err
    assert out == "interrupted\nafter 1000\n", err
    assert waited < 5, f"{waited:.1f} s from SIGINT to exit"
