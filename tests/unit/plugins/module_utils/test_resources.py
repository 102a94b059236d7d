# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource layer: paths and quoting, get-or-none, find-one, lookups, and which calls may be repeated."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._client import Response
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, OperationError, XapiError
from ansible_collections.threecx.xapi.plugins.module_utils._operations import find_operation
from ansible_collections.threecx.xapi.plugins.module_utils._resources import (
    Call,
    Resources,
    declares_count,
    get_or_none_by_operation,
    literal,
    operation_path,
    prepare_call,
    send_call,
)
from fake_pbx import FakePbx


class RecordingClient:
    """Answers every call with `answer` (or raises it), and records (method, path, idempotent)."""

    def __init__(self, answer=None):
        self.answer = answer
        self.calls = []

    def call(self, method, path, query=None, body=None, idempotent=False):
        self.calls.append((method, path, idempotent))
        if isinstance(self.answer, Exception):
            raise self.answer
        return Response(200, self.answer)


@pytest.fixture
def pbx():
    return FakePbx(sets={"Groups": [{"Id": 28, "Name": "O'Brien & Co"}, {"Id": 29, "Name": "Sales"}],
                         "Users": [{"Id": 7, "Number": "100"}]})


def test_paths_type_and_quote_their_keys():
    api = Resources(None)
    assert api.item_path("Users", 12) == "Users(12)"
    assert api.item_path("Users", "12") == "Users(12)"
    assert api.item_path("Users", alternate={"Number": "1'00"}) == "Users(Number='1''00')"
    assert api.item_path("BlackListNumbers", "x y") == "BlackListNumbers('x%20y')"
    with pytest.raises(InputError, match="Users key"):
        api.item_path("Users", "twelve")
    with pytest.raises(OperationError, match="Nowhere"):
        api.item_path("Nowhere", 1)


def test_get_or_none_gives_none_on_404_only(pbx):
    api = Resources(pbx)
    assert api.get_or_none("Users", 7)["Number"] == "100"
    assert api.get_or_none("Users", alternate={"Number": "100"})["Id"] == 7
    assert api.get_or_none("Users", 99) is None
    failing = Resources(RecordingClient(XapiError("boom", status=500)))
    with pytest.raises(XapiError):
        failing.get_or_none("Users", 7)


def test_find_one_filters_with_quotes_doubled(pbx):
    api = Resources(pbx)
    assert api.find_one("Groups", "Name", "O'Brien & Co")["Id"] == 28
    assert pbx.log[-1] == "GET Groups?Name eq 'O''Brien & Co'"
    assert api.find_one("Groups", "Name", "Nobody") is None


def test_find_one_names_the_matches_when_several_fit(pbx):
    pbx.sets["Groups"][30] = {"Id": 30, "Name": "Sales"}
    with pytest.raises(XapiError, match=r"2 Groups have Name 'Sales' \(Id 29, 30\)"):
        Resources(pbx).find_one("Groups", "Name", "Sales")


def test_lookups_list_a_set_once_and_name_the_option_when_unknown(pbx):
    api = Resources(pbx)
    assert api.id_of("Groups", "Name", "Sales", "groups") == 29
    assert api.id_of("Groups", "Name", "O'Brien & Co", "groups") == 28
    assert api.name_of("Groups", "Name", 29) == "Sales"
    with pytest.raises(InputError, match="groups: Groups has no Name 'Support'") as caught:
        api.id_of("Groups", "Name", "Support", "groups")
    assert caught.value.option == "groups"
    assert len(pbx.log) == 1


def test_reads_updates_and_deletes_may_be_repeated_creates_may_not():
    client = RecordingClient({"Id": 1})
    api = Resources(client)
    api.get_or_none("Groups", 1)
    api.update("Groups", 1, {"Name": "x"})
    api.delete("Groups", 1)
    api.create("Groups", {"Name": "x"})
    assert client.calls == [("GET", "Groups(1)", False), ("PATCH", "Groups(1)", True),
                            ("DELETE", "Groups(1)", True), ("POST", "Groups", False)]


def test_a_create_refused_clearly_is_not_looked_up():
    client = RecordingClient(XapiError("taken", status=400))
    with pytest.raises(XapiError, match="taken"):
        Resources(client).create("Groups", {"Name": "x"}, natural_key=("Name", "x"))
    assert [call[0] for call in client.calls] == ["POST"]


def test_a_delete_of_what_is_gone_is_not_a_failure(pbx):
    assert Resources(pbx).delete("Users", 99) is False
    assert Resources(pbx).delete("Users", 7) is True


def test_calls_by_operation_id():
    assert operation_path("GetPhoneRegistrar", mac="805ec0123456") == "/Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')"
    call = prepare_call(operation="GetUser", path_params={"Id": "12"}, query={"$select": "Id"})
    assert (call.method, call.path, call.operation_id) == ("GET", "/Users(12)", "GetUser")
    with pytest.raises(OperationError, match="paginate"):
        prepare_call(operation="GetUser", path_params={"Id": 1}, paginate=True)
    with pytest.raises(OperationError, match="body is not valid JSON"):
        prepare_call(path="/Whatever", method="POST", body="{nope")
    assert get_or_none_by_operation(RecordingClient(XapiError("x", status=404)), "GetPhoneRegistrar", mac="00") is None


def test_a_lookup_may_follow_a_path_such_as_a_trunks_gateway_name():
    class Trunks:
        def __init__(self):
            self.queries = []

        def get_pages(self, path, query=None, **_options):
            self.queries.append((path, query))
            return [{"Id": 3, "Gateway": {"Name": "Provider A"}}, {"Id": 4, "Gateway": {"Name": "Provider B"}}], None

    client = Trunks()
    assert Resources(client).id_of("Trunks", "Gateway/Name", "Provider B", "trunk") == 4
    assert client.queries == [("Trunks", {"$select": "Id,Gateway"})]


def test_a_listing_seeds_the_lookup_and_a_create_adds_to_it(pbx):
    api = Resources(pbx)
    api.remember("Groups", "Name", [{"Id": 29, "Name": "Sales"}])
    assert api.id_of("Groups", "Name", "Sales", "groups") == 29
    assert pbx.log == []
    created = api.create("Groups", {"Name": "Support"})
    # The department just created is found, from the create's answer: no listing again.
    assert api.id_of("Groups", "Name", "Support", "groups") == created["Id"]
    assert [entry.split()[0] for entry in pbx.log] == ["POST"]


def test_a_create_whose_answer_lacks_the_key_makes_the_lookup_list_again():
    client = RecordingClient(None)
    api = Resources(client)
    api.remember("Groups", "Name", [{"Id": 29, "Name": "Sales"}])
    api.create("Groups", {"Name": "Support"})
    assert ("Groups", "Name") not in api._lookups  # pylint: disable=protected-access


def test_an_update_forgets_only_the_lookups_by_a_property_it_changed(pbx):
    api = Resources(pbx)
    api.remember("Groups", "Name", [{"Id": 29, "Name": "Sales"}])
    api.update("Groups", 29, {"Language": "DE"})
    assert api.id_of("Groups", "Name", "Sales", "groups") == 29
    api.update("Groups", 29, {"Name": "Sales EMEA"})
    assert api.id_of("Groups", "Name", "Sales EMEA", "groups") == 29
    assert [entry.split()[0] for entry in pbx.log] == ["PATCH", "PATCH", "GET"]


@pytest.mark.parametrize("natural_key", [None, ("Name", None), ("Name", "")])
def test_a_create_that_failed_unclearly_without_a_key_to_look_by_says_so(pbx, natural_key):
    pbx.fail_create = True
    with pytest.raises(XapiError) as caught:
        Resources(pbx).create("Groups", {"Name": ""}, natural_key=natural_key)
    assert str(caught.value).endswith(
        "the PBX answered with an error; it is not known whether the PBX created the item; look before running again")
    assert caught.value.status == 503 and pbx.writes() == ["POST Groups"]


@pytest.mark.parametrize("natural_key, described", [
    (("Name", "Marketing"), "Name 'Marketing'"),
    ({"Name": "Marketing", "Number": "GRP9"}, "Name 'Marketing', Number 'GRP9'"),
])
def test_a_create_that_failed_unclearly_and_left_nothing_names_what_was_looked_for(pbx, natural_key, described):
    pbx.fail_create = True
    with pytest.raises(XapiError) as caught:
        Resources(pbx).create("Groups", {"Name": "Marketing"}, natural_key=natural_key)
    assert str(caught.value).endswith(
        "the PBX answered with an error; Groups has no item with %s, so nothing was created" % described)
    assert caught.value.status == 503 and caught.value.method == "POST"


@pytest.mark.parametrize("natural_key", [("Name", "Marketing"), {"Name": "Marketing", "Number": "GRP9"}])
def test_a_create_whose_answer_was_lost_gives_the_item_found_by_its_key(pbx, natural_key):
    pbx.lose_create_answer = True
    api = Resources(pbx)
    found = api.create("Groups", {"Name": "Marketing", "Number": "GRP9"}, natural_key=natural_key)
    assert (found["Name"], found["Number"]) == ("Marketing", "GRP9")
    assert pbx.writes() == ["POST Groups"], "never sent twice"


# --- Calls by path or operationId: which operation, and whole messages --------------------------------

@pytest.mark.parametrize("params, operation_id, path", [
    (dict(path="/Users", method="POST", body={"Number": "100"}), "CreateUser", "/Users"),
    (dict(path="Users({Id})", method="PATCH", path_params={"Id": 12}, body={}), "UpdateUser", "/Users(12)"),
    (dict(path="  //Users(12)"), "GetUser", "/Users(12)"),
    (dict(path="XNowhere"), None, "/XNowhere"),
])
def test_a_call_by_path_finds_the_operation_of_its_method(params, operation_id, path):
    call = prepare_call(**params)
    assert (call.operation_id, call.method, call.path) == (operation_id, params.get("method", "GET"), path)


@pytest.mark.parametrize("params, message, option", [
    (dict(operation="GetUser", path_params={"Id": 1}, paginate=True),
     "paginate needs an operation that answers with a collection; GetUser does not", "paginate"),
    (dict(operation="GetUser", method="POST", path_params={"Id": 1}), "method POST does not fit GetUser, which is a GET",
     "method"),
    (dict(path="/Nowhere({Id})", path_params={"Id": 1}),
     "path /Nowhere({Id}) with method GET matches no operation of the spec, so its placeholders cannot be filled", "path"),
    (dict(path="/Users", path_params={"Id": 1}), "path_params fills {placeholders}, and path /Users has none",
     "path_params"),
    (dict(path="/Users", method="POST", body="{nope"),
     "body is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)", "body"),
])
def test_a_call_that_does_not_fit_fails_with_a_whole_message_naming_the_option(params, message, option):
    with pytest.raises(OperationError) as caught:
        prepare_call(**params)
    assert (str(caught.value), caught.value.option) == (message, option)


class Pager:
    """Answers get_pages with `items`, and records each call's arguments."""

    def __init__(self, items=()):
        self.items = list(items)
        self.pages = []

    def get_pages(self, path, query=None, **options):
        self.pages.append(dict(options, path=path, query=query))
        return self.items, 2


def test_a_paginated_call_sends_its_query_page_size_limit_and_count():
    client = Pager([{"Id": 1}])
    call = prepare_call(operation="ListUser", query={"$filter": "Number eq '100'"})
    assert send_call(client, call, paginate=True, page_size=5, limit=7) == {"status": 200, "items": [{"Id": 1}], "count": 2}
    assert client.pages == [dict(path="/Users", query={"$filter": "Number eq '100'"}, page_size=5, limit=7,
                                 want_count=True)]


def test_listings_ask_for_pages_of_500_with_a_count():
    client = Pager([{"Id": 28, "Name": "Sales"}])
    api = Resources(client)
    api.list("Groups", filter="Name eq 'Sales'", select=["Id"], expand=["Members"])
    api.list_operation("ListCountry", select=["CountryCode", "Name"])
    assert client.pages == [
        dict(path="Groups", query={"$filter": "Name eq 'Sales'", "$select": "Id", "$expand": "Members"}, page_size=500,
             want_count=True),
        dict(path="/Countries", query={"$select": "CountryCode,Name"}, page_size=500, want_count=True)]


def test_each_operation_list_is_read_once_and_kept_apart():
    client = Pager([{"CountryCode": "GB"}])
    api = Resources(client)
    assert api.list_operation("ListCountry") == [{"CountryCode": "GB"}]
    client.items = [{"Id": 1}]
    assert api.list_operation("ListUser") == [{"Id": 1}]
    assert api.list_operation("ListCountry") == [{"CountryCode": "GB"}]
    assert [page["path"] for page in client.pages] == ["/Countries", "/Users"]


# --- Lookups kept, learned and forgotten --------------------------------------------------------------

def test_an_unknown_name_in_an_empty_set_says_none_is_known():
    with pytest.raises(InputError) as caught:
        Resources(FakePbx()).id_of("Groups", "Name", "Sales", "groups")
    assert str(caught.value) == "groups: Groups has no Name 'Sales' (known: none)"


def test_several_matches_fail_with_a_whole_message_naming_them(pbx):
    pbx.sets["Groups"][30] = {"Id": 30, "Name": "Sales"}
    with pytest.raises(XapiError) as caught:
        Resources(pbx).find_matching("Groups", {"Name": "Sales", "Number": None})
    assert str(caught.value) == ("2 Groups have Name 'Sales', Number null (Id 29, 30); make it unique on the PBX first")


def test_a_create_adds_to_the_lookups_of_its_own_set_whatever_else_is_kept(pbx):
    api = Resources(pbx)
    api.remember("Users", "Number", [{"Id": 7, "Number": "100"}])
    api.remember("Groups", "Name", [{"Id": 29, "Name": "Sales"}])
    created = api.create("Groups", {"Name": "Support"})
    assert api.id_of("Groups", "Name", "Support", "groups") == created["Id"]
    assert api.id_of("Users", "Number", "100", "users") == 7
    assert pbx.writes() == pbx.log == ["POST Groups"]


def test_a_delete_forgets_the_lookups_of_its_set_only(pbx):
    api = Resources(pbx)
    api.remember("Users", "Number", [{"Id": 7, "Number": "100"}])
    api.remember("Groups", "Name", [{"Id": 29, "Name": "Sales"}])
    api.delete("Groups", 29)
    assert api.id_of("Users", "Number", "100", "users") == 7
    with pytest.raises(InputError, match="Groups has no Name 'Sales'"):
        api.id_of("Groups", "Name", "Sales", "groups")
    assert pbx.log == ["DELETE Groups(29)", "GET Groups?"]


def test_an_update_of_the_first_step_of_a_path_forgets_the_lookup_by_that_path():
    pbx = FakePbx(sets={"Trunks": [{"Id": 3, "Gateway": {"Name": "Provider A"}}]})
    api = Resources(pbx)
    api.remember("Trunks", "Gateway/Name", [{"Id": 3, "Gateway": {"Name": "Provider A"}}])
    api.update("Trunks", 3, {"Gateway": {"Name": "Provider B"}})
    assert api.id_of("Trunks", "Gateway/Name", "Provider B", "trunk") == 3
    assert pbx.log == ["PATCH Trunks(3)", "GET Trunks?"]


def test_an_unclear_create_failure_keeps_everything_the_pbx_said():
    failure = XapiError("the PBX answered with an error", status=503, method="POST", url="https://pbx/xapi/v1/Groups",
                        pbx_message="busy", details=[{"target": "Name", "message": "locked"}], hint="try later")
    with pytest.raises(XapiError) as caught:
        Resources(RecordingClient(failure)).create("Groups", {"Name": "x"})
    error = caught.value
    assert (error.message, error.status, error.method, error.url, error.pbx_message, error.details, error.hint) == (
        "the PBX answered with an error; it is not known whether the PBX created the item; look before running again",
        503, "POST", "https://pbx/xapi/v1/Groups", "busy", [{"target": "Name", "message": "locked"}], "try later")


def test_a_create_whose_answer_was_lost_forgets_the_lookups_of_its_set(pbx):
    pbx.lose_create_answer = True
    api = Resources(pbx)
    api.remember("Groups", "Name", [{"Id": 29, "Name": "Sales"}])
    found = api.create("Groups", {"Name": "Marketing"}, natural_key=("Name", "Marketing"))
    assert api.id_of("Groups", "Name", "Marketing", "groups") == found["Id"]
    assert pbx.log == ["POST Groups", "GET Groups?Name eq 'Marketing'", "GET Groups?"]


def test_counting_is_asked_of_a_collection_that_declares_it_or_of_an_unknown_path():
    assert declares_count(None) is True
    assert declares_count(find_operation("ListUser")) is True
    not_counting = Call(SimpleNamespace(query_params=("$top", "$skip")), "GET", "/Somewhere", {}, None)
    assert declares_count(not_counting.operation) is False
    client = Pager()
    send_call(client, not_counting, paginate=True, page_size=5)
    assert client.pages == [dict(path="/Somewhere", query={}, page_size=5, limit=None, want_count=False)]


@pytest.mark.parametrize("entity_set, key, alternate, message", [
    ("Users", "twelve", None, "Users key must be an integer, such as 12, got 'twelve' (str)"),
    ("Users", None, {"Number": True}, "Users Number must be a string, got True (bool)"),
])
def test_a_key_that_does_not_fit_its_type_fails_naming_it(entity_set, key, alternate, message):
    with pytest.raises(InputError) as caught:
        Resources(None).item_path(entity_set, key, alternate)
    assert str(caught.value) == message


def test_an_unknown_entity_set_is_named():
    with pytest.raises(OperationError) as caught:
        Resources(None).facts("Nowhere")
    assert str(caught.value) == "unknown entity set 'Nowhere'"


def test_filter_literals_are_typed():
    assert [literal(True), literal(False), literal(7), literal(1.5), literal("O'Brien")] == [
        "true", "false", "7", "1.5", "'O''Brien'"]


def test_several_matches_of_a_number_name_it_bare(pbx):
    pbx.sets["Groups"] = {29: {"Id": 29, "Level": 5}, 30: {"Id": 30, "Level": 5}}
    with pytest.raises(XapiError) as caught:
        Resources(pbx).find_matching("Groups", {"Level": 5})
    assert str(caught.value) == "2 Groups have Level 5 (Id 29, 30); make it unique on the PBX first"
