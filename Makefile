# The README's commands. `make run` and `make test` are all the set-up there is.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run sandbox screenshot browser test fonts lint typecheck unit test-sqlite test-shifted test-postgres demo migrate bench bench-latency bench-load messages clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(VENV)/.installed $@

# Charts need a font with Chinese glyphs; install Debian's when the machine has none.
fonts: $(VENV)/.installed
	@$(PY) -c 'from bot.charts import _font_family; _font_family()' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing a Chinese font for charts (fonts-wqy-microhei)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; }; \
	  else echo "warning: no font with Chinese glyphs; install fonts-wqy-microhei for charts"; fi; }

# Without Slack tokens this explains how to get them, then opens the local sandbox.
run: $(VENV)/.installed fonts
	$(PY) -m bot run

sandbox: $(VENV)/.installed fonts
	$(PY) -m bot sandbox

# The browser tests drive Debian's Chromium (Playwright's own download does not work here).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Chromium for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; \
	  else echo "warning: no Chromium; the browser tests will be skipped (apt-get install chromium)"; fi; }

# docs/sandbox.png and docs/sandbox-phone.png for the README.
screenshot: $(VENV)/.installed-dev browser fonts
	@fc-list 2>/dev/null | grep -qi 'color emoji' || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing an emoji font for the screenshots (fonts-noto-color-emoji)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null 2>&1 || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-color-emoji >/dev/null; }; \
	  else echo "warning: no emoji font; emoji show as boxes (apt-get install fonts-noto-color-emoji)"; fi; }
	$(PY) -m tests.browser.screenshot

migrate: $(VENV)/.installed
	$(PY) -m bot migrate

demo: $(VENV)/.installed
	$(PY) -m bot demo

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(VENV)/bin/mypy

test-sqlite: $(VENV)/.installed-dev
	@echo "== tests on SQLite"
	$(PY) -m pytest 

# The SQLite suite again with the wall clock 400 days ahead (time-machine, still ticking):
# nothing may depend on today's date, only on the injected clock (docs/architecture.md).
test-shifted: $(VENV)/.installed-dev
	@echo "== tests on SQLite, the wall clock moved 400 days ahead"
	$(PY) -m pytest --shift-days=400 --ignore=tests/browser

test-postgres: $(VENV)/.installed-dev
	@echo "== tests on PostgreSQL (a throwaway server on loopback)"
	ICRM_TEST_DB=postgres $(PY) -m pytest 

test: lint typecheck fonts browser test-sqlite test-shifted test-postgres

bench: bench-latency bench-load

bench-latency: $(VENV)/.installed-dev
	$(PY) bench/ack_latency.py

bench-load: $(VENV)/.installed-dev
	$(PY) bench/ack_under_load.py

# Print, in .po syntax, the messages that still lack a Chinese translation.
messages: $(VENV)/.installed-dev
	$(PY) -m tests.i18n_extract

clean:
	rm -rf $(VENV) *.egg-info .mypy_cache .ruff_cache
