# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""XapiClient authentication against a local HTTP server: token requests, reuse, renewal, expiry and login errors."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils import _auth
from ansible_collections.threecx.xapi.plugins.module_utils._auth import token_expiry
from ansible_collections.threecx.xapi.plugins.module_utils._client import XapiError
from xapi_testlib import (
    API,
    CLIENT_ID,
    CLIENT_SECRET,
    TOKEN_PATH,
    in_an_hour,
    json_response,
    make_jwt,
    requests_to,
)

LICENCE = API + "/LicenseStatus"


def bearers(httpserver, path=LICENCE):
    return [request.headers.get("Authorization") for request in requests_to(httpserver, path)]


# --- the token request ----------------------------------------------------------------------------

def test_token_request_is_a_form_post_of_the_client_credentials(httpserver, token_server, make_client):
    httpserver.expect_request(LICENCE, method="GET").respond_with_json({"ProductCode": "3CXPSPROFENT"})
    client = make_client()
    assert client.get("LicenseStatus") == {"ProductCode": "3CXPSPROFENT"}
    (login,) = token_server.requests
    assert login.method == "POST"
    assert login.url == client.base_url + TOKEN_PATH
    assert login.mimetype == "application/x-www-form-urlencoded"
    assert login.form.to_dict() == {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                    "grant_type": "client_credentials"}
    assert "Authorization" not in login.headers
    assert bearers(httpserver) == ["Bearer token-1"]


def test_one_token_serves_every_call_of_a_client(httpserver, token_server, make_client):
    httpserver.expect_request(LICENCE).respond_with_json({})
    httpserver.expect_request(API + "/SipDevices").respond_with_json({"value": []})
    client = make_client()
    client.get("LicenseStatus")
    client.get("SipDevices")
    client.get("LicenseStatus")
    assert len(token_server.requests) == 1
    assert bearers(httpserver) == ["Bearer token-1", "Bearer token-1"]
    assert bearers(httpserver, API + "/SipDevices") == ["Bearer token-1"]


def test_a_401_renews_the_token_and_repeats_the_call(httpserver, token_server, make_client):
    def licence(request):
        if request.headers.get("Authorization") != "Bearer token-2":
            return json_response({"error": {"code": "", "message": "Unauthorized"}}, status=401)
        return json_response({"ProductCode": "3CXPSPROFENT"})

    httpserver.expect_request(LICENCE).respond_with_handler(licence)
    client = make_client()
    assert client.get("LicenseStatus") == {"ProductCode": "3CXPSPROFENT"}
    assert token_server.issued == ["token-1", "token-2"]
    assert bearers(httpserver) == ["Bearer token-1", "Bearer token-2"]


def test_renewals_after_401_stop_after_retries(httpserver, token_server, make_client):
    httpserver.expect_request(LICENCE).respond_with_json({"error": {"message": "Unauthorized"}}, status=401)
    client = make_client(retries=1)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    assert caught.value.status == 401
    assert token_server.issued == ["token-1", "token-2"]
    assert bearers(httpserver) == ["Bearer token-1", "Bearer token-2"]


def test_renewals_after_the_first_pause_a_random_while(httpserver, token_server, make_client, monkeypatch):
    pauses = []
    monkeypatch.setattr(_auth, "time", SimpleNamespace(time=time.time, sleep=pauses.append))
    httpserver.expect_request(LICENCE).respond_with_json({"error": {"message": "Unauthorized"}}, status=401)
    with pytest.raises(XapiError):
        make_client(retries=3).get("LicenseStatus")
    assert token_server.issued == ["token-1", "token-2", "token-3", "token-4"]
    assert len(pauses) == 2 and all(0.2 <= pause <= 1.5 for pause in pauses), pauses


def test_a_rejected_access_token_fails_with_a_message_about_the_token(httpserver, make_client):
    httpserver.expect_request(LICENCE).respond_with_json({"error": {"message": "Unauthorized"}}, status=401)
    client = make_client(client_id=None, client_secret=None, access_token="given-token-Xy7")
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    url = client.api_url + "/LicenseStatus"
    assert str(caught.value) == (
        "GET %s: HTTP 401: the PBX answered with an error: Unauthorized. The PBX rejected access_token: it has "
        "expired, or a newer token for the same API client replaced it (a PBX keeps one active token per client). "
        "Use client_id and client_secret instead." % url)
    assert caught.value.to_result() == dict(status=401, method="GET", url=url, pbx_message="Unauthorized", details=[])
    assert bearers(httpserver) == ["Bearer given-token-Xy7"]
    assert requests_to(httpserver, TOKEN_PATH) == []


@pytest.mark.parametrize("status", [400, 401])
def test_a_refused_login_is_never_retried(httpserver, make_client, status):
    httpserver.expect_request(TOKEN_PATH, method="POST").respond_with_json(
        {"error": "invalid_client", "error_description": "Client authentication failed"}, status=status)
    client = make_client(retries=3)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    message = str(caught.value)
    assert len(requests_to(httpserver, TOKEN_PATH)) == 1
    assert requests_to(httpserver, LICENCE) == []
    assert caught.value.status == status
    assert "refused the login" in message and "Client authentication failed" in message
    assert "XAPI access enabled" in message
    assert CLIENT_SECRET not in message


def test_a_pbx_message_ending_in_a_full_stop_reads_as_one_sentence(httpserver, make_client):
    httpserver.expect_request(TOKEN_PATH, method="POST").respond_with_json(
        {"error": "unauthorized", "error_description": "Invalid client credentials."}, status=401)
    with pytest.raises(XapiError) as caught:
        make_client().get("LicenseStatus")
    assert "Invalid client credentials. Check client_id" in str(caught.value)


def test_a_403_points_to_the_role(httpserver, token_server, make_client):
    httpserver.expect_request(API + "/Backups").respond_with_json(
        {"error": {"code": "", "message": "Forbidden"}}, status=403)
    client = make_client()
    with pytest.raises(XapiError) as caught:
        client.get("Backups")
    message = str(caught.value)
    assert caught.value.status == 403
    assert "role" in message and "System Owner" in message
    assert len(token_server.requests) == 1, "a 403 is not a reason to renew the token"


def test_a_token_answer_without_access_token_is_an_error(httpserver, make_client):
    httpserver.expect_request(TOKEN_PATH, method="POST").respond_with_json({"token_type": "Bearer"})
    client = make_client()
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    assert "no access_token" in str(caught.value)
    assert requests_to(httpserver, LICENCE) == []


# --- expiry ---------------------------------------------------------------------------------------

def test_token_expiry_reads_the_jwt_exp_claim():
    assert token_expiry(make_jwt(exp=1900000000, sub="x"), 60, now=1000.0) == 1900000000.0
    assert token_expiry(make_jwt(exp=1900000000.5), "3600", now=1000.0) == 1900000000.5


@pytest.mark.parametrize("subject", ["u" * length for length in range(12)])
def test_token_expiry_reads_exp_whatever_the_payload_length(subject):
    """base64url drops the padding: every length of the payload, so every padding it lacks, reads the same."""
    assert token_expiry(make_jwt(exp=1900000000, sub=subject), 60, now=1000.0) == 1900000000.0


@pytest.mark.parametrize("token, expires_in, expected", [
    ("opaque-token", 3600, 4600.0),
    ("opaque-token", "120", 1120.0),
    (make_jwt(sub="no exp claim"), 300, 1300.0),
    (make_jwt(exp="soon"), 300, 1300.0),
    ("a.not-base64!.c", 300, 1300.0),
    ("a.%s.c" % "bm90IGpzb24", 300, 1300.0),  # base64 of "not json"
    ("opaque-token", None, 1060.0),
    ("opaque-token", "an hour", 1060.0),
    (None, 300, 1300.0),
    ("a.%s.c" % "WzE5MDAwMDAwMDBd", 300, 1300.0),  # base64 of "[1900000000]": JSON, but no claims object
])
def test_token_expiry_falls_back_to_expires_in(token, expires_in, expected):
    assert token_expiry(token, expires_in, now=1000.0) == expected


@pytest.mark.parametrize("exp_in, expires_in, token_requests", [
    (3600, 5, 1),     # exp says an hour: expires_in is not read
    (5, 3600, 2),     # exp says 5 s, inside the renewal margin: renewed before the second call
    (None, 3600, 1),  # no JWT: expires_in says an hour
    (None, 5, 2),     # no JWT: expires_in says 5 s
])
def test_a_token_about_to_expire_is_renewed_before_the_next_call(httpserver, token_server, make_client,
                                                                 exp_in, expires_in, token_requests):
    if exp_in is not None:
        token_server.tokens = [make_jwt(exp=int(time.time()) + exp_in, n=n) for n in range(3)]
    token_server.expires_in = expires_in
    httpserver.expect_request(LICENCE).respond_with_json({})
    client = make_client()
    client.get("LicenseStatus")
    client.get("LicenseStatus")
    assert len(token_server.requests) == token_requests
    assert bearers(httpserver) == ["Bearer " + token_server.issued[0], "Bearer " + token_server.issued[-1]]


def test_an_access_token_without_credentials_is_used_as_given(httpserver, make_client):
    httpserver.expect_request(LICENCE).respond_with_json({})
    token = make_jwt(exp=in_an_hour())
    client = make_client(client_id=None, client_secret=None, access_token=token)
    client.get("LicenseStatus")
    client.get("LicenseStatus")
    assert bearers(httpserver) == ["Bearer " + token] * 2
    assert requests_to(httpserver, TOKEN_PATH) == []
