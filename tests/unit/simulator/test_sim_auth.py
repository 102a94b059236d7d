# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's /connect/token and bearer checks behave like a real PBX's."""

from __future__ import annotations

import base64
import json
import time

import pytest
import requests

from harness import Simulator
from simulator_testlib import CLIENT_ID, CLIENT_SECRET, Client, token_request


def claims_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def licence(sim, token):
    return requests.get(sim.base_url + "/xapi/v1/LicenseStatus", headers={"Authorization": "Bearer " + token}, timeout=30)


def test_form_encoded_token(sim):
    answer = token_request(sim)
    assert answer.status_code == 200
    document = answer.json()
    assert set(document) == {"token_type", "expires_in", "access_token", "refresh_token"}
    assert document["token_type"] == "Bearer" and document["expires_in"] == 3600 and document["refresh_token"] is None
    claims = claims_of(document["access_token"])
    assert claims["sub"] == CLIENT_ID
    assert claims["exp"] - claims["iat"] == 3600
    assert abs(claims["iat"] - time.time()) < 60
    header = json.loads(base64.urlsafe_b64decode(document["access_token"].split(".")[0] + "=="))
    assert header == {"alg": "HS256", "typ": "JWT"}


def test_multipart_token(sim):
    fields = {"client_id": (None, CLIENT_ID), "client_secret": (None, CLIENT_SECRET),
              "grant_type": (None, "client_credentials")}
    answer = requests.post(sim.base_url + "/connect/token", files=fields, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.json()["access_token"]


def test_every_token_has_its_own_jti(sim):
    tokens = [token_request(sim).json()["access_token"] for _index in range(3)]
    assert len({claims_of(token)["jti"] for token in tokens}) == 3


@pytest.mark.parametrize("fields", [
    {"client_secret": "wrong"},
    {"client_id": "someone-else"},
    {"grant_type": "password"},
    {"grant_type": None},
    {"client_secret": None},
], ids=["secret", "client-id", "grant-type", "no-grant-type", "no-secret"])
def test_bad_credentials_are_401(sim, fields):
    answer = token_request(sim, **fields)
    assert answer.status_code == 401
    document = answer.json()
    assert document["error"] == "unauthorized" and document["error_description"]


def test_json_body_is_not_a_token_request(sim):
    answer = requests.post(sim.base_url + "/connect/token", timeout=30,
                           json={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "grant_type": "client_credentials"})
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_request"


def test_get_on_token_endpoint_is_405(sim):
    assert requests.get(sim.base_url + "/connect/token", timeout=30).status_code == 405


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not.a.jwt", "Basic dXNlcjpwYXNz"])
def test_api_needs_a_valid_bearer_token(sim, header):
    headers = {"Authorization": header} if header else {}
    answer = requests.get(sim.base_url + "/xapi/v1/LicenseStatus", headers=headers, timeout=30)
    assert answer.status_code == 401
    assert answer.content == b""
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_forged_signature_is_refused(sim):
    token = token_request(sim).json()["access_token"]
    header, payload, _signature = token.split(".")
    forged = "%s.%s.%s" % (header, payload, base64.urlsafe_b64encode(b"x" * 32).rstrip(b"=").decode())
    assert licence(sim, forged).status_code == 401
    assert licence(sim, token).status_code == 200


def test_a_new_token_supersedes_the_old_one(sim):
    first = token_request(sim).json()["access_token"]
    assert licence(sim, first).status_code == 200
    second = token_request(sim).json()["access_token"]
    assert licence(sim, first).status_code == 401, "one live token per API client"
    assert licence(sim, second).status_code == 200


def test_expire_tokens_mid_run(sim, client):
    assert client.get("LicenseStatus").status_code == 200
    sim.expire_tokens()
    assert client.get("LicenseStatus").status_code == 401
    client.renew()
    assert client.get("LicenseStatus").status_code == 200


def test_reset_forgets_tokens(sim, client):
    sim.reset()
    assert client.get("LicenseStatus").status_code == 401


def test_tokens_expire_after_token_ttl():
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=3, token_ttl=1) as short:
        answer = token_request(short)
        assert answer.json()["expires_in"] == 1
        with Client(short) as api:
            assert api.get("LicenseStatus").status_code == 200
            time.sleep(1.3)
            expired = api.get("LicenseStatus")
            assert expired.status_code == 401
            assert "expired" in expired.headers["WWW-Authenticate"]


def test_unknown_paths_under_the_api_need_a_token_too(sim):
    assert requests.get(sim.base_url + "/xapi/v1/NoSuchThing", timeout=30).status_code == 401


def test_paths_outside_the_api_are_404_and_not_logged(sim):
    answer = requests.get(sim.base_url + "/index.html", timeout=30)
    assert answer.status_code == 404
    assert sim.log() == []
