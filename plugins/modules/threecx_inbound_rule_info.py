#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_inbound_rule_info
short_description: List the inbound rules (DID routing) of a 3CX PBX
version_added: 0.1.0
description:
  - Lists the inbound rules of a 3CX v20 PBX (XAPI C(InboundRules)) with their trunk (C(TrunkDN)), or those
    of a DID, of a trunk, or of both.
  - Without O(top) it returns every matching rule, fetched page by page.
options:
  did:
    description:
      - Only the rules of this DID or mask (C(Data)).
      - Cannot be combined with O(filter), O(search), O(orderby), O(top) or O(skip).
    type: str
  trunk:
    description:
      - Only the rules of this trunk, by name (the trunk's C(Gateway.Name)); an unknown trunk fails, naming it.
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
- name: Every inbound rule of the SIP provider's trunk
  threecx.xapi.threecx_inbound_rule_info:
    trunk: Example SIP provider
  register: rules

- name: Where does the main number go?
  threecx.xapi.threecx_inbound_rule_info:
    did: "+442079460100"
  register: main_number
"""

RETURN = r"""
inbound_rules:
  description: The rules, as the PBX returns them, with C(TrunkDN) expanded unless O(expand) says otherwise.
  returned: success
  type: list
  elements: dict
  sample:
    - Id: 1
      RuleName: Main number
      Data: "+442079460100"
      TrunkDN: {Id: 1, Number: "10000", Name: Example SIP provider, Type: ExternalLine}
      OfficeHoursDestination: {To: RingGroup, Number: "700"}
      OutOfOfficeHoursDestination: {To: VoiceMail, Number: "100"}
count:
  description: How many rules match, before paging; only with O(count=true).
  returned: when O(count=true), without O(did) or O(trunk)
  type: int
"""

from ansible_collections.threecx.xapi.plugins.module_utils._info import info_argument_spec, info_module_kwargs, run_info
from ansible_collections.threecx.xapi.plugins.module_utils._routing import INBOUND_RULE
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return run_info(module, client, INBOUND_RULE, "inbound_rules")


def main():
    XapiModule(argument_spec=info_argument_spec(INBOUND_RULE), **info_module_kwargs(INBOUND_RULE)).run(run)


if __name__ == "__main__":
    main()
