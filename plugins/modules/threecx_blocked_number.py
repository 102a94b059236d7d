#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_blocked_number
short_description: Block or unblock a caller on a 3CX PBX
version_added: 0.1.0
description:
  - Ensures that a caller ID is on, or off, the blocked numbers list of a 3CX v20 PBX, through XAPI's
    C(BlackListNumbers).
  - The caller ID names the entry (C(CallerId)); the PBX's own key (C(Id)) is a string it assigns.
  - Idempotent. It reads the entry first, writes only what differs, and reads it again after a write.
options:
  caller_id:
    description:
      - The caller ID to block (C(CallerId)), as the PBX shows it in its call log, such as V(+12025550199),
        or V(anonymous) for callers who withhold their number.
    type: str
    required: true
  description:
    description: Why the number is blocked (C(Description)).
    type: str
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.state
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the entry and sends no write.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Block a spam caller
  threecx.xapi.threecx_blocked_number:
    caller_id: "+1 202 555 0142"
    description: Robocaller offering a car warranty

- name: Block callers who withhold their number
  threecx.xapi.threecx_blocked_number:
    caller_id: anonymous
    description: Withheld numbers

- name: Unblock a number
  threecx.xapi.threecx_blocked_number:
    caller_id: "+44 20 7946 0999"
    state: absent
"""

RETURN = r"""
blocked_number:
  description:
    - The entry as the PBX holds it after the task (before it, in check mode); empty after a delete.
  returned: success
  type: dict
  sample:
    Id: "17"
    CallerId: "+1 202 555 0142"
    Description: Robocaller offering a car warranty
diff:
  description: C(CallerId) and C(Description) before and after.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._routing import BLOCKED_NUMBER, BLOCKED_NUMBER_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule, state_argument_spec


def run(module, client):
    return run_desired_state(module, client, BLOCKED_NUMBER)


def main():
    module = XapiModule(
        argument_spec=dict(state_argument_spec(), **BLOCKED_NUMBER_OPTIONS),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
