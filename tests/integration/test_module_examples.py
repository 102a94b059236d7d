# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's EXAMPLES run against the simulator, as a user would paste them.

The modules are found in plugins/modules, so a module added later is covered without touching this file.
For each module:
- its EXAMPLES YAML runs as one playbook: the plays (`hosts: pbxes`) against an inventory whose `pbxes`
  group holds one PBX (the simulator) with `ansible_connection: local` and the `threecx_*` variables the
  examples use; the bare tasks in a play on localhost, with the connection in THREECX_* variables, as the
  docs say for tasks without module_defaults;
- each ad hoc command in its comments (`#   ansible localhost -m threecx.xapi.<module> ...`) runs as written,
  with the connection in THREECX_* variables.
Everything runs in check mode (`--check`), so examples that write send nothing but their reads; the
simulator's request log must show that no write reached it and that the example did read from it.

No value is substituted: the examples use data a real PBX has, and the simulator's seed has it too
(phones with Id 12, Yealink phones, failover scripts). An example that needs more must get it in the
simulator's seed, not here.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess

import pytest
import yaml
from ansible.parsing.plugin_docs import read_docstring

from conftest import ANSIBLE_BIN, CLIENT_ID, CLIENT_SECRET, COLLECTION_ROOT

MODULES = sorted(path for path in (COLLECTION_ROOT / "plugins" / "modules").glob("*.py")
                 if not path.name.startswith("_"))
ADHOC = re.compile(r"^#\s+(ansible localhost -m threecx\.xapi\.\S+.*)$", re.M)
WRITES = ("POST", "PATCH", "PUT", "DELETE")


def examples_of(path):
    return read_docstring(str(path))["plainexamples"]


def adhoc_commands(path):
    return ADHOC.findall(examples_of(path))


def example_cases():
    for path in MODULES:
        yield pytest.param(path, None, id=path.stem)
        for number, command in enumerate(adhoc_commands(path), 1):
            yield pytest.param(path, command, id="%s-adhoc-%d" % (path.stem, number))


def test_every_module_has_examples():
    """Guards the discovery itself: no module slips through with nothing for the tests below to run.

    An ad hoc example (a `#   ansible localhost -m ...` comment) runs too where a module has one; the
    modules users reach for ad hoc (the reads, the licence, threecx_xapi) have one.
    """
    assert len(MODULES) >= 6
    for path in MODULES:
        assert yaml.safe_load(examples_of(path)), "%s has no EXAMPLES" % path.name
    assert sum(1 for path in MODULES if adhoc_commands(path)) >= 6, "the ad hoc examples are no longer found"


def playbook_of(examples):
    """The examples as one playbook: their plays as they are, their bare tasks in a play on localhost."""
    plays, tasks = [], []
    for item in yaml.safe_load(examples):
        (plays if "hosts" in item else tasks).append(item)
    if tasks:
        plays.append({"name": "The examples' single tasks", "hosts": "localhost", "gather_facts": False,
                      "tasks": tasks})
    return plays


def inventory_for(sim):
    """One PBX in the pbxes group, reached the way the inventory guide recommends."""
    return {"all": {"children": {"pbxes": {
        "hosts": {"pbx1": {"threecx_base_url": sim.base_url, "threecx_client_id": CLIENT_ID,
                           "threecx_client_secret": CLIENT_SECRET}},
        "vars": {"ansible_connection": "local"}}}}}


# An example's vars file, shown in its comments: `# vars/queue.yml:` (or `# group_vars/all/users.yml, …:`)
# followed by the file's lines, each behind `#   `.
EXAMPLE_FILE = re.compile(r"^# ([\w./-]+\.ya?ml)[:,][^\n]*\n((?:#   [^\n]*\n)+)", re.M)


def write_example_files(examples, directory):
    """Write the vars files the examples show in their comments, beside the playbook and the inventory, so
    that the examples run as a reader would run them, files and all."""
    for name, body in EXAMPLE_FILE.findall(examples):
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(line[4:] + "\n" for line in body.splitlines()))


def run_examples(ansible, sim, examples):
    """ansible-playbook --check on the examples, with the pbxes group in an inventory file."""
    write_example_files(examples, ansible.workdir)
    playbook = ansible.workdir / "examples.yml"
    playbook.write_text(json.dumps(playbook_of(examples), indent=1))
    inventory = ansible.workdir / "inventory.yml"
    inventory.write_text(json.dumps(inventory_for(sim)))
    return run(ansible, [str(ANSIBLE_BIN / "ansible-playbook"), "-i", str(inventory), str(playbook), "--check"])


def run_adhoc(ansible, adhoc):
    """The ad hoc command as the docs write it, in check mode."""
    command = shlex.split(adhoc)
    command[0] = str(ANSIBLE_BIN / "ansible")
    return run(ansible, command + ([] if "--check" in command else ["--check"]))


def run(ansible, command):
    process = subprocess.run(command, cwd=ansible.workdir, env=ansible.env(credentials_in_env=True),
                             capture_output=True, text=True, timeout=300, check=False)
    ansible.outputs.append(process.stdout + process.stderr)
    return process


@pytest.mark.parametrize("module, adhoc", list(example_cases()))
def test_the_examples_run_against_the_simulator(ansible, sim, module, adhoc):
    process = run_examples(ansible, sim, examples_of(module)) if adhoc is None else run_adhoc(ansible, adhoc)
    output = process.stdout + process.stderr
    log = sim.log()
    assert process.returncode == 0, "%s\n%s" % (" ".join(process.args), output)
    assert "[WARNING]" not in output and "[DEPRECATION WARNING]" not in output, output
    api_reads = [entry for entry in log if entry["method"] == "GET" and "/xapi/v1/" in entry["path"]]
    assert api_reads, "the examples of %s read nothing from the PBX:\n%s" % (module.name, output)
    writes = [entry for entry in log if entry["method"] in WRITES and not entry["path"].startswith("/connect/token")]
    assert writes == [], "check mode let a write reach the PBX: %s" % writes


def test_a_failing_example_fails_the_test(ansible, sim):
    """The runner above sees a failure: the filter the examples once had, which SIP devices refuse."""
    process = run_examples(ansible, sim, """
- name: Phones named like backups
  threecx.xapi.threecx_sip_device_info:
    filter: "contains(Name,'Backup')"
""")
    assert process.returncode != 0
    assert "Could not find a property named 'Name'" in process.stdout, process.stdout
    assert [entry["status"] for entry in sim.log() if "/SipDevices" in entry["path"]] == [400]


def markup_values(text):
    """The contents of the V(), C(), O(), RV() and E() markup in `text`, each ending at the first unescaped ')'."""
    for match in re.finditer(r"\b(?:V|C|O|RV|E)\(", text):
        value, position = "", match.end()
        while position < len(text) and text[position] != ")":
            escaped = text[position] == "\\" and position + 1 < len(text)
            value += text[position + 1] if escaped else text[position]
            position += 2 if escaped else 1
        yield value


def strings_in(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)


def test_the_docs_markup_keeps_the_parentheses_of_filters_and_paths(ansible):
    """The doc markup ends V(...) at the first bare ')': ansible-doc showed contains(Name,'Backup'') for it."""
    names = ["threecx.xapi." + path.stem for path in MODULES]
    process = subprocess.run([str(ANSIBLE_BIN / "ansible-doc"), "--json", "-t", "module"] + names,
                             env=ansible.env(), capture_output=True, text=True, timeout=300, check=True)
    docs = json.loads(process.stdout)
    assert sorted(docs) == sorted(names)
    unbalanced = [(name, value) for name in names for text in strings_in(docs[name]["doc"])
                  for value in markup_values(text) if value.count("(") != value.count(")")]
    assert unbalanced == [], "markup whose ')' ends it early; escape it as \\): %s" % unbalanced
    text = subprocess.run([str(ANSIBLE_BIN / "ansible-doc"), "threecx.xapi.threecx_sip_device_info"],
                          env=ansible.env(), capture_output=True, text=True, timeout=300, check=True).stdout
    assert "contains(Filename,'failover')'" in text and "'failover'')" not in text
