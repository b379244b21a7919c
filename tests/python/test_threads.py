# tests/python/test_threads.py — two programs and two runs at once from Python threads, thread counts, the GIL released.
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import multiverse as mv
from conftest import EXAMPLES, without

DIAGNOSIS = os.path.join(EXAMPLES, "diagnosis.mv")
GAUSSIAN = os.path.join(EXAMPLES, "linear_gaussian.mv")
NETWORK = os.path.join(EXAMPLES, "networks", "network_13.mv")
JOBS = [(DIAGNOSIS, "cure_d1", "jit"), (GAUSSIAN, "cf", "interp"), (DIAGNOSIS, "posterior_d3", "exact"),
        (NETWORK, "q", "jit"), (GAUSSIAN, "cf", "jit"), (DIAGNOSIS, "cure_d2", "interp")]


def job(path, query, engine, prog=None):
    prog = prog or mv.load(path)
    return without(prog.run(query, samples=40000, seed=9, threads=2, engine=engine).to_dict(), "seconds")


def test_concurrent_runs_give_their_solo_answers():
    alone = [job(*j) for j in JOBS]
    with ThreadPoolExecutor(max_workers=len(JOBS)) as pool:  # each compiles its own program
        assert list(pool.map(lambda j: job(*j), JOBS)) == alone
    shared = {path: mv.load(path) for path, _, _ in JOBS}  # one program, runs from several threads
    with ThreadPoolExecutor(max_workers=len(JOBS)) as pool:
        assert list(pool.map(lambda j: job(*j, prog=shared[j[0]]), JOBS)) == alone


def test_thread_count_does_not_change_the_answer():
    prog = mv.load(GAUSSIAN)
    one = prog.run("cf", samples=50000, seed=3, threads=1).to_dict()
    two = prog.run("cf", samples=50000, seed=3, threads=2).to_dict()
    every = prog.run("cf", samples=50000, seed=3).to_dict()
    assert one["threads"] == 1 and two["threads"] == 2
    assert without(one, "seconds", "threads") == without(two, "seconds", "threads") == without(every, "seconds", "threads")
    s1 = prog.samples("cf", 20000, seed=3, threads=1)
    s2 = prog.samples("cf", 20000, seed=3, threads=2)
    assert (s1.log_weights.tobytes(), s1.predictions.tobytes()) == (s2.log_weights.tobytes(), s2.predictions.tobytes())


def test_the_gil_is_released_while_sampling():
    prog = mv.load(DIAGNOSIS)
    done = threading.Event()
    ticks = 0

    def long_run():
        prog.run("cure_d1", samples=3_000_000, engine="interp", threads=1)
        done.set()

    t = threading.Thread(target=long_run)
    t.start()
    while not done.is_set():  # Python code keeps running meanwhile
        ticks += 1
    t.join()
    assert ticks > 1_000_000  # seconds of Python while the run is in C++; without the release, a switch interval's worth


def test_concurrent_compiles():
    text = open(NETWORK).read()
    with ThreadPoolExecutor(max_workers=4) as pool:
        progs = list(pool.map(lambda i: mv.compile(text, name=f"n{i}"), range(8)))
    assert all(p.queries == ["q"] for p in progs)
