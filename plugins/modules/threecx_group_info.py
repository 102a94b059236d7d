#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_group_info
short_description: List the departments of a 3CX PBX, with their members
version_added: 0.1.0
description:
  - Reads one department of a 3CX v20 PBX by its name (C(GET /Groups?$filter=Name eq '...')), or lists
    the departments (C(GET /Groups)) with OData filtering, search, sorting and paging.
  - Each department comes with its members (C($expand=Members)) unless O(expand) says otherwise, as
    M(threecx.xapi.threecx_group) returns it.
  - Nothing found is an empty list, not a failure.
options:
  name:
    description:
      - The name of the one department to return.
      - Cannot be combined with O(filter), O(search), O(orderby), O(top) or O(skip).
    type: str
  expand:
    description:
      - Related entities to include (OData C($expand)); V(Members) when not given. An empty list includes none.
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
- name: Read the Sales department with its members
  threecx.xapi.threecx_group_info:
    name: Sales
  register: sales

- name: Show its members' extension numbers
  ansible.builtin.debug:
    msg: "{{ sales.groups[0].Members | map(attribute='Number') | list }}"
  when: sales.groups | length > 0

- name: List every department by name, without members
  threecx.xapi.threecx_group_info:
    select: [Id, Name, Number]
    expand: []
    orderby: Name
  register: departments
"""

RETURN = r"""
groups:
  description:
    - The departments, as the PBX returns them (C(Pbx.Group)), with C(Members) unless O(expand) says otherwise.
    - V([]) when nothing matches.
    - Secrets are masked unless O(return_secrets=true).
  returned: success
  type: list
  elements: dict
  sample:
    - Id: 4
      Name: Sales
      Number: GRP3
      Language: EN
      TimeZoneId: "51"
      Members:
        - Number: "102"
          Name: Isla Jones
          Type: Extension
          Rights:
            RoleName: managers
count:
  description: The number of matching departments the PBX reports (C(@odata.count)), regardless of O(top) and O(skip).
  returned: when O(count=true) and O(name) is not given
  type: int
  sample: 5
"""

from ansible_collections.threecx.xapi.plugins.module_utils._info import info_argument_spec, info_module_kwargs, run_info
from ansible_collections.threecx.xapi.plugins.module_utils._users import GROUP
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return run_info(module, client, GROUP, "groups")


def main():
    module = XapiModule(argument_spec=info_argument_spec(GROUP), **info_module_kwargs(GROUP))
    module.run(run)


if __name__ == "__main__":
    main()
