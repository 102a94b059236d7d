# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_config: items a document deletes (state absent) are named by their key alone, as for their module.

The seed (0) has the departments DEFAULT, Accounts, Marketing, Sales and Warehouse, and extensions 100-115.
"""

from __future__ import annotations

from module_runner import run_module, writes

from ansible_collections.threecx.xapi.plugins.modules import threecx_config


def test_an_item_deleted_is_not_held_to_its_references_or_values(pbx, capsys):
    pbx.create("Holidays", {"Name": "Old day", "Day": 1, "Month": 5, "DayEnd": 1, "MonthEnd": 5})
    document = {"users": [{"number": "114", "state": "absent", "groups": [{"name": "Nowhere"}]}],
                "holidays": [{"name": "Old day", "state": "absent", "start_time": "25:00"}]}
    result = run_module(threecx_config, pbx, capsys, config=document)
    assert result.get("failed") is not True, result
    assert [(change["section"], change["action"]) for change in result["changes"]] == [
        ("users", "delete"), ("holidays", "delete")]
    assert "114" not in [user["Number"] for user in pbx.store("Users")]
    assert "Old day" not in [holiday["Name"] for holiday in pbx.store("Holidays")]


def test_a_department_the_document_deletes_cannot_be_referred_to_later(pbx, capsys):
    document = {"groups": [{"name": "Support", "state": "absent"}],
                "users": [{"number": "150", "first_name": "Bob", "groups": [{"name": "Support"}]}]}
    result = run_module(threecx_config, pbx, capsys, config=document)
    assert result["failed"] is True and result["problems"] == [
        "users[0].groups[0].name: Groups has no Name 'Support', on the PBX or earlier in the document"]
    assert writes(pbx) == []
