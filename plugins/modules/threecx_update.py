#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_update
short_description: Install the updates a 3CX PBX offers
version_added: 0.1.0
description:
  - Reads C(GET /GetUpdates(\)) from a 3CX v20 PBX and installs the entries that are out of date with
    C(POST /InstallUpdates), optionally only those of O(categories) or named in O(names).
  - Nothing out of date means no write and RV(ignore:changed=false).
  - Installing the PBX's own update restarts it. Until it is back the PBX answers 503 or refuses
    connections; with O(wait=true) the module waits for that, polling C(GetUpdates(\)) with a back-off, and
    fails only when O(wait_timeout) passes.
  - "Take a backup first (M(threecx.xapi.threecx_backup)), and update a fleet one PBX at a time (C(serial: 1))."
options:
  categories:
    description: Only entries of these categories (C(Category)), such as V(3CX) (the PBX itself) or V(Firmware).
    type: list
    elements: str
  names:
    description:
      - Only the entries with these names (C(Name)), such as V(3CX Phone System).
      - A name the PBX does not list fails, naming the names it knows, before any write.
    type: list
    elements: str
  wait:
    description: After installing, wait until the PBX answers again.
    type: bool
    default: true
  wait_timeout:
    description: How many seconds to wait for the PBX to answer again before failing. 1 or more.
    type: int
    default: 900
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.attributes
attributes:
  check_mode:
    support: full
    details:
      - Reads the update list, sends no write, and lists in RV(installed) what would be installed.
  diff_mode:
    support: none
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Rolling upgrade of a fleet, one PBX at a time, a backup before each
  hosts: pbxes
  serial: 1
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Back up the PBX first
      threecx.xapi.threecx_backup:
        name: before-update
      delegate_to: localhost

    - name: Install the PBX's own update and wait until it is back
      threecx.xapi.threecx_update:
        categories: ["3CX"]
        wait_timeout: 1200
      delegate_to: localhost
      register: update

- name: Update only the Yealink firmware
  threecx.xapi.threecx_update:
    names: ["Yealink T4x firmware"]
"""

RETURN = r"""
installed:
  description: The entries installed (in check mode, that would be), as C(GetUpdates(\)) listed them before.
  returned: success
  type: list
  elements: dict
  sample:
    - Guid: 2f0d1c44-5a0e-4f7c-9a55-0b3b0f0e2a11
      Category: 3CX
      Name: 3CX Phone System
      LocalVersion: 20.0.10.120
      ServerVersion: 20.0.11.150
      OutOfDate: true
"""

from ansible_collections.threecx.xapi.plugins.module_utils._maintenance import install_updates
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return install_updates(client, module.params, module.check_mode)


def main():
    module = XapiModule(
        argument_spec=dict(
            categories=dict(type="list", elements="str"),
            names=dict(type="list", elements="str"),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=900),
        ),
        minimums={"wait_timeout": 1},
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
