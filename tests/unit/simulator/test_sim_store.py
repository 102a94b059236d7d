# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The store over HTTP: writes, keys, the numbering plan, memberships, references, formats and secrets.

Each test checks the status, the shape of the answer, and the state after (read back over the API
or through the control API's /_sim/store). The simulator runs without the spec: none is needed.
"""

from __future__ import annotations

import pytest
import requests

from simulator_testlib import odata_error


def patch(client, path, body):
    return client.request("PATCH", path, json=body)


def delete(client, path):
    return client.request("DELETE", path)


def error_of(answer, status, message):
    """The error's target after checking status, shape and WARNINGS key."""
    odata_error(answer, status)
    error = answer.json()["error"]
    assert error["message"] == message, error
    return error["details"][0]["target"]


def user_by_number(sim, number):
    return next(user for user in sim.store("Users") if user["Number"] == number)


# ---------------------------------------------------------------- create, update, delete


def test_post_answers_201_with_the_entity_and_keeps_it(client, sim):
    answer = client.post("Users", json={"Number": "150", "FirstName": "Ada", "LastName": "Lovelace", "VMPIN": "2468"})
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["@odata.context"].endswith("$metadata#Users/$entity")
    assert (created["Number"], created["FirstName"], created["VMPIN"]) == ("150", "Ada", "2468")
    assert isinstance(created["Id"], int) and "Groups" not in created
    again = client.get("Users(%d)" % created["Id"]).json()
    assert again == created
    assert user_by_number(sim, "150")["LastName"] == "Lovelace"


def test_patch_and_delete_answer_204_without_a_body(client, sim):
    answer = patch(client, "Users(1)", {"FirstName": "Renamed"})
    assert (answer.status_code, answer.content) == (204, b"")
    assert client.get("Users(1)").json()["FirstName"] == "Renamed"
    answer = delete(client, "Holidays(1)")
    assert (answer.status_code, answer.content) == (204, b"")
    assert 1 not in [holiday["Id"] for holiday in sim.store("Holidays")]


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_a_missing_key_is_404_in_the_odata_shape(client, method):
    answer = client.request(method, "Users(999)", json={"FirstName": "x"} if method == "PATCH" else None)
    assert error_of(answer, 404, "WARNINGS.XAPI.NOT_FOUND") == "Id"


def test_unknown_properties_are_400_naming_them(client, sim):
    assert error_of(client.post("Users", json={"Number": "151", "Nickname": "x"}), 400, "WARNINGS.XAPI.INVALID_BODY") == "Nickname"
    nested = patch(client, "OfficeHours", {"Hours": {"Type": "OfficeHours", "Periods": [{"DayOfWeek": "Monday", "Lunch": "x"}]}})
    assert "Lunch" in odata_error(nested, 400)
    assert error_of(nested, 400, "WARNINGS.XAPI.INVALID_BODY") == "Hours"
    assert "151" not in [user["Number"] for user in sim.store("Users")]


@pytest.mark.parametrize("body, target", [
    ({"FirstName": 5}, "FirstName"),
    ({"Enabled": "yes"}, "Enabled"),
    ({"QueueStatus": "Sleeping"}, "QueueStatus"),
])
def test_values_of_the_wrong_type_are_400(client, body, target):
    assert error_of(patch(client, "Users(1)", body), 400, "WARNINGS.XAPI.INVALID_BODY") == target


def test_a_failed_write_changes_nothing(client, sim):
    before = sim.store()
    answer = patch(client, "Users(1)", {"FirstName": "Half", "Groups": [{"GroupId": 999}]})
    assert error_of(answer, 400, "WARNINGS.XAPI.NOT_FOUND") == "Groups"
    assert sim.store() == before


# ---------------------------------------------------------------- keys


@pytest.mark.parametrize("entity_set, number", [("Users", "100"), ("Queues", "800"), ("RingGroups", "700"),
                                                ("Trunks", "10000")])
def test_get_by_alternate_key(client, entity_set, number):
    answer = client.get("%s(Number='%s')" % (entity_set, number))
    assert answer.status_code == 200, answer.text
    assert answer.json()["Number"] == number


def test_quotes_in_keys_are_doubled(client, sim):
    sim.settings(backup_delay=0)
    assert client.post("Backups/Pbx.Backup", json={"description": {"Name": "O'Brien"}}).status_code == 204
    assert "O'Brien.zip" in [backup["FileName"] for backup in client.value("Backups")]
    assert "O'Bri" in odata_error(client.get("Users(Number='O''Bri')"), 404)
    assert odata_error(delete(client, "Backups('O'Brien.zip')"), 404)
    assert delete(client, "Backups('O''Brien.zip')").status_code == 204
    assert client.value("Backups", {"$filter": "FileName eq 'O''Brien.zip'"}) == []


def test_string_keys_and_bad_key_literals(client):
    blocked = client.value("BlackListNumbers")[0]
    assert client.get("BlackListNumbers('%s')" % blocked["Id"]).json()["CallerId"] == blocked["CallerId"]
    odata_error(client.get("BlackListNumbers(%s)" % blocked["Id"]), 404)
    odata_error(client.get("Users('1')"), 404)
    odata_error(client.get("Users(Name='x')"), 404)


# ---------------------------------------------------------------- the numbering plan


@pytest.mark.parametrize("entity_set, body", [
    ("Users", {"Number": "800", "FirstName": "Queue's number"}),
    ("Queues", {"Number": "100", "Name": "User's number"}),
    ("RingGroups", {"Number": "800", "Name": "Queue's number"}),
])
def test_a_taken_number_is_already_in_use_across_sets(client, sim, entity_set, body):
    before = sim.store(entity_set)
    answer = client.post(entity_set, json=body)
    assert error_of(answer, 400, "WARNINGS.XAPI.ALREADY_IN_USE") == "Number"
    assert answer.json()["error"]["details"][0]["message"] == "Number:\nWARNINGS.XAPI.ALREADY_IN_USE"
    assert sim.store(entity_set) == before


def test_number_cannot_change_by_patch(client):
    assert error_of(patch(client, "Users(1)", {"Number": "555"}), 400, "WARNINGS.XAPI.INVALID_BODY") == "Number"
    assert error_of(patch(client, "Queues(1)", {"Number": "555"}), 400, "WARNINGS.XAPI.INVALID_BODY") == "Number"
    assert patch(client, "Users(1)", {"Number": "100"}).status_code == 204, "the same Number is no change"
    assert client.get("Users(1)").json()["Number"] == "100"


def test_a_user_without_number_gets_the_first_free_one(client, sim):
    assert delete(client, "Users(Number='102')").status_code == 204
    assert client.post("Users", json={"FirstName": "Gap"}).json()["Number"] == "102"
    numbers = {user["Number"] for user in sim.store("Users")}
    following = client.post("Users", json={"FirstName": "Next"}).json()["Number"]
    assert following not in numbers and int(following) == min(n for n in range(100, 1000) if str(n) not in numbers)


def test_a_queue_needs_a_number(client):
    assert error_of(client.post("Queues", json={"Name": "No number"}), 400, "WARNINGS.XAPI.INVALID_BODY") == "Number"


def test_departments_get_their_number_from_the_pbx(client):
    created = client.post("Groups", json={"Name": "Research"})
    assert created.status_code == 201
    numbers = [group["Number"] for group in client.value("Groups")]
    assert created.json()["Number"].startswith("GRP") and numbers.count(created.json()["Number"]) == 1
    assert error_of(client.post("Groups", json={"Name": "Legal", "Number": "GRP99"}), 400,
                    "WARNINGS.XAPI.INVALID_BODY") == "Number"
    assert error_of(client.post("Groups", json={"Name": "research"}), 400, "WARNINGS.XAPI.DUPLICATE") == "Name"


def test_the_default_department_stays(client):
    default = client.value("Groups", {"$filter": "IsDefault eq true"})
    assert [group["Name"] for group in default] == ["DEFAULT"]
    odata_error(delete(client, "Groups(%d)" % default[0]["Id"]), 400)


# ---------------------------------------------------------------- navigation properties and memberships


def test_navigation_properties_come_only_with_expand(client):
    plain = client.get("Users(1)").json()
    assert "Groups" not in plain and "ForwardingProfiles" not in plain
    expanded = client.get("Users(1)", {"$expand": "Groups"}).json()
    assert expanded["Groups"] and all("Rights" not in group for group in expanded["Groups"])
    with_rights = client.get("Users(1)", {"$expand": "Groups($expand=Rights)"}).json()
    assert with_rights["Groups"][0]["Rights"]["RoleName"] in ("users", "managers")
    queue = client.get("Queues(Number='800')", {"$expand": "Agents,Managers"}).json()
    for member in queue["Agents"] + queue["Managers"]:
        assert member["Name"] and member["Number"]
    assert "Agents" not in client.get("Queues(Number='800')").json()
    odata_error(client.get("Users(1)", {"$expand": "FirstName"}), 400)


def test_membership_is_one_relation_seen_from_both_sides(client, sim):
    user = user_by_number(sim, "104")
    groups = [{"GroupId": 2, "Rights": {"RoleName": "managers"}}, {"GroupId": 3}]
    assert patch(client, "Users(%d)" % user["Id"], {"Groups": groups}).status_code == 204
    seen = client.get("Users(%d)" % user["Id"], {"$expand": "Groups($expand=Rights)"}).json()["Groups"]
    assert [(group["GroupId"], group["Rights"]["RoleName"]) for group in seen] == [(2, "managers"), (3, "users")]
    members = client.get("Groups(2)", {"$expand": "Members($expand=Rights)"}).json()["Members"]
    entry = next(member for member in members if member["Number"] == "104")
    assert entry["Name"] == "%s %s" % (user["FirstName"], user["LastName"])
    assert entry["Rights"]["RoleName"] == "managers"


def test_a_navigation_list_in_a_patch_replaces_it_whole(client, sim):
    assert client.get("Groups(1)", {"$expand": "Members"}).json()["Members"]
    assert patch(client, "Groups(1)", {"Members": [{"Number": "101", "Rights": {"RoleName": "users"}}]}).status_code == 204
    assert [member["Number"] for member in client.get("Groups(1)", {"$expand": "Members"}).json()["Members"]] == ["101"]
    assert patch(client, "Groups(1)", {"Members": []}).status_code == 204
    assert client.get("Groups(1)", {"$expand": "Members"}).json()["Members"] == []
    assert all(group["GroupId"] != 1 for user in sim.store("Users") for group in user.get("Groups", []))
    assert patch(client, "Queues(1)", {"Agents": []}).status_code == 204
    assert client.get("Queues(1)", {"$expand": "Agents"}).json()["Agents"] == []


def test_deletes_cascade_memberships_and_references(client, sim):
    agent = client.get("Queues(1)", {"$expand": "Agents"}).json()["Agents"][0]
    assert delete(client, "Users(%d)" % agent["Id"]).status_code == 204
    assert agent["Number"] not in [a["Number"] for a in client.get("Queues(1)", {"$expand": "Agents"}).json()["Agents"]]
    assert all(member["Number"] != agent["Number"] for group in sim.store("Groups") for member in group["Members"])
    group_id = client.post("Groups", json={"Name": "Temporary"}).json()["Id"]
    assert patch(client, "OutboundRules(1)", {"GroupIds": [1, group_id]}).status_code == 204
    assert patch(client, "Users(1)", {"Groups": [{"GroupId": group_id}]}).status_code == 204
    assert delete(client, "Groups(%d)" % group_id).status_code == 204
    assert client.get("OutboundRules(1)").json()["GroupIds"] == [1]
    assert client.get("Users(1)", {"$expand": "Groups"}).json()["Groups"] == []


def test_a_new_user_without_groups_joins_the_default_department(client):
    created = client.post("Users", json={"FirstName": "Newcomer"}).json()
    groups = client.get("Users(%d)" % created["Id"], {"$expand": "Groups"}).json()["Groups"]
    assert [(group["Name"], group["GroupId"]) for group in groups] == [("DEFAULT", 1)]


@pytest.mark.parametrize("path, method, body, target", [
    ("Queues", "POST", {"Number": "801", "Name": "Q", "Agents": [{"Number": "999"}]}, "Agents"),
    ("RingGroups(1)", "PATCH", {"Members": [{"Number": "800"}]}, "Members"),
    ("OutboundRules(1)", "PATCH", {"Routes": [{"TrunkId": 99}]}, "Routes"),
    ("OutboundRules", "POST", {"Name": "R", "GroupIds": [99]}, "GroupIds"),
    ("Users(1)", "PATCH", {"Groups": [{"GroupId": 99}]}, "Groups"),
    ("Groups(1)", "PATCH", {"Members": [{"Number": "999"}]}, "Members"),
    ("InboundRules", "POST", {"RuleName": "R", "TrunkDN": {"Number": "99999"}}, "TrunkDN"),
])
def test_a_reference_to_nothing_is_not_found(client, sim, path, method, body, target):
    before = sim.store()
    answer = client.request(method, path, json=body)
    assert error_of(answer, 400, "WARNINGS.XAPI.NOT_FOUND") == target
    assert sim.store() == before


def test_a_member_listed_twice_is_a_duplicate(client):
    answer = patch(client, "Queues(1)", {"Agents": [{"Number": "101"}, {"Number": "101"}]})
    assert error_of(answer, 400, "WARNINGS.XAPI.DUPLICATE") == "Agents"


# ---------------------------------------------------------------- derived fields, formats, secrets


def test_outbound_rules_derive_names_and_pad_routes_to_five(client):
    created = client.post("OutboundRules", json={"Name": "Mobiles", "Prefix": "07", "GroupIds": [2, 1],
                                                 "GroupNames": ["ignored"], "Routes": [{"TrunkId": 2, "TrunkName": "x"}]})
    assert created.status_code == 201, created.text
    rule = client.get("OutboundRules(%d)" % created.json()["Id"]).json()
    names = {group["Id"]: group["Name"] for group in client.value("Groups")}
    assert rule["GroupIds"] == [2, 1] and rule["GroupNames"] == [names[2], names[1]]
    trunk = client.get("Trunks(2)").json()
    assert rule["Routes"][0] == {"TrunkId": 2, "TrunkName": trunk["Gateway"]["Name"]}
    assert rule["Routes"][1:] == [{"TrunkId": -1}] * 4
    odata_error(patch(client, "OutboundRules(1)", {"Routes": [{"TrunkId": 1}] * 6}), 400)


def test_times_come_back_as_the_pbx_writes_them(client):
    hours = {"Type": "SpecificHours", "Periods": [{"DayOfWeek": "Monday", "Start": "08:30:00", "Stop": "12:00:00.5"}]}
    assert patch(client, "OfficeHours", {"Hours": hours}).status_code == 204
    period = client.get("OfficeHours").json()["Hours"]["Periods"][0]
    assert (period["Start"], period["Stop"]) == ("08:30:00.0000000", "12:00:00.5000000")
    assert error_of(patch(client, "OfficeHours", {"Hours": dict(hours, Periods=[{"Start": "8:30"}])}), 400,
                    "WARNINGS.XAPI.INVALID_BODY") == "Hours"


def test_null_properties_are_left_out(client):
    created = client.post("Users", json={"FirstName": "Null", "LastName": None, "EmailAddress": None}).json()
    assert "LastName" not in created and "EmailAddress" not in created
    assert patch(client, "Users(%d)" % created["Id"], {"FirstName": None}).status_code == 204
    assert "FirstName" not in client.get("Users(%d)" % created["Id"]).json()


def test_user_secrets_are_kept_and_returned(client):
    user = client.post("Users", json={"FirstName": "Pin", "VMPIN": "9753", "AccessPassword": "Secr3t!"}).json()
    again = client.get("Users(%d)" % user["Id"]).json()
    assert (again["VMPIN"], again["AccessPassword"]) == ("9753", "Secr3t!")


def test_trunk_passwords_show_in_clear_or_concealed_for_a_bridge(client, sim):
    provider, bridge = client.value("Trunks", {"$orderby": "Id"})
    assert provider["AuthPassword"] == {"Value": user_value(sim, "Trunks", 1)}
    assert bridge["AuthPassword"] == {"Concealed": True}
    assert patch(client, "Trunks(1)", {"AuthPassword": {"Value": "n3w-pass"}}).status_code == 204
    assert client.get("Trunks(1)").json()["AuthPassword"] == {"Value": "n3w-pass"}
    assert patch(client, "Trunks(1)", {"AuthPassword": {"Concealed": True}}).status_code == 204
    assert client.get("Trunks(1)").json()["AuthPassword"] == {"Value": "n3w-pass"}, "what was read back keeps it"


def user_value(sim, entity_set, key):
    return next(row for row in sim.store(entity_set) if row["Id"] == key)["AuthPassword"]["Value"]


# ---------------------------------------------------------------- queries on every set


STORE_SETS = ["Users", "Groups", "Queues", "RingGroups", "Holidays", "BlackListNumbers", "Contacts", "InboundRules",
              "OutboundRules", "Trunks", "Parameters", "Receptionists", "Backups"]


@pytest.mark.parametrize("entity_set", STORE_SETS)
def test_every_set_pages_counts_orders_and_selects(client, sim, entity_set):
    rows = sim.store(entity_set)
    assert rows, "the seed fills %s" % entity_set
    key = "FileName" if entity_set == "Backups" else "Id"
    answer = client.get(entity_set, {"$count": "true", "$top": 1, "$skip": 1, "$orderby": "%s desc" % key,
                                     "$select": key})
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["@odata.count"] == len(rows)
    expected = sorted((row[key] for row in rows), reverse=True)[1:2]
    assert [item[key] for item in document["value"]] == expected
    assert all(set(item) == {key} for item in document["value"])


@pytest.mark.parametrize("entity_set, expression, expected", [
    ("Users", "Number eq '100'", ["100"]),
    ("Users", "Number eq '100' or Number eq '101'", ["100", "101"]),
    ("Users", "Number eq '100' and Enabled eq true", ["100"]),
    ("Queues", "contains(Name, 'queue')", ["800"]),
    ("RingGroups", "startswith(tolower(Name), 'recep')", ["700"]),
    ("Trunks", "Gateway/Name eq 'Branch office bridge'", ["10001"]),
    ("Users", "Groups/any(g: g/GroupId eq 1) and Number eq '100'", ["100"]),
])
def test_filter_works_over_the_store(client, entity_set, expression, expected):
    found = client.value(entity_set, {"$filter": expression, "$select": "Number"})
    assert [item["Number"] for item in found] == expected


def test_filter_quotes_are_doubled(client):
    assert client.post("Contacts", json={"FirstName": "Sean", "LastName": "O'Neill"}).status_code == 201
    found = client.value("Contacts", {"$filter": "LastName eq 'O''Neill'"})
    assert [contact["FirstName"] for contact in found] == ["Sean"]
    odata_error(client.get("Contacts", {"$filter": "LastName eq 'O'Neill'"}), 400)


# ---------------------------------------------------------------- OfficeHours, backups, updates


def test_office_hours_is_a_singleton_with_get_and_patch(client, sim):
    hours = client.get("OfficeHours").json()
    assert hours["Hours"]["Periods"][0]["Start"] == "09:00:00.0000000"
    assert "OfficeHolidays" not in hours
    assert [holiday["Name"] for holiday in client.get("OfficeHours", {"$expand": "OfficeHolidays"}).json()["OfficeHolidays"]]
    assert patch(client, "OfficeHours", {"TimeZoneId": "52"}).status_code == 204
    assert sim.store("OfficeHours")["TimeZoneId"] == "52"
    odata_error(client.request("DELETE", "OfficeHours"), 405)


def test_backups_appear_after_a_delay_and_refuse_duplicates(client, sim):
    sim.settings(backup_delay=0.5)
    body = {"description": {"Name": "before-upgrade", "Contents": {"License": True, "Recordings": False}}}
    answer = client.post("Backups/Pbx.Backup", json=body)
    assert (answer.status_code, answer.content) == (204, b"")
    assert "before-upgrade.zip" not in [backup["FileName"] for backup in client.value("Backups")]
    assert error_of(client.post("Backups/Pbx.Backup", json=body), 400, "WARNINGS.XAPI.DUPLICATE") == "Name"
    import time
    time.sleep(0.6)
    listed = client.value("Backups", {"$filter": "FileName eq 'before-upgrade.zip'"})
    assert len(listed) == 1 and listed[0]["Size"] > 0 and listed[0]["CreationTime"].endswith("Z")
    assert error_of(client.post("Backups/Pbx.Backup", json=body), 400, "WARNINGS.XAPI.DUPLICATE") == "Name"
    assert delete(client, "Backups('before-upgrade.zip')").status_code == 204
    assert client.value("Backups", {"$filter": "FileName eq 'before-upgrade.zip'"}) == []
    odata_error(delete(client, "Backups('before-upgrade.zip')"), 404)
    odata_error(client.post("Backups", json={"FileName": "x.zip"}), 405)
    odata_error(client.post("Backups/Pbx.Backup", json={"description": {"Name": "x", "Size": 1}}), 400)


def test_updates_install_and_the_pbx_restarts(client, sim):
    sim.settings(update_restart=0.6)
    listing = client.get("GetUpdates()").json()
    entries = {entry["Category"]: entry for entry in listing["Entries"] if entry["OutOfDate"]}
    assert {"3CX", "Firmware"} <= set(entries)
    firmware = entries["Firmware"]["Guid"]
    install = {"install": {"Key": listing["Key"], "Entries": [firmware]}}
    assert client.post("InstallUpdates", json=install).status_code == 204
    after = {entry["Guid"]: entry for entry in client.get("GetUpdates()").json()["Entries"]}
    assert after[firmware]["OutOfDate"] is False and after[firmware]["LocalVersion"] == after[firmware]["ServerVersion"]
    pbx = entries["3CX"]["Guid"]
    assert client.post("InstallUpdates", json={"install": {"Key": listing["Key"], "Entries": [pbx]}}).status_code == 204
    restarting = client.get("Users")
    assert restarting.status_code == 503 and int(restarting.headers["Retry-After"]) >= 1
    import time
    time.sleep(0.7)
    assert client.get("GetUpdates()").json()["Entries"][0]["OutOfDate"] is False
    odata_error(client.post("InstallUpdates", json={"install": {"Key": listing["Key"], "Entries": [
        "00000000-0000-4000-8000-000000000000"]}}), 400)


# ---------------------------------------------------------------- faults for writes and the log


def test_a_write_applied_whose_answer_is_lost(client, sim):
    import requests
    sim.fault(path="Users", method="POST", drop=True, apply_after=True)
    with pytest.raises(requests.ConnectionError):
        client.post("Users", json={"Number": "160", "FirstName": "Lost"})
    assert user_by_number(sim, "160")["FirstName"] == "Lost"
    assert [entry["status"] for entry in sim.writes()] == [None]


def test_a_write_answered_204_and_ignored(client, sim):
    sim.fault(path="Users(1)", method="PATCH", ignore=True)
    answer = patch(client, "Users(1)", {"FirstName": "Ignored"})
    assert (answer.status_code, answer.content) == (204, b"")
    assert client.get("Users(1)").json()["FirstName"] != "Ignored"
    assert patch(client, "Users(1)", {"FirstName": "Taken"}).status_code == 204, "the fault is used up"
    assert client.get("Users(1)").json()["FirstName"] == "Taken"


def test_a_restarting_pbx_answers_503_for_a_while(client, sim):
    import time
    sim.fault(path="Users", method="PATCH", restart=0.6)
    odata_error(patch(client, "Users(1)", {"FirstName": "During restart"}), 503)
    during = client.get("Users(1)")
    assert during.status_code == 503 and during.headers["Retry-After"] == "1"
    time.sleep(0.7)
    assert client.get("Users(1)").json()["FirstName"] != "During restart"
    sim.restart(0.3)
    assert client.get("Users(1)").status_code == 503
    time.sleep(0.4)
    assert client.get("Users(1)").status_code == 200


def test_the_log_records_every_write_with_secrets_masked(client, sim):
    client.post("Users", json={"Number": "170", "FirstName": "Logged", "VMPIN": "1234", "AccessPassword": "pw-9"})
    patch(client, "Trunks(1)", {"AuthPassword": {"Value": "trunk-pw"}})
    delete(client, "Contacts(1)")
    writes = sim.writes()
    assert [(entry["method"], entry["path"], entry["status"]) for entry in writes] == [
        ("POST", "/xapi/v1/Users", 201), ("PATCH", "/xapi/v1/Trunks(1)", 204), ("DELETE", "/xapi/v1/Contacts(1)", 204)]
    assert writes[0]["body"] == {"Number": "170", "FirstName": "Logged", "VMPIN": "********", "AccessPassword": "********"}
    assert writes[1]["body"] == {"AuthPassword": "********"}
    text = str(sim.log())
    assert "1234" not in text and "pw-9" not in text and "trunk-pw" not in text


# ---------------------------------------------------------------- seeds and the harness


def test_the_seed_sets_up_a_plausible_pbx(sim):
    store = sim.store()
    departments = store["Groups"]
    assert [group["Name"] for group in departments if group["IsDefault"]] == ["DEFAULT"] and len(departments) >= 3
    assert all(user["Groups"] for user in store["Users"]), "every extension is in a department"
    assert len(store["Trunks"]) == 2 and len(store["OutboundRules"]) == 1
    assert store["Holidays"] and store["BlackListNumbers"] and store["Contacts"]
    assert store["Updates"]["Entries"] and store["OfficeHours"]["Hours"]["Periods"]


def test_seeds_are_deterministic_and_differ(sim):
    from harness import Simulator
    first = sim.store()
    sim.reset()
    assert sim.store() == first
    with Simulator(client_id="other", client_secret="other-secret", devices=1, seed=3) as other:
        assert other.store()["Users"] != first["Users"]


def test_the_harness_creates_through_the_same_rules(sim):
    created = sim.create("Users", {"Number": "180", "FirstName": "Seeded", "Groups": [{"GroupId": 2}]})
    assert created[0]["Number"] == "180" and created[0]["Groups"][0]["GroupId"] == 2
    with pytest.raises(Exception, match="400"):
        sim.create("Users", {"Number": "180"})
    assert sim.writes() == [], "control calls are not requests to the PBX"


def test_an_expanded_member_list_keeps_the_order_it_was_written_in(client):
    # Ring group 700 holds 100 and 103 (Ids 1 and 4); written the other way round, it answers that way round.
    assert patch(client, "RingGroups(Number='700')", {"Members": [{"Number": "103"}, {"Number": "100"}]}).status_code == 204
    members = client.get("RingGroups(Number='700')", {"$expand": "Members"}).json()["Members"]
    assert [member["Number"] for member in members] == ["103", "100"]
    ordered = client.get("RingGroups(Number='700')", {"$expand": "Members($orderby=Number)"}).json()["Members"]
    assert [member["Number"] for member in ordered] == ["100", "103"]


def test_a_backup_is_served_at_its_download_link_with_the_token(client, sim):
    backup = client.value("Backups")[0]
    link = sim.base_url + backup["DownloadLink"]
    answer = client.session.get(link, timeout=30)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/zip"
    assert int(answer.headers["Content-Length"]) == backup["Size"] == len(answer.content)
    assert answer.content.startswith(b"PK\x03\x04") and "Content-Encoding" not in answer.headers
    assert requests.get(link, timeout=30).status_code == 401
    missing = client.get("Backups/Pbx.DownloadBackup(file='nothing.zip')")
    odata_error(missing, 404)
    odata_error(client.get("Backups/Pbx.DownloadBackup(file=nothing.zip)"), 404)
    assert [(entry["method"], entry["status"]) for entry in sim.log()][-4:] == [
        ("GET", 200), ("GET", 401), ("GET", 404), ("GET", 404)]


def test_system_status_counts_from_the_store_and_the_phones(client, sim):
    status = client.get("SystemStatus").json()
    assert status["ExtensionsTotal"] == len(sim.store("Users")) >= status["ExtensionsRegistered"] >= 0
    assert status["TrunksTotal"] == len(sim.store("Trunks")) == status["TrunksRegistered"]
    assert 0 < status["DiskUsage"] < 100 and status["FreeDiskSpace"] < status["TotalDiskSpace"]
    pbx = next(entry for entry in sim.store("Updates")["Entries"] if entry["Category"] == "3CX")
    assert status["Version"] == pbx["LocalVersion"] and status["HasNotRunningServices"] is False
    assert status["LastBackupDateTime"] == sim.store("Backups")[0]["CreationTime"]
    assert status["LicenseKey"] == client.get("LicenseStatus").json()["LicenseKey"]
    health = client.get("SystemStatus/Pbx.SystemHealthStatus()").json()
    assert set(health) >= {"Firewall", "Phones", "Trunks"}
    odata_error(client.get("SystemStatus", {"$select": "Version"}), 400)


def test_services_start_stop_restart_enable_and_disable(client, sim):
    services = client.value("Services")
    assert {service["Status"] for service in services} == {"Running"} and "Enabled" not in services[0]
    assert [service["Name"] for service in client.value("Services", {"$filter": "Name eq 'nginx'"})] == ["nginx"]
    name = next(service["Name"] for service in services if service["StartStopEnabled"])
    body = {"options": {"ServiceNames": [name]}}
    assert client.post("Services/Pbx.Stop", json=body).status_code == 204
    assert client.value("Services", {"$filter": "Name eq '%s'" % name})[0]["Status"] == "Stopped"
    assert client.get("SystemStatus").json()["HasNotRunningServices"] is True
    assert client.post("Services/Pbx.Restart", json=body).status_code == 204
    assert client.value("Services", {"$filter": "Name eq '%s'" % name})[0]["Status"] == "Running"
    assert client.post("Services/Pbx.Disable", json=body).status_code == 204
    assert next(row for row in sim.store("Services") if row["Name"] == name)["Enabled"] is False
    assert error_of(client.post("Services/Pbx.Start", json={"options": {"ServiceNames": ["nope"]}}), 400,
                    "WARNINGS.XAPI.NOT_FOUND") == "ServiceNames"
    assert error_of(client.post("Services/Pbx.Stop", json={"options": {"ServiceNames": ["nginx"]}}), 400,
                    "WARNINGS.XAPI.INVALID_BODY") == "ServiceNames"
    odata_error(client.post("Services/Pbx.Start", json={"ServiceNames": [name]}), 400)
