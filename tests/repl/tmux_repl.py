#!/usr/bin/env python3
"""tests/repl/tmux_repl.py — drives `mvc repl` in a pseudo-terminal (tmux): line editing,
history recall (in the session and from the history file in a new one), a multi-line model,
and Ctrl-C cancelling an unfinished input or a long :run without ending the session.
Usage: tmux_repl.py MVC. Polls capture-pane with a timeout; no fixed sleeps."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

MVC = sys.argv[1]
SOCKET = f"mvc-repl-test-{os.getpid()}"
TIMEOUT = 20.0


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null", *args], check=check,
                          capture_output=True, text=True)


def screen():
    return tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "repl", check=False).stdout


def wait_for(pred, what):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        text = screen()
        if pred(text):
            return text
        time.sleep(0.05)
    sys.exit(f"FAIL: timed out waiting for {what}; screen:\n{screen()}")


def wait_text(s, count=1):
    return wait_for(lambda t: t.count(s) >= count, repr(s) + (f" x{count}" if count > 1 else ""))


def send(*keys):
    tmux("send-keys", "-t", "repl", *keys)


def typed(text):
    tmux("send-keys", "-t", "repl", "-l", text)


def start(history):
    env = f"env TERM=xterm MVC_HISTORY={history}"
    tmux("new-session", "-d", "-s", "repl", "-x", "160", "-y", "50",
         f"{env} {MVC} repl --threads 1 --samples 4000; sleep 30")
    wait_text("mv> ")


def main():
    tmp = tempfile.mkdtemp(prefix="mvc-repl-tty-")
    history = os.path.join(tmp, "history")
    try:
        start(history)
        # A multi-line model: the continuation prompt appears while the brace is open.
        typed("model m {")
        send("Enter")
        wait_text("... ")
        typed("  x ~ bernoulli(0.25)")
        send("Enter")
        typed("}")
        send("Enter")
        wait_text("defined model m")
        # Line editing: type with a gap, move the cursor left over ' }' and insert the name.
        typed("query q on m { predict  }")
        send("Left", "Left")
        typed("x")
        send("Enter")
        wait_text("defined query q")
        typed(":run q")
        send("Enter")
        out = wait_text("P:  0: ")
        if "x      factual" not in out:
            sys.exit(f"FAIL: no estimate row for x:\n{out}")
        # History recall: up arrow brings back ':run q'.
        send("Up")
        send("Enter")
        wait_text("query q on m (observational)", 2)
        # Ctrl-C inside an unfinished definition cancels it and keeps the session: the
        # half-typed model is never defined, the next input starts afresh, q still runs.
        typed("model broken {")
        send("Enter")
        wait_text("... ", 2)
        typed("  y ~ bern")
        wait_text("...   y ~ bern")  # read by the REPL before Ctrl-C (the signal overtakes queued keys)
        send("C-c")
        wait_for(lambda t: t.rstrip().endswith("mv>"), "a fresh prompt after Ctrl-C mid-definition")
        # Ctrl-C at the prompt drops the typed line.
        typed(":run nonsense")
        wait_text("mv> :run nonsense")
        send("C-c")
        wait_text("mv> :run nonsense^C")
        typed(":list")
        send("Enter")
        out = wait_for(lambda t: "mv> :list\n" in t and "\nmv> " in t[t.rindex("mv> :list"):], ":list to finish")
        listed = out[out.rindex("mv> :list"):].split("\n")[1:3]
        if listed != ["model m", "query q"] or "no query named 'nonsense'" in out:
            sys.exit(f"FAIL: cancelled input was used:\n{out}")
        typed(":run q")
        send("Enter")
        wait_text("query q on m (observational)", 3)
        # Ctrl-C during a long :run stops the run, not the session.
        typed(":run q 1_000_000_000_000")
        send("Enter")
        wait_for(lambda t: re.search(r"%\s+\d+\.\d s", t), "the progress bar of the long run")
        send("C-c")
        wait_text("interrupted: the run of query 'q' was stopped (Ctrl-C); no estimates")
        typed(":run q")
        send("Enter")
        wait_text("query q on m (observational)", 4)
        typed(":quit")
        send("Enter")
        wait_for(lambda t: "mv> :quit" in t and t.rstrip().endswith(":quit"), "the session to end")
        deadline = time.monotonic() + TIMEOUT
        while not (os.path.exists(history) and ":run" in open(history, errors="replace").read()):  # libedit writes spaces as \040
            if time.monotonic() > deadline:
                sys.exit("FAIL: history file not written")
            time.sleep(0.05)
        tmux("kill-session", "-t", "repl", check=False)
        # A new session recalls the previous session's lines from the history file.
        start(history)
        send("Up", "Up")
        wait_text("mv> :run q")
        send("Enter")
        wait_text("error: no query named 'q'")
        print("PASS")
    finally:
        tmux("kill-server", check=False)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
