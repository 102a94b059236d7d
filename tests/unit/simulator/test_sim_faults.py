# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults: each kind, Retry-After, drops, delays, apply_after, times; and their place in the log."""

from __future__ import annotations

import json
import time

import pytest
import requests

from harness import SimulatorError
from simulator_testlib import odata_error, token_request

LICENCE = "LicenseStatus"
EDIT = "LicenseStatus/Pbx.EditLicenseInfo"


def statuses(sim, part):
    return [entry["status"] for entry in sim.log() if part in entry["path"]]


def test_json_fault_with_retry_after_then_normal(sim, client):
    sim.fault(path=LICENCE, status=503, retry_after=1, times=2)
    first, second, third = (client.get(LICENCE) for _index in range(3))
    for answer in (first, second):
        odata_error(answer, 503)
        assert answer.headers["Retry-After"] == "1"
    assert third.status_code == 200 and "Retry-After" not in third.headers
    assert statuses(sim, LICENCE) == [503, 503, 200]


def test_html_fault(sim, client):
    sim.fault(path=LICENCE, status=502, body="html")
    answer = client.get(LICENCE)
    assert answer.status_code == 502
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in answer.text


def test_malformed_fault_is_broken_json_with_the_status_asked(sim, client):
    sim.fault(path=LICENCE, status=200, body="malformed")
    answer = client.get(LICENCE)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        json.loads(answer.text)


def test_empty_fault(sim, client):
    sim.fault(path=LICENCE, status=500, body="empty")
    answer = client.get(LICENCE)
    assert answer.status_code == 500 and answer.content == b""


def test_status_defaults_to_503(sim, client):
    sim.fault(path=LICENCE)
    odata_error(client.get(LICENCE), 503)


def test_drop_closes_the_connection_without_an_answer(sim, client):
    sim.fault(path=LICENCE, drop=True)
    with pytest.raises(requests.ConnectionError):
        client.get(LICENCE)
    assert client.get(LICENCE).status_code == 200
    assert statuses(sim, LICENCE) == [None, 200]


def test_delay_only_slows_the_normal_answer(sim, client):
    sim.fault(path=LICENCE, delay=0.6, status=None)
    started = time.monotonic()
    answer = client.get(LICENCE)
    assert answer.status_code == 200 and time.monotonic() - started >= 0.6
    started = time.monotonic()
    client.get(LICENCE)
    assert time.monotonic() - started < 0.5, "times defaults to 1"


def test_delay_with_status(sim, client):
    sim.fault(path=LICENCE, delay=0.4, status=504)
    started = time.monotonic()
    odata_error(client.get(LICENCE), 504)
    assert time.monotonic() - started >= 0.4


def test_delay_longer_than_the_client_timeout(sim, client):
    sim.fault(path=LICENCE, delay=2)
    with pytest.raises(requests.Timeout):
        client.get(LICENCE, timeout=0.5)


@pytest.mark.parametrize("apply_after, company", [(False, "Acme Widgets Ltd"), (True, "After Ltd")])
def test_apply_after(sim, client, apply_after, company):
    sim.fault(path="EditLicenseInfo", method="POST", status=503, apply_after=apply_after)
    body = {"licenseParams": {"CompanyName": "After Ltd", "ContactName": "A", "Country": "GB", "Email": "a@example.org",
                              "Phone": "1"}}
    odata_error(client.post(EDIT, json=body), 503)
    assert client.get(LICENCE).json()["CompanyName"] == company
    assert statuses(sim, "EditLicenseInfo") == [503]


def test_apply_after_with_drop_loses_the_answer_of_a_write_that_happened(sim, client):
    sim.fault(path="EditLicenseInfo", drop=True, apply_after=True)
    with pytest.raises(requests.ConnectionError):
        client.post(EDIT, json={"licenseParams": {"CompanyName": "Dropped Ltd"}})
    assert client.get(LICENCE).json()["CompanyName"] == "Dropped Ltd"
    assert statuses(sim, "EditLicenseInfo") == [None]


def test_method_and_regex_matching(sim, client):
    sim.faults([{"path": r"GetPhoneRegistrar\(mac='[0-9a-f]+'\)", "status": 429, "times": 5},
                {"path": LICENCE, "method": "POST", "status": 500}])
    assert client.get("Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')").status_code == 429
    assert client.get(LICENCE).status_code == 200, "the POST rule does not match a GET"
    assert [fault["times_left"] for fault in sim.call("GET", "/_sim/faults")] == [4, 1]
    sim.clear_faults()
    assert sim.call("GET", "/_sim/faults") == []
    assert client.get("Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')").status_code == 200


def test_the_first_matching_rule_wins(sim, client):
    sim.faults([{"path": LICENCE, "status": 502}, {"path": LICENCE, "status": 504}])
    assert [client.get(LICENCE).status_code for _index in range(3)] == [502, 504, 200]


def test_faults_hit_the_token_endpoint_before_authentication(sim):
    sim.fault(path="/connect/token", status=503, retry_after=2)
    answer = token_request(sim, client_secret="wrong")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
    assert answer.json()["error"] == "temporarily_unavailable"
    assert token_request(sim).status_code == 200
    assert statuses(sim, "/connect/token") == [503, 200]


def test_faults_hit_before_the_bearer_check(sim):
    sim.fault(path=LICENCE, status=503)
    answer = requests.get(sim.base_url + "/xapi/v1/LicenseStatus", timeout=30)
    assert answer.status_code == 503


@pytest.mark.parametrize("rule", [{"status": "503"}, {"body": "xml"}, {"times": 0}, {"delay": -1}, {"typo": 1},
                                  {"drop": "yes"}, {"status": 99}])
def test_bad_rules_are_refused(sim, rule):
    with pytest.raises(SimulatorError, match="400"):
        sim.fault(path=LICENCE, **rule)
    assert sim.call("GET", "/_sim/faults") == []


def test_reset_clears_faults(sim, client):
    sim.fault(path=LICENCE, status=500, times=10)
    sim.reset()
    client.renew()
    assert client.get(LICENCE).status_code == 200
