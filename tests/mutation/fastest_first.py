# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A pytest plugin for `make mutation`: each mutant's tests run quickest first.

mutmut hands each mutant's session its tests as a set, so they run in no useful order, and
with `-x` the session ends at the first failure. Most mutants are killed by several of their
tests, among them quick ones; run first, those end the session before the slow ones start
(the update and backup module tests wait on the simulator for a second or two). Only the order
changes: a mutant no test kills still runs every one of its tests, so no verdict can change.

The durations are the ones mutmut measured in its stats run (mutmut-stats.json, in the
directory the sessions run in). Until that file exists (the stats run itself) nothing is sorted.
"""

from __future__ import annotations

import json
from pathlib import Path

STATS = Path("mutmut-stats.json")

_durations = {}


def recorded_durations():
    """Seconds per test node id from mutmut's stats; read once, after mutmut has written them."""
    if not _durations and STATS.is_file():
        _durations.update(json.loads(STATS.read_text(encoding="utf-8"))["duration_by_test"])
    return _durations


def pytest_collection_modifyitems(items):
    durations = recorded_durations()
    if durations:
        # A stable sort: tests of equal (or unknown, 0) duration keep the order they came in.
        items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
