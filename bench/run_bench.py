# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Side-by-side benchmarks of threecx.xapi against what users write without it.

    python bench/run_bench.py [--runs 5] [--quick] [--out bench/results/latest.json]

Each comparison runs its contenders alternately in one session, several times, and reports
medians, so a noisy shared machine slows both sides alike. Results go to a JSON file and a
small table on stdout. Needs ANSIBLE_COLLECTIONS_PATH pointing at an installed copy of the
collection (`make bench` arranges it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "simulator"))

from harness import Simulator  # noqa: E402  pylint: disable=wrong-import-position

BIN = Path(sys.executable).parent
CLIENT_ID = "bench"
CLIENT_SECRET = "bench-secret"
PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"


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
    """Wall seconds, CPU seconds of all children, and the peak RSS (MiB) of the largest child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError("%s failed:\n%s\n%s" % (" ".join(map(str, command)), process.stdout[-2000:], process.stderr[-2000:]))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024.0


def playbook(name, base_url, workdir, extra_vars=None, inventory="localhost,", forks=None):
    command = [str(BIN / "ansible-playbook"), "-i", inventory, str(PLAYBOOKS / name)]
    if inventory == "localhost,":
        command += ["-c", "local"]
    if forks:
        command += ["--forks", str(forks)]
    for key, value in (extra_vars or {}).items():
        command += ["-e", "%s=%s" % (key, value)]
    # A fresh token cache per run: each run pays for its own token, as a new play would.
    cache = tempfile.mkdtemp(dir=workdir, prefix="tokens-")
    return command, ansible_env(base_url, workdir, {"THREECX_TOKEN_CACHE_DIR": cache})


def alternate(contenders, runs):
    """Run each contender once per round, in turn, for `runs` rounds; collect their measurements."""
    samples = {name: [] for name in contenders}
    for _round in range(runs):
        for name, run in contenders.items():
            samples[name].append(run())
    return samples


def median_of(samples, index=0):
    return statistics.median(sample[index] for sample in samples)


def bench_licence_reads(workdir, runs):
    """Five licence reads: five module tasks against five pairs of uri tasks."""
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=50) as sim:
        def ours():
            sim.reset()
            result = timed(*playbook("licence_reads_module.yml", sim.base_url, workdir), cwd=workdir)
            return result + (sim.stats()["requests"],)

        def theirs():
            sim.reset()
            result = timed(*playbook("licence_reads_uri.yml", sim.base_url, workdir,
                                     {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}), cwd=workdir)
            return result + (sim.stats()["requests"],)

        samples = alternate({"threecx_license_info": ours, "uri": theirs}, runs)
    ours_s, theirs_s = median_of(samples["threecx_license_info"]), median_of(samples["uri"])
    return {
        "name": "five licence reads",
        "ours_seconds": round(ours_s, 3), "theirs_seconds": round(theirs_s, 3),
        "ratio": round(ours_s / theirs_s, 3), "goal": "<= 0.60",
        "met": ours_s / theirs_s <= 0.60,
        "ours_requests": samples["threecx_license_info"][0][3], "theirs_requests": samples["uri"][0][3],
        "samples": samples,
    }


def bench_paging(workdir, runs, devices, page_size):
    """Every device of a large PBX: the module, less an empty play's cost, against bare requests."""
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=devices) as sim:
        env = ansible_env(sim.base_url, workdir)

        def ours():
            sim.reset()
            result = timed(*playbook("paging_module.yml", sim.base_url, workdir, {"page_size": page_size}),
                           cwd=workdir)
            return result + (sim.stats()["requests"],)

        def baseline():
            return timed(*playbook("ping.yml", sim.base_url, workdir), cwd=workdir) + (0,)

        def bare():
            sim.reset()
            command = [sys.executable, str(Path(__file__).resolve().parent / "bare_paging.py"),
                       "--page-size", str(page_size)]
            return timed(command, env, workdir) + (sim.stats()["requests"],)

        samples = alternate({"module": ours, "ping play": baseline, "bare requests": bare}, runs)
    module_cost = median_of(samples["module"]) - median_of(samples["ping play"])
    bare_cost = median_of(samples["bare requests"])
    return {
        "name": "paging %d devices, page_size %d" % (devices, page_size),
        "module_seconds": round(median_of(samples["module"]), 3),
        "ping_play_seconds": round(median_of(samples["ping play"]), 3),
        "module_minus_ping_seconds": round(module_cost, 3),
        "bare_requests_seconds": round(bare_cost, 3),
        "ratio": round(module_cost / bare_cost, 3), "goal": "<= 1.5", "met": module_cost / bare_cost <= 1.5,
        "module_peak_rss_mib": round(max(sample[2] for sample in samples["module"]), 1),
        "bare_peak_rss_mib": round(max(sample[2] for sample in samples["bare requests"]), 1),
        "module_requests": samples["module"][0][3], "bare_requests": samples["bare requests"][0][3],
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
        contenders = {}
        for forks in forks_list:
            contenders["forks %d" % forks] = _fleet_run(inventory, sims[0].base_url, workdir, forks)
        samples = alternate(contenders, runs)
    walls = {name: median_of(runs_) for name, runs_ in samples.items()}
    first = "forks %d" % forks_list[0]
    last = "forks %d" % forks_list[-1]
    cpu_per_host = statistics.median(sample[1] for sample in samples[first]) / hosts
    return {
        "name": "fleet of %d PBX hosts on %d simulators, +%d ms per answer" % (hosts, servers, latency_ms),
        "wall_seconds": {name: round(wall, 3) for name, wall in walls.items()},
        "speedup": {name: round(walls[first] / wall, 2) for name, wall in walls.items()},
        "cpu_seconds_per_host": round(cpu_per_host, 3),
        "cpu_bound_speedup_on_%d_cores" % os.cpu_count(): round(
            (walls[first] / hosts) / (cpu_per_host / os.cpu_count()), 2),
        "goal": "forks %d >= 3x faster than forks %d" % (forks_list[-1], forks_list[0]),
        "met": walls[first] / walls[last] >= 3,
        "samples": samples,
    }


def _fleet_run(inventory, base_url, workdir, forks):
    def run():
        return timed(*playbook("fleet.yml", base_url, workdir, inventory=str(inventory), forks=forks), cwd=workdir)
    return run


def print_table(results):
    print("\n%-52s %12s %12s %8s %s" % ("benchmark", "ours", "reference", "ratio", "goal"))
    for result in results:
        verdict = "met" if result["met"] else "NOT MET"
        if "ours_seconds" in result:
            print("%-52s %11.2fs %11.2fs %8.2f %s %s" % (
                result["name"], result["ours_seconds"], result["theirs_seconds"], result["ratio"], result["goal"],
                verdict))
        elif "bare_requests_seconds" in result:
            print("%-52s %11.2fs %11.2fs %8.2f %s %s" % (
                result["name"], result["module_minus_ping_seconds"], result["bare_requests_seconds"],
                result["ratio"], result["goal"], verdict))
            print("    peak RSS module %.0f MiB, bare %.0f MiB; requests module %s, bare %s, floor %s" % (
                result["module_peak_rss_mib"], result["bare_peak_rss_mib"], result["module_requests"],
                result["bare_requests"], result["expected_requests"]))
        else:
            print(result["name"])
            for name, wall in result["wall_seconds"].items():
                print("    %-10s %8.2fs  speed-up %5.2fx" % (name, wall, result["speedup"][name]))
            print("    CPU per host %.2fs; goal %s: %s" % (result["cpu_seconds_per_host"], result["goal"], verdict))


def _fleet_run(inventory, base_url, workdir, forks):
    def run():
        return timed(*playbook("fleet.yml", base_url, workdir, inventory=str(inventory), forks=forks), cwd=workdir)
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="fewer runs and a smaller fleet, to try the harness")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    with tempfile.TemporaryDirectory(prefix="threecx-bench-") as workdir:
        results = [
            bench_licence_reads(workdir, runs),
            bench_paging(workdir, runs, devices=2000 if args.quick else 10000, page_size=500),
            bench_fleet(workdir, max(1, runs // 2) if not args.quick else 1, hosts=10 if args.quick else 50,
                        servers=5, latency_ms=200, forks_list=(1, 10, 25)),
        ]
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": runs,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": results,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2))
    print_table(results)
    print("\nresults written to %s" % args.out)


if __name__ == "__main__":
    main()
