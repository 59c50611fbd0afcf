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

SYSTEM_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev pkg-config
TEST_PACKAGES := xvfb xauth webkit2gtk-driver poppler-utils python3 python3-venv
# The real SMTP server the mail tests start (aiosmtpd), in its own virtual environment.
SMTP_VENV := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/tagungsbuero/smtp-venv
AIOSMTPD_VERSION := 1.4.6
# Only for looking at screens (make screenshots): ImageMagick's `import`, xdotool to size windows.
SCREENSHOT_PACKAGES := imagemagick xdotool

.PHONY: run demo test build ui deps deps-system deps-test deps-smtp deps-ui lint unit-tests e2e \
	bindings-check bench release fmt screenshots

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
test: deps deps-test build lint unit-tests bindings-check e2e
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

release: deps ui
	$(CARGO) build --release -p tagungsbuero
	@ls -l $(CARGO_TARGET_DIR)/release/tagungsbuero

fmt:
	$(CARGO) fmt --all
