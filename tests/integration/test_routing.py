# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routing and the directory (holidays, office hours, blocked numbers, contacts, outbound and inbound rules),
run by ansible-playbook against the simulator, asserting on its request log."""

from __future__ import annotations

import yaml

from conftest import requests_to, save, task_results


def run(ansible, module, args, check=False, diff=False, expect_failure=False):
    """One task of `module` with `args`; its registered result."""
    task = [{"name": "the task", "threecx.xapi." + module: args, "register": "result", "ignore_errors": expect_failure}]
    flags = (["--check"] if check else []) + (["--diff"] if diff else [])
    process = ansible.playbook(yaml.safe_dump(task) + save("result"), args=flags)
    task_results(process)
    return ansible.saved("result")


def writes(sim):
    return [entry for entry in sim.log() if entry["method"] in ("POST", "PATCH", "PUT", "DELETE")
            and entry["path"] != "/connect/token"]


def xapi_requests(sim):
    return [entry for entry in sim.log() if entry["path"] != "/connect/token"]


def lifecycle(ansible, sim, module, entity_set, args, change, result_key):
    """create → again (no write) → check mode (no write) → one change (one PATCH with that field) → delete →
    delete again. `change` is (option, value, XAPI property). Returns the created item."""
    sim.clear_log()
    created = run(ansible, module, args)
    assert created["changed"] is True
    posts = writes(sim)
    assert [(entry["method"], entry["path"]) for entry in posts] == [("POST", "/xapi/v1/" + entity_set)]

    sim.clear_log()
    again = run(ansible, module, args)
    assert again["changed"] is False
    assert writes(sim) == [], "the same run again writes nothing"
    reads = len(xapi_requests(sim))

    option, value, prop = change
    changed_args = dict(args, **{option: value})
    sim.clear_log()
    checked = run(ansible, module, changed_args, check=True, diff=True)
    assert checked["changed"] is True and writes(sim) == [], "check mode writes nothing"
    assert len(xapi_requests(sim)) == reads, "check mode reads as much as a run without change"

    sim.clear_log()
    applied = run(ansible, module, changed_args)
    assert applied["changed"] is True
    patches = writes(sim)
    assert [entry["method"] for entry in patches] == ["PATCH"]
    assert set(patches[0]["body"]) == {prop}, "one PATCH carrying only the changed field"

    sim.clear_log()
    deleted = run(ansible, module, dict(args, state="absent"))
    assert deleted["changed"] is True
    assert [entry["method"] for entry in writes(sim)] == ["DELETE"]

    sim.clear_log()
    gone = run(ansible, module, dict(args, state="absent"))
    assert gone["changed"] is False and writes(sim) == []
    return created[result_key]


# --- Blocked numbers ----------------------------------------------------------------------------------

def test_blocked_number_lifecycle(ansible, sim):
    item = lifecycle(ansible, sim, "threecx_blocked_number", "BlackListNumbers",
                     {"caller_id": "+1 202 555 0142", "description": "Car warranty robocaller"},
                     ("description", "Still calling", "Description"), "blocked_number")
    assert item["CallerId"] == "+1 202 555 0142" and isinstance(item["Id"], str)


def test_blocked_number_info_by_caller_id_and_all(ansible, sim):
    one = run(ansible, "threecx_blocked_number_info", {"caller_id": "+1 202 555 0199"})
    assert [entry["Description"] for entry in one["blocked_numbers"]] == ["Robocaller"]
    every = run(ansible, "threecx_blocked_number_info", {})
    assert len(every["blocked_numbers"]) >= 2
    assert writes(sim) == []
