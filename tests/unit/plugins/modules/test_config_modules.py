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
from module_runner import run_module, writes
from scenarios import (PART_WAY_DOCUMENT, PROBLEM_COUNT, PROBLEM_DOCUMENT, PROBLEM_WORDS, REFERENCE_DOCUMENT,
                       REFERENCE_PROBLEMS)

from ansible_collections.threecx.xapi.plugins.modules import threecx_config, threecx_config_export


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
    assert writes(pbx) == []

    text = dest.read_text()
    pbx.clear_log()
    again = exported(pbx, capsys, dest=str(dest))
    assert again["changed"] is False and dest.read_text() == text, "two exports of an unchanged PBX are identical"

    result = applied(pbx, capsys, src=str(dest))
    assert result.get("failed") is not True, result
    assert result["changed"] is False and result["changes"] == [] and writes(pbx) == []


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
    assert result["failure"]["key"] == "150" and "400" in result["failure"]["error"]
    assert result["changed"] is True, "the department was created before the failure"
    assert result["msg"].startswith("users 150 failed: ") and "400" in result["msg"]
    assert result["msg"].endswith(". Done before it: 1 change; not attempted: 2 items. "
                                  "Fix it and run again: what was done is not repeated.")
    assert result["not_attempted"] == [{"section": "users", "key": "151"}, {"section": "users", "key": "152"}]
    assert writes(pbx) == [("POST", "/xapi/v1/Groups"), ("POST", "/xapi/v1/Users")]

    pbx.clear_log()
    result = applied(pbx, capsys, config=document)
    assert result.get("failed") is not True, result
    assert [(change["key"], change["action"]) for change in result["changes"]] == [
        ("150", "create"), ("151", "create"), ("152", "create")]
    assert writes(pbx) == [("POST", "/xapi/v1/Users")] * 3
