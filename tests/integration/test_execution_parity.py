# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The same tasks in the controller's process and as module processes give the same results, key by key.

Each module's representative tasks (reads, writes in check mode, real writes, failures) run twice
against a freshly reset simulator: once as they run by default, once with THREECX_EXECUTION=module.
An interpreter that logs every module process it starts proves which path each run took, and the
simulator's request log proves both sent the same requests. Both runs are at -vvvv, and the
`ansible` fixture greps their output for the secret and the tokens.
"""

from __future__ import annotations

import json
import re
import shutil
import sys

from conftest import CLIENT_ID, CLIENT_SECRET

# A file in a traceback, as the result's JSON text holds it: File \"<anything>/ansible_collections/...
TRACEBACK_FILE = re.compile(r'File \\"[^"]*?/(ansible_collections|ansible)/')

# Logs the name of each module it runs, then runs it with the real interpreter.
LOGGING_PYTHON = """#!%(python)s
import os, subprocess, sys
with open(os.environ["PARITY_MODULE_LOG"], "a") as log:
    log.write(os.path.basename(sys.argv[1]) + "\\n")
sys.exit(subprocess.call([%(python)r] + sys.argv[1:]))
"""

# name, task arguments, task keywords. Every task is registered under its name and may fail.
TASKS = [
    ("licence_read", {"threecx.xapi.threecx_license_info": {}}, {}),
    ("licence_select", {"threecx.xapi.threecx_license_info": {"select": ["ProductCode", "ExpirationDate"]}}, {}),
    ("licence_unknown_option", {"threecx.xapi.threecx_license_info": {"bogus": 1}}, {}),
    ("licence_edit_check", {"threecx.xapi.threecx_license": {"email": "parity@example.com"}},
     {"check_mode": True, "diff": True}),
    ("licence_edit", {"threecx.xapi.threecx_license": {"email": "parity@example.com", "company_name": "Parity Ltd"}},
     {"diff": True}),
    ("licence_edit_again", {"threecx.xapi.threecx_license": {"email": "parity@example.com"}}, {}),
    ("licence_bad_params", {"threecx.xapi.threecx_license": {"license_params": {"Fax": "1"}}}, {}),
    ("devices", {"threecx.xapi.threecx_sip_device_info": {"top": 3, "count": True}}, {}),
    ("devices_negative_top", {"threecx.xapi.threecx_sip_device_info": {"top": -1}}, {}),
    ("registrar", {"threecx.xapi.threecx_phone_registrar_info": {"mac": "{{ devices.sip_devices[0].Registrar.MAC }}"}},
     {}),
    ("registrar_bad_mac", {"threecx.xapi.threecx_phone_registrar_info": {"mac": "zz"}}, {}),
    ("registrar_missing_mac", {"threecx.xapi.threecx_phone_registrar_info": {}}, {}),
    ("failover", {"threecx.xapi.threecx_failover_script_info": {"top": 2}}, {}),
    ("xapi_get", {"threecx.xapi.threecx_xapi": {"operation": "ListSipDevice", "top": 2}}, {}),
    ("xapi_backup_check", {"threecx.xapi.threecx_xapi": {"operation": "Backup",
                                                         "body": {"description": {"Name": "parity"}}}},
     {"check_mode": True}),
    ("xapi_backup", {"threecx.xapi.threecx_xapi": {"operation": "Backup", "body": {"description": {"Name": "parity"}}}},
     {}),
    ("xapi_unknown_operation", {"threecx.xapi.threecx_xapi": {"operation": "ListSipDevices"}}, {}),
    # A PBX fault: the simulator answers 500 to every read of the fax server settings (set up by the test).
    ("pbx_fault", {"threecx.xapi.threecx_xapi": {"operation": "GetFaxServerSettings", "retries": 0}}, {}),
    # A warning: the token cache directory lies under a file, so the module warns and goes on without it.
    ("cache_warning", {"threecx.xapi.threecx_license_info": {"token_cache_dir": "{{ out }}/a-file/tokens"}}, {}),
]

# A loop runs its items in one worker process, one after the other: the first item's warning (its token
# cache directory lies under a file) must not reach the second item's result.
LOOP_TASK = ("loop_items", {"threecx.xapi.threecx_license_info": {"token_cache_dir": "{{ item }}"}},
             {"loop": ["{{ out }}/a-file/tokens", "{{ out }}/loop-tokens"]})
# base_url from the task's `environment:` keyword, as a module process would read it: the controller's own
# THREECX_BASE_URL points at a port where nothing listens. (Not the secret: on the module path, ansible-core
# itself prints a task's environment in the command line it shows at -vvv.)
ENVIRONMENT_TASK = ("from_environment", {"threecx.xapi.threecx_license_info": {}},
                    {"environment": {"THREECX_BASE_URL": "{{ sim_url }}"}})
DEAD_URL = "http://127.0.0.1:9"


def play(base_url, hosts, tasks, with_base_url):
    body = []
    for name, action, keywords in tasks:
        body.append(dict(action, name=name, register=name, ignore_errors=True, **keywords))
    body.append({"name": "Save every result", "ansible.builtin.copy": {
        "content": "{{ %s | to_json }}" % "{ %s }" % ", ".join("'%s': %s" % (name, name) for name, _a, _k in tasks),
        "dest": "{{ out }}/results-%s.json" % hosts.replace(",", ""), "mode": "0644"}})
    connection = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    if with_base_url:
        connection["base_url"] = base_url
    return {"hosts": hosts, "gather_facts": False, "vars": {"sim_url": base_url}, "tasks": body,
            "module_defaults": {"group/threecx.xapi.xapi": connection}}


def comparable(key, value):
    """A traceback (ansible-core 2.16 adds one to a failure) without its source lines: Python shows them
    for the installed files the in-process run imports, and not for the module payload's zipped ones."""
    if key != "exception":
        return value
    return [line for line in value.splitlines() if not line.startswith("    ")]


def logging_interpreter(workdir):
    """An interpreter for ANSIBLE_PYTHON_INTERPRETER that logs each module process; (interpreter, log)."""
    module_log = workdir / "modules.log"
    module_log.touch()
    python = workdir / "logging-python"
    python.write_text(LOGGING_PYTHON % {"python": sys.executable})
    python.chmod(0o755)
    return python, module_log


def collection_modules_run(module_log):
    return [line for line in module_log.read_text().splitlines() if "threecx" in line]


def run_both_plays(ansible, sim, mode):
    """Run the parity playbook once on a fresh simulator; (results by task, module processes, requests)."""
    sim.reset()
    sim.wait_for_spec()
    sim.fault(path="/xapi/v1/FaxServerSettings", status=500, times=5)
    workdir = ansible.workdir / mode
    workdir.mkdir()
    (workdir / "a-file").write_text("not a directory")
    python, module_log = logging_interpreter(workdir)
    playbook = workdir / "parity.yml"
    playbook.write_text(json.dumps([play(sim.base_url, "localhost", TASKS + [LOOP_TASK], with_base_url=True),
                                    play(sim.base_url, "local-env", [ENVIRONMENT_TASK], with_base_url=False)]))
    inventory = workdir / "inventory.ini"
    inventory.write_text("localhost ansible_connection=local\nlocal-env ansible_connection=local\n")
    env = {"ANSIBLE_PYTHON_INTERPRETER": str(python), "PARITY_MODULE_LOG": str(module_log),
           "THREECX_EXECUTION": mode, "THREECX_BASE_URL": DEAD_URL}
    # Each run fetches its own token, so that both send the same requests.
    shutil.rmtree(ansible.token_cache_dir, ignore_errors=True)
    process = ansible._run([str(sys.executable.rsplit("/", 1)[0] + "/ansible-playbook"), "-i", str(inventory),
                            "-e", "out=%s" % workdir, str(playbook), "-vvvv"], env)
    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    for token in ansible.cached_tokens():
        assert token not in process.stdout + process.stderr, "a token leaked into the -vvvv output"
    results = {}
    for play_results in ("results-localhost.json", "results-local-env.json"):
        # What the runs may differ in: the directory each was given, and where the files in a traceback
        # (ansible-core 2.16 adds one to a failure) are: unpacked from the module's payload, or installed.
        text = (workdir / play_results).read_text().replace(str(workdir), "<out>")
        results.update(json.loads(TRACEBACK_FILE.sub(r'File \\"\1/', text)))
    modules = collection_modules_run(module_log)
    requests = [(entry["method"], entry["path"], entry["query"], entry["status"]) for entry in sim.log()]
    return results, modules, requests, process.stdout


def test_in_process_and_module_runs_give_the_same_results(ansible, sim):
    in_process, in_process_modules, in_process_requests, in_process_output = run_both_plays(ansible, sim, "auto")
    as_module, module_processes, module_requests, module_output = run_both_plays(ansible, sim, "module")

    assert in_process_modules == [], "the default run must start no module process of the collection"
    assert len(module_processes) == len(TASKS) + 3, "THREECX_EXECUTION=module runs every task as a module process"

    assert sorted(in_process) == sorted(as_module)
    for name in in_process:
        assert sorted(in_process[name]) == sorted(as_module[name]), name
        for key in in_process[name]:
            assert comparable(key, in_process[name][key]) == comparable(key, as_module[name][key]), \
                "%s: %s differs" % (name, key)
    assert in_process_requests == module_requests, "both paths must send the same requests"

    # What the comparison covered: each kind of task did what it is there for.
    assert in_process["licence_read"]["failed"] is False and "license_status" in in_process["licence_read"]
    assert "Unsupported parameters" in in_process["licence_unknown_option"]["msg"]
    assert in_process["licence_edit_check"]["changed"] is True and "diff" in in_process["licence_edit_check"]
    assert in_process["licence_edit"]["changed"] is True and in_process["licence_edit_again"]["changed"] is False
    assert in_process["licence_bad_params"]["failed"] is True
    assert "top must be 0 or more" in in_process["devices_negative_top"]["msg"]
    assert in_process["registrar"]["failed"] is False
    assert "missing required arguments: mac" in in_process["registrar_missing_mac"]["msg"]
    assert in_process["xapi_backup_check"]["status"] is None and in_process["xapi_backup"]["status"] in (200, 204)
    assert "did you mean ListSipDevice?" in in_process["xapi_unknown_operation"]["msg"]
    assert in_process["pbx_fault"]["status"] == 500
    assert any("token cache" in warning for warning in in_process["cache_warning"]["warnings"])
    assert in_process["from_environment"]["failed"] is False
    # ansible-core 2.19 gathers the items' warnings at the top of a loop's result; 2.16 leaves them in the items.
    loop = in_process["loop_items"]
    loop_warnings = loop.get("warnings", []) + [warning for item in loop["results"] for warning in item.get("warnings", [])]
    assert len([warning for warning in loop_warnings if "token cache" in warning]) == 1, loop_warnings
    assert "warnings" not in loop["results"][1]
    # At -vvvv the callback shows each task's invocation, with the no_log options masked, on both paths.
    for output in (in_process_output, module_output):
        assert '"client_secret": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"' in output
    assert CLIENT_SECRET not in json.dumps(in_process)


def test_async_falls_back_to_a_module_process(ansible, sim):
    python, module_log = logging_interpreter(ansible.workdir)
    process = ansible.playbook("""
- name: An asynchronous read runs as a module process
  threecx.xapi.threecx_license_info:
  async: 60
  poll: 1
  register: licence
- ansible.builtin.assert:
    that: licence.license_status.ProductCode is defined
""", env={"ANSIBLE_PYTHON_INTERPRETER": str(python), "PARITY_MODULE_LOG": str(module_log)})
    assert process.returncode == 0, process.stdout + process.stderr
    assert collection_modules_run(module_log) == ["AnsiballZ_threecx_license_info.py"]


def test_an_unknown_execution_mode_fails_naming_the_variable_before_any_request(ansible, sim):
    process, result = ansible.adhoc("threecx_license_info", env={"THREECX_EXECUTION": "inline"})
    assert process.returncode != 0
    assert result["msg"] == "THREECX_EXECUTION must be one of auto, module; got 'inline'"
    assert sim.log() == []
