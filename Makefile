# VoiceLoop developer tasks.
#
#   make setup        create/refresh the virtualenv from requirements.lock (idempotent)
#   make lock         re-resolve requirements.lock from pyproject.toml
#   make run          start the demo (PDF libraries installed if missing): migrate SQLite,
#                     load demo data, web on :8000 + worker
#   make test         run the test suite (PYTEST_ARGS="-k foo -x" to pass options)
#   make system-deps  install chromium / postgresql / redis-server / CJK fonts / WeasyPrint's
#                     Pango and HarfBuzz from Debian if missing
#   make lint         ruff + mypy
#   make messages     extract the interface strings, update the zh_Hans and ja catalogues
#   make clean        remove var/ artefacts (keeps .venv)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TORCH  := torch==2.13.0
LOCK   := requirements.lock
UV     := uv==0.13.10
# pip's configured wheel folders and extra indexes, as uv options (folders that exist only).
UV_SOURCES := python3 -m pip config list 2>/dev/null | sed -n "s/^global\.\(find-links\|extra-index-url\)='\(.*\)'$$/\1 \2/p" \
	| while read -r opt values; do for v in $$values; do [ -e "$${v\#file://}" ] && echo "--$$opt $$v"; done; done; \
	echo --index-strategy unsafe-best-match
PYTEST_ARGS ?=
ONLY ?=

# Applies to every recipe (only inside make's own child processes): never reach
# out to the Hugging Face hub, and keep tokenizers from forking thread pools.
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup lock run test system-deps lint clean messages

# setup: create .venv if missing, then install exactly the locked dependency tree
# (requirements.lock, with hashes) and the project itself whenever the lock or
# pyproject.toml is newer than the stamp. uv installs it (about 25 s from a fresh
# clone; pip's resolver backtracked for up to 30 minutes on the open ranges).
# uv reads no pip.conf, so pip's configured wheel folders and extra indexes are
# handed to it: the CPU build of torch comes from there. `make lock` refreshes it.
setup:
	if [ ! -x "$(PY)" ]; then
		python3 -m venv "$(VENV)"
	fi
	if [ ! -f "$(STAMP)" ] || [ $(LOCK) -nt "$(STAMP)" ] || [ pyproject.toml -nt "$(STAMP)" ]; then
		"$(PY)" -m pip install -q "$(UV)"
		"$(VENV)/bin/uv" pip sync --python "$(PY)" $$($(UV_SOURCES)) $(LOCK)
		"$(VENV)/bin/uv" pip install --python "$(PY)" --no-deps -e .
		touch "$(STAMP)"
	fi

# lock: re-resolve requirements.lock from pyproject.toml (dev extra, CPU torch).
lock: setup
	"$(VENV)/bin/uv" pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 \
		$$($(UV_SOURCES)) -c <(echo "$(TORCH)+cpu") -o $(LOCK)

# run: the demo stack (web on 127.0.0.1:8000 plus one worker); prints demo logins.
run: setup
	$(MAKE) --no-print-directory system-deps ONLY=pdf
	exec "$(VENV)/bin/voiceloop" run

# test: lint, then the whole suite. Any non-zero pytest status fails the target,
# including 5 ("no tests collected"), which is called out explicitly.
test: setup system-deps lint
	status=0
	"$(PY)" -m pytest $(PYTEST_ARGS) || status=$$?
	if [ "$$status" -eq 5 ]; then
		echo "make test: pytest collected no tests; treating that as a failure" >&2
	fi
	exit "$$status"

# system-deps: install the Debian packages the tests need, only those missing.
# apt-get update runs once, and only when something has to be installed.
system-deps:
	@answers() {  # answers PORT: true when something accepts TCP on 127.0.0.1:PORT
		timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$$1" >/dev/null 2>&1
	}
	postgres_answers() {
		if command -v pg_isready >/dev/null 2>&1; then
			# 0 = accepting, 1 = rejecting (e.g. starting up): both mean a server is there.
			local rc=0
			pg_isready -q -h 127.0.0.1 -p 5432 -t 3 || rc=$$?
			[ "$$rc" -le 1 ]
		else
			answers 5432
		fi
	}
	missing=()
	if [ "$(ONLY)" != pdf ]; then  # `make run` needs only the PDF engine's libraries
		if [ ! -x /usr/bin/chromium ]; then
			missing+=(chromium)
		fi
		if ! postgres_answers && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
			missing+=(postgresql)
		fi
		if ! answers 6379 && ! command -v redis-server >/dev/null 2>&1; then
			missing+=(redis-server)
		fi
		# Chinese and Japanese glyphs for the browser (screenshots, printed reports).
		if ! compgen -G '/usr/share/fonts/opentype/noto/NotoSansCJK-*' >/dev/null; then
			missing+=(fonts-noto-cjk)
		fi
	fi
	# WeasyPrint (the outcomes report's PDF) draws text with Pango and HarfBuzz.
	for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core; do
		if ! dpkg-query -W -f='$${Status}' "$$lib" 2>/dev/null | grep -q 'install ok installed'; then
			missing+=("$$lib")
		fi
	done
	if [ "$${#missing[@]}" -eq 0 ]; then
		echo "system-deps: nothing to install"
		exit 0
	fi
	sudo=()
	if [ "$$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo)
		else
			echo "system-deps: need root or sudo to install: $${missing[*]}" >&2
			exit 1
		fi
	fi
	echo "system-deps: installing $${missing[*]}"
	"$${sudo[@]}" apt-get update
	"$${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "$${missing[@]}"

# lint: ruff lint, ruff format check and mypy; runs all three, fails if any failed.
lint: setup
	echo "lint: ruff and mypy"
	status=0
	"$(VENV)/bin/ruff" check --no-cache . || status=1
	"$(VENV)/bin/ruff" format --no-cache --check . || status=1
	"$(VENV)/bin/mypy" api ideas coaching jobs foundation demo tests bench || status=1
	exit "$$status"

# messages: extract every marked string (babel.cfg) into the template, then merge it into each
# translation (created when missing); translators fill in the msgstr lines of the .po files.
LOCALES_DIR := foundation/locales
messages: setup
	mkdir -p "$(LOCALES_DIR)"
	"$(VENV)/bin/pybabel" extract -F babel.cfg -k N_ --project VoiceLoop \
		-o "$(LOCALES_DIR)/messages.pot" .
	for locale in zh_Hans ja; do
		if [ -f "$(LOCALES_DIR)/$$locale/LC_MESSAGES/messages.po" ]; then
			"$(VENV)/bin/pybabel" update -i "$(LOCALES_DIR)/messages.pot" -d "$(LOCALES_DIR)" \
				-l "$$locale"
		else
			"$(VENV)/bin/pybabel" init -i "$(LOCALES_DIR)/messages.pot" -d "$(LOCALES_DIR)" \
				-l "$$locale"
		fi
	done

# clean: remove var/ (test artefacts, and the local SQLite files, which
# `make run` recreates). The virtualenv is left alone.
clean:
	rm -rf var/
