#!/usr/bin/env bash
# `make bench`: every benchmark of BENCHMARKS.md in one run on one release build, each one's output
# kept in bench-out/, then the table at the top of BENCHMARKS.md rewritten from those outputs
# (Scripts/bench-table.py). The sections below the table are the history: they are not touched.
#
#   Scripts/bench-all.sh            (SKIP_BUILD=1 to reuse the release build)
#   BENCH_QUICK=1 Scripts/bench-all.sh   smaller runs, for trying the script, not for the table
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench-out
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --product relink
  swift build -c release --product relink-bench
fi
export SKIP_BUILD=1
if [ -n "${BENCH_QUICK:-}" ]; then
  store_args=(--sizes 1000,10000); mock_args=(3 16); check_args=(2000 16); startup_args=(3)
else
  store_args=(); mock_args=(10 32); check_args=(10000 16); startup_args=(10)
fi
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
echo "== store"; bash Scripts/bench-store.sh "${store_args[@]}" | tee bench-out/store.txt
echo "== mock"; bash Scripts/bench-mock.sh "${mock_args[@]}" | tee bench-out/mock-summary.txt
echo "== check"; bash Scripts/bench-check.sh "${check_args[@]}" | tee bench-out/check.txt
echo "== startup"; bash Scripts/bench-startup.sh "${startup_args[@]}" | tee bench-out/startup.txt
python3 Scripts/bench-table.py --started "$started" --commit "$(git rev-parse --short HEAD)" \
  --store bench-out/store.txt --mock bench-out/mock-summary.txt --check bench-out/check.txt \
  --startup bench-out/startup.txt --write BENCHMARKS.md
