#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_holiday_info
short_description: List the holidays of a 3CX PBX
version_added: 0.1.0
description:
  - Lists the holidays of a 3CX v20 PBX (XAPI C(Holidays)), or the one holiday of a name.
  - Without O(top) it returns every matching holiday, fetched page by page.
options:
  name:
    description:
      - The name of the one holiday to return (C(Name)). Nothing found is an empty list.
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
- name: List the recurrent holidays, by month
  threecx.xapi.threecx_holiday_info:
    filter: IsRecurrent eq true
    orderby: Month,Day
  register: holidays

- name: Read one holiday
  threecx.xapi.threecx_holiday_info:
    name: Christmas Day
  register: christmas
"""

RETURN = r"""
holidays:
  description: The holidays, as the PBX returns them.
  returned: success
  type: list
  elements: dict
  sample:
    - Id: 2
      Name: Christmas Day
      Day: 25
      Month: 12
      DayEnd: 25
      MonthEnd: 12
      IsRecurrent: true
      TimeOfStartDate: PT0S
      TimeOfEndDate: PT23H59M
count:
  description: How many holidays match, before paging; only with O(count=true).
  returned: when O(count=true) and no O(name)
  type: int
"""

from ansible_collections.threecx.xapi.plugins.module_utils._info import info_argument_spec, info_module_kwargs, run_info
from ansible_collections.threecx.xapi.plugins.module_utils._routing import HOLIDAY
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return run_info(module, client, HOLIDAY, "holidays")


def main():
    XapiModule(argument_spec=info_argument_spec(HOLIDAY), **info_module_kwargs(HOLIDAY)).run(run)


if __name__ == "__main__":
    main()
