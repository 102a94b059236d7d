# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The mutants score.py wrote to its survivors file, as Markdown for docs/testing.md.

Each mutant gets a verdict: first the one written for it in tests/mutation/verdicts/*.yml, by its
function and its line as mutated (mutmut's mutant numbers change whenever the code does, so they are
not the key); then the first of the rules below that fits, written by reading the survivors of a run.
A mutant nothing fits is marked "to review". Printed: a count
per verdict, then one row per mutant (the function, the line as mutated, the verdict).
Usage: survivors_md.py tests/output/mutation-survivors.txt
"""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

import yaml

PREFIX = "ansible_collections.threecx.xapi.plugins."

# Functions that run only while a module is imported, building module-level objects (the sections of
# _config). mutmut imports the code once, with the original functions, before it forks a test run per
# mutant: no test that uses those tables can see these mutants. (The engine's Resource, Field and Members
# are built inside tests of their own too, test_ensure.py, so their mutants are judged like any other.)
IMPORT_TIME = ("_config.Section.__init__",)

IMPORT_VERDICT = ("import time: runs only while the module is imported, before mutmut forks a mutant's "
                  "test run, so no test can see it (a limit of mutmut, not of the tests)")
OPTION_VERDICT = ("**equivalent** for users: the `option` argument of an error, which no task result carries "
                  "(`ThreecxError.to_result` leaves it out; only the message names the option)")
SPEC_VERDICT = ("declaration: an option name in `main()`'s option spec, which `ansible-test sanity` "
                "(validate-modules) checks against DOCUMENTATION; setup.cfg leaves the other option-spec lines out")
METHOD_CASE_VERDICT = "**equivalent**: `XapiClient.call` upper-cases the method"
NO_TESTS_VERDICT = "gap: no unit test reaches the function"
STRING_VERDICT = "gap: the wording of this text is not asserted"
REVIEW_VERDICT = "to review"


def mutants(text):
    for block in text.split("\n# "):
        block = block.lstrip("# ")
        header, _newline, diff = block.partition("\n")
        name, _colon, status = header.rpartition(": ")
        removed = [line[1:].strip() for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
        added = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
        if name:
            yield name, status, removed, added


STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')


def only_string_text(removed, added):
    """Whether the mutant changes nothing but the letters inside string literals."""
    return len(removed) == len(added) and removed != added and all(
        STRINGS.sub('""', old) == STRINGS.sub('""', new) for old, new in zip(removed, added))


def only_message_text(removed, added):
    """Whether the mutant changes nothing but the letters of a text with words in it (a message, not a key)."""
    if not only_string_text(removed, added):
        return False
    for old, new in zip(removed, added):
        changed = set(STRINGS.findall(old)) - set(STRINGS.findall(new))
        if changed and not all(" " in text.strip("\"'") for text in changed):
            return False
    return True


def function_of(name):
    """`module_utils._ensure.Field.__init__` from mutmut's name `...module_utils._ensure.xǁFieldǁ__init____mutmut_3`."""
    short = name[len(PREFIX):] if name.startswith(PREFIX) else name
    module, _dot, mangled = short.rpartition("__mutmut_")[0].rpartition(".")
    return module + "." + (mangled[2:].replace("ǁ", ".") if mangled.startswith("xǁ") else mangled[2:])


OPTION_TAIL = re.compile(r', (?:"[a-z_]+"|option|exc\.option)\)( from None)?$')


def only_option_argument(removed, added):
    """Whether the mutant changes only the last argument of an error's constructor (its `option`).

    The line must hold the constructor (`...Error(`) or end its message's `%` tuple, as a continuation
    line of one does; the mutated line must keep everything before that argument.
    """
    if len(removed) != 1 or len(added) != 1 or removed == added:
        return False
    old, new = removed[0], added[0]
    match = OPTION_TAIL.search(old)
    if not match:
        return False
    head = old[:match.start()]
    return ("Error(" in head or head.endswith(")")) and new.startswith(head)


def written_verdicts(directory=Path(__file__).parent / "verdicts"):
    """{(function, mutated line): verdict} from the YAML files of `directory`.

    Each file maps a function (as function_of names it) to a list of {mutated, verdict}, where
    `mutated` is the mutant's line (or lines, joined by " / ") exactly as mutmut wrote it, stripped.
    """
    written = {}
    for path in sorted(directory.glob("*.yml")):
        for function, entries in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            for entry in entries:
                written[(function, entry["mutated"])] = entry["verdict"]
    return written


WRITTEN = written_verdicts()


def verdict(name, status, removed, added):
    function = function_of(name)
    if (function, " / ".join(added)) in WRITTEN:
        return WRITTEN[(function, " / ".join(added))]
    if status == "no tests":
        return NO_TESTS_VERDICT
    if any(function.endswith(candidate) for candidate in IMPORT_TIME):
        return IMPORT_VERDICT
    if any(re.search(r'\.call\("(get|post|patch|delete)"', line) for line in added):
        return METHOD_CASE_VERDICT
    if only_option_argument(removed, added):
        return OPTION_VERDICT
    if function.startswith("modules.") and function.endswith(".main") and only_string_text(removed, added):
        return SPEC_VERDICT
    if only_message_text(removed, added):
        return STRING_VERDICT
    return REVIEW_VERDICT


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    rows = [(function_of(name), name.rpartition("__mutmut_")[2], status, " / ".join(added),
             verdict(name, status, removed, added)) for name, status, removed, added in mutants(text)]
    print("| verdict | mutants |")
    print("| --- | ---: |")
    for kind, number in collections.Counter(row[4] for row in rows).most_common():
        print("| %s | %d |" % (kind, number))
    print()
    print("| function | mutant | status | mutated to | verdict |")
    print("| --- | ---: | --- | --- | --- |")
    for function, number, status, change, kind in rows:
        change = change[:120].replace("|", "\\|").replace("`", "'") or "(line removed)"
        print("| `%s` | %s | %s | `%s` | %s |" % (function, number, status, change, kind))


if __name__ == "__main__":
    main()
