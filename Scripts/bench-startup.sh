#!/usr/bin/env bash
# Time from start to the REPL's first prompt (on a pseudo-terminal), and to `projects` printed,
# to `show P1` printed and to `projects` printed (with the peak memory of each), on stores of
# 10,000 and 100,000 projects. Release build; median and max of RUNS runs.
#
#   Scripts/bench-startup.sh [RUNS]      (SKIP_BUILD=1 to reuse the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
if [ -z "${SKIP_BUILD:-}" ]; then
  swift build -c release --product relink
  swift build -c release --product relink-bench
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for size in 10000 100000; do
  echo "generating a store of $size projects..."
  .build/release/relink-bench generate --projects "$size" --out "$work/store-$size"
  python3 - .build/release/relink "$work/store-$size" "$runs" "$size" <<'PY'
import os, pty, select, statistics, subprocess, sys, time
relink, store, runs, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
env = dict(os.environ, NO_COLOR="1", TERM="xterm")

def first_prompt():
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(relink, [relink, "--store", store], env)
    seen = b""
    while b"relink> " not in seen:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            raise SystemExit("no prompt within 10 s")
        seen += os.read(fd, 65536)
    elapsed = time.perf_counter() - start
    os.write(fd, b"\x04")
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed * 1000

peaks = {}

def timed_command(name, command):
    def measure():
        start = time.perf_counter()
        child = subprocess.Popen([relink, "--store", store, "-c", command], stdout=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"relink -c {command!r} exited with {child.returncode}")
        peaks[name] = max(peaks.get(name, 0), usage.ru_maxrss / 1024)  # KiB on Linux
        return elapsed
    return measure

for name, measure in [("first prompt", first_prompt), ("show P1", timed_command("show P1", "show P1")),
                      ("projects printed", timed_command("projects printed", "projects"))]:
    samples = [measure() for _ in range(runs)]
    peak = f"  peak {peaks[name]:6.1f} MB" if name in peaks else ""
    print(f"{size:>7} projects  {name:<17} median {statistics.median(samples):7.1f} ms  max {max(samples):7.1f} ms{peak}  ({runs} runs)", flush=True)
PY
done
