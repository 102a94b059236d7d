#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_ring_group
short_description: Manage the ring groups of a 3CX PBX
version_added: 0.1.0
description:
  - Creates, changes and deletes ring groups of a 3CX v20 PBX through XAPI (C(/xapi/v1/RingGroups)), with
    their name, ring strategy, ring time and members.
  - A ring group is found by its extension number, O(number). Ring groups share one numbering plan
    with extensions and queues, so a number already taken by any of them fails with the PBX's own
    message, and nothing is created.
  - Idempotent. Only the options you give are compared; one C(PATCH) carries only what differs, and
    the ring group is read again after every write.
  - Every extension named in O(members) is checked before any write; an unknown one fails, naming it.
options:
  number:
    description:
      - The ring group's extension number (C(Number)), such as V(700). It names the ring group and cannot be changed.
    type: str
    required: true
  name:
    description: The ring group's name (C(Name)).
    type: str
  ring_strategy:
    description:
      - How the members ring (C(RingStrategy)), one of the spec's C(StrategyType) values.
      - V(Hunt) rings one member at a time, in the order of O(members); V(RingAll) rings them all at
        once; V(Paging) opens a one-way announcement to every member's speaker.
    type: str
    choices: [Hunt, RingAll, Paging]
  ring_time:
    description: Seconds the group rings before the call goes to its no-answer destination (C(RingTime)).
    type: int
  members:
    description:
      - Extension numbers of the ring group's members (C(Members)).
      - By default the listed members are added (at the end) and the others kept; see O(purge_members).
    type: list
    elements: str
  purge_members:
    description:
      - Whether O(members) is the whole list, in order. V(true) removes every member not listed and puts
        the members in the order given. For V(Hunt) the order is who rings first, so a list in another
        order is a change (and shows as one with C(--diff)).
    type: bool
    default: false
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.state
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the ring group and the extensions, sends no write, and reports what would change.
  diff_mode:
    details:
      - Shows the number, every typed field, the members in order, and the O(properties) given, before and after.
seealso:
  - module: threecx.xapi.threecx_ring_group_info
  - module: threecx.xapi.threecx_queue
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Reception rings the front desk first, then the office manager, then the back office
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Ensure the reception ring group in hunt order
      threecx.xapi.threecx_ring_group:
        number: "700"
        name: Reception
        ring_strategy: Hunt
        ring_time: 20
        members: ["103", "100", "104"]
        purge_members: true
      delegate_to: localhost

- name: Add extension 105 to the reception group, keeping the others
  threecx.xapi.threecx_ring_group:
    number: "700"
    members: ["105"]

- name: A paging group for the warehouse speakers
  threecx.xapi.threecx_ring_group:
    number: "710"
    name: Warehouse paging
    ring_strategy: Paging
    members: ["106", "107"]

- name: Remove a ring group
  threecx.xapi.threecx_ring_group:
    number: "710"
    state: absent
"""

RETURN = r"""
ring_group:
  description:
    - The ring group as the PBX holds it after the task (before it, in check mode), as C(GET /RingGroups)
      returns it, with C(Members) expanded, in ring order. Empty when the ring group is absent.
  returned: success
  type: dict
  sample:
    Id: 4
    Number: "700"
    Name: Reception
    RingStrategy: Hunt
    RingTime: 20
    Members:
      - {Id: 4, Number: "103", Name: Dana Lee}
      - {Id: 1, Number: "100", Name: Alice Smith}
diff:
  description: The ring group's number, typed fields, members in order and the O(properties) given, before and after.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The ring group before the task; V({}) when it did not exist.
      type: dict
      sample: {"Number": "700", "Name": "Reception", "RingStrategy": "Hunt", "RingTime": 20,
               "Members": [{"Number": "100"}, {"Number": "103"}]}
    after:
      description: The ring group after the task (as it would be, in check mode); V({}) once deleted.
      type: dict
      sample: {"Number": "700", "Name": "Reception", "RingStrategy": "Hunt", "RingTime": 20,
               "Members": [{"Number": "103"}, {"Number": "100"}]}
"""

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._queues import RING_GROUP, RING_GROUP_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule, state_argument_spec


def run(module, client):
    return run_desired_state(module, client, RING_GROUP)


def main():
    module = XapiModule(
        argument_spec=dict(state_argument_spec(member_lists=["members"]), **RING_GROUP_OPTIONS),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
