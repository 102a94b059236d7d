# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""After `mutmut run`: every mutant that was not killed, with its diff, then the one-line score.

Run from the directory mutmut ran in. Killed and timed-out mutants count as killed (a timeout is a
mutant the tests caught hanging); survivors, mutants no test reaches and suspicious ones do not.
Writes the survivors' diffs to the file given as the first argument.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

MUTMUT = str(Path(sys.executable).parent / "mutmut")


def mutmut(*args):
    return subprocess.run([MUTMUT, *args], capture_output=True, text=True, check=True).stdout


def main():
    mutmut("export-cicd-stats")
    stats = json.loads(Path("mutants/mutmut-cicd-stats.json").read_text())
    not_killed = []
    for line in mutmut("results").splitlines():
        name, _colon, status = line.strip().rpartition(": ")
        if name and status not in ("killed", "timeout", "skipped"):
            not_killed.append((name, status))
    report = Path(sys.argv[1])
    report.parent.mkdir(parents=True, exist_ok=True)
    with report.open("w") as out:
        for name, status in not_killed:
            out.write(mutmut("show", name) if status != "not checked" else "# %s: not checked\n" % name)
            out.write("\n")
    total = stats["total"] - stats["skipped"]
    killed = stats["killed"] + stats["timeout"]
    print("mutants: %d killed, %d timed out (counted as killed), %d survived, %d reached by no test, %d suspicious,"
          " %d skipped; not killed, with diffs: %s" % (stats["killed"], stats["timeout"], stats["survived"],
                                                       stats["no_tests"], stats["suspicious"], stats["skipped"], report))
    for name, status in not_killed:
        print("  %s: %s" % (name, status))
    print("mutation score: %d/%d killed (%.1f%%)" % (killed, total, 100.0 * killed / total if total else 0.0))


if __name__ == "__main__":
    main()
