# multiverse/_program.py — compile() and load() give a Program; its run() and samples() check their arguments here.
"""Program, compile and load."""

import json
import numbers
import os

from . import _multiverse
from ._results import CompileError, Diagnostic, Result, RunError, Samples

_DEFAULTS = _multiverse.defaults()

#: The most memory ``Program.samples`` allocates for its arrays unless ``max_bytes`` says otherwise (1 GiB).
SAMPLES_MAX_BYTES = 1 << 30

_NATIVE = ("engine 'native' is not available from Python: a native sampler is an executable "
           "(`mvc build FILE --query Q -o OUT`); engine 'jit' gives the same numbers")


def _count(name, value, least, most=(1 << 64) - 1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    value = int(value)
    if value < least or value > most:
        raise ValueError(f"{name} must be between {least} and {most}, not {value}")
    return value


def _target(name, value):
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number or None, not {type(value).__name__}")
    value = float(value)
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be positive and finite, not {value}")
    return value


def _engine(value):
    if not isinstance(value, str):
        raise TypeError(f"engine must be a str, not {type(value).__name__}")
    if value == "native":
        raise ValueError(_NATIVE)
    if value not in _multiverse.engines():
        raise ValueError(f"unknown engine '{value}' (engines: {', '.join(_multiverse.engines())})")
    return value


class Program:
    """A compiled .mv program: its queries, and runs of them. Immutable, so it may be run from
    several Python threads at once (each run releases the GIL). Made by compile() or load()."""

    def __init__(self, native, name):
        self._native = native
        self.name = name
        #: The query names in source order.
        self.queries = list(native.queries)
        #: The names of the models the queries are on, each once, in order of first use.
        self.models = list(native.models)
        #: {query: model}.
        self.query_models = {q: native.query_model(q) for q in self.queries}
        #: Compile-time warnings (e.g. an intervention with no effect), as Diagnostic records.
        self.diagnostics = [Diagnostic(d) for d in native.diagnostics]

    def __repr__(self):
        return f"<Program {self.name}: queries {self.queries}>"

    def _query(self, query):
        if query is None:
            if len(self.queries) == 1:
                return self.queries[0]
            raise ValueError(f"the program has {len(self.queries)} queries; name one "
                             f"(queries: {' '.join(self.queries)}) or use run_all()")
        if not isinstance(query, str):
            raise TypeError(f"query must be a str or None, not {type(query).__name__}")
        if query not in self.queries:
            raise ValueError(f"no query named '{query}' (queries: {' '.join(self.queries)})")
        return query

    def _options(self, samples, seed, threads, engine, max_assignments, target_stderr, target_ess, data=None):
        engine = _engine(engine)
        threads = 0 if threads is None else _count("threads", threads, 0, 4096)  # mvc's ranges
        stderr, ess = _target("target_stderr", target_stderr), _target("target_ess", target_ess)
        if engine == "exact" and (stderr > 0 or ess > 0):
            raise ValueError("target_stderr and target_ess need a sampling engine, not 'exact' (its answers are exact)")
        return _multiverse.run_options(_count("samples", samples, 1, 1 << 50), _count("seed", seed, 0), threads, engine,
                                       _count("max_assignments", max_assignments, 1), stderr, ess, _data_json(data))

    @staticmethod
    def _check(outcome):
        if outcome["status"] == "ok":
            return
        line = json.loads(outcome["json"]) if outcome["json"] else None
        raise RunError(outcome["error_text"], [Diagnostic(d) for d in outcome["diagnostics"]
                                               if d["severity"] == "error"], outcome["query"], outcome["status"], line)

    def run(self, query=None, *, samples=_DEFAULTS["samples"], seed=_DEFAULTS["seed"], threads=None,
            engine=_DEFAULTS["engine"], max_assignments=_DEFAULTS["max_assignments"], target_stderr=None,
            target_ess=None, data=None):
        """Runs ``query`` (None: the program's only query) as ``mvc run`` does with the same flags
        and returns its Result. ``threads`` None uses every core (results do not depend on it);
        ``engine`` is "jit", "interp" or "exact"; ``target_stderr``/``target_ess`` stop sampling
        early (as ``--target-stderr``/``--target-ess``). ``data`` binds the program's ``data``
        declarations as ``--data`` does: a dict name -> value (floats, ints, bools, nested lists or
        numpy arrays). Raises RunError when the run fails (status "data" when the data cannot be
        bound) and KeyboardInterrupt on Ctrl-C (the run stops at its next block of samples)."""
        name = self._query(query)
        options = self._options(samples, seed, threads, engine, max_assignments, target_stderr, target_ess, data)
        outcome = self._native.run(name, options)
        self._check(outcome)
        return Result(outcome)

    def run_all(self, **options):
        """Runs every query in source order with the options of run(); a list of Results."""
        return [self.run(q, **options) for q in self.queries]

    def samples(self, query=None, n=_DEFAULTS["samples"], *, seed=_DEFAULTS["seed"], threads=None,
                engine=_DEFAULTS["engine"], max_bytes=SAMPLES_MAX_BYTES, data=None):
        """Runs ``query`` with ``n`` samples and returns every one of them as numpy arrays (Samples):
        the same samples, and the same Result, as run() with the same seed. The arrays take
        8 * n * (1 + predictions) bytes; above ``max_bytes`` (default SAMPLES_MAX_BYTES, 1 GiB)
        it raises ValueError before allocating anything."""
        name = self._query(query)
        if _engine(engine) == "exact":
            raise ValueError("samples() needs a sampling engine ('jit' or 'interp'): 'exact' draws no samples")
        n = _count("n", n, 1, 1 << 50)
        max_bytes = _count("max_bytes", max_bytes, 0)
        columns = self._native.columns(name)
        need = 8 * n * (1 + len(columns))
        if need > max_bytes:
            raise ValueError(f"samples({name!r}, n={n}) needs {need} bytes ({n} samples x {1 + len(columns)} float64 "
                             f"columns), more than max_bytes={max_bytes}; ask for fewer samples or raise max_bytes")
        options = self._options(n, seed, threads, engine, _DEFAULTS["max_assignments"], None, None, data)
        outcome, log_weights, predictions = self._native.samples(name, options)
        self._check(outcome)
        return Samples(Result(outcome), log_weights, predictions, [c[0] for c in columns], [c[1] for c in columns])


def _data_json(data):
    """The JSON text of a data dict ("" for None); numpy arrays and scalars become lists and numbers."""
    if data is None:
        return ""
    if not isinstance(data, dict):
        raise TypeError(f"data must be a dict of data name -> value, not {type(data).__name__}")

    def plain(o):
        if hasattr(o, "tolist"):  # numpy arrays and scalars
            return o.tolist()
        raise TypeError(f"data value of type {type(o).__name__} is not a number, bool or list")
    return json.dumps(data, default=plain, allow_nan=False)


def _program(native, name):
    if not native.ok:
        raise CompileError(native.diagnostic_text, [Diagnostic(d) for d in native.diagnostics])
    return Program(native, name)


#: The default of ``max_model_nodes`` (mvc's --max-model-nodes): 10^6.
MAX_MODEL_NODES = _multiverse.max_model_nodes()


def compile(text, name="<input>", *, max_model_nodes=MAX_MODEL_NODES):
    """Compiles .mv source ``text`` (named ``name`` in diagnostics) into a Program; raises
    CompileError with the diagnostics when it has errors. ``max_model_nodes`` bounds a model's
    unrolled nodes and a loop nest's iterations (``--max-model-nodes``). The GIL is released
    meanwhile."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    limit = _count("max_model_nodes", max_model_nodes, 1, 1_000_000_000)
    return _program(_multiverse.compile(name, text, limit), name)


def load(path, *, max_model_nodes=MAX_MODEL_NODES):
    """Reads and compiles the .mv file ``path`` (a str or os.PathLike; diagnostics name it as
    given), with compile()'s ``max_model_nodes``. Raises OSError when it cannot be read and
    CompileError when it has errors."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}")
    path = os.fspath(path)
    if not isinstance(path, str):
        raise TypeError("path must be a text path, not bytes")
    limit = _count("max_model_nodes", max_model_nodes, 1, 1_000_000_000)
    if not os.path.exists(path):
        raise FileNotFoundError(2, "No such file or directory", path)
    return _program(_multiverse.load(path, limit), path)
