#!/usr/bin/env bash
# `check --all` with the rate limits lifted, beside wrk on the same GET /me of the same mock for as
# long as the check took (issue 17: at least 10,000 checks or 5 s). Back to back, so both share the
# machine's conditions: wrk, relink, wrk; the share is against the mean of the two wrk runs. Then the
# same GET /me through relink's HTTP client, AsyncHTTPClient alone and bare NIO, CPU per request.
# Loopback only. See BENCHMARKS.md.
#
#   Scripts/bench-check.sh [CONNECTIONS] [CONCURRENCY] [MIX]    (SKIP_BUILD=1 to reuse the release build)
#   MIX: "mixed" (default: 70% connected, 15% broken, as Fixtures/large) or "connected" (every token alive)
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-10000}
concurrency=${2:-16}
mix=${3:-mixed}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
bin=${BIN:-.build/release}   # BIN=.build/debug measures a debug build
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --product relink
  swift build -c release --product relink-bench
fi
work=$(mktemp -d)
trap 'kill "${mock_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
if [ "$mix" = connected ]; then
  "$bin"/relink-bench generate --projects "$connections" --connected-only --out "$work/store" --world
else
  # 17 of every 20 projects are connected or broken: enough projects for CONNECTIONS of them.
  projects=$(( connections / 17 * 20 + connections % 17 ))
  "$bin"/relink-bench generate --projects "$projects" --out "$work/store" --world
fi
"$bin"/relink mock serve --port 0 --store "$work/store" --quiet > "$work/url" &
mock_pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.1; done
base=$(head -n1 "$work/url")
# The rate limits lifted: this measures throughput, not Intercom's budget (bench-pacing.sh does).
curl -sf -X PUT "$base/__mock/world/rate-limit" \
  -d '{"app_limit_per_minute":1000000000000,"workspace_limit_per_minute":1000000000000}' >/dev/null

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "relink check --all ($connections connections, $mix, concurrency $concurrency):"
"$bin"/relink-bench check --store "$work/store" --endpoint "$base" --concurrency "$concurrency" | tee "$work/check.json"
seconds=$(python3 -c 'import json,math,sys; print(max(1, math.ceil(json.load(open(sys.argv[1]))["seconds"])))' "$work/check.json")
for run in 1 2; do
  echo "wrk -t1 -c$concurrency -d${seconds}s GET /me (the ceiling), run $run:"
  wrk -t1 -c"$concurrency" -d"${seconds}s" --latency -H "Authorization: Bearer fake-large-token-0" "$base/me" \
    | tee "$work/wrk$run.txt" | grep -E "Requests/sec|50%|99%"
  if [ "$run" = 1 ]; then
    echo "relink check --all again:"
    "$bin"/relink-bench check --store "$work/store" --endpoint "$base" --concurrency "$concurrency" | tee "$work/check2.json"
  fi
done
# What the HTTP exchange alone costs, layer by layer (BENCHMARKS.md §7b): relink's client as a check
# calls it, AsyncHTTPClient alone, and bare NIO codecs (the floor a hand-written client starts from).
for layer in client ahc nio; do
  echo "GET /me through $layer, 20,000 requests, $concurrency at once:"
  "$bin"/relink-bench wire --endpoint "$base" --layer "$layer" --requests 20000 --concurrency "$concurrency" \
    | tee "$work/wire-$layer.json"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/wrk1.txt" "$work/wrk2.txt" "$work/check.json" "$work/check2.json" <<'PY'
import json, re, sys
wrks = [float(re.search(r"Requests/sec:\s+([\d.]+)", open(f).read()).group(1)) for f in sys.argv[1:3]]
wrk = sum(wrks) / len(wrks)
for name in sys.argv[3:5]:
    c = json.load(open(name))
    rps = c["requests_per_second"]
    print(f"{c['checks']} checks in {c['seconds']:.2f} s: {c['checks_per_second']:.0f} checks/s, {rps:.0f} requests/s "
          f"(ground-truth lookups included) vs wrk {wrk:.0f} req/s (runs {wrks[0]:.0f}, {wrks[1]:.0f}): "
          f"{100 * c['checks_per_second'] / wrk:.0f}% in checks, {100 * rps / wrk:.0f}% in requests; "
          f"p50 {c['p50_ms']:.2f} ms, p99 {c['p99_ms']:.2f} ms; {c['cpu_us_per_check']:.0f} µs of client CPU per check; "
          f"outcomes {c['outcomes']}")
PY
python3 - "$work"/wire-client.json "$work"/wire-ahc.json "$work"/wire-nio.json <<'PY'
import json, sys
for name in sys.argv[1:]:
    w = json.load(open(name))
    print(f"GET /me through {w['layer']}: {w['requests_per_second']:.0f} req/s, {w['cpu_us_per_request']:.0f} µs of CPU per request")
PY
