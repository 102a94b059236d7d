# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input is refused with a message naming the option, before any request reaches the PBX."""

from __future__ import annotations

import json

import pytest

from conftest import CLIENT_ID, CLIENT_SECRET

# (module, arguments, words the message must hold)
BAD_INPUT = [
    ("threecx_sip_device_info", {"top": -1}, ["top"]),
    ("threecx_sip_device_info", {"skip": -3}, ["skip"]),
    ("threecx_sip_device_info", {"page_size": 0}, ["page_size"]),
    ("threecx_failover_script_info", {"top": -1}, ["top"]),
    ("threecx_phone_registrar_info", {"mac": ""}, ["mac"]),
    ("threecx_phone_registrar_info", {"mac": "80:5e:c0:12:34:56:78"}, ["mac"]),
    ("threecx_phone_registrar_info", {"mac": "80:5e:c0:12:34:zz"}, ["mac"]),
    ("threecx_license", {"license_params": "[1, 2]"}, ["license_params", "object"]),
    ("threecx_license", {"license_params": "{not json"}, ["license_params", "JSON"]),
    ("threecx_license", {"license_params": {"Fax": "1"}}, ["license_params", "Fax"]),
    ("threecx_license", {"email": "a@example.org", "license_params": {"Email": "b@example.org"}}, ["email", "license_params"]),
    ("threecx_license_info", {"base_url": "pbx.example.com"}, ["base_url"]),
    ("threecx_license_info", {"base_url": "ftp://pbx.example.com"}, ["base_url"]),
    ("threecx_license_info", {"client_secret": None}, ["client_id", "client_secret"]),
    ("threecx_license_info", {"access_token": "abc"}, ["access_token", "client_id"]),
    ("threecx_license_info", {"timeout": 0}, ["timeout"]),
    ("threecx_license_info", {"retries": -1}, ["retries"]),
]


def test_bad_input_is_refused_before_any_request(ansible, sim):
    tasks = []
    for index, (module, args, _words) in enumerate(BAD_INPUT):
        full_args = {"base_url": sim.base_url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
        full_args.update(args)
        full_args = {key: value for key, value in full_args.items() if value is not None}
        tasks.append({"name": "bad %d" % index, "threecx.xapi." + module: full_args,
                      "register": "r%d" % index, "ignore_errors": True})
        tasks.append({"ansible.builtin.copy": {"content": "{{ r%d | to_json }}" % index,
                                               "dest": "{{ out }}/r%d.json" % index, "mode": "0644"}})
    ansible.playbook(json.dumps(tasks), defaults=False)
    assert sim.log() == [], "no request may reach the PBX for bad input"
    for index, (module, args, words) in enumerate(BAD_INPUT):
        result = ansible.saved("r%d" % index)
        assert result.get("failed") is True, (module, args)
        for word in words:
            assert word in result["msg"], (module, args, result["msg"])
        assert "Traceback" not in json.dumps(result)


@pytest.mark.parametrize("module", ["threecx_license_info", "threecx_user"])
def test_missing_credentials_say_where_they_can_come_from(ansible, sim, module):
    args = "base_url=%s" % sim.base_url + (" number=100" if module == "threecx_user" else "")
    process, result = ansible.adhoc(module, args, credentials_in_env=False)
    assert process.returncode != 0
    for words in ("client_id and client_secret", "THREECX_CLIENT_ID", "THREECX_CLIENT_SECRET", "access_token",
                  "THREECX_ACCESS_TOKEN", "module_defaults for group/threecx.xapi.xapi"):
        assert words in result["msg"], result["msg"]
    assert sim.log() == []


def test_a_missing_base_url_says_where_it_can_come_from(ansible, sim):
    process, result = ansible.adhoc("threecx_license_info", "client_id=%s client_secret=%s" % (CLIENT_ID, CLIENT_SECRET),
                                    credentials_in_env=False)
    assert process.returncode != 0
    assert result["msg"] == ("base_url is missing: set the base_url option, the THREECX_BASE_URL environment "
                             "variable, or module_defaults for group/threecx.xapi.xapi"), result["msg"]
    assert "missing required arguments" not in result["msg"]
    assert sim.log() == []
