#!/usr/bin/env python3
"""tests/fuzz/collect_corpus.py — builds a fuzz target's seed corpus from examples/ and tests/ (nothing is committed).

Every .mv file under examples/ and tests/ (and tests/fuzz/seeds/) up to --max-len bytes is
copied into OUT, with lit's RUN:/CHECK: comment lines removed (they are noise to a mutator),
named by the hash of its contents so re-running is idempotent and duplicates collapse.
    python3 tests/fuzz/collect_corpus.py OUT [--max-len 4096]
"""
import argparse
import hashlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIT_LINE = re.compile(rb"^\s*//\s*(RUN|CHECK[A-Z-]*|REQUIRES|XFAIL|UNSUPPORTED)\b.*\n?", re.M)


def sources():
    for top in ("examples", "tests"):
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for f in sorted(files):
                if f.endswith(".mv"):
                    yield os.path.join(d, f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--max-len", type=int, default=4096, help="skip larger files (libFuzzer's -max_len)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    kept = 0
    for path in sources():
        with open(path, "rb") as f:
            text = LIT_LINE.sub(b"", f.read())
        if not text.strip() or len(text) > args.max_len:
            continue
        name = hashlib.sha1(text).hexdigest()
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(text)
        kept += 1
    print(f"collect_corpus: {kept} seeds in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
