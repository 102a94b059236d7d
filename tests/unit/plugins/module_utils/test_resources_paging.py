# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resources.list and list_operation against the simulator: what each listing costs, read from its request log."""

from __future__ import annotations

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._client import XapiClient
from ansible_collections.threecx.xapi.plugins.module_utils._entities import ENTITY_SETS
from ansible_collections.threecx.xapi.plugins.module_utils._operations import find_operation
from ansible_collections.threecx.xapi.plugins.module_utils._resources import Resources
from module_runner import SIM_CLIENT_ID, SIM_CLIENT_SECRET, api_requests, query_of

BLOCKED = "BlackListNumbers"
SIZE = 10


@pytest.fixture
def api(pbx):
    client = XapiClient(pbx.base_url, client_id=SIM_CLIENT_ID, client_secret=SIM_CLIENT_SECRET, token_cache=False)
    yield Resources(client)
    client.close()


@pytest.fixture
def blocked_numbers(pbx):
    """Exactly SIZE blocked numbers on the PBX: the seed's, and more created outside the log."""
    held = len(pbx.store(BLOCKED))
    assert held < SIZE, "the seed holds %d blocked numbers" % held
    pbx.create(BLOCKED, *({"CallerId": "+44 20 7946 %04d" % n, "Description": "test %d" % n} for n in range(SIZE - held)))
    assert len(pbx.store(BLOCKED)) == SIZE
    pbx.clear_log()


@pytest.mark.parametrize("pages", [1, 2])
def test_a_set_of_exactly_n_pages_costs_n_requests(pbx, api, blocked_numbers, pages):
    page_size = SIZE // pages
    items = api.list(BLOCKED, page_size=page_size)
    assert sorted(item["Id"] for item in items) == sorted(item["Id"] for item in pbx.store(BLOCKED))
    # The first page asks for $count, which tells that the last page has come: no empty page after it.
    assert [(entry["path"], query_of(entry)) for entry in api_requests(pbx)] == [
        ("/xapi/v1/" + BLOCKED, dict({"$top": str(page_size), "$skip": str(page * page_size)},
                                     **({"$count": "true"} if page == 0 else {})))
        for page in range(pages)]


def test_a_filtered_listing_counts_what_the_filter_selects(pbx, api, blocked_numbers):
    wanted = "+44 20 7946 0000"
    items = api.list(BLOCKED, filter="CallerId eq '%s'" % wanted, page_size=1)
    assert [item["CallerId"] for item in items] == [wanted]
    assert [query_of(entry) for entry in api_requests(pbx)] == [
        {"$filter": "CallerId eq '%s'" % wanted, "$top": "1", "$skip": "0", "$count": "true"}]


def test_an_operations_list_of_exactly_one_page_costs_one_request(pbx, api):
    everything = api.list_operation("ListCountry", page_size=500)
    pbx.clear_log()
    again = Resources(api.client).list_operation("ListCountry", page_size=len(everything))
    assert again == everything
    assert [query_of(entry) for entry in api_requests(pbx)] == [
        {"$top": str(len(everything)), "$skip": "0", "$count": "true"}]


def test_every_listable_set_declares_count_so_that_list_may_ask_for_it():
    """Resources.list asks every set for $count: a PBX answers 400 to a query option an operation does not take."""
    listed = [facts["operations"]["list"] for facts in ENTITY_SETS.values() if "list" in facts["operations"]]
    assert len(listed) > 30
    assert [operation for operation in listed if "$count" not in find_operation(operation).query_params] == []
