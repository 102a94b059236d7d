# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_config_export and threecx_config, run by ansible-playbook against the simulator.

Every assertion about what happened reads the simulator's request log or its store. The seed (0) has the
departments DEFAULT, Accounts, Marketing, Sales and Warehouse, and extensions 100-115.
"""

from __future__ import annotations

import json

import yaml

from conftest import CLIENT_ID, CLIENT_SECRET, Simulator, save, task_results
from scenarios import (PART_WAY_DOCUMENT, PROBLEM_COUNT, PROBLEM_DOCUMENT, PROBLEM_WORDS, REFERENCE_DOCUMENT,
                       REFERENCE_PROBLEMS)


SECTION_LISTS = sorted("/xapi/v1/" + name for name in ("Groups", "Users", "Queues", "RingGroups", "Holidays",
                                                       "BlackListNumbers"))


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
    assert set(exported(ansible, sim, exclude=["groups"])["config"]) == {"users", "queues", "ring_groups", "holidays", "blocked_numbers"}


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


# --- a second PBX ---------------------------------------------------------------------------------------------

def test_a_round_trip_to_another_pbx_then_a_second_apply_writes_nothing(ansible, sim, tmp_path):
    dest = tmp_path / "pbx.yml"
    source = exported(ansible, sim, dest=str(dest))["config"]
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=5, seed=1) as other:
        target = dict(base_url=other.base_url, src=str(dest), purge=True)
        result = applied(ansible, **target)
        assert result.get("failed") is not True, result
        assert other.writes(), "the other PBX had other departments and users"
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
