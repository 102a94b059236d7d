# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the plugin unit tests: a real local HTTP server standing in for a PBX, and clients of it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "utils"))

from ansible_collections.threecx.xapi.plugins.module_utils._client import XapiClient  # noqa: E402  pylint: disable=wrong-import-position
from xapi_testlib import CLIENT_ID, CLIENT_SECRET, QuickStoppingServer, TokenServer  # noqa: E402  pylint: disable=wrong-import-position
from module_runner import borrowed_simulator, start_simulator  # noqa: E402  pylint: disable=wrong-import-position

# `make mutation` runs a test session per mutant, and the tests that reach a function once per mutant of it:
# there, a fifth of hypothesis's examples (20 instead of 100) keeps the property tests from being most of the
# run. A mutant only a rarer example would catch then survives, so the score can only be the lower for it.
settings.register_profile("mutation", max_examples=20)
if os.environ.get("THREECX_HYPOTHESIS_PROFILE") == "mutation":
    settings.load_profile("mutation")


@pytest.fixture(scope="session")
def pbx_process():
    """The simulator for the module tests (tests/unit/plugins/modules), one per test worker.

    Under `make mutation`, one of the simulators it started for the whole run (THREECX_UNIT_SIMULATORS).
    """
    running = os.environ.get("THREECX_UNIT_SIMULATORS")
    with borrowed_simulator(running.split(",")) if running else start_simulator() as sim:
        yield sim


@pytest.fixture
def pbx(pbx_process):
    """The simulator, reset: seed data back, and no log, faults or tokens."""
    pbx_process.reset()
    return pbx_process


@pytest.fixture(scope="session")
def make_httpserver():
    """pytest-httpserver's session server (behind its `httpserver` fixture), stopping at once.

    On 127.0.0.1 rather than localhost: no IPv6-first connection attempts, and a known host in messages.
    """
    server = QuickStoppingServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture(autouse=True)
def _no_user_token_cache(tmp_path, monkeypatch):
    """No test may read or write the real user's token cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture
def token_server(httpserver):
    return TokenServer(httpserver)


@pytest.fixture
def base_url(httpserver):
    return httpserver.url_for("/").rstrip("/")


@pytest.fixture
def make_client(base_url, httpserver):
    """XapiClient factory for the local server, without the token cache unless asked.

    After the test, fails it if the server received a request that it had no handler for.
    """
    clients = []

    def factory(**options):
        settings = dict(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token_cache=False, retries=2, timeout=10)
        settings.update(options)
        client = XapiClient(settings.pop("base_url", base_url), **settings)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()
    httpserver.check_assertions()
