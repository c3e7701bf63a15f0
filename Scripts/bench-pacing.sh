#!/usr/bin/env bash
# `check --all` over CONNECTIONS connections in one workspace under Intercom's default rate limits
# (10,000 a minute per app: 1,666 per 10-s window), against the standalone mock: checks done, 429s
# seen, and the wall time against the floor those limits allow, as a ratio. See BENCHMARKS.md.
#
#   Scripts/bench-pacing.sh [CONNECTIONS] [CONCURRENCY]     (SKIP_BUILD=1 to reuse the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-10000}
concurrency=${2:-16}
bin=${BIN:-.build/release}   # BIN=.build/debug measures a debug build
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --product relink
  swift build -c release --product relink-bench
fi
work=$(mktemp -d)
trap 'kill "${mock_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
echo "generating $connections connected projects in one workspace…"
"$bin"/relink-bench generate --projects "$connections" --workspaces 1 --connected-only --out "$work/store" --world
# RELINK_STORE, not --store: `mock serve --store` is read as the global option and serves the default store.
RELINK_STORE="$work/store" "$bin"/relink mock serve --port 0 --quiet > "$work/url" &
mock_pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
base=$(head -n1 "$work/url")
# Intercom's defaults, stated rather than assumed.
curl -sf -X PUT "$base/__mock/world/rate-limit" \
  -d '{"app_limit_per_minute":10000,"workspace_limit_per_minute":25000,"window_seconds":10}' >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "relink check --all ($connections connections, one workspace, concurrency $concurrency, default limits):"
"$bin"/relink-bench pacing --store "$work/store" --endpoint "$base" --concurrency "$concurrency" \
  --per-window 1666 --window-seconds 10 | tee "$work/pacing.json"
python3 - "$work/pacing.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{r['checks']} checks ({r['healthy']} healthy), {r['rate_limited_429']} answers 429; "
      f"{r['seconds']:.1f} s against a floor of {r['floor_seconds']:.1f} s ({r['windows_needed']} windows of "
      f"{r['per_window']}): ratio {r['ratio_to_floor']:.3f}")
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
