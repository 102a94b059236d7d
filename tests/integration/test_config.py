# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_config_export and threecx_config, run by ansible-playbook against the simulator.

Every assertion about what happened reads the simulator's request log or its store. The seed (0) has the
departments DEFAULT, Accounts, Marketing, Sales and Warehouse, extensions 100-115, five contacts, the trunks
"Example SIP provider" (Id 1) and "Branch office bridge" (Id 2), the outbound rule "Default route" over both
and one inbound rule. Every seed has those two trunks: trunks are not a section of the document, so a PBX a
document is applied to needs the trunks it names.
"""

from __future__ import annotations

import json

import yaml

from conftest import CLIENT_ID, CLIENT_SECRET, Simulator, save, task_results
from scenarios import (PART_WAY_DOCUMENT, PROBLEM_COUNT, PROBLEM_DOCUMENT, PROBLEM_WORDS, REFERENCE_DOCUMENT,
                       REFERENCE_PROBLEMS)


# The sections' lists, the office hours, and the trunks' names (for the rules: trunks are not a section).
SECTION_LISTS = sorted("/xapi/v1/" + name for name in (
    "Groups", "Users", "Queues", "RingGroups", "Holidays", "OfficeHours", "BlackListNumbers", "Contacts",
    "OutboundRules", "InboundRules", "Trunks"))


def export_task(register="exported", **args):
    task = {"name": "export", "threecx.xapi.threecx_config_export": args, "register": register}
    return yaml.safe_dump([task]) + save(register)


def apply_task(register="applied", **args):
    task = {"name": "apply", "threecx.xapi.threecx_config": args, "register": register, "ignore_errors": True}
    return yaml.safe_dump([task]) + save(register)


def lists(sim):
    """The GET requests of the log, by path: a section is read with one paged list."""
    return sorted(entry["path"] for entry in sim.log() if entry["method"] == "GET")


def writes(sim):
    return [(entry["method"], entry["path"]) for entry in sim.writes()]


def exported(ansible, sim, **args):
    task_results(ansible.playbook(export_task(**args)))
    return ansible.saved("exported")


def applied(ansible, args=(), **task_args):
    ansible.playbook(apply_task(**task_args), args=list(args))
    return ansible.saved("applied")


def in_any_order(document):
    return {name: sorted(items, key=json.dumps) if isinstance(items, list) else items for name, items in document.items()}


def user(document, number):
    return next(item for item in document["users"] if item["number"] == number)


# --- export, and the export applied ---------------------------------------------------------------------

def test_export_is_stable_readable_and_applies_as_a_no_op(ansible, sim, tmp_path):
    dest = tmp_path / "pbx.yml"
    first = exported(ansible, sim, dest=str(dest))
    assert first["changed"] is True
    text = dest.read_text()
    document = first["config"]
    assert yaml.safe_load(text) == document
    assert [item["name"] for item in document["groups"]] == sorted(item["name"] for item in document["groups"])
    assert lists(sim) == SECTION_LISTS, "one paged list per section"
    # In option names; references by name; defaults, secrets, derived fields and Ids left out.
    amelia = user(document, "100")
    assert amelia["first_name"] == "Amelia" and amelia["groups"] == [{"name": "DEFAULT", "role": "managers"}]
    assert not {"enabled", "require_2fa", "pin", "web_password", "id"} & set(amelia)
    assert user(document, "105")["groups"] == [{"name": "DEFAULT"}], "role users is a new membership's default"
    assert "members" not in document["groups"][0] and "number" not in document["groups"][0]
    assert "1657" not in text and "DS27QM44BPSX" not in text, "no PIN or password in the export"
    # The sections of the routing family: trunks and departments by name, no padding, no derived fields.
    assert document["outbound_rules"] == [{"name": "Default route", "groups": ["DEFAULT"], "routes": [
        {"trunk": "Example SIP provider", "strip_digits": 0}, {"trunk": "Branch office bridge", "strip_digits": 0}]}]
    assert document["inbound_rules"] == [{
        "did": "+442079460100", "trunk": "Example SIP provider", "name": "Main number",
        "office_hours_destination": {"type": "RingGroup", "number": "700"},
        "out_of_office_destination": {"type": "VoiceMail", "number": "100"}}]
    assert document["office_hours"] == {
        "hours": {"Type": "OfficeHours", "Periods": [{"DayOfWeek": day, "Start": "09:00", "Stop": "17:00"}
                                                     for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]},
        "break_time": {"Type": "OfficeHours", "Periods": [{"DayOfWeek": day, "Start": "12:30", "Stop": "13:00"}
                                                          for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]},
        "time_zone_id": "51", "system_language": "EN"}
    contacts = document["contacts"]
    assert len(contacts) == len(sim.store("Contacts")) == 5
    assert [(item["first_name"], item["last_name"]) for item in contacts] == sorted(
        (item["first_name"], item["last_name"]) for item in contacts)
    assert set(contacts[0]) == {"first_name", "last_name", "company_name", "business", "email"}, contacts[0]

    sim.clear_log()
    again = exported(ansible, sim, dest=str(dest))
    assert again["changed"] is False and dest.read_text() == text, "two exports of an unchanged PBX are identical"

    sim.clear_log()
    result = applied(ansible, src=str(dest))
    assert result.get("failed") is not True, result
    assert result["changed"] is False and result["changes"] == []
    assert sim.writes() == []
    assert lists(sim) == SECTION_LISTS, "read once per section, no GET per item"


def test_include_and_exclude_choose_sections(ansible, sim):
    assert list(exported(ansible, sim, include=["groups"])["config"]) == ["groups"]
    assert set(exported(ansible, sim, exclude=["groups"])["config"]) == {
        "users", "queues", "ring_groups", "holidays", "office_hours", "blocked_numbers", "contacts", "outbound_rules",
        "inbound_rules"}


def test_each_exported_item_can_be_given_to_its_module_as_it_is(ansible, sim):
    document = exported(ansible, sim, include=["office_hours", "contacts", "outbound_rules", "inbound_rules"])["config"]
    tasks = [{"threecx.xapi.threecx_office_hours": document["office_hours"], "register": "office_hours"},
             {"threecx.xapi.threecx_contact": document["contacts"][0], "register": "contact"},
             {"threecx.xapi.threecx_outbound_rule": document["outbound_rules"][0], "register": "outbound_rule"},
             {"threecx.xapi.threecx_inbound_rule": document["inbound_rules"][0], "register": "inbound_rule"}]
    names = [task["register"] for task in tasks]
    sim.clear_log()
    task_results(ansible.playbook(yaml.safe_dump(tasks) + "".join(save(name) for name in names)))
    assert [ansible.saved(name)["changed"] for name in names] == [False] * 4
    assert sim.writes() == []


def test_a_change_to_the_pbx_shows_in_the_exported_file(ansible, sim, tmp_path):
    dest = tmp_path / "pbx.yml"
    exported(ansible, sim, dest=str(dest))
    before = dest.read_text()
    task_results(ansible.playbook(yaml.safe_dump([{"threecx.xapi.threecx_user": {"number": "100", "mobile": "+1 202 555 0999"}}])))
    assert exported(ansible, sim, dest=str(dest))["changed"] is True
    changed_lines = set(dest.read_text().splitlines()) ^ set(before.splitlines())
    assert changed_lines == {"  mobile: +1 202 555 0134", "  mobile: +1 202 555 0999"}


# --- a changed document: exactly the needed writes; check mode --------------------------------------------

def changed_document(ansible, sim):
    document = exported(ansible, sim)["config"]
    document["groups"].append({"name": "Support", "language": "EN"})
    user(document, "100")["email"] = "amelia@example.com"
    document["users"].append({"number": "150", "first_name": "Bob", "groups": [{"name": "Support"}], "pin": "482613"})
    sim.clear_log()
    return document


def test_check_mode_reports_every_change_and_writes_nothing(ansible, sim):
    document = changed_document(ansible, sim)
    result = applied(ansible, args=["--check", "--diff", "-vvv"], config=document)
    assert sim.writes() == []
    assert result["changed"] is True
    assert [(change["section"], change["key"], change["action"]) for change in result["changes"]] == [
        ("groups", "Support", "create"), ("users", "100", "update"), ("users", "150", "create")]
    assert result["changes"][2]["after"]["VMPIN"] == "********"
    assert "482613" not in json.dumps(result) and "482613" not in ansible.outputs[-1]
    assert "users 100" in ansible.outputs[-1], "a diff per item, headed by its section and key"


def test_a_changed_document_makes_exactly_the_needed_writes(ansible, sim):
    document = changed_document(ansible, sim)
    result = applied(ansible, config=document)
    assert result.get("failed") is not True, result
    log = sim.writes()
    assert [(entry["method"], entry["path"]) for entry in log] == [
        ("POST", "/xapi/v1/Groups"), ("PATCH", "/xapi/v1/Users(1)"), ("POST", "/xapi/v1/Users")]
    assert log[1]["body"] == {"EmailAddress": "amelia@example.com"}
    support = next(group for group in sim.store("Groups") if group["Name"] == "Support")
    assert log[2]["body"]["Groups"] == [{"GroupId": support["Id"], "Rights": {"RoleName": "users"}}]
    # The lists, once each; the department list again after the create (the user refers to it); re-reads.
    assert lists(sim).count("/xapi/v1/Users") == 1

    sim.clear_log()
    assert applied(ansible, config=document)["changed"] is False
    assert sim.writes() == []


# --- the routing and directory sections: a changed document, check mode --------------------------------------

def changed_routing_document(ansible, sim):
    """The export, with one change in each new section, and a rule for a department the document creates."""
    document = exported(ansible, sim)["config"]
    document["groups"].append({"name": "Support"})
    document["office_hours"]["time_zone_id"] = "52"
    first = document["contacts"][0]
    first["email"] = "changed@example.com"
    document["contacts"].append({"first_name": "Zoe", "company_name": "Initech"})
    document["outbound_rules"][0]["prefix"] = "9"
    document["outbound_rules"].append({"name": "Support line", "groups": ["Support"],
                                       "routes": [{"trunk": "Branch office bridge", "prepend": "0"}]})
    document["inbound_rules"][0]["office_hours_destination"] = {"type": "Queue", "number": "800"}
    sim.clear_log()
    return document, (first["first_name"], first["last_name"], first["company_name"])


ROUTING_CHANGES = [("groups", "create"), ("office_hours", "update"), ("contacts", "update"), ("contacts", "create"),
                   ("outbound_rules", "update"), ("outbound_rules", "create"), ("inbound_rules", "update")]


def test_check_mode_reports_the_routing_changes_and_writes_nothing(ansible, sim):
    document, (first, last, company) = changed_routing_document(ansible, sim)
    result = applied(ansible, args=["--check", "--diff"], config=document)
    assert result.get("failed") is not True, result
    assert sim.writes() == []
    assert [(change["section"], change["action"]) for change in result["changes"]] == ROUTING_CHANGES
    keys = [change["key"] for change in result["changes"]]
    assert keys[1] is None, "office hours have no key"
    assert keys[2] == {"first_name": first, "last_name": last, "company_name": company}
    assert keys[3] == {"first_name": "Zoe", "company_name": "Initech"}
    assert keys[6] == {"did": "+442079460100", "trunk": "Example SIP provider"}
    assert "contacts first_name=Zoe, company_name=Initech" in ansible.outputs[-1], "a diff headed by the whole key"


def test_a_changed_routing_document_makes_exactly_the_needed_writes(ansible, sim):
    document, (first, last, _company) = changed_routing_document(ansible, sim)
    result = applied(ansible, config=document)
    assert result.get("failed") is not True, result
    assert [(change["section"], change["action"]) for change in result["changes"]] == ROUTING_CHANGES
    contact = next(item for item in sim.store("Contacts") if (item["FirstName"], item["LastName"]) == (first, last))
    log = sim.writes()
    assert [(entry["method"], entry["path"]) for entry in log] == [
        ("POST", "/xapi/v1/Groups"), ("PATCH", "/xapi/v1/OfficeHours"), ("PATCH", "/xapi/v1/Contacts(%d)" % contact["Id"]),
        ("POST", "/xapi/v1/Contacts"), ("PATCH", "/xapi/v1/OutboundRules(1)"), ("POST", "/xapi/v1/OutboundRules"),
        ("PATCH", "/xapi/v1/InboundRules(1)")]
    support = next(group for group in sim.store("Groups") if group["Name"] == "Support")
    assert [entry["body"] for entry in log[1:3]] == [{"TimeZoneId": "52"}, {"Email": "changed@example.com"}]
    assert log[3]["body"] == {"FirstName": "Zoe", "CompanyName": "Initech"}
    assert log[4]["body"] == {"Prefix": "9"}
    assert log[5]["body"] == {"Name": "Support line", "GroupIds": [support["Id"]],
                              "Routes": [{"TrunkId": 2, "Prepend": "0"}] + [{"TrunkId": -1}] * 4}
    assert list(log[6]["body"]) == ["OfficeHoursDestination"]
    assert {"To": "Queue", "Number": "800"}.items() <= log[6]["body"]["OfficeHoursDestination"].items()
    assert lists(sim).count("/xapi/v1/Trunks") == 1, "the trunks' names are listed once"

    sim.clear_log()
    again = applied(ansible, config=document)
    assert again["changed"] is False and sim.writes() == []
    assert in_any_order(exported(ansible, sim)["config"]) == in_any_order(document), \
        "what was applied exports as the document"


# --- purge --------------------------------------------------------------------------------------------------

def test_purge_deletes_what_the_document_does_not_name_in_the_sections_present_only(ansible, sim):
    document = exported(ansible, sim)["config"]
    document["users"] = [item for item in document["users"] if item["number"] != "115"]
    only_users = {"users": document["users"]}
    sim.clear_log()
    result = applied(ansible, config=only_users, purge=True)
    assert result.get("failed") is not True, result
    assert writes(sim) == [("DELETE", "/xapi/v1/Users(16)")]
    assert [change["action"] for change in result["changes"]] == ["delete"]
    # The departments are only looked up (the users' groups refer to them), never read as a section.
    department_reads = [entry["query"] for entry in sim.log() if entry["path"] == "/xapi/v1/Groups"]
    assert len(department_reads) == 1 and "select" in department_reads[0], department_reads

    document["groups"] = [item for item in document["groups"] if item["name"] not in ("Warehouse", "DEFAULT")]
    sim.clear_log()
    result = applied(ansible, config={"groups": document["groups"]}, purge=True)
    assert result.get("failed") is not True, result
    assert writes(sim) == [("DELETE", "/xapi/v1/Groups(5)")], "the default department is never purged"

    sim.clear_log()
    assert applied(ansible, config=only_users)["changed"] is False and sim.writes() == []


def test_purge_deletes_contacts_and_rules_the_document_does_not_name_and_never_the_office_hours(ansible, sim):
    document = exported(ansible, sim, include=["office_hours", "contacts", "outbound_rules", "inbound_rules"])["config"]
    kept, dropped = document["contacts"][1:], document["contacts"][0]
    dropped_id = next(item["Id"] for item in sim.store("Contacts")
                      if (item["FirstName"], item["LastName"]) == (dropped["first_name"], dropped["last_name"]))
    purged = dict(document, contacts=kept, outbound_rules=[], inbound_rules=[])
    sim.clear_log()
    result = applied(ansible, config=purged, purge=True)
    assert result.get("failed") is not True, result
    # The deletes come last, in the reverse order of the sections.
    assert writes(sim) == [("DELETE", "/xapi/v1/InboundRules(1)"), ("DELETE", "/xapi/v1/OutboundRules(1)"),
                           ("DELETE", "/xapi/v1/Contacts(%d)" % dropped_id)]
    assert [(change["section"], change["action"]) for change in result["changes"]] == [
        ("inbound_rules", "delete"), ("outbound_rules", "delete"), ("contacts", "delete")]
    assert result["changes"][0]["key"] == {"did": "+442079460100", "trunk": "Example SIP provider"}
    assert len(sim.store("Contacts")) == 4 and sim.store("OutboundRules") == [] and sim.store("InboundRules") == []

    sim.clear_log()
    assert applied(ansible, config=purged, purge=True)["changed"] is False and sim.writes() == []


# --- a second PBX ---------------------------------------------------------------------------------------------

def test_a_round_trip_to_another_pbx_then_a_second_apply_writes_nothing(ansible, sim, tmp_path):
    dest = tmp_path / "pbx.yml"
    source = exported(ansible, sim, dest=str(dest))["config"]
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=5, seed=1) as other:
        # Emptied first, by purging every section: what is left is the default department, the trunks (not a
        # section: a document names them, the target must have them) and the office hours (never purged).
        empty = {name: [] for name in source if name != "office_hours"}
        emptied = applied(ansible, base_url=other.base_url, config=empty, purge=True)
        assert emptied.get("failed") is not True, emptied
        assert [group["Name"] for group in other.store("Groups")] == ["DEFAULT"]
        for entity_set in ("Users", "Queues", "RingGroups", "Holidays", "BlackListNumbers", "Contacts",
                           "OutboundRules", "InboundRules"):
            assert other.store(entity_set) == [], entity_set
        assert len(other.store("Trunks")) == 2
        other.clear_log()
        target = dict(base_url=other.base_url, src=str(dest), purge=True)
        result = applied(ansible, **target)
        assert result.get("failed") is not True, result
        assert {entry["path"] for entry in other.writes() if entry["method"] == "POST"} == {
            "/xapi/v1/" + name for name in ("Groups", "Users", "Queues", "RingGroups", "Holidays", "BlackListNumbers",
                                            "Contacts", "OutboundRules", "InboundRules")}
        other.clear_log()
        assert applied(ansible, **target)["changed"] is False
        assert other.writes() == []
        # What the second PBX now holds exports as the same document.
        again = exported(ansible, other, base_url=other.base_url)["config"]
    assert again == source


# --- validation: every problem at once, nothing sent -------------------------------------------------------------

def test_every_problem_of_a_document_is_reported_at_once_and_nothing_is_sent(ansible, sim):
    document = PROBLEM_DOCUMENT
    result = applied(ansible, config=document)
    assert sim.log() == [], "no request, not even for a token"
    assert result["failed"] is True
    problems = result["problems"]
    text = "\n".join(problems)
    for words in PROBLEM_WORDS:
        assert words in text, (words, text)
    assert len(problems) == PROBLEM_COUNT, problems


def test_references_to_nothing_are_reported_with_their_paths_before_any_write(ansible, sim):
    document = REFERENCE_DOCUMENT
    result = applied(ansible, config=document)
    assert result["failed"] is True
    assert sim.writes() == []
    assert result["problems"] == REFERENCE_PROBLEMS


def test_problems_in_the_new_sections_are_reported_with_their_paths_and_nothing_is_sent(ansible, sim):
    document = {
        "office_hours": {"hours": {"Periods": [{"DayOfWeek": "Monday", "Start": "9am", "Stop": "17:00"},
                                               {"DayOfWeek": "Someday", "Start": "09:00", "Stop": "17:00"}]}},
        "contacts": [{"first_name": "Ann", "last_name": "Lee"}, {"email": "nobody@example.com"},
                     {"first_name": "Ann", "last_name": "Lee", "title": "Dr"}],
        "outbound_rules": [{"name": "Out", "routes": [{"trunk": "Example SIP provider"}, {"prepend": "0"}]},
                           {"name": "Many", "routes": [{"trunk": "Example SIP provider"}] * 6}],
        "inbound_rules": [{"did": "1", "trunk": "Example SIP provider", "colour": "red"}],
    }
    result = applied(ansible, config=document)
    assert sim.log() == [], "no request, not even for a token"
    assert result["failed"] is True
    problems = result["problems"]
    text = "\n".join(problems)
    for words in ["office_hours.hours.Periods[1]: ", "Someday", "contacts[1]: give at least one of first_name",
                  "contacts[2]: first_name 'Ann', last_name 'Lee', company_name None name contacts[0] too",
                  "outbound_rules[0].routes[1].trunk: required, but not given",
                  "outbound_rules[1].routes: an outbound rule has at most 5 routes",
                  "inbound_rules[0].colour: unknown option"]:
        assert words in text, (words, text)
    assert len(problems) == 6, problems
    # Its time, once the day is right: a value the engine converts is checked before any request too.
    document = {"office_hours": {"hours": {"Periods": [{"DayOfWeek": "Monday", "Start": "9am", "Stop": "17:00"}]}}}
    result = applied(ansible, config=document)
    assert sim.log() == []
    assert result["problems"][0].startswith("office_hours.hours.Periods.Start: '9am' is not a time of day")


def test_a_trunk_or_extension_that_is_not_there_is_refused_with_its_path_before_any_write(ansible, sim):
    document = {
        "groups": [{"name": "Support"}],
        "outbound_rules": [{"name": "Out", "groups": ["Support", "Nowhere"],
                            "routes": [{"trunk": "Example SIP provider"}, {"trunk": "Missing trunk"}]}],
        "inbound_rules": [{"did": "1", "trunk": "Missing trunk"},
                          {"did": "2", "trunk": "Branch office bridge",
                           "office_hours_destination": {"type": "Extension", "number": "999"}}],
    }
    result = applied(ansible, config=document)
    assert result["failed"] is True
    assert sim.writes() == []
    problems = [problem.split(" (known:")[0] for problem in result["problems"]]
    assert problems == [
        "outbound_rules[0].routes[1].trunk: Trunks has no Gateway/Name 'Missing trunk'",
        "outbound_rules[0].groups[1]: Groups has no Name 'Nowhere'",
        "inbound_rules[0].trunk: Trunks has no Gateway/Name 'Missing trunk'",
        "inbound_rules[1].office_hours_destination.number: Users has no Number '999'"], result["problems"]


def test_two_contacts_on_the_pbx_with_the_key_an_item_names_are_refused_before_any_write(ansible, sim):
    sim.create("Contacts", {"FirstName": "Ann", "LastName": "Lee"}, {"FirstName": "Ann", "LastName": "Lee"})
    document = {"groups": [{"name": "Support"}],
                "contacts": [{"first_name": "Zoe"}, {"first_name": "Ann", "last_name": "Lee", "title": "Dr"}]}
    sim.clear_log()
    result = applied(ansible, config=document)
    assert result["failed"] is True
    assert sim.writes() == []
    assert result["problems"] == [
        "contacts[1]: 2 Contacts on the PBX have this first_name, last_name, company_name; make it unique on the "
        "PBX first"]


# --- a failure part-way, then a re-run -----------------------------------------------------------------------------

def test_a_failure_part_way_says_what_was_done_and_a_rerun_completes(ansible, sim):
    document = PART_WAY_DOCUMENT
    sim.fault(path="Users", method="POST", status=400, body="json", times=1)
    result = applied(ansible, config=document)
    assert result["failed"] is True
    assert [(change["section"], change["key"]) for change in result["changes"]] == [("groups", "Support")]
    assert result["failure"]["key"] == "150" and "150" in result["msg"] and "400" in result["msg"]
    assert result["not_attempted"] == [{"section": "users", "key": "151"}, {"section": "users", "key": "152"}]
    assert writes(sim) == [("POST", "/xapi/v1/Groups"), ("POST", "/xapi/v1/Users")]

    sim.clear_log()
    result = applied(ansible, config=document)
    assert result.get("failed") is not True, result
    assert [(change["key"], change["action"]) for change in result["changes"]] == [
        ("150", "create"), ("151", "create"), ("152", "create")]
    assert writes(sim) == [("POST", "/xapi/v1/Users")] * 3
    sim.clear_log()
    assert applied(ansible, config=document)["changed"] is False and sim.writes() == []
