# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A newcomer's first hour, run as they would run it: `ansible localhost -m ...` against the simulator.

The mistakes a new user makes (http for https and back, a mistyped port, half of the API path, the
Admin console's words for XAPI's) get messages that name the real cause, and the token cache does not grow.
"""

from __future__ import annotations

import json
import os
import stat
import time

from conftest import Ansible, assert_no_secrets, requests_to


def licence_at(ansible, base_url, extra=()):
    return ansible.adhoc("threecx_license_info", env={"THREECX_BASE_URL": base_url}, extra=extra)


def test_https_against_a_plain_http_port_says_so_and_not_certificate(ansible, sim):
    base_url = sim.base_url.replace("http://", "https://")
    process, result = licence_at(ansible, base_url)
    assert process.returncode != 0
    assert "speaks plain HTTP, not HTTPS: use http://" in result["msg"], result["msg"]
    for misleading in ("certificate", "validate_certs", "ca_path"):
        assert misleading not in result["msg"]
    assert sim.log() == []


def test_http_against_an_https_port_suggests_https(tmp_path, tls_simulator):
    tls_simulator.reset()
    runner = Ansible(tmp_path, tls_simulator)
    process, result = runner.adhoc("threecx_license_info",
                                   env={"THREECX_BASE_URL": tls_simulator.base_url.replace("https://", "http://")})
    assert process.returncode != 0
    assert "may expect HTTPS: try https://" in result["msg"], result["msg"]
    assert tls_simulator.log() == []
    assert_no_secrets(runner)


def test_a_port_out_of_range_is_named_before_any_request(ansible, sim):
    base_url = sim.base_url.rsplit(":", 1)[0] + ":87650"
    process, result = licence_at(ansible, base_url)
    assert process.returncode != 0
    assert "base_url has port 87650, which is not a port number (1 to 65535)" in result["msg"], result["msg"]
    assert sim.log() == []


def test_half_of_the_api_path_is_accepted_like_all_of_it(ansible, sim):
    process, result = licence_at(ansible, sim.base_url + "/xapi")
    assert process.returncode == 0, process.stdout + process.stderr
    assert result["license_status"]
    assert [entry["path"] for entry in requests_to(sim, "GET")] == ["/xapi/v1/LicenseStatus"]


def test_the_admin_consoles_words_are_suggested_in_xapis_terms(ansible, sim):
    process, result = ansible.adhoc("threecx_xapi", "operation=GetExtensions")
    assert process.returncode != 0
    assert "did you mean ListUser?" in result["msg"], result["msg"]
    assert sim.log() == []


def test_a_run_removes_expired_tokens_from_the_cache_and_keeps_its_modes(ansible, sim):
    cache = ansible.token_cache_dir
    cache.mkdir(mode=0o700)
    for key, expires_at in (("expired-pbx", time.time() - 60), ("live-pbx", time.time() + 3600)):
        entry = cache / (key + ".json")
        entry.write_text(json.dumps({"access_token": "t-" + key, "expires_at": expires_at}))
        entry.chmod(0o600)
        (cache / (key + ".lock")).touch(mode=0o600)
    (cache / "gone-pbx.lock").touch(mode=0o600)  # a lock whose token was discarded long ago
    process, _result = ansible.adhoc("threecx_license_info")
    assert process.returncode == 0, process.stdout + process.stderr
    names = sorted(os.listdir(cache))
    assert "expired-pbx.json" not in names and "expired-pbx.lock" not in names and "gone-pbx.lock" not in names
    assert {"live-pbx.json", "live-pbx.lock"} <= set(names) and len(names) == 4  # and the new token with its lock
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert {stat.S_IMODE((cache / name).stat().st_mode) for name in names} == {0o600}
    assert len(requests_to(sim, "POST", "/connect/token")) == 1
