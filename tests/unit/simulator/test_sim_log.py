# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request log and counters: what is recorded, and that secrets and tokens never are."""

from __future__ import annotations

import json
import time

import requests

from simulator_testlib import CLIENT_ID, CLIENT_SECRET, token_request

MASK = "********"


def test_log_entries_have_the_documented_fields(sim, client):
    client.get("SipDevices", {"$top": 2, "$filter": "Registrar/Vendor eq 'Snom'"})
    client.post("LicenseStatus/Pbx.EditLicenseInfo", json={"licenseParams": {"CompanyName": "Logged Ltd"}})
    token, listing, edit = sim.log()
    assert set(token) == {"method", "path", "query", "body", "status", "time"}
    assert (token["method"], token["path"], token["status"]) == ("POST", "/connect/token", 200)
    assert listing["path"] == "/xapi/v1/SipDevices" and listing["body"] is None
    assert listing["query"] == "$top=2&$filter=Registrar/Vendor eq 'Snom'", "decoded"
    assert edit["body"] == {"licenseParams": {"CompanyName": "Logged Ltd"}} and edit["status"] == 204
    assert token["time"] <= listing["time"] <= edit["time"]


def test_client_secret_is_masked_in_form_and_multipart_bodies(sim):
    token_request(sim)
    token_request(sim, client_secret="a-wrong-secret")
    requests.post(sim.base_url + "/connect/token", timeout=30, files={
        "client_id": (None, CLIENT_ID), "client_secret": (None, CLIENT_SECRET), "grant_type": (None, "client_credentials")})
    bodies = [entry["body"] for entry in sim.log()]
    assert [body["client_secret"] for body in bodies] == [MASK] * 3
    assert all(body["client_id"] == CLIENT_ID for body in bodies)
    assert [entry["status"] for entry in sim.log()] == [200, 401, 200]


def test_no_secret_or_token_anywhere_in_the_log(sim, client):
    client.get("LicenseStatus", raw_query="access_token=%s&note=%s" % (client.token, CLIENT_SECRET))
    client.post("LicenseStatus/Pbx.EditLicenseInfo", json={"licenseParams": {"CompanyName": CLIENT_SECRET},
                                                           "client_secret": CLIENT_SECRET, "token": client.token})
    text = json.dumps(sim.log())
    assert CLIENT_SECRET not in text and "a-wrong-secret" not in text
    assert client.token not in text and client.token.split(".")[1] not in text
    assert "Authorization" not in text and "Bearer" not in text


def test_control_calls_are_not_logged_or_counted(sim, client):
    sim.stats()
    sim.call("GET", "/_sim/faults")
    assert [entry["path"] for entry in sim.log()] == ["/connect/token"]


def test_stats_count_requests_and_token_requests(sim, client):
    for _index in range(3):
        client.get("LicenseStatus")
    client.renew()
    assert sim.stats() == {"requests": 5, "token_requests": 2}
    sim.clear_log()
    assert sim.log() == [] and sim.stats()["requests"] == 5, "clearing the log keeps the counters"
    sim.reset()
    assert sim.stats() == {"requests": 0, "token_requests": 0}


def test_faulted_and_unauthorised_requests_are_logged(sim, client):
    sim.fault(path="SipDevices", status=429)
    client.get("SipDevices")
    requests.get(sim.base_url + "/xapi/v1/SipDevices", timeout=30)
    assert [entry["status"] for entry in sim.log()] == [200, 429, 401]


def test_requests_in_flight_across_a_reset_stay_out_of_the_new_log(sim, client):
    sim.fault(path="LicenseStatus", delay=1.0)
    try:
        client.get("LicenseStatus", timeout=0.2)
    except requests.Timeout:
        pass
    sim.reset()
    client.renew()
    time.sleep(1.2)
    assert [entry["path"] for entry in sim.log()] == ["/connect/token"]


def test_every_issued_token_is_listed_and_a_reset_keeps_them(sim):
    first = token_request(sim).json()["access_token"]
    sim.reset()
    second = token_request(sim).json()["access_token"]
    token_request(sim, client_secret="a-wrong-secret")
    issued = sim.issued_tokens()
    assert issued[-2:] == [first, second], "oldest first; a failed login issues nothing"
