"""TinyDB doing what relink-bench's store benchmark does, on the same records: open the file,
then update one record at a time. Prints one JSON line like the relink child does.

    python3 Scripts/tinydb_baseline.py TINYDB_FILE COMMITS
"""
import json
import random
import resource
import sys
import time

from tinydb import TinyDB

path, commits = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
db = TinyDB(path)
table = db.table("_default")
count = len(table)  # TinyDB reads lazily: the first access loads the file
open_ms = (time.perf_counter() - start) * 1000

rng = random.Random(42)
latencies = []
for _ in range(commits):
    doc_id = rng.randint(1, count)
    began = time.perf_counter()
    table.update({"lastCheck": {"at": time.time(), "result": "healthy"}}, doc_ids=[doc_id])
    latencies.append((time.perf_counter() - began) * 1000)
latencies.sort()


def percentile(p):
    return latencies[min(len(latencies) - 1, max(0, int(-(-len(latencies) * p // 1)) - 1))]


print(json.dumps({
    "open_ms": open_ms,
    "commit_median_ms": percentile(0.5),
    "commit_p99_ms": percentile(0.99),
    "commit_max_ms": latencies[-1],
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}, sort_keys=True))
