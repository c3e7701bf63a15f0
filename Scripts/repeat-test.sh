#!/bin/sh
# Runs one test (a swift-testing filter) N times in a row against the built test bundle, with
# LOAD busy-loop processes beside it, and prints how many runs failed.
#   Scripts/repeat-test.sh 'REPLTests/completionHistoryReverseSearchAndInterrupt' 300 2
# Build first (swift build --build-tests); the busy loops are ended when the script ends.
set -u
filter=$1
count=${2:-100}
load=${3:-0}
cd "$(dirname "$0")/.." || exit 2
pids=""
i=0
while [ "$i" -lt "$load" ]; do
    yes >/dev/null &
    pids="$pids $!"
    i=$((i + 1))
done
trap 'for pid in $pids; do kill "$pid" 2>/dev/null; done' EXIT INT TERM
failures=0
run=1
log=$(mktemp)
while [ "$run" -le "$count" ]; do
    if ! swift test --skip-build --filter "$filter" >"$log" 2>&1; then
        failures=$((failures + 1))
        echo "run $run failed:"
        grep -E "✘|error|failed" "$log" | head -20
    fi
    run=$((run + 1))
done
rm -f "$log"
echo "$filter: $failures of $count runs failed with $load busy loops beside them"
[ "$failures" -eq 0 ]
