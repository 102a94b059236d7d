#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_blocked_number_info
short_description: List the blocked numbers of a 3CX PBX
version_added: 0.1.0
description:
  - Lists the blocked numbers of a 3CX v20 PBX (XAPI C(BlackListNumbers)), or the one entry of a caller ID.
  - Without O(top) it returns every matching entry, fetched page by page.
options:
  caller_id:
    description:
      - The caller ID of the one entry to return (C(CallerId)). Nothing found is an empty list.
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
- name: List every blocked number
  threecx.xapi.threecx_blocked_number_info:
  register: blocked

- name: Is a caller blocked?
  threecx.xapi.threecx_blocked_number_info:
    caller_id: anonymous
  register: withheld
"""

RETURN = r"""
blocked_numbers:
  description: The entries, as the PBX returns them.
  returned: success
  type: list
  elements: dict
  sample:
    - Id: "1"
      CallerId: "+1 202 555 0199"
      Description: Robocaller
count:
  description: How many entries match, before paging; only with O(count=true).
  returned: when O(count=true) and no O(caller_id)
  type: int
"""

from ansible_collections.threecx.xapi.plugins.module_utils._info import info_argument_spec, info_module_kwargs, run_info
from ansible_collections.threecx.xapi.plugins.module_utils._routing import BLOCKED_NUMBER
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return run_info(module, client, BLOCKED_NUMBER, "blocked_numbers")


def main():
    XapiModule(argument_spec=info_argument_spec(BLOCKED_NUMBER), **info_module_kwargs(BLOCKED_NUMBER)).run(run)


if __name__ == "__main__":
    main()
