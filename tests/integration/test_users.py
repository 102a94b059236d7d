# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_user, threecx_group and their _info modules, run by ansible-playbook against the simulator.

Every assertion about what happened reads the simulator's request log or its store, not the module's word.
The seed (0) has the departments DEFAULT (Id 1), Accounts, Marketing, Sales (Id 4) and Warehouse, and
extensions 100-115; 103 is in Sales and Warehouse, 105 and 110 in DEFAULT only.
"""

from __future__ import annotations

import json

import yaml

from conftest import save, task_results

PIN = "482613"
NEW_PIN = "739154"
WEB_PASSWORD = "Web-Pa55-zq8"
SALES_ID = 4


def user_task(register="user", **args):
    """One threecx_user task registering `register`, and the step that saves it for `ansible.saved`."""
    task = {"name": "user %s" % args.get("number"), "threecx.xapi.threecx_user": args, "register": register}
    return yaml.safe_dump([task]) + save(register)


def group_task(register="group", **args):
    task = {"name": "group %s" % args.get("name"), "threecx.xapi.threecx_group": args, "register": register}
    return yaml.safe_dump([task]) + save(register)


def writes_to(sim, method, path_part):
    return [entry for entry in sim.writes() if entry["method"] == method and path_part in entry["path"]]


def stored_user(sim, number):
    matches = [user for user in sim.store("Users") if user.get("Number") == number]
    assert len(matches) <= 1, "duplicate users with Number %s" % number
    return matches[0] if matches else None


def stored_group(sim, name):
    return next((group for group in sim.store("Groups") if group.get("Name") == name), None)


def group_ids_of(sim, number):
    return sorted(membership["GroupId"] for membership in stored_user(sim, number).get("Groups", []))


def member_numbers(sim, name):
    return sorted(member["Number"] for member in stored_group(sim, name).get("Members", []))


def assert_pin_hidden(ansible, *pins):
    for output in ansible.outputs:
        for pin in pins:
            assert pin not in output, "a PIN or password leaked into ansible's output"


NEW_USER = dict(number="150", first_name="Bob", last_name="Baker", email="bob.baker@example.com",
                enabled=True, groups=[{"name": "Sales"}], pin=PIN, web_password=WEB_PASSWORD)


# --- threecx_user: create, again, check mode, change, delete, delete again --------------------------------

def test_user_lifecycle(ansible, sim):
    task_results(ansible.playbook(user_task(**NEW_USER), args=["-vvv", "--diff"]))
    created = ansible.saved("user")
    posts = writes_to(sim, "POST", "/Users")
    assert len(sim.writes()) == 1 and len(posts) == 1, sim.writes()
    assert posts[0]["body"]["Groups"] == [{"GroupId": SALES_ID, "Rights": {"RoleName": "users"}}]
    # The simulator's log masks the PIN; the store shows what arrived.
    assert posts[0]["body"]["Number"] == "150" and "VMPIN" in posts[0]["body"]
    stored = stored_user(sim, "150")
    assert stored["VMPIN"] == PIN and stored["AccessPassword"] == WEB_PASSWORD
    assert group_ids_of(sim, "150") == [SALES_ID]
    assert created["changed"] is True
    assert created["user"]["Groups"][0]["Name"] == "Sales", "the result has its departments expanded"
    assert created["user"]["VMPIN"] == "********" and created["user"]["AccessPassword"] == "********"
    assert created["diff"]["before"] == {} and created["diff"]["after"]["VMPIN"] == "********"

    sim.clear_log()
    task_results(ansible.playbook(user_task(**NEW_USER)))
    assert ansible.saved("user")["changed"] is False
    assert sim.writes() == [], "the second identical run writes nothing"
    assert len(sim.log()) <= 3, [(entry["method"], entry["path"]) for entry in sim.log()]

    sim.clear_log()
    task_results(ansible.playbook(user_task(number="150", email="robert.baker@example.com"), args=["--check", "--diff"]))
    checked = ansible.saved("user")
    assert checked["changed"] is True and sim.writes() == [], "check mode sends no write"
    assert checked["diff"]["after"]["EmailAddress"] == "robert.baker@example.com"
    assert checked["user"]["EmailAddress"] == "bob.baker@example.com", "in check mode the user is as before"

    sim.clear_log()
    task_results(ansible.playbook(user_task(number="150", email="robert.baker@example.com", pin=PIN)))
    patches = writes_to(sim, "PATCH", "/Users(%d)" % stored["Id"])
    assert len(sim.writes()) == 1 and len(patches) == 1, sim.writes()
    assert patches[0]["body"] == {"EmailAddress": "robert.baker@example.com"}, "only what changed, no PIN"
    assert stored_user(sim, "150")["EmailAddress"] == "robert.baker@example.com"

    sim.clear_log()
    task_results(ansible.playbook(user_task(number="150", email="ROBERT.Baker@example.com")))
    assert ansible.saved("user")["changed"] is False and sim.writes() == [], "e-mail compares case-insensitively"

    task_results(ansible.playbook(user_task(number="150", state="absent"), args=["--diff"]))
    deleted = ansible.saved("user")
    assert deleted["changed"] is True and deleted["diff"]["after"] == {}
    assert [entry["method"] for entry in sim.writes()] == ["DELETE"]
    assert sim.writes()[0]["path"].endswith("/Users(%d)" % stored["Id"])
    assert stored_user(sim, "150") is None

    sim.clear_log()
    task_results(ansible.playbook(user_task(number="150", state="absent")))
    assert ansible.saved("user")["changed"] is False and sim.writes() == []
    assert_pin_hidden(ansible, PIN, WEB_PASSWORD)


def test_typed_fields_and_properties_in_one_patch(ansible, sim):
    task_results(ansible.playbook(user_task(
        number="105", first_name="Noah", mobile="+12025550199", outbound_caller_id="+12025550100", language="DE",
        enabled=False, require_2fa=True, properties={"RecordCalls": True})))
    patch, = sim.writes()
    assert patch["method"] == "PATCH"
    assert patch["body"] == {"Mobile": "+12025550199", "OutboundCallerID": "+12025550100", "Language": "DE",
                             "Enabled": False, "Require2FA": True, "RecordCalls": True}


# --- threecx_group ----------------------------------------------------------------------------------------

def test_group_lifecycle(ansible, sim):
    care = dict(name="Customer Care", language="EN", timezone_id="51",
                members=[{"number": "105"}, {"number": "106", "role": "managers"}])
    task_results(ansible.playbook(group_task(**care), args=["--diff"]))
    created = ansible.saved("group")
    post, = sim.writes()
    assert post["method"] == "POST" and post["path"].endswith("/Groups")
    assert post["body"] == {"Name": "Customer Care", "Language": "EN", "TimeZoneId": "51", "Members": [
        {"Number": "105", "Rights": {"RoleName": "users"}}, {"Number": "106", "Rights": {"RoleName": "managers"}}]}
    stored = stored_group(sim, "Customer Care")
    assert stored["Number"].startswith("GRP") and created["group"]["Number"] == stored["Number"]
    assert member_numbers(sim, "Customer Care") == ["105", "106"]
    assert sorted(member["Number"] for member in created["group"]["Members"]) == ["105", "106"]
    assert stored["Id"] in group_ids_of(sim, "105"), "the user sees the department among its Groups"

    sim.clear_log()
    task_results(ansible.playbook(group_task(**care)))
    assert ansible.saved("group")["changed"] is False and sim.writes() == []
    assert len(sim.log()) <= 3

    task_results(ansible.playbook(group_task(name="Customer Care", language="DE"), args=["--check"]))
    assert ansible.saved("group")["changed"] is True and sim.writes() == []

    task_results(ansible.playbook(group_task(name="Customer Care", language="DE")))
    patch, = sim.writes()
    assert patch["method"] == "PATCH" and patch["path"].endswith("/Groups(%d)" % stored["Id"])
    assert patch["body"] == {"Language": "DE"}

    sim.clear_log()
    task_results(ansible.playbook(group_task(name="Customer Care", state="absent")))
    delete, = sim.writes()
    assert delete["method"] == "DELETE" and stored_group(sim, "Customer Care") is None
    assert stored["Id"] not in group_ids_of(sim, "105")

    sim.clear_log()
    task_results(ansible.playbook(group_task(name="Customer Care", state="absent")))
    assert ansible.saved("group")["changed"] is False and sim.writes() == []


# --- one relation, two sides ------------------------------------------------------------------------------

def test_membership_merge_and_purge_from_the_user_side(ansible, sim):
    assert group_ids_of(sim, "105") == [1]
    task_results(ansible.playbook(user_task(number="105", groups=[{"name": "Sales", "role": "managers"}])))
    patch, = sim.writes()
    assert patch["body"] == {"Groups": [{"GroupId": 1, "Rights": {"RoleName": "users"}},
                                        {"GroupId": SALES_ID, "Rights": {"RoleName": "managers"}}]}, \
        "merged: the DEFAULT membership is kept as it was"
    assert "105" in member_numbers(sim, "Sales") and "105" in member_numbers(sim, "DEFAULT")

    sim.clear_log()
    task_results(ansible.playbook(user_task(number="105", groups=[{"name": "Sales"}], purge_groups=True)))
    patch, = sim.writes()
    assert patch["body"] == {"Groups": [{"GroupId": SALES_ID, "Rights": {"RoleName": "managers"}}]}, \
        "purged, and the listed membership keeps its role"
    assert "105" not in member_numbers(sim, "DEFAULT") and "105" in member_numbers(sim, "Sales")

    sim.clear_log()
    task_results(ansible.playbook(user_task(number="105", groups=[{"name": "Sales"}], purge_groups=True)))
    assert ansible.saved("user")["changed"] is False and sim.writes() == []


def test_membership_merge_and_purge_from_the_department_side(ansible, sim):
    before = member_numbers(sim, "Sales")
    assert "110" not in before and "103" in before
    task_results(ansible.playbook(group_task(name="Sales", members=[{"number": "110"}])))
    assert member_numbers(sim, "Sales") == sorted(before + ["110"]), "merged: the other members are kept"
    assert SALES_ID in group_ids_of(sim, "110"), "the user sees the department among its Groups"

    sim.clear_log()
    task_results(ansible.playbook(group_task(name="Sales", members=[{"number": "110", "role": "managers"}],
                                             purge_members=True)))
    patch, = sim.writes()
    assert patch["body"] == {"Members": [{"Number": "110", "Rights": {"RoleName": "managers"}}]}
    assert member_numbers(sim, "Sales") == ["110"]
    assert SALES_ID not in group_ids_of(sim, "103") and group_ids_of(sim, "103") == [5], \
        "103 left Sales and kept its other department"

    sim.clear_log()
    task_results(ansible.playbook(user_task(number="110", groups=[{"name": "Sales", "role": "managers"}])))
    assert ansible.saved("user")["changed"] is False and sim.writes() == [], "the user's side agrees"


# --- secrets -----------------------------------------------------------------------------------------------

def test_update_password_on_create_and_always(ansible, sim):
    old_pin = stored_user(sim, "100")["VMPIN"]
    task_results(ansible.playbook(user_task(number="100", pin=NEW_PIN), args=["-vvv", "--diff"]))
    assert ansible.saved("user")["changed"] is False and sim.writes() == [], "on_create: an existing PIN is left"
    assert stored_user(sim, "100")["VMPIN"] == old_pin

    task_results(ansible.playbook(user_task(number="100", pin=NEW_PIN, update_password="always"),
                                  args=["-vvv", "--diff"]))
    result = ansible.saved("user")
    patch, = sim.writes()
    assert list(patch["body"]) == ["VMPIN"]
    assert stored_user(sim, "100")["VMPIN"] == NEW_PIN
    assert result["changed"] is True and result["user"]["VMPIN"] == "********"
    assert result["diff"]["before"]["VMPIN"] == "********" and result["diff"]["after"]["VMPIN"] == "********"

    sim.clear_log()
    task_results(ansible.playbook(user_task(number="100", pin=NEW_PIN, update_password="always")))
    assert ansible.saved("user")["changed"] is False and sim.writes() == [], "the PBX already holds that PIN"
    assert_pin_hidden(ansible, NEW_PIN, old_pin)


def test_info_modules_mask_secrets_unless_asked(ansible, sim):
    pin = stored_user(sim, "100")["VMPIN"]
    process, result = ansible.adhoc("threecx_user_info", "number=100", extra=["-vvv"])
    assert process.returncode == 0, process.stdout + process.stderr
    user, = result["users"]
    assert user["Number"] == "100" and user["VMPIN"] == "********" and user["AccessPassword"] == "********"
    assert [group["Name"] for group in user["Groups"]] == ["DEFAULT"]
    assert pin not in process.stdout + process.stderr
    process, result = ansible.adhoc("threecx_user_info", "number=100 return_secrets=true")
    assert result["users"][0]["VMPIN"] == pin
    ansible.outputs.pop()  # that run was asked to show it


# --- bad input ---------------------------------------------------------------------------------------------

def test_bad_input_fails_before_any_request(ansible, sim):
    bad = [
        ("threecx_user", dict(number="100", properties={"NoSuchThing": 1}), ["properties", "NoSuchThing"]),
        ("threecx_user", dict(number="100", properties={"IsRegistered": True}), ["properties", "IsRegistered"]),
        ("threecx_user", dict(number="100", properties={"Number": "101"}), ["properties", "Number"]),
        ("threecx_user", dict(number="100", properties={"Id": 3}), ["properties", "Id"]),
        ("threecx_user", dict(number="100", properties={"VMPIN": "1"}), ["properties", "VMPIN", "pin"]),
        ("threecx_group", dict(name="Sales", properties={"Number": "GRP9"}), ["properties", "Number"]),
        ("threecx_group", dict(name="Sales", properties={"Members": []}), ["properties", "Members", "members"]),
    ]
    tasks = []
    for index, (module, args, _words) in enumerate(bad):
        tasks.append({"name": "bad %d" % index, "threecx.xapi." + module: args, "register": "r%d" % index,
                      "ignore_errors": True})
        tasks.append(yaml.safe_load(save("r%d" % index))[0])
    ansible.playbook(json.dumps(tasks))
    assert sim.log() == [], "no request, not even for a token"
    for index, (module, args, words) in enumerate(bad):
        result = ansible.saved("r%d" % index)
        assert result.get("failed") is True, (module, args)
        for word in words:
            assert word in result["msg"], (module, args, result["msg"])


def test_an_unknown_department_fails_before_any_write_naming_it(ansible, sim):
    process = ansible.playbook(user_task(number="150", first_name="Bob", groups=[
        {"name": "Sales"}, {"name": "Nowhere"}]))
    assert process.returncode != 0
    assert "Nowhere" in process.stdout and "groups" in process.stdout
    assert sim.writes() == []
    # Finding out that a department does not exist takes the one listing of the departments.
    assert [(entry["method"], entry["path"]) for entry in sim.log()] == [
        ("POST", "/connect/token"), ("GET", "/xapi/v1/Groups")]
    assert stored_user(sim, "150") is None


# --- a PBX that misbehaves ---------------------------------------------------------------------------------

def test_a_create_whose_answer_is_lost_makes_no_duplicate(ansible, sim):
    sim.fault(path="Users", method="POST", drop=True, apply_after=True)
    task_results(ansible.playbook(user_task(**NEW_USER)))
    assert ansible.saved("user")["changed"] is True
    assert ansible.saved("user")["user"]["Number"] == "150"
    assert len(writes_to(sim, "POST", "/Users")) == 1, "a create is never repeated"
    assert stored_user(sim, "150") is not None  # and only one: stored_user asserts it

    sim.clear_log()
    task_results(ansible.playbook(user_task(**NEW_USER)))
    assert ansible.saved("user")["changed"] is False and sim.writes() == []
    assert_pin_hidden(ansible, PIN, WEB_PASSWORD)


def test_a_change_the_pbx_ignores_fails_clearly(ansible, sim):
    sim.fault(path="Users(", method="PATCH", ignore=True)
    process = ansible.playbook(user_task(number="100", email="new.address@example.com"))
    assert process.returncode != 0
    assert "did not apply" in process.stdout and "EmailAddress" in process.stdout, process.stdout
    assert "Traceback" not in process.stdout + process.stderr
    assert len(sim.writes()) == 1
    assert stored_user(sim, "100")["EmailAddress"] != "new.address@example.com"


# --- info modules ------------------------------------------------------------------------------------------

def test_info_modules_find_one_list_many_and_nothing(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_user_info:
    number: "999"
  register: nobody
- threecx.xapi.threecx_user_info:
    filter: "Groups/any(g: g/Name eq 'Sales')"
    select: [Id, Number]
    count: true
  register: sales_users
- threecx.xapi.threecx_group_info:
    name: Sales
  register: sales
- threecx.xapi.threecx_group_info:
    name: Nowhere
  register: nowhere
- threecx.xapi.threecx_group_info:
    orderby: Name
    expand: []
  register: departments
""" + save("nobody") + save("sales_users") + save("sales") + save("nowhere") + save("departments")))
    assert ansible.saved("nobody")["users"] == [] and ansible.saved("nowhere")["groups"] == []
    sales, = ansible.saved("sales")["groups"]
    members = sorted(member["Number"] for member in sales["Members"])
    assert members == member_numbers(sim, "Sales")
    found = ansible.saved("sales_users")
    assert sorted(user["Number"] for user in found["users"]) == members and found["count"] == len(members)
    departments = ansible.saved("departments")["groups"]
    assert [group["Name"] for group in departments] == sorted(group["Name"] for group in sim.store("Groups"))
    assert all("Members" not in group for group in departments)
