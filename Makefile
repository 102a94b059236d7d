# threecx.xapi: every task a developer or CI runs. `make test` is the one test command.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
# Recipes are not echoed unless V=1: each target says what it does in words of its own.
ifneq ($(V),1)
.SILENT:
endif
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
# Under make nothing may be skipped (tests/utils/prerequisites.py): a skip fails the run, with its reason.
# THREECX_WAIVE=browser (comma-separated names) lets a run go without one prerequisite, and says so.
PYTEST_STRICT := THREECX_NO_SKIPS=1 PYTHONPATH=$(COLLECTIONS):$(COLLECTION)/tests/utils
PYTEST_PLUGINS := -p no:cacheprovider -p prerequisites

# `make demo` and `make install`: ansible-core, requests and the simulator's needs only (tests/requirements-demo.txt).
DEMO_VENV ?= .venv-demo
DEMO_BIN := $(DEMO_VENV)/bin
DEMO_BUILD := $(CURDIR)/.build/demo
VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
TARBALL := threecx-xapi-$(VERSION).tar.gz
DOCS_HTML := docs/html

# $(call quietly,COMMAND): COMMAND's output goes to a log that is shown only if it fails, so that pip's and
# ansible-galaxy's chatter never reads as a problem. No commas in COMMAND.
quietly = log=$$(mktemp); if ! ( $(1) ) >$$log 2>&1; then cat $$log; rm -f $$log; exit 1; fi; rm -f $$log
# $(call build_tarball,VENV_BIN,OUTPUT_DIR): the collection copy's tarball, built with that venv's ansible-galaxy.
build_tarball = cd $(COLLECTION) && $(abspath $(1))/ansible-galaxy collection build --force --output-path $(2)
# $(call install_tarball,VENV_BIN,TARBALL,DIR): installed into DIR, with DIR as the collections path so that
# ansible-galaxy does not warn that DIR is not one of them.
install_tarball = ANSIBLE_COLLECTIONS_PATH=$(3) $(1)/ansible-galaxy collection install --force -p $(3) $(2)

export ANSIBLE_NOCOLOR := 1
# Tools that call ansible-doc or ansible by name (antsibull-docs, ansible-lint) find the venv's.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv collection installed install release docs browser sanity units integration integration-module integration-oldest \
  test-matrix lint docs-lint changelog-lint test demo simulator bench profile catalogue mutation clean

help:
	@echo "make demo         run the demo playbook against the XAPI simulator"
	@echo "make install      install the collection where Ansible looks by default, and print how to use it"
	@echo "make docs         build the HTML docsite (modules, role, guides) into $(DOCS_HTML)/"
	@echo "make release      build the release tarball in dist/, release the changelog, check the tarball installs"
	@echo "make test         what CI runs: sanity, unit tests, integration tests on the newest ansible-core and"
	@echo "                  on the oldest ($(CORE_OLDEST)), ansible-lint, docs lint and build, changelog lint"
	@echo "make test-matrix  the integration tests on every supported ansible-core: $(CORES), and on the module path"
	@echo "make integration CORE=2.16  the integration tests on one ansible-core, in .venv-core2.16"
	@echo "make integration-module  the integration tests with THREECX_EXECUTION=module: every task a module process"
	@echo "make simulator    run the XAPI simulator in the foreground with demo credentials"
	@echo "make bench        side-by-side benchmarks (results in bench/results/)"
	@echo "make profile      import cost of each module payload, and where a 10,000-device read spends its time"
	@echo "make catalogue    regenerate the operation catalogue, entity facts and docs/operations.md from the spec"
	@echo "make mutation     mutation testing of plugins/ against the unit tests (not in make test; see docs/testing.md)"

$(BIN)/.installed: requirements.txt tests/requirements.txt tests/requirements-integration.txt tests/requirements-demo.txt
	echo "installing $(REQUIREMENTS) into $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# CORE pins ansible-core by a constraint, not by editing the requirements: pip fails rather than pick another.
	$(if $(CORE),echo 'ansible-core==$(CORE).*' > $(VENV)/constraints.txt)
	$(BIN)/pip install --quiet -r $(REQUIREMENTS) $(if $(CORE),-c $(VENV)/constraints.txt)
	$(BIN)/ansible --version | sed -n 1p
	touch $@

$(DEMO_BIN)/.installed: requirements.txt tests/requirements-demo.txt
	echo "installing ansible-core, requests and the simulator's needs (tests/requirements-demo.txt) into $(DEMO_VENV)"
	$(call quietly,$(PYTHON) -m venv $(DEMO_VENV) && $(DEMO_BIN)/pip install --upgrade pip && $(DEMO_BIN)/pip install -r tests/requirements-demo.txt)
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

# The collection installed from its tarball into $(INSTALLED), for the tests (ANSIBLE_COLLECTIONS_PATH).
installed: venv collection
	rm -rf $(INSTALLED) $(BUILD)/dist
	$(call quietly,$(call build_tarball,$(BIN),$(CURDIR)/$(BUILD)/dist))
	$(call quietly,$(call install_tarball,$(BIN),$(BUILD)/dist/$(TARBALL),$(INSTALLED)))
	echo "installed threecx.xapi into $(INSTALLED) for the tests"

# For users of a clone: the collection where Ansible looks by default (the first of its collections paths,
# ~/.ansible/collections unless ANSIBLE_COLLECTIONS_PATH says otherwise), and the lines to paste to use it
# with the ansible-core and requests of $(DEMO_VENV).
install: $(DEMO_BIN)/.installed collection
	$(call quietly,$(call build_tarball,$(DEMO_BIN),$(DEMO_BUILD)/dist))
	$(call quietly,$(DEMO_BIN)/ansible-galaxy collection install --force $(DEMO_BUILD)/dist/$(TARBALL))
	where=$$($(DEMO_BIN)/python -c 'from ansible import constants as C; print(C.COLLECTIONS_PATHS[0])'); \
	echo "installed threecx.xapi $(VERSION) into $$where, where Ansible looks by default."; \
	echo "To use it with the ansible-core and requests of this clone, paste:"; \
	echo; echo '  export PATH="$(abspath $(DEMO_BIN)):$$PATH"'; echo; \
	echo "then, with THREECX_BASE_URL, THREECX_CLIENT_ID and THREECX_CLIENT_SECRET set (make simulator prints them):"; \
	echo; echo "  ansible localhost -m threecx.xapi.threecx_license_info"; echo; \
	echo "Your own ansible-core 2.16 or newer finds it too, once its Python has requests (pip install requests)."

# A release: the changelog released from the fragments (antsibull-changelog rewrites changelogs/ and writes
# CHANGELOG.rst: commit them, with galaxy.yml's version, as the release commit), the tarball in dist/, and a
# check that the tarball installs and its modules load. Never part of `make test`: it changes the work tree.
release: venv
	$(BIN)/antsibull-changelog release
	$(MAKE) --no-print-directory collection
	rm -rf dist
	$(call quietly,$(call build_tarball,$(BIN),$(CURDIR)/dist))
	scratch=$$(mktemp -d); trap 'rm -rf $$scratch' EXIT; \
	$(call quietly,$(call install_tarball,$(BIN),dist/$(TARBALL),$$scratch)); \
	ANSIBLE_COLLECTIONS_PATH=$$scratch $(BIN)/ansible-doc -t module -l threecx.xapi | grep -q threecx_license_info; \
	echo "dist/$(TARBALL): built, changelog released (CHANGELOG.rst), installs and its modules load."; \
	echo "Commit changelogs/ and CHANGELOG.rst, then tag $(VERSION)."

$(GET_PIP_CACHE)/.stand-in: tests/utils/get_pip_stand_in.py
	mkdir -p $(GET_PIP_CACHE)
	for version in 24_2 23_1_2 24_0 25_0_1; do cp $< $(GET_PIP_CACHE)/get_pip_$$version.py; done
	touch $@

sanity: venv collection $(GET_PIP_CACHE)/.stand-in
	cd $(COLLECTION) && $(CURDIR)/$(BIN)/ansible-test sanity --python 3.11 --color no

units: venv collection
	cd $(COLLECTION) && $(PYTEST_STRICT) THREECX_SPEC=$(SPEC) \
	  $(CURDIR)/$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_PLUGINS) tests/unit

# The audit role's browser test renders its page in Debian's Chromium. Installed here when it is missing and
# apt-get can install it (as root, as CI runs); THREECX_WAIVE=browser (or THREECX_SKIP_BROWSER=1) skips both the
# install and the test, and the test run's summary says it was waived.
browser:
	@if [ "$${THREECX_SKIP_BROWSER:-}" != 1 ] && [[ ",$${THREECX_WAIVE:-}," != *,browser,* ]] \
	    && ! command -v chromium >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "installing chromium with apt-get for the browser test"; \
	    log=$$(mktemp); \
	    if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >$$log 2>&1; then \
	      cat $$log; rm -f $$log; exit 1; \
	    fi; \
	    rm -f $$log; \
	  else \
	    echo "chromium is missing and cannot be installed here: the browser test will fail (THREECX_WAIVE=browser waives it)"; \
	  fi; \
	fi

# --dist loadscope: the tests of a module (or class) run on one worker, so that playbook runs shared through
# module-scoped fixtures (tests/integration/test_audit_role.py) happen once.
integration: installed browser
	cd $(COLLECTION) && $(PYTEST_STRICT) THREECX_SPEC=$(SPEC) ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
	  $(CURDIR)/$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_PLUGINS) tests/integration

# The same tests with every task of the collection run as a module process instead of in the controller's
# (docs/architecture.md, "What runs where"): both paths must pass the whole suite.
integration-module:
	THREECX_EXECUTION=module $(MAKE) --no-print-directory integration

# ansible-lint's production profile on the roles and the demo playbook, offline, against the installed collection.
# A HOME of its own: ansible-lint also looks in ~/.ansible/collections, where `make install` puts a copy
# that may be older than the work tree, and would resolve the modules there first.
lint: installed
	mkdir -p $(CURDIR)/$(BUILD)/lint-home
	cd $(COLLECTION) && HOME=$(CURDIR)/$(BUILD)/lint-home ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) \
	  $(CURDIR)/$(BIN)/ansible-lint --offline --nocolor --profile production roles/ docs/examples/demo.yml

docs-lint: venv collection
	cd $(COLLECTION) && $(CURDIR)/$(BIN)/antsibull-docs lint-collection-docs --plugin-docs .

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

# The HTML docsite antsibull-docs lays out (modules, the role, the guides of docs/docsite), built by Sphinx
# into $(DOCS_HTML)/. Any warning fails it (antsibull-docs --fail-on-error, sphinx-build -W): this is the docs
# build check of `make test`. Offline: the one inventory Sphinx reads is written by offline_intersphinx.py.
docs: installed
	echo "building the docsite into $(DOCS_HTML)/"
	rm -rf $(BUILD)/docsite && mkdir -m 700 -p $(BUILD)/docsite
	$(call quietly,ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir $(BUILD)/docsite threecx.xapi)
	$(BIN)/python tests/tools/offline_intersphinx.py $(BUILD)/docsite
	$(call quietly,ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BUILD)/docsite/build.sh)
	for page in index threecx_xapi_module audit_role docsite/guide_troubleshooting; do \
	  test -s $(BUILD)/docsite/build/html/$$page.html || { echo "docs: $$page.html is missing"; exit 1; }; done
	rm -rf $(DOCS_HTML) && cp -r $(BUILD)/docsite/build/html $(DOCS_HTML)
	echo "docs built without warnings: open $(DOCS_HTML)/index.html"

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
test: sanity units integration integration-oldest lint docs-lint docs changelog-lint
	@waived="$${THREECX_WAIVE:-}$$([ "$${THREECX_SKIP_BROWSER:-}" != 1 ] || echo ',browser')"; \
	if [ -n "$${waived#,}" ]; then echo "make test: all suites passed, WAIVED: $${waived#,} (their tests were skipped)"; \
	else echo "make test: all suites passed"; fi

# mutmut (tests/requirements-mutation.txt) in a copy of the collection laid out as ansible_collections/threecx/xapi,
# mutating the functions of plugins/module_utils and plugins/modules (tests/mutation/setup.cfg: not the generated
# _catalogue.py and _entities.py, nor option specs) and running, for each mutant, the unit tests that reach the
# mutated function. tests/mutation/run.py starts the unit tests' simulators once for the run and prints its wall
# time, load averages and CPU time. Niced, MUTATION_WORKERS at once; tests/output/mutation-survivors.txt gets every
# survivor's diff. Not part of `make test`: it takes far longer (docs/testing.md, "Mutation testing").
MUTATION := $(CURDIR)/$(BUILD)/mutation
MUTATION_WORKERS ?= 3
# MUTANTS: mutmut's mutant names or globs to check, e.g. MUTANTS='*module_utils._client.*'; all when empty.
MUTANTS ?=
mutation: venv
	$(BIN)/pip install --quiet -r tests/requirements-mutation.txt
	rm -rf $(MUTATION)
	mkdir -p $(MUTATION)/ansible_collections/threecx/xapi
	git ls-files -z --cached --others --exclude-standard \
	  | tar --null --ignore-failed-read -cf - -T - 2>/dev/null \
	  | tar -xf - -C $(MUTATION)/ansible_collections/threecx/xapi
	cp tests/mutation/setup.cfg $(MUTATION)/setup.cfg
	cd $(MUTATION) && THREECX_SPEC=$(SPEC) PYTHONPATH=$(MUTATION)/ansible_collections/threecx/xapi/tests/utils:$(MUTATION)/ansible_collections/threecx/xapi/tests/mutation \
	  nice $(CURDIR)/$(BIN)/python $(CURDIR)/tests/mutation/run.py $(MUTATION_WORKERS) $(CURDIR)/$(BIN)/mutmut $(MUTANTS)
	cd $(MUTATION) && $(CURDIR)/$(BIN)/python $(CURDIR)/tests/mutation/score.py $(CURDIR)/tests/output/mutation-survivors.txt

catalogue: venv
	$(BIN)/python tools/generate_catalogue.py --spec $(SPEC)

# In $(DEMO_VENV), with only what it needs: no test tool is installed for it.
demo: $(DEMO_BIN)/.installed collection
	rm -rf $(DEMO_BUILD)/installed
	$(call quietly,$(call build_tarball,$(DEMO_BIN),$(DEMO_BUILD)/dist))
	$(call quietly,$(call install_tarball,$(DEMO_BIN),$(DEMO_BUILD)/dist/$(TARBALL),$(DEMO_BUILD)/installed))
	ANSIBLE_COLLECTIONS_PATH=$(DEMO_BUILD)/installed ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 \
	ANSIBLE_PYTHON_INTERPRETER=$(abspath $(DEMO_BIN))/python ANSIBLE_DISPLAY_SKIPPED_HOSTS=0 \
	  $(DEMO_BIN)/python tests/utils/with_simulator.py --spec $(SPEC) -- \
	  $(DEMO_BIN)/ansible-playbook -i localhost, -c local docs/examples/demo.yml

bench: installed
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/python bench/run_bench.py $(BENCH_ARGS)
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/python bench/config_bench.py $(CONFIG_BENCH_ARGS)

profile: installed
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/python bench/import_cost.py --out bench/results/imports.json
	ANSIBLE_COLLECTIONS_PATH=$(INSTALLED) $(BIN)/python bench/profile_result.py --out bench/results/result_steps.json

simulator: $(DEMO_BIN)/.installed
	$(DEMO_BIN)/python tests/simulator/xapi_simulator.py --port $(SIM_PORT) \
	  --client-id demo --client-secret demo-secret $(if $(wildcard $(SPEC)),--spec $(SPEC))

clean:
	rm -rf $(BUILD) tests/output $(DOCS_HTML)
