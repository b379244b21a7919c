# tests/python/test_samples.py — samples(): the arrays' shapes, the very samples `mvc run --samples-out` writes, means, the memory bound.
import csv
import math
import os

import multiverse as mv
import numpy as np
import pytest
from conftest import EXAMPLES, mvc

FIRING = os.path.join(EXAMPLES, "firing_squad.mv")
QUERY = "noisy_death_had_a_not_fired"  # two worlds; rejection gives zero weights


def cli_samples(tmp_path, path, query, n, seed, engine):
    out = tmp_path / "samples.csv"
    mvc("run", path, "--query", query, "--samples", n, "--seed", seed, "--engine", engine, "--samples-out", out,
        check=0)
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


@pytest.mark.parametrize("engine", ["jit", "interp"])
def test_samples_are_the_cli_samples(tmp_path, engine):
    n, seed = 30000, 11
    s = mv.load(FIRING).samples(QUERY, n, seed=seed, engine=engine, threads=2)
    header, rows = cli_samples(tmp_path, FIRING, QUERY, n, seed, engine)
    assert header == ["index", "log_weight", *s.columns]
    assert s.columns == ["counterfactual.D", "factual.U"]
    assert s.labels == ["D", "U"] and s.worlds == ["counterfactual", "factual"]
    assert s.log_weights.shape == (n,) and s.predictions.shape == (n, 2) and len(s) == n
    assert s.log_weights.dtype == np.float64 and s.predictions.dtype == np.float64
    assert [int(r[0]) for r in rows] == list(range(n))
    want_lw = np.array([float(r[1]) for r in rows])
    assert np.array_equal(s.log_weights, want_lw)
    zero = np.isneginf(s.log_weights)
    assert 0 < zero.sum() < n  # the test sees both kinds of sample
    assert np.isnan(s.predictions[zero]).all() and all(r[2:] == ["", ""] for r, z in zip(rows, zero) if z)
    want = np.array([[float(v) for v in r[2:]] for r, z in zip(rows, zero) if not z])
    assert np.array_equal(s.predictions[~zero], want)


def test_weighted_means_are_runs_means():
    prog = mv.load(os.path.join(EXAMPLES, "linear_gaussian.mv"))
    s = prog.samples("cf", 50000, seed=4)
    r = prog.run("cf", samples=50000, seed=4)
    w = s.weights()
    assert math.isclose(w.sum(), 1.0, rel_tol=1e-12)
    for k, p in enumerate(r.predictions):
        assert math.isclose(float(w @ s.predictions[:, k]), p.mean, rel_tol=1e-10, abs_tol=1e-12), p.label
        assert s.columns[k] == f"{p.world}.{p.label}"
        assert np.array_equal(s.column(s.columns[k]), s.predictions[:, k]) and np.array_equal(s.column(k), s.column(s.columns[k]))
    # The Result of the same run is the run's own.
    assert s.result.to_dict()["predictions"] == r.to_dict()["predictions"]
    assert [(p.sd, p.distribution) for p in s.result.predictions] == [(p.sd, p.distribution) for p in r.predictions]
    assert list(s.as_dict()) == ["log_weight", "counterfactual.y", "factual.z", "factual.x", "factual.e"]
    with pytest.raises(KeyError, match="no column 'w'"):
        s.column("w")


def test_memory_bound():
    prog = mv.load(FIRING)
    # 8 bytes x (1 + 2 columns) x n
    with pytest.raises(ValueError, match=r"needs 2400000000 bytes .* more than max_bytes=1073741824"):
        prog.samples(QUERY, 100_000_000)
    with pytest.raises(ValueError, match="more than max_bytes=2399"):
        prog.samples(QUERY, 100, max_bytes=2399)
    assert len(prog.samples(QUERY, 100, max_bytes=2400)) == 100
    assert mv.SAMPLES_MAX_BYTES == 1 << 30


def test_samples_arguments():
    prog = mv.load(FIRING)
    with pytest.raises(ValueError, match="needs a sampling engine"):
        prog.samples(QUERY, 10, engine="exact")
    with pytest.raises(ValueError, match="n must be between 1"):
        prog.samples(QUERY, 0)
    with pytest.raises(TypeError, match="n must be an int"):
        prog.samples(QUERY, 1e3)
