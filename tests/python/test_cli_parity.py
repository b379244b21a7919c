# tests/python/test_cli_parity.py — every example and a few benchmark networks: run() gives exactly what `mvc run --format json` prints.
import glob
import os

import multiverse as mv
import pytest
from conftest import EXAMPLES, mvc_json, without

# Every example (examples/*.mv and its subfolders such as safety/) but the 100 networks, of which four,
# and those of examples/data/, which need their data (test_data.py runs them with it).
FILES = sorted(f for f in glob.glob(os.path.join(EXAMPLES, "**", "*.mv"), recursive=True)
               if os.sep + "networks" + os.sep not in f and os.sep + "data" + os.sep not in f) + [
    os.path.join(EXAMPLES, "networks", f"network_{n}.mv") for n in (0, 13, 57, 99)]
ENGINES = ["jit", "interp", "exact"]
SAMPLES, SEED, THREADS = 20000, 7, 2


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", FILES, ids=lambda f: os.path.relpath(f, EXAMPLES))
def test_run_gives_the_cli_numbers(path, engine):
    rc, lines, err = mvc_json(path, "--samples", SAMPLES, "--seed", SEED, "--threads", THREADS, "--engine", engine)
    assert rc in (0, 3), err
    prog = mv.load(path)
    assert [line["query"] for line in lines] == prog.queries
    for line in lines:
        q = line["query"]
        if "error" in line:  # the exact engine's refusals (continuous sites)
            with pytest.raises(mv.RunError) as e:
                prog.run(q, samples=SAMPLES, seed=SEED, threads=THREADS, engine=engine)
            assert e.value.json == line
            assert str(e.value) in err
            continue
        r = prog.run(q, samples=SAMPLES, seed=SEED, threads=THREADS, engine=engine)
        assert without(r.to_dict(), "seconds") == without(line, "seconds")
        assert (r.query, r.model, r.kind, r.engine) == (q, line["model"], line["kind"], engine)
        assert r.ess == line["ess"] and r.log_evidence == line["log_evidence"] and r.version == line["version"]
        assert r.warnings == line["warnings"]
        got = [(p.label, p.world, p.mean, p.stderr) for p in r.predictions]
        want = [(p["label"], p["world"], p["mean"], p["stderr"]) for p in line["predictions"]]
        assert got == want


def test_version_is_mvcs():
    from conftest import mvc

    _, out, _ = mvc("--version", check=0)
    assert mv.version() == out
    assert out.startswith(f"MultiVerse {mv.__version__}\n")


def test_targets_are_the_cli_flags():
    path = os.path.join(EXAMPLES, "diagnosis.mv")
    args = dict(samples=1000000, seed=5, threads=2, target_stderr=0.02)
    _, lines, _ = mvc_json(path, "--query", "cure_d1", "--samples", 1000000, "--seed", 5, "--threads", 2,
                           "--target-stderr", 0.02, "--engine", "jit")
    r = mv.load(path).run("cure_d1", **args)
    assert without(r.to_dict(), "seconds") == without(lines[0], "seconds")
    assert r.target["met"] and r.samples < 1000000
