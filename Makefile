# The two set-up commands: `make demo` and `make test`. Both install libedit's headers first
# when pkg-config cannot find them, so they work on a fresh Debian machine with Swift installed.
SWIFT ?= swift
SWIFT_FLAGS ?=

.PHONY: demo test build release bench bench-store bench-mock bench-check bench-startup bench-ui screenshots deps fixtures fuzz

deps:
	@if ! pkg-config --exists libedit 2>/dev/null; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "relink: installing libedit-dev and pkg-config (libedit's headers)"; \
	    SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libedit-dev pkg-config >/dev/null; \
	  else \
	    echo "relink: libedit's headers are missing and apt-get is not available."; \
	    echo "        Install libedit (with its development headers) and pkg-config, then run make again."; \
	    exit 1; \
	  fi; \
	fi
	@# The settings page's browser tests drive Debian's headless chromium through chromedriver.
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "relink: installing chromium and chromium-driver (the settings page's browser tests)"; \
	    SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "relink: chromium and chromedriver are missing and apt-get is not available."; \
	    echo "        Install Chromium and its WebDriver (chromedriver), then run make again."; \
	    exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

demo: build
	$(SWIFT) run $(SWIFT_FLAGS) relink --fixture demo

test: deps
	python3 Scripts/check-architecture.py
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build $(SWIFT_FLAGS)
	python3 Tests/Browser/settings_page_browser.py test --relink "$$($(SWIFT) build $(SWIFT_FLAGS) --show-bin-path)/relink"

# The settings page's screenshots in Docs/images (green, yellow, grey at 1280x800), taken by the
# browser test as it runs.
screenshots: build
	python3 Tests/Browser/settings_page_browser.py test --screenshots Docs/images --relink "$$($(SWIFT) build $(SWIFT_FLAGS) --show-bin-path)/relink"

# The settings page's two figures (a change by another process to the page; / at 10,000 projects).
bench-ui: deps
	$(SWIFT) build -c release --product relink
	$(SWIFT) build -c release --product relink-bench
	python3 Tests/Browser/settings_page_browser.py bench --relink .build/release/relink --bench .build/release/relink-bench

release: deps
	$(SWIFT) build -c release

# Benchmarks are release builds. `make bench` runs them all once and rewrites the table at the top of
# BENCHMARKS.md; the bench-* targets run one each.
bench: deps
	bash Scripts/bench-all.sh

bench-store: deps
	bash Scripts/bench-store.sh

bench-mock: deps
	bash Scripts/bench-mock.sh

bench-check: deps
	bash Scripts/bench-check.sh

bench-startup: deps
	bash Scripts/bench-startup.sh

# Regenerates Fixtures/demo and Fixtures/large with the generator the benchmarks use.
fixtures: deps
	$(SWIFT) run relink-bench fixtures

# The fuzz targets (Fuzz/, libFuzzer), each for FUZZ_SECONDS (default 60); not part of `make test`.
FUZZ_SECONDS ?= 60
fuzz: deps
	bash Scripts/fuzz.sh $(FUZZ_SECONDS)
