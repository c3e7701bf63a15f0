#!/usr/bin/env python3
"""The settings page in a real browser: Debian's headless chromium, driven over WebDriver.

    python3 Tests/Browser/settings_page_browser.py test [--relink PATH] [--screenshots DIR]
    python3 Tests/Browser/settings_page_browser.py bench [--relink PATH] [--runs N]

`test` (run by `make test`) opens SUP's page served by `relink ui` on a copy of Fixtures/demo, then:
a `break` typed in another relink process turns it yellow with the seed's warning, without a
reload; clicking Reconnect turns it green and `log` shows the event; Revoke from the "⋯" menu
turns it grey. With --screenshots it saves the three states at 1280x800.

`bench` measures, in the same browser, the time from a change committed by another process to
the page showing it, and the first render of `/` at 10,000 projects.

Only the standard library: WebDriver is JSON over HTTP on loopback. Every wait polls with a
deadline; nothing sleeps to synchronise.
"""
import argparse
import base64
import json
import os
import pathlib
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
SEED_WARNING = (
    "The app user jira-bot@acme.test changed their Intercom password, which ended every token they had "
    "authorized. Reconnect to repair it."
)
# Generous on a loaded 2-core machine: a bound on a hang, not an expectation.
STATE_DEADLINE = 60.0
START_DEADLINE = 120.0


class Failure(Exception):
    pass


def until(what, probe, deadline=STATE_DEADLINE, interval=0.02):
    """Polls `probe` until it answers something truthy; fails naming `what` after `deadline` s."""
    end = time.monotonic() + deadline
    last = None
    while time.monotonic() < end:
        try:
            last = probe()
        except (urllib.error.URLError, ConnectionError, Failure) as error:
            last = error
        else:
            if last:
                return last
        time.sleep(interval)  # the poll's pace, bounded by the deadline above
    raise Failure(f"timed out after {deadline:.0f} s waiting for {what} (last: {last!r})")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebDriver:
    """The few WebDriver commands the tests need, against chromedriver on loopback."""

    def __init__(self, chromium, chromedriver, workdir):
        self.port = free_port()
        self.log = open(workdir / "chromedriver.log", "w")
        self.process = subprocess.Popen(
            [chromedriver, f"--port={self.port}", "--allowed-ips=127.0.0.1"], stdout=self.log, stderr=subprocess.STDOUT
        )
        self.base = f"http://127.0.0.1:{self.port}"
        until("chromedriver to listen", lambda: self.call("GET", "/status").get("ready"), START_DEADLINE, 0.1)
        arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800",
            "--hide-scrollbars", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            f"--user-data-dir={workdir / 'profile'}", "--force-device-scale-factor=1",
        ]
        capabilities = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {"binary": chromium, "args": arguments},
                    "timeouts": {"pageLoad": 60000, "script": 30000},
                }
            }
        }
        self.session = self.call("POST", "/session", capabilities, timeout=START_DEADLINE)["sessionId"]
        # The viewport, not the window, is what a screenshot shows: make it exactly 1280x800.
        self.command("POST", "/goog/cdp/execute", {
            "cmd": "Emulation.setDeviceMetricsOverride",
            "params": {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        })

    def call(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            raise Failure(f"WebDriver {method} {path}: {error.code} {error.read()[:400]!r}") from None

    def command(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body if body is not None or method == "GET" else {})

    def open(self, url):
        self.command("POST", "/url", {"url": url})

    def script(self, source, *arguments):
        return self.command("POST", "/execute/sync", {"script": source, "args": list(arguments)})

    def click(self, selector):
        """Clicks the element once it is there; a swap of the content between finding and clicking
        (a live update) makes the element stale, so both are retried until the deadline."""
        def attempt():
            found = self.command("POST", "/element", {"using": "css selector", "value": selector})
            if not isinstance(found, dict) or ELEMENT not in found:
                raise Failure(f"no {selector}: {found!r}")
            self.command("POST", f"/element/{found[ELEMENT]}/click", {})
            return True
        until(f"a click on {selector}", attempt)

    def screenshot(self, path):
        path.write_bytes(base64.b64decode(self.command("GET", "/screenshot")))

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}", timeout=30)
        except Exception:
            pass
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Page:
    """`relink ui` over a store, in a process of its own."""

    def __init__(self, relink, store):
        self.process = subprocess.Popen(
            [relink, "--store", str(store), "ui"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        # The URL is flushed at once; EOF if relink failed. Bounded: a relink that hangs before it
        # prints is a failure, not a wait.
        ready, _, _ = select.select([self.process.stdout], [], [], START_DEADLINE)
        if not ready:
            self.process.kill()
            raise Failure(f"relink ui printed no URL within {START_DEADLINE:.0f} s")
        line = self.process.stdout.readline()
        if "http://127.0.0.1:" not in line:
            raise Failure(f"relink ui printed {line!r}; stderr: {self.process.stderr.read()[:400]!r}")
        self.url = line.split("The settings page: ", 1)[1].strip()

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            status = self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise Failure("relink ui did not stop within 60 s of SIGINT")
        if status != 0:
            raise Failure(f"relink ui ended with {status} after SIGINT")


def run_relink(relink, store, *commands):
    arguments = [relink, "--store", str(store)]
    for command in commands:
        arguments += ["-c", command]
    done = subprocess.run(arguments, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise Failure(f"relink {' '.join(commands)} exited {done.returncode}: {done.stderr[:400]}")
    return done.stdout


def section_state(browser):
    return browser.script(
        "const s = document.querySelector('section.integration');"
        "const w = document.querySelector('.warning-text');"
        "const i = document.querySelector('section.integration .indicator');"
        "return s && {indicator: s.dataset.indicator, word: i && i.textContent.replace('●', '').trim(),"
        " warning: w && w.textContent, marker: window.relinkMarker || null,"
        " live: document.body.dataset.live};"
    )


def wait_for_indicator(browser, indicator):
    return until(
        f"the page to turn {indicator}",
        lambda: (lambda state: state if state and state["indicator"] == indicator else None)(section_state(browser)),
    )


def open_live(browser, url):
    browser.open(url)
    until("the page's event stream to open", lambda: browser.script("return document.body.dataset.live") == "on")
    # A reload would lose this: its presence after a change proves the page updated in place.
    browser.script("window.relinkMarker = 'no reload';")


def test(arguments, workdir):
    store = workdir / "store"
    shutil.copytree(ROOT / "Fixtures" / "demo", store)
    page = Page(arguments.relink, store)
    browser = WebDriver(arguments.chromium, arguments.chromedriver, workdir)
    shots = pathlib.Path(arguments.screenshots) if arguments.screenshots else None
    try:
        open_live(browser, page.url + "projects/SUP")
        state = section_state(browser)
        if state["indicator"] != "green" or state["word"] != "green":
            raise Failure(f"SUP did not open green with its word: {state}")

        # 1. A break typed in another process turns the open page yellow, with the seed's warning.
        run_relink(arguments.relink, store, "break SUP password-changed")
        broken = time.monotonic()
        state = wait_for_indicator(browser, "yellow")
        yellow_after = (time.monotonic() - broken) * 1000
        if state["warning"] != SEED_WARNING:
            raise Failure(f"the yellow page's warning is not the seed's: {state['warning']!r}")
        if state["word"] != "yellow" or state["marker"] != "no reload":
            raise Failure(f"yellow without its word, or after a reload: {state}")
        if shots:
            shots.mkdir(parents=True, exist_ok=True)
            browser.screenshot(shots / "settings-page-yellow.png")
        print("ok: a break typed in another process turned the page yellow with the seed's warning, without a reload"
              f" ({yellow_after:.0f} ms after the break's process ended)")

        # 2. Clicking Reconnect turns it green, and log shows the event.
        browser.click("button[data-action='reconnect']")
        state = wait_for_indicator(browser, "green")
        if state["marker"] != "no reload":
            raise Failure("the page reloaded on Reconnect")
        log = run_relink(arguments.relink, store, "log SUP")
        flattened = " ".join(log.split())
        if "reconnected: broken → connected, as jira-bot@acme.test by relink reconnect" not in flattened:
            raise Failure(f"log does not show the page's reconnect as a typed one:\n{log}")
        until("the action's answer", lambda: "reconnected" in browser.script("return document.getElementById('flash').textContent"))
        if shots:
            browser.script("document.getElementById('flash').hidden = true;")
            browser.screenshot(shots / "settings-page-green.png")
        print("ok: Reconnect turned the page green and log shows the event as typed")

        # 3. Revoke from the "⋯" menu turns it grey.
        browser.click("details.menu > summary")
        until("the ⋯ menu to open", lambda: browser.script("return document.querySelector('details.menu').open"))
        browser.click("button[data-action='revoke']")
        state = wait_for_indicator(browser, "grey")
        if state["word"] != "grey" or state["marker"] != "no reload":
            raise Failure(f"grey without its word, or after a reload: {state}")
        if "revoked: connected → not_connected" not in " ".join(run_relink(arguments.relink, store, "log SUP").split()):
            raise Failure("log does not show the revoke")
        if shots:
            browser.script("document.getElementById('flash').hidden = true;")
            browser.screenshot(shots / "settings-page-grey.png")
        print("ok: Revoke from the ⋯ menu turned the page grey")
    finally:
        browser.close()
        page.stop()


def bench(arguments, workdir):
    store = workdir / "store"
    shutil.copytree(ROOT / "Fixtures" / "demo", store)
    page = Page(arguments.relink, store)
    browser = WebDriver(arguments.chromium, arguments.chromedriver, workdir)
    try:
        open_live(browser, page.url + "projects/SUP")
        # The page notes, in wall-clock milliseconds, when its section last changed.
        browser.script(
            "window.relinkSeen = [];"
            "new MutationObserver(() => { const s = document.querySelector('section.settings');"
            " if (s) window.relinkSeen.push({at: performance.timeOrigin + performance.now(), text: s.textContent}); })"
            ".observe(document.getElementById('content'), {childList: true, subtree: true});"
        )
        journal = store / "journal.jsonl"
        latencies = []
        for run in range(arguments.runs):
            value = "false" if run % 2 == 0 else "true"
            shown = value == "true"  # the page says "unassign on open" only while it is set
            before = browser.script("return window.relinkSeen.length")
            run_relink(arguments.relink, store, f"settings SUP conversationLinking.unassignOnOpen {value}")
            # The commit's instant: the journal line another process appended, by its mtime.
            committed = os.stat(journal).st_mtime_ns / 1e6
            seen = until("the page to show the setting", lambda: next(
                (entry["at"] for entry in browser.script("return window.relinkSeen")[before:]
                 if ("unassign on open" in entry["text"]) == shown), None))
            latencies.append(seen - committed)
        latencies.sort()
        print(f"change by another process → page shows it: {len(latencies)} runs, median {statistics.median(latencies):.0f} ms,"
              f" p90 {latencies[int(len(latencies) * 0.9) - 1]:.0f} ms, max {latencies[-1]:.0f} ms")
    finally:
        browser.close()
        page.stop()

    large = workdir / "large"
    subprocess.run([arguments.bench, "generate", "--projects", "10000", "--world", "--out", str(large)], check=True,
                   capture_output=True, timeout=600)
    page = Page(arguments.relink, large)
    browser = WebDriver(arguments.chromium, arguments.chromedriver, workdir)
    try:
        renders = []
        for _ in range(arguments.runs):
            browser.open(page.url + "?fresh=" + str(time.monotonic_ns()))
            timing = browser.script(
                "const n = performance.getEntriesByType('navigation')[0];"
                "return {response: n.responseEnd - n.requestStart, rendered: n.domContentLoadedEventEnd - n.startTime,"
                " rows: document.querySelectorAll('tr[data-key]').length};")
            if timing["rows"] != 50:
                raise Failure(f"/ at 10,000 projects shows {timing['rows']} rows, not a page of 50")
            renders.append(timing)
        for name, meaning in [("response", "request to last byte"), ("rendered", "navigation to DOMContentLoaded")]:
            values = [t[name] for t in renders]
            rest = sorted(values[1:]) or values
            print(f"/ at 10,000 projects, {meaning}: first {values[0]:.0f} ms; then {len(rest)} runs,"
                  f" median {statistics.median(rest):.0f} ms, max {rest[-1]:.0f} ms")
    finally:
        browser.close()
        page.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["test", "bench"])
    parser.add_argument("--relink", default=str(ROOT / ".build" / "debug" / "relink"))
    parser.add_argument("--bench", default=str(ROOT / ".build" / "debug" / "relink-bench"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    parser.add_argument("--screenshots", help="save the green, yellow and grey states here (1280x800 PNG)")
    parser.add_argument("--runs", type=int, default=20)
    arguments = parser.parse_args()
    for tool in [arguments.relink, arguments.chromium, arguments.chromedriver]:
        if not os.access(tool, os.X_OK):
            sys.exit(f"settings_page_browser: {tool} is missing (make deps installs chromium and chromium-driver;"
                     " swift build builds relink)")
    with tempfile.TemporaryDirectory(prefix="relink-browser-") as directory:
        try:
            (test if arguments.mode == "test" else bench)(arguments, pathlib.Path(directory))
        except Failure as failure:
            sys.exit(f"FAILED: {failure}")


if __name__ == "__main__":
    main()
