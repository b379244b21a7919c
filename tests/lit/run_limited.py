#!/usr/bin/env python3
"""run_limited.py CPU_SECONDS MEMORY_MB CMD... — runs CMD under a CPU-time and address-space
limit (a guard that turns a blow-up into a failure instead of a hang) and exits with its status;
killed by a signal (the limit reached) it exits 125 with a message."""
import os
import resource
import subprocess
import sys

cpu, mem = int(sys.argv[1]), int(sys.argv[2])
# AddressSanitizer reserves terabytes of shadow address space, so an address-space limit
# kills it at start-up; in an MV_SANITIZE=address build its own resident-set limit is used.
# Its instrumentation also costs a constant factor of CPU (2-5x with UBSan), so the CPU guard
# is scaled by 5 there: still far below the blow-ups it guards against (8x to exponential).
asan = "address" in os.environ.get("MV_SANITIZE", "")
env = dict(os.environ)
if asan:
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + f":hard_rss_limit_mb={mem}"
    cpu *= 5


def limit():
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    if not asan:
        resource.setrlimit(resource.RLIMIT_AS, (mem << 20, mem << 20))


proc = subprocess.run(sys.argv[3:], preexec_fn=limit, env=env)
if proc.returncode < 0:
    sys.stderr.write(f"run_limited: '{sys.argv[3]}' killed by signal {-proc.returncode} "
                     f"(limits: {cpu} s CPU, {mem} MB)\n")
    sys.exit(125)
sys.exit(proc.returncode)
