# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The mutants score.py wrote to its survivors file, as a Markdown table for docs/testing.md.

One row per mutant: the function, the line as mutated, and a first classification. Mutants that
only change the text of a string (mutmut's "XX" wrapping and case changes) are marked as string
text only; the rest as logic. Each row still needs a reviewer to say why it is equivalent, or which
issue it belongs to. Usage: survivors_md.py tests/output/mutation-survivors.txt
"""

from __future__ import annotations

import re
import sys

PREFIX = "ansible_collections.threecx.xapi.plugins."


def mutants(text):
    for block in text.split("\n# ")[0:]:
        block = block.lstrip("# ")
        header, _newline, diff = block.partition("\n")
        name, _colon, status = header.rpartition(": ")
        removed = [line[1:].strip() for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
        added = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
        if name:
            yield name, status, removed, added


def only_string_text(removed, added):
    """Whether the mutant changes nothing but the letters inside a string literal."""
    if len(removed) != len(added):
        return False
    strings = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')
    for old, new in zip(removed, added):
        if strings.sub('""', old) != strings.sub('""', new):
            return False
    return removed != added


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    print("| mutant | status | mutated to | classification |")
    print("| --- | --- | --- | --- |")
    for name, status, removed, added in mutants(text):
        short = name[len(PREFIX):] if name.startswith(PREFIX) else name
        change = " / ".join(added)[:140].replace("|", "\\|") or "(line removed)"
        kind = "string text only" if only_string_text(removed, added) else "logic"
        print("| `%s` | %s | `%s` | %s |" % (short.replace("ǁ", "."), status, change, kind))


if __name__ == "__main__":
    main()
