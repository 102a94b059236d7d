# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""run_info: one item by its natural key, or the collection, with member lists expanded by default."""

from __future__ import annotations

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import Field, Members, Resource
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError
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


# --- Whole results, and the requests that make them ---------------------------------------------------

def info_module(resource, **params):
    """A stand-in for the info module of `resource`: every option of its spec unset unless given."""
    module = Module()
    module.params = dict(dict.fromkeys(info_argument_spec(resource)), page_size=100, count=False)
    module.params.update(params)
    return module


USER = Resource("user", entity_set="Users", natural_key=("number", "Number"), fields=[
    Members("groups", "Groups", key=("name", "GroupId"), lookup=("Groups", "Name"), fields={"role": "Rights/RoleName"})])
RULE = Resource("rule", entity_set="InboundRules", fields=[Field("name", "RuleName")], expand=["TrunkDN"],
                natural_key=(("did", "Data"), ("trunk", "TrunkDN/Id", ("Trunks", "Gateway/Name"))))
TRUNKS = [{"Id": 1, "Gateway": {"Name": "Cheap SIP"}}, {"Id": 2, "Gateway": {"Name": "Bridge"}}]
RULES = [{"Id": 5, "Data": "+4420", "TrunkDN": {"Id": 2}, "RuleName": "Main"},
         {"Id": 6, "Data": "+4421", "TrunkDN": {"Id": 2}, "RuleName": "Spare"},
         {"Id": 7, "Data": "+4420", "TrunkDN": {"Id": 1}, "RuleName": "Cheap"}]


def test_an_item_with_an_alternate_key_is_read_by_it_with_its_member_lists():
    alice = {"Id": 7, "Number": "100", "Groups": [{"GroupId": 1, "Rights": {"RoleName": "users"}}]}
    pbx = FakePbx(sets={"Users": [alice]})
    assert run_info(info_module(USER, number="100"), pbx, USER, "users") == {"changed": False, "users": [alice]}
    assert [(call["path"], call["query"]) for call in pbx.calls] == [
        ("Users(Number='100')", {"$expand": "Groups($expand=Rights)"})]


def test_items_named_by_several_properties_are_filtered_by_the_parts_given_lookups_resolved():
    pbx = FakePbx(sets={"Trunks": TRUNKS, "InboundRules": RULES})
    result = run_info(info_module(RULE, trunk="Bridge", select=["RuleName"]), pbx, RULE, "rules")
    assert result == {"changed": False, "rules": [{"RuleName": "Main", "TrunkDN": {"Id": 2}},
                                                  {"RuleName": "Spare", "TrunkDN": {"Id": 2}}]}
    assert [(call["path"], call["query"].get("$filter"), call["query"].get("$expand")) for call in pbx.calls] == [
        ("Trunks", None, None), ("InboundRules", "TrunkDN/Id eq 2", "TrunkDN")]
    both = run_info(info_module(RULE, did="+4420", trunk="Bridge"), pbx, RULE, "rules")
    assert both == {"changed": False, "rules": [RULES[0]]}
    assert pbx.log[-1] == "GET InboundRules?Data eq '+4420' and TrunkDN/Id eq 2"


def test_an_unknown_name_in_a_key_part_fails_naming_its_option():
    with pytest.raises(InputError) as caught:
        run_info(info_module(RULE, trunk="Nope"), FakePbx(sets={"Trunks": TRUNKS}), RULE, "rules")
    assert (str(caught.value), caught.value.option) == (
        "trunk: Trunks has no Gateway/Name 'Nope' (known: Bridge, Cheap SIP)", "trunk")


def test_select_keeps_every_expanded_property_of_one_item_nested_or_by_path():
    sales = dict(GROUPS[0], Members=[{"Number": "100"}], Props={"Thing": 1})
    result = run_info(Module(name="Sales", select=["Name"], expand=["Members($expand=Rights)", "Props/Thing"]),
                      FakePbx(sets={"Groups": [sales]}), GROUP, "groups")
    assert result == {"changed": False, "groups": [{"Name": "Sales", "Members": [{"Number": "100"}], "Props": {"Thing": 1}}]}


class CountingPbx(FakePbx):
    """A PBX that answers every listing with its count, as a real one does when asked for `$count`."""

    def get_pages(self, path, query=None, page_size=100, limit=None, want_count=False):
        items, _count = super().get_pages(path, query, page_size, limit, want_count)
        return items, len(items)


def test_the_collection_sends_its_options_and_gives_the_count_only_when_asked():
    pbx = CountingPbx(sets={"Groups": GROUPS})
    counted = run_info(info_module(GROUP, orderby=["Name"], select=["Name"], count=True), pbx, GROUP, "groups")
    assert counted == {"changed": False, "groups": GROUPS, "count": 2}
    assert pbx.calls[0]["query"] == {"$orderby": "Name", "$select": "Name", "$expand": "Members($expand=Rights)"}
    assert run_info(Module(), pbx, GROUP, "groups") == {"changed": False, "groups": GROUPS}
