"""rows_before_failure.py CSV STDERR — the --samples-out file of a run that failed at run time holds
a header and exactly the rows of the samples before the failing one, which the error names
("(seed S, sample N)"): rows 0..N-1 in order, nothing after."""
import re
import sys

rows = open(sys.argv[1]).read().splitlines()
failed = re.findall(r"\(seed \d+, sample (\d+)\)", open(sys.argv[2]).read())
if len(failed) != 1:
    sys.exit(f"expected one run-time error naming its sample, found {failed}")
n = int(failed[0])
indices = [int(r.split(",")[0]) for r in rows[1:]]
if rows[0] != "index,log_weight,y" or indices != list(range(n)):
    tail = indices[-3:] if indices else []
    sys.exit(f"header {rows[0]!r}, {len(indices)} rows ending {tail}: expected rows 0..{n - 1}")
print(f"rows 0..{n - 1}")
