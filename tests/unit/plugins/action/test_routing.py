# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module of the collection runs through the action plugin threecx.xapi.threecx_xapi, a new one included.

threecx_xapi's action is that plugin by name; every other module names it as its `action_plugin` in meta/runtime.yml.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[4]


def module_names():
    return sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py") if path.stem != "__init__")


PLUGIN = "threecx_xapi"


def test_every_other_module_and_nothing_else_is_routed_to_the_action_plugin():
    routing = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())["plugin_routing"]
    assert sorted(routing) == ["modules"]
    assert sorted(routing["modules"]) == [name for name in module_names() if name != PLUGIN]
    for name, entry in routing["modules"].items():
        assert entry == {"action_plugin": "threecx.xapi." + PLUGIN}, name


def test_the_only_action_plugin_is_the_one_named_after_its_module():
    assert sorted(path.name for path in (ROOT / "plugins" / "action").glob("*.py")) == [PLUGIN + ".py"]
    assert PLUGIN in module_names()
