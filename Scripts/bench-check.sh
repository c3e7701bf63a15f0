#!/usr/bin/env bash
# `check --all` over 1,000 connections against the standalone mock, beside wrk's rate on the
# same GET /me (the ceiling), in one run. Loopback only. See BENCHMARKS.md.
#
#   Scripts/bench-check.sh [WRK_SECONDS] [CONCURRENCY]      (SKIP_BUILD=1 to reuse the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
concurrency=${2:-16}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --product relink
  swift build -c release --product relink-bench
fi
work=$(mktemp -d)
trap 'kill "${mock_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
.build/release/relink-bench generate --projects 1174 --out "$work/store" --world  # 1,000 of them connected or broken
.build/release/relink mock serve --port 0 --store "$work/store" --quiet > "$work/url" &
mock_pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
base=$(head -n1 "$work/url")
# One token per connection, so the per-token limit is not what is measured; wrk uses one token.
curl -s -X PUT "$base/__mock/world/rate-limit" -d '{"limit":1000000000,"window_seconds":1}' >/dev/null

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "wrk -t1 -c$concurrency -d${seconds}s GET /me (the ceiling):"
wrk -t1 -c"$concurrency" -d"${seconds}s" --latency -H "Authorization: Bearer fake-large-token-0" "$base/me" \
  | tee "$work/wrk.txt" | grep -E "Requests/sec|50%|99%"
echo "relink check --all (1,000 connections, concurrency $concurrency):"
.build/release/relink-bench check --store "$work/store" --endpoint "$base" --concurrency "$concurrency" | tee "$work/check.json"
python3 - "$work/wrk.txt" "$work/check.json" <<'PY'
import json, re, sys
wrk = float(re.search(r"Requests/sec:\s+([\d.]+)", open(sys.argv[1]).read()).group(1))
check = json.load(open(sys.argv[2]))
print(f"checks/s {check['checks_per_second']:.0f} vs wrk {wrk:.0f} req/s: {100 * check['checks_per_second'] / wrk:.0f}% of the ceiling; "
      f"check p50 {check['p50_ms']:.2f} ms, p99 {check['p99_ms']:.2f} ms; outcomes {check['outcomes']}")
PY
