# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each module's AnsiballZ payload holds and what it costs to start, against ansible.builtin.ping.

    python bench/import_cost.py [--runs 9]

Runs each module once through `ansible` with ANSIBLE_KEEP_REMOTE_FILES=1 against a simulator, keeps
the AnsiballZ file ansible-core built, and lists the collection files inside it. Then runs that
file (`AnsiballZ_*.py execute`, the real payload with its zipped sources) --runs times under
`python -X importtime`, and reports the time its imports take (the sum of each import's own time,
the minimum over the runs), the part that ansible.builtin.ping's payload does not import, grouped
by top-level package, and the module process's wall time (median). Needs ANSIBLE_COLLECTIONS_PATH
(`make bench` arranges it).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
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
CLIENT_ID = "imports"
CLIENT_SECRET = "imports-secret"
MODULES = (
    ("ansible.builtin.ping", ""),
    ("ansible.builtin.uri", "url={base}/_sim/health"),
    ("threecx.xapi.threecx_license_info", ""),
    ("threecx.xapi.threecx_sip_device_info", ""),
    ("threecx.xapi.threecx_xapi", "operation=GetLicenseStatus"),
)


def keep_payload(module, args, sim, workdir):
    """The exploded AnsiballZ payload of one run of `module`: its directory and the file itself."""
    remote = Path(tempfile.mkdtemp(dir=workdir, prefix="remote-"))
    env = dict(os.environ, ANSIBLE_KEEP_REMOTE_FILES="1", ANSIBLE_REMOTE_TMP=str(remote), ANSIBLE_PIPELINING="0",
               ANSIBLE_HOME=str(Path(workdir) / "home"), ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               THREECX_BASE_URL=sim.base_url, THREECX_CLIENT_ID=CLIENT_ID, THREECX_CLIENT_SECRET=CLIENT_SECRET,
               THREECX_TOKEN_CACHE_DIR=str(Path(workdir) / "tokens"))
    command = [str(BIN / "ansible"), "localhost", "-i", "localhost,", "-c", "local", "-m", module]
    if args:
        command += ["-a", args.format(base=sim.base_url)]
    subprocess.run(command, env=env, check=True, capture_output=True)
    payload = next(remote.rglob("AnsiballZ_*.py"))
    subprocess.run([sys.executable, str(payload), "explode"], cwd=payload.parent, env=env, check=True, capture_output=True)
    return payload, env


def import_times(payload, env, runs):
    """{imported module: its own import time in ms, the minimum over `runs`}, and median wall seconds."""
    best, walls = {}, []
    for _run in range(runs):
        started = time.perf_counter()
        process = subprocess.run([sys.executable, "-X", "importtime", str(payload), "execute"], cwd=payload.parent,
                                 env=env, capture_output=True, text=True, check=False)
        walls.append(time.perf_counter() - started)
        for line in process.stderr.splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            own, _cumulative, name = line[len("import time:"):].split("|")
            name = name.strip()
            best[name] = min(best.get(name, float("inf")), int(own) / 1000.0)
    return best, statistics.median(walls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--out", help="also write the figures to this JSON file")
    args = parser.parse_args()
    results = {"runs": args.runs, "load_before": os.getloadavg(), "modules": {}}
    with tempfile.TemporaryDirectory(prefix="threecx-imports-") as workdir, \
            Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=50) as sim:
        measured = {}
        for module, module_args in MODULES:
            payload, env = keep_payload(module, module_args, sim, workdir)
            ours = sorted(str(path.relative_to(payload.parent / "debug_dir")) for path in
                          (payload.parent / "debug_dir" / "ansible_collections").rglob("*.py") if path.stat().st_size)
            times, wall = import_times(payload, env, args.runs)
            measured[module] = (times, wall, ours, payload.stat().st_size)
    baseline = measured["ansible.builtin.ping"][0]
    print("%-38s %9s %10s %12s %10s" % ("module", "payload", "imports", "beyond ping", "run (wall)"))
    for module, (times, wall, ours, size) in measured.items():
        extra = {name: ms for name, ms in times.items() if name not in baseline}
        groups = collections.Counter()
        for name, ms in extra.items():
            groups[name.split(".")[0]] += ms
        results["modules"][module] = {
            "payload_bytes": size, "collection_files": ours, "imports_ms": round(sum(times.values()), 1),
            "beyond_ping_ms": round(sum(extra.values()), 1), "module_run_wall_ms": round(wall * 1000, 1),
            "beyond_ping_by_package_ms": {name: round(ms, 1) for name, ms in groups.most_common(8)},
        }
        print("%-38s %8.0fK %8.1fms %10.1fms %8.0fms" % (
            module, size / 1024.0, sum(times.values()), sum(extra.values()), wall * 1000))
        if groups:
            print("    beyond ping: " + ", ".join("%s %.1f ms" % (name, ms) for name, ms in groups.most_common(6)))
        if ours:
            print("    collection files: " + ", ".join(Path(name).name for name in ours))
    results["load_after"] = os.getloadavg()
    print("load average before %s, after %s" % (results["load_before"], results["load_after"]))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
