# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""After `mutmut run`: every mutant that was not killed, with its diff, then the one-line score.

Run from the directory mutmut ran in (it reads mutmut's own result files there). Killed and
timed-out mutants count as killed (a timeout is a mutant the tests caught hanging); survivors,
mutants no test reaches and suspicious ones do not. N is every mutant; when some were never
checked (an interrupted run), the score line says so rather than leave them out quietly.
Writes the diffs of the mutants not killed to the file given as the first argument, and, with
--per-file, prints a Markdown table of the mutants by file and status (for docs/testing.md).
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

# mutmut is installed by `make mutation` only (tests/requirements-mutation.txt).
from mutmut.__main__ import walk_mutatable_files  # pylint: disable=import-error
from mutmut.mutation.data import SourceFileMutationData  # pylint: disable=import-error
from mutmut.mutation.diff_apply import get_diff_for_mutant  # pylint: disable=import-error
from mutmut.stats import status_by_exit_code  # pylint: disable=import-error

KILLED = ("killed", "timeout", "caught by type check")


def statuses():
    """(mutant name, status, path of the source file) for every mutant, file by file."""
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, exit_code in data.exit_code_by_key.items():
            yield name, status_by_exit_code[exit_code], path


def per_file_table(by_file):
    columns = ["killed", "timeout", "survived", "no tests", "not checked"]
    print("| file | mutants | " + " | ".join(columns) + " |")
    print("| --- | ---: | " + " | ".join("---:" for _column in columns) + " |")
    for path, counts in sorted(by_file.items()):
        name = str(path).split("/plugins/", 1)[-1]
        print("| `%s` | %d | %s |" % (name, sum(counts.values()), " | ".join(str(counts[column]) for column in columns)))


def main():
    report = Path(sys.argv[1])
    counts = collections.Counter()
    by_file = collections.defaultdict(collections.Counter)
    not_killed = []
    for name, status, path in statuses():
        counts[status] += 1
        by_file[path][status] += 1
        if status not in KILLED + ("skipped", "not checked"):
            not_killed.append((name, status, path))
    report.parent.mkdir(parents=True, exist_ok=True)
    with report.open("w") as out:
        for name, status, path in not_killed:
            out.write("# %s: %s\n%s\n\n" % (name, status, get_diff_for_mutant(name, path=path)))
    total = sum(counts.values()) - counts["skipped"]
    killed = sum(counts[status] for status in KILLED)
    print("mutants: " + ", ".join("%d %s" % (number, status) for status, number in sorted(counts.items())))
    print("not killed, each with its diff in %s:" % report)
    for name, status, _path in not_killed:
        print("  %s: %s" % (name, status))
    line = "mutation score: %d/%d killed (%.1f%%)" % (killed, total, 100.0 * killed / total if total else 0.0)
    if counts["not checked"]:
        checked = total - counts["not checked"]
        line += "; INCOMPLETE: %d of the %d mutants were never checked (%d/%d = %.1f%% of those checked)" % (
            counts["not checked"], total, killed, checked, 100.0 * killed / checked if checked else 0.0)
    print(line)
    if "--per-file" in sys.argv[2:]:
        per_file_table(by_file)


if __name__ == "__main__":
    main()
