#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_contact
short_description: Manage the company phonebook of a 3CX PBX
version_added: 0.1.0
description:
  - Ensures that an entry of the company phonebook (XAPI C(Contacts)) of a 3CX v20 PBX exists as described,
    or does not exist.
  - The PBX has no unique key for a contact. A contact is named by O(first_name), O(last_name) and
    O(company_name) together (one $filter on all three; a name left out matches an empty one). When more
    than one contact matches, the task fails listing their Ids and changes nothing.
  - Idempotent. It reads the contact first, writes only what differs, and reads it again after a write.
options:
  first_name:
    description: The contact's first name (C(FirstName)). At least one of the three names is needed.
    type: str
  last_name:
    description: The contact's last name (C(LastName)).
    type: str
  company_name:
    description: The contact's company (C(CompanyName)).
    type: str
  email:
    description: The contact's e-mail address (C(Email)).
    type: str
  mobile:
    description: The contact's mobile number (C(Mobile2)).
    type: str
  business:
    description: The contact's business number (C(Business)).
    type: str
  business2:
    description: A second business number (C(Business2)).
    type: str
  home:
    description: The contact's home number (C(Home)).
    type: str
  phone_number:
    description: The contact's main number (C(PhoneNumber)).
    type: str
  title:
    description: The contact's job title (C(Title)).
    type: str
  department:
    description: The contact's department in their company (C(Department)).
    type: str
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.state
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the contact and sends no write.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Our accountant in the phonebook
  threecx.xapi.threecx_contact:
    first_name: Priya
    last_name: Shah
    company_name: Shah & Co Chartered Accountants
    business: "+44 20 7946 0321"
    mobile: "+44 7700 900123"
    email: priya@shah-accountants.example.com
    title: Partner

- name: Remove a supplier's old contact
  threecx.xapi.threecx_contact:
    first_name: Tom
    last_name: Baker
    company_name: Northwind Traders
    state: absent
"""

RETURN = r"""
contact:
  description: The contact as the PBX holds it after the task (before it, in check mode); empty after a delete.
  returned: success
  type: dict
  sample:
    Id: 12
    FirstName: Priya
    LastName: Shah
    CompanyName: Shah & Co Chartered Accountants
    Business: "+44 20 7946 0321"
    Mobile2: "+44 7700 900123"
    Email: priya@shah-accountants.example.com
    Title: Partner
    ContactType: 3CX
diff:
  description: The three names and every field before and after.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._routing import CONTACT, CONTACT_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule, state_argument_spec


def run(module, client):
    return run_desired_state(module, client, CONTACT)


def main():
    module = XapiModule(
        argument_spec=dict(state_argument_spec(), **CONTACT_OPTIONS),
        required_one_of=[("first_name", "last_name", "company_name")],
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
