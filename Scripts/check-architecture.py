#!/usr/bin/env python3
"""Checks that Docs/architecture.md's import graph is the one the code has.

The page keeps the graph as a fenced block tagged `imports`, one target a line:
`Target: ModuleA, ModuleB` (the modules its Swift files import, the system's own left out). This
script reads every `import` line under Sources/<Target>/ and fails, naming each difference, when a
target imports a module the page does not list for it or the page lists one that no file imports.
`make test` runs it, so the page cannot drift from the code unnoticed.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SYSTEM = {"Foundation", "FoundationEssentials", "Glibc", "Musl", "Darwin", "Dispatch", "Synchronization", "os"}
IMPORT = re.compile(r"^\s*(?:@[\w()]+\s+)*(?:@_spi\(\w+\)\s+)?import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z_][\w]*)", re.MULTILINE)


def documented():
    text = (ROOT / "Docs" / "architecture.md").read_text()
    match = re.search(r"```imports\n(.*?)```", text, re.DOTALL)
    if not match:
        sys.exit("check-architecture: Docs/architecture.md has no ```imports block")
    graph = {}
    for line in match.group(1).splitlines():
        if not line.strip():
            continue
        target, _, modules = line.partition(":")
        graph[target.strip()] = {m.strip() for m in modules.split(",") if m.strip()}
    return graph


def actual():
    graph = {}
    for directory in sorted((ROOT / "Sources").iterdir()):
        swift = list(directory.rglob("*.swift"))
        if not swift:
            continue
        modules = set()
        for path in swift:
            modules |= set(IMPORT.findall(path.read_text()))
        graph[directory.name] = modules - SYSTEM
    return graph


def main():
    page, code = documented(), actual()
    problems = []
    for target in sorted(set(page) | set(code)):
        if target not in code:
            problems.append(f"{target}: on the page, but Sources/{target} has no Swift file")
            continue
        if target not in page:
            problems.append(f"{target}: imports {', '.join(sorted(code[target])) or 'nothing'}, but the page does not list it")
            continue
        for module in sorted(code[target] - page[target]):
            problems.append(f"{target} imports {module}, which the page does not show")
        for module in sorted(page[target] - code[target]):
            problems.append(f"{target}: the page shows it importing {module}, which no file of it imports")
    if problems:
        print("Docs/architecture.md and the code disagree:", *problems, sep="\n  ", file=sys.stderr)
        sys.exit(1)
    print(f"check-architecture: the page's graph matches the imports of {len(code)} targets")


if __name__ == "__main__":
    main()
