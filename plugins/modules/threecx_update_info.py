#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_update_info
short_description: List the updates a 3CX PBX offers
version_added: 0.1.0
description:
  - "Reads C(GET /GetUpdates(\\)) from a 3CX v20 PBX: the PBX itself, phone firmwares, prompt sets and other
    parts, each with its installed and offered version."
  - Returns every entry, those out of date, and whether the maintenance plan has expired (without it the
    PBX offers no updates of itself).
options:
  categories:
    description:
      - Only entries of these categories (C(Category)), such as V(3CX) (the PBX itself) or V(Firmware).
      - All categories when not given.
    type: list
    elements: str
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.attributes
  - threecx.xapi.attributes.info_module
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Report what each PBX could update
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Read the updates of the PBX itself
      threecx.xapi.threecx_update_info:
        categories: ["3CX"]
      delegate_to: localhost
      register: updates

    - name: Show them
      ansible.builtin.debug:
        msg: "{{ updates.available | map(attribute='ServerVersion') | list }}"
"""

RETURN = r"""
updates:
  description: Every entry of C(GetUpdates(\)) (of O(categories) when given), as the PBX lists it.
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
available:
  description: The entries of RV(updates) that are out of date (C(OutOfDate)).
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
maintenance_expired:
  description: Whether the PBX's maintenance plan has expired (C(IsMaintananceExpired), so spelt by the PBX).
  returned: success
  type: bool
  sample: false
"""

from ansible_collections.threecx.xapi.plugins.module_utils._maintenance import updates_info
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return updates_info(client, module.params["categories"])


def main():
    module = XapiModule(argument_spec=dict(categories=dict(type="list", elements="str")), supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()
