# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The read modules for phones and failover scripts, run by ansible against the simulator."""

from __future__ import annotations

import math
from urllib.parse import unquote

from conftest import query_of, requests_to, save, task_results


def test_every_device_in_ceil_n_over_page_size_requests(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_sip_device_info:
    page_size: 7
    count: true
  register: devices
""" + save("devices")))
    result = ansible.saved("devices")
    total = result["count"]
    assert len(result["sip_devices"]) == total > 7
    assert len({device["Id"] for device in result["sip_devices"]}) == total
    gets = requests_to(sim, "GET", "SipDevices")
    assert len(gets) == math.ceil(total / 7)
    assert query_of(gets[0])["$count"] == "true"
    assert all("$count" not in query_of(entry) for entry in gets[1:])


def test_filter_expand_orderby_top_skip(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_sip_device_info:
    filter: "Registrar/Vendor eq 'Yealink'"
    expand: DN
    orderby: [Id desc]
    top: 3
    skip: 1
    page_size: 2
  register: devices
""" + save("devices")))
    devices = ansible.saved("devices")["sip_devices"]
    assert len(devices) == 3
    assert all(device["Registrar"]["Vendor"] == "Yealink" for device in devices)
    assert all("Number" in device["DN"] for device in devices)
    assert [device["Id"] for device in devices] == sorted((device["Id"] for device in devices), reverse=True)
    queries = [query_of(entry) for entry in requests_to(sim, "GET", "SipDevices")]
    assert len(queries) == 2  # 3 items in pages of 2
    asked = {"$filter": "Registrar/Vendor eq 'Yealink'", "$expand": "DN", "$orderby": "Id desc"}
    # The first page asks for $count too: it tells the module when the last page has come.
    assert queries[0] == dict(asked, **{"$skip": "1", "$top": "2", "$count": "true"})
    assert queries[1] == dict(asked, **{"$skip": "3", "$top": "1"})


def test_secrets_of_devices_are_masked(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_sip_device_info:
    top: 2
  register: masked
- threecx.xapi.threecx_sip_device_info:
    top: 2
    return_secrets: true
  register: clear
""" + save("masked") + save("clear")))
    masked = ansible.saved("masked")["sip_devices"]
    clear = ansible.saved("clear")["sip_devices"]
    assert all(device["PhoneWebPassword"] == "********" and device["ProvLink"] == "********" for device in masked)
    assert all(device["PhoneWebPassword"] != "********" for device in clear)
    assert len(requests_to(sim, "POST", "/connect/token")) == 1, "the second task reuses the first one's token"


def test_failover_scripts_search_phrase_is_quoted(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_failover_script_info:
    count: true
  register: all_scripts
- threecx.xapi.threecx_failover_script_info:
    search: "{{ all_scripts.failover_scripts[0].Filename.split(' ')[:2] | join(' ') }}"
  register: found
""" + save("all_scripts") + save("found")))
    everything = ansible.saved("all_scripts")
    assert everything["count"] == len(everything["failover_scripts"]) > 0
    assert everything["failover_scripts"][0]["Filename"] in [s["Filename"] for s in ansible.saved("found")["failover_scripts"]]
    searched = query_of(requests_to(sim, "GET", "GetFailoverScripts")[-1])["$search"]
    phrase = everything["failover_scripts"][0]["Filename"].split(" ")[:2]
    assert searched == '"%s"' % " ".join(phrase), "the phrase, in double quotes"


def test_phone_registrar_by_mac_typed_with_colons(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_sip_device_info:
    top: 1
  register: one
- threecx.xapi.threecx_phone_registrar_info:
    mac: "{{ one.sip_devices[0].Registrar.MAC | upper | regex_findall('..') | join(':') }}"
  register: phone
- threecx.xapi.threecx_phone_registrar_info:
    mac: 00-00-5e-00-53-ff
  register: unknown
""" + save("one") + save("phone") + save("unknown")))
    mac = ansible.saved("one")["sip_devices"][0]["Registrar"]["MAC"]
    phone = ansible.saved("phone")
    assert phone["found"] is True and phone["mac"] == mac
    assert phone["phone_registrar"]["MAC"].lower().replace(":", "") == mac
    unknown = ansible.saved("unknown")
    assert unknown == {**unknown, "found": False, "phone_registrar": {}, "mac": "00005e0053ff", "failed": False}
    paths = [unquote(entry["path"]) for entry in requests_to(sim, "GET", "GetPhoneRegistrar")]
    assert paths[0].endswith("Pbx.GetPhoneRegistrar(mac='%s')" % mac)


def test_pbx_errors_surface_with_status_and_message(ansible, sim):
    process = ansible.playbook("""
- threecx.xapi.threecx_sip_device_info:
    filter: "Registrar/Vendor eq"
""")
    assert process.returncode != 0
    assert "HTTP 400" in process.stdout
    assert "GET " in process.stdout and "/xapi/v1/SipDevices" in process.stdout
    assert "Traceback" not in process.stdout + process.stderr
