# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exact request counts, as the performance issue states them, read from the simulator's log.

Every assertion compares the whole log, method and path of each request in order, so a request
too many of any kind (a second token, an empty last page, a stray PATCH) fails the test.
"""

from __future__ import annotations

import math

import pytest

from conftest import query_of, task_results

TOKEN = "/connect/token"
API = "/xapi/v1/"


def calls(sim):
    """Every request the simulator saw, as "METHOD path" with the /xapi/v1/ prefix dropped, in order."""
    return ["%s %s" % (entry["method"], entry["path"][len(API):] if entry["path"].startswith(API) else entry["path"])
            for entry in sim.log()]


def test_reads_cost_one_request_each_and_one_token_per_play(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_license_info:
- threecx.xapi.threecx_license_info:
- threecx.xapi.threecx_failover_script_info:
- threecx.xapi.threecx_phone_registrar_info:
    mac: "{{ mac }}"
""", play_vars={"mac": "805ec0123456"}))
    assert calls(sim) == [
        "POST " + TOKEN,
        "GET LicenseStatus",
        "GET LicenseStatus",
        "GET Backups/Pbx.GetFailoverScripts()",
        "GET Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')",
    ]


def test_a_second_play_reuses_the_token_of_the_first(ansible, sim):
    task_results(ansible.playbook("- threecx.xapi.threecx_license_info:"))
    task_results(ansible.playbook("- threecx.xapi.threecx_license_info:"))
    assert calls(sim) == ["POST " + TOKEN, "GET LicenseStatus", "GET LicenseStatus"]


def test_no_op_licence_edit_is_one_get_and_no_post(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_license_info:
  register: info
- ansible.builtin.uri:
    url: "{{ sim_url }}/_sim/log"
    method: DELETE
    status_code: [200, 204]
- threecx.xapi.threecx_license:
    company_name: "{{ info.license_status.CompanyName }}"
  register: edit
- ansible.builtin.assert:
    that: edit is not changed
""", play_vars={"sim_url": sim.base_url}))
    # The token came with the read before the log was cleared; the edit reuses it.
    assert calls(sim) == ["GET LicenseStatus"]


def test_real_licence_edit_is_get_post_and_verifying_get(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_license:
    company_name: Counted Ltd
  register: edit
- ansible.builtin.assert:
    that: edit is changed
"""))
    assert calls(sim) == [
        "POST " + TOKEN,
        "GET LicenseStatus",
        "POST LicenseStatus/Pbx.EditLicenseInfo",
        "GET LicenseStatus",
    ]


# 50 devices: pages that divide them evenly, one that does not, one page exactly, and more than all.
@pytest.mark.parametrize("page_size", [7, 10, 25, 49, 50, 51, 100])
def test_n_devices_cost_ceil_n_over_page_size_gets(ansible, sim, page_size):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_sip_device_info:
    page_size: %d
  register: devices
- ansible.builtin.copy:
    content: "{{ devices | to_json }}"
    dest: "{{ out }}/devices.json"
    mode: "0644"
""" % page_size))
    devices = ansible.saved("devices")["sip_devices"]
    assert len(devices) == 50
    assert len({device["Id"] for device in devices}) == 50
    assert calls(sim) == ["POST " + TOKEN] + ["GET SipDevices"] * math.ceil(50 / page_size)
    pages = [query_of(entry) for entry in sim.log() if entry["path"].endswith("/SipDevices")]
    assert [(page["$top"], page["$skip"]) for page in pages] == [
        (str(page_size), str(skip)) for skip in range(0, 50, page_size)]
