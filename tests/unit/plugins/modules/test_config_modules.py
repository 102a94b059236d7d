# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_config_export and threecx_config, run in-process against the simulator.

The integration tests (tests/integration/test_config.py) run them through ansible-playbook; these are
the in-process counterparts that mutation testing can run. They name no section list, so that a new
section does not break them. The seed (0) has the departments DEFAULT, Accounts, Marketing, Sales and
Warehouse, and extensions 100-115.
"""

from __future__ import annotations

import json

import yaml
from module_runner import api_requests, run_module, writes
from scenarios import (PART_WAY_DOCUMENT, PROBLEM_COUNT, PROBLEM_DOCUMENT, PROBLEM_WORDS, REFERENCE_DOCUMENT,
                       REFERENCE_PROBLEMS)

from ansible_collections.threecx.xapi.plugins.modules import (
    threecx_config,
    threecx_config_export,
    threecx_holiday,
    threecx_inbound_rule,
    threecx_office_hours,
    threecx_outbound_rule,
)


def user(document, number):
    return next(item for item in document["users"] if item["number"] == number)


def exported(pbx, capsys, **args):
    result = run_module(threecx_config_export, pbx, capsys, **args)
    assert result.get("failed") is not True, result
    return result


def applied(pbx, capsys, check_mode=False, **args):
    return run_module(threecx_config, pbx, capsys, check_mode=check_mode, diff=check_mode, **args)


def test_an_export_is_stable_and_applies_as_a_no_op(pbx, capsys, tmp_path):
    dest = tmp_path / "pbx.yml"
    first = exported(pbx, capsys, dest=str(dest))
    assert first["changed"] is True and yaml.safe_load(dest.read_text()) == first["config"]
    document = first["config"]
    assert [item["name"] for item in document["groups"]] == sorted(item["name"] for item in document["groups"])
    amelia = user(document, "100")
    assert amelia["first_name"] == "Amelia" and amelia["groups"] == [{"name": "DEFAULT", "role": "managers"}]
    assert not {"enabled", "require_2fa", "pin", "web_password", "id"} & set(amelia)
    assert user(document, "103")["groups"] == [{"name": "Sales", "role": "managers"}, {"name": "Warehouse"}], \
        "a member's default role (users) is left out"
    assert writes(pbx) == []

    text = dest.read_text()
    pbx.clear_log()
    again = exported(pbx, capsys, dest=str(dest))
    assert again["changed"] is False and dest.read_text() == text, "two exports of an unchanged PBX are identical"

    pbx.clear_log()
    result = applied(pbx, capsys, src=str(dest))
    assert result.get("failed") is not True, result
    assert result["changed"] is False and result["changes"] == [] and writes(pbx) == []
    listed = [(entry["method"], entry["path"]) for entry in api_requests(pbx)]
    assert listed == sorted(set(listed), key=listed.index), "each set read once: no GET per item"
    assert len([path for _method, path in listed if path != "/xapi/v1/Trunks"]) == len(document)


def test_include_and_exclude_choose_sections(pbx, capsys):
    assert list(exported(pbx, capsys, include=["groups"])["config"]) == ["groups"]
    every = set(exported(pbx, capsys)["config"])
    assert set(exported(pbx, capsys, exclude=["groups"])["config"]) == every - {"groups"}


def changed_document(pbx, capsys):
    document = exported(pbx, capsys)["config"]
    document["groups"].append({"name": "Support", "language": "EN"})
    user(document, "100")["email"] = "amelia@example.com"
    document["users"].append({"number": "150", "first_name": "Bob", "groups": [{"name": "Support"}], "pin": "482613"})
    pbx.clear_log()
    return document


def test_check_mode_reports_every_change_and_writes_nothing(pbx, capsys):
    result = applied(pbx, capsys, check_mode=True, config=changed_document(pbx, capsys))
    assert writes(pbx) == [] and result["changed"] is True
    assert [(change["section"], change["key"], change["action"]) for change in result["changes"]] == [
        ("groups", "Support", "create"), ("users", "100", "update"), ("users", "150", "create")]
    assert result["changes"][2]["after"]["VMPIN"] == "********" and "482613" not in json.dumps(result)


def test_a_changed_document_makes_exactly_the_needed_writes_then_none(pbx, capsys):
    document = changed_document(pbx, capsys)
    result = applied(pbx, capsys, config=document)
    assert result.get("failed") is not True, result
    log = pbx.writes()
    assert [(entry["method"], entry["path"]) for entry in log] == [
        ("POST", "/xapi/v1/Groups"), ("PATCH", "/xapi/v1/Users(1)"), ("POST", "/xapi/v1/Users")]
    assert log[1]["body"] == {"EmailAddress": "amelia@example.com"}
    support = next(group for group in pbx.store("Groups") if group["Name"] == "Support")
    assert log[2]["body"]["Groups"] == [{"GroupId": support["Id"], "Rights": {"RoleName": "users"}}]
    pbx.clear_log()
    assert applied(pbx, capsys, config=document)["changed"] is False and writes(pbx) == []


def test_purge_deletes_only_in_the_sections_present_and_never_the_default_department(pbx, capsys):
    document = exported(pbx, capsys)["config"]
    users = [item for item in document["users"] if item["number"] != "115"]
    pbx.clear_log()
    result = applied(pbx, capsys, config={"users": users}, purge=True)
    assert result.get("failed") is not True, result
    assert writes(pbx) == [("DELETE", "/xapi/v1/Users(16)")]
    assert [change["action"] for change in result["changes"]] == ["delete"]
    pbx.clear_log()
    again = applied(pbx, capsys, config={"users": users}, purge=True)
    assert again["changed"] is False and writes(pbx) == []

    groups = [item for item in document["groups"] if item["name"] not in ("Warehouse", "DEFAULT")]
    pbx.clear_log()
    result = applied(pbx, capsys, config={"groups": groups}, purge=True)
    assert result.get("failed") is not True, result
    assert writes(pbx) == [("DELETE", "/xapi/v1/Groups(5)")], "the default department is never purged"


def test_every_problem_of_a_document_is_reported_at_once_and_nothing_is_sent(pbx, capsys):
    document = PROBLEM_DOCUMENT
    result = applied(pbx, capsys, config=document)
    assert pbx.log() == [], "no request, not even for a token"
    assert result["failed"] is True
    text = "\n".join(result["problems"])
    for words in PROBLEM_WORDS:
        assert words in text, (words, text)
    assert len(result["problems"]) == PROBLEM_COUNT, result["problems"]
    assert result["msg"] == "the document has %d problems:\n- " % PROBLEM_COUNT + "\n- ".join(result["problems"])


def test_one_problem_is_one_problem(pbx, capsys):
    result = applied(pbx, capsys, config={"groups": [{"name": "Sales", "colour": "blue"}]})
    assert result["failed"] is True and pbx.log() == []
    assert result["msg"] == "the document has 1 problem:\n- " + result["problems"][0]
    assert result["problems"][0].startswith("groups[0].colour: unknown option")


def test_references_to_nothing_are_reported_with_their_paths_before_any_write(pbx, capsys):
    document = REFERENCE_DOCUMENT
    result = applied(pbx, capsys, config=document)
    assert result["failed"] is True and writes(pbx) == []
    assert result["problems"] == REFERENCE_PROBLEMS


def test_a_failure_part_way_says_what_was_done_and_a_rerun_completes(pbx, capsys):
    document = PART_WAY_DOCUMENT
    pbx.fault(path="Users", method="POST", status=400, body="json", times=1)
    result = applied(pbx, capsys, config=document)
    assert result["failed"] is True
    assert [(change["section"], change["key"]) for change in result["changes"]] == [("groups", "Support")]
    error = ("POST %s/xapi/v1/Users: HTTP 400: the PBX answered with an error: WARNINGS.XAPI.SIMULATED_FAULT "
             "(Simulated fault: HTTP 400)" % pbx.base_url)
    assert result["failure"] == {"section": "users", "key": "150", "error": error}
    assert result["changed"] is True, "the department was created before the failure"
    assert result["msg"] == ("users 150 failed: %s. Done before it: 1 change; not attempted: 2 items. "
                             "Fix it and run again: what was done is not repeated." % error)
    assert {name: result.get(name) for name in ("status", "method", "url", "pbx_message", "details")} == {
        "status": 400, "method": "POST", "url": pbx.base_url + "/xapi/v1/Users",
        "pbx_message": "WARNINGS.XAPI.SIMULATED_FAULT",
        "details": [{"code": "", "message": "Simulated fault: HTTP 400", "target": None}]}
    assert result["not_attempted"] == [{"section": "users", "key": "151"}, {"section": "users", "key": "152"}]
    assert writes(pbx) == [("POST", "/xapi/v1/Groups"), ("POST", "/xapi/v1/Users")]

    pbx.clear_log()
    result = applied(pbx, capsys, config=document)
    assert result.get("failed") is not True, result
    assert [(change["key"], change["action"]) for change in result["changes"]] == [
        ("150", "create"), ("151", "create"), ("152", "create")]
    assert writes(pbx) == [("POST", "/xapi/v1/Users")] * 3


def test_a_failure_of_the_first_item_changed_nothing_and_of_the_last_left_nothing_undone(pbx, capsys):
    pbx.fault(path="Groups", method="POST", status=400, body="json", times=1)
    result = applied(pbx, capsys, config=PART_WAY_DOCUMENT)
    assert result["failed"] is True and result["changed"] is False and result["changes"] == []
    assert result["msg"].startswith("groups Support failed: POST ")
    assert result["msg"].endswith(". Done before it: 0 changes; not attempted: 3 items. "
                                  "Fix it and run again: what was done is not repeated.")
    assert result["not_attempted"] == [{"section": "users", "key": key} for key in ("150", "151", "152")]

    pbx.clear_log()
    pbx.fault(path="Users", method="POST", status=400, body="json", times=1)
    document = {"groups": [{"name": "Support"}, {"name": "Hotline"}], "users": PART_WAY_DOCUMENT["users"][1:2]}
    result = applied(pbx, capsys, config=document)
    assert result["failed"] is True and result["not_attempted"] == []
    assert result["msg"].endswith(". Done before it: 2 changes; not attempted: 0 items. "
                                  "Fix it and run again: what was done is not repeated."), result["msg"]


def test_a_failure_that_is_no_pbx_fault_carries_no_http_fields(pbx, capsys):
    pbx.fault(path="Groups", method="POST", ignore=True, times=1)
    result = applied(pbx, capsys, config={"groups": [{"name": "Support"}], "users": [{"number": "152"}]})
    assert result["failed"] is True and result["changes"] == []
    assert set(result) == {"failed", "msg", "changed", "changes", "failure", "not_attempted", "invocation"}, result
    assert result["msg"] == ("groups Support failed: %s. Done before it: 0 changes; not attempted: 1 item. "
                             "Fix it and run again: what was done is not repeated." % result["failure"]["error"])


def test_with_purge_a_member_list_given_is_exact_without_it_added_to(pbx, capsys):
    amelia = dict(user(exported(pbx, capsys)["config"], "100"), groups=[{"name": "Sales", "role": "users"}])
    pbx.clear_log()
    added = applied(pbx, capsys, config={"users": [amelia]})
    assert [entry["body"] for entry in pbx.writes()] == [{"Groups": [
        {"GroupId": 1, "Rights": {"RoleName": "managers"}}, {"GroupId": 4, "Rights": {"RoleName": "users"}}]}]
    assert [change["action"] for change in added["changes"]] == ["update"]
    others = [item for item in exported(pbx, capsys)["config"]["users"] if item["number"] != "100"]
    pbx.clear_log()
    kept = applied(pbx, capsys, config={"users": [dict(amelia, purge_groups=False)] + others}, purge=True)
    assert kept["changed"] is False and writes(pbx) == [], "purge_groups: false keeps the other departments"
    exact = applied(pbx, capsys, config={"users": [amelia] + others}, purge=True)
    assert [entry["body"] for entry in pbx.writes()] == [{"Groups": [{"GroupId": 4, "Rights": {"RoleName": "users"}}]}]
    assert exact["changes"][0]["after"]["Groups"] == [{"Rights": {"RoleName": "users"}, "GroupId": 4}]


def test_purge_deletes_in_key_order_and_later_sections_first(pbx, capsys):
    document = exported(pbx, capsys)["config"]
    users = [item for item in document["users"] if item["number"] not in ("113", "115")]
    groups = [item for item in document["groups"] if item["name"] != "Warehouse"]
    pbx.clear_log()
    result = applied(pbx, capsys, config={"groups": groups, "users": users}, purge=True)
    assert result.get("failed") is not True, result
    assert writes(pbx) == [("DELETE", "/xapi/v1/Users(14)"), ("DELETE", "/xapi/v1/Users(16)"),
                           ("DELETE", "/xapi/v1/Groups(5)")]
    assert [(change["section"], change["key"], change["action"], change["after"]) for change in result["changes"]] == [
        ("users", "113", "delete", {}), ("users", "115", "delete", {}), ("groups", "Warehouse", "delete", {})]
    assert result["changes"][0]["before"]["Number"] == "113"


def test_an_item_with_state_absent_is_deleted_and_the_diff_names_each_item(pbx, capsys):
    result = applied(pbx, capsys, check_mode=True, config={
        "users": [{"number": "115", "state": "absent"}, {"number": "150", "first_name": "Bob"}]})
    assert writes(pbx) == []
    assert [(change["key"], change["action"]) for change in result["changes"]] == [("115", "delete"), ("150", "create")]
    assert [(diff["before_header"], diff["after_header"]) for diff in result["diff"]] == [
        ("users 115", "users 115"), ("users 150", "users 150")]
    assert result["diff"][1]["before"] == {} and result["diff"][1]["after"]["FirstName"] == "Bob"
    assert result["diff"][0]["after"] == {} and result["diff"][0]["before"]["Number"] == "115"
    done = applied(pbx, capsys, config={"users": [{"number": "115", "state": "absent"}]})
    assert "diff" not in done and writes(pbx) == [("DELETE", "/xapi/v1/Users(16)")]


def test_two_items_on_the_pbx_with_the_key_of_one_item_stop_it_before_any_write(pbx, capsys):
    pbx.create("Contacts", {"FirstName": "Ann"}, {"FirstName": "Ann"})
    pbx.clear_log()
    result = applied(pbx, capsys, config={"groups": [{"name": "Support"}],
                                          "contacts": [{"first_name": "Ann", "email": "ann@example.com"}]})
    assert result["failed"] is True and writes(pbx) == []
    assert result["problems"] == ["contacts[0]: 2 Contacts on the PBX have this first_name, last_name, company_name; "
                                  "make it unique on the PBX first"]


def test_an_export_without_dest_changes_nothing_and_in_check_mode_writes_no_file(pbx, capsys, tmp_path):
    plain = exported(pbx, capsys, include=["groups"])
    assert plain["changed"] is False and "dest" not in plain
    dest = tmp_path / "pbx.yml"
    checked = run_module(threecx_config_export, pbx, capsys, check_mode=True, include=["groups"], dest=str(dest))
    assert checked["changed"] is True and checked["dest"] == str(dest) and not dest.exists()
    assert checked["config"] == plain["config"]


def test_members_by_number_are_checked_against_the_pbx_and_earlier_sections(pbx, capsys):
    document = {
        "groups": [{"name": "Support", "members": [{"number": "100"}, {"number": "150"}]}],
        "users": [{"number": "150"}],
        "queues": [{"number": "800", "managers": ["150", "151"], "agents": [{"number": "100"}, {"number": "152"}]}],
    }
    result = applied(pbx, capsys, config=document)
    assert result["failed"] is True and writes(pbx) == []
    assert result["problems"] == [
        "groups[0].members[1].number: Users has no Number '150', on the PBX or earlier in the document",
        "queues[0].agents[1].number: Users has no Number '152', on the PBX or earlier in the document",
        "queues[0].managers[1]: Users has no Number '151', on the PBX or earlier in the document"]


def test_office_hours_are_updated_as_one_item_and_never_purged(pbx, capsys):
    result = applied(pbx, capsys, check_mode=True, purge=True, config={
        "office_hours": {"time_zone_id": "52"}, "blocked_numbers": [{"caller_id": "+1 202 555 0199"}]})
    assert result.get("failed") is not True, result
    assert [(change["section"], change["key"], change["action"]) for change in result["changes"]] == [
        ("office_hours", None, "update"), ("blocked_numbers", "+1 202 555 0111", "delete"),
        ("blocked_numbers", "+44 20 7946 0999", "delete")], \
        "the sections after office_hours are applied too"
    assert (result["changes"][0]["before"]["TimeZoneId"], result["changes"][0]["after"]["TimeZoneId"]) == ("51", "52")
    assert [(diff["before_header"], diff["after_header"]) for diff in result["diff"]] == [
        ("office_hours", "office_hours"), ("blocked_numbers +1 202 555 0111", "blocked_numbers +1 202 555 0111"),
        ("blocked_numbers +44 20 7946 0999", "blocked_numbers +44 20 7946 0999")]
    done = applied(pbx, capsys, config={"office_hours": {"time_zone_id": "52"}}, purge=True)
    assert done["changed"] is True and writes(pbx) == [("PATCH", "/xapi/v1/OfficeHours")]
    assert pbx.store("OfficeHours")["TimeZoneId"] == "52"


PROVIDER, BRIDGE = "Example SIP provider", "Branch office bridge"


def test_routing_items_export_as_their_modules_take_them(pbx, capsys):
    rule = {"name": "Ranges", "prefix": "8", "dn_ranges": [{"from": "100", "to": "109"}], "groups": ["Sales"],
            "routes": [{"trunk": PROVIDER, "strip_digits": 1, "prepend": "9", "append": "#", "caller_id": "+4420"},
                       {"trunk": BRIDGE}]}
    inbound = {"did": "+442079460177", "trunk": PROVIDER, "name": "Ext",
               "office_hours_destination": {"type": "External", "number": "+4420"},
               "out_of_office_destination": {"type": "Boomerang"}}
    hours = {"Type": "OfficeHours", "Periods": [{"DayOfWeek": "Monday", "Start": "08:00:30", "Stop": "17:00"}]}
    for module, args in ((threecx_outbound_rule, rule), (threecx_inbound_rule, inbound),
                         (threecx_holiday, {"name": "Half", "day": 1, "month": 2, "start_time": "12:30:15"}),
                         (threecx_office_hours, {"hours": hours})):
        assert run_module(module, pbx, capsys, **args).get("failed") is not True
    document = exported(pbx, capsys, include=["outbound_rules", "inbound_rules", "holidays", "office_hours"])["config"]
    assert next(item for item in document["outbound_rules"] if item["name"] == "Ranges") == rule
    assert next(item for item in document["inbound_rules"] if item["name"] == "Ext") == inbound
    assert next(item for item in document["holidays"] if item["name"] == "Half") == {
        "name": "Half", "day": 1, "month": 2, "start_time": "12:30:15"}
    assert document["office_hours"]["hours"] == hours


def test_a_document_file_that_is_no_mapping_is_refused_naming_the_sections(pbx, capsys, tmp_path):
    src = tmp_path / "pbx.yml"
    src.write_text("- users\n", encoding="utf-8")
    result = applied(pbx, capsys, src=str(src))
    assert result["failed"] is True and pbx.log() == []
    assert result["msg"] == ("config must be a mapping of sections (groups, users, queues, ring_groups, holidays, "
                             "office_hours, blocked_numbers, contacts, outbound_rules, inbound_rules)")


def test_an_empty_secret_hides_nothing_else(pbx, capsys):
    result = applied(pbx, capsys, check_mode=True, config={"users": [{"number": "150", "first_name": "Bob", "pin": ""}]})
    (change,) = result["changes"]
    assert (change["key"], change["after"]["Number"], change["after"]["FirstName"]) == ("150", "150", "Bob")


def test_an_unknown_trunk_of_an_inbound_rule_is_a_problem_with_its_path(pbx, capsys):
    result = applied(pbx, capsys, config={"inbound_rules": [
        {"did": "+442079460100", "trunk": PROVIDER}, {"did": "+442079460101", "trunk": "Nowhere"}]})
    assert result["failed"] is True and writes(pbx) == []
    assert result["problems"] == [
        "inbound_rules[1].trunk: Trunks has no Gateway/Name 'Nowhere' (known: Branch office bridge, Example SIP provider)"]


def test_a_blank_trunk_of_an_inbound_rule_is_a_problem_found_before_any_request(pbx, capsys):
    result = applied(pbx, capsys, config={"inbound_rules": [
        {"did": "+442079460100", "trunk": PROVIDER}, {"did": "+442079460102", "trunk": ""}]})
    assert result["failed"] is True and api_requests(pbx) == []
    assert result["problems"] == ["inbound_rules[1]: trunk is blank: it names the item, so give a value"]


def test_purge_of_rules_named_by_a_trunk_deletes_them_by_their_natural_key(pbx, capsys):
    result = applied(pbx, capsys, config={"inbound_rules": []}, purge=True)
    assert result.get("failed") is not True, result
    assert [(entry["method"], entry["path"]) for entry in api_requests(pbx)] == [
        ("GET", "/xapi/v1/InboundRules"), ("GET", "/xapi/v1/Trunks"), ("DELETE", "/xapi/v1/InboundRules(1)"),
        ("GET", "/xapi/v1/InboundRules(1)")], "the listed item is deleted without a read of its own, then checked gone"
    assert [(change["key"], change["action"]) for change in result["changes"]] == [
        ({"did": "+442079460100", "trunk": PROVIDER}, "delete")]


def test_purge_in_check_mode_deletes_nothing_and_goes_by_key_not_by_id(pbx, capsys):
    pbx.create("Users", {"Number": "099", "FirstName": "Early"})
    document = exported(pbx, capsys)["config"]
    users = [item for item in document["users"] if item["number"] not in ("099", "115")]
    pbx.clear_log()
    result = applied(pbx, capsys, check_mode=True, config={"users": users}, purge=True)
    assert writes(pbx) == []
    assert [(change["key"], change["action"]) for change in result["changes"]] == [("099", "delete"), ("115", "delete")]


def test_purge_orders_keys_with_blank_parts_first(pbx, capsys):
    pbx.create("Contacts", {"FirstName": "Ann", "LastName": "Lee"}, {"FirstName": "Ann"})
    pbx.clear_log()
    result = applied(pbx, capsys, check_mode=True, config={"contacts": []}, purge=True)
    assert result.get("failed") is not True, result
    assert [change["key"] for change in result["changes"]] == [
        {"first_name": "Ann"}, {"first_name": "Ann", "last_name": "Lee"},
        {"first_name": "Lea", "last_name": "Garcia", "company_name": "Contoso Ltd"},
        {"first_name": "Lea", "last_name": "Quinn", "company_name": "Proseware Inc"},
        {"first_name": "Liam", "last_name": "Kowalski", "company_name": "Northwind Traders"},
        {"first_name": "Sofia", "last_name": "Dubois", "company_name": "Fabrikam Inc"},
        {"first_name": "Sofia", "last_name": "Rossi", "company_name": "Litware Inc"}]
    assert writes(pbx) == []
