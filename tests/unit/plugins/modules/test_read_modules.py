# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The phone, failover-script and registrar modules run in-process against the simulator."""

from __future__ import annotations

import math

import pytest

from ansible_collections.threecx.xapi.plugins.modules import (
    threecx_failover_script_info,
    threecx_phone_registrar_info,
    threecx_sip_device_info,
)
from module_runner import MASK, api_requests, held, query_of, run_module

DEVICES = 30  # module_runner starts the simulator with 30 phones


@pytest.mark.parametrize("count", [True, False])
def test_every_phone_page_by_page_with_the_count_asked_once(pbx, capsys, count):
    result = run_module(threecx_sip_device_info, pbx, capsys, page_size=7, count=count)
    assert result.get("count") == (DEVICES if count else None) and len(result["sip_devices"]) == DEVICES
    assert [device["Id"] for device in result["sip_devices"]] == list(range(1, DEVICES + 1))
    queries = [query_of(entry) for entry in api_requests(pbx)]
    assert queries == [dict({"$top": "7", "$skip": str(skip)}, **({"$count": "true"} if skip == 0 else {}))
                       for skip in range(0, DEVICES, 7)]
    assert len(queries) == math.ceil(DEVICES / 7)


def test_phone_options_reach_the_pbx_and_secrets_are_masked(pbx, capsys):
    result = run_module(threecx_sip_device_info, pbx, capsys, filter="Registrar/Vendor eq 'Yealink'", expand=["DN"],
                        orderby=["Id desc"], top=3, skip=1, page_size=2, select=["Id", "PhoneWebPassword", "DN"])
    assert "count" not in result, "count only when asked for"
    devices = result["sip_devices"]
    assert len(devices) == 3 and [device["Id"] for device in devices] == sorted((d["Id"] for d in devices), reverse=True)
    assert all(device["PhoneWebPassword"] == MASK and "Number" in device["DN"] for device in devices)
    asked = {"$filter": "Registrar/Vendor eq 'Yealink'", "$expand": "DN", "$orderby": "Id desc",
             "$select": "Id,PhoneWebPassword,DN"}
    # The first page asks for $count too, whether or not the user wants it: it tells when the last page has come.
    pages = [dict(asked, **{"$top": "2", "$skip": "1", "$count": "true"}), dict(asked, **{"$top": "1", "$skip": "3"})]
    assert [query_of(entry) for entry in api_requests(pbx)] == pages


def test_return_secrets_returns_them(pbx, capsys):
    first = held(pbx, "SipDevices?$top=1")["value"][0]
    result = run_module(threecx_sip_device_info, pbx, capsys, top=1, return_secrets=True)
    assert result["sip_devices"] == [first]


@pytest.mark.parametrize("option, value", [("top", -1), ("skip", -1), ("page_size", 0), ("timeout", 0), ("retries", -1)])
def test_numbers_below_their_minimum_fail_before_any_request(pbx, capsys, option, value):
    result = run_module(threecx_sip_device_info, pbx, capsys, **{option: value})
    assert result["failed"] is True and result["msg"].startswith("%s must be " % option), result["msg"]
    assert pbx.log() == []


def test_failover_scripts_searched_by_a_quoted_phrase(pbx, capsys):
    everything = run_module(threecx_failover_script_info, pbx, capsys, count=True)
    names = [script["Filename"] for script in everything["failover_scripts"]]
    assert everything["count"] == len(names) > 0 and everything["changed"] is False
    pbx.clear_log()
    found = run_module(threecx_failover_script_info, pbx, capsys, search="O'Brien fallback")
    assert [script["Filename"] for script in found["failover_scripts"]] == [n for n in names if "O'Brien fallback" in n]
    assert "count" not in found
    assert query_of(api_requests(pbx)[0]) == {"$search": '"O\'Brien fallback"', "$top": "100", "$skip": "0",
                                              "$count": "true"}


@pytest.mark.parametrize("written", ["80:5E:C0:12:34:56", "80-5e-c0-12-34-56", "805E.C012.3456", " 805ec0123456 "])
def test_a_phone_registrar_by_any_writing_of_its_mac(pbx, capsys, written):
    result = run_module(threecx_phone_registrar_info, pbx, capsys, mac=written)
    assert result["found"] is True and result["mac"] == "805ec0123456"
    assert result["phone_registrar"]["MAC"].lower().replace(":", "") == "805ec0123456"
    assert [entry["path"] for entry in api_requests(pbx)] == ["/xapi/v1/Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')"]


def test_an_unknown_mac_is_not_found_rather_than_failed(pbx, capsys):
    result = run_module(threecx_phone_registrar_info, pbx, capsys, mac="00:00:5e:00:53:ff")
    assert {key: result[key] for key in ("found", "mac", "phone_registrar", "changed")} == {
        "found": False, "mac": "00005e0053ff", "phone_registrar": {}, "changed": False}
    assert not result.get("failed")


def test_another_pbx_error_on_the_registrar_fails(pbx, capsys):
    pbx.fault(path="GetPhoneRegistrar", status=403, times=1)
    result = run_module(threecx_phone_registrar_info, pbx, capsys, mac="805ec0123456")
    assert result["failed"] is True and result["status"] == 403


def test_a_mac_written_otherwise_fails_naming_the_option(pbx, capsys):
    result = run_module(threecx_phone_registrar_info, pbx, capsys, mac="80:5E:C0:12:34")
    assert result["failed"] is True and result["msg"].startswith("mac must be a MAC address such as ")
    assert pbx.log() == []


@pytest.mark.parametrize("module, args", [
    (threecx_sip_device_info, {"top": 1}),
    (threecx_failover_script_info, {}),
    (threecx_phone_registrar_info, {"mac": "805ec0123456"}),
], ids=["sip_device_info", "failover_script_info", "phone_registrar_info"])
def test_read_modules_run_in_check_mode_and_change_nothing(pbx, capsys, module, args):
    result = run_module(module, pbx, capsys, check_mode=True, **args)
    assert result["changed"] is False and not result.get("failed") and not result.get("skipped"), result
    assert [entry["method"] for entry in api_requests(pbx)] == ["GET"]


@pytest.mark.parametrize("option, value", [("top", -1), ("skip", -1), ("page_size", 0)])
def test_failover_script_numbers_below_their_minimum_fail_before_any_request(pbx, capsys, option, value):
    result = run_module(threecx_failover_script_info, pbx, capsys, **{option: value})
    assert result["failed"] is True and result["msg"].startswith("%s must be " % option), result["msg"]
    assert pbx.log() == []
