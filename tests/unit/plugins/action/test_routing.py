# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module of the collection runs through the action plugin of threecx_xapi, a new one included.

Each module has an action plugin of its own name (threecx_xapi's holds the code; the others subclass it):
ansible-core's strategy loads an action plugin found by the module's name in the controller's main process,
so its imports are inherited by every worker.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[4]
PLUGIN = "threecx_xapi"
SUBCLASS = "import ActionModule as XapiActionModule\n\n\nclass ActionModule(XapiActionModule):\n    pass\n"


def module_names():
    return sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py") if path.stem != "__init__")


def test_every_module_and_nothing_else_has_an_action_plugin():
    actions = sorted(path.stem for path in (ROOT / "plugins" / "action").glob("*.py"))
    assert actions == module_names()


def test_every_other_action_plugin_is_the_one_of_threecx_xapi():
    for name in module_names():
        if name != PLUGIN:
            text = (ROOT / "plugins" / "action" / (name + ".py")).read_text()
            assert "from ansible_collections.threecx.xapi.plugins.action.threecx_xapi " + SUBCLASS in text, name


def test_no_routing_competes_with_the_action_plugins():
    assert "plugin_routing" not in yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
