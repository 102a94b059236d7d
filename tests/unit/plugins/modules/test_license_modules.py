# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_license and threecx_license_info run in-process against the simulator: what they send, and what they say."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError
from ansible_collections.threecx.xapi.plugins.modules import threecx_license, threecx_license_info
from module_runner import MASK, api_requests, held, logged, query_of, run_module

EDIT = "Pbx.EditLicenseInfo"
FIELDS = {"CompanyName": "CompanyName", "ContactName": "ContactName", "Country": "CountryCode", "Email": "EMail",
          "Phone": "Telephone"}


def as_edit_params(licence):
    """The five EditLicenseInfo fields as a licence holds them, by the spec's names (see the simulator's README)."""
    return {param: licence[prop] for param, prop in FIELDS.items()}


def test_check_mode_reports_the_change_with_a_diff_and_sends_nothing(pbx, capsys):
    before = held(pbx, "LicenseStatus")
    result = run_module(threecx_license, pbx, capsys, check_mode=True, diff=True, email="ops@example.org")
    assert result["changed"] is True
    assert result["diff"] == {"before": as_edit_params(before),
                              "after": dict(as_edit_params(before), Email="ops@example.org")}
    assert logged(pbx, "POST", EDIT) == []
    assert held(pbx, "LicenseStatus") == before


def test_a_change_sends_every_field_as_held_and_the_new_ones_as_asked(pbx, capsys):
    before = held(pbx, "LicenseStatus")
    result = run_module(threecx_license, pbx, capsys, company_name="New Name Ltd", phone="+441234567",
                        country=before["CountryName"].upper(), email=before["EMail"].upper())
    assert result["changed"] is True and "diff" not in result
    posts = logged(pbx, "POST", EDIT)
    assert [entry["body"] for entry in posts] == [{"licenseParams": dict(
        as_edit_params(before), CompanyName="New Name Ltd", Phone="+441234567")}]
    assert [(entry["method"], entry["path"].split("?")[0]) for entry in api_requests(pbx)] == [
        ("GET", "/xapi/v1/Countries"), ("GET", "/xapi/v1/LicenseStatus"), ("POST", "/xapi/v1/LicenseStatus/" + EDIT),
        ("GET", "/xapi/v1/LicenseStatus")], "the countries, read, write, re-read"
    assert result["license_status"]["CompanyName"] == "New Name Ltd"
    assert result["license_status"]["LicenseKey"] == MASK + before["LicenseKey"][-4:]


def test_nothing_differs_so_nothing_is_sent(pbx, capsys):
    before = held(pbx, "LicenseStatus")
    result = run_module(threecx_license, pbx, capsys, diff=True, license_params={"Country": before["CountryCode"].lower()},
                        contact_name=before["ContactName"])
    assert result["changed"] is False
    assert result["license_status"] == dict(before, LicenseKey=MASK + before["LicenseKey"][-4:])
    assert result["diff"]["before"] == result["diff"]["after"] == as_edit_params(before)
    assert [entry["path"].split("?")[0] for entry in api_requests(pbx)] == ["/xapi/v1/Countries", "/xapi/v1/LicenseStatus"]


def test_license_params_as_json_text_and_options_agreeing(pbx, capsys):
    result = run_module(threecx_license, pbx, capsys, license_params='{"Phone": "+4420700000", "CompanyName": "Json Ltd"}',
                        company_name="Json Ltd")
    assert result["changed"] is True
    sent = logged(pbx, "POST", EDIT)[0]["body"]["licenseParams"]
    assert (sent["Phone"], sent["CompanyName"]) == ("+4420700000", "Json Ltd")


def test_a_write_answered_204_but_ignored_fails_naming_the_fields(pbx, capsys):
    before = held(pbx, "LicenseStatus")
    pbx.fault(path=EDIT, method="POST", status=204, body="empty")
    result = run_module(threecx_license, pbx, capsys, email="ignored@example.org", phone=before["Telephone"])
    assert result["failed"] is True
    assert result["msg"] == ('the PBX accepted EditLicenseInfo but did not apply Email; it still holds '
                             '{"Email": "%s"}' % before["EMail"])
    assert len(logged(pbx, "POST", EDIT)) == 1


def test_a_503_before_the_write_is_retried_once(pbx, capsys):
    pbx.fault(path=EDIT, method="POST", status=503, times=1)
    result = run_module(threecx_license, pbx, capsys, contact_name="Retry Desk")
    assert result["changed"] is True and result["license_status"]["ContactName"] == "Retry Desk"
    assert [entry["status"] for entry in logged(pbx, "POST", EDIT)] == [503, 204]


def test_a_pbx_error_on_the_write_fails_with_its_status(pbx, capsys):
    pbx.fault(path=EDIT, method="POST", status=500, times=1)
    result = run_module(threecx_license, pbx, capsys, contact_name="Broken Desk")
    assert result["failed"] is True
    assert result["status"] == 500 and result["method"] == "POST" and "HTTP 500" in result["msg"]
    assert result["url"].endswith("/xapi/v1/LicenseStatus/Pbx.EditLicenseInfo")


@pytest.mark.parametrize("args, message", [
    ({}, "nothing to set: give at least one of company_name, contact_name, country, email, phone, or license_params"),
    ({"license_params": "{not json"}, "license_params is not valid JSON: "),
    ({"license_params": "[1, 2]"}, "license_params must be a JSON object (a dictionary), not list"),
    ({"license_params": {"LicenseKey": "x"}},
     "license_params has an unknown key 'LicenseKey'; the keys are CompanyName, ContactName, Country, Email, Phone"),
    ({"license_params": {"Phone": 123}}, "license_params.Phone must be a string, not int"),
    ({"license_params": {"Email": "a@example.org"}, "email": "b@example.org"},
     "email='b@example.org' contradicts license_params.Email='a@example.org'; set it in one place"),
])
def test_bad_input_fails_naming_the_option_before_any_request(pbx, capsys, args, message):
    result = run_module(threecx_license, pbx, capsys, **args)
    assert result["failed"] is True
    assert result["msg"].startswith(message), result["msg"]
    assert api_requests(pbx) == []


def test_license_info_counts_days_and_masks_the_key(pbx, capsys):
    before = held(pbx, "LicenseStatus")
    today = datetime.datetime.now(datetime.timezone.utc).date()
    result = run_module(threecx_license_info, pbx, capsys)
    expiry = datetime.date.fromisoformat(before["ExpirationDate"][:10])
    maintenance = datetime.date.fromisoformat(before["MaintenanceExpiresAt"][:10])
    assert result["license_summary"] == {
        "expiration_date": before["ExpirationDate"], "days_until_expiry": (expiry - today).days, "expired": False,
        "maintenance_expires_at": before["MaintenanceExpiresAt"], "maintenance_days_left": (maintenance - today).days,
        "maintenance_expired": False}
    assert result["changed"] is False
    assert result["license_status"] == dict(before, LicenseKey=MASK + before["LicenseKey"][-4:])


def test_license_info_select_and_return_secrets(pbx, capsys):
    before = held(pbx, "LicenseStatus")
    result = run_module(threecx_license_info, pbx, capsys, select=["LicenseKey", "CompanyName"], return_secrets=True)
    assert result["license_status"]["LicenseKey"] == before["LicenseKey"]
    assert [query_of(entry) for entry in api_requests(pbx)] == [{"$select": "LicenseKey,CompanyName"}]


def test_license_info_runs_in_check_mode(pbx, capsys):
    result = run_module(threecx_license_info, pbx, capsys, check_mode=True)
    assert result["changed"] is False and not result.get("failed") and not result.get("skipped"), result


def test_license_info_passes_expand_on(pbx, capsys):
    # LicenseStatus has no navigation property, so the PBX refuses any $expand: the option did reach it.
    result = run_module(threecx_license_info, pbx, capsys, expand=["Nothing"])
    assert result["failed"] is True and result["status"] == 400
    assert [query_of(entry) for entry in api_requests(pbx)] == [{"$expand": "Nothing"}]


def test_a_misspelt_country_fails_with_the_close_name_and_sends_nothing(pbx, capsys):
    result = run_module(threecx_license, pbx, capsys, country="Untied Kingdom")
    assert result["failed"] is True
    assert result["msg"] == ("country: the PBX knows no country 'Untied Kingdom': give its two-letter code (such as GB) "
                             "or its name as the PBX lists it (such as United Kingdom); did you mean United Kingdom?")
    (listing,) = api_requests(pbx)
    assert listing["path"] == "/xapi/v1/Countries" and query_of(listing)["$select"] == "CountryCode,Name"


def test_a_country_nothing_resembles_fails_without_a_guess(pbx, capsys):
    result = run_module(threecx_license, pbx, capsys, country="Atlantis")
    assert result["failed"] is True and result["msg"].endswith("or its name as the PBX lists it (such as United Kingdom)")
    assert [entry["method"] for entry in api_requests(pbx)] == ["GET"]


NO_OPTIONS = dict.fromkeys(("company_name", "contact_name", "country", "email", "phone", "license_params"))


@pytest.mark.parametrize("args, message, option", [
    ({}, "nothing to set: give at least one of company_name, contact_name, country, email, phone, or license_params",
     None),
    ({"license_params": "{not json"},
     "license_params is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
     "license_params"),
    ({"license_params": "[1, 2]"}, "license_params must be a JSON object (a dictionary), not list", "license_params"),
    ({"license_params": {"LicenseKey": "x"}},
     "license_params has an unknown key 'LicenseKey'; the keys are CompanyName, ContactName, Country, Email, Phone",
     "license_params"),
    ({"license_params": {"Phone": 123}}, "license_params.Phone must be a string, not int", "license_params"),
    ({"license_params": {"Email": "a@example.org"}, "email": "b@example.org"},
     "email='b@example.org' contradicts license_params.Email='a@example.org'; set it in one place", "email"),
])
def test_bad_input_is_refused_whole_naming_the_option(args, message, option):
    with pytest.raises(InputError) as caught:
        threecx_license.requested_options(dict(NO_OPTIONS, **args))
    assert (str(caught.value), caught.value.option) == (message, option)


def test_license_params_fill_in_the_options_not_given():
    given = '{"Phone": "+4420", "Country": "GB"}'
    requested = threecx_license.requested_options(dict(NO_OPTIONS, phone="+4420", license_params=given))
    assert requested == dict(NO_OPTIONS, phone="+4420", country="GB", license_params=given)
