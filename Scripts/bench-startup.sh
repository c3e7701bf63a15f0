#!/usr/bin/env bash
# Time from start to the REPL's first prompt (on a pseudo-terminal), to `show P1` printed and to
# `projects` printed (whole processes, with the peak memory of each), on stores of
# 10,000 and 100,000 projects, beside TinyDB reading and printing the same records (a third of
# the runs). Release build; median and max of RUNS runs.
#
#   Scripts/bench-startup.sh [RUNS]      (SKIP_BUILD=1 to reuse the release build; BENCH_STORES=DIR
#                                         to copy DIR/store-10000 and DIR/store-100000 instead of
#                                         generating them)
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
python3 -c "import tinydb" 2>/dev/null || python3 -m pip install --quiet tinydb
printf '%7s  %-17s  %-36s  %s\n' size row relink tinydb
for size in 10000 100000; do
  if [ -n "${BENCH_STORES:-}" ] && [ -d "$BENCH_STORES/store-$size" ]; then
    # Stores generated before (by `relink-bench generate`), copied so the runs do not change them.
    echo "copying $BENCH_STORES/store-$size..."
    cp -rL "$BENCH_STORES/store-$size" "$work/store-$size"
  else
    echo "generating a store of $size projects..."
    .build/release/relink-bench generate --projects "$size" --out "$work/store-$size"
  fi
  echo "writing its TinyDB file..."
  .build/release/relink-bench tinydb-file "$work/store-$size" "$work/tinydb-$size.json"
  python3 - .build/release/relink "$work/store-$size" "$runs" "$size" "$work/tinydb-$size.json" <<'PY'
import os, pty, select, statistics, subprocess, sys, time
relink, store, runs, size, tinydb = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
env = dict(os.environ, NO_COLOR="1", TERM="xterm")
tinydb_commands = os.path.abspath("Scripts/tinydb_commands.py")

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
    os.write(fd, b"quit\n")
    # Bounded: relink must leave on quit; say so rather than hang if it does not.
    deadline = time.monotonic() + 10
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            raise SystemExit("relink did not leave within 10 s of quit at its first prompt")
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
    os.close(fd)
    return elapsed * 1000, None

def timed(argv):
    def measure():
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = (time.perf_counter() - start) * 1000
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{argv} exited with {os.waitstatus_to_exitcode(status)}")
        return elapsed, usage.ru_maxrss / 1024  # KiB on Linux
    return measure

def summary(measure, count):
    samples = [measure() for _ in range(count)]
    times = [t for t, _ in samples]
    peaks = [p for _, p in samples if p is not None]
    peak = f"  peak {max(peaks):6.1f} MB" if peaks else ""
    return f"median {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms{peak}"

python = [sys.executable, tinydb_commands, tinydb]
rows = [("first prompt", first_prompt, None),
        ("show P1", timed([relink, "--store", store, "-c", "show P1"]), timed(python + ["show", "P1"])),
        ("projects printed", timed([relink, "--store", store, "-c", "projects"]), timed(python + ["projects"]))]
for name, relink_measure, tinydb_measure in rows:
    print(f"{size:>7}  {name:<17}  {summary(relink_measure, runs):<55}", end="", flush=True)
    # TinyDB loads its whole file for any read: a third of the runs keeps the large size short.
    print(f"  {summary(tinydb_measure, max(1, runs // 3)) if tinydb_measure else '— (no REPL)'}", flush=True)
PY
done
