# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_user, threecx_group, threecx_queue, threecx_ring_group and their _info modules, run in-process.

The integration tests (tests/integration/test_users.py, test_queues.py) run them through ansible-playbook;
these are the in-process counterparts that mutation testing can run. The seed holds extensions 100-115,
the department Sales (Id 4), queue 800 (agents 101 and 102, manager 100) and ring group 700 (members 100
and 103).
"""

from __future__ import annotations

from module_runner import lifecycle, logged, run_module, writes

from ansible_collections.threecx.xapi.plugins.modules import (
    threecx_group,
    threecx_group_info,
    threecx_queue,
    threecx_queue_info,
    threecx_ring_group,
    threecx_ring_group_info,
    threecx_user,
    threecx_user_info,
)

SALES_ID = 4


def numbers(members):
    return [member["Number"] for member in members]


def test_user_lifecycle_with_its_department_and_secrets_masked(pbx, capsys):
    bob = dict(number="150", first_name="Bob", last_name="Baker", email="bob.baker@example.com", enabled=True,
               groups=[{"name": "Sales"}], pin="482613")
    item = lifecycle(pbx, capsys, threecx_user, "Users", bob, ("email", "robert.baker@example.com", "EmailAddress"),
                     "user")
    assert item["Groups"][0]["Name"] == "Sales" and item["VMPIN"] == "********"


def test_a_user_create_sends_the_department_by_id(pbx, capsys):
    created = run_module(threecx_user, pbx, capsys, number="150", first_name="Bob", groups=[{"name": "Sales"}])
    assert created["changed"] is True
    (post,) = pbx.writes()
    assert post["body"]["Groups"] == [{"GroupId": SALES_ID, "Rights": {"RoleName": "users"}}]


def test_group_lifecycle_with_members_and_roles(pbx, capsys):
    care = dict(name="Customer Care", language="EN", timezone_id="51",
                members=[{"number": "105"}, {"number": "106", "role": "managers"}])
    item = lifecycle(pbx, capsys, threecx_group, "Groups", care, ("language", "DE", "Language"), "group")
    assert sorted(numbers(item["Members"])) == ["105", "106"] and item["Number"].startswith("GRP")


def test_queue_lifecycle_with_agents_and_managers(pbx, capsys):
    support = dict(number="810", name="Support", polling_strategy="Hunt", ring_timeout=20, max_callers=10,
                   wrap_up_time=15, sla_time=60, agents=[{"number": "101", "skill_group": "tier1"}, {"number": "102"}],
                   managers=["100"])
    item = lifecycle(pbx, capsys, threecx_queue, "Queues", support, ("ring_timeout", 30, "RingTimeout"), "queue")
    assert numbers(item["Agents"]) == ["101", "102"] and numbers(item["Managers"]) == ["100"]


def test_a_queue_create_sends_every_field_once(pbx, capsys):
    run_module(threecx_queue, pbx, capsys, number="810", name="Support", polling_strategy="Hunt", ring_timeout=20,
               agents=[{"number": "101", "skill_group": "tier1"}, {"number": "102"}], managers=["100"])
    assert [(entry["method"], entry["body"]) for entry in pbx.writes()] == [("POST", {
        "Number": "810", "Name": "Support", "PollingStrategy": "Hunt", "RingTimeout": 20,
        "Agents": [{"Number": "101", "SkillGroup": "tier1"}, {"Number": "102"}], "Managers": [{"Number": "100"}]})]


def test_ring_group_lifecycle(pbx, capsys):
    group = dict(number="710", name="Warehouse", ring_strategy="Paging", ring_time=15, members=["106", "107"])
    item = lifecycle(pbx, capsys, threecx_ring_group, "RingGroups", group, ("ring_time", 25, "RingTime"), "ring_group")
    assert numbers(item["Members"]) == ["106", "107"]


def test_user_and_group_info_find_one_list_many_and_nothing(pbx, capsys):
    assert run_module(threecx_user_info, pbx, capsys, number="999")["users"] == []
    assert run_module(threecx_group_info, pbx, capsys, name="Nowhere")["groups"] == []
    (sales,) = run_module(threecx_group_info, pbx, capsys, name="Sales")["groups"]
    members = sorted(numbers(sales["Members"]))
    found = run_module(threecx_user_info, pbx, capsys, filter="Groups/any(g: g/Name eq 'Sales')",
                       select=["Id", "Number"], count=True)
    assert sorted(numbers(found["users"])) == members and found["count"] == len(members)
    (one,) = run_module(threecx_user_info, pbx, capsys, number="100")["users"]
    assert one["Number"] == "100"
    departments = run_module(threecx_group_info, pbx, capsys, orderby="Name", expand=[])["groups"]
    assert [group["Name"] for group in departments] == sorted(group["Name"] for group in pbx.store("Groups"))
    assert all("Members" not in group for group in departments)
    assert writes(pbx) == []


def test_queue_and_ring_group_info_one_by_number_none_or_the_collection(pbx, capsys):
    (queue,) = run_module(threecx_queue_info, pbx, capsys, number="800")["queues"]
    assert numbers(queue["Agents"]) == ["101", "102"] and numbers(queue["Managers"]) == ["100"]
    assert "$expand=Agents,Managers" in logged(pbx, "GET", "Queues(Number='800')")[0]["query"]
    assert run_module(threecx_queue_info, pbx, capsys, number="899")["queues"] == []
    every = run_module(threecx_ring_group_info, pbx, capsys, count=True)
    assert every["count"] == 1 and numbers(every["ring_groups"][0]["Members"]) == ["100", "103"]
    assert run_module(threecx_ring_group_info, pbx, capsys, filter="RingStrategy eq 'Paging'")["ring_groups"] == []
    (by_number,) = run_module(threecx_ring_group_info, pbx, capsys, number="700")["ring_groups"]
    assert by_number["Number"] == "700"
    assert writes(pbx) == []
