#!/usr/bin/env bash
# Builds relink's fuzz targets (the Fuzz package, with libFuzzer) and runs each for a bounded time.
#
#   Scripts/fuzz.sh [SECONDS] [TARGET…]     (default: 60 seconds, both targets; make fuzz)
#
# The seed corpus is made anew from the scenarios, the command table's examples and the demo
# fixture's files; what libFuzzer adds to it stays in Fuzz/.corpus/ between runs. A crash is
# written to Fuzz/.findings/ and ends the run with a non-zero status: make it a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzCommandLine FuzzStoreFiles)
export SWIFT_BACKTRACE=enable=no

corpus=Fuzz/.corpus
mkdir -p "$corpus/FuzzCommandLine" "$corpus/FuzzStoreFiles" Fuzz/.findings
# Command lines: every line of every scenario, and lines that carry the marker password.
n=0
for script in Fixtures/scenarios/*.relink; do
  while IFS= read -r line; do
    n=$((n + 1)); printf '%s' "$line" > "$corpus/FuzzCommandLine/scenario-$n"
  done < "$script"
done
for line in 'connect OPS --as alice@acme.test --password Hunter2Zq' 'reconnect SUP --password "Hunter2Zq two" --as a@b' \
  'app-user SUP --as bob@acme.test --password=Hunter2Zq' 'mock fault add /me latency --latency-min-ms 1 --latency-max-ms 9' \
  'mock fault add * status --status 503 --body html --probability 0.5 --seed 7 --times 2 --method GET' 'help mock fault add'; do
  n=$((n + 1)); printf '%s' "$line" > "$corpus/FuzzCommandLine/seed-$n"
done
# Store files: a selector byte (0 state.json, 1 journal.jsonl, 2 secrets.json, 3 secrets.jsonl), then a file.
printf '\x00' | cat - Fixtures/demo/state.json > "$corpus/FuzzStoreFiles/state"
printf '\x02' | cat - Fixtures/demo/secrets.json > "$corpus/FuzzStoreFiles/secrets"
printf '\x01{"changes":[{"putProject":{"project":{"key":"NEW","name":"New","jiraSite":"acme.atlassian.net"}}}],"seq":%s}\n' \
  "$(grep -o '"sequence" *: *[0-9]*' Fixtures/demo/state.json | grep -o '[0-9]*$' | awk '{print $1 + 1}')" \
  > "$corpus/FuzzStoreFiles/journal"
head -c 4000 Fixtures/large/state.json | { printf '\x00'; cat; } > "$corpus/FuzzStoreFiles/large-truncated"

status=0
for target in "${targets[@]}"; do
  echo "fuzz: building $target"
  swift build --package-path Fuzz -c release --sanitize=fuzzer --product "$target" >/dev/null
  echo "fuzz: running $target for $seconds s"
  if ! "Fuzz/.build/release/$target" "$corpus/$target" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="Fuzz/.findings/$target-" -timeout=10 2> "Fuzz/.findings/$target.log"; then
    echo "fuzz: $target found a crash; see Fuzz/.findings/ and the tail of Fuzz/.findings/$target.log"
    tail -20 "Fuzz/.findings/$target.log"
    status=1
  else
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE" "Fuzz/.findings/$target.log" || true
  fi
done
exit $status
