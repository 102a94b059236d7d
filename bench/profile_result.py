# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the time of a large read goes, step by step, in one process.

    python bench/profile_result.py [--devices 10000] [--runs 7] [--page-sizes 100,500,1000]

Fetches every SIP device of a simulator with the collection's client (per page size, with and
without gzip), then times each step that ansible-core and the collection put the result through
on its way to the playbook. Every figure is the median (and minimum) of --runs runs, the variants
alternating. Needs ANSIBLE_COLLECTIONS_PATH pointing at an installed copy of the collection
(`make bench` arranges it; docs/performance.md shows the command).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "simulator"))
for entry in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep):
    if entry:
        sys.path.insert(0, entry)

# pylint: disable=wrong-import-position
from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder  # noqa: E402
from ansible.module_utils.common.parameters import remove_values  # noqa: E402
from ansible.utils.vars import transform_to_native_types  # noqa: E402
from ansible.vars.clean import strip_internal_keys  # noqa: E402
from ansible_collections.threecx.xapi.plugins.module_utils._client import XapiClient  # noqa: E402
from ansible_collections.threecx.xapi.plugins.module_utils._secrets import mask_secrets  # noqa: E402
from harness import Simulator  # noqa: E402

CLIENT_ID = "profile"
CLIENT_SECRET = "profile-secret"


def measure(variants, runs):
    """{name: [seconds, ...]} for callables run alternately, the order reversed every other round."""
    times = {name: [] for name in variants}
    order = list(variants)
    for number in range(runs):
        for name in order if number % 2 == 0 else order[::-1]:
            started = time.perf_counter()
            variants[name]()
            times[name].append(time.perf_counter() - started)
    return times


def fetcher(base_url, page_size, encoding):
    def fetch():
        with XapiClient(base_url, CLIENT_ID, CLIENT_SECRET, token_cache=False) as client:
            client._session.headers["Accept-Encoding"] = encoding  # pylint: disable=protected-access
            items, _total = client.get_pages("SipDevices", page_size=page_size, want_count=True)
        return items
    return fetch


def report(title, times):
    print(title)
    rows = {}
    for name, values in times.items():
        rows[name] = {"median_ms": round(statistics.median(values) * 1000, 1), "min_ms": round(min(values) * 1000, 1)}
        print("    %-58s median %8.1f ms   min %8.1f ms" % (name, rows[name]["median_ms"], rows[name]["min_ms"]))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--page-sizes", default="100,500,1000")
    parser.add_argument("--out", help="also write the figures to this JSON file")
    args = parser.parse_args()
    page_sizes = [int(size) for size in args.page_sizes.split(",")]
    results = {"devices": args.devices, "runs": args.runs, "load_before": os.getloadavg()}
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=args.devices) as sim:
        variants = {}
        for size in page_sizes:
            for encoding in ("gzip, deflate", "identity"):
                variants["page_size %d, Accept-Encoding: %s" % (size, encoding)] = fetcher(sim.base_url, size, encoding)
        results["fetch"] = report("fetching %d devices with XapiClient.get_pages (simulator on this machine)" % args.devices,
                                  measure(variants, args.runs))
        devices = fetcher(sim.base_url, page_sizes[-1], "identity")()

    result = {"changed": False, "sip_devices": devices}
    masked = mask_secrets(result)
    cleaned = remove_values(masked, {CLIENT_SECRET})
    encoder = get_module_encoder("legacy", Direction.MODULE_TO_CONTROLLER)
    text = json.dumps(cleaned, cls=encoder)
    decoder = get_module_decoder("legacy", Direction.MODULE_TO_CONTROLLER)
    decoded = json.loads(text, cls=decoder)
    steps = {
        "module: mask_secrets (threecx.xapi)": lambda: mask_secrets(result),
        "module: remove_values in exit_json (ansible-core)": lambda: remove_values(masked, {CLIENT_SECRET}),
        "module: json.dumps with the module encoder (ansible-core)": lambda: json.dumps(cleaned, cls=encoder),
        "worker: json.loads with the module decoder (ansible-core)": lambda: json.loads(text, cls=decoder),
        "controller: strip_internal_keys (ansible-core)": lambda: strip_internal_keys(copy.copy(decoded)),
        "callback: transform_to_native_types (ansible-core)": lambda: transform_to_native_types(decoded),
    }
    results["result_bytes"] = len(text)
    results["steps"] = report("the result of %d devices (%.2f MB of JSON) on its way to the playbook" % (
        len(devices), len(text) / 1e6), measure(steps, args.runs))
    results["load_after"] = os.getloadavg()
    print("load average before %s, after %s" % (results["load_before"], results["load_after"]))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
