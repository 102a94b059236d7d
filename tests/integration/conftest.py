# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration fixtures: the XAPI simulator, and real `ansible-playbook` / `ansible -m` runs against it.

The collection under test is the one installed from the built tarball (the Makefile sets
ANSIBLE_COLLECTIONS_PATH), so these tests also prove the package is complete.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest
import yaml

COLLECTION_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(COLLECTION_ROOT / "tests" / "simulator"))
sys.path.insert(0, str(COLLECTION_ROOT / "tests" / "utils"))

from harness import Simulator, make_self_signed_cert  # noqa: E402  pylint: disable=wrong-import-position

CLIENT_ID = "it-client"
# Distinctive, so that a leak is easy to grep for in any output.
CLIENT_SECRET = "it-secret-5up3r-s3cr3t-value"
ANSIBLE_BIN = Path(sys.executable).parent
ADHOC_RESULT = re.compile(r"^\S+ \| (SUCCESS|CHANGED|FAILED!?) => (\{.*)", re.S | re.M)


@pytest.fixture(scope="session")
def simulator_process():
    """One simulator per test worker; every test gets it reset. No spec: the store answers every operation the
    tests use, so a clone without ../shared runs them the same."""
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=50) as sim:
        yield sim


@pytest.fixture
def sim(simulator_process):
    simulator_process.reset()
    return simulator_process


@pytest.fixture(scope="session")
def tls_simulator(tmp_path_factory):
    """A simulator serving HTTPS with a self-signed certificate; `.ca_path` is that certificate."""
    cert, key = make_self_signed_cert(str(tmp_path_factory.mktemp("tls")))
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=20, tls_cert=cert, tls_key=key) as server:
        server.ca_path = cert
        yield server


class Ansible:
    """Runs ansible-playbook and ansible ad hoc commands the way a user does, in a private ANSIBLE_HOME."""

    def __init__(self, workdir, simulator):
        self.workdir = Path(workdir)
        self.sim = simulator
        self.token_cache_dir = self.workdir / "tokens"
        self.outputs = []
        # The simulators whose tokens the runs may hold; each run adds every token they have issued.
        self.token_sources = [simulator]
        self.issued_tokens = set()

    def env(self, extra=None, credentials_in_env=False):
        env = dict(os.environ)
        for name in list(env):
            # THREECX_EXECUTION stays: `make integration-module` runs every test on the module path.
            if name.startswith("THREECX_") and name not in ("THREECX_SPEC", "THREECX_EXECUTION"):
                del env[name]
        env.update({
            "ANSIBLE_HOME": str(self.workdir / "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": str(self.workdir / "ansible-tmp"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "THREECX_TOKEN_CACHE_DIR": str(self.token_cache_dir),
        })
        if credentials_in_env:
            env.update(self.credentials_env())
        env.update(extra or {})
        return env

    def credentials_env(self):
        return {"THREECX_BASE_URL": self.sim.base_url, "THREECX_CLIENT_ID": CLIENT_ID,
                "THREECX_CLIENT_SECRET": CLIENT_SECRET}

    def playbook(self, tasks, args=(), env=None, play_vars=None, defaults=True, hosts="localhost", inventory=None):
        """Run one play of `tasks` (YAML text) with module_defaults pointing at the simulator."""
        play = {"hosts": hosts, "gather_facts": False, "vars": dict(out=str(self.workdir), **(play_vars or {}))}
        if defaults:
            play["module_defaults"] = {"group/threecx.xapi.xapi": {
                "base_url": self.sim.base_url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}}
        play["tasks"] = yaml.safe_load(textwrap.dedent(tasks))
        path = self.workdir / "play.yml"
        path.write_text(json.dumps([play], indent=1))  # JSON is YAML
        command = [str(ANSIBLE_BIN / "ansible-playbook"), "-i", inventory or "localhost,", "-c", "local", str(path)]
        return self._run(command + list(args), env)

    def adhoc(self, module, args="", extra=(), env=None, credentials_in_env=True):
        """`ansible localhost -m threecx.xapi.<module> -a '<args>'`; returns (process, parsed result)."""
        command = [str(ANSIBLE_BIN / "ansible"), "localhost", "-i", "localhost,", "-c", "local",
                   "-m", "threecx.xapi." + module]
        if args:
            command += ["-a", args]
        process = self._run(command + list(extra), env, credentials_in_env=credentials_in_env)
        match = ADHOC_RESULT.search(process.stdout)
        result = json.loads(match.group(2)) if match else None
        return process, result

    def _run(self, command, env, credentials_in_env=False):
        process = subprocess.run(command, cwd=self.workdir, env=self.env(env, credentials_in_env),
                                 capture_output=True, text=True, timeout=300, check=False)
        self.record(process.stdout + process.stderr)
        return process

    def record(self, output):
        """Keep a run's output for the leak check, and learn the tokens the simulators issued meanwhile."""
        self.outputs.append(output)
        for source in self.token_sources:
            self.issued_tokens.update(source.issued_tokens())

    def saved(self, name):
        """A result that a task saved with `copy: {content: "{{ r | to_json }}", dest: "{{ out }}/NAME.json"}`."""
        return json.loads((self.workdir / (name + ".json")).read_text())

    def cached_tokens(self):
        """The tokens the runs left in the token cache, to check that none was printed."""
        tokens = []
        for path in self.token_cache_dir.glob("*.json"):
            tokens.append(json.loads(path.read_text())["access_token"])
        return tokens


@pytest.fixture
def ansible(tmp_path, sim):
    runner = Ansible(tmp_path, sim)
    yield runner
    assert_no_secrets(runner)


# Any JWT (a base64url JSON header and payload, then a signature): no output has a reason to hold one.
JWT = re.compile(r"eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+")


def assert_no_secrets(runner, extra_secrets=(), texts=()):
    """No output of any run may hold the client secret or a token, even at -vvvv.

    The tokens are every token the simulators issued while the runs went on (the simulator knows
    them), with or without the token cache, and any other text shaped like a JWT.
    """
    secrets = [CLIENT_SECRET] + list(extra_secrets) + sorted(runner.issued_tokens) + runner.cached_tokens()
    for output in list(runner.outputs) + list(texts):
        for secret in secrets:
            assert secret not in output, "a secret or a token leaked into an output"
        assert not JWT.search(output), "something shaped like a token leaked into an output"


def requests_to(sim, method=None, path_part=None):
    """The simulator's log entries for one method and path fragment."""
    return [entry for entry in sim.log()
            if (method is None or entry["method"] == method) and (path_part is None or path_part in entry["path"])]


def pbx_get(sim, path):
    """What the simulator holds at an XAPI path, read straight from it, not through the collection.

    For expectations that must not come from the code under test. Its requests are cleared from the log.
    """
    request = urllib.request.Request(sim.base_url + "/xapi/v1/" + path, headers={"Authorization": "Bearer " + sim.token()})
    with urllib.request.urlopen(request, timeout=30) as answer:
        data = json.loads(answer.read())
    sim.clear_log()
    return data


def query_of(entry):
    """A logged request's query options as {name: value}, so that `$top=5` is never found inside `$top=50`.

    The log holds the query decoded already; an option given twice fails the test.
    """
    options = {}
    for part in entry["query"].split("&") if entry["query"] else []:
        name, _equals, value = part.partition("=")
        assert name not in options, "%s given twice in %s" % (name, entry["query"])
        options[name] = value
    return options


SAVE = """
- name: Save {name} for the test to read
  ansible.builtin.copy:
    content: "{{{{ {name} | to_json }}}}"
    dest: "{{{{ out }}}}/{name}.json"
    mode: "0644"
  check_mode: false
  changed_when: false
"""


def save(name):
    """Tasks that write the registered result `name` to `<out>/<name>.json`, for `Ansible.saved`."""
    return SAVE.format(name=name)


def task_results(process):
    """Fail with the whole output when a run failed, which is what one wants to read then."""
    assert process.returncode == 0, process.stdout + process.stderr
    return process.stdout
