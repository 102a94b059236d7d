#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_outbound_rule_info
short_description: List the outbound rules of a 3CX PBX
version_added: 0.1.0
description:
  - Lists the outbound rules of a 3CX v20 PBX (XAPI C(OutboundRules)), or the one rule of a name.
  - Without O(top) it returns every matching rule, fetched page by page.
options:
  name:
    description:
      - The name of the one rule to return (C(Name)). Nothing found is an empty list.
      - Cannot be combined with O(filter), O(search), O(orderby), O(top) or O(skip).
    type: str
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.paging
  - threecx.xapi.shape
  - threecx.xapi.shape.orderby
  - threecx.xapi.attributes
  - threecx.xapi.attributes.info_module
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: The outbound rules in the order the PBX tries them
  threecx.xapi.threecx_outbound_rule_info:
    orderby: Priority
  register: rules

- name: One rule
  threecx.xapi.threecx_outbound_rule_info:
    name: Default route
  register: default_route
"""

RETURN = r"""
outbound_rules:
  description: The rules, as the PBX returns them, with their five route slots.
  returned: success
  type: list
  elements: dict
  sample:
    - Id: 1
      Name: Default route
      Prefix: ""
      Priority: 1
      GroupIds: [1]
      GroupNames: [DEFAULT]
      Routes:
        - {TrunkId: 1, TrunkName: Example SIP provider, StripDigits: 0}
        - {TrunkId: 2, TrunkName: Branch office bridge, StripDigits: 0}
        - {TrunkId: -1}
        - {TrunkId: -1}
        - {TrunkId: -1}
count:
  description: How many rules match, before paging; only with O(count=true).
  returned: when O(count=true) and no O(name)
  type: int
"""

from ansible_collections.threecx.xapi.plugins.module_utils._info import info_argument_spec, info_module_kwargs, run_info
from ansible_collections.threecx.xapi.plugins.module_utils._routing import OUTBOUND_RULE
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return run_info(module, client, OUTBOUND_RULE, "outbound_rules")


def main():
    XapiModule(argument_spec=info_argument_spec(OUTBOUND_RULE), **info_module_kwargs(OUTBOUND_RULE)).run(run)


if __name__ == "__main__":
    main()
