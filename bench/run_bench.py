# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Side-by-side benchmarks of threecx.xapi against what users write without it.

    python bench/run_bench.py [--runs 5] [--fleet-runs 3] [--quick] [--only licence,cpu,paging,fleet]
                              [--out bench/results/latest.json]

Each comparison runs its contenders in one session, alternately, after one warm-up round that is
not counted; every other round runs them in reverse order, so neither always goes first. It
reports medians, so a noisy shared machine slows both sides alike. Results go to a JSON file and
a table on stdout. Needs ANSIBLE_COLLECTIONS_PATH pointing at an installed copy of the collection
(`make bench` arranges it). docs/performance.md explains the method and the results.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "simulator"))

from harness import Simulator  # noqa: E402  pylint: disable=wrong-import-position

BIN = Path(sys.executable).parent
CLIENT_ID = "bench"
CLIENT_SECRET = "bench-secret"
PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"
# The no-op apply of the configuration-as-code document is bench/config_bench.py's, which make bench runs next.
BENCHMARKS = ("licence", "cpu", "paging", "fleet")
# The two ways a task of the collection runs (docs/architecture.md, "What runs where"): in the controller's
# process, the default for a local connection, and as a module process, which THREECX_EXECUTION=module forces.
IN_PROCESS = {"THREECX_EXECUTION": "auto"}
MODULE_PATH = {"THREECX_EXECUTION": "module"}

# An interpreter for modules that runs the real one and logs the module process's own peak RSS and
# CPU: ANSIBLE_PYTHON_INTERPRETER points at it in the one untimed run that measures memory.
RUSAGE_PYTHON = """#!%(python)s
import json, os, subprocess, sys
child = subprocess.Popen([%(python)r] + sys.argv[1:])
_pid, status, usage = os.wait4(child.pid, 0)
with open(os.environ["BENCH_RUSAGE_LOG"], "a") as log:
    log.write(json.dumps({"module": os.path.basename(sys.argv[1]) if len(sys.argv) > 1 else "",
                          "peak_rss_mib": usage.ru_maxrss / 1024.0,
                          "cpu_seconds": usage.ru_utime + usage.ru_stime}) + "\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def ansible_env(base_url, workdir, extra=None):
    env = dict(os.environ)
    env.update({
        "ANSIBLE_HOME": str(Path(workdir) / "home"),
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "THREECX_BASE_URL": base_url,
        "THREECX_CLIENT_ID": CLIENT_ID,
        "THREECX_CLIENT_SECRET": CLIENT_SECRET,
    })
    env.update(extra or {})
    return env


def timed(command, env, cwd):
    """(wall seconds, CPU seconds, peak RSS in MiB) of one command and every process it waited for.

    os.wait4 gives the resource use of this one child: its CPU and that of its descendants, and
    the peak RSS of the largest single process among them (for a play, the controller or a module).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            out.seek(0)
            err.seek(0)
            raise RuntimeError("%s failed:\n%s\n%s" % (" ".join(map(str, command)), out.read()[-2000:].decode(errors="replace"),
                                                       err.read()[-2000:].decode(errors="replace")))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def playbook(name, base_url, workdir, extra_vars=None, inventory="localhost,", forks=None, env_extra=None):
    command = [str(BIN / "ansible-playbook"), "-i", inventory, str(PLAYBOOKS / name)]
    if inventory == "localhost,":
        command += ["-c", "local"]
    if forks:
        command += ["--forks", str(forks)]
    for key, value in (extra_vars or {}).items():
        command += ["-e", "%s=%s" % (key, value)]
    # A fresh token cache per run: each run pays for its own token, as a new play would.
    cache = tempfile.mkdtemp(dir=workdir, prefix="tokens-")
    return command, ansible_env(base_url, workdir, dict({"THREECX_TOKEN_CACHE_DIR": cache}, **(env_extra or {})))


def module_rusage(workdir, name, base_url, extra_vars=None):
    """Peak RSS and CPU of each module process of one untimed run of a playbook, on the module path."""
    wrapper = Path(workdir) / "rusage-python"
    if not wrapper.exists():
        wrapper.write_text(RUSAGE_PYTHON % {"python": sys.executable})
        wrapper.chmod(0o755)
    log = Path(tempfile.mkstemp(dir=workdir, prefix="rusage-", suffix=".log")[1])
    command, env = playbook(name, base_url, workdir, extra_vars, env_extra=dict(
        MODULE_PATH, ANSIBLE_PYTHON_INTERPRETER=str(wrapper), BENCH_RUSAGE_LOG=str(log)))
    timed(command, env, workdir)
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def alternate(contenders, runs, warmup=True):
    """Run each contender once per round for `runs` rounds; collect their measurements.

    One warm-up round first, not kept (cold caches, first AnsiballZ builds); the order of the
    contenders is reversed every other round.
    """
    samples = {name: [] for name in contenders}
    order = list(contenders)
    for round_number in range(-1 if warmup else 0, runs):
        names = order if round_number % 2 == 0 else order[::-1]
        for name in names:
            result = contenders[name]()
            if round_number >= 0:
                samples[name].append(result)
    return samples


def median_of(samples, index=0):
    return statistics.median(sample[index] for sample in samples)


def loadavg():
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def bench_licence_reads(workdir, runs):
    """Five licence reads: five tasks in-process and as modules, against five pairs of uri tasks (token, then GET)."""
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=50) as sim:
        def contender(name, extra_vars=None, env_extra=None):
            def run():
                sim.reset()
                result = timed(*playbook(name, sim.base_url, workdir, extra_vars, env_extra=env_extra), cwd=workdir)
                return result + (sim.stats()["requests"],)
            return run

        credentials = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
        samples = alternate({"in-process": contender("licence_reads_module.yml", env_extra=IN_PROCESS),
                             "module path": contender("licence_reads_module.yml", env_extra=MODULE_PATH),
                             "uri": contender("licence_reads_uri.yml", credentials)}, runs)
        sim.reset()
        modules = module_rusage(workdir, "licence_reads_module.yml", sim.base_url)
    ours, module_path, theirs = samples["in-process"], samples["module path"], samples["uri"]
    ratio = median_of(ours) / median_of(theirs)
    return {
        "name": "five licence reads",
        "runs": runs,
        "ours_seconds": round(median_of(ours), 3), "theirs_seconds": round(median_of(theirs), 3),
        "module_path_seconds": round(median_of(module_path), 3),
        "ratio": round(ratio, 3),
        "module_path_ratio": round(median_of(module_path) / median_of(theirs), 3),
        "paired_ratio_median": round(statistics.median(a[0] / b[0] for a, b in zip(ours, theirs)), 3),
        "goal": "<= 0.25", "met": ratio <= 0.25,
        "ours_cpu_seconds": round(median_of(ours, 1), 3), "theirs_cpu_seconds": round(median_of(theirs, 1), 3),
        "module_path_cpu_seconds": round(median_of(module_path, 1), 3),
        "ours_requests": sorted({sample[3] for sample in ours}), "theirs_requests": sorted({sample[3] for sample in theirs}),
        "module_path_requests": sorted({sample[3] for sample in module_path}),
        "module_process_cpu_seconds": [round(module["cpu_seconds"], 3) for module in modules],
        "module_process_peak_rss_mib": round(max(module["peak_rss_mib"] for module in modules), 1),
        "samples": samples,
    }


def bench_cpu_per_task(workdir, runs, hosts=20, reads=3, forks=5):  # reads: the tasks of licence_reads_fleet.yml
    """CPU seconds per task on the controller: 20 hosts x 3 licence reads, forks 5, in-process and as modules.

    All the CPU of the ansible-playbook process tree (controller, workers, module processes), divided by
    the number of licence-read tasks; the play's own start-up is in it too, as in the issue's 0.40 s.
    """
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=20) as sim:
        inventory = Path(workdir) / "cpu.ini"
        inventory.write_text("[pbxes]\n" + "".join("pbx%02d ansible_connection=local\n" % n for n in range(hosts)))

        def contender(env_extra):
            def run():
                sim.reset()
                result = timed(*playbook("licence_reads_fleet.yml", sim.base_url, workdir,
                                         inventory=str(inventory), forks=forks, env_extra=env_extra), cwd=workdir)
                return result + (sim.stats()["requests"],)
            return run

        samples = alternate({"in-process": contender(IN_PROCESS), "module path": contender(MODULE_PATH)}, runs)
    tasks = hosts * reads
    per_task = {name: median_of(runs_, 1) / tasks for name, runs_ in samples.items()}
    return {
        "name": "CPU per task: %d hosts x %d licence reads, forks %d" % (hosts, reads, forks),
        "runs": runs,
        "tasks": tasks,
        "cpu_seconds_per_task": {name: round(value, 4) for name, value in per_task.items()},
        "wall_seconds": {name: round(median_of(runs_), 3) for name, runs_ in samples.items()},
        "module_path_over_in_process": round(per_task["module path"] / per_task["in-process"], 2),
        "requests_per_run": {name: sorted({sample[3] for sample in runs_}) for name, runs_ in samples.items()},
        "goal": "<= 0.10 CPU s per task in-process", "met": per_task["in-process"] <= 0.10,
        "samples": samples,
    }


def save_devices(sim, devices, workdir):
    """Every device of the simulator in one file, for the control play that carries them without HTTP."""
    answer = requests.get(sim.base_url + "/xapi/v1/SipDevices", params={"$top": devices}, timeout=120,
                          headers={"Authorization": "Bearer " + sim.token()})
    answer.raise_for_status()
    path = Path(workdir) / "devices.json"
    path.write_bytes(answer.content)
    return str(path)


def bench_paging(workdir, runs, devices, page_size):
    """Every device of a large PBX: the module's play, less a one-task ping play, against bare requests."""
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=devices) as sim:
        env = ansible_env(sim.base_url, workdir)

        def paging_play(env_extra):
            def run():
                sim.reset()
                result = timed(*playbook("paging_module.yml", sim.base_url, workdir, {"page_size": page_size},
                                         env_extra=env_extra), cwd=workdir)
                return result + (sim.stats()["requests"],)
            return run

        def baseline():
            return timed(*playbook("ping.yml", sim.base_url, workdir), cwd=workdir) + (0,)

        def bare():
            sim.reset()
            command = [sys.executable, str(Path(__file__).resolve().parent / "bare_paging.py"),
                       "--page-size", str(page_size)]
            return timed(command, env, workdir) + (sim.stats()["requests"],)

        devices_file = save_devices(sim, devices, workdir)

        def carry():
            return timed(*playbook("carry_devices.yml", sim.base_url, workdir, {"devices_file": devices_file}),
                         cwd=workdir) + (0,)

        samples = alternate({"module": paging_play(IN_PROCESS), "module path": paging_play(MODULE_PATH),
                             "ping play": baseline, "bare requests": bare, "carry play": carry}, runs)
        sim.reset()
        modules = module_rusage(workdir, "paging_module.yml", sim.base_url, {"page_size": page_size})
    module_cost = median_of(samples["module"]) - median_of(samples["ping play"])
    bare_cost = median_of(samples["bare requests"])
    carry_cost = median_of(samples["carry play"]) - median_of(samples["ping play"])
    module_path_cost = median_of(samples["module path"]) - median_of(samples["ping play"])
    paired = [m[0] - p[0] for m, p in zip(samples["module"], samples["ping play"])]
    return {
        "name": "paging %d devices, page_size %d" % (devices, page_size),
        "runs": runs,
        "module_seconds": round(median_of(samples["module"]), 3),
        "ping_play_seconds": round(median_of(samples["ping play"]), 3),
        "module_minus_ping_seconds": round(module_cost, 3),
        "paired_module_minus_ping_median": round(statistics.median(paired), 3),
        "module_path_seconds": round(median_of(samples["module path"]), 3),
        "module_path_minus_ping_seconds": round(module_path_cost, 3),
        "module_path_ratio": round(module_path_cost / bare_cost, 3),
        "bare_requests_seconds": round(bare_cost, 3),
        "ratio": round(module_cost / bare_cost, 3), "goal": "<= 1.5", "met": module_cost / bare_cost <= 1.5,
        # The control: the same devices from a file through a module that does nothing else.
        "carry_play_seconds": round(median_of(samples["carry play"]), 3),
        "carry_minus_ping_seconds": round(carry_cost, 3),
        "carry_ratio": round(carry_cost / bare_cost, 3),
        "module_process_peak_rss_mib": round(max(module["peak_rss_mib"] for module in modules), 1),
        "module_process_cpu_seconds": round(sum(module["cpu_seconds"] for module in modules), 3),
        "module_play_largest_process_peak_rss_mib": round(median_of(samples["module"], 2), 1),
        "ping_play_largest_process_peak_rss_mib": round(median_of(samples["ping play"], 2), 1),
        "bare_peak_rss_mib": round(median_of(samples["bare requests"], 2), 1),
        "module_play_cpu_seconds": round(median_of(samples["module"], 1), 3),
        "module_path_play_cpu_seconds": round(median_of(samples["module path"], 1), 3),
        "ping_play_cpu_seconds": round(median_of(samples["ping play"], 1), 3),
        "bare_cpu_seconds": round(median_of(samples["bare requests"], 1), 3),
        "module_requests": sorted({sample[3] for sample in samples["module"]}),
        "bare_requests": sorted({sample[3] for sample in samples["bare requests"]}),
        "expected_requests": 1 + math.ceil(devices / page_size),
        "samples": samples,
    }


def bench_fleet(workdir, runs, hosts, servers, latency_ms, forks_list):
    """Many PBXes across a slow network: wall time by forks, and CPU per host, which bounds the speed-up."""
    with contextlib.ExitStack() as stack:
        sims = [stack.enter_context(Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=20,
                                              seed=index, latency=latency_ms)) for index in range(servers)]
        inventory = Path(workdir) / "fleet.ini"
        inventory.write_text("[pbxes]\n" + "".join(
            "pbx%02d ansible_connection=local threecx_base_url=%s\n" % (n, sims[n % servers].base_url)
            for n in range(hosts)))

        def fleet_run(forks, env_extra):
            def run():
                for sim in sims:
                    sim.reset()
                result = timed(*playbook("fleet.yml", sims[0].base_url, workdir, inventory=str(inventory), forks=forks,
                                         env_extra=env_extra), cwd=workdir)
                return result + (sum(sim.stats()["requests"] for sim in sims),)
            return run

        contenders = {"forks %d" % forks: fleet_run(forks, IN_PROCESS) for forks in forks_list}
        # The module path at the two ends, for comparison.
        contenders.update({"module path, forks %d" % forks: fleet_run(forks, MODULE_PATH)
                           for forks in (forks_list[0], forks_list[-1])})
        # No warm-up round here: the other benchmarks ran first, and one round of the fleet is minutes.
        samples = alternate(contenders, runs, warmup=False)
    cores = os.cpu_count()
    walls = {name: median_of(runs_) for name, runs_ in samples.items()}
    cpu = {name: median_of(runs_, 1) for name, runs_ in samples.items()}
    first, last = "forks %d" % forks_list[0], "forks %d" % forks_list[-1]
    return {
        "name": "fleet of %d PBX hosts on %d simulators, +%d ms per answer" % (hosts, servers, latency_ms),
        "runs": runs,
        "wall_seconds": {name: round(wall, 3) for name, wall in walls.items()},
        "speedup": {name: round(walls[first] / wall, 2) for name, wall in walls.items()},
        "cpu_seconds": {name: round(value, 2) for name, value in cpu.items()},
        "cpu_seconds_per_host": {name: round(value / hosts, 3) for name, value in cpu.items()},
        "requests_per_run": {name: sorted({sample[3] for sample in runs_}) for name, runs_ in samples.items()},
        # With every core busy, a run cannot take less than its CPU seconds / cores: the best
        # speed-up over forks 1 is forks 1's wall time over that floor.
        "cores": cores,
        "cpu_bound_speedup_ceiling": round(walls[first] / (cpu[last] / cores), 2),
        "module_path_speedup": round(walls["module path, " + first] / walls["module path, " + last], 2),
        "goal": "%s >= 6x faster than %s" % (last, first),
        "met": walls[first] / walls[last] >= 6,
        "samples": samples,
    }


def machine():
    model = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for package in ("ansible-core", "requests", "urllib3"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions}


def print_table(report):
    results = report["results"]
    print("\n%-52s %11s %11s %7s  %s" % ("benchmark", "ours", "reference", "ratio", "goal"))
    for result in results:
        verdict = {True: "met", False: "NOT MET", None: "skipped"}[result["met"]]
        if result.get("skipped"):
            print("%-52s %s: %s" % (result["name"], verdict, result["reason"]))
        elif "ours_seconds" in result:
            print("%-52s %10.2fs %10.2fs %7.2f  %s %s" % (
                result["name"], result["ours_seconds"], result["theirs_seconds"], result["ratio"], result["goal"],
                verdict))
            print("    module path %.2fs (%.2f of uri); CPU in-process %.2fs, module path %.2fs, uri %.2fs" % (
                result["module_path_seconds"], result["module_path_ratio"], result["ours_cpu_seconds"],
                result["module_path_cpu_seconds"], result["theirs_cpu_seconds"]))
            print("    requests per run: ours %s, module path %s, uri %s; module process peak RSS %.0f MiB" % (
                result["ours_requests"], result["module_path_requests"], result["theirs_requests"],
                result["module_process_peak_rss_mib"]))
        elif "cpu_seconds_per_task" in result:
            print("%-52s %10.3fs %10.3fs %7.2f  %s %s" % (
                result["name"], result["cpu_seconds_per_task"]["in-process"],
                result["cpu_seconds_per_task"]["module path"], result["module_path_over_in_process"],
                result["goal"], verdict))
            print("    (ours: in-process CPU s per task; reference: module path; ratio: module path / in-process)")
        elif "bare_requests_seconds" in result:
            print("%-52s %10.2fs %10.2fs %7.2f  %s %s" % (
                result["name"] + " (module - ping)", result["module_minus_ping_seconds"],
                result["bare_requests_seconds"], result["ratio"], result["goal"], verdict))
            print("    module path less ping %.2fs (%.2fx bare)" % (
                result["module_path_minus_ping_seconds"], result["module_path_ratio"]))
            print("    module play %.2fs, ping play %.2fs; peak RSS: module process %.0f MiB, bare script %.0f MiB" % (
                result["module_seconds"], result["ping_play_seconds"], result["module_process_peak_rss_mib"],
                result["bare_peak_rss_mib"]))
            print("    requests per run: module %s, bare %s, floor %s" % (
                result["module_requests"], result["bare_requests"], result["expected_requests"]))
            print("    control: the same devices from a file through a do-nothing module, less ping: %.2fs (%.2fx bare)" % (
                result["carry_minus_ping_seconds"], result["carry_ratio"]))
        else:
            print(result["name"])
            for name, wall in result["wall_seconds"].items():
                print("    %-22s %8.2fs  speed-up %5.2fx  CPU %.2fs per host  requests %s" % (
                    name, wall, result["speedup"][name], result["cpu_seconds_per_host"][name],
                    result["requests_per_run"][name]))
            print("    module path alone: forks %s over forks 1 %.2fx" % (
                result["wall_seconds"] and list(result["wall_seconds"])[-1].rsplit(" ", 1)[-1], result["module_path_speedup"]))
            print("    CPU-bound ceiling on %d cores %.2fx; goal %s: %s" % (
                result["cores"], result["cpu_bound_speedup_ceiling"], result["goal"], verdict))
    print("load average before %s, after %s" % (report["load_before"], report["load_after"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="counted rounds of the licence and paging benchmarks")
    parser.add_argument("--fleet-runs", type=int, default=3, help="counted rounds of the fleet benchmark")
    parser.add_argument("--quick", action="store_true", help="fewer runs and a smaller fleet, to try the harness")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated subset of %s" % ", ".join(BENCHMARKS))
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args()
    selected = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(selected) - set(BENCHMARKS)
    if unknown:
        parser.error("unknown benchmark(s): %s" % ", ".join(sorted(unknown)))
    runs = 2 if args.quick else args.runs
    fleet_runs = 1 if args.quick else args.fleet_runs
    report = {"command": " ".join([os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:]), "machine": machine(),
              "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "load_before": loadavg(), "results": []}
    with tempfile.TemporaryDirectory(prefix="threecx-bench-") as workdir:
        for name in selected:
            before = loadavg()
            if name == "licence":
                result = bench_licence_reads(workdir, runs)
            elif name == "cpu":
                result = bench_cpu_per_task(workdir, runs, hosts=10 if args.quick else 20)
            elif name == "paging":
                result = bench_paging(workdir, runs, devices=2000 if args.quick else 10000, page_size=500)
            else:
                result = bench_fleet(workdir, fleet_runs, hosts=10 if args.quick else 50, servers=5, latency_ms=200,
                                     forks_list=(1, 10, 25))
            result["load_before"], result["load_after"] = before, loadavg()
            report["results"].append(result)
    report["load_after"] = loadavg()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2))
    print_table(report)
    print("\nresults written to %s" % args.out)


if __name__ == "__main__":
    main()
