# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""XapiClient failures as a user reads them: the whole message and the result fields, written out by hand.

test_client_errors.py checks that each failure names what it must; here every message is compared
whole, so that a changed word, a lost hint or a wrong method or URL in the result shows.
"""

from __future__ import annotations

import errno
import ssl

import pytest
import requests
import urllib3.exceptions
import urllib3.util.connection

from ansible_collections.threecx.xapi.plugins.module_utils._client import XapiError, _error_from_exception
from xapi_testlib import API, TOKEN_PATH, requests_to

CHECK_BASE_URL = "Check base_url, the port (443 on hosted PBXes, often 5001 self-hosted) and firewalls."
LOGIN_HINT = ("Check client_id and client_secret, that the API client has 'XAPI access enabled' "
              "(Admin console > Integrations > API), and that the PBX has an Enterprise licence.")
ROLE_HINT = ("The API client's role is too low for this operation: give it a higher role "
             "(some reports need System Owner) in Admin console > Integrations > API.")


def failure(call):
    with pytest.raises(XapiError) as caught:
        call()
    return caught.value


def result_of(status, method, url, pbx_message=None, details=None):
    return dict(status=status, method=method, url=url, pbx_message=pbx_message, details=details or [])


@pytest.fixture
def unreachable(monkeypatch):
    """Every new connection fails with the OSError given; the addresses tried are recorded."""
    tried = []

    def refuse_with(error):
        def create_connection(address, *_args, **_kwargs):
            tried.append(address)
            raise error
        monkeypatch.setattr(urllib3.util.connection, "create_connection", create_connection)
        return tried
    return refuse_with


# --- the wire ------------------------------------------------------------------------------------

@pytest.mark.parametrize("base_url, where", [
    ("http://pbx.example.com", "pbx.example.com:80"),
    ("https://pbx.example.com", "pbx.example.com:443"),
    ("https://pbx.example.com:5001", "pbx.example.com:5001"),
])
def test_a_refused_connection_names_the_host_and_the_default_port(make_client, unreachable, base_url, where):
    tried = unreachable(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"))
    client = make_client(base_url=base_url, client_id=None, client_secret=None, access_token="a-token", retries=0)
    error = failure(lambda: client.get("LicenseStatus"))
    url = base_url + "/xapi/v1/LicenseStatus"
    assert str(error) == "GET %s: could not connect to %s: connection refused. %s" % (url, where, CHECK_BASE_URL)
    assert error.to_result() == result_of(None, "GET", url)
    assert ["%s:%s" % address for address in tried] == [where]


@pytest.mark.parametrize("scheme, connection", [("https", "HTTPSConnection"), ("http", "HTTPConnection")])
def test_another_connection_failure_gives_the_systems_own_words(make_client, unreachable, scheme, connection):
    unreachable(OSError(errno.EHOSTUNREACH, "No route to host"))
    client = make_client(base_url=scheme + "://pbx.example.com:5001", retries=0)
    error = failure(lambda: client.get("LicenseStatus"))
    url = scheme + "://pbx.example.com:5001/connect/token"
    assert str(error) == ("POST %s: could not connect to pbx.example.com:5001: %s(host='pbx.example.com', "
                          "port=5001): Failed to establish a new connection: [Errno 113] No route to host. %s"
                          % (url, connection, CHECK_BASE_URL))
    assert error.to_result() == result_of(None, "POST", url)


def test_a_plain_http_request_whose_connection_is_aborted_suggests_https():
    aborted = requests.exceptions.ConnectionError(
        urllib3.exceptions.ProtocolError("Connection aborted.", OSError(0, "Error")))
    url = "http://pbx.example.com:5001/xapi/v1/LicenseStatus"
    assert str(_error_from_exception(aborted, "GET", url, 30)) == (
        "GET %s: the server at pbx.example.com:5001 dropped a plain HTTP request (('Connection aborted.', "
        "OSError(0, 'Error'))). The server at pbx.example.com:5001 may expect HTTPS: try https:// in base_url." % url)


def test_a_timeout_says_how_long_it_waited_and_for_whom(make_client, unreachable):
    unreachable(TimeoutError("timed out"))
    client = make_client(base_url="https://pbx.example.com", client_id=None, client_secret=None,
                         access_token="a-token", timeout=7, retries=0)
    error = failure(lambda: client.get("LicenseStatus"))
    url = "https://pbx.example.com/xapi/v1/LicenseStatus"
    assert str(error) == ("GET %s: timed out after 7 seconds waiting for pbx.example.com:443. Raise timeout if the "
                          "PBX is slow, or check the network path to it." % url)
    assert error.to_result() == result_of(None, "GET", url)


def test_a_request_that_fails_otherwise_says_so_with_the_cause(httpserver, token_server, make_client):
    """Redirects are followed for reads, but not without end."""
    httpserver.expect_request(API + "/LicenseStatus").respond_with_data(
        "", status=302, headers={"Location": API + "/LicenseStatus"})
    client = make_client()
    error = failure(lambda: client.get("LicenseStatus"))
    url = client.api_url + "/LicenseStatus"
    assert str(error) == "GET %s: request failed: Exceeded 30 redirects." % url
    assert error.to_result() == result_of(None, "GET", url)


def test_a_read_redirected_once_is_followed(httpserver, token_server, make_client):
    httpserver.expect_request(API + "/Old").respond_with_data("", status=301, headers={"Location": API + "/New"})
    httpserver.expect_request(API + "/New").respond_with_json({"Number": "100"})
    assert make_client().get("Old") == {"Number": "100"}


class _OldConnection:  # pylint: disable=too-few-public-methods
    """A connection as urllib3 1.26 shows it in its messages."""

    def __str__(self):
        return "<urllib3.connection.HTTPSConnection object at 0x7f3a2c1d9e50>"


def test_urllib3_1_s_connection_prefix_is_left_out_of_the_cause():
    refused = requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(
        None, "/xapi/v1/LicenseStatus", urllib3.exceptions.NewConnectionError(
            _OldConnection(), "Failed to establish a new connection: [Errno 113] No route to host")))
    url = "https://pbx.example.com:5001/xapi/v1/LicenseStatus"
    error = _error_from_exception(refused, "GET", url, 30)
    assert str(error) == ("GET %s: could not connect to pbx.example.com:5001: Failed to establish a new connection: "
                          "[Errno 113] No route to host. %s" % (url, CHECK_BASE_URL))


# --- error answers -------------------------------------------------------------------------------------

def test_a_403_names_the_role_and_the_pbx_code_when_it_has_no_message(httpserver, token_server, make_client):
    httpserver.expect_request(API + "/SystemStatus").respond_with_json(
        {"error": {"code": "Forbidden", "message": "", "details": "not a list"}}, status=403)
    client = make_client()
    error = failure(lambda: client.get("SystemStatus"))
    url = client.api_url + "/SystemStatus"
    assert str(error) == "GET %s: HTTP 403: the PBX answered with an error: Forbidden. %s" % (url, ROLE_HINT)
    assert error.to_result() == result_of(403, "GET", url, pbx_message="Forbidden")


def test_an_error_body_that_is_not_json_is_quoted_short(httpserver, token_server, make_client):
    body = "Service  Unavailable\n" + "z" * 300
    httpserver.expect_request(API + "/LicenseStatus").respond_with_data(
        body, status=500, content_type="text/plain; charset=utf-8")
    client = make_client(retries=0)
    error = failure(lambda: client.get("LicenseStatus"))
    url = client.api_url + "/LicenseStatus"
    excerpt = ("Service Unavailable " + "z" * 300)[:200]
    assert str(error) == "GET %s: HTTP 500: the PBX answered with an error (text/plain: %s)" % (url, excerpt)
    assert error.to_result() == result_of(500, "GET", url)


@pytest.mark.parametrize("answer, pbx_message, said", [
    ('{"error": "boom"}', "boom", ": boom"),
    ('["not", "an", "object"]', None, ' (application/json: ["not", "an", "object"])'),
    ('{"error": 42}', None, ' (application/json: {"error": 42})'),
])
def test_an_error_body_in_another_shape_still_fails_with_the_status(
        httpserver, token_server, make_client, answer, pbx_message, said):
    httpserver.expect_request(API + "/LicenseStatus").respond_with_data(answer, status=409,
                                                                        content_type="application/json")
    client = make_client()
    error = failure(lambda: client.get("LicenseStatus"))
    url = client.api_url + "/LicenseStatus"
    assert str(error) == "GET %s: HTTP 409: the PBX answered with an error%s" % (url, said)
    assert error.to_result() == result_of(409, "GET", url, pbx_message=pbx_message)


def test_invalid_json_with_no_content_type_reads_whole(httpserver, token_server, make_client):
    def handler(_request):
        from werkzeug import Response
        response = Response("   not json   ", status=200)
        del response.headers["Content-Type"]
        return response

    httpserver.expect_request(API + "/LicenseStatus").respond_with_handler(handler)
    client = make_client()
    error = failure(lambda: client.get("LicenseStatus"))
    url = client.api_url + "/LicenseStatus"
    assert str(error) == "GET %s: HTTP 200: the PBX answered with invalid JSON (unknown content type: not json)" % url
    assert error.to_result() == result_of(200, "GET", url)


def test_a_blank_body_that_is_not_json_says_it_is_empty(httpserver, token_server, make_client):
    httpserver.expect_request(API + "/LicenseStatus").respond_with_data("  \n ", content_type="application/json")
    client = make_client()
    error = failure(lambda: client.get("LicenseStatus"))
    url = client.api_url + "/LicenseStatus"
    assert str(error) == "GET %s: HTTP 200: the PBX answered with invalid JSON (application/json, empty body)" % url


# --- the login ------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [400, 401, 403])
def test_a_refused_login_reads_whole(httpserver, make_client, status):
    httpserver.expect_request(TOKEN_PATH, method="POST").respond_with_json(
        {"error": "invalid_client", "error_description": "Unknown client"}, status=status)
    client = make_client()
    error = failure(lambda: client.get("LicenseStatus"))
    url = client.base_url + TOKEN_PATH
    assert str(error) == "POST %s: HTTP %d: the PBX refused the login: Unknown client. %s" % (url, status, LOGIN_HINT)
    assert error.to_result() == result_of(status, "POST", url, pbx_message="Unknown client")
    assert len(requests_to(httpserver, TOKEN_PATH)) == 1, "a refused login is never repeated"


def test_a_token_answer_without_a_token_reads_whole(httpserver, make_client):
    httpserver.expect_request(TOKEN_PATH, method="POST").respond_with_json({"token_type": "Bearer"})
    client = make_client()
    error = failure(lambda: client.get("LicenseStatus"))
    url = client.base_url + TOKEN_PATH
    assert str(error) == "POST %s: HTTP 200: the token answer holds no access_token" % url
    assert error.to_result() == result_of(200, "POST", url)


def test_a_token_answer_that_is_not_json_reads_whole(httpserver, make_client):
    httpserver.expect_request(TOKEN_PATH, method="POST").respond_with_data("<html>", content_type="text/html")
    client = make_client()
    error = failure(lambda: client.get("LicenseStatus"))
    url = client.base_url + TOKEN_PATH
    assert str(error) == "POST %s: HTTP 200: the PBX answered with invalid JSON (text/html: <html>)" % url
    assert error.to_result() == result_of(200, "POST", url)


# --- where a download link may lead -------------------------------------------------------------------

@pytest.mark.parametrize("base_url, link", [
    ("https://pbx.example.com", "https://pbx.example.com:443/backup.zip"),
    ("https://pbx.example.com:443", "/backup.zip"),
    ("http://pbx.example.com", "HTTP://PBX.example.com:80/backup.zip"),
])
def test_a_link_to_the_same_origin_written_otherwise_is_followed(make_client, unreachable, tmp_path, base_url, link):
    tried = unreachable(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"))
    client = make_client(base_url=base_url, client_id=None, client_secret=None, access_token="a-token", retries=0)
    error = failure(lambda: client.download(link, str(tmp_path / "backup.zip")))
    shown = client.base_url + "/<download link>"
    where = "pbx.example.com:%d" % (443 if base_url.startswith("https") else 80)
    assert str(error) == "GET %s: could not connect to %s: connection refused. %s" % (shown, where, CHECK_BASE_URL)
    assert len(tried) == 1


@pytest.mark.parametrize("link", ["https://pbx.example.com:5002/backup.zip", "http://pbx.example.com:5001/b.zip",
                                  "https://pbx.example.com/backup.zip"])
def test_a_link_to_another_port_or_scheme_is_refused(make_client, unreachable, tmp_path, link):
    tried = unreachable(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"))
    client = make_client(base_url="https://pbx.example.com:5001", client_id=None, client_secret=None,
                         access_token="a-token", retries=0)
    error = failure(lambda: client.download(link, str(tmp_path / "backup.zip")))
    assert str(error) == "the PBX links the file to another server; not sending the token there"
    assert tried == []


@pytest.mark.parametrize("scheme, said", [
    ("http", "the server at pbx.example.com:5001 dropped a plain HTTP request (('Connection aborted.', "
             "OSError(0, 'Error'))). The server at pbx.example.com:5001 may expect HTTPS: try https:// in base_url."),
    ("https", "could not connect to pbx.example.com:5001: ('Connection aborted.', OSError(0, 'Error')). "
              + CHECK_BASE_URL),
])
def test_an_aborted_connection_suggests_https_only_to_a_plain_http_request(scheme, said):
    aborted = requests.exceptions.ConnectionError(
        urllib3.exceptions.ProtocolError("Connection aborted.", OSError(0, "Error")))
    url = scheme + "://pbx.example.com:5001/xapi/v1/LicenseStatus"
    assert str(_error_from_exception(aborted, "GET", url, 30)) == "GET %s: %s" % (url, said)


def test_a_tls_error_that_is_not_about_the_certificate_has_no_hint():
    alert = requests.exceptions.SSLError(
        ssl.SSLError(1, "[SSL: TLSV1_ALERT_INTERNAL_ERROR] tlsv1 alert internal error (_ssl.c:1006)"))
    url = "https://pbx.example.com:5001/connect/token"
    error = _error_from_exception(alert, "POST", url, 30)
    assert str(error) == ("POST %s: TLS error talking to pbx.example.com:5001: [SSL: TLSV1_ALERT_INTERNAL_ERROR] "
                          "tlsv1 alert internal error (_ssl.c:1006)" % url)
    assert error.to_result() == result_of(None, "POST", url)


def test_a_401_that_renewals_do_not_cure_points_to_the_credentials(httpserver, token_server, make_client):
    httpserver.expect_request(API + "/LicenseStatus").respond_with_json(
        {"error": {"code": "", "message": "Unauthorized"}}, status=401)
    client = make_client(retries=1)
    error = failure(lambda: client.get("LicenseStatus"))
    url = client.api_url + "/LicenseStatus"
    assert str(error) == "GET %s: HTTP 401: the PBX answered with an error: Unauthorized. %s" % (url, LOGIN_HINT)


def test_the_proxy_the_environment_names_carries_the_requests(httpserver, token_server, make_client, monkeypatch):
    for variable in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HTTP_PROXY", httpserver.url_for("/").rstrip("/"))
    httpserver.expect_request(API + "/LicenseStatus").respond_with_json({"ProductCode": "3CXPSPROFENT"})
    client = make_client(base_url="http://pbx.example.com")
    assert client.get("LicenseStatus") == {"ProductCode": "3CXPSPROFENT"}
    assert [request.headers["Host"] for request, _response in httpserver.log] == ["pbx.example.com"] * 2
