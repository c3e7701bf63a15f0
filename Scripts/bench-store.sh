#!/usr/bin/env bash
# The store benchmark of BENCHMARKS.md: relink beside TinyDB on the same records.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c "import tinydb" 2>/dev/null || python3 -m pip install --quiet tinydb
swift build -c release --product relink-bench
.build/release/relink-bench store "$@"
