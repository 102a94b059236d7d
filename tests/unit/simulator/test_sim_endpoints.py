# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated operations: licence, licence edit, SIP phones, failover scripts, phone registrar."""

from __future__ import annotations

import datetime
import re

import pytest

from harness import Simulator
from simulator_testlib import CLIENT_ID, CLIENT_SECRET, Client, odata_error

LICENCE_FIELDS = {"Activated", "ActiveModules", "AdminEMail", "CompanyName", "ContactName", "CountryCode", "CountryName",
                  "EMail", "ExpirationDate", "LicenseActive", "LicenseKey", "MaintenanceExpiresAt", "MaxSimCalls",
                  "ProductCode", "ResellerName", "SimMeetingParticipants", "Support", "Telephone", "Version"}
REGISTRAR_FIELDS = {"Capabilities", "FirmwareAvailable", "FirmwareVersion", "InterfaceLink", "IpAddress", "MAC", "Model",
                    "UserAgent", "Vendor"}
EDIT = "LicenseStatus/Pbx.EditLicenseInfo"
FULL_EDIT = {"CompanyName": "Edited Ltd", "ContactName": "Erin Editor", "Country": "de", "Email": "erin@example.org",
             "Phone": "+49 30 1234567"}


def days_ahead(text):
    moment = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return (moment - datetime.datetime.now(datetime.timezone.utc)).days


# ---------------------------------------------------------------- LicenseStatus


def test_licence_has_every_field_with_realistic_values(client):
    document = client.get("LicenseStatus").json()
    assert document["@odata.context"].endswith("/xapi/v1/$metadata#LicenseStatus")
    assert set(document) - {"@odata.context"} == LICENCE_FIELDS
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", document["LicenseKey"])
    assert 10 <= days_ahead(document["ExpirationDate"]) <= 100
    assert 5 <= days_ahead(document["MaintenanceExpiresAt"]) <= 100
    assert document["CountryCode"] == "GB" and document["CountryName"] == "United Kingdom"
    assert "@" in document["EMail"] and document["CompanyName"] and document["ContactName"]
    assert isinstance(document["MaxSimCalls"], int) and isinstance(document["ActiveModules"], list)


def test_licence_select(client):
    document = client.get("LicenseStatus", {"$select": "LicenseKey,ExpirationDate"}).json()
    assert set(document) == {"@odata.context", "LicenseKey", "ExpirationDate"}


@pytest.mark.parametrize("params, words", [
    ({"$select": "NoSuchField"}, "NoSuchField"),
    ({"$expand": "CompanyName"}, "navigation"),
    ({"$top": "1"}, "$top"),
    ({"$filter": "Support eq true"}, "$filter"),
])
def test_licence_rejects_what_a_single_entity_cannot_take(client, params, words):
    assert words in odata_error(client.get("LicenseStatus", params), 400)


def test_other_seeds_hold_other_licences(sim):
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=5, seed=1) as other:
        with Client(other) as other_client, Client(sim) as this_client:
            theirs, ours = other_client.get("LicenseStatus").json(), this_client.get("LicenseStatus").json()
    for field in ("CompanyName", "LicenseKey", "ExpirationDate", "CountryCode"):
        assert theirs[field] != ours[field], field


# ---------------------------------------------------------------- EditLicenseInfo


def test_edit_licence_maps_the_fields(client):
    answer = client.post(EDIT, json={"licenseParams": FULL_EDIT})
    assert answer.status_code == 204 and answer.content == b""
    document = client.get("LicenseStatus").json()
    assert document["CompanyName"] == "Edited Ltd" and document["ContactName"] == "Erin Editor"
    assert document["CountryCode"] == "DE" and document["CountryName"] == "Germany"
    assert document["EMail"] == "erin@example.org" and document["Telephone"] == "+49 30 1234567"


def test_edit_licence_replaces_the_whole_contact_block(client):
    """Fields left out are cleared: clients must send every field (the careful reading of the action)."""
    assert client.post(EDIT, json={"licenseParams": {"CompanyName": "Only Ltd"}}).status_code == 204
    document = client.get("LicenseStatus").json()
    assert document["CompanyName"] == "Only Ltd"
    assert document["EMail"] is None and document["CountryCode"] is None and document["CountryName"] is None


def test_reset_restores_the_licence(sim, client):
    before = client.get("LicenseStatus").json()
    client.post(EDIT, json={"licenseParams": FULL_EDIT})
    sim.reset()
    client.renew()
    assert client.get("LicenseStatus").json() == before


@pytest.mark.parametrize("body, target", [
    ({"licenseParams": dict(FULL_EDIT, Country="XX")}, "Country"),
    ({"licenseParams": {"CompanyName": 5}}, "CompanyName"),
    ({"licenseParams": {"Email": ["a@example.org"]}}, "Email"),
    ({"licenseParams": {"Fax": "1"}}, "Fax"),
    ({"licenseParams": dict(FULL_EDIT), "extra": 1}, "extra"),
    ({}, "licenseParams"),
    ({"licenseParams": None}, "licenseParams"),
    ({"licenseParams": "CompanyName=x"}, "licenseParams"),
    ([FULL_EDIT], None),
], ids=["unknown-country", "number", "list", "undeclared-param", "undeclared-top", "missing", "null", "string", "array"])
def test_edit_licence_refuses_bad_bodies(client, body, target):
    answer = client.post(EDIT, json=body)
    odata_error(answer, 400)
    if target:
        assert answer.json()["error"]["details"][0]["target"] == target
    assert client.get("LicenseStatus").json()["CompanyName"] == "Acme Widgets Ltd", "nothing changed"


def test_edit_licence_refuses_invalid_json(client):
    answer = client.post(EDIT, data=b'{"licenseParams": {', headers={"Content-Type": "application/json"})
    assert "not valid JSON" in odata_error(answer, 400)


def test_edit_licence_is_post_only(client):
    answer = client.request("PATCH", EDIT, json={"licenseParams": FULL_EDIT})
    odata_error(answer, 405)
    assert answer.headers["Allow"] == "POST"


# ---------------------------------------------------------------- SipDevices


def test_devices_without_expand_leave_navigation_out(client):
    document = client.get("SipDevices").json()
    assert document["@odata.context"].endswith("$metadata#SipDevices")
    assert "@odata.count" not in document
    devices = document["value"]
    assert len(devices) == 50
    assert [device["Id"] for device in devices] == list(range(1, 51))
    for device in devices:
        assert set(device) == {"Id", "PhoneWebPassword", "ProvLink", "Registrar"}
        assert set(device["Registrar"]) == REGISTRAR_FIELDS
        assert re.fullmatch(r"[0-9a-f]{12}", device["Registrar"]["MAC"])
        assert device["PhoneWebPassword"] and device["ProvLink"].startswith("https://")


def test_devices_mix_vendors_registrations_and_firmware(client):
    devices = client.value("SipDevices")
    vendors = {device["Registrar"]["Vendor"] for device in devices}
    assert {"Yealink", "Fanvil", "Snom", "Grandstream"} >= vendors and "Yealink" in vendors and len(vendors) >= 3
    assert {"T46U"} <= {device["Registrar"]["Model"] for device in devices}
    unregistered = [device for device in devices if device["Registrar"]["IpAddress"] is None]
    assert unregistered and all(device["Registrar"]["UserAgent"] is None for device in unregistered)
    updatable = [device for device in devices if device["Registrar"]["FirmwareAvailable"]]
    assert updatable and len(updatable) < len(devices)
    assert len({device["Registrar"]["MAC"] for device in devices}) == len(devices)


def test_devices_expand_dn(client):
    devices = client.value("SipDevices", {"$expand": "DN", "$top": 5})
    for device in devices:
        assert set(device["DN"]) == {"Hidden", "Id", "Name", "Number", "Tags", "Type"}, "MemberOf is navigation"
        assert device["DN"]["Type"] == "Extension" and device["DN"]["Number"].isdigit()


def test_devices_count_follows_devices_flag():
    with Simulator(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, devices=7) as small:
        with Client(small) as api:
            assert len(api.value("SipDevices")) == 7


def test_expanding_a_complex_property_is_refused(client):
    assert "not a navigation property" in odata_error(client.get("SipDevices", {"$expand": "Registrar"}), 400)


# ---------------------------------------------------------------- GetFailoverScripts


def test_failover_scripts(client):
    document = client.get("Backups/Pbx.GetFailoverScripts()", {"$count": "true"}).json()
    names = [script["Filename"] for script in document["value"]]
    assert document["@odata.count"] == len(names) >= 5
    assert any(" " in name for name in names)
    assert all(set(script) == {"Filename"} for script in document["value"])


def test_failover_scripts_search_filter_and_paging(client):
    names = [script["Filename"] for script in client.value("Backups/Pbx.GetFailoverScripts()")]
    spaced = next(name for name in names if " " in name)
    phrase = " ".join(spaced.split(" ")[:2])
    found = client.value("Backups/Pbx.GetFailoverScripts()", {"$search": '"%s"' % phrase.upper()})
    assert spaced in [script["Filename"] for script in found]
    exact = client.value("Backups/Pbx.GetFailoverScripts()", {"$filter": "Filename eq '%s'" % spaced.replace("'", "''")})
    assert [script["Filename"] for script in exact] == [spaced]
    page = client.get("Backups/Pbx.GetFailoverScripts()", {"$top": 2, "$skip": 1, "$count": "true"}).json()
    assert [script["Filename"] for script in page["value"]] == names[1:3]
    assert page["@odata.count"] == len(names)


def test_failover_scripts_without_parentheses_is_not_the_function(sim):
    with Client(sim) as api:
        answer = api.get("Backups/Pbx.GetFailoverScripts")
    assert answer.status_code == 501, "not simulated without --spec; with it, a 404"


# ---------------------------------------------------------------- GetPhoneRegistrar


def registrar(client, literal):
    return client.get("Users/Pbx.GetPhoneRegistrar(mac=%s)" % literal)


def test_phone_registrar_for_the_docs_mac(client):
    answer = registrar(client, "'805ec0123456'")
    assert answer.status_code == 200
    document = answer.json()
    assert set(document) - {"@odata.context"} == REGISTRAR_FIELDS
    assert document["MAC"] == "805ec0123456" and document["Vendor"] == "Yealink" and document["Model"] == "T46U"


def test_phone_registrar_decodes_the_url_first(client):
    assert registrar(client, "%27805EC0123456%27").json()["MAC"] == "805ec0123456"


def test_phone_registrar_of_every_device(client):
    for device in client.value("SipDevices", {"$top": 10, "$skip": 5}):
        assert registrar(client, "'%s'" % device["Registrar"]["MAC"]).json() == dict(
            device["Registrar"], **{"@odata.context": client.sim.base_url + "/xapi/v1/$metadata#Pbx.PhoneRegistrar"})


@pytest.mark.parametrize("literal", ["'00005e0053ff'", "'805ec0123456''x'", "''"])
def test_unknown_mac_is_404(client, literal):
    assert "MAC" in odata_error(registrar(client, literal), 404)


@pytest.mark.parametrize("literal", ["805ec0123456", "'805ec0123456", "'a'b'"])
def test_unquoted_or_badly_quoted_mac_is_404(client, literal):
    assert "mac=" in odata_error(registrar(client, literal), 404)


def test_other_operations_are_501_without_spec(client):
    assert "not simulated" in odata_error(client.get("ActiveCalls"), 501)
