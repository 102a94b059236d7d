#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_holiday
short_description: Manage the holidays of a 3CX PBX
version_added: 0.1.0
description:
  - Ensures that a holiday (XAPI C(Holidays)) exists on a 3CX v20 PBX as described, or does not exist.
    During a holiday, inbound rules send calls to their holiday destination.
  - A holiday is named by O(name). It runs from O(day)/O(month)/O(year) at O(start_time) to
    O(day_end)/O(month_end)/O(year_end) at O(end_time); a recurrent one (O(is_recurrent)) comes back every year.
  - Idempotent. It reads the holiday first, writes only what differs, and reads it again after a write.
options:
  name:
    description: The holiday's name (C(Name)), which names it on the PBX.
    type: str
    required: true
  day:
    description: The day of the month it starts (C(Day)), 1 to 31.
    type: int
  month:
    description: The month it starts (C(Month)), 1 to 12.
    type: int
  year:
    description: The year it starts (C(Year)); leave it out for a recurrent holiday.
    type: int
  day_end:
    description: The day of the month it ends (C(DayEnd)).
    type: int
  month_end:
    description: The month it ends (C(MonthEnd)).
    type: int
  year_end:
    description: The year it ends (C(YearEnd)).
    type: int
  is_recurrent:
    description: Whether it comes back every year on the same date (C(IsRecurrent)).
    type: bool
  start_time:
    description:
      - The time of day it starts (C(TimeOfStartDate)), such as V(00:00) or V(12:30), or as the ISO 8601
        duration the PBX holds, such as V(PT12H30M).
    type: str
  end_time:
    description: The time of day it ends (C(TimeOfEndDate)), written like O(start_time), such as V(23:59).
    type: str
  prompt:
    description: The file name of the prompt played to callers during the holiday (C(HolidayPrompt)).
    type: str
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.state
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the holiday and sends no write.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: The bank holidays of England and Wales in 2027
  threecx.xapi.threecx_holiday:
    name: "{{ item.name }}"
    day: "{{ item.day }}"
    month: "{{ item.month }}"
    year: 2027
    day_end: "{{ item.day }}"
    month_end: "{{ item.month }}"
    year_end: 2027
    is_recurrent: false
    start_time: "00:00"
    end_time: "23:59"
  loop:
    - {name: Good Friday 2027, day: 26, month: 3}
    - {name: Easter Monday 2027, day: 29, month: 3}
    - {name: Early May bank holiday 2027, day: 3, month: 5}
    - {name: Spring bank holiday 2027, day: 31, month: 5}
    - {name: Summer bank holiday 2027, day: 30, month: 8}
  loop_control:
    label: "{{ item.name }}"

- name: Boxing Day, every year
  threecx.xapi.threecx_holiday:
    name: Boxing Day
    day: 26
    month: 12
    day_end: 26
    month_end: 12
    is_recurrent: true
    start_time: "00:00"
    end_time: "23:59"

- name: Remove a one-off closure
  threecx.xapi.threecx_holiday:
    name: Company day out
    state: absent
"""

RETURN = r"""
holiday:
  description: The holiday as the PBX holds it after the task (before it, in check mode); empty after a delete.
  returned: success
  type: dict
  sample:
    Id: 4
    Name: Boxing Day
    Day: 26
    Month: 12
    DayEnd: 26
    MonthEnd: 12
    IsRecurrent: true
    TimeOfStartDate: PT0S
    TimeOfEndDate: PT23H59M
diff:
  description: The holiday's name and fields before and after.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._routing import HOLIDAY, HOLIDAY_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule, state_argument_spec


def run(module, client):
    return run_desired_state(module, client, HOLIDAY)


def main():
    module = XapiModule(
        argument_spec=dict(state_argument_spec(), **HOLIDAY_OPTIONS),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
