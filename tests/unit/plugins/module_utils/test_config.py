# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The document's checks and its YAML form; the apply and export themselves run against the simulator
(tests/integration/test_config.py)."""

from __future__ import annotations

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils import _config
from ansible_collections.threecx.xapi.plugins.module_utils._config import (
    SECTIONS,
    check_document,
    load_document,
    to_yaml,
    write_if_changed,
)
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, ThreecxError


def test_sections_come_in_dependency_order_and_check_items_with_their_modules_specs():
    assert [section.name for section in SECTIONS] == ["groups", "users", "queues", "ring_groups", "holidays",
                                                      "office_hours", "blocked_numbers", "contacts", "outbound_rules",
                                                      "inbound_rules"]
    users = next(section for section in SECTIONS if section.name == "users")
    assert {"number", "groups", "purge_groups", "pin", "update_password", "state", "properties"} <= set(
        users.argument_spec)


def test_a_good_document_is_planned_in_dependency_order_with_the_modules_defaults():
    plan = check_document({"users": [{"number": "100"}], "groups": [{"name": "Sales"}]})
    assert [section.name for section, _items in plan.sections] == ["groups", "users"]
    (path, params), = plan.sections[1][1]
    assert path == "users[0]" and params["state"] == "present"
    assert params["purge_groups"] is None, "not given: a merge, as false, but told apart from false for purge"
    (_path, params), = check_document({"users": [{"number": "100", "purge_groups": False}]}).sections[0][1]
    assert params["purge_groups"] is False


def test_every_problem_is_reported_at_once_with_its_path():
    with pytest.raises(InputError) as caught:
        check_document({"nope": [], "users": [{"number": "1", "colour": "red"}, {"number": "1"},
                                              {"number": "2", "groups": [{"role": "users"}]}],
                        "queues": [{"number": "800", "managers": "x", "ring_timeout": "soon"}]})
    problems = caught.value.to_result()["problems"]
    assert problems[0].startswith("nope: unknown section")
    assert any(problem.startswith("users[0].colour: unknown option") for problem in problems)
    assert "users[1].number: number '1' is also users[0]" in problems
    assert "users[2].groups[0].name: required, but not given" in problems
    assert any(problem.startswith("queues[0]: ") and "ring_timeout" in problem for problem in problems)
    assert len(problems) == 5, problems


def test_read_only_properties_are_refused_by_the_engine_check():
    with pytest.raises(InputError, match=r"users\[0\]: properties: IsRegistered"):
        check_document({"users": [{"number": "1", "properties": {"IsRegistered": True}}]})


def test_yaml_is_stable_and_written_only_when_it_changes(tmp_path):
    document = {"users": [{"number": "100", "last_name": "B", "first_name": "A"}], "groups": [{"name": "S"}]}
    text = to_yaml(document)
    assert text == to_yaml({"groups": [{"name": "S"}], "users": [{"first_name": "A", "last_name": "B", "number": "100"}]})
    assert text.index("groups") < text.index("users") and text.index("first_name") < text.index("number")
    path = tmp_path / "pbx.yml"
    assert write_if_changed(str(path), text) is True
    assert write_if_changed(str(path), text) is False
    assert write_if_changed(str(path), text + "# x\n", check_mode=True) is True and path.read_text() == text


def section(name):
    return next(section for section in SECTIONS if section.name == name)


def problems_of(document):
    with pytest.raises(InputError) as caught:
        check_document(document)
    return caught.value.to_result()["problems"]


def test_a_problem_in_a_nested_list_names_the_index_of_each_list():
    problems = problems_of({
        "users": [{"number": "1"}, {"number": "2"}, {"number": "3"},
                  {"number": "4", "groups": [{"role": "users"}, {"name": "Sales", "colour": "red"}]}],
        "outbound_rules": [{"name": "Out", "routes": [{"trunk": "A"}, {"strip_digits": "many"}]}],
        "office_hours": {"hours": {"Periods": [{"DayOfWeek": "Monday", "Start": "09:00", "Stop": "17:00"},
                                               {"DayOfWeek": "Someday", "Start": "09:00", "Stop": "17:00"}]}},
    })
    assert "users[3].groups[0].name: required, but not given" in problems
    assert any(problem.startswith("users[3].groups[1].colour: unknown option (known: name, role)")
               for problem in problems), problems
    assert "outbound_rules[0].routes[1].trunk: required, but not given" in problems
    assert any(problem.startswith("outbound_rules[0].routes[1]: ") and "strip_digits" in problem
               for problem in problems), problems
    assert any(problem.startswith("office_hours.hours.Periods[1]: ") and "Someday" in problem
               for problem in problems), problems
    assert len(problems) == 5, problems


def test_a_nested_item_is_converted_to_its_suboptions_types_as_its_module_does():
    plan = check_document({"outbound_rules": [{"name": "Out", "routes": [{"trunk": "A", "strip_digits": "2"}]}]})
    (_path, params), = plan.sections[0][1]
    assert params["routes"] == [{"trunk": "A", "strip_digits": 2, "prepend": None, "append": None, "caller_id": None}]


def test_values_the_engine_converts_are_checked_before_any_request():
    problems = problems_of({
        "holidays": [{"name": "Late", "start_time": "25:00"}],
        "outbound_rules": [{"name": "Many", "routes": [{"trunk": "A"}] * 6}],
        "inbound_rules": [{"did": "1", "trunk": "A", "office_hours_destination": {"type": "Extension"}}],
    })
    assert problems[0].startswith("holidays[0].start_time: '25:00' is not a time of day"), problems
    assert problems[1].startswith("outbound_rules[0].routes: an outbound rule has at most 5 routes"), problems
    assert problems[2].startswith("inbound_rules[0].office_hours_destination: a destination of type Extension "
                                  "needs a number"), problems
    assert len(problems) == 3


def test_contacts_are_named_by_all_three_names_together():
    contacts = section("contacts")
    assert contacts.key_of({"first_name": "Ann", "last_name": "", "company_name": "Contoso"}) == ("Ann", None, "Contoso")
    assert contacts.shown_key(("Ann", None, "Contoso")) == {"first_name": "Ann", "company_name": "Contoso"}
    assert contacts.label(("Ann", None, "Contoso")) == "contacts first_name=Ann, company_name=Contoso"
    problems = problems_of({"contacts": [
        {"first_name": "Ann", "company_name": "Contoso"},
        {"first_name": "Ann", "company_name": "Fabrikam"},
        {"first_name": "Ann", "last_name": "", "company_name": "Contoso", "email": "ann@example.com"},
        {"email": "nobody@example.com"},
        {"email": "nobody@example.com"},
    ]})
    assert problems == [
        "contacts[2]: first_name 'Ann', last_name None, company_name 'Contoso' name contacts[0] too",
        "contacts[3]: give at least one of first_name, last_name, company_name: together they name the item",
        "contacts[4]: give at least one of first_name, last_name, company_name: together they name the item"]


def test_export_sorts_items_by_every_part_of_their_key():
    contacts = section("contacts")
    items = [{"first_name": "Ann", "last_name": "Lee"}, {"first_name": "Ann"}, {"company_name": "Contoso"},
             {"first_name": "Ann", "last_name": "Kim"}]
    assert sorted(items, key=contacts.sort_key) == [
        {"company_name": "Contoso"}, {"first_name": "Ann"}, {"first_name": "Ann", "last_name": "Kim"},
        {"first_name": "Ann", "last_name": "Lee"}]


def test_office_hours_is_one_mapping_with_its_modules_options_only():
    plan = check_document({"office_hours": {"time_zone_id": "51"}})
    (office_hours, [(path, params)]), = plan.sections
    assert office_hours.singleton and path == "office_hours" and params["time_zone_id"] == "51"
    assert "state" not in office_hours.argument_spec and "properties" not in office_hours.argument_spec
    assert problems_of({"office_hours": [{"time_zone_id": "51"}]}) == [
        "office_hours: must be a mapping of office_hours options"]
    assert problems_of({"office_hours": {"state": "absent"}})[0].startswith("office_hours.state: unknown option")


def test_yaml_keeps_unicode_long_lines_and_block_style():
    title = " ".join(["word"] * 22)  # 109 characters: one line at a width of 120
    text = to_yaml({"queues": [{"number": "800", "managers": ["100", "101"]}],
                    "contacts": [{"first_name": "Zoë", "title": title}], "groups": []})
    assert text == ("contacts:\n- first_name: Zoë\n  title: %s\ngroups: []\n"
                    "queues:\n- managers:\n  - '100'\n  - '101'\n  number: '800'\n" % title)


def test_a_file_that_cannot_be_read_or_written_fails_naming_dest(tmp_path):
    with pytest.raises(InputError) as caught:
        write_if_changed(str(tmp_path), "text")
    assert str(caught.value).startswith("dest: cannot read %s: " % tmp_path)
    assert caught.value.option == "dest"
    missing = tmp_path / "nowhere" / "pbx.yml"
    assert write_if_changed(str(missing), "text", check_mode=True) is True
    with pytest.raises(InputError) as caught:
        write_if_changed(str(missing), "text")
    assert str(caught.value) == "dest: cannot write %s: [Errno 2] No such file or directory: %r" % (missing, str(missing))


def test_a_document_file_is_read_as_yaml_and_an_empty_one_is_empty(tmp_path):
    path = tmp_path / "pbx.yml"
    path.write_text("groups:\n- name: Zoë\n", encoding="utf-8")
    assert load_document(str(path)) == {"groups": [{"name": "Zoë"}]}
    path.write_text("", encoding="utf-8")
    assert load_document(str(path)) == {}
    path.write_text("groups: [", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_document(str(path))
    assert str(caught.value).startswith("src: cannot read %s as YAML: while parsing a flow node" % path)
    with pytest.raises(InputError) as caught:
        load_document(str(tmp_path / "missing.yml"))
    assert str(caught.value) == "src: cannot read %s as YAML: [Errno 2] No such file or directory: %r" % (
        tmp_path / "missing.yml", str(tmp_path / "missing.yml"))


def test_without_pyyaml_a_document_file_fails_saying_so(monkeypatch, tmp_path):
    monkeypatch.setattr(_config, "HAS_YAML", False)
    expected = "PyYAML is needed to read or write a document file (it comes with ansible-core)"
    for call in (lambda: to_yaml({}), lambda: load_document(str(tmp_path / "pbx.yml"))):
        with pytest.raises(ThreecxError) as caught:
            call()
        assert str(caught.value) == expected


def test_a_document_that_is_no_mapping_or_whose_section_is_no_list_is_refused():
    with pytest.raises(InputError) as caught:
        check_document(["users"])
    assert str(caught.value) == ("config must be a mapping of sections (groups, users, queues, ring_groups, holidays, "
                                 "office_hours, blocked_numbers, contacts, outbound_rules, inbound_rules)")
    assert problems_of({"users": {"number": "100"}, "groups": "Sales"}) == [
        "groups: must be a list of items", "users: must be a list of items"]


def test_an_empty_section_is_an_empty_list_and_an_empty_office_hours_changes_nothing():
    plan = check_document({"users": None, "groups": [], "office_hours": None})
    assert [(section.name, items) for section, items in plan.sections] == [
        ("groups", []), ("users", []), ("office_hours", [("office_hours", {
            "hours": None, "break_time": None, "time_zone_id": None, "system_language": None})])]


def test_a_key_given_as_a_list_or_mapping_is_no_crash():
    """Ansible turns such a value into its text, so these items are valid; their raw keys cannot be compared."""
    plan = check_document({"users": [{"number": ["1"]}, {"number": ["2"]}], "groups": [{"name": {"a": 1}}]})
    assert [[params[section.key_options[0]] for _path, params in items] for section, items in plan.sections] == [
        ["{'a': 1}"], ["['1']", "['2']"]]


def test_a_value_of_the_wrong_type_is_reported_in_ansibles_words_after_its_path():
    (problem,) = problems_of({"users": [{"number": "102", "enabled": "perhaps"}]})
    assert problem.startswith("users[0]: argument 'enabled' is of type "), problem
    assert "unable to convert to bool: The value 'perhaps' is not a valid boolean" in problem, problem


def test_section_names_of_any_type_are_each_reported_and_the_problems_name_config():
    with pytest.raises(InputError) as caught:
        check_document({1: [], "zz": [], "users": []})
    assert caught.value.option == "config"
    known = ("groups, users, queues, ring_groups, holidays, office_hours, blocked_numbers, contacts, outbound_rules, "
             "inbound_rules")
    assert caught.value.to_result()["problems"] == ["1: unknown section (known: %s)" % known,
                                                    "zz: unknown section (known: %s)" % known]


def test_yaml_folds_a_long_text_past_120_characters():
    title = "x" * 110 + " a tail"  # "- title: " and the text up to " a" are 121 characters
    assert to_yaml({"contacts": [{"title": title}]}) == "contacts:\n- title: %s a\n    tail\n" % ("x" * 110)
