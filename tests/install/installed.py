# tests/install/installed.py — checks an installed MultiVerse tree (a prefix or an unpacked .deb) without the build tree.
import json
import os
import re
import shlex
import shutil
import subprocess

QUERY = "cure_d1"
RUN_ARGS = ["--samples", "20000", "--seed", "3", "--threads", "2"]


class Failure(Exception):
    pass


def clean_env(tmp):
    """An environment with nothing pointing at the build or source tree."""
    return {"PATH": "/usr/bin:/bin", "HOME": tmp, "TMPDIR": tmp, "LANG": "C.UTF-8"}


def run(argv, env, cwd, expect=0):
    p = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    if expect is not None and p.returncode != expect:
        raise Failure(f"{shlex.join(argv)}: exit {p.returncode}, expected {expect}\n{p.stdout}\n{p.stderr}")
    return p


def under(path, root):
    path, root = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([path, root]) == root


def check_dynamic_links(mvc, forbidden, env):
    """Every shared library mvc needs resolves, none from a forbidden tree; RUNPATH names none of them."""
    dyn = run(["readelf", "-d", mvc], env, "/").stdout
    for m in re.finditer(r"\((?:RPATH|RUNPATH)\)\s+Library r(?:un)?path: \[(.*)\]", dyn):
        for entry in m.group(1).split(":"):
            for root in forbidden:
                if entry.startswith("/") and under(entry, root):
                    raise Failure(f"{mvc}: RUNPATH entry {entry} lies in {root}")
    ldd = run(["ldd", mvc], env, "/").stdout
    if "not found" in ldd:
        raise Failure(f"{mvc}: unresolved libraries:\n{ldd}")
    for m in re.finditer(r"=> (/\S+)", ldd):
        for root in forbidden:
            if under(m.group(1), root):
                raise Failure(f"{mvc}: loads {m.group(1)} from {root}")


def normalise(text):
    text = re.sub(r'"seconds":[-+0-9.eE]+', '"seconds":T', text)
    return re.sub(r", [0-9.]+ s\n", ", T s\n", text)


def check_build(mvc, example, runtime_dir, forbidden, tmp, env, name):
    """`mvc build --verbose` links only the installed archives; the executable prints what `mvc run` prints."""
    exe = os.path.join(tmp, name)
    p = run([mvc, "build", example, "--query", QUERY, "-o", exe, "--verbose"], env, tmp)
    found = re.search(r"^runtime: (.*)$", p.stderr, re.M)
    if not found or os.path.realpath(found.group(1)) != os.path.realpath(runtime_dir):
        raise Failure(f"mvc build used the runtime in {found and found.group(1)}, not {runtime_dir}\n{p.stderr}")
    link = re.search(r"^link: (.*)$", p.stderr, re.M)
    if not link:
        raise Failure(f"mvc build --verbose printed no link command\n{p.stderr}")
    words = shlex.split(link.group(1))
    archives = [w for w in words if w.endswith(".a")]
    if len(archives) != 2 or not all(under(a, runtime_dir) for a in archives):
        raise Failure(f"link archives {archives} are not the two in {runtime_dir}")
    for w in words:
        for root in forbidden:
            if w.startswith("/") and under(w, root):
                raise Failure(f"the link command names {w}, in {root}")
    for fmt in ("json", "table"):
        want = run([mvc, "run", example, "--query", QUERY, "--engine", "jit", *RUN_ARGS, "--format", fmt], env, tmp).stdout
        got = run([exe, *RUN_ARGS, "--format", fmt], env, tmp).stdout
        if normalise(got) != normalise(want):
            raise Failure(f"{name} --format {fmt} differs from mvc run:\n{got}\n---\n{want}")
    return exe


def check_missing_runtime(mvc, tmp, env, example):
    """mvc alone, away from any runtime: `mvc build` exits 2 naming where it looked, writes nothing."""
    lone = os.path.join(tmp, "lone", "bin")
    os.makedirs(lone)
    shutil.copy2(mvc, lone)
    out = os.path.join(tmp, "never")
    p = run([os.path.join(lone, "mvc"), "build", example, "--query", QUERY, "-o", out], env, tmp, expect=2)
    looked = re.findall(r"^  (/.*)$", p.stderr, re.M)
    if "cannot find the native runtime" not in p.stderr or not looked:
        raise Failure(f"no clear error for a missing runtime:\n{p.stderr}")
    for d in looked:
        if not under(d, os.path.dirname(lone)):
            raise Failure(f"a lone mvc searched {d}, outside its own tree")
    if os.path.exists(out):
        raise Failure("mvc build wrote an executable without a runtime")


PYTHON_CHECK = r"""
import json, sys
import multiverse as mv
prog = mv.load(sys.argv[1])
r = prog.run(sys.argv[2], samples=int(sys.argv[3]), seed=int(sys.argv[4]), threads=int(sys.argv[5]))
s = prog.samples(sys.argv[2], 1000, seed=1)
print(mv.__file__)
print(json.dumps(r.to_dict()))
print(s.predictions.shape, mv.__version__)
"""


def check_python(root, pythondir, python, example, forbidden, tmp, env, want_json):
    """`import multiverse` from the tree (PYTHONPATH=root/pythondir: the tree is not a system prefix) gives the
    numbers mvc run gives; without PYTHONPATH it is not found, so nothing else was imported."""
    moddir = os.path.join(root, pythondir)
    pkg = os.path.join(moddir, "multiverse")
    natives = [f for f in os.listdir(pkg) if f.startswith("_multiverse") and f.endswith(".so")] if os.path.isdir(pkg) else []
    if not os.path.isfile(os.path.join(pkg, "__init__.py")) or len(natives) != 1:
        raise Failure(f"the Python module is not installed in {pkg}")
    check_dynamic_links(os.path.join(pkg, natives[0]), forbidden, env)
    lone = run([python, "-c", "import multiverse"], env, tmp, expect=None)
    if lone.returncode == 0:
        raise Failure("`import multiverse` works without PYTHONPATH: the test would not see the installed module")
    args = [python, "-c", PYTHON_CHECK, example, QUERY] + [RUN_ARGS[i] for i in (1, 3, 5)]
    p = run(args, {**env, "PYTHONPATH": moddir}, tmp)
    lines = p.stdout.splitlines()
    if len(lines) != 3 or not under(lines[0], moddir):
        raise Failure(f"multiverse was imported from {lines[:1]}, not {moddir}:\n{p.stdout}\n{p.stderr}")
    got = json.loads(lines[1])
    if {**got, "seconds": 0} != {**want_json, "seconds": 0}:
        raise Failure(f"Python's result differs from mvc run:\n{got}\n---\n{want_json}")
    if not lines[2].startswith("(1000, 1) "):
        raise Failure(f"samples() shape: {lines[2]}")


def check_tree(root, bindir, runtime_dir, example, forbidden, tmp, pythondir=None, python=None):
    """All checks of one installed tree; mvc at root/bindir/mvc, the Python module (if given) in root/pythondir."""
    env = clean_env(tmp)
    mvc = os.path.join(root, bindir, "mvc")
    runtime = os.path.join(root, runtime_dir)
    for f in (mvc, os.path.join(runtime, "libmv_runtime.a"), os.path.join(runtime, "libmv_runtime_main.a"), example):
        if not os.path.isfile(f):
            raise Failure(f"{f} is not installed")
    check_dynamic_links(mvc, forbidden, env)
    p = run([mvc, "run", example, "--engine", "jit", *RUN_ARGS, "--format", "json"], env, tmp)
    queries = [json.loads(line)["query"] for line in p.stdout.splitlines()]
    if QUERY not in queries:
        raise Failure(f"mvc run printed no {QUERY}: {queries}")
    if pythondir:
        want = json.loads(p.stdout.splitlines()[queries.index(QUERY)])
        check_python(root, pythondir, python, example, forbidden, tmp, env, want)
    check_build(mvc, example, runtime, forbidden, tmp, env, "cure")
    check_missing_runtime(mvc, tmp, env, example)
    return mvc
