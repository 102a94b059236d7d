# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_xapi run in-process against the simulator (with the spec, for the generated operations)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible_collections.threecx.xapi.plugins.modules import threecx_xapi
from module_runner import MASK, api_requests, held, query_of, run_module
from prerequisites import spec_path_or_skip


@pytest.fixture
def spec_pbx(pbx_process):
    spec_path_or_skip(pbx_process.spec)
    pbx_process.reset()
    pbx_process.wait_for_spec()
    return pbx_process


def test_an_entity_by_operation_id_with_select(spec_pbx, capsys):
    before = held(spec_pbx, "LicenseStatus")
    result = run_module(threecx_xapi, spec_pbx, capsys, operation="GetLicenseStatus", select=["LicenseKey", "CompanyName"])
    assert result["changed"] is False and result["status"] == 200
    assert result["request"] == {"method": "GET", "operation": "GetLicenseStatus", "body": None,
                                 "url": spec_pbx.base_url + "/xapi/v1/LicenseStatus?$select=LicenseKey,CompanyName"}
    assert result["json"]["LicenseKey"] == MASK + before["LicenseKey"][-4:]
    assert "items" not in result and "count" not in result
    assert [query_of(entry) for entry in api_requests(spec_pbx)] == [{"$select": "LicenseKey,CompanyName"}]


def test_a_collection_gives_items_and_its_count(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, operation="ListSipDevice", top=3, count=True,
                        query={"$orderby": "Id desc"})
    assert result["count"] == 30 and [item["Id"] for item in result["items"]] == [30, 29, 28]
    assert result["json"]["value"] == result["items"]
    assert query_of(api_requests(spec_pbx)[0]) == {"$top": "3", "$count": "true", "$orderby": "Id desc"}


def test_a_path_template_is_filled_and_quoted(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, path="/Users({Id})", path_params={"Id": 12})
    assert result["status"] == 200 and result["request"]["operation"] == "GetUser"
    by_mac = run_module(threecx_xapi, spec_pbx, capsys, path="Users/Pbx.GetPhoneRegistrar(mac={mac})",
                        path_params={"mac": "it's"})
    assert by_mac["failed"] is True and by_mac["status"] == 404
    assert [entry["path"] for entry in api_requests(spec_pbx)] == [
        "/xapi/v1/Users(12)", "/xapi/v1/Users/Pbx.GetPhoneRegistrar(mac='it''s')"]


def test_a_concrete_path_outside_the_catalogue_is_sent_as_given(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, path="LicenseStatus")
    assert result["status"] == 200 and result["request"]["operation"] == "GetLicenseStatus"
    assert result["request"]["method"] == "GET"


def test_a_write_sends_its_body_once_and_is_a_change(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, operation="Backup", body='{"description": {"Name": "nightly"}}')
    assert result["changed"] is True and result["status"] in (200, 204)
    posts = [entry for entry in api_requests(spec_pbx) if entry["method"] == "POST"]
    assert [entry["body"] for entry in posts] == [{"description": {"Name": "nightly"}}]


def test_check_mode_sends_no_write(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, check_mode=True, operation="Backup",
                        body={"description": {"Name": "nightly"}})
    assert result["changed"] is True and result["status"] is None and "json" not in result
    assert result["request"]["method"] == "POST"
    assert api_requests(spec_pbx) == []


def test_check_mode_still_reads(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, check_mode=True, operation="GetLicenseStatus")
    assert result["status"] == 200 and result["changed"] is False


def test_paginate_gathers_every_page(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, operation="ListSipDevice", paginate=True, page_size=7, top=20)
    assert [item["Id"] for item in result["items"]] == list(range(1, 21))
    assert result["count"] == 30 and result["status"] == 200 and "json" not in result
    assert [(query_of(entry)["$top"], query_of(entry)["$skip"]) for entry in api_requests(spec_pbx)] == [
        ("7", "0"), ("7", "7"), ("6", "14")]


def test_paginate_a_function_that_declares_no_count(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, path="/Backups/Pbx.GetFailoverScripts()", paginate=True,
                        page_size=2)
    assert len(result["items"]) >= 5
    assert "$count" in query_of(api_requests(spec_pbx)[0]), "GetFailoverScripts declares $count"


@pytest.mark.parametrize("args, message", [
    ({"operation": "GetLicenseStatus", "paginate": True}, "paginate needs an operation that answers with a collection"),
    ({"operation": "GetLicenseStatus", "method": "POST"}, "method POST does not fit GetLicenseStatus, which is a GET"),
    ({"path": "/Nothing({Id})", "path_params": {"Id": 1}}, "path /Nothing({Id}) with method GET matches no operation"),
    ({"path": "/LicenseStatus", "path_params": {"Id": 1}}, "path_params fills {placeholders}, and path /LicenseStatus has none"),
    ({"operation": "Backup", "body": "{oops"}, "body is not valid JSON: "),
    ({"operation": "GetLicenseStatus", "top": 2}, None),
    ({"operation": "Backup"}, None),
    ({"operation": "NoSuchOperation"}, None),
    ({"operation": "GetLicenseStatus", "path": "/LicenseStatus"}, "parameters are mutually exclusive: operation|path"),
    ({}, "one of the following is required: operation, path"),
])
def test_bad_calls_fail_before_any_request(pbx_process, capsys, args, message):
    pbx_process.reset()
    result = run_module(threecx_xapi, pbx_process, capsys, **args)
    assert result["failed"] is True
    if message:
        assert result["msg"].startswith(message), result["msg"]
    assert pbx_process.log() == []


def test_every_query_option_reaches_the_pbx(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, operation="ListUser", top=2, skip=1, search="a",
                        filter="Number ne '000'", orderby="Number desc", select=["Number", "Id"], expand="Groups",
                        count=True)
    sent = {"$top": "2", "$skip": "1", "$search": "a", "$filter": "Number ne '000'", "$orderby": "Number desc",
            "$select": "Number,Id", "$expand": "Groups", "$count": "true"}
    assert [dict(parse_qsl(entry["query"])) for entry in api_requests(spec_pbx)] == [sent]
    assert dict(parse_qsl(urlsplit(result["request"]["url"]).query)) == sent


def test_paginate_asks_for_pages_and_reports_the_query_without_top(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, operation="ListSipDevice", paginate=True, page_size=20, top=3,
                        filter="Id gt 0")
    assert result["request"]["url"] == spec_pbx.base_url + "/xapi/v1/SipDevices?$filter=Id%20gt%200"
    assert [dict(parse_qsl(entry["query"])) for entry in api_requests(spec_pbx)] == [
        {"$filter": "Id gt 0", "$top": "3", "$skip": "0", "$count": "true"}]


def test_a_write_reports_what_it_sends_with_secrets_masked_and_a_diff(spec_pbx, capsys):
    body = {"description": {"Password": "s3cret-pw", "Name": "nightly"}}
    result = run_module(threecx_xapi, spec_pbx, capsys, check_mode=True, diff=True, operation="Backup", body=body)
    url = spec_pbx.base_url + "/xapi/v1/Backups/Pbx.Backup"
    assert result["request"] == {"method": "POST", "operation": "Backup", "url": url,
                                 "body": {"description": {"Name": "nightly", "Password": MASK}}}
    assert result["diff"] == {
        "before": "", "before_header": "nothing sent", "after_header": "POST " + url,
        "after": '{\n  "description": {\n    "Name": "nightly",\n    "Password": "%s"\n  }\n}\n' % MASK}
    assert api_requests(spec_pbx) == []


def test_a_write_without_a_body_diffs_as_empty_and_without_diff_mode_has_no_diff(spec_pbx, capsys):
    result = run_module(threecx_xapi, spec_pbx, capsys, diff=True, check_mode=True, method="DELETE",
                        path="/Users({Id})", path_params={"Id": 12})
    url = spec_pbx.base_url + "/xapi/v1/Users(12)"
    assert result["diff"] == {"before": "", "after": "", "before_header": "nothing sent", "after_header": "DELETE " + url}
    assert result["request"]["body"] is None
    plain = run_module(threecx_xapi, spec_pbx, capsys, check_mode=True, operation="Backup", body={"description": {}})
    assert "diff" not in plain
    read = run_module(threecx_xapi, spec_pbx, capsys, diff=True, operation="GetLicenseStatus")
    assert "diff" not in read


@pytest.mark.parametrize("option, value", [("page_size", 0), ("top", -1), ("skip", -1)])
def test_paging_options_below_their_minimum_fail_naming_the_option(pbx_process, capsys, option, value):
    pbx_process.reset()
    result = run_module(threecx_xapi, pbx_process, capsys, path="/Users", **{option: value})
    assert result["failed"] is True and option in result["msg"], result["msg"]
    assert pbx_process.log() == []
