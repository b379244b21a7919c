#!/usr/bin/env python3
"""progress_erased.py MVC ARGS... — runs `mvc ARGS` with stdout and stderr on one terminal (a
pty) and checks that the progress bar was drawn and erased before the table's first line."""
import os
import pty
import subprocess
import sys

master, slave = pty.openpty()
proc = subprocess.Popen(sys.argv[1:], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the child closed the terminal
        break
    if not chunk:
        break
    out += chunk
proc.wait()
table = out.find(b"query ")
bar = out.rfind(b"\r[", 0, table if table >= 0 else len(out))
if proc.returncode != 0 or table < 0:
    sys.exit(f"mvc failed ({proc.returncode}): {out!r}")
if bar < 0:
    sys.exit(f"no progress bar drawn (run too short?): {out[:200]!r}")
erase = out.find(b"\r\x1b[K", bar)
if not (0 <= erase < table):
    sys.exit(f"the table starts on the progress bar's line: {out[bar:table + 40]!r}")
print("progress bar erased before the table")
