# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_license and threecx_license_info, run by ansible-playbook and ansible against the simulator."""

from __future__ import annotations

import re

from conftest import CLIENT_ID, requests_to, task_results

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
  check_mode: false
  # Saving the result is bookkeeping: the play recap must count the licence task alone.
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


def test_license_info_summary_and_masked_key(ansible, sim):
    process, result = ansible.adhoc("threecx_license_info")
    assert process.returncode == 0, process.stdout + process.stderr
    summary = result["license_summary"]
    assert set(summary) == {"expiration_date", "days_until_expiry", "expired", "maintenance_expires_at",
                            "maintenance_days_left", "maintenance_expired"}
    assert isinstance(summary["days_until_expiry"], int)
    assert result["license_status"]["LicenseKey"].startswith("********")
    assert result["changed"] is False
    assert len(requests_to(sim, "GET", "LicenseStatus")) == 1
    assert len(requests_to(sim, "POST", "/connect/token")) == 1


def test_license_info_select_and_return_secrets(ansible, sim):
    process, result = ansible.adhoc("threecx_license_info", "select=LicenseKey,ExpirationDate return_secrets=true")
    assert process.returncode == 0, process.stdout + process.stderr
    assert set(result["license_status"]) <= {"LicenseKey", "ExpirationDate", "@odata.context"}
    assert "*" not in result["license_status"]["LicenseKey"]
    query = requests_to(sim, "GET", "LicenseStatus")[0]["query"]
    assert "$select=LicenseKey,ExpirationDate" in query


def test_credentials_from_environment(ansible, sim):
    process, result = ansible.adhoc("threecx_license_info", credentials_in_env=True)
    assert process.returncode == 0, process.stdout + process.stderr
    token_request = requests_to(sim, "POST", "/connect/token")[0]
    assert token_request["body"]["client_id"] == CLIENT_ID
    assert result["license_status"]["CompanyName"]
