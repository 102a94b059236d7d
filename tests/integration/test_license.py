# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_license and threecx_license_info, run by ansible-playbook and ansible against the simulator."""

from __future__ import annotations

import datetime
import re

import pytest

from conftest import CLIENT_ID, pbx_get, query_of, requests_to, task_results

EDIT = "Pbx.EditLicenseInfo"
LICENCE_TASK = """
- name: Set the licence contact
  threecx.xapi.threecx_license:
    email: Ops@Example.org
    contact_name: Ops Desk
  register: edit
- ansible.builtin.copy:
    content: "{{ edit | to_json }}"
    dest: "{{ out }}/edit.json"
    mode: "0644"
  # A test helper: it neither counts as a change nor is held back by --check.
  check_mode: false
  changed_when: false
"""


def recap_changed(stdout):
    return int(re.search(r"localhost\s*:.*changed=(\d+)", stdout).group(1))


def test_check_mode_then_apply_then_idempotent(ansible, sim):
    checked = task_results(ansible.playbook(LICENCE_TASK, args=["--check", "--diff"]))
    check_result = ansible.saved("edit")
    assert check_result["changed"] is True
    assert requests_to(sim, "POST", EDIT) == [], "check mode must not write"
    assert check_result["diff"]["after"]["Email"] == "Ops@Example.org"
    assert check_result["diff"]["before"]["Email"] != "Ops@Example.org"
    assert "+" in checked and "Ops@Example.org" in checked, "--diff must show the new value"

    applied = task_results(ansible.playbook(LICENCE_TASK, args=["--diff"]))
    result = ansible.saved("edit")
    assert recap_changed(applied) == 1
    assert result["license_status"]["EMail"] == "Ops@Example.org"
    posts = requests_to(sim, "POST", EDIT)
    assert len(posts) == 1
    body = posts[0]["body"]["licenseParams"]
    assert body["Email"] == "Ops@Example.org" and body["ContactName"] == "Ops Desk"
    # The fields the task did not mention are sent as they were, not blanked.
    assert body["CompanyName"] == check_result["diff"]["before"]["CompanyName"]
    assert body["Country"] == check_result["diff"]["before"]["Country"]

    sim.clear_log()
    again = task_results(ansible.playbook(LICENCE_TASK))
    assert recap_changed(again) == 0
    assert ansible.saved("edit")["changed"] is False
    assert requests_to(sim, "POST", EDIT) == [], "the second run writes nothing"
    assert len(requests_to(sim, "GET", "LicenseStatus")) == 1


def test_email_and_country_compare_case_insensitively(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_license_info:
  register: info
- name: Repeat the current e-mail in upper case and the country by its name
  threecx.xapi.threecx_license:
    email: "{{ info.license_status.EMail | upper }}"
    country: "{{ info.license_status.CountryName }}"
  register: edit
- ansible.builtin.assert:
    that: edit is not changed
"""))
    assert requests_to(sim, "POST", EDIT) == [], "nothing differs, so nothing is written"


def test_license_params_as_json_text(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_license:
    license_params: '{"Phone": "+4420700000", "CompanyName": "Json Ltd"}'
    company_name: Json Ltd
  register: edit
- ansible.builtin.assert:
    that:
      - edit is changed
      - edit.license_status.Telephone == '+4420700000'
      - edit.license_status.CompanyName == 'Json Ltd'
"""))
    assert len(requests_to(sim, "POST", EDIT)) == 1


def days_from_today(pbx_date, today):
    """Whole days from `today` to a date-time such as 2026-12-12T00:00:00Z: counted here, not by the module."""
    return (datetime.date.fromisoformat(pbx_date[:10]) - today).days


def test_license_info_summary_and_masked_key(ansible, sim):
    held = pbx_licence(sim)
    today = datetime.datetime.now(datetime.timezone.utc).date()
    process, result = ansible.adhoc("threecx_license_info")
    assert process.returncode == 0, process.stdout + process.stderr
    if datetime.datetime.now(datetime.timezone.utc).date() != today:
        today = None  # the run crossed midnight (UTC): the day counts may be either day's
    summary = result["license_summary"]
    assert set(summary) == {"expiration_date", "days_until_expiry", "expired", "maintenance_expires_at",
                            "maintenance_days_left", "maintenance_expired"}
    assert summary["expiration_date"] == held["ExpirationDate"]
    assert summary["maintenance_expires_at"] == held["MaintenanceExpiresAt"]
    if today:
        assert summary["days_until_expiry"] == days_from_today(held["ExpirationDate"], today)
        assert summary["maintenance_days_left"] == days_from_today(held["MaintenanceExpiresAt"], today)
    # The simulator's licence runs for 20 to 89 more days, its maintenance 10 to 89 (tests/simulator/README.md).
    assert 20 <= summary["days_until_expiry"] <= 89 and 10 <= summary["maintenance_days_left"] <= 89
    assert summary["expired"] is False and summary["maintenance_expired"] is False
    assert result["license_status"]["LicenseKey"] == "********" + held["LicenseKey"][-4:]
    assert result["changed"] is False
    assert len(requests_to(sim, "GET", "LicenseStatus")) == 1
    assert len(requests_to(sim, "POST", "/connect/token")) == 1


def test_license_info_select_and_return_secrets(ansible, sim):
    process, result = ansible.adhoc("threecx_license_info", "select=LicenseKey,ExpirationDate return_secrets=true")
    assert process.returncode == 0, process.stdout + process.stderr
    assert set(result["license_status"]) <= {"LicenseKey", "ExpirationDate", "@odata.context"}
    assert "*" not in result["license_status"]["LicenseKey"]
    assert query_of(requests_to(sim, "GET", "LicenseStatus")[0]) == {"$select": "LicenseKey,ExpirationDate"}


def test_credentials_from_environment(ansible, sim):
    process, result = ansible.adhoc("threecx_license_info", credentials_in_env=True)
    assert process.returncode == 0, process.stdout + process.stderr
    token_request = requests_to(sim, "POST", "/connect/token")[0]
    assert token_request["body"]["client_id"] == CLIENT_ID
    assert result["license_status"]["CompanyName"]


def pbx_licence(sim):
    """The licence as the simulator holds it, read straight from it, not through the collection."""
    return pbx_get(sim, "LicenseStatus")


def test_a_write_the_pbx_answers_204_but_ignores_is_a_failure(ansible, sim):
    before = pbx_licence(sim)
    # The PBX says 204 and changes nothing: the fault answers before the request is handled.
    sim.fault(path=EDIT, method="POST", status=204, body="empty")
    process, result = ansible.adhoc("threecx_license", "email=ignored@example.org")
    assert process.returncode != 0, "a write the PBX did not apply must not be reported as done"
    assert "did not apply" in result["msg"] and "Email" in result["msg"], result["msg"]
    assert [entry["status"] for entry in requests_to(sim, "POST", EDIT)] == [204], "sent once, never repeated"
    reads = requests_to(sim, "GET", "LicenseStatus")
    assert len(reads) == 2, "one read to compare, one to verify"
    assert pbx_licence(sim)["EMail"] == before["EMail"]


def test_fields_that_match_in_another_spelling_are_sent_as_the_pbx_holds_them(ansible, sim):
    before = pbx_licence(sim)
    assert before["CountryName"] and before["CountryName"] != before["CountryCode"]
    assert before["EMail"] != before["EMail"].upper()
    task_results(ansible.playbook("""
- name: A real change beside two fields that match in another spelling
  threecx.xapi.threecx_license:
    company_name: Spelling Ltd
    country: "%s"
    email: "%s"
""" % (before["CountryName"], before["EMail"].upper())))
    posts = requests_to(sim, "POST", EDIT)
    assert len(posts) == 1
    sent = posts[0]["body"]["licenseParams"]
    assert sent["CompanyName"] == "Spelling Ltd"
    # What matched is not rewritten: the PBX's own code and case go back, not the user's spelling.
    assert sent["Country"] == before["CountryCode"]
    assert sent["Email"] == before["EMail"]
    after = pbx_licence(sim)
    assert (after["CountryCode"], after["EMail"]) == (before["CountryCode"], before["EMail"])


def test_a_country_by_name_is_sent_as_its_code(ansible, sim):
    held = pbx_licence(sim)
    other = "Germany" if held["CountryCode"] != "DE" else "France"
    code = {"Germany": "DE", "France": "FR"}[other]
    process, result = ansible.adhoc("threecx_license", "country='%s'" % other.lower())
    assert process.returncode == 0, process.stdout + process.stderr
    assert result["changed"] is True
    posts = requests_to(sim, "POST", EDIT)
    assert [post["body"]["licenseParams"]["Country"] for post in posts] == [code]
    assert len(requests_to(sim, "GET", "Countries")) == 1, "the PBX's countries are read once"
    assert pbx_licence(sim)["CountryCode"] == code


@pytest.mark.parametrize("check_mode", [True, False], ids=["check-mode", "real-run"])
def test_a_country_the_pbx_does_not_know_fails_before_any_write(ansible, sim, check_mode):
    process, result = ansible.adhoc("threecx_license", "country=Germani", extra=["--check"] if check_mode else [])
    assert process.returncode != 0
    assert result["msg"].startswith("country: the PBX knows no country 'Germani'"), result["msg"]
    assert "did you mean Germany?" in result["msg"]
    assert "Traceback" not in process.stdout + process.stderr
    assert requests_to(sim, "POST", EDIT) == []
    assert requests_to(sim, "GET", "LicenseStatus") == [], "it fails before the licence is even read"
