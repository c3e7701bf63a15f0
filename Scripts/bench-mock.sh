#!/usr/bin/env bash
# GET /me under wrk: the standalone mock beside nginx serving the same JSON body as a static file
# (the ceiling), in one run, on loopback only. Usage: Scripts/bench-mock.sh [seconds] [connections]
# Set SKIP_BUILD=1 to reuse .build/release/relink, BIN=DIR to measure DIR/relink (another build, to
# compare). Results go to stdout and bench-out/mock.txt.
set -euo pipefail

DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
THREADS=1
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
if ! need wrk || ! need nginx; then
    echo "installing wrk and nginx-light" >&2
    apt-get install -y wrk nginx-light >&2
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    swift build -c release --product relink >&2
fi
RELINK="${BIN:-$ROOT/.build/release}/relink"

WORK="$(mktemp -d)"
MOCK_PID=""
NGINX_PID=""
cleanup() {
    # Only the processes this script started, by their ids.
    [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null || true
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. The mock, on an OS-chosen loopback port, over an empty store.
"$RELINK" mock serve --port 0 --store "$WORK/store" --quiet >"$WORK/mock.out" 2>"$WORK/mock.err" &
MOCK_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/mock.out" ] && break; sleep 0.1; done
MOCK="$(head -1 "$WORK/mock.out")"
[ -n "$MOCK" ] || { cat "$WORK/mock.err" >&2; echo "the mock did not start" >&2; exit 1; }

# 2. A world and a token, the way a client gets one: control API, /oauth, token exchange.
post() { curl -sf -X "$1" -H 'Content-Type: application/json' -d "$3" "$MOCK$2" >/dev/null; }
post POST /__mock/world/workspaces '{"id_code":"bench","name":"Bench Workspace","region":"US"}'
post POST /__mock/world/teammates '{"id":"2633609","email":"bench@example.test","name":"Bench","password":"fake-bench","workspaces":["bench"]}'
post POST /__mock/world/apps '{"client_id":"bench","client_secret":"fake-secret","name":"Bench","redirect_uris":["http://127.0.0.1:9/cb"],"development":true}'
# The default limit (1000 per 10 s per token) would turn the run into 429s: lift it.
post PUT /__mock/world/rate-limit '{"app_limit_per_minute":1000000000000,"workspace_limit_per_minute":1000000000000}'
LOCATION="$(curl -s -o /dev/null -w '%{redirect_url}' "$MOCK/oauth?client_id=bench&state=s&email=bench@example.test&password=fake-bench")"
CODE="$(python3 -c 'import sys,urllib.parse as u; print(u.parse_qs(u.urlparse(sys.argv[1]).query)["code"][0])' "$LOCATION")"
TOKEN="$(curl -sf -d "code=$CODE&client_id=bench&client_secret=fake-secret" "$MOCK/auth/eagle/token" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
curl -sf -H "Authorization: Bearer $TOKEN" "$MOCK/me" >"$WORK/me.json"

# 3. nginx serving that body as a static file, as many workers as cores, like the mock's event loops.
NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx/html"
cp "$WORK/me.json" "$WORK/nginx/html/me"
# nginx's workers drop root for an unprivileged user, who must be able to read the file.
chmod 755 "$WORK" "$WORK/nginx" "$WORK/nginx/html"
chmod 644 "$WORK/nginx/html/me"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp;
    proxy_temp_path $WORK/nginx/tmp;
    fastcgi_temp_path $WORK/nginx/tmp;
    uwsgi_temp_path $WORK/nginx/tmp;
    scgi_temp_path $WORK/nginx/tmp;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/nginx/html;
        location = /me { default_type application/json; }
    }
}
CONF
mkdir -p "$WORK/nginx/tmp"
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$NGINX_PORT/me" >/dev/null 2>&1 && break; sleep 0.1; done
curl -s "http://127.0.0.1:$NGINX_PORT/me" >"$WORK/nginx-me.json" || true
cmp -s "$WORK/nginx-me.json" "$WORK/me.json" || { echo "nginx does not serve the body:" >&2; cat "$WORK/nginx/error.log" "$WORK/nginx-me.json" >&2; exit 1; }

# 4. The runs: nginx first (the ceiling), then the mock, same wrk settings.
mkdir -p bench-out
WRK=(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency)
{
    echo "# GET /me: relink mock vs nginx static file ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)"
    echo "body: $(wc -c <"$WORK/me.json") bytes"
    echo "command: ${WRK[*]} URL"
    echo
    echo "## nginx"
    "${WRK[@]}" "http://127.0.0.1:$NGINX_PORT/me"
    echo
    echo "## relink mock"
    "${WRK[@]}" -H "Authorization: Bearer $TOKEN" -H "Intercom-Version: 2.14" "$MOCK/me"
} | tee "$WORK/report.txt"
# The token is a secret of this throwaway world; keep it out of the saved report anyway.
sed "s/$TOKEN/[token]/g" "$WORK/report.txt" >bench-out/mock.txt

python3 - "$WORK/report.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rates = [float(x) for x in re.findall(r"Requests/sec:\s+([\d.]+)", text)]
non2xx = re.findall(r"Non-2xx or 3xx responses: (\d+)", text)
if len(rates) == 2:
    nginx, mock = rates
    print(f"\nsummary: nginx {nginx:,.0f} req/s, mock {mock:,.0f} req/s = {100 * mock / nginx:.0f}% of nginx (target ≥ 50%)")
if non2xx:
    print(f"warning: non-2xx answers seen: {non2xx}")
PY
