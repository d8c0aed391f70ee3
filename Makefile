# gridlink: `make run` starts the console, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_RUN := postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting
APT_TEST := chromium fonts-noto-cjk gdal-bin

.PHONY: run test deps test-deps venv lint vendor clean

run: deps venv
	$(BIN)/gridlink run

test: deps test-deps venv
	$(BIN)/pytest

deps:
	@$(MAKE) --no-print-directory apt PKGS="$(APT_RUN)"

test-deps:
	@$(MAKE) --no-print-directory apt PKGS="$(APT_TEST)"

# Install only the Debian packages that are missing (apt-get update once, first).
apt:
	@missing=$$(for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

lint: venv
	$(BIN)/ruff check server geo seed tests bench
	$(BIN)/mypy geo server

vendor:
	cd web && bash scripts/vendor.sh

clean:
	-$(BIN)/gridlink db stop
	rm -rf var $(VENV)
