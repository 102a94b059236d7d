# threecx.xapi: every task a developer or CI runs. `make test` is the one test command.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
# The ansible-core versions the collection supports (README, meta/runtime.yml), oldest first.
CORES := 2.16 2.17 2.18 2.19
CORE_OLDEST := $(firstword $(CORES))
# CORE=2.16 (one of CORES) runs the venv-based targets with that ansible-core, in a venv and build
# directory of its own, so that versions never clobber each other: `make integration CORE=2.16`.
# Without it, .venv gets the newest ansible-core that tests/requirements.txt allows.
CORE ?=
ifneq ($(CORE),)
ifeq ($(filter $(CORE),$(CORES)),)
$(error CORE=$(CORE) is not one of the supported ansible-core versions: $(CORES))
endif
VENV := .venv-core$(CORE)
# Only what the integration tests need: the tools of the other suites follow the newest ansible-core.
REQUIREMENTS := tests/requirements-integration.txt
BUILD := .build/core$(CORE)
else
VENV := .venv
REQUIREMENTS := tests/requirements.txt
BUILD := .build
endif
BIN := $(VENV)/bin
# ansible-test insists on running from ansible_collections/<namespace>/<name>: we copy the
# work tree there instead of touching the user's own collections path.
COLLECTIONS := $(CURDIR)/$(BUILD)/collections
COLLECTION := $(COLLECTIONS)/ansible_collections/threecx/xapi
INSTALLED := $(CURDIR)/$(BUILD)/installed
SPEC ?= $(abspath ../shared/xapi/swagger.yaml)
PYTEST_WORKERS ?= 2
# ansible-test fetches a get-pip bootstrap from a host these machines cannot reach; this stands in for it.
GET_PIP_CACHE := $(HOME)/.ansible/test/cache
SIM_PORT ?= 8765

export ANSIBLE_NOCOLOR := 1
# Tools that call ansible-doc or ansible by name (antsibull-docs, ansible-lint) find the venv's.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv collection install browser sanity units integration integration-module integration-oldest test-matrix lint docs-lint \
  changelog-lint test demo simulator bench profile catalogue clean

help:
	@echo "make demo         run the demo playbook against the XAPI simulator"
	@echo "make test         what CI runs: sanity, unit tests, integration tests on the newest ansible-core and"
	@echo "                  on the oldest ($(CORE_OLDEST)), ansible-lint, docs and changelog lint"
	@echo "make test-matrix  the integration tests on every supported ansible-core: $(CORES), and on the module path"
	@echo "make integration CORE=2.16  the integration tests on one ansible-core, in .venv-core2.16"
	@echo "make integration-module  the integration tests with THREECX_EXECUTION=module: every task a module process"
	@echo "make simulator    run the XAPI simulator in the foreground with demo credentials"
	@echo "make bench        side-by-side benchmarks (results in bench/results/)"
	@echo "make profile      import cost of each module payload, and where a 10,000-device read spends its time"
	@echo "make catalogue    regenerate the operation catalogue and docs/operations.md from the spec"

$(BIN)/.installed: requirements.txt tests/requirements.txt tests/requirements-integration.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# CORE pins ansible-core by a constraint, not by editing the requirements: pip fails rather than pick another.
	$(if $(CORE),echo 'ansible-core==$(CORE).*' > $(VENV)/constraints.txt)
	$(BIN)/pip install --quiet -r $(REQUIREMENTS) $(if $(CORE),-c $(VENV)/constraints.txt)
	$(BIN)/ansible --version | sed -n 1p
	touch $@

venv: $(BIN)/.installed

# A fresh copy of what git tracks or would track: no .venv, no build output.
collection:
	rm -rf $(COLLECTION)
	mkdir -p $(COLLECTION)
	git ls-files -z --cached --others --exclude-standard \
	  | tar --null --ignore-failed-read -cf - -T - 2>/dev/null \
	  | tar -xf - -C $(COLLECTION)
	@# A repository of its own, so that ansible-test lists the copy's files, not the work tree's.
	git -C $(COLLECTION) init --quiet

install: venv collection
	rm -rf $(INSTALLED) $(BUILD)/dist
	cd $(COLLECTION) && $(CURDIR)/$(BIN)/ansible-galaxy collection build --force --output-path $(CURDIR)/$(BUILD)/dist >/dev/null
	$(BIN)/ansible-galaxy collection install --force -p $(INSTALLED) $(BUILD)/dist/threecx-xapi-*.tar.gz >/dev/null
	@echo "installed threecx.xapi into $(INSTALLED)"

$(GET_PIP_CACHE)/.stand-in: tests/utils/get_pip_stand_in.py
	mkdir -p $(GET_PIP_CACHE)
	for version in 24_2 23_1_2 24_0 25_0_1; do cp $< $(GET_PIP_CACHE)/get_pip_$$version.py; done
	touch $@

sanity: venv collection $(GET_PIP_CACHE)/.stand-in
	cd $(COLLECTION) && $(CURDIR)/$(BIN)/ansible-test sanity --python 3.11 --color no

units: venv collection
	cd $(COLLECTION) && PYTHONPATH=$(COLLECTIONS) THREECX_SPEC=$(SPEC) \
	  $(CURDIR)/$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) -p no:cacheprovider tests/unit

# The audit role's browser test renders its page in Debian's Chromium. Installed here when it is missing and
# apt-get can install it (as root, as CI runs); THREECX_SKIP_BROWSER=1 skips both the install and the test.
browser:
	@if [ "$${THREECX_SKIP_BROWSER:-}" != 1 ] && ! command -v chromium >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium with apt-get for the browser test"; \
	    log=$$(mktemp); \
	    if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >$$log 2>&1; then \
	      cat $$log; rm -f $$log; exit 1; \
	    fi; \
	    rm -f $$log; \
	  else \
	    echo "chromium is missing and cannot be installed here: the browser test will fail (THREECX_SKIP_BROWSER=1 skips it)"; \
	  fi; \
	fi

# --dist loadscope: the tests of a module (or class) run on one worker, so that playbook runs shared through
# module-scoped fixtures (tests/integration/test_audit_role.py) happen once.
integration: install browser
	cd $(COLLECTION) && PYTHONPATH=$(COLLECTIONS) THREECX_SPEC=$(SPEC) ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
	  $(CURDIR)/$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadscope -p no:cacheprovider tests/integration

# The same tests with every task of the collection run as a module process instead of in the controller's
# (docs/architecture.md, "What runs where"): both paths must pass the whole suite.
integration-module:
	THREECX_EXECUTION=module $(MAKE) --no-print-directory integration

# ansible-lint's production profile on the roles and the demo playbook, offline, against the installed collection.
lint: install
	cd $(COLLECTION) && ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
	  $(CURDIR)/$(BIN)/ansible-lint --offline --nocolor --profile production roles/ docs/examples/demo.yml

docs-lint: venv collection
	cd $(COLLECTION) && $(CURDIR)/$(BIN)/antsibull-docs lint-collection-docs --plugin-docs .

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

# The oldest supported ansible-core, in .venv-core$(CORE_OLDEST) and .build/core$(CORE_OLDEST); the newest is `integration`.
integration-oldest:
	$(MAKE) --no-print-directory integration CORE=$(CORE_OLDEST)

# Every supported ansible-core in turn (one at a time: each run already uses PYTEST_WORKERS cores), then the
# newest on the module path (integration-module), going on past a failure so that one run shows them all,
# then a summary with each run's time. integration-module is here rather than in `make test`: it costs a
# whole integration run again (8.3 min at load 12 on 2 cores, where the default path took 5.5 min at load 9),
# which with sanity and the oldest core's run would take `make test` past 30 minutes on a loaded machine.
test-matrix:
	@failed=""; summary=""; \
	for core in $(CORES); do \
	  started=$$(date +%s); \
	  if $(MAKE) --no-print-directory integration CORE=$$core; then result=passed; else result=FAILED; failed="$$failed $$core"; fi; \
	  summary="$$summary  ansible-core $$core: $$result in $$(( $$(date +%s) - started )) s\n"; \
	done; \
	started=$$(date +%s); \
	if $(MAKE) --no-print-directory integration-module; then result=passed; else result=FAILED; failed="$$failed module-path"; fi; \
	summary="$$summary  module path (THREECX_EXECUTION=module): $$result in $$(( $$(date +%s) - started )) s\n"; \
	printf 'make test-matrix:\n%b' "$$summary"; \
	if [ -n "$$failed" ]; then echo "make test-matrix: failed:$$failed"; exit 1; fi

# CI runs this (.ci/run). The oldest ansible-core's integration run adds 3 to 6 minutes (venv included) on a
# 2-core machine, depending on its load, to a make test of 8 to 11 minutes from scratch: well inside CI's
# 90, so it stays in. The versions in between are `make test-matrix`.
test: sanity units integration integration-oldest lint docs-lint changelog-lint
	@echo "make test: all suites passed"

catalogue: venv
	$(BIN)/python tests/tools/generate_catalogue.py --spec $(SPEC)

demo: install
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 \
	ANSIBLE_PYTHON_INTERPRETER=$(CURDIR)/$(BIN)/python ANSIBLE_DISPLAY_SKIPPED_HOSTS=0 \
	  $(BIN)/python tests/utils/with_simulator.py --spec $(SPEC) -- \
	  $(BIN)/ansible-playbook -i localhost, -c local docs/examples/demo.yml

bench: install
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/python bench/run_bench.py $(BENCH_ARGS)

profile: install
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/python bench/import_cost.py --out bench/results/imports.json
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/python bench/profile_result.py --out bench/results/result_steps.json

simulator: venv
	$(BIN)/python tests/simulator/xapi_simulator.py --port $(SIM_PORT) \
	  --client-id demo --client-secret demo-secret $(if $(wildcard $(SPEC)),--spec $(SPEC))

clean:
	rm -rf $(BUILD) tests/output
