# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Holiday times: clock times become the ISO 8601 durations the PBX holds, and an export turns them back."""

from __future__ import annotations

import pytest
from module_runner import run_module

from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError
from ansible_collections.threecx.xapi.plugins.module_utils._routing import _clock_time, duration
from ansible_collections.threecx.xapi.plugins.modules import threecx_config_export

# (what a user writes, what the PBX holds, what an export shows), written out by hand.
TIMES = [
    ("00:00", "PT0S", "00:00"),
    ("0:05", "PT5M", "00:05"),
    ("09:00", "PT9H", "09:00"),
    ("12:30", "PT12H30M", "12:30"),
    ("23:59", "PT23H59M", "23:59"),
    ("07:00:15", "PT7H15S", "07:00:15"),
    ("PT12H30M", "PT12H30M", "12:30"),
]


@pytest.mark.parametrize("written, held, shown", TIMES)
def test_a_time_is_sent_as_a_duration_and_exported_as_a_clock_time(written, held, shown):
    assert duration(written, "start_time") == held
    assert _clock_time(None, held) == shown
    assert duration(shown, "start_time") == held, "what the export shows means the same again"


@pytest.mark.parametrize("held", ["P1DT2H", "PT24H", "PT1H60M", "PT0.5S", "", None, 3600])
def test_what_is_no_time_of_day_is_exported_as_the_pbx_holds_it(held):
    assert _clock_time(None, held) == held


@pytest.mark.parametrize("written", ["24:00", "12:60", "noon", "12"])
def test_what_is_no_time_of_day_is_refused_naming_the_option(written):
    with pytest.raises(InputError, match="^end_time: .* is not a time of day"):
        duration(written, "end_time")


def test_an_export_shows_holiday_times_as_clock_times(pbx, capsys):
    pbx.create("Holidays", {"Name": "Half day", "Day": 24, "Month": 12, "DayEnd": 24, "MonthEnd": 12,
                            "IsRecurrent": True, "TimeOfStartDate": "PT12H30M", "TimeOfEndDate": "PT23H59M"})
    result = run_module(threecx_config_export, pbx, capsys, include=["holidays"])
    held = next(item for item in result["config"]["holidays"] if item["name"] == "Half day")
    assert (held["start_time"], held["end_time"]) == ("12:30", "23:59")
