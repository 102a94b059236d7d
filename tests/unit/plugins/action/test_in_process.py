# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process runner of the action plugin: one run leaves nothing behind for the next in the same process.

ansible-core forks a worker per task today, but nothing promises it: these tests run modules one after
another in one process, as a worker that ran many tasks would.
"""

from __future__ import annotations

import json
import os
import sys
import types

import pytest

from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule, env_fallback

from ansible_collections.threecx.xapi.plugins.action import threecx_xapi as plugin

FAKE = "threecx_unit_fake_module"


def fake_main():
    """A module with an environment fallback, a secret, a warning and a deprecation."""
    module = AnsibleModule(argument_spec=dict(
        name=dict(type="str", fallback=(env_fallback, ["FAKE_NAME"])),
        secret=dict(type="str", no_log=True),
        warn=dict(type="bool", default=False),
        crash=dict(type="bool", default=False),
    ), supports_check_mode=True)
    if module.params["warn"]:
        module.warn("warned about %s" % module.params["name"])
        module.deprecate("going away", version="9.0.0", collection_name="threecx.xapi")
    if module.params["crash"]:
        raise RuntimeError("crashed holding %s" % module.params["secret"])
    module.exit_json(changed=False, name=module.params["name"], echo=module.params["secret"],
                     check_mode=module.check_mode)


@pytest.fixture(autouse=True)
def fake_module(monkeypatch):
    monkeypatch.setitem(sys.modules, FAKE, types.SimpleNamespace(main=fake_main))


def run(args, environment=None):
    with plugin.module_run(dict(args), environment or {}) as output:
        rc = plugin.call_main(FAKE)
    return rc, output


def result_of(output):
    return json.loads(output.stdout.getvalue())


def test_the_result_is_captured_not_printed(capsys):
    rc, output = run({"name": "a", "_ansible_check_mode": True})
    assert rc == 0
    assert result_of(output)["name"] == "a"
    assert result_of(output)["check_mode"] is True
    assert capsys.readouterr().out == ""


def test_a_second_run_sees_its_own_arguments_not_the_first_ones():
    run({"name": "first"})
    _rc, output = run({})
    assert result_of(output)["name"] is None
    assert basic._ANSIBLE_ARGS is None


def test_warnings_and_deprecations_do_not_carry_over_to_the_next_run():
    _rc, first = run({"name": "a", "warn": True})
    assert "warned about a" in json.dumps(result_of(first)["warnings"])
    assert result_of(first)["deprecations"]
    _rc, second = run({"name": "b"})
    assert "warnings" not in result_of(second)
    assert "deprecations" not in result_of(second)


def test_the_task_environment_feeds_fallbacks_and_is_gone_afterwards(monkeypatch, tmp_path):
    monkeypatch.delenv("FAKE_NAME", raising=False)
    monkeypatch.chdir(tmp_path)
    _rc, output = run({}, {"FAKE_NAME": "from-task-environment"})
    assert result_of(output)["name"] == "from-task-environment"
    assert "FAKE_NAME" not in os.environ
    assert os.getcwd() == str(tmp_path)


def test_the_worker_environment_is_seen_as_a_module_process_would_inherit_it(monkeypatch):
    monkeypatch.setenv("FAKE_NAME", "from-worker")
    _rc, output = run({})
    assert result_of(output)["name"] == "from-worker"
    _rc, output = run({}, {"FAKE_NAME": "task-wins"})
    assert result_of(output)["name"] == "task-wins"
    assert os.environ["FAKE_NAME"] == "from-worker"


def test_no_log_values_are_masked_as_in_a_module_process():
    _rc, output = run({"secret": "hunter2-value", "name": "n"})
    assert "hunter2-value" not in output.stdout.getvalue()


def test_a_failing_validation_exits_1_with_the_module_message():
    rc, output = run({"nonsense": 1})
    assert rc == 1
    assert "Unsupported parameters" in result_of(output)["msg"]


def test_a_crash_becomes_a_failed_result_without_the_secret():
    args = {"secret": "hunter2-value", "crash": True}
    with pytest.raises(RuntimeError) as caught:
        run(args)
    failure = plugin.plugin_failure("threecx.xapi.fake", caught.value, dict(args, client_secret="conn-secret-value"))
    assert failure["failed"] is True
    assert "RuntimeError" in failure["msg"]
    assert "THREECX_EXECUTION=module" in failure["msg"]
    text = json.dumps(failure)
    assert "hunter2-value" not in text
    assert "conn-secret-value" not in text


def test_the_environment_is_restored_even_where_the_run_itself_changed_it(monkeypatch):
    monkeypatch.setenv("FAKE_KEPT", "worker")
    monkeypatch.setenv("FAKE_REMOVED", "worker")
    monkeypatch.delenv("FAKE_ADDED", raising=False)
    with plugin.process_environment({"FAKE_KEPT": "task"}):
        os.environ["FAKE_KEPT"] = "changed by the run"
        del os.environ["FAKE_REMOVED"]
        os.environ["FAKE_ADDED"] = "added by the run"
    assert (os.environ["FAKE_KEPT"], os.environ["FAKE_REMOVED"]) == ("worker", "worker")
    assert "FAKE_ADDED" not in os.environ


def subclass_in_action_file(name):
    """What loading plugins/action/<name>.py does: subclass the one action plugin in a module of that name."""
    return type("ActionModule", (plugin.ActionModule,), {"__module__": "ansible_collections.threecx.xapi.plugins.action." + name})


def test_loading_a_modules_action_file_imports_the_module_before_the_workers_fork(monkeypatch):
    module_name = plugin.MODULES_PACKAGE + "threecx_group_info"
    monkeypatch.delitem(sys.modules, module_name, raising=False)
    subclass_in_action_file("threecx_group_info")
    assert module_name in sys.modules
    assert callable(sys.modules[module_name].main)


def test_an_action_file_without_a_module_of_its_name_still_loads():
    # The worker then fails the task cleanly (plugin_failure); loading the plugin must not.
    assert subclass_in_action_file("no_such_module").run is plugin.ActionModule.run
