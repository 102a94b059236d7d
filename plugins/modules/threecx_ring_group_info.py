#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_ring_group_info
short_description: List the ring groups of a 3CX PBX
version_added: 0.1.0
description:
  - Reads the ring groups of a 3CX v20 PBX through XAPI (C(GET /xapi/v1/RingGroups)), one ring group
    by its O(number), or every ring group, with OData filtering, search, sorting and paging.
  - C(Members) is expanded, in ring order, as M(threecx.xapi.threecx_ring_group) returns it, unless
    O(expand) says otherwise (O(expand=[]) for none).
  - Nothing found is an empty RV(ring_groups), not a failure.
options:
  number:
    description:
      - The extension number of the one ring group to return, such as V(700).
      - Cannot be combined with O(filter), O(search), O(orderby), O(top) or O(skip).
    type: str
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.paging
  - threecx.xapi.shape
  - threecx.xapi.shape.orderby
  - threecx.xapi.attributes
  - threecx.xapi.attributes.info_module
seealso:
  - module: threecx.xapi.threecx_ring_group
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: In what order reception rings
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Read ring group 700 with its members
      threecx.xapi.threecx_ring_group_info:
        number: "700"
      delegate_to: localhost
      register: reception

    - name: Show the members in ring order
      ansible.builtin.debug:
        msg: "{{ reception.ring_groups | map(attribute='Members') | flatten | map(attribute='Name') | list }}"

- name: Every paging group
  threecx.xapi.threecx_ring_group_info:
    filter: "RingStrategy eq 'Paging'"
    count: true
"""

RETURN = r"""
ring_groups:
  description:
    - The ring groups, as the PBX returns them (C(Pbx.RingGroup)), with C(Members) expanded in ring order.
    - V([]) when nothing matches.
  returned: success
  type: list
  elements: dict
  sample:
    - Id: 4
      Number: "700"
      Name: Reception
      RingStrategy: Hunt
      RingTime: 20
      Members:
        - {Id: 4, Number: "103", Name: Dana Lee}
        - {Id: 1, Number: "100", Name: Alice Smith}
count:
  description: The number of matching ring groups the PBX reports (C(@odata.count)), regardless of O(top) and O(skip).
  returned: when O(count=true) and no O(number) is given
  type: int
  sample: 1
"""

from ansible_collections.threecx.xapi.plugins.module_utils._info import info_argument_spec, info_module_kwargs, run_info
from ansible_collections.threecx.xapi.plugins.module_utils._queues import RING_GROUP
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return run_info(module, client, RING_GROUP, "ring_groups")


def main():
    module = XapiModule(argument_spec=info_argument_spec(RING_GROUP), **info_module_kwargs(RING_GROUP))
    module.run(run)


if __name__ == "__main__":
    main()
