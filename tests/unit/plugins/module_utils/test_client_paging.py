# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""XapiClient.get_pages against a local HTTP server: $top/$skip pages, $count, limits and nextLinks."""

from __future__ import annotations

import math

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._client import XapiError
from xapi_testlib import API, json_response, requests_to

DEVICES = API + "/SipDevices"


class Collection:
    """A collection of `size` devices that honours $top, $skip and $count like XAPI."""

    def __init__(self, httpserver, size, honour_top=True):
        self.httpserver = httpserver
        self.items = [{"Id": number, "MacAddress": "805ec0%06x" % number} for number in range(size)]
        self.honour_top = honour_top
        httpserver.expect_request(DEVICES).respond_with_handler(self._handle)

    def _handle(self, request):
        skip = int(request.args.get("$skip", 0))
        top = int(request.args["$top"]) if self.honour_top and "$top" in request.args else 100
        body = {"@odata.context": "%s/$metadata#SipDevices" % API, "value": self.items[skip:skip + top]}
        if request.args.get("$count") == "true":
            body["@odata.count"] = len(self.items)
        return json_response(body)

    @property
    def queries(self):
        return [request.args.to_dict() for request in requests_to(self.httpserver, DEVICES)]


@pytest.fixture
def client(token_server, make_client):
    return make_client()


@pytest.mark.parametrize("size, page_size", [(0, 10), (5, 10), (10, 10), (25, 10), (30, 10), (3, 1), (200, 100)])
def test_n_items_cost_ceil_n_over_page_size_requests_when_count_is_known(httpserver, client, size, page_size):
    collection = Collection(httpserver, size)
    items, total = client.get_pages("SipDevices", page_size=page_size, want_count=True)
    assert items == collection.items
    assert total == size
    pages = max(1, math.ceil(size / page_size))
    assert len(collection.queries) == pages, "no empty page at the end"
    assert [(query["$top"], query["$skip"]) for query in collection.queries] == [
        (str(page_size), str(page * page_size)) for page in range(pages)]


def test_count_is_asked_on_the_first_page_only(httpserver, client):
    collection = Collection(httpserver, 25)
    client.get_pages("SipDevices", query={"$filter": "Vendor eq 'Yealink'"}, page_size=10, want_count=True)
    assert [query.get("$count") for query in collection.queries] == ["true", None, None]
    assert [query["$filter"] for query in collection.queries] == ["Vendor eq 'Yealink'"] * 3


def test_without_count_paging_stops_at_the_first_short_page(httpserver, client):
    collection = Collection(httpserver, 25)
    items, total = client.get_pages("SipDevices", page_size=10)
    assert (items, total) == (collection.items, None)
    assert len(collection.queries) == 3
    assert all("$count" not in query for query in collection.queries)


def test_a_limit_smaller_than_a_page_is_one_request_for_that_many(httpserver, client):
    collection = Collection(httpserver, 50)
    items, total = client.get_pages("SipDevices", page_size=20, limit=5, want_count=True)
    assert (items, total) == (collection.items[:5], 50)
    assert [(query["$top"], query["$skip"]) for query in collection.queries] == [("5", "0")]


def test_a_limit_is_kept_when_the_pbx_ignores_top(httpserver, client):
    collection = Collection(httpserver, 50, honour_top=False)
    items, _total = client.get_pages("SipDevices", page_size=20, limit=5)
    assert items == collection.items[:5]
    assert len(collection.queries) == 1


def test_a_limit_larger_than_a_page_asks_for_the_rest_on_the_last_page(httpserver, client):
    collection = Collection(httpserver, 50)
    items, total = client.get_pages("SipDevices", page_size=20, limit=45, want_count=True)
    assert (items, total) == (collection.items[:45], 50)
    assert [(query["$top"], query["$skip"]) for query in collection.queries] == [
        ("20", "0"), ("20", "20"), ("5", "40")]


def test_a_limit_larger_than_the_collection_stops_at_its_end(httpserver, client):
    collection = Collection(httpserver, 50)
    items, total = client.get_pages("SipDevices", page_size=20, limit=500, want_count=True)
    assert (items, total) == (collection.items, 50)
    assert len(collection.queries) == 3


def test_a_limit_of_zero_sends_nothing(httpserver, client):
    collection = Collection(httpserver, 50)
    assert client.get_pages("SipDevices", page_size=20, limit=0, want_count=True) == ([], None)
    assert collection.queries == []


def test_skip_in_the_query_is_where_paging_starts(httpserver, client):
    collection = Collection(httpserver, 30)
    items, total = client.get_pages("SipDevices", query={"$skip": "10", "$top": "999"}, page_size=10,
                                    want_count=True)
    assert (items, total) == (collection.items[10:], 30)
    assert [(query["$top"], query["$skip"]) for query in collection.queries] == [("10", "10"), ("10", "20")]


# --- @odata.nextLink ------------------------------------------------------------------------------

def linked_pages(httpserver, next_link):
    """Page 1 points on with `next_link`; the page it names is the last, and short."""
    def handle(request):
        if request.args.get("$skiptoken") == "page-2":
            return json_response({"value": [{"Id": 3}]})
        if int(request.args.get("$skip", 0)):
            return json_response({"value": []})
        return json_response({"value": [{"Id": 1}, {"Id": 2}], "@odata.nextLink": next_link})
    httpserver.expect_request(DEVICES).respond_with_handler(handle)


@pytest.mark.parametrize("link", [
    "{api}/SipDevices?$skiptoken=page-2",
    "/xapi/v1/SipDevices?$skiptoken=page-2",
    "SipDevices?$skiptoken=page-2",
], ids=["absolute", "absolute-path", "relative"])
def test_a_next_link_on_the_same_pbx_is_followed(httpserver, client, link):
    linked_pages(httpserver, link.format(api=client.api_url))
    items, _total = client.get_pages("SipDevices", page_size=2)
    assert items == [{"Id": 1}, {"Id": 2}, {"Id": 3}]
    sent = requests_to(httpserver, DEVICES)
    assert [request.method for request in sent] == ["GET", "GET"]
    assert sent[1].args.to_dict() == {"$skiptoken": "page-2"}
    assert sent[1].headers["Authorization"] == sent[0].headers["Authorization"]


@pytest.mark.parametrize("link", [
    "http://pbx.attacker.invalid/xapi/v1/SipDevices?$skiptoken=page-2",
    "http://127.0.0.1:1/xapi/v1/SipDevices?$skiptoken=page-2",
    "https://{hostport}/xapi/v1/SipDevices?$skiptoken=page-2",
    "//pbx.attacker.invalid/xapi/v1/SipDevices?$skiptoken=page-2",
], ids=["other-host", "other-port", "other-scheme", "scheme-relative"])
def test_a_next_link_to_another_server_is_refused(httpserver, client, link):
    link = link.format(hostport="127.0.0.1:%d" % httpserver.port)
    linked_pages(httpserver, link)
    with pytest.raises(XapiError) as caught:
        client.get_pages("SipDevices", page_size=2)
    assert str(caught.value) == "the PBX sent a nextLink to another server (%s); not following it" % link
    assert len(requests_to(httpserver, DEVICES)) == 1


def test_an_answer_without_a_value_list_is_not_a_collection(httpserver, client):
    httpserver.expect_request(DEVICES).respond_with_json({"Id": 1})
    with pytest.raises(XapiError) as caught:
        client.get_pages("SipDevices", query={"$filter": "Id gt 0"})
    url = client.api_url + "/SipDevices"
    assert str(caught.value) == "GET %s: the PBX's answer is not a collection (no 'value' list)" % url
    assert caught.value.to_result() == dict(status=None, method="GET", url=url, pbx_message=None, details=[])


def test_a_pbx_that_sends_more_than_top_costs_no_more_requests_than_it_sends_pages(httpserver, client):
    collection = Collection(httpserver, 150, honour_top=False)  # 100 items a page, whatever $top says
    items, total = client.get_pages("SipDevices", page_size=10, want_count=True)
    assert (items, total) == (collection.items, 150)
    assert [query["$skip"] for query in collection.queries] == ["0", "100"]
