# lit configuration for MultiVerse golden tests.
import os
import lit.formats

config.name = "MultiVerse"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mv", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py.in", "CMakeLists.txt"]
config.test_source_root = os.path.dirname(__file__)

site = lit_config.params.get("site")
if site:
    lit_config.load_config(config, site)
else:
    lit_config.fatal("run through ctest (needs --param site=.../lit.site.cfg.py)")

config.test_exec_root = os.path.join(config.build_dir, "tests", "lit", "out")
here = os.path.dirname(__file__)
config.substitutions.append(("%mvc", config.mvc))
config.substitutions.append(("%expect-exit", config.python + " " + os.path.join(here, "expect_exit.py")))
config.substitutions.append(("%limited", config.python + " " + os.path.join(here, "run_limited.py")))
config.substitutions.append(("%python", config.python))
# mvc's on-disk cache of compiled queries (docs/cli.md): one of the test tree's own, never ~/.cache.
config.environment["MV_CACHE_DIR"] = os.path.join(config.test_exec_root, "mv-cache")
config.environment["PATH"] = config.llvm_bin + os.pathsep + config.environment.get("PATH", os.environ.get("PATH", ""))

# An MV_SANITIZE build (cmake/Sanitize.cmake): `REQUIRES`/`UNSUPPORTED: sanitize`, and
# run_limited.py bounds memory the way AddressSanitizer allows.
if getattr(config, "sanitize", ""):
    config.available_features.add("sanitize")
    config.environment["MV_SANITIZE"] = config.sanitize
