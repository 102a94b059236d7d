# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Modules run in this process against the simulator, so that unit tests (and mutmut) reach their logic.

The integration tests run the same modules through ansible-playbook; these runs are the quick,
in-process counterpart: `main()` with its arguments patched in, the result read from stdout, and
what reached the PBX read from the simulator's request log.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

COLLECTION_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(COLLECTION_ROOT / "tests" / "simulator"))

from harness import Simulator, spec_path  # noqa: E402  pylint: disable=wrong-import-position

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19
    import contextlib
    from unittest import mock

    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args):
        with mock.patch.object(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))):
            yield

SIM_CLIENT_ID = "unit-module-client"
SIM_CLIENT_SECRET = "unit-module-secret-Rk4v9"
MASK = "********"


def start_simulator():
    """The simulator the module tests share (conftest's `pbx_process`): 30 phones, and the spec when it is there."""
    return Simulator(client_id=SIM_CLIENT_ID, client_secret=SIM_CLIENT_SECRET, devices=30, spec=spec_path())


def borrowed_simulator(base_urls):
    """One of the running simulators at `base_urls` that no other test session holds, reset, until the session ends.

    `make mutation` starts its simulators once for the whole run (tests/mutation/run.py) and names them in
    THREECX_UNIT_SIMULATORS: mutmut runs a test session per mutant, and starting a simulator for each
    would cost more than most mutants' tests. A lock file per simulator keeps two sessions off one.
    """
    while True:
        for base_url in base_urls:
            lock = os.path.join(tempfile.gettempdir(), "threecx-unit-simulator-%s.lock" % base_url.rsplit(":", 1)[1])
            handle = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                continue
            return _held(handle, base_url)
        time.sleep(0.05)


@contextlib.contextmanager
def _held(handle, base_url):
    try:
        sim = Simulator(client_id=SIM_CLIENT_ID, client_secret=SIM_CLIENT_SECRET, devices=30, spec=spec_path())
        sim.base_url, sim.port = base_url, int(base_url.rsplit(":", 1)[1])
        sim.reset()
        yield sim
    finally:
        os.close(handle)


def run_module(module, pbx, capsys, check_mode=False, diff=False, **args):
    """Run `module.main()` with `args` and the simulator's connection; its result, `failed` or not."""
    settings = dict(base_url=pbx.base_url, client_id=SIM_CLIENT_ID, client_secret=SIM_CLIENT_SECRET, retries=1)
    settings.update(args)
    settings = {name: value for name, value in settings.items() if value is not None}
    settings.update(_ansible_check_mode=check_mode, _ansible_diff=diff)
    capsys.readouterr()
    with patch_module_args(settings), pytest.raises(SystemExit) as exited:
        module.main()
    result = json.loads(capsys.readouterr().out)
    assert (exited.value.code != 0) == bool(result.get("failed")), result
    assert SIM_CLIENT_SECRET not in json.dumps(result)
    return result


def writes(pbx):
    return [(entry["method"], entry["path"]) for entry in pbx.writes()]


def lifecycle(pbx, capsys, module, entity_set, args, change, result_key):
    """create → again (no write) → check mode (no write) → one change (one PATCH with that field) → delete →
    delete again. `change` is (option, value, XAPI property). Returns the created item."""
    created = run_module(module, pbx, capsys, **args)
    assert created["changed"] is True, created
    assert writes(pbx) == [("POST", "/xapi/v1/" + entity_set)]

    pbx.clear_log()
    again = run_module(module, pbx, capsys, **args)
    assert again["changed"] is False and writes(pbx) == [], "the same run again writes nothing"
    reads = len(api_requests(pbx))

    option, value, prop = change
    changed_args = dict(args, **{option: value})
    pbx.clear_log()
    checked = run_module(module, pbx, capsys, check_mode=True, diff=True, **changed_args)
    assert checked["changed"] is True and writes(pbx) == [], "check mode writes nothing"
    assert checked["diff"]["before"] != checked["diff"]["after"]
    assert len(api_requests(pbx)) == reads, "check mode reads as much as a run without change"

    pbx.clear_log()
    applied = run_module(module, pbx, capsys, **changed_args)
    assert applied["changed"] is True
    (patch,) = pbx.writes()
    assert patch["method"] == "PATCH" and set(patch["body"]) == {prop}, "one PATCH carrying only the changed field"

    pbx.clear_log()
    deleted = run_module(module, pbx, capsys, **dict(args, state="absent"))
    assert deleted["changed"] is True and [method for method, _path in writes(pbx)] == ["DELETE"]

    pbx.clear_log()
    gone = run_module(module, pbx, capsys, **dict(args, state="absent"))
    assert gone["changed"] is False and writes(pbx) == []
    return created[result_key]


def failed(pbx, capsys, module, **args):
    result = run_module(module, pbx, capsys, **args)
    assert result.get("failed") is True, result
    return result


def logged(pbx, method=None, path_part=""):
    return [entry for entry in pbx.log()
            if (method is None or entry["method"] == method) and path_part in entry["path"]]


def api_requests(pbx):
    """What reached the API itself (token requests left out)."""
    return [entry for entry in pbx.log() if entry["path"].startswith("/xapi/")]


def query_of(entry):
    """A logged request's query options as {name: value}."""
    options = {}
    for part in entry["query"].split("&") if entry["query"] else []:
        name, _equals, value = part.partition("=")
        options[name] = value
    return options


def held(pbx, path):
    """What the simulator holds at an XAPI path, read straight from it; its requests leave the log."""
    request = urllib.request.Request(pbx.base_url + "/xapi/v1/" + path, headers={"Authorization": "Bearer " + pbx.token()})
    with urllib.request.urlopen(request, timeout=30) as answer:
        data = json.loads(answer.read())
    pbx.clear_log()
    return data
