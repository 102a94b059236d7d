# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The conversions of _routing that need no PBX: what the PBX holds, turned back into what the modules take."""

from __future__ import annotations

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError
from ansible_collections.threecx.xapi.plugins.module_utils._routing import (
    _clock_text,
    _destination_options,
    _route_options,
    _schedule_options,
    duration,
)


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
