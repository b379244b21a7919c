# tests/python/test_errors.py — compile errors, run-time failures and bad arguments become the documented exceptions.
import os

import multiverse as mv
import pytest
from conftest import EXAMPLES, mvc

BAD = "model m {\n  y ~ normal(0, sigma)\n}\nquery q on m { predict y }\n"
UNSTABLE = ("model unstable {\n  x ~ normal(0, 1)\n  y ~ normal(0, x)\n}\n"
            "model stable {\n  x ~ normal(0, 1)\n}\n"
            "query bad on unstable { predict y }\nquery fine on stable { predict x }\n")
ZERO = "model m {\n  z ~ normal(0, 1)\n  y = exp(z)\n}\nquery q on m {\n  observe y == 2.0\n  predict z\n}\n"


def test_compile_error_is_structured_and_prints_as_mvc_check(write):
    path = write("bad.mv", BAD)
    rc, _, err = mvc("check", path)
    assert rc == 1
    with pytest.raises(mv.CompileError) as e:
        mv.load(path)
    assert str(e.value) == err
    d = e.value.diagnostics[0]
    assert (d.file, d.line, d.column, d.severity, d.name) == (path, 2, 17, "error", "UndeclaredName")
    assert d.message == "use of undeclared name 'sigma'"
    assert str(d) == f"{path}:2:17: error: use of undeclared name 'sigma'"
    assert "^" in str(e.value) and "   2 |   y ~ normal(0, sigma)" in str(e.value)


def test_compile_names_the_text():
    with pytest.raises(mv.CompileError) as e:
        mv.compile(BAD, name="notebook cell 3")
    assert e.value.diagnostics[0].file == "notebook cell 3"
    assert str(e.value).startswith("notebook cell 3:2:17: error: use of undeclared name 'sigma'\n")


def test_syntax_error_and_notes():
    with pytest.raises(mv.CompileError) as e:
        mv.compile("model m { x ~ }\n")
    assert e.value.diagnostics and all(d.severity in ("error", "warning", "note") for d in e.value.diagnostics)
    assert e.value.diagnostics[0].line == 1


def test_unreadable_files_are_os_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        mv.load(str(tmp_path / "missing.mv"))
    rc, _, err = mvc("run", str(tmp_path))
    with pytest.raises(OSError) as e:
        mv.load(tmp_path)
    assert rc == 2 and str(e.value) == err.strip().removeprefix("error: ")


def test_domain_error_is_a_run_error_with_mvcs_message(write):
    path = write("unstable.mv", UNSTABLE)
    rc, _, err = mvc("run", path, "--query", "bad", "--engine", "interp", "--samples", 1000)
    assert rc == 3
    prog = mv.load(path)
    with pytest.raises(mv.RunError) as e:
        prog.run("bad", engine="interp", samples=1000)
    assert str(e.value) == err
    assert "outside its domain (sd > 0) (seed 1, sample" in str(e.value)
    assert e.value.query == "bad" and e.value.status == "runtime"
    assert e.value.diagnostics[0].name == "RuntimeDomain" and e.value.diagnostics[0].line == 3
    assert prog.run("fine", samples=1000).predictions[0].label == "x"  # the program still runs


def test_all_weights_zero(write):
    path = write("zero.mv", ZERO)
    rc, _, err = mvc("run", path, "--samples", 1000)
    with pytest.raises(mv.RunError) as e:
        mv.load(path).run(samples=1000)
    assert rc == 3 and str(e.value) == err
    assert "all 1000 samples have zero weight" in str(e.value)
    assert [n.severity for n in e.value.diagnostics[0].notes] == ["note", "note"]


def test_exact_refusal(write):
    with pytest.raises(mv.RunError, match="the exact engine cannot enumerate site 'x': 'normal' is continuous"):
        mv.compile(UNSTABLE).run("fine", engine="exact")


DIAGNOSIS = os.path.join(EXAMPLES, "diagnosis.mv")


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(samples=0), ValueError, "samples must be between 1"),
    (dict(samples=-5), ValueError, "samples must be between 1"),
    (dict(samples=2.5), TypeError, "samples must be an int"),
    (dict(samples=True), TypeError, "samples must be an int"),
    (dict(seed=-1), ValueError, "seed must be between 0"),
    (dict(seed=1 << 64), ValueError, "seed must be between 0"),
    (dict(seed="1"), TypeError, "seed must be an int"),
    (dict(threads=-1), ValueError, "threads must be between 0 and 4096"),
    (dict(threads=4097), ValueError, "threads must be between 0 and 4096"),
    (dict(samples=(1 << 50) + 1), ValueError, "samples must be between 1 and 1125899906842624"),
    (dict(engine="gpu"), ValueError, "unknown engine 'gpu' \\(engines: jit, interp, exact\\)"),
    (dict(engine="native"), ValueError, "mvc build"),
    (dict(engine=1), TypeError, "engine must be a str"),
    (dict(target_stderr=0), ValueError, "target_stderr must be positive"),
    (dict(target_ess=float("nan")), ValueError, "target_ess must be positive"),
    (dict(target_ess="x"), TypeError, "target_ess must be a number"),
    (dict(engine="exact", target_stderr=0.1), ValueError, "need a sampling engine"),
    (dict(max_assignments=0), ValueError, "max_assignments must be between 1"),
])
def test_bad_arguments(kwargs, error, match):
    prog = mv.load(DIAGNOSIS)
    with pytest.raises(error, match=match):
        prog.run("cure_d1", **kwargs)


def test_bad_queries_and_inputs():
    prog = mv.load(DIAGNOSIS)
    with pytest.raises(ValueError, match="no query named 'nope' \\(queries: posterior_d1"):
        prog.run("nope")
    with pytest.raises(ValueError, match="the program has 6 queries; name one"):
        prog.run()
    with pytest.raises(TypeError, match="query must be a str"):
        prog.run(3)
    with pytest.raises(TypeError, match="unexpected keyword"):
        prog.run("cure_d1", sample=10)
    with pytest.raises(TypeError, match="text must be a str"):
        mv.compile(b"model m {}")
    with pytest.raises(TypeError, match="path must be"):
        mv.load(3)


def test_run_all_matches_run():
    prog = mv.load(DIAGNOSIS)
    results = prog.run_all(samples=2000, seed=2, threads=1)
    assert [r.query for r in results] == prog.queries
    assert results[3].to_dict()["predictions"] == prog.run("cure_d1", samples=2000, seed=2).to_dict()["predictions"]


NEST = "model m {\n  for i in 0..10 { for j in 0..200 { z[i][j] ~ normal(0, 1) } }\n}\nquery q on m { predict z[9][199] }\n"


@pytest.mark.parametrize("limit", [1999, 2001])
def test_max_model_nodes_is_mvcs_flag(write, limit):
    path = write("nest.mv", NEST)
    rc, _, err = mvc("check", path, "--max-model-nodes", limit)
    with pytest.raises(mv.CompileError) as e:
        mv.load(path, max_model_nodes=limit)
    assert rc == 1 and str(e.value) == err
    with pytest.raises(mv.CompileError) as e:
        mv.compile(NEST, max_model_nodes=limit)
    assert e.value.diagnostics[0].message == err.split(": error: ")[1].split("\n")[0]
    assert mv.load(path, max_model_nodes=2002).queries == ["q"] and mv.MAX_MODEL_NODES == 10**6
    with pytest.raises(ValueError, match="max_model_nodes must be between 1"):
        mv.compile(NEST, max_model_nodes=0)
