# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the XAPI simulator's own tests: simulators in subprocesses, reset before every test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import requests

SIMULATOR_DIR = Path(__file__).resolve().parents[2] / "simulator"
sys.path.insert(0, str(SIMULATOR_DIR))
sys.path.insert(0, str(SIMULATOR_DIR.parent / "utils"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Simulator, spec_path  # noqa: E402  pylint: disable=wrong-import-position
from prerequisites import spec_path_or_skip  # noqa: E402  pylint: disable=wrong-import-position
from simulator_testlib import CLIENT_ID, CLIENT_SECRET, Client  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def simulator_process():
    """One simulator without the spec per test worker: the simulated operations and the control API."""
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=50, seed=0) as sim:
        yield sim


@pytest.fixture
def sim(simulator_process):
    simulator_process.reset()
    return simulator_process


@pytest.fixture
def client(sim):
    """An API client with a fresh token; `client.get("SipDevices", **{"$top": 3})`."""
    with Client(sim) as api:
        yield api


# A small XAPI-shaped OpenAPI document of the tests' own, for generated answers without the official spec.
GENERATED_ANSWERS_SPEC = Path(__file__).resolve().parent / "fixtures" / "generated-answers.yaml"


@pytest.fixture(scope="session")
def generated_simulator_process():
    """A simulator with --spec of the tests' own document: the generated answers, on any clone."""
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=50, seed=0,
                   spec=str(GENERATED_ANSWERS_SPEC)) as sim:
        sim.wait_for_spec()
        yield sim


@pytest.fixture
def generated_client(generated_simulator_process):
    generated_simulator_process.reset()
    with Client(generated_simulator_process) as api:
        yield api


@pytest.fixture(scope="session")
def spec_file():
    return spec_path_or_skip(spec_path())


@pytest.fixture(scope="session")
def spec_simulator_process(spec_file):
    """A simulator with the official spec, its spec loaded, for the tests that hold answers up to it."""
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=50, seed=0, spec=spec_file) as sim:
        sim.wait_for_spec()
        yield sim


@pytest.fixture
def spec_sim(spec_simulator_process):
    spec_simulator_process.reset()
    return spec_simulator_process


@pytest.fixture
def spec_client(spec_sim):
    with Client(spec_sim) as api:
        yield api


@pytest.fixture
def session():
    with requests.Session() as http:
        yield http
