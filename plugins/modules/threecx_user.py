#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_user
short_description: Manage an extension (user) of a 3CX PBX, with its departments
version_added: 0.1.0
description:
  - Creates, changes or deletes an extension of a 3CX v20 PBX (XAPI C(Users)), found by its number.
  - Idempotent. It reads the extension with its departments (C(GET /Users(Number='100'\)?$expand=Groups)),
    compares only the options you give, and writes only what differs. A create is one C(POST /Users), a
    change one C(PATCH /Users({Id}\)) holding only the changed properties, a delete one C(DELETE).
  - Departments are named, and turned into their Ids with one listing of C(Groups) per run. An unknown
    department, an unknown property or a read-only one fails before anything is sent.
  - After a write it reads the extension again and fails, naming the fields, when the PBX did not take
    the change.
  - A user's departments and a department's members are one relation on the PBX; M(threecx.xapi.threecx_group)
    manages it from the department's side.
options:
  number:
    description:
      - The extension number (C(Number)), which names the extension. It cannot be changed once created.
    type: str
    required: true
  first_name:
    description: The first name (C(FirstName)).
    type: str
  last_name:
    description: The last name (C(LastName)).
    type: str
  email:
    description: The e-mail address (C(EmailAddress)), compared case-insensitively.
    type: str
  mobile:
    description: The mobile number (C(Mobile)).
    type: str
  outbound_caller_id:
    description: The caller ID sent on outbound calls (C(OutboundCallerID)).
    type: str
  language:
    description: The language of the user's prompts and apps (C(Language)), such as V(EN) or V(DE).
    type: str
  enabled:
    description: Whether the extension is enabled (C(Enabled)).
    type: bool
  require_2fa:
    description: Whether the user must sign in with a second factor (C(Require2FA)).
    type: bool
  groups:
    description:
      - The departments the extension belongs to, by name, each with the user's role in it.
      - Sent as the extension's C(Groups), each department's name turned into its C(GroupId).
      - By default the listed departments are ensured and any others kept; see O(purge_groups).
      - On create, only the listed departments are set (without O(groups) the PBX puts a new extension in its
        default department).
    type: list
    elements: dict
    suboptions:
      name:
        description: The department's name (C(Name) of a C(Groups) item). An unknown name fails before any write.
        type: str
        required: true
      role:
        description:
          - The role in the department (C(Rights/RoleName)), such as V(users), V(managers) or V(system_owners).
          - A new membership gets V(users) when none is given; an existing one keeps its role.
        type: str
  purge_groups:
    description:
      - Whether to remove the extension from departments not listed in O(groups).
      - With O(groups=[]), the extension leaves every department.
    type: bool
    default: false
  pin:
    description:
      - The voicemail PIN (C(VMPIN)). Sent when the extension is created, or on every run with
        O(update_password=always). Never shown.
    type: str
  web_password:
    description:
      - The password of the user's web client (C(AccessPassword)). Sent like O(pin). Never shown.
    type: str
  properties:
    description:
      - "Any other C(Pbx.User) properties, such as C(RecordCalls) or C(SendEmailMissedCalls)."
      - Read-only ones (C(Id), C(Number), C(IsRegistered), C(CurrentProfileName), C(QueueStatus)) and those that
        have an option here (C(Groups), C(VMPIN)...) fail before any request, naming them.
    type: dict
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.state
  - threecx.xapi.state.secrets
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the extension and the departments, sends no write, and reports what would change.
  diff_mode:
    details:
      - Shows the number, every typed field, the departments and the properties given; the PIN and the web
        password are masked.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
# group_vars/all/users.yml, one list for the whole PBX (or one file per department):
#   pbx_users:
#     - {number: "100", first_name: Alice, last_name: Archer, email: alice@example.com,
#        groups: [{name: Sales, role: managers}]}
#     - {number: "150", first_name: Bob, last_name: Baker, email: bob@example.com,
#        groups: [{name: Sales}]}
- name: Keep the extensions of every PBX as they are in git
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Ensure each extension
      threecx.xapi.threecx_user:
        number: "{{ item.number }}"
        first_name: "{{ item.first_name }}"
        last_name: "{{ item.last_name }}"
        email: "{{ item.email }}"
        groups: "{{ item.groups }}"
      loop: "{{ pbx_users }}"
      loop_control:
        label: "{{ item.number }}"
      delegate_to: localhost

- name: A new starter, with a voicemail PIN set once, when the extension is created
  threecx.xapi.threecx_user:
    number: "150"
    first_name: Bob
    last_name: Baker
    email: bob@example.com
    mobile: "+12025550150"
    language: EN
    pin: "{{ vault_pins['150'] | default(omit) }}"
    groups:
      - name: Sales
    properties:
      RecordCalls: true

- name: Move extension 100 to exactly one department, as a manager
  threecx.xapi.threecx_user:
    number: "100"
    groups:
      - name: Sales
        role: managers
    purge_groups: true

# See what a change would do first:
#   ansible-playbook users.yml --check --diff
- name: Preview a change of e-mail address (nothing is sent)
  threecx.xapi.threecx_user:
    number: "100"
    email: alice.archer@example.com
  check_mode: true
  diff: true

- name: Remove a leaver's extension
  threecx.xapi.threecx_user:
    number: "150"
    state: absent
"""

RETURN = r"""
user:
  description:
    - The extension after the task (before it, in check mode; nothing after a delete), as
      C(GET /Users(Number='...')?$expand=Groups) returns it, with its departments in C(Groups).
    - C(VMPIN), C(AccessPassword) and other secrets are masked, whatever O(return_secrets) says for the PIN and
      the web password.
  returned: success
  type: dict
  sample:
    Id: 7
    Number: "100"
    FirstName: Alice
    LastName: Archer
    EmailAddress: alice@example.com
    Enabled: true
    Require2FA: false
    VMPIN: "********"
    AccessPassword: "********"
    Groups:
      - GroupId: 1
        Name: DEFAULT
        Number: GRP0000
        Rights:
          RoleName: managers
diff:
  description: The number, every typed field, the departments and the given properties, before and after.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The extension before the task; V({}) when it is created.
      type: dict
      sample: {"Number": "100", "FirstName": "Alice", "EmailAddress": "alice@example.com", "VMPIN": "********"}
    after:
      description: The extension after the task (as it would be, in check mode); V({}) when it is deleted.
      type: dict
      sample: {"Number": "100", "FirstName": "Alice", "EmailAddress": "alice.archer@example.com", "VMPIN": "********"}
"""

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._users import USER, USER_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule, state_argument_spec


def run(module, client):
    return run_desired_state(module, client, USER)


def main():
    module = XapiModule(
        argument_spec=dict(state_argument_spec(member_lists=["groups"], secrets=True), **USER_OPTIONS),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
