#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_office_hours
short_description: Set the office hours of a 3CX PBX
version_added: 0.1.0
description:
  - Sets the PBX-wide office hours, break time, time zone and system language of a 3CX v20 PBX
    (the XAPI singleton C(OfficeHours)). Inbound rules and departments that follow the office hours use them.
  - Idempotent. It reads C(GET /OfficeHours) first and sends one C(PATCH) with only the settings that
    differ, then reads them again.
  - The periods of a schedule compare as a set, in any order, and times compare as times, so V(09:00),
    V(09:00:00) and the PBX's V(09:00:00.0000000) are equal.
  - A schedule given is sent whole; settings not given are left as they are.
options:
  hours:
    description: The office hours (C(Hours)).
    type: dict
    suboptions:
      Type:
        description:
          - When the schedule applies, one of the spec's C(RuleHoursType) values; V(OfficeHours) for a
            week of periods.
        type: str
        choices: [AllHours, OfficeHours, OutOfOfficeHours, SpecificHours, SpecificHoursExcludingHolidays,
                  OutOfSpecificHours, OutOfSpecificHoursIncludingHolidays, Never, BreakTime]
      Periods:
        description: The periods of the week, compared as a set.
        type: list
        elements: dict
        suboptions:
          DayOfWeek:
            description: The day.
            type: str
            required: true
            choices: [Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday]
          Start:
            description: The time it starts, such as V(09:00).
            type: str
            required: true
          Stop:
            description: The time it stops, such as V(17:30).
            type: str
            required: true
  break_time:
    description: The break time (C(BreakTime)), such as a lunch break; a schedule like O(hours).
    type: dict
    suboptions:
      Type:
        description: When the schedule applies, one of the spec's C(RuleHoursType) values.
        type: str
        choices: [AllHours, OfficeHours, OutOfOfficeHours, SpecificHours, SpecificHoursExcludingHolidays,
                  OutOfSpecificHours, OutOfSpecificHoursIncludingHolidays, Never, BreakTime]
      Periods:
        description: The periods of the week, compared as a set.
        type: list
        elements: dict
        suboptions:
          DayOfWeek:
            description: The day.
            type: str
            required: true
            choices: [Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday]
          Start:
            description: The time it starts, such as V(12:30).
            type: str
            required: true
          Stop:
            description: The time it stops, such as V(13:15).
            type: str
            required: true
  time_zone_id:
    description: The PBX's time zone, as the Id the PBX uses for it (C(TimeZoneId)), such as V(51).
    type: str
  system_language:
    description: The language of the PBX's system prompts (C(SystemLanguage)), such as V(EN).
    type: str
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the office hours and sends no write.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Open Monday to Friday 08:30-17:30 with a lunch break, and Saturday morning
  threecx.xapi.threecx_office_hours:
    hours:
      Type: OfficeHours
      Periods:
        - {DayOfWeek: Monday, Start: "08:30", Stop: "17:30"}
        - {DayOfWeek: Tuesday, Start: "08:30", Stop: "17:30"}
        - {DayOfWeek: Wednesday, Start: "08:30", Stop: "17:30"}
        - {DayOfWeek: Thursday, Start: "08:30", Stop: "17:30"}
        - {DayOfWeek: Friday, Start: "08:30", Stop: "17:30"}
        - {DayOfWeek: Saturday, Start: "09:00", Stop: "12:00"}
    break_time:
      Type: BreakTime
      Periods:
        - {DayOfWeek: Monday, Start: "12:30", Stop: "13:15"}
        - {DayOfWeek: Tuesday, Start: "12:30", Stop: "13:15"}
        - {DayOfWeek: Wednesday, Start: "12:30", Stop: "13:15"}
        - {DayOfWeek: Thursday, Start: "12:30", Stop: "13:15"}
        - {DayOfWeek: Friday, Start: "12:30", Stop: "13:15"}
    time_zone_id: "51"
    system_language: EN

- name: Only the time zone; the schedules stay as they are
  threecx.xapi.threecx_office_hours:
    time_zone_id: "51"
"""

RETURN = r"""
office_hours:
  description: The office hours as the PBX holds them after the task (before it, in check mode).
  returned: success
  type: dict
  sample:
    Hours:
      Type: OfficeHours
      IgnoreHolidays: false
      Periods:
        - {DayOfWeek: Monday, Start: "08:30:00.0000000", Stop: "17:30:00.0000000"}
    BreakTime:
      Type: BreakTime
      Periods:
        - {DayOfWeek: Monday, Start: "12:30:00.0000000", Stop: "13:15:00.0000000"}
    TimeZoneId: "51"
    SystemLanguage: EN
diff:
  description: C(Hours), C(BreakTime), C(TimeZoneId) and C(SystemLanguage) before and after.
  returned: when diff mode is on
  type: dict
"""

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._routing import OFFICE_HOURS, OFFICE_HOURS_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return run_desired_state(module, client, OFFICE_HOURS)


def main():
    module = XapiModule(
        argument_spec=dict(OFFICE_HOURS_OPTIONS),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
