# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The document's checks and its YAML form; the apply and export themselves run against the simulator
(tests/integration/test_config.py)."""

from __future__ import annotations

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._config import (
    SECTIONS,
    check_document,
    to_yaml,
    write_if_changed,
)
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError


def test_sections_come_in_dependency_order_and_check_items_with_their_modules_specs():
    assert [section.name for section in SECTIONS] == ["groups", "users", "queues", "ring_groups", "holidays",
                                                      "blocked_numbers"]
    users = next(section for section in SECTIONS if section.name == "users")
    assert {"number", "groups", "purge_groups", "pin", "update_password", "state", "properties"} <= set(
        users.argument_spec)


def test_a_good_document_is_planned_in_dependency_order_with_the_modules_defaults():
    plan = check_document({"users": [{"number": "100"}], "groups": [{"name": "Sales"}]})
    assert [section.name for section, _items in plan.sections] == ["groups", "users"]
    (path, params), = plan.sections[1][1]
    assert path == "users[0]" and params["state"] == "present" and params["purge_groups"] is False


def test_every_problem_is_reported_at_once_with_its_path():
    with pytest.raises(InputError) as caught:
        check_document({"nope": [], "users": [{"number": "1", "colour": "red"}, {"number": "1"},
                                              {"number": "2", "groups": [{"role": "users"}]}],
                        "queues": [{"number": "800", "managers": "x", "ring_timeout": "soon"}]})
    problems = caught.value.to_result()["problems"]
    assert problems[0].startswith("nope: unknown section")
    assert any(problem.startswith("users[0].colour: unknown option") for problem in problems)
    assert "users[1].number: number '1' is also users[0]" in problems
    assert any(problem.startswith("users[2]: ") and "name" in problem for problem in problems)
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
