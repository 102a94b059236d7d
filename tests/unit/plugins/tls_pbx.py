# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An HTTPS stand-in for a PBX with a self-signed certificate, for the tests of TLS options.

Fixtures: import `certificate`, `https_server_process` and `https_pbx` into a test module to use them.
The certificate and the server last the session: `make mutation` runs a mutant's tests quickest first,
across modules, and module-scoped ones were made again (a new RSA key) each time it came back to a module.
"""

from __future__ import annotations

import ssl
import sys
from pathlib import Path

import pytest

from xapi_testlib import API, QuickStoppingServer, TokenServer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "simulator"))

from harness import make_self_signed_cert  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return make_self_signed_cert(str(tmp_path_factory.mktemp("tls")))


@pytest.fixture(scope="session")
def https_server_process(certificate):  # pylint: disable=redefined-outer-name
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = QuickStoppingServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def https_pbx(https_server_process, monkeypatch):  # pylint: disable=redefined-outer-name
    """An HTTPS PBX with a self-signed certificate; the CA bundle variables point nowhere."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/nonexistent/curl-ca.pem")
    https_server_process.clear()
    TokenServer(https_server_process)
    https_server_process.expect_request(API + "/LicenseStatus").respond_with_json({"ProductCode": "3CXPSPROFENT"})
    yield https_server_process
    https_server_process.check_assertions()
