# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory guide's inventory and play, run as written against the simulator.

The guide's hosts point at real PBXes and its secret lives in a vault, so the test substitutes: every
host's `threecx_base_url` becomes the simulator's, the one host with `threecx_ca_path` gets the
certificate of an HTTPS simulator, the one with `threecx_validate_certs: false` keeps it and talks to that
simulator too, and the group gets the simulator's client id and secret. The group's own variables, `ansible_connection: local` above all, are the
guide's: no task has `delegate_to`, so without them the play would try SSH to the PBXes.
"""

from __future__ import annotations

import json
import re
import subprocess

import yaml

from conftest import ANSIBLE_BIN, CLIENT_ID, CLIENT_SECRET, COLLECTION_ROOT, requests_to, task_results

GUIDE = COLLECTION_ROOT / "docs" / "docsite" / "rst" / "guide_inventory.rst"


def code_blocks(text, language):
    """The code blocks of one language in an RST text, dedented."""
    blocks = []
    for match in re.finditer(r"^\.\. code-block:: %s\n\n((?:    .*\n|\n)+)" % re.escape(language), text, re.M):
        blocks.append("\n".join(line[4:] for line in match.group(1).splitlines()))
    return blocks


def test_the_guides_inventory_and_play_run_without_delegate_to(ansible, sim, tls_simulator):
    text = GUIDE.read_text()
    inventory = yaml.safe_load(code_blocks(text, "yaml")[0])
    play_text = code_blocks(text, "yaml+jinja")[0]
    assert "delegate_to" not in play_text
    group = inventory["pbxes"]
    assert group["vars"]["ansible_connection"] == "local"
    tls_simulator.reset()
    for host in group["hosts"].values():
        host["threecx_base_url"] = tls_simulator.base_url if "threecx_ca_path" in host else sim.base_url
        if "threecx_ca_path" in host:
            host["threecx_ca_path"] = tls_simulator.ca_path
        if host.get("threecx_validate_certs") is False:
            host["threecx_base_url"] = tls_simulator.base_url
    group["vars"].update(threecx_client_id=CLIENT_ID, threecx_client_secret=CLIENT_SECRET)
    inventory_path = ansible.workdir / "hosts.yml"
    inventory_path.write_text(json.dumps(inventory))
    playbook = ansible.workdir / "licences.yml"
    playbook.write_text(play_text)
    process = ansible_playbook(ansible, inventory_path, playbook)
    output = task_results(process)
    for name in group["hosts"]:
        assert re.search(r"ok: \[%s\] => \{\s+\"msg\": \"%s: \d+ days\"" % (name, name), output), output
    assert len(requests_to(sim, "GET", "/LicenseStatus")) == 1  # acme
    assert len(requests_to(tls_simulator, "GET", "/LicenseStatus")) == 2  # globex with its CA, initech unverified


def ansible_playbook(ansible, inventory, playbook):
    env = ansible.env()
    env.pop("ANSIBLE_PYTHON_INTERPRETER")  # the guide's inventory says which Python runs the modules
    process = subprocess.run([str(ANSIBLE_BIN / "ansible-playbook"), "-i", str(inventory), str(playbook)],
                             cwd=ansible.workdir, env=env, capture_output=True, text=True, timeout=300, check=False)
    ansible.outputs.append(process.stdout + process.stderr)
    return process
