#!/usr/bin/env python3
"""Writes the table at the top of BENCHMARKS.md from the outputs of one `make bench` run.

Each input is what one Scripts/bench-*.sh printed (Scripts/bench-all.sh keeps them in bench-out/).
The table goes between the two marker comments of BENCHMARKS.md; everything else in the file is the
history and is left as it is. A figure that an output lacks is an error, not a blank cell: a table
from half a run would pass for a whole one.
"""
import argparse
import re
import subprocess
import sys

BEGIN = "<!-- bench:current:begin (written by `make bench`: Scripts/bench-table.py) -->"
END = "<!-- bench:current:end -->"


def need(pattern, text, what):
    match = re.search(pattern, text, re.MULTILINE)
    if not match:
        sys.exit(f"bench-table: no {what} in the output (pattern {pattern!r})")
    return match


def store_rows(text):
    rows = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 7 and parts[0].isdigit() and parts[1] in ("relink", "tinydb"):
            size, system = int(parts[0]), parts[1]
            rows[(size, system)] = dict(zip(("open", "median", "p99", "max", "peak"), map(float, parts[2:])))
    if not rows:
        sys.exit("bench-table: no store rows")
    return rows


def startup_rows(text):
    rows = {}
    pattern = re.compile(
        r"^\s*(\d+)\s+(first prompt|show P1|projects printed)\s+median\s+([\d.]+) ms\s+max\s+([\d.]+) ms"
        r"(?:\s+peak\s+([\d.]+) MB)?\s*(?:median\s+([\d.]+) ms)?")
    for line in text.splitlines():
        match = pattern.match(line)
        if match:
            size, row, median, maximum, peak, tinydb = match.groups()
            rows[(int(size), row)] = (float(median), float(maximum), tinydb and float(tinydb))
    if not rows:
        sys.exit("bench-table: no start-up rows")
    return rows


def number(value, digits=0):
    return f"{value:,.{digits}f}"


def table(args):
    store = store_rows(open(args.store).read())
    mock = open(args.mock).read()
    check = open(args.check).read()
    startup = startup_rows(open(args.startup).read())
    machine_line = need(r"^machine: (.+)$", check, "machine line").group(1)
    machine = machine_line.split("; load")[0]
    load = machine_line.split("; load ")[1] if "; load " in machine_line else "not recorded"
    nginx, mock_rate, share = need(r"summary: nginx ([\d,]+) req/s, mock ([\d,]+) req/s = (\d+)%", mock, "mock summary").groups()
    checks = re.findall(
        r"(\d+) checks in [\d.]+ s: (\d+) checks/s, .*? vs wrk (\d+) req/s.*?; p50 ([\d.]+) ms, p99 ([\d.]+) ms; (\d+) µs of client CPU per check",
        check)
    if not checks:
        sys.exit("bench-table: no check --all summary")
    kernel = subprocess.run(["uname", "-sr"], capture_output=True, text=True).stdout.strip()
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    swift = swift[0].strip() if swift else "swift"

    lines = [BEGIN, "## Current figures", "",
             f"One run of `make bench` (`Scripts/bench-all.sh`), started {args.started} at commit `{args.commit}`.",
             f"Machine: {machine}, {kernel}; {swift}; release builds. Load average when `check --all` started:",
             f"{load}. The load generators share the machine's cores with what they measure, and the machine may",
             "be shared with other work: compare figures of one run with each other.", "",
             "| what | relink | beside it, same run | target |", "|---|---:|---:|---|"]
    for size in sorted({size for size, _ in store}):
        r, t = store.get((size, "relink")), store.get((size, "tinydb"))
        if r:
            lines.append(f"| store of {number(size)} projects: open | {number(r['open'])} ms | "
                         f"TinyDB {number(t['open']) + ' ms' if t else '—'} | {'≤ 150 ms' if size == 10_000 else ''} |")
            lines.append(f"| store of {number(size)} projects: one commit, median / p99 | "
                         f"{r['median']:.2f} / {r['p99']:.2f} ms | "
                         f"TinyDB {number(t['median']) + ' ms' if t else '—'} median | {'≤ 2 ms median' if size == 100_000 else ''} |")
            lines.append(f"| store of {number(size)} projects: peak memory | {number(r['peak'])} MB | "
                         f"TinyDB {number(t['peak']) + ' MB' if t else '—'} | {'≤ 300 MB' if size == 100_000 else ''} |")
    for (size, row), (median, maximum, tinydb) in sorted(startup.items()):
        lines.append(f"| `{row}` on {number(size)} projects, median / max | {number(median)} / {number(maximum)} ms | "
                     f"{'TinyDB ' + number(tinydb) + ' ms median' if tinydb else '—'} | "
                     f"{'≤ 150 ms' if row == 'first prompt' and size == 10_000 else ''} |")
    lines.append(f"| mock `GET /me` under wrk | {mock_rate} req/s | nginx, static file: {nginx} req/s ({share}%) | ≥ 50% of nginx |")
    for count, rate, wrk, p50, p99, cpu in checks:
        lines.append(f"| `check --all`, {number(int(count))} connections, limits lifted | {number(int(rate))} checks/s, "
                     f"p50 {p50} / p99 {p99} ms | wrk on the same `/me`: {number(int(wrk))} req/s | "
                     f"client CPU per check, to watch: {cpu} µs |")
    lines += ["", "Each script prints more than the table keeps (bench-out/ has the whole output); the sections",
              "below are the history of how each figure got here, each with its own run.", END]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    for name in ("started", "commit", "store", "mock", "check", "startup", "write"):
        parser.add_argument(f"--{name}", required=True)
    args = parser.parse_args()
    block = table(args)
    text = open(args.write).read()
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        sys.exit(f"bench-table: {args.write} has no {BEGIN!r} marker")
    open(args.write, "w").write(text)
    print(block)


if __name__ == "__main__":
    main()
