# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exact request counts, as the performance issue states them, read from the simulator's log."""

from __future__ import annotations

import math

import pytest

from conftest import requests_to, task_results

TOKEN = "/connect/token"


def counts(sim):
    log = sim.log()
    return {
        "token": sum(1 for entry in log if entry["path"].endswith(TOKEN)),
        "get": sum(1 for entry in log if entry["method"] == "GET"),
        "post": sum(1 for entry in log if entry["method"] == "POST" and not entry["path"].endswith(TOKEN)),
    }


def test_reads_cost_one_request_each_and_one_token_per_play(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_license_info:
- threecx.xapi.threecx_license_info:
- threecx.xapi.threecx_failover_script_info:
"""))
    assert counts(sim) == {"token": 1, "get": 3, "post": 0}


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
""", play_vars={"sim_url": sim.base_url}))
    assert counts(sim) == {"token": 0, "get": 1, "post": 0}


def test_real_licence_edit_is_get_post_and_verifying_get(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_license:
    company_name: Counted Ltd
"""))
    assert counts(sim) == {"token": 1, "get": 2, "post": 1}
    methods = [entry["method"] for entry in sim.log() if not entry["path"].endswith(TOKEN)]
    assert methods == ["GET", "POST", "GET"]


@pytest.mark.parametrize("page_size", [10, 25, 50, 100])
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
    total = len(ansible.saved("devices")["sip_devices"])
    assert total == 50
    assert len(requests_to(sim, "GET", "SipDevices")) == math.ceil(total / page_size)
