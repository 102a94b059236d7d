# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults survived, failed logins not retried, TLS, parallel runs and load: each row of the reliability table."""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from conftest import ANSIBLE_BIN, CLIENT_ID, CLIENT_SECRET, Ansible, assert_no_secrets, requests_to

LICENCE = "LicenseStatus"
TOKEN = "/connect/token"


def licence_read(ansible, extra_args=""):
    process, result = ansible.adhoc("threecx_license_info", extra_args)
    return process, result


@pytest.mark.parametrize("status", [503, 429])
def test_retry_after_twice_then_fine(ansible, sim, status):
    # 2 s is longer than any backoff urllib3 would take on its own before the second attempt (none)
    # or the third (1 to 1.5 s), so only an honoured Retry-After explains the gaps.
    sim.fault(path=LICENCE, status=status, retry_after=2, times=2)
    process, result = licence_read(ansible)
    assert process.returncode == 0, process.stdout + process.stderr
    assert result["license_status"]
    reads = requests_to(sim, "GET", LICENCE)
    assert [entry["status"] for entry in reads] == [status, status, 200], "exactly 3 requests for the read"
    gaps = [later["time"] - earlier["time"] for earlier, later in zip(reads, reads[1:])]
    # The log's times are when each request arrived, to the millisecond.
    assert all(gap >= 1.99 for gap in gaps), "each retry waits the 2 s that Retry-After asks: %s" % gaps


@pytest.mark.parametrize("status, body", [(502, "html"), (504, "json")])
def test_one_gateway_error_then_fine(ansible, sim, status, body):
    sim.fault(path=LICENCE, status=status, body=body, times=1)
    process, _result = licence_read(ansible)
    assert process.returncode == 0, process.stdout + process.stderr
    assert [entry["status"] for entry in requests_to(sim, "GET", LICENCE)] == [status, 200]


def test_502_on_every_attempt_gives_up_after_the_retries(ansible, sim):
    # How long it waits between attempts is capped, and unit-tested (test_client_retries.py); here, that it
    # stops after them with the PBX's status, whatever the PBX keeps answering.
    sim.fault(path=LICENCE, status=502, body="html", times=100)
    process, result = licence_read(ansible, "retries=2")
    assert process.returncode != 0
    assert "HTTP 502" in result["msg"]
    assert len(requests_to(sim, "GET", LICENCE)) == 3, "retries=2 means at most 3 attempts"
    assert "Traceback" not in process.stdout + process.stderr


def test_token_dies_mid_run_and_is_renewed_once(ansible, sim):
    process = ansible.playbook("""
- threecx.xapi.threecx_license_info:
- name: The PBX forgets every token (as when another client logs in with the same API client)
  ansible.builtin.uri:
    url: "{{ sim_url }}/_sim/expire-tokens"
    method: POST
    status_code: [200, 204]
- threecx.xapi.threecx_sip_device_info:
    top: 1
  register: devices
- ansible.builtin.assert:
    that: devices.sip_devices | length == 1
""", play_vars={"sim_url": sim.base_url})
    assert process.returncode == 0, process.stdout + process.stderr
    assert len(requests_to(sim, "POST", TOKEN)) == 2, "one token at the start, one renewal"
    statuses = [entry["status"] for entry in requests_to(sim, "GET", "SipDevices")]
    assert statuses == [401, 200]


def parallel_adhoc(ansible, module_args, runs=6):
    """Start `runs` ad hoc module runs at once with the same API client; their outputs once all have ended."""
    env = ansible.env(credentials_in_env=True)
    command = [str(ANSIBLE_BIN / "ansible"), "localhost", "-i", "localhost,", "-c", "local",
               "-m", "threecx.xapi.threecx_sip_device_info", "-a", module_args]
    processes = [subprocess.Popen(command, cwd=ansible.workdir, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) for _run in range(runs)]
    outputs = [process.communicate(timeout=300)[0] for process in processes]
    for output in outputs:
        ansible.record(output)
    assert all(process.returncode == 0 for process in processes), "\n".join(outputs)


def test_six_parallel_runs_with_one_api_client(ansible, sim):
    # The token endpoint takes 8 s to answer, far longer than the stagger of six ansible start-ups, so
    # every run looks for a token while the first one's is still on its way: without the cache's lock
    # each would fetch its own (and kill the others').
    hold = 8
    sim.fault(path=TOKEN, method="POST", delay=hold, status=None, times=6)
    parallel_adhoc(ansible, "top=5")
    # The token cache makes the forks share one token instead of killing each other's.
    tokens = requests_to(sim, "POST", TOKEN)
    assert len(tokens) == 1, "one token for six runs"
    reads = requests_to(sim, "GET", "SipDevices")
    assert [entry["status"] for entry in reads] == [200] * 6
    # Proof that they contended: the runs were all waiting on the lock and were released together
    # when the token came, rather than arriving one after the other and finding it cached.
    times = sorted(entry["time"] for entry in reads)
    assert times[0] >= tokens[0]["time"] + hold - 0.01
    assert times[-1] - times[0] < hold / 2, "the six reads came together after the held token: %s" % times


def test_six_parallel_runs_without_the_token_cache_renew_killed_tokens(ansible, sim):
    # Each run fetches its own token, and each new token kills the ones before it. The first six
    # reads are held for 3 s before the PBX checks their token, so the runs surely collide.
    sim.fault(path="SipDevices", delay=3, times=6)
    parallel_adhoc(ansible, "top=5 token_cache=false")
    statuses = [entry["status"] for entry in requests_to(sim, "GET", "SipDevices")]
    assert statuses.count(200) == 6, "every run ends with one good read"
    assert 401 in statuses, "the runs did kill each other's tokens, and renewed them"
    assert set(statuses) == {200, 401}


def test_malformed_json_is_reported_as_such(ansible, sim):
    sim.fault(path=LICENCE, status=200, body="malformed", times=1)
    process, result = licence_read(ansible)
    assert process.returncode != 0
    assert "invalid JSON" in result["msg"]
    assert "Traceback" not in process.stdout + process.stderr


# Longer than any run of the module may take, even on a loaded machine: a run that ends before it ended on its
# own timeout, not on the PBX's answer. No clock is read: the log and the fault queue say what happened.
HELD_ANSWER = 120


def test_answer_slower_than_timeout_fails_naming_the_timeout_without_waiting_for_the_answer(ansible, sim):
    sim.fault(path=LICENCE, delay=HELD_ANSWER, times=10)
    process, result = licence_read(ansible, "timeout=1 retries=1")
    assert process.returncode != 0
    host_port = sim.base_url.split("://", 1)[1]
    assert result["msg"].startswith("GET %s/xapi/v1/%s: timed out after 1.0 seconds waiting for %s."
                                    % (sim.base_url, LICENCE, host_port)), result["msg"]
    assert "Traceback" not in process.stdout + process.stderr
    # A read timeout is retried for reads: retries=1 sent the read twice, and no more. The fault queue counts
    # the requests that reached the PBX; the log cannot yet, as the simulator logs a request when it answers.
    (fault,) = sim.call("GET", "/_sim/faults")
    assert fault["times_left"] == 10 - 2, "two attempts reached the PBX"
    # Neither held answer had been given when the module gave up.
    assert requests_to(sim, "GET", LICENCE) == []


def test_nothing_listening(ansible):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process, result = ansible.adhoc(
        "threecx_license_info",
        "base_url=http://127.0.0.1:%d client_id=x client_secret=%s retries=0" % (port, CLIENT_SECRET),
        credentials_in_env=False)
    assert process.returncode != 0
    assert "127.0.0.1:%d" % port in result["msg"]
    assert "connection refused" in result["msg"].lower()


@pytest.mark.parametrize("apply_after", [False, True], ids=["503-before-write", "503-after-write"])
def test_licence_edit_retried_after_503_ends_in_requested_state(ansible, sim, apply_after):
    sim.fault(path="EditLicenseInfo", method="POST", status=503, retry_after=1, times=1, apply_after=apply_after)
    process = ansible.playbook("""
- threecx.xapi.threecx_license:
    email: retry@example.org
    phone: "+4420799999"
  register: edit
- ansible.builtin.assert:
    that:
      - edit is changed
      - edit.license_status.EMail == 'retry@example.org'
      - edit.license_status.Telephone == '+4420799999'
""")
    assert process.returncode == 0, process.stdout + process.stderr
    posts = requests_to(sim, "POST", "EditLicenseInfo")
    assert [entry["status"] for entry in posts] == [503, 204]
    assert posts[0]["body"] == posts[1]["body"]


def test_failed_login_is_not_retried(ansible, sim):
    process, result = ansible.adhoc(
        "threecx_license_info", "base_url=%s client_id=%s client_secret=wrong-secret" % (sim.base_url, CLIENT_ID),
        credentials_in_env=False)
    assert process.returncode != 0
    assert len(requests_to(sim, "POST", TOKEN)) == 1, "a failed login must never be retried"
    assert "HTTP 401" in result["msg"] and "XAPI access enabled" in result["msg"]
    assert "wrong-secret" not in process.stdout + process.stderr


def test_secrets_stay_out_of_vvvv_output(ansible, sim):
    ok = ansible.playbook("- threecx.xapi.threecx_license_info:\n", args=["-vvvv"])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    sim.fault(path=LICENCE, status=500, times=1)
    failed = ansible.playbook("- threecx.xapi.threecx_license_info:\n", args=["-vvvv"])
    assert failed.returncode != 0
    assert ansible.cached_tokens(), "the run left a token to look for"
    # The `ansible` fixture greps every output of this test for the secret and the tokens.


@pytest.fixture
def tls_ansible(tmp_path, tls_simulator):
    runner = Ansible(tmp_path, tls_simulator)
    yield runner
    assert_no_secrets(runner)


class TestTls:
    def test_self_signed_certificate_fails_by_default(self, tls_ansible):
        process, result = tls_ansible.adhoc("threecx_license_info")
        assert process.returncode != 0
        assert "ca_path" in result["msg"] and "validate_certs" in result["msg"]

    def test_ca_path_to_the_certificate_works(self, tls_ansible, tls_simulator):
        process, result = tls_ansible.adhoc("threecx_license_info", "ca_path=%s" % tls_simulator.ca_path)
        assert process.returncode == 0, process.stdout + process.stderr
        assert result["license_status"]

    def test_validate_certs_false_works(self, tls_ansible):
        process, _result = tls_ansible.adhoc("threecx_license_info", "validate_certs=false")
        assert process.returncode == 0, process.stdout + process.stderr

    def test_ca_bundle_environment_does_not_override_validate_certs(self, tls_ansible):
        process, _result = tls_ansible.adhoc("threecx_license_info", "validate_certs=false",
                                             env={"REQUESTS_CA_BUNDLE": "/nonexistent/ca.pem"})
        assert process.returncode == 0, process.stdout + process.stderr


def test_load_40_hosts_forks_20(ansible, sim, tmp_path):
    inventory = tmp_path / "inventory.ini"
    inventory.write_text("[pbxes]\n" + "".join("pbx%02d ansible_connection=local\n" % n for n in range(40)))
    process = ansible.playbook("""
- threecx.xapi.threecx_license_info:
  delegate_to: localhost
- threecx.xapi.threecx_sip_device_info:
  delegate_to: localhost
""", hosts="pbxes", inventory=str(inventory), args=["--forks", "20"])
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    assert process.stdout.count("ok=2 ") == 40
    assert len(requests_to(sim, "GET", LICENCE)) == 40
    assert len(requests_to(sim, "GET", "SipDevices")) == 40  # 50 devices fit one page of 100
    assert len(requests_to(sim, "POST", TOKEN)) == 1, "forty hosts, one PBX, one API client: one token"


def test_a_read_survives_a_dropped_connection(ansible, sim):
    # The PBX (or a proxy before it) closes the connection without answering, once.
    sim.fault(path=LICENCE, method="GET", drop=True, times=1)
    process, result = licence_read(ansible)
    assert process.returncode == 0, process.stdout + process.stderr
    assert result["license_status"]["CompanyName"]
    assert [entry["status"] for entry in requests_to(sim, "GET", LICENCE)] == [None, 200]


def wait_for_log(sim, method, path_part, count, timeout=15):
    """The log entries once `count` of them are there: a delayed request is logged when it is answered."""
    deadline = time.monotonic() + timeout
    while True:
        entries = requests_to(sim, method, path_part)
        if len(entries) >= count or time.monotonic() > deadline:
            return entries
        time.sleep(0.1)


@pytest.mark.parametrize("fault", [
    {"delay": 3, "status": None},
    {"drop": True, "apply_after": True},
], ids=["answer-slower-than-timeout", "answer-lost-after-the-write"])
def test_a_write_whose_answer_never_came_is_not_sent_again(ansible, sim, fault):
    # The PBX applies the write, but the client never hears so: sending it again could apply it twice.
    # A backup is such a write (a second POST is a second backup, or a DUPLICATE failure); writes that
    # only set state, such as the licence edit, are retried on purpose.
    sim.fault(path="Pbx.Backup", method="POST", times=1, **fault)
    process, result = ansible.adhoc(
        "threecx_xapi", """operation=Backup body='{"description": {"Name": "once"}}' timeout=1 retries=3""")
    assert process.returncode != 0, "a write without an answer is not known to have succeeded"
    assert "Traceback" not in process.stdout + process.stderr
    assert "Pbx.Backup" in result["msg"], result["msg"]
    time.sleep(fault.get("delay", 0) + 0.5)  # let a retried POST arrive, if the client sent one
    posts = wait_for_log(sim, "POST", "Pbx.Backup", 1)
    assert len(posts) == 1, "the write was sent %d times" % len(posts)
