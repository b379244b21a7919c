# multiverse/_results.py — what compiling and running give back: diagnostics, exceptions, results and samples.
"""Result, Prediction, Samples, Diagnostic and the exceptions CompileError and RunError."""

import copy
import json


class Diagnostic:
    """One diagnostic as data, as ``mvc`` prints it ``file:line:column: severity: message``.

    ``file`` is "" and ``line``/``column`` are 0 when it has no location; ``severity`` is
    "error", "warning" or "note"; ``name`` is the registry name (e.g. "UndeclaredName");
    ``notes`` are Diagnostics too.
    """

    __slots__ = ("file", "line", "column", "severity", "name", "message", "notes")

    def __init__(self, record):
        self.file = record["file"]
        self.line = record["line"]
        self.column = record["column"]
        self.severity = record["severity"]
        self.name = record["name"]
        self.message = record["message"]
        self.notes = [Diagnostic(n) for n in record["notes"]]

    def __str__(self):
        where = f"{self.file}:{self.line}:{self.column}: " if self.line else ""
        return f"{where}{self.severity}: {self.message}"

    def __repr__(self):
        return f"<Diagnostic {self}>"


class CompileError(Exception):
    """The program has errors. ``str()`` is the diagnostic text ``mvc check`` prints (source
    lines and carets); ``diagnostics`` holds them as Diagnostic records (warnings included)."""

    def __init__(self, text, diagnostics):
        super().__init__(text)
        self.text = text
        self.diagnostics = diagnostics

    def __str__(self):
        return self.text


class RunError(Exception):
    """A run failed: a sample's domain error, every weight zero, an exact-engine refusal, or an
    engine that could not be set up. ``str()`` is what ``mvc run`` prints on stderr for it;
    ``diagnostics`` are its records, ``query`` the query, ``status`` "runtime" or "internal",
    and ``json`` the error line ``mvc run --format json`` prints (a dict; None if it prints none)."""

    def __init__(self, text, diagnostics, query, status, json_line):
        super().__init__(text)
        self.text = text
        self.diagnostics = diagnostics
        self.query = query
        self.status = status
        self.json = json_line

    def __str__(self):
        return self.text


class Prediction:
    """One prediction's estimate: ``label``, ``world`` ("factual", "counterfactual", ...),
    ``mean``, ``stderr`` (0 from the exact engine), ``sd`` (weighted standard deviation; None
    when not computed), ``integral`` (every value with weight was an integer) and, for integral
    predictions, ``distribution``: {value: probability} of up to 64 values, the rest in
    ``other_mass`` (None otherwise)."""

    __slots__ = ("label", "world", "mean", "stderr", "sd", "integral", "distribution", "other_mass")

    def __init__(self, p):
        self.label = p["label"]
        self.world = p["world"]
        self.mean = p["mean"]
        self.stderr = p["stderr"]
        self.sd = p["sd"]
        self.integral = bool(p["integral"])
        self.distribution = {v: q for v, q in p["distribution"]} if self.integral else None
        self.other_mass = p["other_mass"] if self.integral else None

    def __repr__(self):
        return f"<Prediction {self.world}.{self.label} mean={self.mean!r} stderr={self.stderr!r}>"


class Result:
    """The result of one run of one query: the numbers ``mvc run`` prints.

    ``query``, ``model``, ``kind``, ``engine``, ``samples`` (drawn: fewer than asked when a target
    was met; None from the exact engine), ``seed``, ``threads``, ``ess`` (None from the exact
    engine), ``log_evidence`` (None where the JSON output has null), ``seconds``,
    ``nonzero_weights``, ``ess_per_sample``, ``max_weight``, ``pareto_k`` (None where not
    defined), ``target`` (a dict when a target was asked, else None), ``assignments`` (exact
    engine, else None), ``warnings`` (what the importance-sampling diagnostics found), ``diagnostics``
    (the query's compile-time warnings), ``predictions`` (a list of Prediction) and ``version``.
    """

    def __init__(self, outcome):
        j = json.loads(outcome["json"])
        self._json = j
        self.query = j["query"]
        self.model = j["model"]
        self.kind = j["kind"]
        self.engine = j["engine"]
        self.samples = j["samples"]
        self.seed = j["seed"]
        self.threads = j["threads"]
        self.ess = j["ess"]
        self.log_evidence = j["log_evidence"]
        self.seconds = j["seconds"]
        self.nonzero_weights = j.get("nonzero_weights", j.get("nonzero_assignments"))
        self.ess_per_sample = j.get("ess_per_sample")
        self.max_weight = j.get("max_weight")
        self.pareto_k = j.get("pareto_k")
        self.target = copy.deepcopy(j.get("target"))
        self.assignments = j.get("assignments")
        self.warnings = list(j["warnings"])
        self.version = j["version"]
        self.diagnostics = [Diagnostic(d) for d in outcome["diagnostics"]]
        self.predictions = [Prediction(p) for p in outcome["predictions"]]

    def prediction(self, label, world=None):
        """The prediction labelled ``label`` (in ``world`` when several worlds predict it)."""
        found = [p for p in self.predictions if p.label == label and (world is None or p.world == world)]
        if len(found) == 1:
            return found[0]
        if not found:
            raise KeyError(f"query '{self.query}' has no prediction '{label}'" + (f" in world '{world}'" if world else ""))
        raise KeyError(f"query '{self.query}' predicts '{label}' in several worlds; name one with world=")

    def to_dict(self):
        """The object ``mvc run --format json`` prints for this run (a fresh copy)."""
        return copy.deepcopy(self._json)

    def __repr__(self):
        means = ", ".join(f"{p.label}={p.mean!r}" for p in self.predictions)
        return f"<Result {self.query} ({self.kind}, {self.engine}): {means}>"


class Samples:
    """Every sample of one run: ``log_weights`` (float64, shape (n,)), ``predictions`` (float64,
    shape (n, len(columns)), NaN where the weight is 0), ``columns`` (the column names
    ``mvc run --samples-out`` writes: the label, or ``world.label`` when several worlds are
    predicted), ``labels``, ``worlds``, and ``result``, the Result of the same run."""

    def __init__(self, result, log_weights, predictions, labels, worlds):
        self.result = result
        self.log_weights = log_weights
        self.predictions = predictions
        self.labels = labels
        self.worlds = worlds
        several = len(set(worlds)) > 1
        self.columns = [f"{w}.{l}" if several else l for l, w in zip(labels, worlds)]

    def __len__(self):
        return len(self.log_weights)

    def column(self, name):
        """The samples of one prediction (a view), by column name or index."""
        if isinstance(name, int):
            return self.predictions[:, name]
        if name not in self.columns:
            raise KeyError(f"no column '{name}' (columns: {', '.join(self.columns)})")
        return self.predictions[:, self.columns.index(name)]

    def weights(self):
        """The normalised importance weights (summing to 1; zeros where the weight is 0)."""
        import numpy as np

        lw = self.log_weights
        top = np.max(lw) if len(lw) else -np.inf
        if not np.isfinite(top):
            raise ValueError("every weight is zero: there are no normalised weights")
        w = np.exp(lw - top)
        return w / w.sum()

    def as_dict(self):
        """{"log_weight": ..., column: ...}: columns as 1-D arrays, e.g. for pandas.DataFrame."""
        out = {"log_weight": self.log_weights}
        for k, c in enumerate(self.columns):
            out[c] = self.predictions[:, k]
        return out

    def __repr__(self):
        return f"<Samples of {self.result.query}: {len(self)} x {self.columns}>"
