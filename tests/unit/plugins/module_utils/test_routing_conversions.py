# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The conversions of _routing: what the modules take, turned into what the PBX holds, and back for an export."""

from __future__ import annotations

import pytest
from module_runner import run_module

from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError
from ansible_collections.threecx.xapi.plugins.module_utils._routing import (
    _clock_text,
    _clock_time,
    _destination_options,
    _route_options,
    _schedule_options,
    duration,
)
from ansible_collections.threecx.xapi.plugins.modules import threecx_config_export


@pytest.mark.parametrize("held, shown", [("09:00:00.0000000", "09:00"), ("9:05:30", "09:05:30"), ("noon", "noon"),
                                         ("17:00", "17:00"), (None, None)])
def test_a_time_the_pbx_holds_is_shown_in_the_shortest_form_the_module_takes(held, shown):
    assert _clock_text(held) == shown


def test_a_schedule_without_type_or_periods_gives_only_what_it_has():
    assert _schedule_options(None, {}) == {}
    assert _schedule_options(None, {"Type": "OfficeHours", "IgnoreHolidays": True}) == {"Type": "OfficeHours"}
    assert _schedule_options(None, {"Periods": []}) == {"Periods": []}


def test_a_destination_without_a_number_has_only_its_type():
    assert _destination_options(None, {"To": "VoiceMail", "Number": ""}) == {"type": "VoiceMail"}
    assert _destination_options(None, {"To": "External", "External": "+4420", "Number": "1"}) == {
        "type": "External", "number": "+4420"}


@pytest.mark.parametrize("text", ["PT", "PTH", "24:00"])
def test_a_duration_that_is_no_duration_nor_time_fails(text):
    with pytest.raises(InputError) as caught:
        duration(text, "start_time")
    assert str(caught.value) == "start_time: %r is not a time of day such as 09:00 or 17:30:00" % text


class _Trunks:
    """Trunk names by Id, as the engine's lookups answer them."""

    def name_of(self, entity_set, prop, key):
        assert (entity_set, prop) == ("Trunks", "Gateway/Name")
        return {1: "Provider", 2: "Bridge"}[key]


def test_routes_export_without_unused_slots_wherever_they_are_and_without_blank_values():
    held = [{"TrunkId": -1}, {"TrunkId": 1, "Prepend": "", "StripDigits": 0, "TrunkName": "Provider"},
            {"TrunkId": None}, {"TrunkId": 2, "Append": "#"}]
    assert _route_options(_Trunks(), held) == [{"trunk": "Provider", "strip_digits": 0},
                                               {"trunk": "Bridge", "append": "#"}]


# (what a user writes, what the PBX holds, what an export shows), written out by hand.
TIMES = [
    ("00:00", "PT0S", "00:00"),
    ("0:05", "PT5M", "00:05"),
    ("09:00", "PT9H", "09:00"),
    ("12:30", "PT12H30M", "12:30"),
    ("23:59", "PT23H59M", "23:59"),
    ("07:00:15", "PT7H15S", "07:00:15"),
    ("23:59:59", "PT23H59M59S", "23:59:59"),
    ("PT12H30M", "PT12H30M", "12:30"),
]


@pytest.mark.parametrize("written, held, shown", TIMES)
def test_a_time_is_sent_as_a_duration_and_exported_as_a_clock_time(written, held, shown):
    assert duration(written, "start_time") == held
    assert _clock_time(None, held) == shown
    assert duration(shown, "start_time") == held, "what the export shows means the same again"


@pytest.mark.parametrize("held", ["P1DT2H", "PT24H", "PT1H60M", "PT60S", "PT61S", "PT0.5S", "", None, 3600])
def test_what_is_no_time_of_day_is_exported_as_the_pbx_holds_it(held):
    assert _clock_time(None, held) == held


def test_an_export_shows_holiday_times_as_clock_times(pbx, capsys):
    pbx.create("Holidays", {"Name": "Half day", "Day": 24, "Month": 12, "DayEnd": 24, "MonthEnd": 12,
                            "IsRecurrent": True, "TimeOfStartDate": "PT12H30M", "TimeOfEndDate": "PT23H59M"})
    result = run_module(threecx_config_export, pbx, capsys, include=["holidays"])
    held = next(item for item in result["config"]["holidays"] if item["name"] == "Half day")
    assert (held["start_time"], held["end_time"]) == ("12:30", "23:59")
