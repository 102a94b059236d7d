# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""run_info: one item by its natural key, or the collection, with member lists expanded by default."""

from __future__ import annotations

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import Field, Members, Resource
from ansible_collections.threecx.xapi.plugins.module_utils._info import info_argument_spec, info_module_kwargs, run_info

from fake_pbx import FakePbx

GROUP = Resource("group", entity_set="Groups", natural_key=("name", "Name"), fields=[
    Field("language", "Language"),
    Members("members", "Members", key=("number", "Number"), fields={"role": "Rights/RoleName"}),
])
GROUPS = [{"Id": 1, "Name": "Sales", "Language": "de", "Number": "GRP1"},
          {"Id": 2, "Name": "O'Brien & Co", "Language": "en", "Number": "GRP2"}]


class Module:
    def __init__(self, **params):
        self.params = dict(dict.fromkeys(info_argument_spec(GROUP)), page_size=100, count=False, **params)


def test_one_item_by_its_natural_key_with_quotes_doubled():
    pbx = FakePbx(sets={"Groups": GROUPS})
    result = run_info(Module(name="O'Brien & Co"), pbx, GROUP, "groups")
    assert [group["Id"] for group in result["groups"]] == [2]
    assert result["changed"] is False
    assert pbx.log == ["GET Groups?Name eq 'O''Brien & Co'"]


def test_an_unknown_item_is_an_empty_list_not_a_failure():
    assert run_info(Module(name="Nobody"), FakePbx(sets={"Groups": GROUPS}), GROUP, "groups")["groups"] == []


def test_select_keeps_the_selected_and_expanded_properties_of_one_item():
    result = run_info(Module(name="Sales", select=["Name"]), FakePbx(sets={"Groups": GROUPS}), GROUP, "groups")
    assert result["groups"] == [{"Name": "Sales"}]


def test_the_collection_expands_member_lists_unless_told_otherwise():
    seen = []

    class Recording(FakePbx):
        def get_pages(self, path, query=None, page_size=100, limit=None, want_count=False):
            seen.append(dict(query or {}))
            return super().get_pages(path, query, page_size, limit, want_count)

    pbx = Recording(sets={"Groups": GROUPS})
    assert [group["Name"] for group in run_info(Module(), pbx, GROUP, "groups")["groups"]] == ["Sales", "O'Brien & Co"]
    run_info(Module(expand=[]), pbx, GROUP, "groups")
    assert seen[0].get("$expand") == "Members($expand=Rights)" and "$expand" not in seen[1]


def test_the_natural_key_excludes_the_collection_options():
    assert set(info_argument_spec(GROUP)) >= {"name", "filter", "search", "orderby", "top", "skip", "select",
                                              "expand", "count", "page_size"}
    assert [pair for pair in info_module_kwargs(GROUP)["mutually_exclusive"] if pair[0] == "name"] == [
        ("name", "filter"), ("name", "search"), ("name", "orderby"), ("name", "top"), ("name", "skip")]
