# tests/python/test_arrays.py — array predictions (data.md §2) come back per element, as `mvc run` reports them.
import csv
import os

import multiverse as mv
import numpy as np
import pytest
from conftest import EXAMPLES, mvc

SPRINKLER = os.path.join(EXAMPLES, "sprinkler_cpt.mv")


@pytest.mark.parametrize("engine", ["jit", "interp", "exact"])
def test_a_family_is_predicted_per_element(engine):
    r = mv.load(SPRINKLER).run("street_all_on", samples=20000, seed=3, engine=engine)
    assert [p.label for p in r.predictions] == ["wet[0]", "wet[1]", "wet[2]"]
    for p in r.predictions:  # P(wet | sprinkler on) = 0.2 * 0.99 + 0.8 * 0.9 = 0.918
        assert abs(p.mean - 0.918) <= 4 * p.stderr + 1e-9
    assert r.prediction("wet[1]").mean == r.predictions[1].mean


@pytest.mark.parametrize("engine", ["jit", "interp"])
def test_samples_have_a_column_per_element(tmp_path, engine):
    n, seed = 2000, 5
    s = mv.load(SPRINKLER).samples("street_all_off", n, seed=seed, engine=engine)
    assert s.labels == ["dry[0]", "dry[1]", "dry[2]", "rain"]
    out = tmp_path / "samples.csv"
    mvc("run", SPRINKLER, "--query", "street_all_off", "--samples", n, "--seed", seed, "--engine", engine,
        "--samples-out", out, check=0)
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["index", "log_weight", *s.columns]
    assert np.array_equal(s.log_weights, np.array([float(r[1]) for r in rows[1:]]))
