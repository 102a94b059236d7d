# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a command with the XAPI simulator running, and the THREECX_* variables pointing at it.

    python tests/utils/with_simulator.py [--spec FILE] [--devices N] -- COMMAND...

The simulator listens on a free port and is stopped when the command ends, even on failure.
`make demo` uses it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "simulator"))

from harness import Simulator  # noqa: E402  pylint: disable=wrong-import-position

DEMO_CLIENT_ID = "demo"
DEMO_CLIENT_SECRET = "demo-secret"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", help="the official swagger.yaml, for every other operation")
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    spec = args.spec if args.spec and os.path.exists(args.spec) else None
    with Simulator(client_id=DEMO_CLIENT_ID, client_secret=DEMO_CLIENT_SECRET, devices=args.devices, spec=spec) as sim:
        with tempfile.TemporaryDirectory(prefix="threecx-demo-") as cache:
            env = dict(os.environ, THREECX_BASE_URL=sim.base_url, THREECX_CLIENT_ID=DEMO_CLIENT_ID,
                       THREECX_CLIENT_SECRET=DEMO_CLIENT_SECRET, THREECX_TOKEN_CACHE_DIR=cache)
            print("XAPI simulator at %s" % sim.base_url, flush=True)
            return subprocess.run(command, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
