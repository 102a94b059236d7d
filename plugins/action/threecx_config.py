# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_config runs through the collection's one action plugin (threecx_xapi.py), found by this name.

A file, not an action_plugin line in meta/runtime.yml: the strategy loads an action plugin of the module's
own name in the controller's main process before it forks, so every worker inherits its imports.
"""

from __future__ import annotations

from ansible_collections.threecx.xapi.plugins.action.threecx_xapi import ActionModule as XapiActionModule


class ActionModule(XapiActionModule):
    pass
