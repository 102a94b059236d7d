# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The desired-state engine against a fake PBX: every rule of what is compared, sent, shown and verified."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import (
    CASE_INSENSITIVE,
    EXACT,
    ORDERED,
    SET,
    TIME,
    Field,
    Members,
    Resource,
    ensure_absent,
    ensure_present,
    matches,
    run_desired_state,
    to_options,
)
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, ThreecxError, XapiError
from ansible_collections.threecx.xapi.plugins.module_utils._resources import Resources
from ansible_collections.threecx.xapi.plugins.module_utils._secrets import MASK
from fake_pbx import FakePbx

GROUP = Resource(
    "group", entity_set="Groups", natural_key=("name", "Name"),
    fields=[
        Field("language", "Language"),
        Field("timezone_id", "TimeZoneId"),
        Members("members", "Members", key=("number", "Number"), fields={"role": "Rights/RoleName"},
                defaults={"role": "users"}),
    ],
    read_only=["HasMembers", "IsDefault"],
)

USER = Resource(
    "user", entity_set="Users", natural_key=("number", "Number"),
    fields=[
        Field("first_name", "FirstName"),
        Field("email", "EmailAddress", compare=CASE_INSENSITIVE),
        Field("pin", "VMPIN", secret=True),
        Field("registered", "IsRegistered", read_only=True),
        Field("auth_id", "AuthID", create_only=True),
        Members("groups", "Groups", key=("name", "GroupId"), lookup=("Groups", "Name"),
                fields={"role": "Rights/RoleName"}, defaults={"role": "users"}),
    ],
    read_only=["IsRegistered"],
    derived=["MemberName"],
)

SALES = {"Id": 28, "Name": "Sales", "Number": "GRP2", "Language": "en", "TimeZoneId": "51",
         "Hours": {"Type": "Custom", "Periods": [{"DayOfWeek": "Monday", "Start": "09:00:00.0000000"}]},
         "OverrideExpiresAt": "0001-01-01T00:00:00Z",
         "Members": [{"Number": "100", "Name": "derived", "Rights": {"RoleName": "users", "CanBargeIn": True}},
                     {"Number": "101", "Name": "derived", "Rights": {"RoleName": "managers"}}]}
ALICE = {"Id": 7, "Number": "100", "FirstName": "Alice", "EmailAddress": "alice@example.com", "AuthID": "abc",
         "VMPIN": "1234", "Groups": [{"GroupId": 28, "Name": "Sales", "Rights": {"RoleName": "users"}}]}
BOB = {"Id": 8, "Number": "101", "FirstName": "Bob"}
CAROL = {"Id": 9, "Number": "102", "FirstName": "Carol"}


@pytest.fixture
def pbx():
    return FakePbx(sets={"Groups": [SALES, {"Id": 29, "Name": "Support", "Number": "GRP3"}],
                         "Users": [ALICE, BOB, CAROL]})


def present(pbx, resource=GROUP, check_mode=False, **params):
    return ensure_present(Resources(pbx), resource, params, check_mode=check_mode)


def sales(pbx):
    return pbx.sets["Groups"][28]


# --- What is compared ---------------------------------------------------------------------------------

def test_only_the_given_fields_are_compared(pbx):
    outcome = present(pbx, name="Sales", language="en")  # TimeZoneId, Members... are not given
    assert outcome.changed is False
    assert pbx.writes() == []


@pytest.mark.parametrize("held, wanted", [(None, ""), ("", None), (None, None)])
def test_null_missing_and_empty_strings_are_equal(pbx, held, wanted):
    sales(pbx)["Language"] = held
    assert present(pbx, name="Sales", properties={"PromptSet": wanted}, language=wanted).changed is False
    assert pbx.writes() == []


def test_times_compare_as_times(pbx):
    hours = {"Periods": [{"DayOfWeek": "Monday", "Start": "09:00"}]}
    assert present(pbx, name="Sales", properties={"Hours": hours}).changed is False
    hours["Periods"][0]["Start"] = "09:30"
    assert present(pbx, name="Sales", properties={"Hours": hours}).changed is True


def test_time_fields_compare_as_times():
    assert matches("9:00", "09:00:00.0000000", TIME)
    assert not matches("09:00", "09:00:01", TIME)


def test_placeholder_dates_count_as_unset(pbx):
    assert present(pbx, name="Sales", properties={"OverrideExpiresAt": None}).changed is False
    assert present(pbx, name="Sales", properties={"OverrideExpiresAt": "2027-01-01T00:00:00Z"}).changed is True


def test_case_insensitive_and_set_comparisons():
    assert matches("ALICE@Example.com", "alice@example.com", CASE_INSENSITIVE)
    assert not matches("ALICE@Example.com", "alice@example.com")
    assert matches(["b", "a"], ["a", "b"], SET)
    assert not matches(["b", "a"], ["a", "b"])  # an ordered list
    assert not matches(["a"], ["a", "b"], SET)


def test_nested_dicts_compare_only_the_given_keys():
    assert matches({"Rights": {"RoleName": "users"}}, {"Rights": {"RoleName": "users", "CanBargeIn": True}})
    assert not matches({"Rights": {"RoleName": "managers"}}, {"Rights": {"RoleName": "users"}})


# --- What is sent -------------------------------------------------------------------------------------

def test_a_patch_holds_only_the_changed_top_level_properties(pbx):
    outcome = present(pbx, name="Sales", language="de", timezone_id="51")
    assert outcome.changed is True
    assert pbx.writes() == ["PATCH Groups(28)"]
    assert pbx.bodies[pbx.log.index("PATCH Groups(28)")] == {"Language": "de"}
    assert sales(pbx)["Language"] == "de"


def test_a_complex_property_is_sent_whole_merged_over_the_current_value(pbx):
    present(pbx, name="Sales", properties={"Hours": {"Type": "OfficeHours"}})
    body = pbx.bodies[pbx.log.index("PATCH Groups(28)")]
    assert body == {"Hours": {"Type": "OfficeHours",
                              "Periods": [{"DayOfWeek": "Monday", "Start": "09:00:00.0000000"}]}}


def test_a_member_list_is_sent_whole_and_merges_by_default(pbx):
    outcome = present(pbx, name="Sales", members=[{"number": "102"}])
    assert outcome.changed is True
    body = pbx.bodies[pbx.log.index("PATCH Groups(28)")]
    # Everyone who was there stays, as they were; the new member gets the default role; nothing derived is sent.
    assert body == {"Members": [{"Number": "100", "Rights": {"RoleName": "users", "CanBargeIn": True}},
                                {"Number": "101", "Rights": {"RoleName": "managers"}},
                                {"Number": "102", "Rights": {"RoleName": "users"}}]}


def test_a_listed_member_keeps_its_role_unless_one_is_given(pbx):
    assert present(pbx, name="Sales", members=[{"number": "101"}]).changed is False
    assert present(pbx, name="Sales", members=[{"number": "101", "role": "users"}]).changed is True
    assert [m["Rights"]["RoleName"] for m in sales(pbx)["Members"]] == ["users", "users"]


def test_a_changed_member_keeps_the_rights_it_was_not_asked_about(pbx):
    present(pbx, name="Sales", members=[{"number": "100", "role": "managers"}])
    body = pbx.bodies[pbx.log.index("PATCH Groups(28)")]
    assert body["Members"][0] == {"Number": "100", "Rights": {"RoleName": "managers", "CanBargeIn": True}}


def test_purge_makes_the_member_list_exact(pbx):
    outcome = present(pbx, name="Sales", members=[{"number": "101"}], purge_members=True)
    assert outcome.changed is True
    assert [member["Number"] for member in sales(pbx)["Members"]] == ["101"]
    assert present(pbx, name="Sales", members=[{"number": "101"}], purge_members=True).changed is False


def test_purge_with_an_empty_list_removes_every_member(pbx):
    present(pbx, name="Sales", members=[], purge_members=True)
    assert sales(pbx)["Members"] == []


def test_order_counts_only_for_ordered_lists(pbx):
    swapped = [{"number": "101"}, {"number": "100"}]
    assert present(pbx, name="Sales", members=swapped, purge_members=True).changed is False
    ordered = Resource("group", entity_set="Groups", natural_key=("name", "Name"),
                       fields=[Members("members", "Members", key=("number", "Number"), ordered=True)])
    assert present(pbx, ordered, name="Sales", members=swapped, purge_members=True).changed is True
    assert [member["Number"] for member in sales(pbx)["Members"]] == ["101", "100"]


def test_derived_member_names_are_never_compared(pbx):
    sales(pbx)["Members"][0]["Name"] = "someone else entirely"
    assert present(pbx, name="Sales", members=[{"number": "100", "role": "users"}]).changed is False


def test_derived_properties_are_never_compared_inside_complex_ones(pbx):
    alice = pbx.sets["Users"][7]
    alice["Greetings"] = [{"DisplayName": "Hi", "MemberName": "derived by the PBX"}]
    outcome = present(pbx, USER, number="100", properties={"Greetings": [{"DisplayName": "Hi", "MemberName": "x"}]})
    assert outcome.changed is False


# --- Bad input, before any request --------------------------------------------------------------------

@pytest.mark.parametrize("properties, words", [
    ({"NoSuchThing": 1, "Colour": 2}, ["Colour", "NoSuchThing"]),
    ({"Id": 3}, ["Id"]),
    ({"HasMembers": True}, ["HasMembers"]),
    ({"Name": "Other"}, ["Name"]),
    ({"Language": "de"}, ["Language", "language"]),
])
def test_unknown_and_read_only_properties_fail_before_any_request(pbx, properties, words):
    with pytest.raises(InputError) as caught:
        present(pbx, name="Sales", properties=properties)
    for word in words:
        assert word in str(caught.value)
    assert caught.value.option == "properties"
    assert pbx.log == []


def test_a_read_only_option_fails_before_any_request(pbx):
    with pytest.raises(InputError, match="registered"):
        present(pbx, USER, number="100", registered=True)
    assert pbx.log == []


def test_an_unknown_department_fails_before_any_write_naming_it(pbx):
    with pytest.raises(InputError, match="Marketing") as caught:
        present(pbx, USER, number="100", groups=[{"name": "Marketing"}])
    assert caught.value.option == "groups"
    assert pbx.writes() == []


def test_member_lists_are_read_with_the_navigation_properties_their_fields_need():
    # A membership's Rights is a navigation property of Pbx.UserGroup: without its $expand no role is read.
    assert USER.expand == ["Groups($expand=Rights)"]
    assert GROUP.expand == ["Members($expand=Rights)"]
    plain = Resource("group", entity_set="Groups", natural_key=("name", "Name"),
                     fields=[Members("members", "Members", key=("number", "Number"))])
    assert plain.expand == ["Members"]


# A ring group's members: a plain list of extension numbers, each of which must exist.
RING = Resource("ring_group", entity_set="RingGroups", natural_key=("number", "Number"),
                fields=[Members("members", "Members", key=("number", "Number"), exists_in=("Users", "Number"),
                                keys_only=True, ordered=True)])


def test_keys_only_members_are_a_plain_list_checked_to_exist_and_sent_as_keys(pbx):
    pbx.sets["RingGroups"] = {}
    outcome = present(pbx, RING, number="700", members=["101", "100"])
    assert outcome.changed is True
    assert pbx.bodies[pbx.log.index("POST RingGroups")]["Members"] == [{"Number": "101"}, {"Number": "100"}]
    assert len([entry for entry in pbx.log if entry.startswith("GET Users?")]) == 1
    assert present(pbx, RING, number="700", members=["100", "101"], purge_members=False).changed is False
    assert present(pbx, RING, number="700", members=["100", "101"], purge_members=True).changed is True
    assert to_options(Resources(pbx), RING, pbx.item("RingGroups", Number="700")) == {
        "number": "700", "members": ["100", "101"]}


def test_a_member_that_must_exist_and_does_not_fails_before_any_write_naming_it(pbx):
    pbx.sets["RingGroups"] = {}
    with pytest.raises(InputError, match="'199'") as caught:
        present(pbx, RING, number="700", members=["100", "199"])
    assert caught.value.option == "members"
    assert pbx.writes() == []


def test_names_are_resolved_once_per_run(pbx):
    api = Resources(pbx)
    for number in ("100", "101", "102"):
        ensure_present(api, USER, dict(number=number, groups=[{"name": "Support"}, {"name": "Sales"}]))
    assert len([entry for entry in pbx.log if entry.startswith("GET Groups?")]) == 1
    assert [g["GroupId"] for g in pbx.sets["Users"][8]["Groups"]] == [29, 28]


# --- Secrets ------------------------------------------------------------------------------------------

def test_secrets_go_only_on_create_by_default(pbx):
    assert present(pbx, USER, number="100", pin="9999").changed is False
    assert pbx.writes() == []
    present(pbx, USER, number="200", pin="4321")
    assert pbx.item("Users", Number="200")["VMPIN"] == "4321"


def test_update_password_always_sends_them_and_reports_changed(pbx):
    pbx.sets["Users"][7]["VMPIN"] = ""  # the PBX does not give it back in clear
    outcome = present(pbx, USER, number="100", pin="1234", update_password="always")
    assert outcome.changed is True
    assert pbx.bodies[pbx.log.index("PATCH Users(7)")] == {"VMPIN": "1234"}


def test_update_password_always_is_quiet_when_the_pbx_shows_the_same_value(pbx):
    assert present(pbx, USER, number="100", pin="1234", update_password="always").changed is False


def test_secrets_are_masked_in_results_and_diffs(pbx):
    outcome = present(pbx, USER, number="100", pin="5555", first_name="Alicia", update_password="always")
    result = outcome.result(with_diff=True)
    assert result["user"]["VMPIN"] == MASK
    assert result["diff"]["before"]["VMPIN"] == MASK and result["diff"]["after"]["VMPIN"] == MASK
    assert "5555" not in repr(result) and "1234" not in repr(result)


# --- Check mode and diff ------------------------------------------------------------------------------

def test_check_mode_sends_no_write_and_reports_the_change(pbx):
    outcome = present(pbx, check_mode=True, name="Sales", language="fr", members=[{"number": "102"}])
    assert outcome.changed is True
    assert pbx.writes() == []
    result = outcome.result(with_diff=True)
    assert result["group"]["Language"] == "en", "the entity before the task, in check mode"
    assert result["diff"]["before"]["Language"] == "en" and result["diff"]["after"]["Language"] == "fr"
    assert [m["Number"] for m in result["diff"]["after"]["Members"]] == ["100", "101", "102"]


def test_check_mode_create_and_delete(pbx):
    created = present(pbx, check_mode=True, name="New", language="de")
    assert created.changed is True and pbx.writes() == []
    assert created.diff["before"] == {} and created.diff["after"]["Name"] == "New"
    deleted = ensure_absent(Resources(pbx), GROUP, dict(name="Sales"), check_mode=True)
    assert deleted.changed is True and pbx.writes() == []


def test_a_create_diffs_from_nothing_and_a_delete_to_nothing(pbx):
    created = present(pbx, name="Marketing", language="de", members=[{"number": "100"}])
    assert created.diff["before"] == {}
    assert created.diff["after"]["Name"] == "Marketing" and created.diff["after"]["Language"] == "de"
    assert pbx.writes() == ["POST Groups"]
    assert pbx.bodies[pbx.log.index("POST Groups")] == {
        "Name": "Marketing", "Language": "de", "Members": [{"Number": "100", "Rights": {"RoleName": "users"}}]}
    deleted = ensure_absent(Resources(pbx), GROUP, dict(name="Marketing"))
    assert deleted.changed is True
    assert deleted.diff["after"] == {} and deleted.diff["before"]["Name"] == "Marketing"
    assert pbx.writes() == ["POST Groups", "DELETE Groups(100)"]
    assert pbx.item("Groups", Name="Marketing") is None
    again = ensure_absent(Resources(pbx), GROUP, dict(name="Marketing"))
    assert again.changed is False


def test_a_delete_the_pbx_does_not_do_fails(pbx):
    pbx.ignore = {"DELETE"}
    with pytest.raises(ThreecxError, match="still there"):
        ensure_absent(Resources(pbx), GROUP, dict(name="Sales"))


def test_a_second_identical_run_writes_nothing(pbx):
    params = dict(name="Marketing", language="de", members=[{"number": "100", "role": "managers"}])
    assert present(pbx, **params).changed is True
    pbx.log.clear()
    assert present(pbx, **params).changed is False
    assert pbx.log == ["GET Groups?Name eq 'Marketing'"]


# --- Re-read and lost answers -------------------------------------------------------------------------

def test_every_write_is_read_back(pbx):
    present(pbx, name="Sales", language="de")
    assert pbx.log[-2:] == ["PATCH Groups(28)", "GET Groups(28)"]


def test_a_change_the_pbx_ignores_fails_naming_the_fields(pbx):
    pbx.ignore = {"Language"}
    with pytest.raises(ThreecxError) as caught:
        present(pbx, name="Sales", language="de", timezone_id="52")
    message = str(caught.value)
    assert "did not apply Language" in message and "TimeZoneId" not in message.split(";", maxsplit=1)[0]
    assert '"Language": "en"' in message


def test_a_create_the_pbx_takes_only_in_part_fails_naming_the_fields(pbx):
    pbx.ignore = {"TimeZoneId"}
    with pytest.raises(ThreecxError, match="did not apply TimeZoneId"):
        present(pbx, name="Marketing", timezone_id="52")


def test_a_create_whose_answer_is_lost_is_found_not_repeated(pbx):
    pbx.lose_create_answer = True
    outcome = present(pbx, name="Marketing", language="de")
    assert outcome.changed is True
    assert pbx.writes() == ["POST Groups"], "the create must not be sent twice"
    assert len([g for g in pbx.sets["Groups"].values() if g["Name"] == "Marketing"]) == 1
    assert outcome.after["Language"] == "de"


def test_a_create_that_failed_unclearly_and_left_nothing_says_so(pbx):
    pbx.fail_create = True
    with pytest.raises(XapiError) as caught:
        present(pbx, name="Marketing")
    assert "nothing was created" in str(caught.value) and "Marketing" in str(caught.value)
    assert caught.value.status == 503
    assert pbx.writes() == ["POST Groups"]


def test_a_natural_key_that_is_not_unique_fails_naming_the_matches(pbx):
    pbx.sets["Groups"][30] = {"Id": 30, "Name": "Sales"}
    with pytest.raises(XapiError) as caught:
        present(pbx, name="Sales", language="de")
    assert "28" in str(caught.value) and "30" in str(caught.value)
    assert pbx.writes() == []


def test_a_create_only_field_that_differs_fails(pbx):
    with pytest.raises(ThreecxError, match="auth_id"):
        present(pbx, USER, number="100", auth_id="other")
    assert pbx.writes() == []
    assert present(pbx, USER, number="100", auth_id="abc").changed is False


# --- For a whole-PBX apply ----------------------------------------------------------------------------

def test_a_prefetched_item_is_not_read_again(pbx):
    current = Resources(pbx).list("Groups")[0]
    pbx.log.clear()
    outcome = ensure_present(Resources(pbx), GROUP, dict(name="Sales", language="en"), current=current)
    assert outcome.changed is False and pbx.log == []


def test_an_item_converts_back_to_options(pbx):
    api = Resources(pbx)
    assert to_options(api, USER, pbx.sets["Users"][7]) == {
        "number": "100", "first_name": "Alice", "email": "alice@example.com", "auth_id": "abc",
        "groups": [{"name": "Sales", "role": "users"}]}
    options = to_options(api, GROUP, sales(pbx))
    assert options["members"][1] == {"number": "101", "role": "managers"}
    # What export gives, applied again, changes nothing.
    assert ensure_present(api, GROUP, dict(options, purge_members=True)).changed is False


def _department_ids(api, names, option):
    return [api.id_of("Groups", "Name", name, option) for name in names]


def _department_names(api, ids):
    return [api.name_of("Groups", "Name", key) for key in ids]


# A rule for departments by name, held as their Ids: a converted field and its reverse.
DEPARTMENT_RULE = Resource(
    "rule", entity_set="OutboundRules", natural_key=("name", "Name"),
    fields=[Field("groups", "GroupIds", compare=SET, convert=_department_ids, reverse=_department_names),
            Field("prefix", "Prefix")],
)


def test_a_converted_field_turns_back_into_what_the_module_takes(pbx):
    pbx.sets["OutboundRules"] = {5: {"Id": 5, "Name": "Local", "GroupIds": [29, 28], "Prefix": "9"}}
    api = Resources(pbx)
    options = to_options(api, DEPARTMENT_RULE, pbx.sets["OutboundRules"][5])
    assert options == {"name": "Local", "groups": ["Support", "Sales"], "prefix": "9"}
    # The names go back in as the same Ids: the export applied again changes nothing.
    assert ensure_present(api, DEPARTMENT_RULE, options).changed is False
    assert pbx.writes() == []


def test_a_converted_field_without_a_reverse_is_exported_as_the_pbx_holds_it(pbx):
    pbx.sets["OutboundRules"] = {5: {"Id": 5, "Name": "Local", "GroupIds": [29]}}
    one_way = Resource("rule", entity_set="OutboundRules", natural_key=("name", "Name"),
                       fields=[Field("groups", "GroupIds", convert=_department_ids)])
    assert to_options(Resources(pbx), one_way, pbx.sets["OutboundRules"][5])["groups"] == [29]


# --- The module's one line ----------------------------------------------------------------------------

class FakeModule:
    def __init__(self, check_mode=False, diff=False, **params):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff


def test_run_desired_state_gives_the_module_result(pbx):
    result = run_desired_state(FakeModule(diff=True, name="Sales", state="present", language="de"), pbx, GROUP)
    assert result["changed"] is True and result["group"]["Language"] == "de"
    assert result["diff"]["after"]["Language"] == "de"
    result = run_desired_state(FakeModule(name="Sales", state="absent"), pbx, GROUP)
    assert result == {"group": {}, "changed": True}
    assert "diff" not in result


# --- The architecture guide's 30-line module runs as written -----------------------------------------

GUIDE = Path(__file__).resolve().parents[4] / "docs" / "architecture.md"


def guide_module():
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Adding a desired-state module in 30 lines", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {"__name__": "guide_example"}
    exec(compile(code, str(GUIDE), "exec"), namespace)  # pylint: disable=exec-used
    return code, namespace


class _Captured(Exception):
    pass


def test_the_guide_module_is_about_30_lines_and_runs(pbx):
    code, namespace = guide_module()
    assert len(code.strip().splitlines()) <= 40
    module = FakeModule(diff=True, name="Sales", state="present", language="en", timezone_id=None,
                        members=[{"number": "102", "role": None}], purge_members=False, properties=None)
    result = namespace["run"](module, pbx)
    assert result["changed"] is True
    assert [m["Number"] for m in result["group"]["Members"]] == ["100", "101", "102"]
    assert pbx.writes() == ["PATCH Groups(28)"]


def test_the_guide_module_declares_an_option_for_every_field():
    _code, namespace = guide_module()

    def capture(argument_spec, **_kwargs):
        raise _Captured(argument_spec)
    namespace["XapiModule"] = capture
    with pytest.raises(_Captured) as caught:
        namespace["main"]()
    spec = caught.value.args[0]
    resource = namespace["GROUP"]
    wanted = {field.option for field in resource.fields} | {resource.natural_key[0], "state", "properties",
                                                            "purge_members"}
    assert wanted <= set(spec)


# --- A singleton written by an action: the licence ----------------------------------------------------

COUNTRIES = [{"Id": 1, "CountryCode": "DE", "Name": "Germany"}, {"Id": 2, "CountryCode": "GB", "Name": "United Kingdom"}]
LICENCE_STATUS = {"LicenseKey": "ABCD-1234", "CompanyName": "Old Ltd", "ContactName": "Jane", "CountryCode": "DE",
                  "CountryName": "Germany", "EMail": "a@example.com", "Telephone": None}


def test_the_licence_action_sends_every_field_and_only_when_something_differs():
    from ansible_collections.threecx.xapi.plugins.module_utils._license import LICENSE
    pbx = FakePbx(sets={"Countries": COUNTRIES}, singletons={"LicenseStatus": LICENCE_STATUS})
    assert present(pbx, LICENSE, country="germany", email="A@EXAMPLE.COM").changed is False
    assert pbx.writes() == []
    outcome = present(pbx, LICENSE, company_name="New Ltd")
    assert outcome.changed is True
    assert pbx.writes() == ["POST LicenseStatus/Pbx.EditLicenseInfo"]
    assert pbx.bodies[pbx.log.index("POST LicenseStatus/Pbx.EditLicenseInfo")] == {"licenseParams": {
        "CompanyName": "New Ltd", "ContactName": "Jane", "Country": "DE", "Email": "a@example.com"}}
    assert outcome.diff["before"]["CompanyName"] == "Old Ltd" and outcome.diff["after"]["CompanyName"] == "New Ltd"
    assert set(outcome.diff["before"]) == {"CompanyName", "ContactName", "Country", "Email", "Phone"}


def test_a_licence_change_the_pbx_ignores_fails_naming_it():
    from ansible_collections.threecx.xapi.plugins.module_utils._license import LICENSE
    pbx = FakePbx(singletons={"LicenseStatus": LICENCE_STATUS})
    pbx.ignore = {"Phone"}
    with pytest.raises(ThreecxError, match="accepted EditLicenseInfo but did not apply Phone"):
        present(pbx, LICENSE, phone="+4930")


# --- A natural key of several properties --------------------------------------------------------------

CONTACT = Resource(
    "contact", entity_set="Contacts",
    natural_key=(("first_name", "FirstName"), ("last_name", "LastName"), ("company_name", "CompanyName")),
    fields=[Field("email", "Email")],
)
RULE = Resource(
    "rule", entity_set="InboundRules",
    natural_key=(("did", "Data"), ("trunk", "TrunkDN/Id", ("Trunks", "Gateway/Name"))),
    fields=[Field("name", "RuleName")], expand=["TrunkDN"],
)


@pytest.fixture
def directory():
    return FakePbx(sets={
        "Contacts": [{"Id": 1, "FirstName": "Ann", "LastName": "Lee", "CompanyName": "Contoso", "Email": "a@c.example"},
                     {"Id": 2, "FirstName": "Ann", "LastName": "Lee", "CompanyName": "Fabrikam"},
                     {"Id": 3, "FirstName": "Bo", "LastName": "Ek", "CompanyName": ""}],
        "Trunks": [{"Id": 1, "Gateway": {"Name": "Cheap SIP"}}, {"Id": 2, "Gateway": {"Name": "Bridge"}}],
        "InboundRules": [{"Id": 5, "Data": "+4420", "TrunkDN": {"Id": 2}, "RuleName": "Main"}],
    })


def test_every_part_of_a_natural_key_of_several_properties_must_match(directory):
    outcome = present(directory, CONTACT, first_name="Ann", last_name="Lee", company_name="Fabrikam",
                      email="ann@f.example")
    assert outcome.changed and directory.sets["Contacts"][2]["Email"] == "ann@f.example"
    assert "GET Contacts?FirstName eq 'Ann' and LastName eq 'Lee' and CompanyName eq 'Fabrikam'" in directory.log
    assert directory.writes() == ["PATCH Contacts(2)"]


def test_a_blank_part_of_the_key_matches_null_or_empty(directory):
    assert present(directory, CONTACT, first_name="Bo", last_name="Ek", company_name=None).changed is False
    assert directory.writes() == []


def test_a_create_holds_every_given_part_of_the_key(directory):
    present(directory, CONTACT, first_name="Ann", last_name="Lee", company_name="Litware")
    created = directory.item("Contacts", CompanyName="Litware")
    assert (created["FirstName"], created["LastName"]) == ("Ann", "Lee")


def test_several_matches_of_a_key_of_several_properties_fail_listing_them(directory):
    directory.sets["Contacts"][4] = dict(directory.sets["Contacts"][2], Id=4)
    with pytest.raises(XapiError) as caught:
        present(directory, CONTACT, first_name="Ann", last_name="Lee", company_name="Fabrikam", email="x@y.example")
    assert "(Id 2, 4)" in str(caught.value)
    assert directory.writes() == []


def test_a_key_of_several_properties_needs_one_of_them(directory):
    with pytest.raises(InputError, match="first_name, last_name, company_name"):
        present(directory, CONTACT, email="x@y.example")
    assert directory.log == []


def test_a_key_part_by_name_is_looked_up_and_written_as_a_path(directory):
    assert present(directory, RULE, did="+4420", trunk="Bridge", name="Main").changed is False
    assert "GET InboundRules?Data eq '+4420' and TrunkDN/Id eq 2" in directory.log
    present(directory, RULE, did="+4420", trunk="Cheap SIP", name="Cheap")
    assert directory.item("InboundRules", RuleName="Cheap")["TrunkDN"] == {"Id": 1}


def test_an_unknown_name_in_the_key_fails_naming_the_option_before_any_write(directory):
    with pytest.raises(InputError, match="Nope") as caught:
        present(directory, RULE, did="+4420", trunk="Nope", name="Main")
    assert caught.value.option == "trunk"
    assert directory.writes() == []


def test_a_key_of_several_properties_converts_back_to_options(directory):
    item = directory.sets["InboundRules"][5]
    assert to_options(Resources(directory), RULE, item) == {"did": "+4420", "trunk": "Bridge", "name": "Main"}


# --- Converted fields and unordered lists -------------------------------------------------------------

def test_a_converted_field_is_compared_and_sent_in_its_xapi_form(pbx):
    upper = Resource("group", entity_set="Groups", natural_key=("name", "Name"),
                     fields=[Field("language", "Language", convert=lambda api, value, option: value.lower())])
    assert present(pbx, upper, name="Sales", language="EN").changed is False
    present(pbx, upper, name="Sales", language="DE")
    assert sales(pbx)["Language"] == "de"


def test_lists_named_unordered_compare_as_sets_at_any_depth_with_times_as_times(pbx):
    hours = {"Type": "Custom", "Periods": [{"DayOfWeek": "Tuesday", "Start": "10:00"},
                                           {"DayOfWeek": "Monday", "Start": "09:00:00"}]}
    sales(pbx)["Hours"]["Periods"].append({"DayOfWeek": "Tuesday", "Start": "10:00:00.0000000"})
    unordered = Resource("group", entity_set="Groups", natural_key=("name", "Name"),
                         fields=[Field("hours", "Hours")], unordered=["Periods"])
    assert present(pbx, unordered, name="Sales", hours=hours).changed is False
    assert present(pbx, GROUP, name="Sales", properties={"Hours": hours}).changed is True  # ordered there
    hours["Periods"][0]["Start"] = "10:30"
    assert present(pbx, unordered, name="Sales", check_mode=True, hours=hours).changed is True


def test_a_set_of_complex_items_needs_each_held_item_once():
    periods = [{"DayOfWeek": "Monday"}, {"DayOfWeek": "Monday"}]
    assert not matches(periods, [{"DayOfWeek": "Monday"}, {"DayOfWeek": "Friday"}], SET)
    assert matches(periods, [{"DayOfWeek": "Monday"}, {"DayOfWeek": "Monday"}], SET)


def test_a_licence_country_by_name_is_sent_as_its_code_and_an_unknown_one_fails_before_any_write():
    from ansible_collections.threecx.xapi.plugins.module_utils._license import LICENSE
    pbx = FakePbx(sets={"Countries": COUNTRIES}, singletons={"LicenseStatus": LICENCE_STATUS})
    present(pbx, LICENSE, country="united kingdom")
    assert pbx.bodies[pbx.log.index("POST LicenseStatus/Pbx.EditLicenseInfo")]["licenseParams"]["Country"] == "GB"
    pbx = FakePbx(sets={"Countries": COUNTRIES}, singletons={"LicenseStatus": LICENCE_STATUS})
    with pytest.raises(InputError, match="no country 'Untied Kingdom'.*did you mean United Kingdom") as caught:
        present(pbx, LICENSE, country="Untied Kingdom", check_mode=True)
    assert caught.value.option == "country"
    assert pbx.log == ["GET Countries?"], "only the country list was read"


@pytest.mark.parametrize("properties, message", [
    ({"Colour": 2}, "properties: Colour is no property of Pbx.Group"),
    ({"NoSuchThing": 1, "Colour": 2}, "properties: Colour, NoSuchThing are no property of Pbx.Group"),
    ({"Language": "de", "Id": 3}, "properties: Id, Language (use the language option) cannot be set here: "
                                  "read-only, derived by the PBX, or an option of its own"),
])
def test_property_problems_are_worded_for_the_reader(pbx, properties, message):
    """The message names each property, agrees in number, and points to the option to use instead."""
    with pytest.raises(InputError) as caught:
        present(pbx, name="Sales", properties=properties)
    assert str(caught.value) == message


# --- Comparing, rule by rule --------------------------------------------------------------------------

MONDAY, FRIDAY = {"DayOfWeek": "Monday"}, {"DayOfWeek": "Friday"}


def test_unordered_lists_compare_as_sets_below_dicts_lists_and_sets():
    unordered = frozenset({"Periods"})
    assert matches({"Hours": {"Periods": [FRIDAY, MONDAY]}}, {"Hours": {"Periods": [MONDAY, FRIDAY]}},
                   unordered=unordered)
    assert matches([{"Periods": [FRIDAY, MONDAY]}], [{"Periods": [MONDAY, FRIDAY]}], unordered=unordered)
    assert matches([{"Periods": [FRIDAY, MONDAY]}], [{"Periods": [MONDAY, FRIDAY]}], SET, unordered=unordered)
    assert not matches([{"Periods": [FRIDAY, MONDAY]}], [{"Periods": [MONDAY, FRIDAY]}], SET)


def test_derived_parts_are_left_out_below_dicts_lists_and_sets():
    derived = frozenset({"Name"})
    wanted, held = {"Number": "100", "Name": "asked"}, {"Number": "100", "Name": "derived"}
    assert matches({"Member": wanted}, {"Member": held}, derived=derived)
    assert matches([wanted], [held], derived=derived)
    assert matches([wanted], [held], SET, derived=derived)
    assert not matches([wanted], [held], SET)


def test_values_compare_as_their_declared_type():
    assert matches("9:00", "09:00:00.0000000", type_name="time")
    assert matches({"Start": "9:00"}, {"Start": "09:00:00"}, type_name="Pbx.Period")
    assert not matches({"Start": "9:30"}, {"Start": "09:00:00"}, type_name="Pbx.Period")
    assert matches("20", 20, type_name="integer") and matches("1.5", 1.5, type_name="number")
    assert not matches("20", 20), "untyped, a text is not a number"
    assert matches("twenty", "twenty", type_name="integer") and not matches("twenty", 20, type_name="integer")


def test_a_number_given_as_text_matches_the_number_the_pbx_holds(pbx):
    sales(pbx)["AnswerAfter"] = 20
    assert present(pbx, name="Sales", properties={"AnswerAfter": "20"}).changed is False
    assert present(pbx, name="Sales", check_mode=True, properties={"AnswerAfter": "25"}).changed is True


def test_sets_of_plain_values_compare_each_value_blank_as_null():
    assert not matches(["a", "c"], ["a", "b"], SET)
    assert matches(["", "a"], ["a", None], SET)


def test_a_list_or_a_dict_the_item_lacks_differs_unless_empty():
    assert not matches(["a"], None) and matches([], None)
    assert not matches({"Type": "Custom"}, None) and matches({}, None)


# --- Sending, rule by rule ----------------------------------------------------------------------------

def test_a_complex_property_the_item_lacks_is_sent_as_given(pbx):
    outcome = present(pbx, name="Support", properties={"Hours": {"Type": "OfficeHours"}})
    assert outcome.changed is True
    assert pbx.writes() == ["PATCH Groups(29)"]
    assert pbx.bodies[pbx.log.index("PATCH Groups(29)")] == {"Hours": {"Type": "OfficeHours"}}


HOURS = Resource("group", entity_set="Groups", natural_key=("name", "Name"), fields=[Field("hours", "Hours")],
                 unordered=["Periods"])


def test_a_complex_field_is_sent_whole_merged_over_the_current_value(pbx):
    present(pbx, HOURS, name="Sales", hours={"Type": "OfficeHours"})
    assert pbx.bodies[pbx.log.index("PATCH Groups(28)")] == {
        "Hours": {"Type": "OfficeHours", "Periods": [{"DayOfWeek": "Monday", "Start": "09:00:00.0000000"}]}}


def test_unordered_lists_in_properties_compare_as_sets_too(pbx):
    sales(pbx)["Hours"]["Periods"].append({"DayOfWeek": "Friday", "Start": "10:00:00"})
    periods = [{"DayOfWeek": "Friday", "Start": "10:00"}, {"DayOfWeek": "Monday", "Start": "09:00"}]
    unordered = Resource("group", entity_set="Groups", natural_key=("name", "Name"), unordered=["Periods"])
    assert present(pbx, unordered, name="Sales", properties={"Hours": {"Periods": periods}}).changed is False


# A singleton written by PATCH, as the office hours are.
SINGLETON = Resource("office_hours", singleton="OfficeHours", properties=False, fields=[Field("name", "Name")])


def test_every_write_is_marked_safe_to_repeat_but_a_create(pbx):
    pbx.singletons["OfficeHours"] = {"Name": "Old"}
    present(pbx, SINGLETON, name="New")
    present(pbx, name="Sales", language="de")
    present(pbx, name="Marketing")
    ensure_absent(Resources(pbx), GROUP, dict(name="Marketing"))
    assert [(call["method"], call["path"], call["idempotent"]) for call in pbx.calls if call["method"] != "GET"] == [
        ("PATCH", "OfficeHours", True), ("PATCH", "Groups(28)", True), ("POST", "Groups", False),
        ("DELETE", "Groups(100)", True)]
    assert pbx.singletons["OfficeHours"] == {"Name": "New"}


# --- Reading: how an item is found and read back ------------------------------------------------------

def test_an_item_with_an_alternate_key_is_read_by_it_in_one_request(pbx):
    assert present(pbx, USER, number="100", first_name="Alice").changed is False
    assert pbx.log == ["GET Users(Number='100')"]


def test_every_read_of_an_item_expands_its_member_lists(pbx):
    present(pbx, name="Sales", language="de")
    assert [(call["method"], call["path"], (call["query"] or {}).get("$expand")) for call in pbx.calls] == [
        ("GET", "Groups", "Members($expand=Rights)"), ("PATCH", "Groups(28)", None),
        ("GET", "Groups(28)", "Members($expand=Rights)")]


def test_an_item_named_by_several_properties_is_read_with_its_expand(directory):
    present(directory, RULE, did="+4420", trunk="Bridge", name="Main")
    assert [(call["path"], (call["query"] or {}).get("$expand")) for call in directory.calls] == [
        ("Trunks", None), ("InboundRules", "TrunkDN")]


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_part_of_the_key_that_names_another_item_fails_before_any_request(directory, blank):
    # A rule is always on a trunk; TrunkDN/Id is a number, which the PBX would refuse to compare with ''.
    with pytest.raises(InputError) as caught:
        present(directory, RULE, did="+4420", trunk=blank, name="Any", check_mode=True)
    assert (str(caught.value), caught.value.option) == ("trunk is blank: it names the item, so give a value", "trunk")
    assert directory.log == []


@pytest.mark.parametrize("blank", ["", " "])
def test_a_blank_key_of_one_property_fails_before_any_request(directory, blank):
    with pytest.raises(InputError) as caught:
        present(directory, name=blank, language="de")
    assert (str(caught.value), caught.value.option) == ("name is blank: it names the item, so give a value", "name")
    assert directory.log == []


def test_a_create_is_read_back_by_the_key_the_pbx_gave(pbx):
    present(pbx, name="Marketing", language="de")
    assert pbx.log == ["GET Groups?Name eq 'Marketing'", "POST Groups", "GET Groups(100)"]


def test_a_create_answered_without_the_item_is_read_back_by_its_name(pbx):
    pbx.empty_create_answer = True
    outcome = present(pbx, name="Marketing", language="de")
    assert pbx.log == ["GET Groups?Name eq 'Marketing'", "POST Groups", "GET Groups?Name eq 'Marketing'"]
    assert outcome.after == {"Id": 100, "Name": "Marketing", "Language": "de"}


def test_a_create_the_pbx_answers_but_does_not_do_fails_naming_the_item(pbx, directory):
    pbx.ignore = {"POST"}
    with pytest.raises(ThreecxError) as caught:
        present(pbx, name="Marketing")
    assert str(caught.value) == 'Groups with {"Name": "Marketing"} is not on the PBX after the write'
    directory.ignore = {"POST"}
    with pytest.raises(ThreecxError) as caught:
        present(directory, CONTACT, first_name="Cy", last_name="Do")
    assert str(caught.value) == ('Contacts with {"FirstName": "Cy", "LastName": "Do", "CompanyName": null} '
                                 'is not on the PBX after the write')


def test_a_create_of_an_item_named_by_several_properties_whose_answer_is_lost_is_found(directory):
    directory.lose_create_answer = True
    outcome = present(directory, CONTACT, first_name="Cy", last_name="Do", company_name="Initech", email="cy@i.example")
    assert directory.writes() == ["POST Contacts"]
    assert outcome.after == {"Id": 100, "FirstName": "Cy", "LastName": "Do", "CompanyName": "Initech",
                             "Email": "cy@i.example"}


def test_an_item_gone_after_its_change_fails_naming_it(pbx):
    def someone_deletes_it(fake, _method, _path):
        fake.sets["Groups"].pop(28)
    pbx.after_write = someone_deletes_it
    with pytest.raises(ThreecxError) as caught:
        present(pbx, name="Sales", language="de")
    assert str(caught.value) == 'Groups with {"Name": "Sales"} is not on the PBX after the write'
    assert pbx.log == ["GET Groups?Name eq 'Sales'", "PATCH Groups(28)", "GET Groups(28)", "GET Groups?Name eq 'Sales'"]


def test_a_singleton_the_pbx_does_not_return_fails_naming_it():
    from ansible_collections.threecx.xapi.plugins.module_utils._license import LICENSE
    pbx = FakePbx(singletons={"LicenseStatus": None})
    with pytest.raises(ThreecxError) as caught:
        present(pbx, LICENSE, company_name="New Ltd")
    assert str(caught.value) == "the PBX returned no LicenseStatus"
    assert pbx.writes() == []


# --- Verifying: whole messages ------------------------------------------------------------------------

def test_a_change_not_applied_names_the_fields_sorted_and_what_the_pbx_still_holds(pbx):
    pbx.ignore = {"FirstName", "EmailAddress"}
    with pytest.raises(ThreecxError) as caught:
        present(pbx, USER, number="100", first_name="Alicia", email="ally@example.com")
    assert str(caught.value) == ('the PBX accepted the change but did not apply EmailAddress, FirstName; it still '
                                 'holds {"EmailAddress": "alice@example.com", "FirstName": "Alice"}')


def test_a_property_not_applied_is_named_as_the_pbx_calls_it(pbx):
    pbx.ignore = {"PromptSet"}
    with pytest.raises(ThreecxError) as caught:
        present(pbx, name="Sales", properties={"PromptSet": "p1"})
    assert str(caught.value) == 'the PBX accepted the change but did not apply PromptSet; it still holds {"PromptSet": null}'


def test_a_create_only_field_the_create_did_not_apply_is_a_create_not_applied(pbx):
    pbx.ignore = {"AuthID"}
    with pytest.raises(ThreecxError) as caught:
        present(pbx, USER, number="300", auth_id="xyz")
    assert str(caught.value) == 'the PBX accepted the create but did not apply AuthID; it still holds {"AuthID": null}'


def test_a_create_only_field_that_differs_fails_naming_it_and_what_it_holds(pbx):
    with pytest.raises(ThreecxError) as caught:
        present(pbx, USER, number="100", auth_id="other")
    assert str(caught.value) == 'auth_id can only be set when the item is created; it holds "abc"'
    assert caught.value.option == "auth_id"


def test_a_secret_the_pbx_does_not_show_back_is_not_verified(pbx):
    pbx.ignore = {"VMPIN"}  # as a PBX that never answers with a PIN
    outcome = present(pbx, USER, number="101", pin="2468", update_password="always")
    assert outcome.changed is True
    assert pbx.bodies[pbx.log.index("PATCH Users(8)")] == {"VMPIN": "2468"}


def test_a_delete_the_pbx_does_not_do_fails_naming_the_item(pbx):
    pbx.ignore = {"DELETE"}
    with pytest.raises(ThreecxError) as caught:
        ensure_absent(Resources(pbx), GROUP, dict(name="Sales"))
    assert str(caught.value) == "the PBX accepted the delete of Groups 28, but the item is still there"


# --- Bad input: whole messages, before any request ----------------------------------------------------

@pytest.mark.parametrize("resource, params, message, option", [
    (RULE, dict(name="Main"), "give at least one of did, trunk: together they name the item", "did"),
    (CONTACT, dict(first_name="", last_name="", company_name="", email="x@y.example"),
     "give at least one of first_name, last_name, company_name: together they name the item", "first_name"),
    (USER, dict(number="100", registered=True), "registered is read-only: the PBX sets it", "registered"),
    (USER, dict(number="100", groups=[{"name": ""}]), "groups: every item needs name", "groups"),
    (RING, dict(number="700", members=["", "100"]), "members: every item needs number", "members"),
])
def test_bad_input_fails_with_a_whole_message_naming_the_option(directory, resource, params, message, option):
    with pytest.raises(InputError) as caught:
        present(directory, resource, **params)
    assert (str(caught.value), caught.value.option) == (message, option)
    assert directory.log == []


def test_properties_where_a_resource_takes_none_fail_before_any_request():
    from ansible_collections.threecx.xapi.plugins.module_utils._license import LICENSE
    pbx = FakePbx(singletons={"LicenseStatus": LICENCE_STATUS})
    with pytest.raises(InputError) as caught:
        present(pbx, LICENSE, properties={"CompanyName": "x"})
    assert (str(caught.value), caught.value.option) == ("properties is not supported here", "properties")
    assert pbx.log == []


# --- What a run reports: outcomes, results and diffs, whole -------------------------------------------

def test_a_change_shows_before_and_after_as_the_pbx_holds_them(pbx):
    def the_pbx_pads_times(fake, _method, _path):
        fake.sets["Groups"][28]["Hours"]["Periods"][0]["Start"] = "10:00:00.0000000"
    pbx.after_write = the_pbx_pads_times
    hours = {"Type": "Custom", "Periods": [{"DayOfWeek": "Monday", "Start": "10:00"}]}
    outcome = present(pbx, name="Sales", language="de", members=[{"number": "101", "role": "users"}],
                      properties={"Hours": hours})
    members_before = [{"Number": "100", "Rights": {"RoleName": "users", "CanBargeIn": True}},
                      {"Number": "101", "Rights": {"RoleName": "managers"}}]
    members_after = [members_before[0], {"Number": "101", "Rights": {"RoleName": "users"}}]
    assert outcome.diff == {
        "before": {"Name": "Sales", "Language": "en", "TimeZoneId": "51", "Members": members_before,
                   "Hours": {"Type": "Custom", "Periods": [{"DayOfWeek": "Monday", "Start": "09:00:00.0000000"}]}},
        "after": {"Name": "Sales", "Language": "de", "TimeZoneId": "51", "Members": members_after,
                  "Hours": {"Type": "Custom", "Periods": [{"DayOfWeek": "Monday", "Start": "10:00:00.0000000"}]}}}
    assert outcome.before == SALES and outcome.after == sales(pbx)


def test_a_create_shows_after_as_the_pbx_holds_it(pbx):
    def the_pbx_pads_times(fake, _method, _path):
        fake.sets["Groups"][100]["Hours"]["Periods"][0]["Start"] = "10:00:00.0000000"
    pbx.after_write = the_pbx_pads_times
    hours = {"Type": "Custom", "Periods": [{"DayOfWeek": "Monday", "Start": "10:00"}]}
    outcome = present(pbx, name="Marketing", properties={"Hours": hours})
    assert outcome.diff == {"before": {}, "after": {
        "Name": "Marketing", "Language": None, "TimeZoneId": None, "Members": None,
        "Hours": {"Type": "Custom", "Periods": [{"DayOfWeek": "Monday", "Start": "10:00:00.0000000"}]}}}
    assert outcome.before is None


def test_check_mode_keeps_the_item_as_it_was_before_and_after(pbx):
    outcome = present(pbx, check_mode=True, name="Sales", language="fr")
    assert (outcome.changed, outcome.before, outcome.after) == (True, SALES, SALES)
    unchanged = present(pbx, name="Sales", language="en")
    assert (unchanged.changed, unchanged.before, unchanged.after) == (False, SALES, SALES)


def test_an_unset_secret_shows_as_unset_and_a_set_one_masked(pbx):
    pbx.sets["Users"][8]["VMPIN"] = ""
    result = present(pbx, USER, number="101", first_name="Bobby").result(with_diff=True)
    assert result["user"]["VMPIN"] == "" and result["diff"]["before"]["VMPIN"] == ""
    result = present(pbx, USER, number="100", first_name="Alicia").result(with_diff=True)
    assert result["user"]["VMPIN"] == MASK and result["diff"]["before"]["VMPIN"] == MASK


def test_absent_outcomes_and_results_whole(pbx):
    api = Resources(pbx)
    gone = ensure_absent(api, GROUP, dict(name="Nowhere"))
    assert (gone.changed, gone.before, gone.after) == (False, None, None)
    assert gone.result(with_diff=True) == {"group": {}, "changed": False, "diff": {"before": {}, "after": {}}}
    checked = ensure_absent(api, GROUP, dict(name="Sales"), check_mode=True)
    assert (checked.changed, checked.before, checked.after) == (True, SALES, SALES)
    assert checked.result(with_diff=True) == {"group": SALES, "changed": True, "diff": {"before": SALES, "after": {}}}
    deleted = ensure_absent(api, GROUP, dict(name="Sales"))
    assert (deleted.changed, deleted.before, deleted.after) == (True, SALES, None)
    assert deleted.result(with_diff=True) == {"group": {}, "changed": True, "diff": {"before": SALES, "after": {}}}
    assert pbx.writes() == ["DELETE Groups(28)"]


def test_a_country_like_several_fails_naming_each_of_them():
    from ansible_collections.threecx.xapi.plugins.module_utils._license import LICENSE
    countries = COUNTRIES + [{"Id": 3, "CountryCode": "US", "Name": "United States"}]
    pbx = FakePbx(sets={"Countries": countries}, singletons={"LicenseStatus": LICENCE_STATUS})
    with pytest.raises(InputError) as caught:
        present(pbx, LICENSE, country="United Stokdom")
    assert str(caught.value) == (
        "country: the PBX knows no country 'United Stokdom': give its two-letter code (such as GB) or its name as the PBX "
        "lists it (such as United Kingdom); did you mean United Kingdom or United States?")
    assert pbx.writes() == []


# --- Describing a resource, built inside the tests ----------------------------------------------------
# The resource tables of the modules are built once, at import; these are built by each test, so that the
# code that describes a resource is tested as it runs.

def test_a_field_keeps_what_it_is_told_and_is_named_by_its_property_unless_told():
    plain = Field("language", "Language")
    assert (plain.option, plain.prop, plain.compare, plain.name, plain.also, plain.secret, plain.create_only,
            plain.read_only, plain.convert, plain.reverse) == (
        "language", "Language", EXACT, "Language", (), False, False, False, None, None)
    told = Field("country", "CountryCode", compare=CASE_INSENSITIVE, name="Country", also=["CountryName"], secret=True,
                 create_only=True, read_only=True, convert=len, reverse=str)
    assert (told.compare, told.name, told.also, told.secret, told.create_only, told.read_only, told.convert,
            told.reverse) == (CASE_INSENSITIVE, "Country", ("CountryName",), True, True, True, len, str)


def test_a_member_list_keeps_what_it_is_told_and_compares_as_a_set_unless_ordered():
    plain = Members("members", "Members", key=("number", "Number"))
    assert (plain.compare, plain.key_option, plain.key, plain.lookup, plain.exists_in, plain.keys_only, plain.fields,
            plain.defaults, plain.ordered, plain.purge_option) == (
        SET, "number", "Number", None, None, False, {}, {}, False, "purge_members")
    told = Members("groups", "Groups", key=("name", "GroupId"), lookup=("Groups", "Name"), fields={"role": "Rights/RoleName"},
                   defaults={"role": "users"}, ordered=True, exists_in=("Users", "Number"), keys_only=True)
    assert (told.compare, told.lookup, told.exists_in, told.keys_only, told.fields, told.defaults, told.ordered,
            told.purge_option) == (ORDERED, ("Groups", "Name"), ("Users", "Number"), True, {"role": "Rights/RoleName"},
                                   {"role": "users"}, True, "purge_groups")


def test_a_resource_of_a_set_knows_its_key_type_read_only_properties_and_what_to_expand():
    user = Resource("user", entity_set="Users", natural_key=("number", "Number"), read_only=["IsRegistered"],
                    fields=[Members("groups", "Groups", key=("name", "GroupId"), fields={"role": "Rights/RoleName"})])
    assert (user.entity_set, user.singleton, user.action, user.key, user.type_name, user.natural_keys) == (
        "Users", None, None, "Id", "Pbx.User", (("number", "Number", None),))
    assert (user.read_only, user.expand) == (frozenset({"IsRegistered", "Number", "Id"}), ["Groups($expand=Rights)"])
    ring = Resource("ring_group", entity_set="RingGroups", natural_key=("number", "Number"),
                    fields=[Members("members", "Members", key=("number", "Number"), keys_only=True)])
    assert ring.expand == ["Members"]
    roles = Members("groups", "Groups", key=("name", "GroupId"),
                    fields={"role": "Rights/RoleName", "group": "GroupRights/RoleName"})
    both = Resource("user", entity_set="Users", natural_key=("number", "Number"), fields=[roles])
    assert both.expand == ["Groups($expand=GroupRights,Rights)"]
    rule = Resource("rule", entity_set="InboundRules", expand=["TrunkDN"],
                    natural_key=(("did", "Data"), ("trunk", "TrunkDN/Id", ("Trunks", "Gateway/Name"))))
    assert rule.natural_keys == (("did", "Data", None), ("trunk", "TrunkDN/Id", ("Trunks", "Gateway/Name")))
    assert (rule.read_only, rule.expand) == (frozenset({"Data", "TrunkDN", "Id"}), ["TrunkDN"])


def test_a_singleton_has_its_type_and_no_key():
    hours = Resource("office_hours", singleton="OfficeHours", action=("OfficeHours/Pbx.Set", "hours"), properties=False)
    assert (hours.entity_set, hours.singleton, hours.action, hours.properties, hours.key, hours.type_name,
            hours.natural_keys, hours.read_only, hours.expand) == (
        None, "OfficeHours", ("OfficeHours/Pbx.Set", "hours"), False, None, "Pbx.OfficeHours", (), frozenset(), [])
    assert Resource("x", singleton="NoSuchSingleton").type_name is None
