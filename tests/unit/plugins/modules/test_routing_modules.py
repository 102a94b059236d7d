# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routing and the directory (blocked numbers, holidays, office hours, contacts, outbound and inbound rules),
run in-process against the simulator.

The integration tests (tests/integration/test_routing.py) run these modules through ansible-playbook;
these are the in-process counterparts that mutation testing can run, asserting on the simulator's
request log and store, not on the module's own word.
"""

from __future__ import annotations

import pytest
from module_runner import api_requests, failed, lifecycle, run_module, writes

from ansible_collections.threecx.xapi.plugins.modules import (
    threecx_blocked_number,
    threecx_blocked_number_info,
    threecx_contact,
    threecx_contact_info,
    threecx_holiday,
    threecx_holiday_info,
    threecx_inbound_rule,
    threecx_inbound_rule_info,
    threecx_office_hours,
    threecx_outbound_rule,
    threecx_outbound_rule_info,
)

PROVIDER, BRIDGE = "Example SIP provider", "Branch office bridge"


# --- Blocked numbers ------------------------------------------------------------------------------

def test_blocked_number_lifecycle(pbx, capsys):
    item = lifecycle(pbx, capsys, threecx_blocked_number, "BlackListNumbers",
                     {"caller_id": "+1 202 555 0142", "description": "Car warranty robocaller"},
                     ("description", "Still calling", "Description"), "blocked_number")
    assert item["CallerId"] == "+1 202 555 0142" and isinstance(item["Id"], str)


def test_blocked_number_info_by_caller_id_and_all(pbx, capsys):
    one = run_module(threecx_blocked_number_info, pbx, capsys, caller_id="+1 202 555 0199")
    assert [entry["Description"] for entry in one["blocked_numbers"]] == ["Robocaller"]
    every = run_module(threecx_blocked_number_info, pbx, capsys)
    assert len(every["blocked_numbers"]) >= 2 and every["changed"] is False
    assert writes(pbx) == []


# --- Holidays -------------------------------------------------------------------------------------

BOXING_DAY = {"name": "Boxing Day", "day": 26, "month": 12, "day_end": 26, "month_end": 12, "is_recurrent": True,
              "start_time": "00:00", "end_time": "23:59"}


def test_holiday_lifecycle(pbx, capsys):
    item = lifecycle(pbx, capsys, threecx_holiday, "Holidays", BOXING_DAY, ("end_time", "13:00", "TimeOfEndDate"),
                     "holiday")
    assert (item["TimeOfStartDate"], item["TimeOfEndDate"]) == ("PT0S", "PT23H59M")


def test_a_seeded_holiday_in_clock_times_is_no_change(pbx, capsys):
    result = run_module(threecx_holiday, pbx, capsys, name="Company day out", start_time="12:00", end_time="23:59:00")
    assert result["changed"] is False and writes(pbx) == []


def test_a_bad_holiday_time_fails_before_any_request(pbx, capsys):
    result = failed(pbx, capsys, threecx_holiday, **dict(BOXING_DAY, start_time="25:00"))
    assert "start_time" in result["msg"]
    assert pbx.log() == [], "nothing, not even a token request"


def test_holiday_info(pbx, capsys):
    result = run_module(threecx_holiday_info, pbx, capsys, name="Christmas Day")
    assert [item["Day"] for item in result["holidays"]] == [25]
    assert len(run_module(threecx_holiday_info, pbx, capsys)["holidays"]) == 3


# --- Office hours ---------------------------------------------------------------------------------

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def schedule(kind, start, stop, days=WEEKDAYS):
    return {"Type": kind, "Periods": [{"DayOfWeek": day, "Start": start, "Stop": stop} for day in days]}


def test_office_hours_as_seeded_in_any_order_and_clock_times_are_no_change(pbx, capsys):
    held = run_module(threecx_office_hours, pbx, capsys)["office_hours"]
    assert held["Hours"]["Periods"][0]["Start"] == "09:00:00.0000000", "the PBX's own form of a time"
    result = run_module(threecx_office_hours, pbx, capsys,
                        hours=schedule("OfficeHours", "09:00", "17:00:00", list(reversed(WEEKDAYS))),
                        break_time=schedule("OfficeHours", "12:30", "13:00"), time_zone_id="51", system_language="EN")
    assert result["changed"] is False and writes(pbx) == []


def test_office_hours_check_mode_then_one_patch_then_again(pbx, capsys):
    hours = schedule("OfficeHours", "08:30", "17:30")
    checked = run_module(threecx_office_hours, pbx, capsys, check_mode=True, diff=True, hours=hours)
    assert checked["changed"] is True and writes(pbx) == []
    applied = run_module(threecx_office_hours, pbx, capsys, hours=hours)
    assert applied["changed"] is True
    (patch,) = pbx.writes()
    assert (patch["method"], patch["path"]) == ("PATCH", "/xapi/v1/OfficeHours")
    assert set(patch["body"]) == {"Hours"}, "one PATCH carrying only the changed field"
    assert {period["Start"] for period in patch["body"]["Hours"]["Periods"]} == {"08:30:00"}
    assert applied["office_hours"]["Hours"]["Periods"][0]["Start"] == "08:30:00.0000000"
    pbx.clear_log()
    again = run_module(threecx_office_hours, pbx, capsys, hours=hours)
    assert again["changed"] is False and writes(pbx) == []
    lunch = run_module(threecx_office_hours, pbx, capsys, break_time=schedule("BreakTime", "12:30", "13:15"))
    assert lunch["changed"] is True and [set(entry["body"]) for entry in pbx.writes()] == [{"BreakTime"}]


def test_a_bad_office_time_fails_before_any_request(pbx, capsys):
    result = failed(pbx, capsys, threecx_office_hours, hours=schedule("OfficeHours", "9am", "17:00"))
    assert "hours.Periods.Start" in result["msg"]
    assert pbx.log() == []


# --- Contacts -------------------------------------------------------------------------------------

PRIYA = {"first_name": "Priya", "last_name": "Shah", "company_name": "Shah & Co Chartered Accountants",
         "business": "+44 20 7946 0321", "email": "priya@shah-accountants.example.com"}


def test_contact_lifecycle(pbx, capsys):
    item = lifecycle(pbx, capsys, threecx_contact, "Contacts", PRIYA, ("mobile", "+44 7700 900123", "Mobile2"),
                     "contact")
    assert (item["FirstName"], item["LastName"], item["CompanyName"]) == ("Priya", "Shah", PRIYA["company_name"])


def test_a_contact_is_found_by_its_three_names_together(pbx, capsys):
    pbx.create("Contacts", {"FirstName": "Priya", "LastName": "Shah", "CompanyName": "Another Ltd", "Email": "x@a.example"})
    pbx.clear_log()
    run_module(threecx_contact, pbx, capsys, **PRIYA)
    assert [method for method, _path in writes(pbx)] == ["POST"], "a namesake at another company is another contact"
    lookups = [entry["query"] for entry in pbx.log() if entry["method"] == "GET" and entry["path"].endswith("/Contacts")]
    assert "FirstName eq 'Priya' and LastName eq 'Shah' and CompanyName eq 'Shah & Co Chartered Accountants'" in lookups[0]


def test_several_matching_contacts_fail_listing_them_and_change_nothing(pbx, capsys):
    twins = pbx.create("Contacts", {"FirstName": "Ann", "LastName": "Lee", "CompanyName": "Twins Ltd"},
                       {"FirstName": "Ann", "LastName": "Lee", "CompanyName": "Twins Ltd"})
    pbx.clear_log()
    result = failed(pbx, capsys, threecx_contact, first_name="Ann", last_name="Lee", company_name="Twins Ltd",
                    email="ann@twins.example")
    assert all(str(twin["Id"]) in result["msg"] for twin in twins), result["msg"]
    assert writes(pbx) == []


def test_contact_info_by_company(pbx, capsys):
    result = run_module(threecx_contact_info, pbx, capsys, company_name="Northwind Traders")
    assert [item["CompanyName"] for item in result["contacts"]] == ["Northwind Traders"]


# --- Outbound rules -------------------------------------------------------------------------------

MOBILES = {"name": "UK mobiles", "prefix": "07", "number_length_ranges": "11", "groups": ["DEFAULT"],
           "routes": [{"trunk": PROVIDER, "strip_digits": 1, "prepend": "+44"}, {"trunk": BRIDGE}]}


def test_outbound_rule_lifecycle(pbx, capsys):
    item = lifecycle(pbx, capsys, threecx_outbound_rule, "OutboundRules", MOBILES, ("prefix", "077", "Prefix"),
                     "outbound_rule")
    trunks = {trunk["Gateway"]["Name"]: trunk["Id"] for trunk in pbx.store("Trunks")}
    assert [route["TrunkId"] for route in item["Routes"]] == [trunks[PROVIDER], trunks[BRIDGE], -1, -1, -1]
    assert item["Routes"][0]["StripDigits"] == 1 and item["Routes"][0]["Prepend"] == "+44"
    assert item["GroupNames"] == ["DEFAULT"]


def test_the_padded_seeded_rule_is_no_change_and_a_route_change_is_one_patch(pbx, capsys):
    default = {"name": "Default route", "groups": ["DEFAULT"],
               "routes": [{"trunk": PROVIDER, "strip_digits": 0, "prepend": ""}, {"trunk": BRIDGE, "strip_digits": 0}]}
    result = run_module(threecx_outbound_rule, pbx, capsys, diff=True, **default)
    assert result["changed"] is False and writes(pbx) == []
    assert len(result["outbound_rule"]["Routes"]) == 5 and result["outbound_rule"]["Routes"][2]["TrunkId"] == -1
    result = run_module(threecx_outbound_rule, pbx, capsys, **dict(default, routes=[{"trunk": BRIDGE}, {"trunk": PROVIDER}]))
    assert result["changed"] is True
    (patch,) = pbx.writes()
    assert set(patch["body"]) == {"Routes"}
    assert [route["TrunkId"] for route in patch["body"]["Routes"]] == [2, 1, -1, -1, -1]
    assert all("TrunkName" not in route for route in patch["body"]["Routes"]), "derived names are never sent"


def test_departments_compare_as_a_set(pbx, capsys):
    departments = [group["Name"] for group in pbx.store("Groups")][:2]
    run_module(threecx_outbound_rule, pbx, capsys, **dict(MOBILES, groups=departments))
    pbx.clear_log()
    result = run_module(threecx_outbound_rule, pbx, capsys, **dict(MOBILES, groups=list(reversed(departments))))
    assert result["changed"] is False and writes(pbx) == []


def test_an_unknown_trunk_or_department_fails_naming_it_before_any_write(pbx, capsys):
    result = failed(pbx, capsys, threecx_outbound_rule, **dict(MOBILES, routes=[{"trunk": "Nonexistent trunk"}]))
    assert "Nonexistent trunk" in result["msg"] and "routes" in result["msg"]
    result = failed(pbx, capsys, threecx_outbound_rule, **dict(MOBILES, groups=["Nonexistent department"]))
    assert "Nonexistent department" in result["msg"] and "groups" in result["msg"]
    assert writes(pbx) == []
    assert {entry["path"] for entry in api_requests(pbx)} <= {"/xapi/v1/Trunks", "/xapi/v1/Groups"}, \
        "only the listings that resolve names"


def test_six_routes_fail_before_any_request(pbx, capsys):
    result = failed(pbx, capsys, threecx_outbound_rule, **dict(MOBILES, routes=[{"trunk": PROVIDER}] * 6))
    assert "at most 5 routes" in result["msg"]
    assert pbx.log() == []


def test_outbound_rule_info_by_name(pbx, capsys):
    (rule,) = run_module(threecx_outbound_rule_info, pbx, capsys, name="Default route")["outbound_rules"]
    assert rule["Name"] == "Default route"


# --- Inbound rules --------------------------------------------------------------------------------

SALES_LINE = {"did": "+442079460150", "trunk": PROVIDER, "name": "Sales line", "condition": "BasedOnDID",
              "office_hours_destination": {"type": "RingGroup", "number": "700"},
              "out_of_office_destination": {"type": "Queue", "number": "800"}}


def test_inbound_rule_lifecycle(pbx, capsys):
    item = lifecycle(pbx, capsys, threecx_inbound_rule, "InboundRules", SALES_LINE,
                     ("out_of_office_destination", {"type": "VoiceMail", "number": "100"}, "OutOfOfficeHoursDestination"),
                     "inbound_rule")
    assert item["TrunkDN"]["Name"] == PROVIDER and item["Data"] == SALES_LINE["did"]


def test_the_seeded_rule_with_derived_names_is_no_change(pbx, capsys):
    main = {"did": "+442079460100", "trunk": PROVIDER, "name": "Main number",
            "office_hours_destination": {"type": "RingGroup", "number": "700"}}
    result = run_module(threecx_inbound_rule, pbx, capsys, **main)
    assert result["changed"] is False and writes(pbx) == []
    other = run_module(threecx_inbound_rule, pbx, capsys, check_mode=True, **dict(main, trunk=BRIDGE))
    assert other["changed"] is True and other["inbound_rule"] == {}, "the same DID on another trunk is another rule"


def test_a_did_to_a_ring_group_out_of_hours_sends_the_destination_whole(pbx, capsys):
    result = run_module(threecx_inbound_rule, pbx, capsys, did="+442079460100", trunk=PROVIDER,
                        out_of_office_destination={"type": "RingGroup", "number": "700"})
    assert result["changed"] is True
    (patch,) = pbx.writes()
    assert set(patch["body"]) == {"OutOfOfficeHoursDestination"}
    destination = patch["body"]["OutOfOfficeHoursDestination"]
    assert (destination["To"], destination["Number"]) == ("RingGroup", "700") and "Name" not in destination


def test_an_unknown_trunk_or_extension_fails_naming_it_before_any_write(pbx, capsys):
    result = failed(pbx, capsys, threecx_inbound_rule, **dict(SALES_LINE, trunk="Nonexistent trunk"))
    assert "Nonexistent trunk" in result["msg"] and "trunk" in result["msg"]
    result = failed(pbx, capsys, threecx_inbound_rule,
                    **dict(SALES_LINE, office_hours_destination={"type": "RingGroup", "number": "799"}))
    assert "799" in result["msg"] and "office_hours_destination" in result["msg"]
    assert writes(pbx) == []


@pytest.mark.parametrize("state", ["present", "absent"])
def test_a_blank_trunk_fails_naming_it_before_any_request(pbx, capsys, state):
    result = failed(pbx, capsys, threecx_inbound_rule, **dict(SALES_LINE, trunk=" ", state=state))
    assert result["msg"] == "trunk is blank: it names the item, so give a value"
    assert api_requests(pbx) == []


def test_inbound_rule_info_by_trunk(pbx, capsys):
    result = run_module(threecx_inbound_rule_info, pbx, capsys, trunk=PROVIDER)
    assert [rule["RuleName"] for rule in result["inbound_rules"]] == ["Main number"]
    assert run_module(threecx_inbound_rule_info, pbx, capsys, trunk=BRIDGE)["inbound_rules"] == []


def test_inbound_rule_info_filters_by_the_trunk_id_and_expands_the_trunk(pbx, capsys):
    (rule,) = run_module(threecx_inbound_rule_info, pbx, capsys, trunk=PROVIDER)["inbound_rules"]
    assert rule["TrunkDN"]["Name"] == PROVIDER
    (listing,) = [entry for entry in api_requests(pbx) if entry["path"] == "/xapi/v1/InboundRules"]
    assert "$filter=TrunkDN/Id eq 1&$expand=TrunkDN&" in listing["query"]


def test_an_unknown_trunk_in_an_info_module_fails_naming_the_option(pbx, capsys):
    result = failed(pbx, capsys, threecx_inbound_rule_info, trunk="Nope")
    assert result["msg"] == "trunk: Trunks has no Gateway/Name 'Nope' (known: Branch office bridge, Example SIP provider)"


def test_contact_info_by_two_names_asks_for_both(pbx, capsys):
    pbx.create("Contacts", {"FirstName": "Ann", "LastName": "Lee", "CompanyName": "Twins Ltd"},
               {"FirstName": "Ann", "LastName": "Other", "CompanyName": "Twins Ltd"})
    pbx.clear_log()
    (ann,) = run_module(threecx_contact_info, pbx, capsys, first_name="Ann", last_name="Lee")["contacts"]
    assert (ann["FirstName"], ann["LastName"]) == ("Ann", "Lee")
    (listing,) = api_requests(pbx)
    assert listing["query"].startswith("$filter=FirstName eq 'Ann' and LastName eq 'Lee'&")


@pytest.mark.parametrize("held", [None, ""])
def test_a_blank_name_part_finds_a_contact_held_with_none_or_blank(pbx, capsys, held):
    # A contact is named by three parts, any of which may be left blank; the PBX may hold a blank part
    # as null or as '', and either is the contact asked for.
    pbx.create("Contacts", {"FirstName": held, "LastName": "Lee", "CompanyName": "Acme Ltd"})
    pbx.clear_log()
    again = run_module(threecx_contact, pbx, capsys, first_name="", last_name="Lee", company_name="Acme Ltd")
    assert again["changed"] is False and writes(pbx) == []
    (lookup,) = api_requests(pbx)
    assert lookup["query"].startswith(
        "$filter=(FirstName eq null or FirstName eq '') and LastName eq 'Lee' and CompanyName eq 'Acme Ltd'&")


@pytest.mark.parametrize("text, sent", [("0:00", "00:00:00"), ("23:59:59", "23:59:59"), ("7:05", "07:05:00"),
                                        ("12:30:00.0000000", "12:30:00")])
def test_every_time_of_day_is_sent_in_the_pbx_form(pbx, capsys, text, sent):
    hours = schedule("OfficeHours", text, "23:59:59")
    result = run_module(threecx_office_hours, pbx, capsys, check_mode=True, diff=True, hours=hours)
    assert result.get("failed") is not True, result
    assert {period["Start"] for period in result["diff"]["after"]["Hours"]["Periods"]} == {sent}


@pytest.mark.parametrize("text", ["24:00", "12:60", "12:00:60", "noon", "-1:00"])
def test_a_time_past_the_clock_fails_naming_the_option_before_any_request(pbx, capsys, text):
    result = failed(pbx, capsys, threecx_holiday, **dict(BOXING_DAY, end_time=text))
    assert result["msg"] == "end_time: %r is not a time of day such as 09:00 or 17:30:00" % text
    assert pbx.log() == []


@pytest.mark.parametrize("text, sent", [("12:30:15", "PT12H30M15S"), ("00:00:05", "PT5S"), ("PT1H", "PT1H"),
                                        ("PT0S", "PT0S"), ("7:00", "PT7H")])
def test_a_holiday_time_is_sent_as_a_duration_since_midnight(pbx, capsys, text, sent):
    result = run_module(threecx_holiday, pbx, capsys, check_mode=True, diff=True, **dict(BOXING_DAY, start_time=text))
    assert result["diff"]["after"]["TimeOfStartDate"] == sent


def test_a_bad_stop_time_fails_naming_the_stop_of_the_periods(pbx, capsys):
    result = failed(pbx, capsys, threecx_office_hours, break_time=schedule("OfficeHours", "12:00", "12:61"))
    assert result["msg"] == "break_time.Periods.Stop: '12:61' is not a time of day such as 09:00 or 17:30:00"
    result = failed(pbx, capsys, threecx_office_hours, hours=schedule("OfficeHours", "9am", "17:00"))
    assert result["msg"] == "hours.Periods.Start: '9am' is not a time of day such as 09:00 or 17:30:00"
    assert pbx.log() == []


def test_a_schedule_without_a_type_leaves_the_type_as_held(pbx, capsys):
    hours = {"Periods": [{"DayOfWeek": "Monday", "Start": "08:00", "Stop": "12:00"}]}
    result = run_module(threecx_office_hours, pbx, capsys, hours=hours)
    assert result["changed"] is True
    (patch,) = pbx.writes()
    assert set(patch["body"]) == {"Hours"} and patch["body"]["Hours"]["Type"] == "OfficeHours", "the Type held"
    assert patch["body"]["Hours"]["Periods"] == [{"DayOfWeek": "Monday", "Start": "08:00:00", "Stop": "12:00:00"}]
    assert pbx.store("OfficeHours")["Hours"]["Type"] == "OfficeHours"


def test_five_routes_are_the_most_and_every_route_option_is_sent(pbx, capsys):
    routes = [{"trunk": PROVIDER, "strip_digits": 2, "prepend": "9", "append": "#", "caller_id": "+44 20 7946 0000"}]
    routes += [{"trunk": BRIDGE}] * 4
    result = run_module(threecx_outbound_rule, pbx, capsys, **dict(MOBILES, routes=routes))
    assert result["changed"] is True
    (post,) = pbx.writes()
    trunks = {trunk["Gateway"]["Name"]: trunk["Id"] for trunk in pbx.store("Trunks")}
    assert post["body"]["Routes"] == [
        {"TrunkId": trunks[PROVIDER], "StripDigits": 2, "Prepend": "9", "Append": "#", "CallerID": "+44 20 7946 0000"}
    ] + [{"TrunkId": trunks[BRIDGE]}] * 4


def test_six_routes_fail_with_the_count(pbx, capsys):
    result = failed(pbx, capsys, threecx_outbound_rule, **dict(MOBILES, routes=[{"trunk": PROVIDER}] * 6))
    assert result["msg"] == "routes: an outbound rule has at most 5 routes, not 6"


def test_extension_ranges_are_sent_as_from_and_to(pbx, capsys):
    ranges = [{"from": "100", "to": "109"}, {"from": "200", "to": "200"}]
    result = run_module(threecx_outbound_rule, pbx, capsys, **dict(MOBILES, dn_ranges=ranges))
    assert result["changed"] is True
    (post,) = pbx.writes()
    assert post["body"]["DNRanges"] == [{"From": "100", "To": "109"}, {"From": "200", "To": "200"}]
    pbx.clear_log()
    again = run_module(threecx_outbound_rule, pbx, capsys, **dict(MOBILES, dn_ranges=list(reversed(ranges))))
    assert again["changed"] is False and writes(pbx) == [], "ranges compare as a set"


def test_an_external_destination_and_one_without_a_number(pbx, capsys):
    result = run_module(threecx_inbound_rule, pbx, capsys, **dict(
        SALES_LINE, office_hours_destination={"type": "External", "number": "+44 20 7946 0999"},
        out_of_office_destination={"type": "Boomerang"}))
    assert result.get("failed") is not True, result
    (post,) = pbx.writes()
    assert post["body"]["OfficeHoursDestination"] == {"To": "External", "External": "+44 20 7946 0999"}
    assert post["body"]["OutOfOfficeHoursDestination"] == {"To": "Boomerang"}


def test_a_destination_that_needs_a_number_without_one_fails_naming_it(pbx, capsys):
    result = failed(pbx, capsys, threecx_inbound_rule, **dict(SALES_LINE, office_hours_destination={"type": "Queue"}))
    assert result["msg"] == "office_hours_destination: a destination of type Queue needs a number"
    assert pbx.log() == []


def test_what_is_not_on_the_pbx_is_named_with_its_path_and_the_names_it_has(pbx, capsys):
    cases = [
        (threecx_outbound_rule, dict(MOBILES, routes=[{"trunk": PROVIDER}, {"trunk": "Nope"}]),
         "routes[1].trunk: Trunks has no Gateway/Name 'Nope' (known: Branch office bridge, Example SIP provider)"),
        (threecx_outbound_rule, dict(MOBILES, groups=["DEFAULT", "Nope"]),
         "groups[1]: Groups has no Name 'Nope' (known: Accounts, DEFAULT, Marketing, Sales, Warehouse)"),
        (threecx_inbound_rule, dict(SALES_LINE, office_hours_destination={"type": "RingGroup", "number": "799"}),
         "office_hours_destination.number: RingGroups has no Number '799' (known: 700)"),
        (threecx_inbound_rule, dict(SALES_LINE, office_hours_destination={"type": "Queue", "number": ""}),
         "office_hours_destination: a destination of type Queue needs a number"),
    ]
    for module, args, message in cases:
        assert failed(pbx, capsys, module, **args)["msg"] == message
    assert writes(pbx) == []
