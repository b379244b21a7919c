#!/usr/bin/env python3
"""run_limited.py CPU_SECONDS MEMORY_MB CMD... — runs CMD under a CPU-time and address-space
limit (a guard that turns a blow-up into a failure instead of a hang) and exits with its status;
killed by a signal (the limit reached) it exits 125 with a message."""
import resource
import subprocess
import sys

cpu, mem = int(sys.argv[1]), int(sys.argv[2])


def limit():
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_AS, (mem << 20, mem << 20))


proc = subprocess.run(sys.argv[3:], preexec_fn=limit)
if proc.returncode < 0:
    sys.stderr.write(f"run_limited: '{sys.argv[3]}' killed by signal {-proc.returncode} "
                     f"(limits: {cpu} s CPU, {mem} MB)\n")
    sys.exit(125)
sys.exit(proc.returncode)
