# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module of the collection runs through the action plugin threecx.xapi.xapi, a new one included."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[4]


def module_names():
    return sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py") if path.stem != "__init__")


def test_every_module_and_nothing_else_is_routed_to_the_action_plugin():
    routing = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())["plugin_routing"]["action"]
    assert sorted(routing) == module_names()
    for name, entry in routing.items():
        assert entry == {"redirect": "threecx.xapi.xapi"}, name


def test_the_action_plugin_exists():
    assert (ROOT / "plugins" / "action" / "xapi.py").is_file()
