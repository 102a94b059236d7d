# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP behaviour: gzip, keep-alive, many parallel clients, HTTPS, latency, startup and shutdown, the harness."""

from __future__ import annotations

import concurrent.futures
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

import harness
from harness import Simulator, make_self_signed_cert
from simulator_testlib import CLIENT_ID, CLIENT_SECRET, Client, token_request


def test_gzip_when_asked_and_large(client):
    answer = client.get("SipDevices", headers={"Accept-Encoding": "gzip"}, stream=True)
    assert answer.headers["Content-Encoding"] == "gzip"
    assert int(answer.headers["Content-Length"]) < len(answer.content) / 3, "requests decompressed a gzip body"
    assert len(answer.json()["value"]) == 50


def test_no_gzip_when_not_asked_or_small(client):
    plain = client.get("SipDevices", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert int(plain.headers["Content-Length"]) == len(plain.content)
    small = client.get("LicenseStatus", {"$select": "LicenseKey"}, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in small.headers
    refused = client.get("SipDevices", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_keep_alive_serves_many_requests_on_one_connection(sim, client):
    host, port = sim.base_url.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    headers = {"Authorization": "Bearer " + client.token}
    try:
        for path in ("/xapi/v1/LicenseStatus", "/xapi/v1/SipDevices?$top=1", "/xapi/v1/NoSuch", "/xapi/v1/LicenseStatus"):
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            body = answer.read()
            assert int(answer.getheader("Content-Length")) == len(body)
            assert answer.version == 11 and not answer.will_close
        connection.request("POST", "/xapi/v1/LicenseStatus/Pbx.EditLicenseInfo", body=b"{}",
                           headers=dict(headers, **{"Content-Type": "application/json"}))
        assert connection.getresponse().read() and connection.sock is not None
    finally:
        connection.close()


def test_forty_parallel_clients(sim, client):
    def read(index):
        with requests.Session() as http:
            http.headers["Authorization"] = client.session.headers["Authorization"]
            path = "SipDevices?$top=5&$skip=%d" % (index % 40) if index % 2 else "LicenseStatus"
            return [http.get(sim.base_url + "/xapi/v1/" + path, timeout=30).status_code for _index in range(5)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=48) as pool:
        results = list(pool.map(read, range(48)))
    assert all(status == 200 for statuses in results for status in statuses)
    assert sim.stats()["requests"] == 1 + 48 * 5


def test_https_with_a_self_signed_certificate(tmp_path):
    cert, key = make_self_signed_cert(str(tmp_path))
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=3, tls_cert=cert, tls_key=key) as tls:
        assert tls.base_url.startswith("https://127.0.0.1:")
        with pytest.raises(requests.exceptions.SSLError):
            token_request(tls)
        tls.ca_path = cert
        assert token_request(tls).status_code == 200
        assert tls.stats()["token_requests"] == 1, "the failed handshake never became a request"
        with pytest.raises(requests.ConnectionError):
            requests.get(tls.base_url.replace("https:", "http:") + "/_sim/stats", timeout=5)
        assert tls.log()[0]["status"] == 200, "a plain HTTP client does not break the server"


def test_latency_delays_every_answer_but_not_the_control_api():
    # A latency far above any scheduling delay of a loaded machine, so that only the lower bound is a
    # measurement and the control API's answer cannot plausibly take as long.
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=3, latency=1500) as slow:
        started = time.monotonic()
        slow.stats()
        assert time.monotonic() - started < 1.5
        started = time.monotonic()
        assert token_request(slow).status_code == 200
        assert time.monotonic() - started >= 1.5


def test_startup_prints_the_exports():
    process = subprocess.Popen([sys.executable, str(harness.SIMULATOR), "--port", "0", "--client-id", "demo",
                                "--client-secret", "demo-secret"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline().strip() for _index in range(4)]
        base_url = lines[0].rsplit(" ", 1)[1]
        assert lines[0] == "XAPI simulator listening on %s" % base_url
        assert lines[1:] == ["export THREECX_BASE_URL=%s" % base_url, "export THREECX_CLIENT_ID=demo",
                             "export THREECX_CLIENT_SECRET=demo-secret"]
        assert requests.get(base_url + "/_sim/stats", timeout=5).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0, "SIGTERM is a clean exit"
        process.stdout.close()
        process.stderr.close()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signals_stop_it_cleanly(signum):
    sim = Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=3).start()
    process = sim.process
    try:
        process.send_signal(signum)
        assert process.wait(timeout=10) == 0
    finally:
        sim.stop()


def test_harness_stop_leaves_no_process():
    sim = Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=3).start()
    pid = sim.process.pid
    sim.stop()
    sim.stop()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_simulator_exits_with_its_parent(tmp_path):
    """A test runner killed with SIGKILL must not leave simulators behind (--exit-with-parent)."""
    script = tmp_path / "parent.py"
    script.write_text("import sys, time\nsys.path.insert(0, %r)\nfrom harness import Simulator\n"
                      "sim = Simulator(devices=1).start()\nprint(sim.process.pid, flush=True)\ntime.sleep(60)\n"
                      % str(harness.HERE))
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if not is_running(child):
            return
        time.sleep(0.1)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the simulator outlived its parent")


def is_running(pid):
    """Whether `pid` still runs. An exited orphan may linger as a zombie where nothing reaps orphans."""
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def test_startup_failure_is_reported_with_the_output():
    with pytest.raises(harness.SimulatorError, match="no such file"):
        Simulator(spec="/nonexistent/swagger.yaml").start()


def test_spec_path_finds_the_shared_spec_or_none(monkeypatch, tmp_path):
    monkeypatch.delenv("THREECX_SPEC", raising=False)
    found = harness.spec_path()
    beside = Path(harness.HERE).parents[2] / "shared" / "xapi" / "swagger.yaml"
    if beside.is_file():
        assert Path(found) == beside
    spec = tmp_path / "elsewhere.yaml"
    spec.write_text("openapi: 3.0.4\n")
    monkeypatch.setenv("THREECX_SPEC", str(spec))
    assert harness.spec_path() == str(spec)


def test_two_seeds_two_customers(sim):
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=50, seed=3) as other:
        with Client(other) as theirs, Client(sim) as ours:
            their_devices, our_devices = theirs.value("SipDevices"), ours.value("SipDevices")
            their_scripts = theirs.value("Backups/Pbx.GetFailoverScripts()")
            our_scripts = ours.value("Backups/Pbx.GetFailoverScripts()")
    assert their_devices[0]["Registrar"]["MAC"] == our_devices[0]["Registrar"]["MAC"] == "805ec0123456"
    assert [d["Registrar"]["Model"] for d in their_devices] != [d["Registrar"]["Model"] for d in our_devices]
    assert their_scripts != our_scripts
