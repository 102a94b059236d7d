#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_outbound_rule
short_description: Manage the outbound rules of a 3CX PBX
version_added: 0.1.0
description:
  - Ensures that an outbound rule (XAPI C(OutboundRules)) of a 3CX v20 PBX exists as described, or does
    not exist. An outbound rule picks the trunk an outgoing call takes, by the number dialled, the caller's
    extension and department.
  - Trunks and departments are given by name and turned into Ids with one listing of each per run. An
    unknown trunk or department fails, naming it, before any write.
  - The PBX keeps five route slots, padding unused ones with C(TrunkId) V(-1), and fills in C(TrunkName)
    and C(GroupNames); none of that is ever a change.
  - Idempotent. It reads the rule first, writes only what differs, and reads it again after a write.
options:
  name:
    description: The rule's name (C(Name)), which names it on the PBX.
    type: str
    required: true
  prefix:
    description: Calls to numbers starting with this prefix (C(Prefix)), such as V(07) for UK mobiles.
    type: str
  number_length_ranges:
    description: Calls to numbers of these lengths (C(NumberLengthRanges)), such as V(11) or V(7-9,11).
    type: str
  dn_ranges:
    description: Calls from extensions in these ranges (C(DNRanges)), compared in any order.
    type: list
    elements: dict
    suboptions:
      from:
        description: The first extension number of the range (C(From)).
        type: str
        required: true
      to:
        description: The last extension number of the range (C(To)).
        type: str
        required: true
  groups:
    description:
      - Calls from members of these departments, by name (turned into C(GroupIds)), compared as a set.
    type: list
    elements: str
  routes:
    description:
      - The routes the call tries, in order, up to five. They are compared in order, and the PBX's unused
        slots are not a difference.
      - A route's fields left out are not compared.
    type: list
    elements: dict
    suboptions:
      trunk:
        description: The trunk, by its name (the trunk's C(Gateway.Name)), turned into C(TrunkId).
        type: str
        required: true
      strip_digits:
        description: How many digits to strip from the start of the number (C(StripDigits)).
        type: int
      prepend:
        description: Digits to put before the number (C(Prepend)).
        type: str
      append:
        description: Digits to put after the number (C(Append)).
        type: str
      caller_id:
        description: The caller ID to send on this route (C(CallerID)).
        type: str
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.state
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the rule (and lists trunks and departments by name) and sends no write.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: UK mobiles go out on the cheaper SIP provider, falling back to the branch office bridge
  threecx.xapi.threecx_outbound_rule:
    name: UK mobiles
    prefix: "07"
    number_length_ranges: "11"
    groups:
      - DEFAULT
    routes:
      - trunk: Example SIP provider
        strip_digits: 1
        prepend: "+44"
      - trunk: Branch office bridge

- name: Extensions 100 to 199 dial out through the provider only
  threecx.xapi.threecx_outbound_rule:
    name: Head office
    dn_ranges:
      - {from: "100", to: "199"}
    routes:
      - trunk: Example SIP provider

- name: Remove a rule
  threecx.xapi.threecx_outbound_rule:
    name: Old international route
    state: absent
"""

RETURN = r"""
outbound_rule:
  description: The rule as the PBX holds it after the task (before it, in check mode); empty after a delete.
  returned: success
  type: dict
  sample:
    Id: 3
    Name: UK mobiles
    Prefix: "07"
    NumberLengthRanges: "11"
    Priority: 2
    GroupIds: [1]
    GroupNames: [DEFAULT]
    DNRanges: []
    Routes:
      - {TrunkId: 1, TrunkName: Example SIP provider, StripDigits: 1, Prepend: "+44"}
      - {TrunkId: 2, TrunkName: Branch office bridge}
      - {TrunkId: -1}
      - {TrunkId: -1}
      - {TrunkId: -1}
diff:
  description: The rule's name and fields before and after, in XAPI form (C(GroupIds), C(Routes) by C(TrunkId)).
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._routing import OUTBOUND_RULE, OUTBOUND_RULE_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule, state_argument_spec


def run(module, client):
    return run_desired_state(module, client, OUTBOUND_RULE)


def main():
    module = XapiModule(
        argument_spec=dict(state_argument_spec(), **OUTBOUND_RULE_OPTIONS),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
