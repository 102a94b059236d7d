#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_contact_info
short_description: List the company phonebook of a 3CX PBX
version_added: 0.1.0
description:
  - Lists the company phonebook of a 3CX v20 PBX (XAPI C(Contacts)), or the contacts with a name.
  - With O(first_name), O(last_name) or O(company_name), every contact whose given names match, as one
    $filter; the PBX has no unique key for a contact, so there may be several.
  - Without O(top) it returns every matching contact, fetched page by page.
options:
  first_name:
    description:
      - Only contacts with this first name (C(FirstName)).
      - Cannot be combined with O(filter), O(search), O(orderby), O(top) or O(skip).
    type: str
  last_name:
    description: Only contacts with this last name (C(LastName)); like O(first_name).
    type: str
  company_name:
    description: Only contacts of this company (C(CompanyName)); like O(first_name).
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
- name: Everyone of one company
  threecx.xapi.threecx_contact_info:
    company_name: Northwind Traders
  register: northwind

- name: Search the phonebook
  threecx.xapi.threecx_contact_info:
    search: "202 555"
    orderby: LastName,FirstName
  register: found
"""

RETURN = r"""
contacts:
  description: The contacts, as the PBX returns them.
  returned: success
  type: list
  elements: dict
  sample:
    - Id: 3
      FirstName: Ann
      LastName: Lee
      CompanyName: Northwind Traders
      Business: "+1 202 555 0142"
      Email: ann@northwind-traders.example.com
      ContactType: 3CX
count:
  description: How many contacts match, before paging; only with O(count=true).
  returned: when O(count=true) and none of the names
  type: int
"""

from ansible_collections.threecx.xapi.plugins.module_utils._info import info_argument_spec, info_module_kwargs, run_info
from ansible_collections.threecx.xapi.plugins.module_utils._routing import CONTACT
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return run_info(module, client, CONTACT, "contacts")


def main():
    XapiModule(argument_spec=info_argument_spec(CONTACT), **info_module_kwargs(CONTACT)).run(run)


if __name__ == "__main__":
    main()
