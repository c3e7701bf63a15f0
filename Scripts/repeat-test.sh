#!/bin/sh
# Runs tests (a swift-testing filter) N times in a row from the built test bundle, with LOAD
# busy-loop processes beside them; prints every miss, the "Ctrl-C to prompt" times the REPL test
# reports, and how many runs failed.
#   Scripts/repeat-test.sh 'completionHistoryReverseSearchAndInterrupt|ctrlCStopsARunningCommand' 300 2
# Build first (swift build --build-tests); the busy loops end with the script. The log of every
# failing run is kept in LOGDIR (default .build/repeat-test/) so a miss can be read afterwards.
set -u
filter=$1
count=${2:-100}
load=${3:-0}
cd "$(dirname "$0")/.." || exit 2
bundle=$(ls -d .build/debug/*PackageTests.xctest 2>/dev/null | head -1)
[ -n "$bundle" ] || { echo "no test bundle: swift build --build-tests first" >&2; exit 2; }
pids=""
i=0
while [ "$i" -lt "$load" ]; do
    yes >/dev/null &
    pids="$pids $!"
    i=$((i + 1))
done
stop_load() { for pid in $pids; do kill "$pid" 2>/dev/null; done; }
# A signal ends the whole script, not only the run in progress.
trap stop_load EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
failures=0
run=1
logdir=${LOGDIR:-.build/repeat-test}
mkdir -p "$logdir"
log=$(mktemp)
while [ "$run" -le "$count" ]; do
    if ! "$bundle" --testing-library swift-testing --filter "$filter" >"$log" 2>&1; then
        failures=$((failures + 1))
        echo "run $run failed:"
        grep -E "✘ Test .*(recorded|Caught)" "$log" | cut -c1-400 | head -10
        cp "$log" "$logdir/run-$run.log"
        echo "  (whole log: $logdir/run-$run.log)"
    fi
    grep -o "Ctrl-C to prompt: [0-9.e-]* seconds" "$log"
    [ $((run % 50)) -eq 0 ] && echo "$run runs, $failures failed" >&2
    run=$((run + 1))
done
rm -f "$log"
echo "$filter: $failures of $count runs failed with $load busy loops beside them"
[ "$failures" -eq 0 ]
