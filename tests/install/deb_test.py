# tests/install/deb_test.py — `cpack -G DEB` builds the multiverse .deb: its control fields and Depends, its files,
# and, unpacked with `dpkg -x` into a scratch root, mvc run / mvc build / the built sampler from it alone.
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import installed  # noqa: E402

# The Debian packages the installed files need at run time: the shared libraries of mvc (LLVM,
# oneTBB, Boehm GC, libedit, the C++ runtime) and what `mvc build` runs and links (c++, -ltbb -lgc).
NEEDED = ["libllvm16", "libtbb12", "libgc1", "libedit2", "libstdc++6", "libc6", "g++", "libtbb-dev", "libgc-dev"]


def out(argv):
    p = subprocess.run(argv, capture_output=True, text=True)
    if p.returncode != 0:
        raise installed.Failure(f"{' '.join(argv)} failed:\n{p.stdout}\n{p.stderr}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cpack", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--runtimedir", required=True)
    ap.add_argument("--docdir", required=True)
    ap.add_argument("--pythondir", help="where the Python module is installed (none: not built)")
    ap.add_argument("--python", help="the python3 it is built for")
    ap.add_argument("--mpi", action="store_true", help="the MPI plugin is built (libmv_mpi.so)")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="mv deb test ")
    try:
        pkgdir = os.path.join(tmp, "out")
        out([a.cpack, "--config", os.path.join(a.build, "CPackConfig.cmake"), "-G", "DEB", "-B", pkgdir])
        debs = glob.glob(os.path.join(pkgdir, "*.deb"))
        if len(debs) != 1:
            raise installed.Failure(f"cpack made {debs}, not one .deb")
        deb = debs[0]
        fields = dict(re.findall(r"^ ?([A-Za-z-]+): (.*)$", out(["dpkg-deb", "-I", deb]), re.M))
        if fields.get("Package") != "multiverse" or fields.get("Version") != a.version:
            raise installed.Failure(f"control fields: {fields}")
        if not fields.get("Maintainer") or not fields.get("Description"):
            raise installed.Failure(f"no Maintainer or Description: {fields}")
        depends = {d.strip().split(" ")[0] for d in fields.get("Depends", "").split(",")}
        # The Python module: the python3 it was built for, and numpy (its arrays).
        # The MPI plugin links libmpi: dpkg-shlibdeps must have found it.
        needed = NEEDED + (["python3", "python3-numpy"] if a.pythondir else []) + (["libopenmpi3"] if a.mpi else [])
        missing = [n for n in needed if n not in depends]
        if missing:
            raise installed.Failure(f"Depends lacks {missing}: {fields.get('Depends')}")
        if a.mpi and "openmpi-bin" not in fields.get("Recommends", ""):
            raise installed.Failure(f"Recommends lacks openmpi-bin (mpirun): {fields.get('Recommends')}")
        files = set(re.findall(r" \./(\S+)$", out(["dpkg-deb", "-c", deb]), re.M))
        usr = "usr/"
        for f in (usr + a.bindir + "/mvc", usr + a.runtimedir + "/libmv_runtime.a",
                  usr + a.runtimedir + "/libmv_runtime_main.a", usr + a.docdir + "/examples/diagnosis.mv",
                  *([usr + a.pythondir + "/multiverse/__init__.py"] if a.pythondir else []),
                  *([usr + a.runtimedir + "/libmv_mpi.so"] if a.mpi else [])):
            if f not in files:
                raise installed.Failure(f"the .deb has no {f}")
        stray = [f for f in files if not f.startswith(usr)]
        if stray:
            raise installed.Failure(f"files outside /usr: {stray}")
        root = os.path.join(tmp, "root")
        out(["dpkg", "-x", deb, root])
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        example = os.path.join(root, "usr", a.docdir, "examples", "diagnosis.mv")
        installed.check_tree(os.path.join(root, "usr"), a.bindir, a.runtimedir, example, [a.build, a.source], work,
                            a.pythondir, a.python)
    except installed.Failure as e:
        print(f"FAIL: {e}")
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"deb test: ok ({os.path.basename(deb)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
