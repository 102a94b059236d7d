# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""XapiClient failures against local servers: error bodies, TLS verification, refused connections, no secrets."""

from __future__ import annotations

import re
import socket
import time

import pytest
import urllib3.util.connection

from ansible_collections.threecx.xapi.plugins.module_utils._client import XapiError
from xapi_testlib import API, CLIENT_SECRET, TOKEN_PATH, TokenServer, make_jwt, in_an_hour, requests_to
from tls_pbx import certificate, https_pbx, https_server_process  # noqa: F401  pylint: disable=unused-import

NOT_FOUND = {"error": {"code": "", "message": "WARNINGS.XAPI.NOT_FOUND",
                       "details": [{"code": "", "message": "No such extension", "target": "Number"}]}}
# A bearer token distinctive enough that a leak anywhere would show.
TOKEN = make_jwt(exp=in_an_hour(), sub="unit", jti="leak-canary-Kd93")


@pytest.fixture
def pbx(httpserver):
    """The local server's token endpoint, issuing TOKEN."""
    tokens = TokenServer(httpserver)
    tokens.tokens = [TOKEN] * 5
    return tokens


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def failure_of(call, *args):
    with pytest.raises(XapiError) as caught:
        call(*args)
    return caught.value


def assert_no_secret(error):
    for text in (str(error), repr(error.to_result()), repr(error.args)):
        assert CLIENT_SECRET not in text
        assert TOKEN not in text and "leak-canary" not in text


# --- error answers ----------------------------------------------------------------------------------

def test_an_odata_error_names_status_pbx_message_method_url_and_target(httpserver, pbx, make_client):
    httpserver.expect_request(API + "/Users(42)").respond_with_json(NOT_FOUND, status=404)
    client = make_client()
    with pytest.raises(XapiError) as caught:
        client.get("Users(42)", {"$select": "Number"})
    error = caught.value
    url = client.api_url + "/Users(42)?$select=Number"
    message = str(error)
    assert "HTTP 404" in message
    assert "WARNINGS.XAPI.NOT_FOUND" in message
    assert message.startswith("GET %s: " % url)
    assert "Number: No such extension" in message
    assert error.to_result() == dict(status=404, method="GET", url=url, pbx_message="WARNINGS.XAPI.NOT_FOUND",
                                     details=NOT_FOUND["error"]["details"])
    assert_no_secret(error)


def test_an_html_502_is_summed_up_in_one_line(httpserver, pbx, make_client):
    httpserver.expect_request(API + "/LicenseStatus").respond_with_data(
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body>\n</html>", status=502,
        content_type="text/html")
    client = make_client(retries=0)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    message = str(caught.value)
    assert caught.value.status == 502 and caught.value.pbx_message is None
    assert "HTTP 502" in message and "text/html" in message and "502 Bad Gateway" in message
    assert "\n" not in message
    assert_no_secret(caught.value)


def test_an_empty_error_body_still_gives_status_method_and_url(httpserver, pbx, make_client):
    httpserver.expect_request(API + "/LicenseStatus").respond_with_data("", status=500)
    client = make_client(retries=0)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    client_url = client.api_url + "/LicenseStatus"
    assert str(caught.value) == "GET %s: HTTP 500: the PBX answered with an error" % client_url
    assert caught.value.to_result() == dict(status=500, method="GET", url=client_url, pbx_message=None, details=[])
    assert_no_secret(caught.value)


def test_a_200_with_malformed_json_is_invalid_json(httpserver, pbx, make_client):
    httpserver.expect_request(API + "/LicenseStatus").respond_with_data('{"ProductCode": ', status=200,
                                                                        content_type="application/json")
    client = make_client()
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    assert caught.value.status == 200
    assert "invalid JSON" in str(caught.value)
    assert '{"ProductCode":' in str(caught.value)
    assert_no_secret(caught.value)


def test_a_refused_login_holds_neither_secret_nor_token(httpserver, make_client):
    httpserver.expect_request(TOKEN_PATH, method="POST").respond_with_data("", status=401)
    client = make_client()
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    assert caught.value.url == client.base_url + TOKEN_PATH
    assert_no_secret(caught.value)


def test_a_204_is_no_data(httpserver, pbx, make_client):
    httpserver.expect_request(API + "/Users(42)", method="DELETE").respond_with_data("", status=204)
    response = make_client().call("DELETE", "Users(42)")
    assert (response.status, response.data) == (204, None)


def test_a_write_is_not_redirected(httpserver, pbx, make_client):
    httpserver.expect_request(API + "/Users", method="POST").respond_with_data(
        "", status=307, headers={"Location": "http://elsewhere.invalid/xapi/v1/Users"})
    client = make_client()
    with pytest.raises(XapiError) as caught:
        client.call("POST", "Users", body={"Number": "100"})
    assert str(caught.value) == (
        "POST %s/Users: HTTP 307: the PBX redirected the request to http://elsewhere.invalid/xapi/v1/Users; not "
        "following a redirect for a write or a download. Point base_url at the final address." % client.api_url)
    assert len(requests_to(httpserver, API + "/Users")) == 1
    assert_no_secret(caught.value)


# --- the wire ---------------------------------------------------------------------------------------

def test_a_refused_connection_names_host_and_port(make_client):
    port = free_port()
    client = make_client(base_url="http://127.0.0.1:%d" % port, retries=0)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    message = str(caught.value)
    assert "127.0.0.1:%d" % port in message
    assert "connection refused" in message
    assert caught.value.status is None
    assert_no_secret(caught.value)


def test_an_answer_that_never_comes_times_out_with_the_timeout_in_the_message(make_client):
    # A listener that never accepts: the kernel completes the connection, nobody answers.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        client = make_client(base_url="http://127.0.0.1:%d" % port, client_id=None, client_secret=None,
                             access_token=TOKEN, timeout=0.2, retries=1)
        started = time.monotonic()
        with pytest.raises(XapiError) as caught:
            client.get("LicenseStatus")
        assert time.monotonic() - started < 10, "a timeout must end the call in bounded time"
    message = str(caught.value)
    assert "timed out after 0.2 seconds waiting for 127.0.0.1:%d" % port in message
    assert "Raise timeout" in message and "could not connect" not in message
    assert_no_secret(caught.value)


# --- TLS verification ---------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_validate_certs_false_wins_over_the_ca_bundle_environment(https_pbx, make_client):
    client = make_client(base_url=https_pbx.url_for("/"), validate_certs=False)
    assert client.get("LicenseStatus") == {"ProductCode": "3CXPSPROFENT"}
    assert len(requests_to(https_pbx, TOKEN_PATH)) == 1


def test_ca_path_wins_over_the_ca_bundle_environment(https_pbx, make_client, certificate):
    client = make_client(base_url=https_pbx.url_for("/"), ca_path=certificate[0])
    assert client.get("LicenseStatus") == {"ProductCode": "3CXPSPROFENT"}
    assert len(requests_to(https_pbx, TOKEN_PATH)) == 1


def test_the_ca_bundle_environment_serves_plain_verification(https_pbx, make_client, certificate, monkeypatch):
    """validate_certs=true without ca_path: the bundle REQUESTS_CA_BUNDLE names, as in any requests tool."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificate[0])
    monkeypatch.delenv("CURL_CA_BUNDLE")
    client = make_client(base_url=https_pbx.url_for("/"), retries=0)
    assert client.get("LicenseStatus") == {"ProductCode": "3CXPSPROFENT"}


def test_an_unverifiable_certificate_is_a_tls_error_with_a_hint(https_pbx, make_client, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE")
    client = make_client(base_url=https_pbx.url_for("/"), retries=0)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    message = str(caught.value)
    assert "TLS error talking to 127.0.0.1:%d" % https_pbx.port in message
    assert "ca_path" in message and "validate_certs" in message
    assert requests_to(https_pbx, TOKEN_PATH) == [], "no credentials go to a server that failed verification"
    assert_no_secret(caught.value)


def test_a_missing_ca_path_file_is_an_xapi_error(https_pbx, make_client, tmp_path):
    missing = str(tmp_path / "no-such-ca.pem")
    client = make_client(base_url=https_pbx.url_for("/"), ca_path=missing, retries=0)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    url = client.base_url + TOKEN_PATH
    assert str(caught.value) == ("POST %s: the CA bundle cannot be used: Could not find a suitable TLS CA certificate "
                                 "bundle, invalid path: %s. Set ca_path to a readable PEM file of CA certificates."
                                 % (url, missing))
    assert caught.value.to_result() == dict(status=None, method="POST", url=url, pbx_message=None, details=[])
    assert requests_to(https_pbx, TOKEN_PATH) == []


# --- http/https mix-ups: the scheme is at fault, not the certificate -----------------------------------

def test_https_to_a_plain_http_port_says_so_and_does_not_blame_the_certificate(httpserver, pbx, make_client):
    client = make_client(base_url=httpserver.url_for("/").replace("http://", "https://"), retries=0)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    message = str(caught.value)
    assert "127.0.0.1:%d speaks plain HTTP" % httpserver.port in message
    assert "use http://" in message
    assert "certificate" not in message and "validate_certs" not in message and "ca_path" not in message
    assert requests_to(httpserver, TOKEN_PATH) == []
    assert_no_secret(caught.value)


def test_http_to_an_https_port_suggests_https(https_pbx, make_client):
    client = make_client(base_url=https_pbx.url_for("/").replace("https://", "http://"), retries=0)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    message = str(caught.value)
    assert "127.0.0.1:%d may expect HTTPS: try https://" % https_pbx.port in message
    assert "certificate" not in message
    assert_no_secret(caught.value)


def test_an_html_answer_from_an_https_port_suggests_https(httpserver, make_client):
    """nginx, in front of every 3CX PBX, answers plain HTTP on its HTTPS port with an HTML 400."""
    html = "<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>"
    httpserver.expect_request(TOKEN_PATH).respond_with_data(html, status=400, content_type="text/html")
    client = make_client(base_url=httpserver.url_for("/"), retries=0)
    with pytest.raises(XapiError) as caught:
        client.get("LicenseStatus")
    assert str(caught.value) == (
        "POST %s%s: HTTP 400: the PBX refused the login (text/html: %s). The server at 127.0.0.1:%d may expect "
        "HTTPS: try https:// in base_url." % (client.base_url, TOKEN_PATH, html, httpserver.port))


# --- the same failures, read whole ---------------------------------------------------------------------

def assert_the_login_fails_whole(client, port, said, cause, hint):
    """The client's first request, its login, fails with `said` (a regex for the cause) and `hint`.

    `{where}` in `said` and `hint` stands for the server's host and port."""
    error = failure_of(client.get, "LicenseStatus")
    url = client.base_url + TOKEN_PATH
    where = "127.0.0.1:%d" % port
    pattern = (re.escape("POST %s: %s" % (url, said.replace("{where}", where))) + cause
               + re.escape(hint.replace("{where}", where)))
    assert re.fullmatch(pattern, str(error)), str(error)
    assert error.to_result() == dict(status=None, method="POST", url=url, pbx_message=None, details=[])


def test_an_unverifiable_certificate_reads_whole(https_pbx, make_client, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE")
    assert_the_login_fails_whole(
        make_client(base_url=https_pbx.url_for("/"), retries=0), https_pbx.port, "TLS error talking to {where}: ",
        r"\[SSL: CERTIFICATE_VERIFY_FAILED\] certificate verify failed: self[- ]signed certificate \(_ssl\.c:\d+\)\. ",
        "The PBX's TLS certificate could not be verified: set ca_path to the CA bundle that signed it, or "
        "validate_certs: false for a PBX you trust.")


def test_https_to_a_plain_http_port_reads_whole(httpserver, make_client):
    assert_the_login_fails_whole(
        make_client(base_url=httpserver.url_for("/").replace("http://", "https://"), retries=0), httpserver.port,
        "the server at {where} answered the TLS handshake in plain HTTP (",
        r"\[SSL: [A-Z_]+\] [a-z ]+ \(_ssl\.c:\d+\)\)\. ",
        "The server at {where} speaks plain HTTP, not HTTPS: use http:// in base_url, or the port where the PBX "
        "serves HTTPS (443 on hosted PBXes, often 5001 self-hosted).")


def test_http_to_an_https_port_reads_whole(https_pbx, make_client):
    assert_the_login_fails_whole(
        make_client(base_url=https_pbx.url_for("/").replace("https://", "http://"), retries=0), https_pbx.port,
        "the server at {where} dropped a plain HTTP request (", r".+\)\. ",
        "The server at {where} may expect HTTPS: try https:// in base_url.")


def test_a_certificate_that_fails_verification_is_not_tried_again(https_pbx, make_client, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE")
    connections = []
    real_create_connection = urllib3.util.connection.create_connection

    def counted(*args, **kwargs):
        connections.append(args[0])
        return real_create_connection(*args, **kwargs)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", counted)
    with pytest.raises(XapiError, match="TLS error"):
        make_client(base_url=https_pbx.url_for("/"), retries=3).get("LicenseStatus")
    assert connections == [("127.0.0.1", https_pbx.port)]
