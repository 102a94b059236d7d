#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_inbound_rule
short_description: Manage the inbound rules (DID routing) of a 3CX PBX
version_added: 0.1.0
description:
  - Ensures that an inbound rule (XAPI C(InboundRules)) of a 3CX v20 PBX exists as described, or does not
    exist. An inbound rule sends calls to a number (a DID, or a mask) arriving on a trunk to a destination,
    one in office hours and another out of them.
  - A rule is named by its DID or mask (O(did), C(Data)) together with its trunk (O(trunk), by name).
    The trunk is looked up by name; an unknown one fails, naming it, before any write.
  - A destination's extension number is looked up too, among the extensions, queues, ring groups or
    digital receptionists as its type says; an unknown one fails before any write.
  - The names and tags the PBX fills into a destination (C(Name), C(Tags)) are never compared.
  - Idempotent. It reads the rule first, writes only what differs, and reads it again after a write.
options:
  did:
    description: The DID number or mask the rule matches (C(Data)), such as V(+442079460100) or V(*100).
    type: str
    required: true
  trunk:
    description: The trunk the call arrives on, by its name (the trunk's C(Gateway.Name)); it becomes C(TrunkDN).
    type: str
    required: true
  name:
    description: The rule's display name (C(RuleName)).
    type: str
  condition:
    description: What the rule matches on (C(Condition)); V(BasedOnDID) for a DID rule.
    type: str
    choices: [NoAnswer, PhoneBusy, PhoneNotRegistered, ForwardAll, BasedOnCallerID, BasedOnDID]
  office_hours_destination:
    description: Where calls go in office hours (C(OfficeHoursDestination)).
    type: dict
    suboptions:
      type:
        description: The kind of destination (C(To)).
        type: str
        required: true
        choices: [None, VoiceMail, Extension, Queue, RingGroup, IVR, External, Fax, Boomerang, Deflect,
                  VoiceMailOfDestination, Callback, RoutePoint, ProceedWithNoExceptions]
      number:
        description:
          - The destination's number (C(Number)), an extension, queue, ring group or receptionist number,
            which must exist; for V(External), the outside number (C(External)).
        type: str
  out_of_office_destination:
    description: Where calls go out of office hours (C(OutOfOfficeHoursDestination)); like O(office_hours_destination).
    type: dict
    suboptions:
      type:
        description: The kind of destination (C(To)).
        type: str
        required: true
        choices: [None, VoiceMail, Extension, Queue, RingGroup, IVR, External, Fax, Boomerang, Deflect,
                  VoiceMailOfDestination, Callback, RoutePoint, ProceedWithNoExceptions]
      number:
        description: The destination's number, as for O(office_hours_destination).
        type: str
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.state
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the rule (and looks up the trunk and the destinations' numbers) and sends no write.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: The sales line rings reception in office hours and the sales queue out of hours
  threecx.xapi.threecx_inbound_rule:
    did: "+442079460150"
    trunk: Example SIP provider
    name: Sales line
    condition: BasedOnDID
    office_hours_destination:
      type: RingGroup
      number: "700"
    out_of_office_destination:
      type: Queue
      number: "800"

- name: Out of hours, the main number goes to the duty mobile
  threecx.xapi.threecx_inbound_rule:
    did: "+442079460100"
    trunk: Example SIP provider
    out_of_office_destination:
      type: External
      number: "+447700900456"

- name: Remove a rule
  threecx.xapi.threecx_inbound_rule:
    did: "+442079460199"
    trunk: Example SIP provider
    state: absent
"""

RETURN = r"""
inbound_rule:
  description: The rule as the PBX holds it after the task (before it, in check mode), with its C(TrunkDN); empty after a delete.
  returned: success
  type: dict
  sample:
    Id: 4
    RuleName: Sales line
    Data: "+442079460150"
    Condition: BasedOnDID
    TrunkDN: {Id: 1, Number: "10000", Name: Example SIP provider, Type: ExternalLine}
    OfficeHoursDestination: {To: RingGroup, Number: "700", Name: Reception}
    OutOfOfficeHoursDestination: {To: Queue, Number: "800", Name: Sales queue}
diff:
  description: The rule's DID, trunk Id and fields before and after, in XAPI form.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._routing import INBOUND_RULE, INBOUND_RULE_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule, state_argument_spec


def run(module, client):
    return run_desired_state(module, client, INBOUND_RULE)


def main():
    module = XapiModule(
        argument_spec=dict(state_argument_spec(), **INBOUND_RULE_OPTIONS),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
