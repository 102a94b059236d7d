#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_user_info
short_description: List the extensions (users) of a 3CX PBX, with their departments
version_added: 0.1.0
description:
  - Reads one extension of a 3CX v20 PBX by its number (C(GET /Users(Number='100'\))), or lists the
    extensions (C(GET /Users)) with OData filtering, search, sorting and paging.
  - Each extension comes with its departments (C($expand=Groups)) unless O(expand) says otherwise, as
    M(threecx.xapi.threecx_user) returns it.
  - Nothing found is an empty list, not a failure.
options:
  number:
    description:
      - The extension number of the one extension to return.
      - Cannot be combined with O(filter), O(search), O(orderby), O(top) or O(skip).
    type: str
  expand:
    description:
      - Related entities to include (OData C($expand)); V(Groups) when not given. An empty list includes none.
    type: list
    elements: str
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
- name: Read extension 100 with its departments
  threecx.xapi.threecx_user_info:
    number: "100"
  register: extension

- name: List the enabled extensions, their names and e-mail addresses only
  threecx.xapi.threecx_user_info:
    filter: "Enabled eq true"
    select: [Number, FirstName, LastName, EmailAddress]
    expand: []
    orderby: Number
  register: enabled

- name: The extensions of the Sales department
  threecx.xapi.threecx_user_info:
    filter: "Groups/any(g: g/Name eq 'Sales')"
  register: sales

# Ad hoc, with THREECX_BASE_URL, THREECX_CLIENT_ID and THREECX_CLIENT_SECRET in the environment:
#   ansible localhost -m threecx.xapi.threecx_user_info -a 'number=100'
"""

RETURN = r"""
users:
  description:
    - The extensions, as the PBX returns them (C(Pbx.User)), with C(Groups) unless O(expand) says otherwise.
    - V([]) when nothing matches.
    - C(VMPIN), C(AccessPassword) and other secrets are masked unless O(return_secrets=true).
  returned: success
  type: list
  elements: dict
  sample:
    - Id: 7
      Number: "100"
      FirstName: Alice
      LastName: Archer
      EmailAddress: alice@example.com
      Enabled: true
      VMPIN: "********"
      AccessPassword: "********"
      Groups:
        - GroupId: 4
          Name: Sales
          Rights:
            RoleName: managers
count:
  description: The number of matching extensions the PBX reports (C(@odata.count)), regardless of O(top) and O(skip).
  returned: when O(count=true) and O(number) is not given
  type: int
  sample: 42
"""

from ansible_collections.threecx.xapi.plugins.module_utils._info import info_argument_spec, info_module_kwargs, run_info
from ansible_collections.threecx.xapi.plugins.module_utils._users import USER
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return run_info(module, client, USER, "users")


def main():
    module = XapiModule(argument_spec=info_argument_spec(USER), **info_module_kwargs(USER))
    module.run(run)


if __name__ == "__main__":
    main()
