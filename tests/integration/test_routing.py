# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routing and the directory (holidays, office hours, blocked numbers, contacts, outbound and inbound rules),
run by ansible-playbook against the simulator, asserting on its request log."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import save, task_results


def run(ansible, module, args, check=False, diff=False, expect_failure=False):
    """One task of `module` with `args`; its registered result."""
    task = [{"name": "the task", "threecx.xapi." + module: args, "register": "result", "ignore_errors": expect_failure}]
    flags = (["--check"] if check else []) + (["--diff"] if diff else [])
    process = ansible.playbook(yaml.safe_dump(task) + save("result"), args=flags)
    task_results(process)
    return ansible.saved("result")


def xapi_requests(sim):
    return [entry for entry in sim.log() if entry["path"] != "/connect/token"]


def lifecycle(ansible, sim, module, entity_set, args, change, result_key):
    """create → again (no write) → check mode (no write) → one change (one PATCH with that field) → delete →
    delete again. `change` is (option, value, XAPI property). Returns the created item."""
    sim.clear_log()
    created = run(ansible, module, args)
    assert created["changed"] is True
    posts = sim.writes()
    assert [(entry["method"], entry["path"]) for entry in posts] == [("POST", "/xapi/v1/" + entity_set)]

    sim.clear_log()
    again = run(ansible, module, args)
    assert again["changed"] is False
    assert sim.writes() == [], "the same run again writes nothing"
    reads = len(xapi_requests(sim))

    option, value, prop = change
    changed_args = dict(args, **{option: value})
    sim.clear_log()
    checked = run(ansible, module, changed_args, check=True, diff=True)
    assert checked["changed"] is True and sim.writes() == [], "check mode writes nothing"
    assert len(xapi_requests(sim)) == reads, "check mode reads as much as a run without change"

    sim.clear_log()
    applied = run(ansible, module, changed_args)
    assert applied["changed"] is True
    patches = sim.writes()
    assert [entry["method"] for entry in patches] == ["PATCH"]
    assert set(patches[0]["body"]) == {prop}, "one PATCH carrying only the changed field"

    sim.clear_log()
    deleted = run(ansible, module, dict(args, state="absent"))
    assert deleted["changed"] is True
    assert [entry["method"] for entry in sim.writes()] == ["DELETE"]

    sim.clear_log()
    gone = run(ansible, module, dict(args, state="absent"))
    assert gone["changed"] is False and sim.writes() == []
    return created[result_key]


# --- Blocked numbers ----------------------------------------------------------------------------------

def test_blocked_number_lifecycle(ansible, sim):
    item = lifecycle(ansible, sim, "threecx_blocked_number", "BlackListNumbers",
                     {"caller_id": "+1 202 555 0142", "description": "Car warranty robocaller"},
                     ("description", "Still calling", "Description"), "blocked_number")
    assert item["CallerId"] == "+1 202 555 0142" and isinstance(item["Id"], str)


def test_blocked_number_info_by_caller_id_and_all(ansible, sim):
    one = run(ansible, "threecx_blocked_number_info", {"caller_id": "+1 202 555 0199"})
    assert [entry["Description"] for entry in one["blocked_numbers"]] == ["Robocaller"]
    every = run(ansible, "threecx_blocked_number_info", {})
    assert len(every["blocked_numbers"]) >= 2
    assert sim.writes() == []


def failed(ansible, module, args):
    """Run a task that must fail; its result."""
    result = run(ansible, module, args, expect_failure=True)
    assert result.get("failed") is True, result
    return result


# --- Holidays -----------------------------------------------------------------------------------------

BOXING_DAY = {"name": "Boxing Day", "day": 26, "month": 12, "day_end": 26, "month_end": 12, "is_recurrent": True,
              "start_time": "00:00", "end_time": "23:59"}


def test_holiday_lifecycle(ansible, sim):
    item = lifecycle(ansible, sim, "threecx_holiday", "Holidays", BOXING_DAY,
                     ("end_time", "13:00", "TimeOfEndDate"), "holiday")
    assert (item["TimeOfStartDate"], item["TimeOfEndDate"]) == ("PT0S", "PT23H59M")


def test_a_seeded_holiday_in_clock_times_is_no_change(ansible, sim):
    result = run(ansible, "threecx_holiday", {"name": "Company day out", "start_time": "12:00", "end_time": "23:59:00"})
    assert result["changed"] is False and sim.writes() == []


def test_a_bad_holiday_time_fails_before_any_request(ansible, sim):
    result = failed(ansible, "threecx_holiday", dict(BOXING_DAY, start_time="25:00"))
    assert "start_time" in result["msg"]
    assert sim.log() == [], "nothing, not even a token request"


def test_holiday_info(ansible, sim):
    result = run(ansible, "threecx_holiday_info", {"name": "Christmas Day"})
    assert [item["Day"] for item in result["holidays"]] == [25]
    assert len(run(ansible, "threecx_holiday_info", {})["holidays"]) == 3


# --- Office hours -------------------------------------------------------------------------------------

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def schedule(kind, start, stop, days=WEEKDAYS):
    return {"Type": kind, "Periods": [{"DayOfWeek": day, "Start": start, "Stop": stop} for day in days]}


def test_office_hours_as_seeded_in_any_order_and_clock_times_are_no_change(ansible, sim):
    held = run(ansible, "threecx_office_hours", {})["office_hours"]
    assert held["Hours"]["Periods"][0]["Start"] == "09:00:00.0000000", "the PBX's own form of a time"
    hours = schedule("OfficeHours", "09:00", "17:00:00", list(reversed(WEEKDAYS)))
    result = run(ansible, "threecx_office_hours", {"hours": hours, "break_time": schedule("OfficeHours", "12:30", "13:00"),
                                                   "time_zone_id": "51", "system_language": "EN"})
    assert result["changed"] is False
    assert sim.writes() == []


def test_office_hours_check_mode_then_one_patch_then_again(ansible, sim):
    args = {"hours": schedule("OfficeHours", "08:30", "17:30"), "break_time": schedule("BreakTime", "12:30", "13:15")}
    checked = run(ansible, "threecx_office_hours", {"hours": args["hours"]}, check=True, diff=True)
    assert checked["changed"] is True and sim.writes() == []

    applied = run(ansible, "threecx_office_hours", {"hours": args["hours"]})
    assert applied["changed"] is True
    patches = sim.writes()
    assert [(entry["method"], entry["path"]) for entry in patches] == [("PATCH", "/xapi/v1/OfficeHours")]
    assert set(patches[0]["body"]) == {"Hours"}, "one PATCH carrying only the changed field"
    assert {period["Start"] for period in patches[0]["body"]["Hours"]["Periods"]} == {"08:30:00"}
    assert applied["office_hours"]["Hours"]["Periods"][0]["Start"] == "08:30:00.0000000"

    sim.clear_log()
    again = run(ansible, "threecx_office_hours", {"hours": args["hours"]})
    assert again["changed"] is False and sim.writes() == []

    sim.clear_log()
    lunch = run(ansible, "threecx_office_hours", {"break_time": args["break_time"]})
    assert lunch["changed"] is True
    assert [set(entry["body"]) for entry in sim.writes()] == [{"BreakTime"}]


def test_a_bad_office_time_fails_before_any_request(ansible, sim):
    result = failed(ansible, "threecx_office_hours", {"hours": schedule("OfficeHours", "9am", "17:00")})
    assert "hours.Periods.Start" in result["msg"]
    assert sim.log() == []


# --- Contacts -----------------------------------------------------------------------------------------

PRIYA = {"first_name": "Priya", "last_name": "Shah", "company_name": "Shah & Co Chartered Accountants",
         "business": "+44 20 7946 0321", "email": "priya@shah-accountants.example.com"}


def test_contact_lifecycle(ansible, sim):
    item = lifecycle(ansible, sim, "threecx_contact", "Contacts", PRIYA, ("mobile", "+44 7700 900123", "Mobile2"),
                     "contact")
    assert (item["FirstName"], item["LastName"], item["CompanyName"]) == ("Priya", "Shah", PRIYA["company_name"])


def test_a_contact_is_found_by_its_three_names_together(ansible, sim):
    sim.create("Contacts", {"FirstName": "Priya", "LastName": "Shah", "CompanyName": "Another Ltd", "Email": "x@a.example"})
    sim.clear_log()
    run(ansible, "threecx_contact", PRIYA)
    posts = sim.writes()
    assert [entry["method"] for entry in posts] == ["POST"], "a namesake at another company is another contact"
    lookups = [entry["query"] for entry in sim.log() if entry["method"] == "GET" and entry["path"].endswith("/Contacts")]
    assert "FirstName eq 'Priya' and LastName eq 'Shah' and CompanyName eq 'Shah & Co Chartered Accountants'" in lookups[0]


def test_several_matching_contacts_fail_listing_them_and_change_nothing(ansible, sim):
    twins = sim.create("Contacts", {"FirstName": "Ann", "LastName": "Lee", "CompanyName": "Twins Ltd"},
                       {"FirstName": "Ann", "LastName": "Lee", "CompanyName": "Twins Ltd"})
    sim.clear_log()
    result = failed(ansible, "threecx_contact", {"first_name": "Ann", "last_name": "Lee", "company_name": "Twins Ltd",
                                                 "email": "ann@twins.example"})
    assert all(str(twin["Id"]) in result["msg"] for twin in twins), result["msg"]
    assert sim.writes() == []


def test_contact_info_by_company(ansible, sim):
    result = run(ansible, "threecx_contact_info", {"company_name": "Northwind Traders"})
    assert [item["CompanyName"] for item in result["contacts"]] == ["Northwind Traders"]


# --- Outbound rules -----------------------------------------------------------------------------------

PROVIDER, BRIDGE = "Example SIP provider", "Branch office bridge"
MOBILES = {"name": "UK mobiles", "prefix": "07", "number_length_ranges": "11", "groups": ["DEFAULT"],
           "routes": [{"trunk": PROVIDER, "strip_digits": 1, "prepend": "+44"}, {"trunk": BRIDGE}]}


def trunk_secrets(sim):
    return [trunk["AuthPassword"]["Value"] for trunk in sim.store("Trunks") if trunk["AuthPassword"].get("Value")]


def assert_no_trunk_secrets(ansible, sim):
    secrets = trunk_secrets(sim)
    assert secrets
    for output in ansible.outputs:
        for secret in secrets:
            assert secret not in output, "a trunk's password leaked into the output"


def test_outbound_rule_lifecycle(ansible, sim):
    item = lifecycle(ansible, sim, "threecx_outbound_rule", "OutboundRules", MOBILES, ("prefix", "077", "Prefix"),
                     "outbound_rule")
    trunks = {trunk["Gateway"]["Name"]: trunk["Id"] for trunk in sim.store("Trunks")}
    assert [route["TrunkId"] for route in item["Routes"]] == [trunks[PROVIDER], trunks[BRIDGE], -1, -1, -1]
    assert item["GroupNames"] == ["DEFAULT"]
    assert_no_trunk_secrets(ansible, sim)


def test_the_padded_seeded_rule_is_no_change_and_a_route_change_is_one_patch(ansible, sim):
    default = {"name": "Default route", "groups": ["DEFAULT"],
               "routes": [{"trunk": PROVIDER, "strip_digits": 0, "prepend": ""}, {"trunk": BRIDGE, "strip_digits": 0}]}
    result = run(ansible, "threecx_outbound_rule", default, diff=True)
    assert result["changed"] is False and sim.writes() == []
    assert len(result["outbound_rule"]["Routes"]) == 5 and result["outbound_rule"]["Routes"][2]["TrunkId"] == -1

    swapped = dict(default, routes=[{"trunk": BRIDGE}, {"trunk": PROVIDER}])
    result = run(ansible, "threecx_outbound_rule", swapped)
    assert result["changed"] is True
    (patch,) = sim.writes()
    assert set(patch["body"]) == {"Routes"}
    assert [route["TrunkId"] for route in patch["body"]["Routes"]] == [2, 1, -1, -1, -1]
    assert all("TrunkName" not in route for route in patch["body"]["Routes"]), "derived names are never sent"


def test_departments_compare_as_a_set(ansible, sim):
    departments = [group["Name"] for group in sim.store("Groups")][:2]
    run(ansible, "threecx_outbound_rule", dict(MOBILES, groups=departments))
    sim.clear_log()
    result = run(ansible, "threecx_outbound_rule", dict(MOBILES, groups=list(reversed(departments))))
    assert result["changed"] is False and sim.writes() == []


def test_an_unknown_trunk_or_department_fails_naming_it_before_any_write(ansible, sim):
    result = failed(ansible, "threecx_outbound_rule", dict(MOBILES, routes=[{"trunk": "Nonexistent trunk"}]))
    assert "Nonexistent trunk" in result["msg"] and "routes" in result["msg"]
    result = failed(ansible, "threecx_outbound_rule", dict(MOBILES, groups=["Nonexistent department"]))
    assert "Nonexistent department" in result["msg"] and "groups" in result["msg"]
    assert sim.writes() == []
    assert {entry["path"] for entry in xapi_requests(sim)} <= {"/xapi/v1/Trunks", "/xapi/v1/Groups"}, \
        "only the listings that resolve names"


def test_six_routes_fail_before_any_request(ansible, sim):
    result = failed(ansible, "threecx_outbound_rule", dict(MOBILES, routes=[{"trunk": PROVIDER}] * 6))
    assert "at most 5 routes" in result["msg"]
    assert sim.log() == []


def test_outbound_rule_info_holds_no_trunk_secret(ansible, sim):
    process = ansible.playbook(yaml.safe_dump([{"threecx.xapi.threecx_outbound_rule_info": {"name": "Default route"},
                                                "register": "result"}]) + save("result"), args=["-vvv"])
    task_results(process)
    (rule,) = ansible.saved("result")["outbound_rules"]
    assert rule["Name"] == "Default route"
    assert_no_trunk_secrets(ansible, sim)


# --- Inbound rules ------------------------------------------------------------------------------------

SALES_LINE = {"did": "+442079460150", "trunk": PROVIDER, "name": "Sales line", "condition": "BasedOnDID",
              "office_hours_destination": {"type": "RingGroup", "number": "700"},
              "out_of_office_destination": {"type": "Queue", "number": "800"}}


def test_inbound_rule_lifecycle(ansible, sim):
    item = lifecycle(ansible, sim, "threecx_inbound_rule", "InboundRules", SALES_LINE,
                     ("out_of_office_destination", {"type": "VoiceMail", "number": "100"}, "OutOfOfficeHoursDestination"),
                     "inbound_rule")
    assert item["TrunkDN"]["Name"] == PROVIDER and item["Data"] == SALES_LINE["did"]
    assert_no_trunk_secrets(ansible, sim)


def test_the_seeded_rule_with_derived_names_is_no_change(ansible, sim):
    main = {"did": "+442079460100", "trunk": PROVIDER, "name": "Main number",
            "office_hours_destination": {"type": "RingGroup", "number": "700"}}
    result = run(ansible, "threecx_inbound_rule", main)
    assert result["changed"] is False and sim.writes() == []
    # The same DID on another trunk is another rule.
    sim.clear_log()
    other = run(ansible, "threecx_inbound_rule", dict(main, trunk=BRIDGE), check=True)
    assert other["changed"] is True and other["inbound_rule"] == {}


def test_a_did_to_a_ring_group_out_of_hours_sends_the_destination_whole(ansible, sim):
    result = run(ansible, "threecx_inbound_rule", {"did": "+442079460100", "trunk": PROVIDER,
                                                   "out_of_office_destination": {"type": "RingGroup", "number": "700"}})
    assert result["changed"] is True
    (patch,) = sim.writes()
    assert set(patch["body"]) == {"OutOfOfficeHoursDestination"}
    assert patch["body"]["OutOfOfficeHoursDestination"]["To"] == "RingGroup"
    assert patch["body"]["OutOfOfficeHoursDestination"]["Number"] == "700"
    assert "Name" not in patch["body"]["OutOfOfficeHoursDestination"]


def test_an_unknown_trunk_or_extension_fails_naming_it_before_any_write(ansible, sim):
    result = failed(ansible, "threecx_inbound_rule", dict(SALES_LINE, trunk="Nonexistent trunk"))
    assert "Nonexistent trunk" in result["msg"] and "trunk" in result["msg"]
    result = failed(ansible, "threecx_inbound_rule",
                    dict(SALES_LINE, office_hours_destination={"type": "RingGroup", "number": "799"}))
    assert "799" in result["msg"] and "office_hours_destination" in result["msg"]
    assert sim.writes() == []


def test_inbound_rule_info_by_trunk(ansible, sim):
    result = run(ansible, "threecx_inbound_rule_info", {"trunk": PROVIDER})
    assert [rule["RuleName"] for rule in result["inbound_rules"]] == ["Main number"]
    assert run(ansible, "threecx_inbound_rule_info", {"trunk": BRIDGE})["inbound_rules"] == []


# --- Every example, in check mode ---------------------------------------------------------------------

def test_every_example_runs_in_check_mode(ansible, sim):
    tasks = []
    for name in ("blocked_number", "blocked_number_info", "holiday", "holiday_info", "office_hours", "contact",
                 "contact_info", "outbound_rule", "outbound_rule_info", "inbound_rule", "inbound_rule_info"):
        path = Path(__file__).resolve().parents[2] / "plugins" / "modules" / ("threecx_%s.py" % name)
        source = path.read_text()
        examples = source.split('EXAMPLES = r"""', 1)[1].split('"""', 1)[0]
        tasks += yaml.safe_load(examples)
    task_results(ansible.playbook(yaml.safe_dump(tasks), args=["--check"]))
    assert sim.writes() == []
