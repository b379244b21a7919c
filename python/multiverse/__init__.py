# multiverse/__init__.py — the MultiVerse Python module: compile .mv programs, run their queries, get numpy samples.
"""MultiVerse from Python (docs/python.md).

    import multiverse as mv
    prog = mv.load("examples/diagnosis.mv")
    r = prog.run("cure_d1", samples=100000, seed=1)
    r.predictions[0].mean, r.predictions[0].stderr

The numbers are those ``mvc run --format json`` prints for the same file, query and flags.
"""

from . import _multiverse
from ._program import MAX_MODEL_NODES, SAMPLES_MAX_BYTES, Program, compile, load
from ._results import CompileError, Diagnostic, Prediction, Result, RunError, Samples

#: The project version ("0.1"), as in every result's ``version``.
__version__ = _multiverse.version()

#: The engines run() accepts; the first is the default.
ENGINES = tuple(_multiverse.engines())


def version():
    """What ``mvc --version`` prints: the MultiVerse version and the LLVM, oneTBB and Boehm GC
    versions it was built with, one per line."""
    return _multiverse.version_text()


__all__ = ["compile", "load", "version", "Program", "Result", "Prediction", "Samples", "Diagnostic",
           "CompileError", "RunError", "ENGINES", "SAMPLES_MAX_BYTES", "MAX_MODEL_NODES", "__version__"]
