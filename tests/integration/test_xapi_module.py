# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_xapi, the generic module, run by ansible-playbook against the simulator (its store: no spec needed)."""

from __future__ import annotations

import math
from urllib.parse import unquote

import pytest
import yaml

from conftest import pbx_get, query_of, requests_to, save, task_results

MASK = "********"


@pytest.fixture
def spec_sim(sim):
    sim.wait_for_spec()
    return sim


def test_operations_from_several_tags(ansible, spec_sim):
    task_results(ansible.playbook("""
- name: LicenseStatus tag, an entity
  threecx.xapi.threecx_xapi:
    operation: GetLicenseStatus
    select: [LicenseKey, CompanyName]
  register: licence
- name: SipDevices tag, a collection with a count
  threecx.xapi.threecx_xapi:
    operation: ListSipDevice
    top: 3
    count: true
  register: devices
- name: Users tag, a key segment filled from a string Jinja made of an integer
  threecx.xapi.threecx_xapi:
    operation: GetUser
    path_params:
      Id: "{{ 6 * 2 }}"
  register: user
- name: FaxServerSettings tag, an answer with a concealed password inside
  threecx.xapi.threecx_xapi:
    operation: GetFaxServerSettings
  register: fax
- name: Backups tag, an action with a body
  threecx.xapi.threecx_xapi:
    operation: Backup
    body:
      description:
        Name: before-upgrade
  register: backup
""" + save("licence") + save("devices") + save("user") + save("fax") + save("backup")))
    licence = ansible.saved("licence")
    assert licence["status"] == 200 and licence["changed"] is False
    assert licence["json"]["LicenseKey"].startswith(MASK)
    assert licence["request"]["operation"] == "GetLicenseStatus"

    devices = ansible.saved("devices")
    assert len(devices["items"]) == 3 and devices["count"] == 50
    assert devices["json"]["value"] == devices["items"]

    user = ansible.saved("user")
    assert user["status"] == 200 and user["request"]["url"].endswith("/xapi/v1/Users(12)")

    backup = ansible.saved("backup")
    assert backup["changed"] is True and backup["status"] in (200, 204)
    posts = requests_to(spec_sim, "POST", "/Backups/Pbx.Backup")
    assert [entry["body"] for entry in posts] == [{"description": {"Name": "before-upgrade"}}]
    paths = [unquote(entry["path"]) for entry in spec_sim.log() if entry["path"].startswith("/xapi/")]
    assert paths == ["/xapi/v1/LicenseStatus", "/xapi/v1/SipDevices", "/xapi/v1/Users(12)",
                     "/xapi/v1/FaxServerSettings", "/xapi/v1/Backups/Pbx.Backup"]

    # Last, since reading the simulator directly clears its log.
    held = pbx_get(spec_sim, "FaxServerSettings")["AuthPassword"]
    assert held["Value"], "the simulator's fax password holds a value, so that masking it can be seen"
    assert ansible.saved("fax")["json"]["AuthPassword"] == dict(held, Value=MASK), "a ConcealedPassword's Value is masked"


def test_string_path_parameters_are_quoted_with_quotes_doubled(ansible, spec_sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_sip_device_info:
    top: 1
  register: one
- name: By operationId
  threecx.xapi.threecx_xapi:
    operation: GetPhoneRegistrar
    path_params:
      mac: "{{ one.sip_devices[0].Registrar.MAC }}"
  register: by_operation
- name: By a path template, filled the same way
  threecx.xapi.threecx_xapi:
    path: "/Users/Pbx.GetPhoneRegistrar(mac={mac})"
    path_params:
      mac: "it's-not-a-mac"
  register: by_template
  failed_when: by_template.status != 404
""" + save("one") + save("by_operation") + save("by_template")))
    mac = ansible.saved("one")["sip_devices"][0]["Registrar"]["MAC"]
    assert ansible.saved("by_operation")["json"]["MAC"].lower().replace(":", "") == mac
    assert "WARNINGS.XAPI" in ansible.saved("by_template")["msg"]
    paths = [unquote(entry["path"]) for entry in requests_to(spec_sim, "GET", "GetPhoneRegistrar")]
    assert paths == ["/xapi/v1/Users/Pbx.GetPhoneRegistrar(mac='%s')" % mac,
                     "/xapi/v1/Users/Pbx.GetPhoneRegistrar(mac='it''s-not-a-mac')"]


def test_paginate_gathers_every_page(ansible, spec_sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_xapi:
    operation: ListSipDevice
    paginate: true
    page_size: 7
    orderby: Id
  register: every
""" + save("every")))
    every = ansible.saved("every")
    assert every["count"] == 50 and len(every["items"]) == 50
    assert len({item["Id"] for item in every["items"]}) == 50
    assert "json" not in every, "with paginate, items replaces json"
    gets = requests_to(spec_sim, "GET", "SipDevices")
    assert len(gets) == math.ceil(50 / 7)
    assert [query_of(entry)["$skip"] for entry in gets] == [str(skip) for skip in range(0, 50, 7)]


def test_check_mode_reads_but_does_not_write(ansible, spec_sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_xapi:
    operation: Backup
    body: '{"description": {"Name": "nightly"}}'
  register: backup
- threecx.xapi.threecx_xapi:
    operation: GetLicenseStatus
  register: licence
""" + save("backup") + save("licence"), args=["--check"]))
    backup = ansible.saved("backup")
    assert backup["changed"] is True and backup["status"] is None
    assert backup["request"]["method"] == "POST" and backup["request"]["url"].endswith("/xapi/v1/Backups/Pbx.Backup")
    assert requests_to(spec_sim, "POST", "/xapi/") == [], "check mode sends no write"
    assert ansible.saved("licence")["status"] == 200
    assert len(requests_to(spec_sim, "GET", "LicenseStatus")) == 1, "check mode still reads"


def test_check_mode_with_diff_shows_the_request_it_would_send_secrets_masked(ansible, spec_sim):
    output = task_results(ansible.playbook("""
- threecx.xapi.threecx_xapi:
    operation: CreateUser
    body:
      Number: "199"
      FirstName: Check
      AccessPassword: Sup3rSecret!
  register: create
""" + save("create"), args=["--check", "--diff"]))
    create = ansible.saved("create")
    assert create["changed"] is True and create["status"] is None
    assert create["request"]["body"] == {"Number": "199", "FirstName": "Check", "AccessPassword": MASK}
    assert create["diff"]["after_header"] == "POST " + create["request"]["url"]
    assert yaml.safe_load(create["diff"]["after"]) == create["request"]["body"]
    assert "POST " + create["request"]["url"] in output and '"FirstName": "Check"' in output, "--diff shows the body"
    assert "Sup3rSecret!" not in output
    assert requests_to(spec_sim, "POST", "/xapi/") == [], "check mode sends no write"


# (arguments, words the message must hold)
INVALID_CALLS = [
    ({"operation": "ListSipDevices"}, ["did you mean ListSipDevice?"]),
    ({"operation": "GetUser"}, ["path_params", "'Id'"]),
    ({"operation": "GetUser", "path_params": {"Id": "twelve"}}, ["path_params", "'Id'", "integer"]),
    ({"operation": "GetUser", "path_params": {"Id": 1, "Name": "x"}}, ["path_params", "'Name'"]),
    ({"operation": "GetLicenseStatus", "filter": "CompanyName eq 'x'"}, ["$filter", "$select, $expand"]),
    ({"operation": "ListSipDevice", "query": {"verbose": True}}, ["verbose", "$top"]),
    ({"operation": "GetUser", "path_params": {"Id": 1}, "body": {"a": 1}}, ["GetUser takes no request body"]),
    ({"operation": "Backup"}, ["Backup needs a request body"]),
    ({"operation": "GetUser", "path_params": {"Id": 1}, "paginate": True}, ["paginate", "collection"]),
    ({"operation": "Backup", "body": "{not json"}, ["body is not valid JSON"]),
    ({"operation": "GetLicenseStatus", "method": "POST"}, ["method POST", "GET"]),
    ({"operation": "GetLicenseStatus", "path": "/LicenseStatus"}, ["mutually exclusive", "operation", "path"]),
    ({"operation": "ListSipDevice", "top": -1}, ["top"]),
]


def test_invalid_calls_fail_before_any_request(ansible, spec_sim):
    tasks = []
    for index, (args, _words) in enumerate(INVALID_CALLS):
        tasks.append({"name": "invalid %d" % index, "threecx.xapi.threecx_xapi": args,
                      "register": "r%d" % index, "ignore_errors": True})
    playbook = yaml.safe_dump(tasks, sort_keys=False) + "".join(save("r%d" % index) for index in range(len(INVALID_CALLS)))
    task_results(ansible.playbook(playbook))
    assert spec_sim.log() == [], "no request, not even a token request, for a call that does not fit the spec"
    for index, (args, words) in enumerate(INVALID_CALLS):
        result = ansible.saved("r%d" % index)
        assert result.get("failed") is True, args
        for word in words:
            assert word in result["msg"], (args, result["msg"])
