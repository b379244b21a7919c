# tests/install/install_test.py — `cmake --install` into a temporary prefix, then mvc run, mvc build and the built
# sampler from the prefix alone (clean environment, nothing from the build or source tree), and again after moving it.
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import installed  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmake", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--runtimedir", required=True)
    ap.add_argument("--docdir", required=True)
    ap.add_argument("--pythondir", help="where the Python module is installed (none: not built)")
    ap.add_argument("--python", help="the python3 it is built for")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="mv install test ")
    try:
        prefix = os.path.join(tmp, "prefix")
        p = subprocess.run([a.cmake, "--install", a.build, "--prefix", prefix], capture_output=True, text=True)
        if p.returncode != 0:
            raise installed.Failure(f"cmake --install failed:\n{p.stdout}\n{p.stderr}")
        forbidden = [a.build, a.source]

        def check(root, work):
            os.makedirs(work)
            example = os.path.join(root, a.docdir, "examples", "diagnosis.mv")
            installed.check_tree(root, a.bindir, a.runtimedir, example, forbidden, work, a.pythondir, a.python)

        check(prefix, os.path.join(tmp, "work1"))
        # Relocatable: the same tree moved elsewhere finds its runtime in its new place.
        moved = os.path.join(tmp, "moved prefix")
        os.rename(prefix, moved)
        check(moved, os.path.join(tmp, "work2"))
    except installed.Failure as e:
        print(f"FAIL: {e}")
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("install test: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
