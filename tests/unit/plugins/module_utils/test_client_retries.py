# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""XapiClient retries against a local HTTP server: Retry-After, giving up, and which writes may be repeated."""

from __future__ import annotations

import threading
import time

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._client import MAX_RETRY_AFTER, XapiError, _BoundedRetry
from xapi_testlib import API, TOKEN_PATH, answers, json_response, requests_to

LICENCE = API + "/LicenseStatus"
EDIT = API + "/LicenseStatus/Pbx.EditLicenseInfo"


@pytest.fixture
def sleeps(monkeypatch):
    """The pauses this test's thread takes (urllib3 waits with time.sleep); they still happen."""
    taken = []
    real_sleep = time.sleep
    test_thread = threading.get_ident()

    def recording_sleep(seconds):
        if threading.get_ident() == test_thread:
            taken.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", recording_sleep)
    return taken


def busy(status):
    return json_response({"error": {"code": "", "message": "busy"}}, status=status, headers={"Retry-After": "1"})


@pytest.mark.parametrize("status", [503, 429])
def test_retry_after_is_honoured_and_the_third_attempt_succeeds(httpserver, token_server, make_client, sleeps, status):
    httpserver.expect_request(LICENCE).respond_with_handler(
        answers(busy(status), busy(status), json_response({"ProductCode": "3CXPSPROFENT"})))
    client = make_client(retries=3)
    assert client.get("LicenseStatus") == {"ProductCode": "3CXPSPROFENT"}
    assert len(requests_to(httpserver, LICENCE)) == 3
    assert sleeps == [1, 1], "the client waits what Retry-After asks, once per retry"
    assert len(token_server.requests) == 1
    assert client.request_count == 2, "one token request and one logical call"


def test_a_502_on_every_attempt_gives_up_after_the_retries(httpserver, token_server, make_client):
    httpserver.expect_request(LICENCE).respond_with_data(
        "<html><body>Bad Gateway</body></html>", status=502, content_type="text/html")
    client = make_client(retries=2)
    started = time.monotonic()
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    assert time.monotonic() - started < 20, "retries must give up in bounded time"
    assert caught.value.status == 502
    assert len(requests_to(httpserver, LICENCE)) == 3
    assert len(token_server.requests) == 1


def test_a_call_with_retries_0_is_tried_once(httpserver, token_server, make_client, sleeps):
    httpserver.expect_request(LICENCE).respond_with_handler(answers(busy(503), json_response({})))
    client = make_client(retries=3)
    with pytest.raises(XapiError) as caught:
        client.call("GET", "LicenseStatus", retries=0)
    assert caught.value.status == 503 and sleeps == []
    assert len(requests_to(httpserver, LICENCE)) == 1
    assert client.get("LicenseStatus") == {}, "the client's own count still holds for other calls"


def test_a_post_is_not_repeated_after_a_503(httpserver, token_server, make_client):
    httpserver.expect_request(EDIT, method="POST").respond_with_handler(answers(busy(503), json_response({})))
    client = make_client(retries=3)
    with pytest.raises(XapiError) as caught:
        client.call("POST", "LicenseStatus/Pbx.EditLicenseInfo", body={"CompanyName": "Acme"})
    assert caught.value.status == 503
    assert caught.value.method == "POST"
    assert len(requests_to(httpserver, EDIT)) == 1


def test_an_idempotent_post_is_repeated_after_a_503(httpserver, token_server, make_client):
    httpserver.expect_request(EDIT, method="POST").respond_with_handler(
        answers(json_response({}, status=503), json_response({"CompanyName": "Acme"})))
    client = make_client(retries=1)
    response = client.call("POST", "LicenseStatus/Pbx.EditLicenseInfo", body={"CompanyName": "Acme"},
                           idempotent=True)
    assert (response.status, response.data) == (200, {"CompanyName": "Acme"})
    sent = requests_to(httpserver, EDIT)
    assert len(sent) == 2
    assert [request.get_json() for request in sent] == [{"CompanyName": "Acme"}] * 2


def test_a_token_request_is_repeated_after_a_503(httpserver, make_client):
    httpserver.expect_request(TOKEN_PATH, method="POST").respond_with_handler(
        answers(json_response({}, status=503), json_response({"access_token": "token-1", "expires_in": 3600})))
    httpserver.expect_request(LICENCE).respond_with_json({})
    client = make_client(retries=1)
    assert client.get("LicenseStatus") == {}
    assert len(requests_to(httpserver, TOKEN_PATH)) == 2
    assert requests_to(httpserver, LICENCE)[0].headers["Authorization"] == "Bearer token-1"


def test_retry_after_is_capped():
    policy = _BoundedRetry(total=3)
    assert policy.parse_retry_after("3600") == MAX_RETRY_AFTER
    assert policy.parse_retry_after("2") == 2
