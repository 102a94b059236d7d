#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_group
short_description: Manage a department of a 3CX PBX, with its members
version_added: 0.1.0
description:
  - Creates, changes or deletes a department of a 3CX v20 PBX (XAPI C(Groups)), found by its name.
  - Idempotent. It reads the department with its members (C(GET /Groups?$filter=Name eq '...'&$expand=Members)),
    compares only the options you give, and writes only what differs. One C(POST /Groups) creates it, one
    C(PATCH /Groups({Id}\)) holding only the changed properties changes it, one C(DELETE) removes it.
  - The PBX assigns the department's C(Number) (such as C(GRP3)); it cannot be set.
  - After a write it reads the department again and fails, naming the fields, when the PBX did not take
    the change.
  - A department's members and a user's departments are one relation on the PBX; M(threecx.xapi.threecx_user)
    manages it from the user's side.
options:
  name:
    description: The department's name (C(Name)), which names it.
    type: str
    required: true
  language:
    description: The language of the department's prompts (C(Language)), such as V(EN) or V(DE).
    type: str
  timezone_id:
    description: The department's time zone (C(TimeZoneId)), as the PBX numbers them, such as V(51).
    type: str
  members:
    description:
      - The department's members, by extension number, each with its role.
      - Sent as the department's C(Members). An extension number the PBX does not know fails with the PBX's message.
      - By default the listed members are ensured and any others kept; see O(purge_members).
    type: list
    elements: dict
    suboptions:
      number:
        description: The member's extension number (C(Number)).
        type: str
        required: true
      role:
        description:
          - The member's role in the department (C(Rights/RoleName)), such as V(users) or V(managers).
          - A new member gets V(users) when none is given; an existing one keeps its role.
        type: str
  purge_members:
    description:
      - Whether to remove members not listed in O(members) from the department.
      - With O(members=[]), the department is emptied.
    type: bool
    default: false
  properties:
    description:
      - "Any other C(Pbx.Group) properties, such as C(Hours) or C(OfficeRoute)."
      - Read-only ones (C(Id), C(Number), C(HasMembers), C(IsDefault), C(LastLoginTime)) and those that have an
        option here (C(Members), C(Language), C(TimeZoneId)) fail before any request, naming them.
    type: dict
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.state
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the department, sends no write, and reports what would change.
  diff_mode:
    details:
      - Shows the name, the language, the time zone, the members and the properties given.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Keep the departments of every PBX as they are in git
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Ensure the Sales department and exactly these members
      threecx.xapi.threecx_group:
        name: Sales
        language: EN
        timezone_id: "51"
        members:
          - number: "102"
            role: managers
          - number: "107"
          - number: "111"
        purge_members: true
      delegate_to: localhost

- name: Add an extension to a department, keeping the other members
  threecx.xapi.threecx_group:
    name: Sales
    members:
      - number: "105"

# See what a change would do first:
#   ansible-playbook departments.yml --check --diff
- name: Preview a new department (nothing is sent)
  threecx.xapi.threecx_group:
    name: Customer Care
    language: EN
  check_mode: true
  diff: true

- name: Remove a department that is no longer needed
  threecx.xapi.threecx_group:
    name: Customer Care
    state: absent
"""

RETURN = r"""
group:
  description:
    - The department after the task (before it, in check mode; nothing after a delete), as
      C(GET /Groups({Id})?$expand=Members) returns it, with its members in C(Members).
  returned: success
  type: dict
  sample:
    Id: 4
    Name: Sales
    Number: GRP3
    Language: EN
    TimeZoneId: "51"
    IsDefault: false
    Members:
      - Number: "102"
        Name: Isla Jones
        Type: Extension
        Rights:
          RoleName: managers
diff:
  description: The name, language, time zone, members and the given properties, before and after.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The department before the task; V({}) when it is created.
      type: dict
      sample: {"Name": "Sales", "Language": "EN", "TimeZoneId": "51", "Members": [{"Number": "102", "Rights": {"RoleName": "managers"}}]}
    after:
      description: The department after the task (as it would be, in check mode); V({}) when it is deleted.
      type: dict
      sample: {"Name": "Sales", "Language": "EN", "TimeZoneId": "51", "Members": [{"Number": "102", "Rights": {"RoleName": "users"}}]}
"""

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._users import GROUP, GROUP_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule, state_argument_spec


def run(module, client):
    return run_desired_state(module, client, GROUP)


def main():
    module = XapiModule(
        argument_spec=dict(state_argument_spec(member_lists=["members"]), **GROUP_OPTIONS),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
