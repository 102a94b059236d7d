# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""XapiClient retries against a local HTTP server: Retry-After, giving up, and which writes may be repeated."""

from __future__ import annotations

import threading
import time

import pytest
import requests
import urllib3
import urllib3.util.retry

from ansible_collections.threecx.xapi.plugins.module_utils._client import MAX_RETRY_AFTER, XapiError, _BoundedRetry
from xapi_testlib import API, TOKEN_PATH, answers, json_response, requests_to

LICENCE = API + "/LicenseStatus"
EDIT = API + "/LicenseStatus/Pbx.EditLicenseInfo"


@pytest.fixture
def sleeps(monkeypatch):
    """The pauses this test's thread asks for (urllib3 waits with time.sleep), recorded and not waited: the
    policy is what is judged here; tests/integration/test_reliability.py measures real waits in the simulator's
    log. Other threads (the local server's) still sleep."""
    taken = []
    real_sleep = time.sleep
    test_thread = threading.get_ident()

    def recording_sleep(seconds):
        if threading.get_ident() == test_thread:
            taken.append(seconds)
        else:
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


# What urllib3 may wait before a retry: backoff_max plus the most jitter it adds (_client._retry_policy).
LONGEST_BACKOFF = 8 + 0.5


def test_a_502_on_every_attempt_gives_up_after_the_retries(httpserver, token_server, make_client, sleeps):
    httpserver.expect_request(LICENCE).respond_with_data(
        "<html><body>Bad Gateway</body></html>", status=502, content_type="text/html")
    client = make_client(retries=2)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    assert len(sleeps) <= 2 and all(0 <= pause <= LONGEST_BACKOFF for pause in sleeps), sleeps
    assert caught.value.status == 502


def test_the_backoff_doubles_from_half_a_second_with_up_to_half_a_second_of_jitter(
        httpserver, token_server, make_client, sleeps, monkeypatch):
    """No pause before the first retry, then 0.5 s times 2 for the second, plus jitter (taken at its most here)."""
    if hasattr(urllib3.util.retry, "random"):  # urllib3 2: the jitter is random() times backoff_jitter
        monkeypatch.setattr(urllib3.util.retry.random, "random", lambda: 1.0)
    httpserver.expect_request(LICENCE).respond_with_data("", status=502)
    with pytest.raises(XapiError):
        make_client(retries=2).get("LicenseStatus")
    jitter = 0.5 if int(urllib3.__version__.split(".")[0]) >= 2 else 0  # urllib3 1.26 has none
    assert sleeps == [pytest.approx(1.0 + jitter)]
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


def test_the_backoff_is_capped_however_many_attempts_failed(make_client):
    policy = make_client(retries=20)._retry_policy("GET", idempotent=False)
    pauses = []
    for _attempt in range(15):
        policy = policy.increment("GET", "/xapi/v1/LicenseStatus", error=urllib3.exceptions.ProtocolError("dropped"))
        pauses.append(policy.get_backoff_time())
    assert pauses[-1] >= 8, "the backoff grows to its cap: %s" % pauses
    assert max(pauses) <= LONGEST_BACKOFF, pauses


def test_retry_after_is_capped():
    policy = _BoundedRetry(total=3)
    assert policy.parse_retry_after("3600") == MAX_RETRY_AFTER
    assert policy.parse_retry_after("2") == 2


@pytest.fixture
def refused_once(monkeypatch):
    """The first new connection is refused, as by a PBX restarting its web server; the rest connect.

    Returns the number of connection attempts made so far.
    """
    attempts = []
    real_new_conn = urllib3.connection.HTTPConnection._new_conn

    def new_conn(connection):
        attempts.append(connection.host)
        if len(attempts) == 1:
            raise urllib3.exceptions.NewConnectionError(connection, "[Errno 111] Connection refused")
        return real_new_conn(connection)

    monkeypatch.setattr(urllib3.connection.HTTPConnection, "_new_conn", new_conn)
    return attempts


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_refused_connection_is_retried_for_reads_and_writes(httpserver, make_client, refused_once, method):
    # Nothing was sent when the connection failed, so even a write is safe to send.
    httpserver.expect_request(LICENCE, method=method).respond_with_json({"CompanyName": "Acme"})
    # A token given, so that the API call makes the first connection.
    client = make_client(retries=2, access_token="given-token", client_id=None, client_secret=None)
    assert client.call(method, "LicenseStatus").data == {"CompanyName": "Acme"}
    assert len(refused_once) == 2, "one refused connection, then one that worked"
    assert len(requests_to(httpserver, LICENCE)) == 1


def test_a_refused_connection_with_no_retries_left_fails(httpserver, make_client, refused_once):
    client = make_client(retries=0, access_token="given-token", client_id=None, client_secret=None)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    assert "could not connect" in str(caught.value) and "refused" in str(caught.value)
    assert len(refused_once) == 1


def slow_first(seconds, response):
    """A handler that answers `response`, the first time only after `seconds`."""
    calls = []

    def handler(_request):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(seconds)
        return response
    return handler


# A client timeout, and how late the slow first answer comes. The local server answers one request at a time:
# a retry is answered once the slow one is done, LATE - TIMEOUT after it was sent, well within its own TIMEOUT.
TIMEOUT, LATE = 0.6, 0.8


def test_a_read_that_times_out_is_retried(httpserver, token_server, make_client):
    httpserver.expect_request(LICENCE).respond_with_handler(
        slow_first(LATE, json_response({"CompanyName": "Acme"})))
    client = make_client(retries=1, timeout=TIMEOUT)
    assert client.get("LicenseStatus") == {"CompanyName": "Acme"}
    assert len(requests_to(httpserver, LICENCE)) == 2


def test_a_create_that_times_out_is_never_sent_again(httpserver, token_server, make_client):
    # The PBX may have applied it; only its answer is late. A write that adds something (a create, a
    # backup) is never repeated after a timeout: the resource layer looks the item up instead.
    httpserver.expect_request(EDIT, method="POST").respond_with_handler(
        slow_first(LATE, json_response({})))
    httpserver.expect_request("/after").respond_with_data("")
    client = make_client(retries=3, timeout=TIMEOUT)
    with pytest.raises(XapiError) as caught:
        client.call("POST", "LicenseStatus/Pbx.EditLicenseInfo", body={"CompanyName": "Acme"})
    assert "timed out" in str(caught.value)
    # Every attempt was sent before the call gave up. The server takes requests in turn, so once it has
    # answered one sent after them, it has logged them all.
    requests.get(httpserver.url_for("/after"), timeout=10)
    assert len(requests_to(httpserver, EDIT)) == 1


def test_a_write_that_sets_state_is_sent_again_after_a_timeout(httpserver, token_server, make_client):
    # Setting the same values twice is harmless (PATCH, PUT, DELETE, a settings action), so such a
    # write is retried like a GET: the user gets an answer instead of an unknown outcome.
    httpserver.expect_request(EDIT, method="POST").respond_with_handler(
        slow_first(LATE, json_response({})))
    client = make_client(retries=1, timeout=TIMEOUT)
    client.call("POST", "LicenseStatus/Pbx.EditLicenseInfo", body={"CompanyName": "Acme"}, idempotent=True)
    assert len(requests_to(httpserver, EDIT)) == 2
