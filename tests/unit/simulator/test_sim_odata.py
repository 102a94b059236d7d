# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OData query options on the simulator's SipDevices: $filter, $orderby, $select, $expand, $search, paging."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies

import xapi_model
import xapi_odata
import xapi_seed
from simulator_testlib import odata_error

DEVICES = xapi_seed.devices(50, 0)  # what the simulator serves for --devices 50 --seed 0


def ids(devices):
    return [device["Id"] for device in devices]


def expected(predicate):
    return [device["Id"] for device in DEVICES if predicate(device)]


def vendor(device):
    return device["Registrar"]["Vendor"]


FILTERS = [
    ("Id eq 7", lambda d: d["Id"] == 7),
    ("Id ne 7", lambda d: d["Id"] != 7),
    ("Id gt 45", lambda d: d["Id"] > 45),
    ("Id ge 45", lambda d: d["Id"] >= 45),
    ("Id lt 4", lambda d: d["Id"] < 4),
    ("Id le 4", lambda d: d["Id"] <= 4),
    ("Id gt 10 and Id lt 15", lambda d: 10 < d["Id"] < 15),
    ("Id lt 3 or Id gt 48", lambda d: d["Id"] < 3 or d["Id"] > 48),
    ("not (Id lt 48)", lambda d: d["Id"] >= 48),
    ("(Id lt 3 or Id gt 48) and Registrar/Vendor eq 'Yealink'",
     lambda d: (d["Id"] < 3 or d["Id"] > 48) and vendor(d) == "Yealink"),
    ("Registrar/Vendor eq 'Yealink'", lambda d: vendor(d) == "Yealink"),
    ("Registrar/Model eq 'T46U'", lambda d: d["Registrar"]["Model"] == "T46U"),
    ("Registrar/IpAddress eq null", lambda d: d["Registrar"]["IpAddress"] is None),
    ("Registrar/FirmwareAvailable ne null", lambda d: d["Registrar"]["FirmwareAvailable"] is not None),
    ("contains(Registrar/UserAgent,'SIP-T5')", lambda d: "SIP-T5" in (d["Registrar"]["UserAgent"] or "")),
    ("startswith(Registrar/MAC,'805ec0')", lambda d: d["Registrar"]["MAC"].startswith("805ec0")),
    ("endswith(ProvLink,'.cfg')", lambda d: True),
    ("tolower(Registrar/Vendor) eq 'snom'", lambda d: vendor(d) == "Snom"),
    ("toupper(Registrar/Model) eq 'X4U'", lambda d: d["Registrar"]["Model"] == "X4U"),
    ("DN/Number eq '101'", lambda d: d["DN"]["Number"] == "101"),
    ("contains(tolower(DN/Name),'o''brien')", lambda d: "o'brien" in d["DN"]["Name"].lower()),
    ("DN/Hidden eq false", lambda d: True),
    ("DN/Type eq 'Extension'", lambda d: True),
    ("Registrar/Capabilities ge 23", lambda d: d["Registrar"]["Capabilities"] >= 23),
    ("Registrar/Vendor in ('Snom','Fanvil')", lambda d: vendor(d) in ("Snom", "Fanvil")),
    ("Id add 1 eq 3", lambda d: d["Id"] == 2),
    ("length(Registrar/Model) eq 3", lambda d: len(d["Registrar"]["Model"]) == 3),
    ("DN/MemberOf/any(g: g/Name eq 'DEFAULT')", lambda d: True),
    ("Registrar/UserAgent gt 'Y'", lambda d: (d["Registrar"]["UserAgent"] or "") > "Y"),
]


@pytest.mark.parametrize("text, predicate", FILTERS, ids=[text for text, _predicate in FILTERS])
def test_filter(client, text, predicate):
    wanted = expected(predicate)
    assert wanted or text.startswith("contains(tolower(DN/Name)"), "the seed data should make each case meaningful"
    assert ids(client.value("SipDevices", {"$filter": text})) == wanted


def test_filter_with_plus_for_spaces_and_encoded_dollar(client):
    devices = client.value("SipDevices", raw_query="%24filter=Registrar%2FVendor+eq+%27Snom%27")
    assert ids(devices) == expected(lambda d: vendor(d) == "Snom")


BAD_FILTERS = [
    "Registrar/Vendor eq",
    "Id eq 'a",
    "NoSuchField eq 1",
    "Registrar/NoSuch eq 'x'",
    "Id eq 'seven'",
    "Registrar/Vendor gt 5",
    "Id",
    "Registrar/Vendor",
    "contains(Id,'1')",
    "foo(Id)",
    "matchesPattern(Registrar/Vendor,'Y.*')",
    "Registrar eq 'x'",
    "Id eq @p",
    "",
    "DN/Tags eq 'MS'",
    "not Id",
    "Id eq 1 and",
    "((Id eq 1)",
]


@pytest.mark.parametrize("text", BAD_FILTERS)
def test_bad_filter_is_400_never_500(client, text):
    odata_error(client.get("SipDevices", {"$filter": text}), 400)


@settings(max_examples=60, deadline=None, database=None)
@given(strategies.text(alphabet="IdReg/ VnorqtlgeacsNum()'0123456789,.-", max_size=40))
def test_any_filter_text_is_a_result_or_an_odata_error(text):
    """Fuzzed text goes through the same parser and checker: a predicate or ODataError, never another exception."""
    try:
        predicate = xapi_odata.compile_filter(text, xapi_model.SIP_DEVICE)
    except xapi_odata.ODataError as error:
        assert error.status == 400
        return
    for device in DEVICES:
        assert predicate(device) in (True, False)


def test_orderby_several_keys_and_directions(client):
    devices = client.value("SipDevices", {"$orderby": "Registrar/Vendor desc,Registrar/Model,Id desc"})
    keys = [(device["Registrar"]["Vendor"], device["Registrar"]["Model"], device["Id"]) for device in devices]
    assert len(keys) == 50
    by_vendor_desc = sorted(keys, key=lambda key: (key[1], -key[2]))
    by_vendor_desc.sort(key=lambda key: key[0], reverse=True)
    assert keys == by_vendor_desc


def test_orderby_navigation_path_and_nulls_first(client):
    by_number = client.value("SipDevices", {"$orderby": "DN/Number desc", "$expand": "DN"})
    numbers = [device["DN"]["Number"] for device in by_number]
    assert numbers == sorted(numbers, reverse=True)
    by_address = client.value("SipDevices", {"$orderby": "Registrar/IpAddress"})
    nulls = sum(1 for device in by_address if device["Registrar"]["IpAddress"] is None)
    assert nulls and all(device["Registrar"]["IpAddress"] is None for device in by_address[:nulls])


@pytest.mark.parametrize("text", ["NoSuch", "Id sideways", "Registrar", "DN", "Id asc desc", "DN/Tags", ""])
def test_bad_orderby_is_400(client, text):
    odata_error(client.get("SipDevices", {"$orderby": text}), 400)


def test_select_properties_and_complex_paths(client):
    devices = client.value("SipDevices", {"$select": "Id,Registrar/Model,Registrar/MAC", "$top": 3})
    assert devices == [{"Id": d["Id"], "Registrar": {"Model": d["Registrar"]["Model"], "MAC": d["Registrar"]["MAC"]}}
                       for d in DEVICES[:3]]


def test_select_with_expand_and_nested_options(client):
    devices = client.value("SipDevices", {"$select": "Id", "$expand": "DN($select=Number,Name)", "$top": 2})
    assert devices == [{"Id": d["Id"], "DN": {"Number": d["DN"]["Number"], "Name": d["DN"]["Name"]}} for d in DEVICES[:2]]


def test_nested_expand_of_a_collection(client):
    devices = client.value("SipDevices", {"$expand": "DN($expand=MemberOf($select=Name))", "$top": 1})
    assert devices[0]["DN"]["MemberOf"] == [{"Name": "DEFAULT"}]


def test_select_star_and_expand_star(client):
    device = client.value("SipDevices", {"$select": "*", "$expand": "*", "$top": 1})[0]
    assert set(device) == {"Id", "PhoneWebPassword", "ProvLink", "Registrar", "DN"}


@pytest.mark.parametrize("params", [{"$select": "NoSuch"}, {"$select": "Registrar/NoSuch"}, {"$select": "Id,"},
                                    {"$expand": "NoSuch"}, {"$expand": "DN($top=1)"}, {"$expand": "DN($select=NoSuch)"},
                                    {"$expand": "DN("}])
def test_bad_select_and_expand_are_400(client, params):
    odata_error(client.get("SipDevices", params), 400)


def test_search_is_a_case_insensitive_phrase(client):
    name = DEVICES[4]["DN"]["Name"]
    wanted = expected(lambda d: name.lower() in d["DN"]["Name"].lower())
    assert ids(client.value("SipDevices", {"$search": '"%s"' % name.upper()})) == wanted
    assert ids(client.value("SipDevices", {"$search": name.lower()})) == wanted
    assert ids(client.value("SipDevices", raw_query="$search=%s" % name.replace(" ", "+"))) == wanted


def test_search_unescapes_quotes_and_covers_complex_values(client):
    assert ids(client.value("SipDevices", {"$search": '"SIP-T46U"'})) == expected(
        lambda d: "sip-t46u" in (d["Registrar"]["UserAgent"] or "").lower())
    assert client.value("SipDevices", {"$search": '"say \\"hi\\""'}) == []


@pytest.mark.parametrize("top, skip", [(5, 0), (5, 45), (10, 48), (0, 0), (3, 60), (100, 0)])
def test_top_and_skip(client, top, skip):
    assert ids(client.value("SipDevices", {"$top": top, "$skip": skip})) == ids(DEVICES)[skip:skip + top]


@pytest.mark.parametrize("params", [{"$top": "-1"}, {"$skip": "-3"}, {"$top": "1.5"}, {"$top": "abc"}, {"$skip": ""},
                                    {"$top": " 1"}, {"$count": "yes"}, {"$unknown": "1"}])
def test_bad_paging_options_are_400(client, params):
    odata_error(client.get("SipDevices", params), 400)


def test_the_same_option_twice_is_400(client):
    odata_error(client.get("SipDevices", raw_query="$top=1&%24top=2"), 400)


def test_custom_query_options_are_ignored(client):
    assert len(client.value("SipDevices", {"debug": "1"})) == 50


def test_count_is_after_filter_and_before_paging(client):
    document = client.get("SipDevices", {"$filter": "Registrar/Vendor eq 'Yealink'", "$count": "true", "$top": 2,
                                         "$skip": 1}).json()
    yealink = expected(lambda d: vendor(d) == "Yealink")
    assert document["@odata.count"] == len(yealink)
    assert ids(document["value"]) == yealink[1:3]
    assert "@odata.count" not in client.get("SipDevices", {"$count": "false"}).json()


@settings(max_examples=25, deadline=None, database=None)
@given(top=strategies.integers(0, 60), skip=strategies.integers(0, 60), threshold=strategies.integers(0, 51))
def test_paging_equals_slicing(top, skip, threshold):
    """The options applied in-process to the seed data agree with plain Python."""
    options = xapi_odata.QueryOptions.parse({"$top": str(top), "$skip": str(skip), "$filter": "Id gt %d" % threshold,
                                             "$orderby": "Id desc"}, xapi_model.SIP_DEVICE, xapi_odata.COLLECTION_OPTIONS)
    page, count = xapi_odata.apply_collection(list(DEVICES), options)
    wanted = sorted((d["Id"] for d in DEVICES if d["Id"] > threshold), reverse=True)
    assert count == len(wanted)
    assert ids(page) == wanted[skip:skip + top]
