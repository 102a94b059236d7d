# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole-PBX apply (threecx_config) against one listing and against a loop of per-entity tasks.

    ANSIBLE_COLLECTIONS_PATH=.build/installed python bench/config_bench.py [--runs 3] [--skip-loop]

A simulator is filled with 500 users, 20 departments, 20 queues and 20 ring groups, and exported with
threecx_config_export. Then, in one session:
- a no-op apply of that document, alternately with one threecx_user_info task listing the 500 users and
  with the same no-op apply on the module path (THREECX_EXECUTION=module), medians of --runs rounds after
  a warm-up; the no-op's requests are counted from the simulator's log (no write, one paged list per
  entity set);
- the same document applied as a loop of per-entity tasks (threecx_group, threecx_user, threecx_queue,
  threecx_ring_group, threecx_holiday, threecx_blocked_number, threecx_contact, threecx_outbound_rule,
  threecx_inbound_rule, and one threecx_office_hours task), once: the ratio to the no-op apply;
- the document applied to a freshly reset simulator (which holds only the seed), once: the time per
  item created, and the requests.
`make bench` runs it after run_bench.py; the numbers go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run_bench import BIN, CLIENT_ID, CLIENT_SECRET, MODULE_PATH, Simulator, alternate, ansible_env, timed  # noqa: E402

USERS, DEPARTMENTS, QUEUES, RING_GROUPS = 500, 20, 20, 20
# The list sections in the order threecx_config applies them (office_hours, a mapping, is one task of its own).
MODULES = {"groups": "threecx_group", "users": "threecx_user", "queues": "threecx_queue",
           "ring_groups": "threecx_ring_group", "holidays": "threecx_holiday", "blocked_numbers": "threecx_blocked_number",
           "contacts": "threecx_contact", "outbound_rules": "threecx_outbound_rule",
           "inbound_rules": "threecx_inbound_rule"}
# Each section's options, as the loop passes them (the modules' own names; absent ones omitted).
OPTIONS = {
    "groups": ["name", "language", "timezone_id"],
    "users": ["number", "first_name", "last_name", "email", "mobile", "outbound_caller_id", "language", "enabled",
              "require_2fa", "groups"],
    "queues": ["number", "name", "polling_strategy", "ring_timeout", "max_callers", "wrap_up_time", "sla_time",
               "agents", "managers"],
    "ring_groups": ["number", "name", "ring_strategy", "ring_time", "members"],
    "holidays": ["name", "day", "month", "year", "day_end", "month_end", "year_end", "is_recurrent", "start_time",
                 "end_time", "prompt"],
    "blocked_numbers": ["caller_id", "description"],
    "contacts": ["first_name", "last_name", "company_name", "email", "mobile", "business", "business2", "home",
                 "phone_number", "title", "department"],
    "outbound_rules": ["name", "prefix", "number_length_ranges", "dn_ranges", "groups", "routes"],
    "inbound_rules": ["did", "trunk", "name", "condition", "office_hours_destination", "out_of_office_destination"],
    "office_hours": ["hours", "break_time", "time_zone_id", "system_language"],
}


def fill(sim):
    """The seed plus departments, users, queues and ring groups up to the benchmark's sizes."""
    store = sim.store()
    groups = len(store["Groups"])
    sim.create("Groups", *[{"Name": "Department %02d" % n, "Language": "EN", "TimeZoneId": "51"}
                           for n in range(groups, DEPARTMENTS)])
    ids = [group["Id"] for group in sim.store("Groups")]
    users = len(store["Users"])
    sim.create("Users", *[{"Number": str(2000 + n), "FirstName": "User", "LastName": "Number %d" % n,
                           "EmailAddress": "user%d@example.com" % n, "Language": "EN", "Enabled": True,
                           "Groups": [{"GroupId": ids[n % len(ids)], "Rights": {"RoleName": "users"}}]}
                          for n in range(users, USERS)])
    sim.create("Queues", *[{"Number": str(820 + n), "Name": "Queue %d" % n, "PollingStrategy": "Hunt",
                            "Agents": [{"Number": str(2000 + 16 + n)}, {"Number": str(2100 + n)}]}
                           for n in range(len(store["Queues"]), QUEUES)])
    sim.create("RingGroups", *[{"Number": str(720 + n), "Name": "Ring group %d" % n, "RingStrategy": "RingAll",
                                "Members": [{"Number": str(2200 + n)}]}
                               for n in range(len(store["RingGroups"]), RING_GROUPS)])
    counts = {name: len(sim.store(name)) for name in ("Groups", "Users", "Queues", "RingGroups")}
    assert counts == {"Groups": DEPARTMENTS, "Users": USERS, "Queues": QUEUES, "RingGroups": RING_GROUPS}, counts


def play(workdir, name, tasks):
    path = Path(workdir) / (name + ".yml")
    path.write_text(yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    return [str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", str(path)]


def loop_tasks(document_path):
    tasks = [{"name": "Read the document", "ansible.builtin.set_fact": {
        "document": "{{ lookup('file', '%s') | from_yaml }}" % document_path}}]
    for section, module in MODULES.items():
        args = {option: "{{ item.%s | default(omit) }}" % option for option in OPTIONS[section]}
        tasks.append({"name": section, "threecx.xapi." + module: args, "loop": "{{ document.%s }}" % section,
                      "loop_control": {"label": "{{ item.%s | default('') }}" % OPTIONS[section][0]}})
        if section == "holidays":
            tasks.append({"name": "office_hours", "threecx.xapi.threecx_office_hours": {
                option: "{{ document.office_hours.%s | default(omit) }}" % option for option in OPTIONS["office_hours"]}})
    return tasks


def requests_of(sim):
    log = sim.log()
    counts = collections.Counter("%s %s" % (entry["method"], entry["path"].split("?")[0]) for entry in log)
    return len(log), dict(counts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-loop", action="store_true")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "results" / "config.json"))
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as workdir, \
            Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=5) as sim:
        env = ansible_env(sim.base_url, workdir, {"THREECX_TOKEN_CACHE_DIR": str(Path(workdir) / "tokens")})
        fill(sim)
        document = Path(workdir) / "pbx.yml"
        timed(play(workdir, "export", [{"threecx.xapi.threecx_config_export": {"dest": str(document)}}]), env, workdir)
        items = {name: len(value) for name, value in yaml.safe_load(document.read_text()).items()
                 if isinstance(value, list)}
        results["document"] = items

        apply = play(workdir, "apply", [{"threecx.xapi.threecx_config": {"src": str(document)}}])
        info = play(workdir, "info", [{"threecx.xapi.threecx_user_info": {"page_size": 500}}])
        sim.clear_log()
        timed(apply, env, workdir)
        total, counts = requests_of(sim)
        assert not sim.writes(), "a no-op apply wrote: %s" % sim.writes()[:3]
        results["noop_requests"] = {"total": total, "by_path": counts}

        module_path_env = dict(env, **MODULE_PATH)
        samples = alternate({"noop_apply": lambda: timed(apply, env, workdir),
                             "noop_apply_module_path": lambda: timed(apply, module_path_env, workdir),
                             "user_info_500": lambda: timed(info, env, workdir)}, args.runs)
        for name, runs in samples.items():
            results[name] = {"median_wall_s": statistics.median(run[0] for run in runs),
                             "walls_s": [round(run[0], 2) for run in runs],
                             "median_cpu_s": statistics.median(run[1] for run in runs)}
        results["noop_vs_user_info"] = results["noop_apply"]["median_wall_s"] / results["user_info_500"]["median_wall_s"]
        results["noop_module_path_vs_in_process"] = (results["noop_apply_module_path"]["median_wall_s"]
                                                     / results["noop_apply"]["median_wall_s"])
        report(results)

        if not args.skip_loop:
            loop = play(workdir, "loop", loop_tasks(document))
            sim.clear_log()
            wall = timed(loop, env, workdir)[0]
            assert not sim.writes(), "the loop wrote on an unchanged PBX"
            results["loop"] = {"wall_s": wall, "requests": len(sim.log())}
            results["loop_vs_noop_apply"] = wall / results["noop_apply"]["median_wall_s"]
            report(results)

        sim.reset()
        sim.clear_log()
        wall = timed(apply, env, workdir)[0]
        creates = [entry for entry in sim.writes() if entry["method"] == "POST"]
        total, counts = requests_of(sim)
        results["create_from_seed"] = {"wall_s": wall, "creates": len(creates), "requests": total,
                                       "s_per_created_item": wall / max(len(creates), 1),
                                       "other_writes": len(sim.writes()) - len(creates)}
    report(results)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1, sort_keys=True))


def report(results):
    print(json.dumps(results, indent=1, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
