# tests/python/conftest.py — what every Python test needs: the mvc under test, the source tree, and mvc's own output.
import json
import os
import subprocess

import pytest

MVC = os.environ["MVC"]
SOURCE = os.environ["MV_SOURCE_DIR"]
EXAMPLES = os.path.join(SOURCE, "examples")


def mvc(*args, check=None, timeout=300):
    """Runs mvc; returns (exit status, stdout, stderr)."""
    p = subprocess.run([MVC, *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if check is not None:
        assert p.returncode == check, f"mvc {args}: exit {p.returncode}\n{p.stderr}"
    return p.returncode, p.stdout, p.stderr


def mvc_json(path, *args):
    """`mvc run PATH ARGS --format json`: (exit status, one dict per query, stderr)."""
    rc, out, err = mvc("run", path, *args, "--format", "json")
    return rc, [json.loads(line) for line in out.splitlines()], err


def without(d, *keys):
    return {k: v for k, v in d.items() if k not in keys}


@pytest.fixture
def write(tmp_path):
    """write(name, text) -> the path of a new .mv file."""

    def make(name, text):
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return make
