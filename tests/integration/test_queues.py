# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_queue, threecx_ring_group and their _info modules, run by ansible-playbook against the simulator.

The seed data holds extensions 100..111 (at least), queue 800 (agents 101 and 102, manager 100) and ring
group 700 (RingAll, members 100 and 103). Every assertion is on the simulator's request log or its store.
"""

from __future__ import annotations

import json

from conftest import requests_to, save, task_results


def queue_task(state="present", **options):
    """A threecx_queue task registering `r`, then saving it."""
    return _task("threecx_queue", state, options)


def ring_group_task(state="present", **options):
    return _task("threecx_ring_group", state, options)


def _task(module, state, options):
    args = dict(options, state=state)
    return "- threecx.xapi.%s: %s\n  register: r\n%s" % (module, json.dumps(args), save("r"))


def xapi_writes(sim):
    return [(entry["method"], entry["path"], entry["body"]) for entry in sim.writes()]


def stored(sim, entity_set, number):
    found = [item for item in sim.store(entity_set) if item.get("Number") == number]
    return found[0] if found else None


def numbers(members):
    return [member["Number"] for member in members]


SUPPORT = dict(number="810", name="Support", polling_strategy="Hunt", ring_timeout=20, max_callers=10,
               wrap_up_time=15, sla_time=60, agents=[{"number": "101", "skill_group": "tier1"}, {"number": "102"}],
               managers=["100"])


def test_queue_create_again_check_change_delete_delete_again(ansible, sim):
    # Create: one POST with every field, agents and managers by number.
    task_results(ansible.playbook(queue_task(**SUPPORT)))
    result = ansible.saved("r")
    assert result["changed"] is True
    assert xapi_writes(sim) == [("POST", "/xapi/v1/Queues", {
        "Number": "810", "Name": "Support", "PollingStrategy": "Hunt", "RingTimeout": 20, "MaxCallersInQueue": 10,
        "WrapUpTime": 15, "SLATime": 60, "Agents": [{"Number": "101", "SkillGroup": "tier1"}, {"Number": "102"}],
        "Managers": [{"Number": "100"}]})]
    assert numbers(result["queue"]["Agents"]) == ["101", "102"] and result["queue"]["Agents"][0]["Name"]
    assert numbers(result["queue"]["Managers"]) == ["100"]
    assert stored(sim, "Queues", "810")["SLATime"] == 60

    # The same again: nothing written; one listing of the extensions, the queue (the token is cached).
    sim.clear_log()
    task_results(ansible.playbook(queue_task(**SUPPORT)))
    assert ansible.saved("r")["changed"] is False
    assert xapi_writes(sim) == []
    assert [(entry["method"], entry["path"]) for entry in sim.log()] == [
        ("GET", "/xapi/v1/Users"), ("GET", "/xapi/v1/Queues(Number='810')")]

    # Check mode: the change is reported and shown, nothing written.
    sim.clear_log()
    changed = {**SUPPORT, "ring_timeout": 30}
    task_results(ansible.playbook(queue_task(**changed), args=["--check", "--diff"]))
    result = ansible.saved("r")
    assert result["changed"] is True
    assert (result["diff"]["before"]["RingTimeout"], result["diff"]["after"]["RingTimeout"]) == (20, 30)
    assert xapi_writes(sim) == []

    # The change: one PATCH carrying only that field.
    task_results(ansible.playbook(queue_task(**changed)))
    assert ansible.saved("r")["queue"]["RingTimeout"] == 30
    (patch,) = xapi_writes(sim)
    assert patch[0] == "PATCH" and patch[1].startswith("/xapi/v1/Queues(") and patch[2] == {"RingTimeout": 30}

    # Delete, then delete again: one DELETE, then nothing.
    sim.clear_log()
    task_results(ansible.playbook(queue_task("absent", number="810")))
    assert ansible.saved("r")["changed"] is True
    assert [write[0] for write in xapi_writes(sim)] == ["DELETE"]
    assert stored(sim, "Queues", "810") is None
    sim.clear_log()
    task_results(ansible.playbook(queue_task("absent", number="810")))
    assert ansible.saved("r")["changed"] is False
    assert xapi_writes(sim) == []


def test_agents_merge_then_purge_keeping_skill_groups(ansible, sim):
    task_results(ansible.playbook(queue_task(number="800", agents=[{"number": "103", "skill_group": "tier2"}])))
    ((method, _path, body),) = xapi_writes(sim)
    assert method == "PATCH"
    assert body == {"Agents": [{"Number": "101"}, {"Number": "102"}, {"Number": "103", "SkillGroup": "tier2"}]}

    # An agent leaves: the purged list is exact; 103 keeps the skill group it was not given again.
    sim.clear_log()
    task_results(ansible.playbook(queue_task(number="800", agents=[{"number": "103"}, {"number": "101"}],
                                             purge_agents=True)))
    ((_method, _path, body),) = xapi_writes(sim)
    assert body == {"Agents": [{"Number": "103", "SkillGroup": "tier2"}, {"Number": "101"}]}
    assert sorted(numbers(stored(sim, "Queues", "800")["Agents"])) == ["101", "103"]

    # Agents are not ordered: the same two in another order is no change.
    sim.clear_log()
    task_results(ansible.playbook(queue_task(number="800", agents=[{"number": "101"}, {"number": "103"}],
                                             purge_agents=True)))
    assert ansible.saved("r")["changed"] is False and xapi_writes(sim) == []


def test_managers_merge_then_purge(ansible, sim):
    task_results(ansible.playbook(queue_task(number="800", managers=["104"])))
    assert xapi_writes(sim)[0][2] == {"Managers": [{"Number": "100"}, {"Number": "104"}]}
    sim.clear_log()
    task_results(ansible.playbook(queue_task(number="800", managers=["100"])))
    assert xapi_writes(sim) == [], "a listed manager already there is no change"
    task_results(ansible.playbook(queue_task(number="800", managers=["104"], purge_managers=True)))
    assert xapi_writes(sim)[0][2] == {"Managers": [{"Number": "104"}]}
    assert numbers(ansible.saved("r")["queue"]["Managers"]) == ["104"]
    # The agents were never touched.
    assert numbers(stored(sim, "Queues", "800")["Agents"]) == ["101", "102"]


def test_ring_group_order_counts_when_purged_and_shows_in_the_diff(ansible, sim):
    hunt = dict(number="700", ring_strategy="Hunt", members=["103", "100"], purge_members=True)
    process = task_results(ansible.playbook(ring_group_task(**hunt), args=["--check", "--diff"]))
    result = ansible.saved("r")
    assert result["changed"] is True and xapi_writes(sim) == []
    assert numbers(result["diff"]["before"]["Members"]) == ["100", "103"]
    assert numbers(result["diff"]["after"]["Members"]) == ["103", "100"]
    assert "RingAll" in process and "Hunt" in process, "--diff must show the change"

    task_results(ansible.playbook(ring_group_task(**hunt)))
    ((method, _path, body),) = xapi_writes(sim)
    assert method == "PATCH"
    assert body == {"RingStrategy": "Hunt", "Members": [{"Number": "103"}, {"Number": "100"}]}
    assert numbers(ansible.saved("r")["ring_group"]["Members"]) == ["103", "100"]

    # The same order again: nothing. Only a reorder: one PATCH with the members alone.
    sim.clear_log()
    task_results(ansible.playbook(ring_group_task(**hunt)))
    assert ansible.saved("r")["changed"] is False and xapi_writes(sim) == []
    task_results(ansible.playbook(ring_group_task(**{**hunt, "members": ["100", "103"]})))
    assert [write[2] for write in xapi_writes(sim)] == [{"Members": [{"Number": "100"}, {"Number": "103"}]}]

    # Without purge the list merges: a listed member already there is no change, a new one goes last.
    sim.clear_log()
    task_results(ansible.playbook(ring_group_task(number="700", members=["103"])))
    assert xapi_writes(sim) == []
    task_results(ansible.playbook(ring_group_task(number="700", members=["105"])))
    assert numbers(stored(sim, "RingGroups", "700")["Members"]) == ["100", "103", "105"]


def test_ring_group_create_again_check_change_delete_delete_again(ansible, sim):
    group = dict(number="710", name="Warehouse", ring_strategy="Paging", ring_time=15, members=["106", "107"])
    task_results(ansible.playbook(ring_group_task(**group)))
    assert xapi_writes(sim) == [("POST", "/xapi/v1/RingGroups", {
        "Number": "710", "Name": "Warehouse", "RingStrategy": "Paging", "RingTime": 15,
        "Members": [{"Number": "106"}, {"Number": "107"}]})]
    sim.clear_log()
    task_results(ansible.playbook(ring_group_task(**group)))
    assert ansible.saved("r")["changed"] is False and xapi_writes(sim) == []
    assert len(sim.log()) == 2
    task_results(ansible.playbook(ring_group_task(**{**group, "ring_time": 25}), args=["--check"]))
    assert ansible.saved("r")["changed"] is True and xapi_writes(sim) == []
    task_results(ansible.playbook(ring_group_task(**{**group, "ring_time": 25})))
    assert [write[2] for write in xapi_writes(sim)] == [{"RingTime": 25}]
    sim.clear_log()
    task_results(ansible.playbook(ring_group_task("absent", number="710")))
    assert [write[0] for write in xapi_writes(sim)] == ["DELETE"]
    sim.clear_log()
    task_results(ansible.playbook(ring_group_task("absent", number="710")))
    assert ansible.saved("r")["changed"] is False and xapi_writes(sim) == []


FAILING = """
- threecx.xapi.%s: %s
  register: r
  ignore_errors: true
""" + save("r")


def failed(ansible, module, args=(), **options):
    task_results(ansible.playbook(FAILING % (module, json.dumps(options)), args=args))
    result = ansible.saved("r")
    assert result["failed"] is True, result
    return result["msg"]


def test_an_unknown_extension_fails_before_any_write_naming_it(ansible, sim):
    before = sim.store("Queues")
    message = failed(ansible, "threecx_queue", number="800", agents=[{"number": "101"}, {"number": "999"}])
    assert "agents" in message and "'999'" in message
    message = failed(ansible, "threecx_queue", number="810", name="New", managers=["998"])
    assert "managers" in message and "'998'" in message
    message = failed(ansible, "threecx_ring_group", number="700", members=["997"], purge_members=True)
    assert "members" in message and "'997'" in message
    assert xapi_writes(sim) == []
    assert sim.store("Queues") == before


def test_unknown_and_read_only_properties_send_nothing(ansible, sim):
    message = failed(ansible, "threecx_queue", number="800", properties={"Colour": "red"})
    assert "Colour" in message
    message = failed(ansible, "threecx_ring_group", number="700", properties={"IsRegistered": True})
    assert "IsRegistered" in message
    message = failed(ansible, "threecx_queue", number="800", properties={"RingTimeout": 5})
    assert "ring_timeout" in message
    assert sim.log() == [], "bad input must not reach the PBX, not even for a token"


def test_a_number_taken_by_an_extension_or_a_queue_fails_and_creates_nothing(ansible, sim):
    queues, ring_groups = sim.store("Queues"), sim.store("RingGroups")
    message = failed(ansible, "threecx_queue", number="101", name="Clash")
    assert "ALREADY_IN_USE" in message and "400" in message
    message = failed(ansible, "threecx_ring_group", number="800", name="Clash", members=["100"])
    assert "ALREADY_IN_USE" in message
    assert [write[0] for write in xapi_writes(sim)] == ["POST", "POST"], "one create each, never repeated"
    assert sim.store("Queues") == queues and sim.store("RingGroups") == ring_groups


def test_info_modules_one_by_number_none_or_the_collection(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_queue_info:
    number: "800"
  register: one
- threecx.xapi.threecx_queue_info:
    number: "899"
  register: missing
- threecx.xapi.threecx_ring_group_info:
    count: true
  register: every_group
- threecx.xapi.threecx_ring_group_info:
    filter: "RingStrategy eq 'Paging'"
  register: paging
""" + save("one") + save("missing") + save("every_group") + save("paging"), args=["-vvv"]))
    (queue,) = ansible.saved("one")["queues"]
    assert queue["Number"] == "800" and numbers(queue["Agents"]) == ["101", "102"]
    assert numbers(queue["Managers"]) == ["100"]
    assert ansible.saved("missing")["queues"] == []
    groups = ansible.saved("every_group")
    assert groups["count"] == 1 and numbers(groups["ring_groups"][0]["Members"]) == ["100", "103"]
    assert ansible.saved("paging")["ring_groups"] == []
    assert xapi_writes(sim) == []
    assert "$expand=Agents,Managers" in requests_to(sim, "GET", "Queues(Number='800')")[0]["query"]
