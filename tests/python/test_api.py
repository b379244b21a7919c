# tests/python/test_api.py — the module's surface: programs, results, predictions' distributions, warnings, versions.
import os

import multiverse as mv
import pytest
from conftest import EXAMPLES, SOURCE, mvc, mvc_json, without

DIAGNOSIS = os.path.join(EXAMPLES, "diagnosis.mv")
STATE_SPACE = os.path.join(SOURCE, "tests", "lit", "cli", "Inputs", "state_space.mv")
DEAD = ("model m {\n  a ~ bernoulli(0.3)\n  b ~ bernoulli(a ? 0.9 : 0.1)\n  c = !a\n}\n"
        "query q on m {\n  intervene c = true\n  predict b\n}\n")


def test_program_lists_queries_and_models():
    prog = mv.load(DIAGNOSIS)
    assert prog.queries == ["posterior_d1", "posterior_d2", "posterior_d3", "cure_d1", "cure_d2", "cure_d3"]
    assert prog.models == ["diagnosis"] and prog.query_models["cure_d1"] == "diagnosis"
    assert prog.name == DIAGNOSIS and [str(d) for d in prog.diagnostics] == [
        f"{DIAGNOSIS}:57:6: warning: 'do d3' reaches no prediction, evidence or constraint, so it has no effect; it is dropped"]
    assert mv.ENGINES == ("jit", "interp", "exact")


def test_result_fields():
    r = mv.load(DIAGNOSIS).run("cure_d1", samples=100000, seed=3, threads=1)
    assert (r.query, r.model, r.kind, r.engine, r.samples, r.seed, r.threads) == (
        "cure_d1", "diagnosis", "counterfactual", "jit", 100000, 3, 1)
    assert r.version == mv.__version__ and r.to_dict()["version"] == mv.__version__
    assert r.ess > 0 and r.log_evidence < 0 and r.nonzero_weights == 100000 and r.seconds >= 0
    assert r.target is None and r.assignments is None and r.warnings == []
    p = r.prediction("!s")
    assert p is r.predictions[0] and (p.label, p.world) == ("!s", "counterfactual")
    # An integral prediction's distribution: value -> probability, the mean its P(1).
    assert p.integral and set(p.distribution) == {0.0, 1.0} and p.other_mass == 0
    assert abs(sum(p.distribution.values()) - 1) < 1e-12 and abs(p.distribution[1.0] - p.mean) < 1e-12
    assert p.sd > 0
    d = r.to_dict()
    d["predictions"].clear()
    assert r.to_dict()["predictions"]  # a fresh copy each time
    with pytest.raises(KeyError):
        r.prediction("s")


def test_exact_result_has_no_sampling_fields():
    r = mv.load(DIAGNOSIS).run("posterior_d1", engine="exact")
    assert r.engine == "exact" and r.ess is None and r.samples is None and r.seed is None
    assert r.assignments > 0 and r.predictions[0].stderr == 0 and r.predictions[0].distribution is None
    assert r.predictions[0].sd is None
    assert r.predictions[0].mean == pytest.approx(0.550072523161, abs=1e-12)


def test_reliability_warnings_are_mvcs():
    _, lines, _ = mvc_json(STATE_SPACE, "--samples", 100000, "--seed", 2)
    r = mv.load(STATE_SPACE).run(samples=100000, seed=2)
    assert r.warnings == lines[0]["warnings"] and len(r.warnings) == 3
    assert r.pareto_k == lines[0]["pareto_k"] and r.max_weight == lines[0]["max_weight"]
    assert r.ess_per_sample == lines[0]["ess_per_sample"]


def test_compile_warnings_are_diagnostics(write):
    path = write("dead.mv", DEAD)
    _, _, err = mvc("check", path, check=0)
    prog = mv.load(path)
    assert [(d.severity, d.name, d.line, d.column) for d in prog.diagnostics] == [("warning", "DeadIntervention", 7, 13)]
    assert "warning: 'intervene c' reaches no prediction" in err
    r = prog.run(engine="exact")
    assert [d.name for d in r.diagnostics] == ["DeadIntervention"]
    assert r.predictions[0].mean == pytest.approx(0.3 * 0.9 + 0.7 * 0.1, abs=1e-15)


def test_reprs():
    prog = mv.load(DIAGNOSIS)
    assert "cure_d1" in repr(prog)
    r = prog.run("cure_d1", samples=1000)
    assert repr(r).startswith("<Result cure_d1 (counterfactual, jit): !s=")
    assert "counterfactual.!s" in repr(r.predictions[0])
    assert repr(prog.samples("cure_d1", 10)) == "<Samples of cure_d1: 10 x ['!s']>"
