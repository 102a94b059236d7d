# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Call routing and the directory as resources of the engine: holidays, office hours, blocked numbers,
contacts, outbound and inbound rules.

The modules and the whole-PBX export/apply share these descriptions. What the PBX does to them:
- it writes times as `09:00:00.0000000` and takes `09:00:00`; a user may write `09:00`;
- it pads an outbound rule's routes to five slots with `TrunkId: -1`, and fills in `TrunkName` and
  `GroupNames`; an inbound rule's destinations get a `Name` and `Tags`. None of those is ever a change.
Each converted field has its reverse, so that an export gives back what the module takes: trunks and
departments by name, no padding, times as `09:00`.
"""

from __future__ import annotations

import re

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import SET, Field, Resource
from ansible_collections.threecx.xapi.plugins.module_utils._entities import ENUMS
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError

ROUTE_SLOTS = 5
UNUSED_ROUTE = {"TrunkId": -1}
# A route's options and the properties they set (the trunk is looked up by name, into TrunkId).
ROUTE_PROPERTIES = {"strip_digits": "StripDigits", "prepend": "Prepend", "append": "Append", "caller_id": "CallerID"}
TRUNK_BY_NAME = ("Trunks", "Gateway/Name")
DEPARTMENT_BY_NAME = ("Groups", "Name")
# The entity set whose Number a destination of each type names; other types name no extension.
DESTINATION_SETS = {"Extension": "Users", "VoiceMail": "Users", "VoiceMailOfDestination": "Users",
                    "Queue": "Queues", "RingGroup": "RingGroups", "IVR": "Receptionists", "Fax": "Fax"}

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


# --- Converting options to what the PBX takes ------------------------------------------------------

def _clock(text, option):
    """(hours, minutes, seconds) of `9:00`, `09:00:00` or `09:00:00.0000000`; anything else fails."""
    match = _CLOCK.match(str(text).strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59 or int(match.group(3) or 0) > 59:
        raise InputError("%s: %r is not a time of day such as 09:00 or 17:30:00" % (option, text), option)
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def time_of_day(text, option):
    """A time as the PBX takes it: `09:00` becomes `09:00:00`."""
    return "%02d:%02d:%02d" % _clock(text, option)


def duration(text, option):
    """A time of day as an ISO 8601 duration since midnight (`12:30` is `PT12H30M`); durations pass as they are."""
    match = _DURATION.match(str(text).strip())
    if match and any(match.groups()):
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
    else:
        hours, minutes, seconds = _clock(text, option)
    parts = [(hours, "H"), (minutes, "M"), (seconds, "S")]
    return "PT" + ("".join("%d%s" % (value, unit) for value, unit in parts if value) or "0S")


def _converted_duration(_api, value, option):
    return duration(value, option)


def _clock_time(_api, value):
    """A duration the PBX holds as the clock time the module takes (`PT12H30M` is `12:30`, `PT0S` is `00:00`),
    so that an exported holiday reads as its users write it; anything else is kept as the PBX wrote it."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match:
        return value
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if hours > 23 or minutes > 59 or seconds > 59:
        return value
    return "%02d:%02d" % (hours, minutes) + (":%02d" % seconds if seconds else "")


def _schedule(_api, value, option):
    """A schedule's periods with their times as the PBX takes them (compared as a set, times as times)."""
    schedule = {name: item for name, item in value.items() if item is not None}
    if value.get("Periods") is not None:
        schedule["Periods"] = [
            {"DayOfWeek": period["DayOfWeek"], "Start": time_of_day(period["Start"], option + ".Periods.Start"),
             "Stop": time_of_day(period["Stop"], option + ".Periods.Stop")}
            for period in value["Periods"]]
    return schedule


def _department_ids(api, names, option):
    return [api.id_of(DEPARTMENT_BY_NAME[0], DEPARTMENT_BY_NAME[1], name, "%s[%d]" % (option, index))
            for index, name in enumerate(names)]


def _routes(api, routes, option):
    """Routes by trunk name as the PBX holds them: TrunkIds, padded to five slots with TrunkId -1."""
    if len(routes) > ROUTE_SLOTS:
        raise InputError("%s: an outbound rule has at most %d routes, not %d" % (option, ROUTE_SLOTS, len(routes)),
                         option)
    held = []
    for index, route in enumerate(routes):
        trunk_id = api.id_of(TRUNK_BY_NAME[0], TRUNK_BY_NAME[1], route["trunk"], "%s[%d].trunk" % (option, index))
        held.append(dict({prop: route[name] for name, prop in ROUTE_PROPERTIES.items() if route.get(name) is not None},
                         TrunkId=trunk_id))
    return held + [dict(UNUSED_ROUTE) for _slot in range(ROUTE_SLOTS - len(held))]


def _dn_ranges(_api, ranges, _option):
    return [{"From": item["from"], "To": item["to"]} for item in ranges]


def _destination(api, value, option):
    """{type, number} as a Pbx.Destination; an extension's number must exist (it is looked up)."""
    kind, number = value["type"], value.get("number")
    if kind == "External":
        return {"To": kind, "External": number}
    if kind in DESTINATION_SETS:
        if number in (None, ""):
            raise InputError("%s: a destination of type %s needs a number" % (option, kind), option)
        api.id_of(DESTINATION_SETS[kind], "Number", number, option + ".number")
    destination = {"To": kind}
    if number is not None:
        destination["Number"] = number
    return destination


# --- Turning what the PBX holds back into options (for export) ---------------------------------------

def _clock_text(text):
    """`09:00:00.0000000` as `09:00`, `09:00:30` as it is: the shortest form the module takes back."""
    match = _CLOCK.match(str(text).strip())
    if not match:
        return text
    hours, minutes, seconds = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    return "%02d:%02d:%02d" % (hours, minutes, seconds) if seconds else "%02d:%02d" % (hours, minutes)


def _schedule_options(_api, value):
    """A schedule as the module's suboptions (Type and Periods; what else the PBX keeps is not managed)."""
    options = {"Type": value.get("Type")} if value.get("Type") is not None else {}
    if value.get("Periods") is not None:
        options["Periods"] = [{"DayOfWeek": period.get("DayOfWeek"), "Start": _clock_text(period.get("Start")),
                               "Stop": _clock_text(period.get("Stop"))} for period in value["Periods"]]
    return options


def _department_names(api, ids):
    return [api.name_of(DEPARTMENT_BY_NAME[0], DEPARTMENT_BY_NAME[1], key) for key in ids]


def _route_options(api, routes):
    """Routes by trunk name, without the PBX's padding and derived TrunkName."""
    options = []
    for route in routes:
        if route.get("TrunkId") in (None, UNUSED_ROUTE["TrunkId"]):
            continue
        option = {"trunk": api.name_of(TRUNK_BY_NAME[0], TRUNK_BY_NAME[1], route["TrunkId"])}
        option.update({name: route[prop] for name, prop in ROUTE_PROPERTIES.items() if route.get(prop) not in (None, "")})
        options.append(option)
    return options


def _dn_range_options(_api, ranges):
    return [{"from": item.get("From"), "to": item.get("To")} for item in ranges]


def _destination_options(_api, value):
    kind = value.get("To")
    number = value.get("External") if kind == "External" else value.get("Number")
    return {"type": kind, "number": number} if number not in (None, "") else {"type": kind}


# --- The resources ----------------------------------------------------------------------------------

HOLIDAY = Resource(
    "holiday", entity_set="Holidays", natural_key=("name", "Name"),
    fields=[
        Field("day", "Day"),
        Field("month", "Month"),
        Field("year", "Year"),
        Field("day_end", "DayEnd"),
        Field("month_end", "MonthEnd"),
        Field("year_end", "YearEnd"),
        Field("is_recurrent", "IsRecurrent"),
        Field("start_time", "TimeOfStartDate", convert=_converted_duration, reverse=_clock_time),
        Field("end_time", "TimeOfEndDate", convert=_converted_duration, reverse=_clock_time),
        Field("prompt", "HolidayPrompt"),
    ],
)

BLOCKED_NUMBER = Resource(
    "blocked_number", entity_set="BlackListNumbers", natural_key=("caller_id", "CallerId"),
    fields=[Field("description", "Description")],
)

OFFICE_HOURS = Resource(
    "office_hours", singleton="OfficeHours", properties=False, unordered=["Periods"],
    fields=[
        Field("hours", "Hours", convert=_schedule, reverse=_schedule_options),
        Field("break_time", "BreakTime", convert=_schedule, reverse=_schedule_options),
        Field("time_zone_id", "TimeZoneId"),
        Field("system_language", "SystemLanguage"),
    ],
)

CONTACT = Resource(
    "contact", entity_set="Contacts",
    # The PBX has no unique key for a contact: the three names together pick one.
    natural_key=(("first_name", "FirstName"), ("last_name", "LastName"), ("company_name", "CompanyName")),
    fields=[
        Field("email", "Email"),
        Field("mobile", "Mobile2"),
        Field("business", "Business"),
        Field("business2", "Business2"),
        Field("home", "Home"),
        Field("phone_number", "PhoneNumber"),
        Field("title", "Title"),
        Field("department", "Department"),
    ],
)

OUTBOUND_RULE = Resource(
    "outbound_rule", entity_set="OutboundRules", natural_key=("name", "Name"),
    fields=[
        Field("prefix", "Prefix"),
        Field("number_length_ranges", "NumberLengthRanges"),
        # In any order: a top-level list compares as the field says (`unordered` names lists inside a value).
        Field("dn_ranges", "DNRanges", compare=SET, convert=_dn_ranges, reverse=_dn_range_options),
        # Routes before groups: their count is checked before any trunk or department is looked up.
        Field("routes", "Routes", convert=_routes, reverse=_route_options),
        Field("groups", "GroupIds", compare=SET, convert=_department_ids, reverse=_department_names),
    ],
    derived=["GroupNames", "TrunkName"],
)

INBOUND_RULE = Resource(
    "inbound_rule", entity_set="InboundRules",
    natural_key=(("did", "Data"), ("trunk", "TrunkDN/Id", TRUNK_BY_NAME)),
    expand=["TrunkDN"],
    fields=[
        Field("name", "RuleName"),
        Field("condition", "Condition"),
        Field("office_hours_destination", "OfficeHoursDestination", convert=_destination,
              reverse=_destination_options),
        Field("out_of_office_destination", "OutOfOfficeHoursDestination", convert=_destination,
              reverse=_destination_options),
    ],
    derived=["Name", "Tags"],
)


# The options of each module (beside the state options), here so that threecx_config checks each item of
# a document with the very argument spec of its module.
HOLIDAY_OPTIONS = dict(
    name=dict(type="str", required=True),
    day=dict(type="int"),
    month=dict(type="int"),
    year=dict(type="int"),
    day_end=dict(type="int"),
    month_end=dict(type="int"),
    year_end=dict(type="int"),
    is_recurrent=dict(type="bool"),
    start_time=dict(type="str"),
    end_time=dict(type="str"),
    prompt=dict(type="str"),
)

BLOCKED_NUMBER_OPTIONS = dict(
    caller_id=dict(type="str", required=True),
    description=dict(type="str"),
)

CONTACT_OPTIONS = {name: dict(type="str") for name in (
    "first_name", "last_name", "company_name", "email", "mobile", "business", "business2", "home", "phone_number",
    "title", "department")}


def _schedule_spec():
    period = dict(DayOfWeek=dict(type="str", required=True, choices=list(ENUMS["Pbx.DayOfWeek"])),
                  Start=dict(type="str", required=True), Stop=dict(type="str", required=True))
    return dict(type="dict", options=dict(
        Type=dict(type="str", choices=list(ENUMS["Pbx.RuleHoursType"])),
        Periods=dict(type="list", elements="dict", options=period),
    ))


# threecx_office_hours has no state: the singleton is always there.
OFFICE_HOURS_OPTIONS = dict(
    hours=_schedule_spec(),
    break_time=_schedule_spec(),
    time_zone_id=dict(type="str"),
    system_language=dict(type="str"),
)

OUTBOUND_RULE_OPTIONS = dict(
    name=dict(type="str", required=True),
    prefix=dict(type="str"),
    number_length_ranges=dict(type="str"),
    dn_ranges=dict(type="list", elements="dict",
                   options={"from": dict(type="str", required=True), "to": dict(type="str", required=True)}),
    groups=dict(type="list", elements="str"),
    routes=dict(type="list", elements="dict", options=dict(
        trunk=dict(type="str", required=True), strip_digits=dict(type="int"), prepend=dict(type="str"),
        append=dict(type="str"), caller_id=dict(type="str"))),
)


def _destination_spec():
    return dict(type="dict", options=dict(type=dict(type="str", required=True, choices=list(ENUMS["Pbx.DestinationType"])),
                                          number=dict(type="str")))


INBOUND_RULE_OPTIONS = dict(
    did=dict(type="str", required=True),
    trunk=dict(type="str", required=True),
    name=dict(type="str"),
    condition=dict(type="str", choices=list(ENUMS["Pbx.RuleConditionType"])),
    office_hours_destination=_destination_spec(),
    out_of_office_destination=_destination_spec(),
)
