# tests/python/test_data.py — `data=` binds a program's data declarations as `mvc run --data` does.
import json
import os

import pytest

import multiverse as mv
from conftest import SOURCE, mvc_json, without

COIN = os.path.join(SOURCE, "tests", "lit", "data", "Inputs", "coin.mv")
COIN_JSON = os.path.join(SOURCE, "tests", "lit", "data", "Inputs", "coin.json")
LOGREG = os.path.join(SOURCE, "examples", "data", "logistic_regression.mv")
LOGREG_JSON = os.path.join(SOURCE, "examples", "data", "logistic_regression.json")


@pytest.mark.parametrize("engine", ["jit", "interp", "exact"])
def test_data_dict_gives_mvc_run_data_output(engine):
    path, data_path = (COIN, COIN_JSON) if engine == "exact" else (LOGREG, LOGREG_JSON)
    data = json.load(open(data_path))
    r = mv.load(path).run(samples=20000, seed=5, threads=2, engine=engine, data=data)
    rc, lines, err = mvc_json(path, "--data", data_path, "--samples", "20000", "--seed", "5", "--threads", "2",
                              "--engine", engine)
    assert rc == 0, err
    assert without(r.to_dict(), "seconds") == without(lines[0], "seconds")


def test_bad_data_is_a_data_error_naming_the_declaration():
    p = mv.load(COIN)
    with pytest.raises(mv.RunError) as e:
        p.run(engine="exact", data={"w": [0.3], "bias": 0.9, "shift": 10})
    assert e.value.status == "data"
    assert "coin.mv:2:6: error: 'w' in '<data>' has 1 element, but 'real[2]' needs 2" in str(e.value)
    with pytest.raises(mv.RunError) as e:
        p.run(engine="exact")
    assert "data 'w' has no value" in str(e.value)
    with pytest.raises(TypeError):
        p.run(engine="exact", data=[1, 2])
