# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`mutmut run` with the unit tests' simulators started once for the whole run, timed, with the load.

    python run.py WORKERS MUTMUT [MUTANT_NAME...]

Run from the directory mutmut runs in (where setup.cfg is). mutmut runs a pytest session per mutant;
the module tests would start a simulator in each (conftest's pbx_process), about a second a mutant.
Here WORKERS simulators start once and are named in THREECX_UNIT_SIMULATORS, from which each
session borrows a free one. mutmut's output goes to mutmut-run.log. Printed: the wall time, the load
averages at the start and the end (the machine may be shared), and the CPU time of mutmut, its
test sessions and the simulators, which does not depend on the load: on an idle machine, the run
takes at least that CPU time divided by the machine's cores.
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path.cwd() / "ansible_collections" / "threecx" / "xapi" / "tests"
sys.path.insert(0, str(HERE / "unit" / "plugins"))
sys.path.insert(0, str(HERE / "simulator"))

from module_runner import start_simulator  # noqa: E402  pylint: disable=wrong-import-position,import-error


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


def main():
    workers, mutmut, names = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    with contextlib.ExitStack() as running:
        simulators = [running.enter_context(start_simulator()) for _worker in range(workers)]
        for sim in simulators:
            if sim.spec:
                sim.wait_for_spec()
        env = dict(os.environ, THREECX_UNIT_SIMULATORS=",".join(sim.base_url for sim in simulators),
                   THREECX_HYPOTHESIS_PROFILE="mutation")
        started, load_before = time.monotonic(), load()
        with open("mutmut-run.log", "w", encoding="utf-8") as log:
            code = subprocess.call([mutmut, "run", "--max-children", str(workers)] + names, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        seconds = time.monotonic() - started
    used = resource.getrusage(resource.RUSAGE_CHILDREN)  # the simulators stopped and were waited for: counted
    cpu = used.ru_utime + used.ru_stime
    print("mutmut run took %d s (%.1f min) with %d workers; load average (1, 5, 15 min) %s at the start, %s at the end"
          % (seconds, seconds / 60, workers, load_before, load()))
    cores = os.cpu_count() or 1  # not the workers: there may be more of them than cores
    print("CPU time used: %d s (%.1f min over this machine's %d cores)" % (cpu, cpu / 60 / cores, cores))
    if code:
        print("mutmut run failed (exit %d); the end of mutmut-run.log:" % code)
        print(Path("mutmut-run.log").read_text(encoding="utf-8", errors="replace")[-4000:])
    return code


if __name__ == "__main__":
    sys.exit(main())
