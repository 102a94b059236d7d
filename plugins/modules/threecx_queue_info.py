#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_queue_info
short_description: List the call queues of a 3CX PBX
version_added: 0.1.0
description:
  - Reads the call queues of a 3CX v20 PBX through XAPI (C(GET /xapi/v1/Queues)), one queue by its
    O(number), or every queue, with OData filtering, search, sorting and paging.
  - C(Agents) and C(Managers) are expanded, as M(threecx.xapi.threecx_queue) returns them, unless
    O(expand) says otherwise (O(expand=[]) for none).
  - Nothing found is an empty RV(queues), not a failure.
options:
  number:
    description:
      - The extension number of the one queue to return, such as V(800).
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
  - module: threecx.xapi.threecx_queue
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Who answers the sales queue
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Read queue 800 with its agents and managers
      threecx.xapi.threecx_queue_info:
        number: "800"
      delegate_to: localhost
      register: sales

    - name: Show its agents
      ansible.builtin.debug:
        msg: "{{ sales.queues | map(attribute='Agents') | flatten | map(attribute='Number') | list }}"

- name: Every queue that hunts, by name, without member lists
  threecx.xapi.threecx_queue_info:
    filter: "PollingStrategy eq 'Hunt'"
    orderby: Name
    expand: []
"""

RETURN = r"""
queues:
  description:
    - The queues, as the PBX returns them (C(Pbx.Queue)), with C(Agents) and C(Managers) expanded.
    - V([]) when nothing matches.
  returned: success
  type: list
  elements: dict
  sample:
    - Id: 3
      Number: "800"
      Name: Sales queue
      PollingStrategy: LongestWaiting
      RingTimeout: 20
      Agents:
        - {Id: 2, Number: "101", Name: Bob Jones, SkillGroup: null}
      Managers:
        - {Id: 1, Number: "100", Name: Alice Smith}
count:
  description: The number of matching queues the PBX reports (C(@odata.count)), regardless of O(top) and O(skip).
  returned: when O(count=true) and no O(number) is given
  type: int
  sample: 2
"""

from ansible_collections.threecx.xapi.plugins.module_utils._info import info_argument_spec, info_module_kwargs, run_info
from ansible_collections.threecx.xapi.plugins.module_utils._queues import QUEUE
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return run_info(module, client, QUEUE, "queues")


def main():
    module = XapiModule(argument_spec=info_argument_spec(QUEUE), **info_module_kwargs(QUEUE))
    module.run(run)


if __name__ == "__main__":
    main()
