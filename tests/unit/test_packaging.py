# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collection metadata that ansible-test does not check."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def module_names():
    return sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py") if path.stem != "__init__")


def test_action_group_lists_every_module_and_nothing_else():
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
    assert sorted(runtime["action_groups"]["xapi"]) == module_names()


def test_every_module_documents_its_action_group_membership():
    for name in module_names():
        text = (ROOT / "plugins" / "modules" / (name + ".py")).read_text()
        assert "threecx.xapi.attributes" in text, name


def test_requires_ansible_matches_the_tested_range():
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
    assert runtime["requires_ansible"] == ">=2.16.0"
    assert "ansible-core 2.16 to 2.19" in (ROOT / "README.md").read_text()


def test_sanity_ignore_files_are_empty():
    for path in (ROOT / "tests" / "sanity").glob("ignore-*.txt"):
        assert path.read_text().strip() == "", "%s must stay empty: mend the code instead" % path.name
