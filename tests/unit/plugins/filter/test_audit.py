# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit role's filters, on hand-written devices and results whose expected reports are written out."""

from __future__ import annotations

from ansible_collections.threecx.xapi.plugins.filter.audit import FilterModule, audit_phones, audit_report

REGISTERED_UP_TO_DATE = {
    "Id": 1,
    "DN": {"Number": "100", "Name": "Ann Lee"},
    "Registrar": {"MAC": "805ec0000001", "Vendor": "Yealink", "Model": "T46U", "FirmwareVersion": "108.86.0.1",
                  "FirmwareAvailable": "108.86.0.1", "IpAddress": "10.0.0.5", "UserAgent": "Yealink SIP-T46U"},
}
REGISTERED_WAITING = {
    "Id": 2,
    "DN": {"Number": "101", "Name": "Bo Ek"},
    "Registrar": {"MAC": "805ec0000002", "Vendor": " Yealink ", "Model": "T46U", "FirmwareVersion": "108.86.0.1",
                  "FirmwareAvailable": "108.86.0.9", "IpAddress": "10.0.0.6"},
}
# No registrar at all, and a DN of null: counted as unknown, not registered, no firmware waiting.
BARE = {"Id": 3, "DN": None, "Registrar": None}
# An empty FirmwareAvailable is no update; a blank address is no registration.
SNOM_OFFLINE = {
    "Id": 4,
    "DN": {"Number": "102"},
    "Registrar": {"Vendor": "Snom", "Model": "", "FirmwareVersion": "10.1", "FirmwareAvailable": "", "IpAddress": "  "},
}


def test_phone_records():
    phones = audit_phones([REGISTERED_UP_TO_DATE, REGISTERED_WAITING, BARE, SNOM_OFFLINE])["phones"]
    assert phones[0] == {
        "id": 1, "mac": "805ec0000001", "vendor": "Yealink", "model": "T46U", "extension": "100",
        "extension_name": "Ann Lee", "firmware_version": "108.86.0.1", "firmware_available": "108.86.0.1",
        "firmware_update": False, "ip_address": "10.0.0.5", "user_agent": "Yealink SIP-T46U", "registered": True,
    }
    assert (phones[1]["vendor"], phones[1]["firmware_update"], phones[1]["registered"]) == ("Yealink", True, True)
    assert phones[2] == {
        "id": 3, "mac": None, "vendor": "unknown", "model": "unknown", "extension": None, "extension_name": None,
        "firmware_version": None, "firmware_available": None, "firmware_update": False, "ip_address": None,
        "user_agent": None, "registered": False,
    }
    assert (phones[3]["model"], phones[3]["firmware_update"], phones[3]["registered"]) == ("unknown", False, False)


def test_counts_by_vendor_and_model():
    counted = audit_phones([REGISTERED_UP_TO_DATE, REGISTERED_WAITING, BARE, SNOM_OFFLINE])
    assert counted["by_vendor"] == {"Yealink": 2, "unknown": 1, "Snom": 1}
    assert counted["by_model"] == {"Yealink T46U": 2, "unknown": 1, "Snom unknown": 1}


def test_no_devices():
    assert audit_phones(None) == {"phones": [], "by_vendor": {}, "by_model": {}}


LICENCE = {
    "license_status": {"LicenseKey": "********ABCD", "ProductCode": "3CXPSPROF"},
    "license_summary": {"expiration_date": "2027-01-10T00:00:00Z", "days_until_expiry": 40, "expired": False,
                        "maintenance_expires_at": "2026-12-20T00:00:00Z", "maintenance_days_left": 19,
                        "maintenance_expired": False},
}


def test_full_report():
    phones = audit_phones([REGISTERED_UP_TO_DATE, REGISTERED_WAITING, SNOM_OFFLINE])
    report = audit_report("pbx1", license_result=LICENCE, phones=phones,
                          failover_result={"failover_scripts": [{"Filename": "a.sh"}, {}]},
                          base_url="https://pbx1:5001", warning_days="30", generated_at="2026-12-01T00:00:00Z")
    assert report["summary"] == {
        "license_expiration_date": "2027-01-10T00:00:00Z", "license_days_left": 40, "license_state": "ok",
        "maintenance_expires_at": "2026-12-20T00:00:00Z", "maintenance_days_left": 19,
        "maintenance_state": "warning", "devices": 3, "firmware_updates": 1, "unregistered_phones": 1,
        "failover_scripts": 2,
    }
    assert report["license"] == {"status": LICENCE["license_status"], "summary": LICENCE["license_summary"]}
    assert report["devices"] == {"total": 3, "by_vendor": {"Yealink": 2, "Snom": 1},
                                 "by_model": {"Yealink T46U": 2, "Snom unknown": 1}}
    assert [phone["id"] for phone in report["firmware_updates"]] == [2]
    assert [phone["id"] for phone in report["unregistered_phones"]] == [4]
    assert report["failover_scripts"] == ["a.sh", ""]
    assert (report["schema_version"], report["pbx"], report["base_url"], report["status"], report["error"],
            report["expiry_warning_days"], report["generated_at"]) == (
        1, "pbx1", "https://pbx1:5001", "ok", None, 30, "2026-12-01T00:00:00Z")


def test_expiry_states():
    def states(days, expired, maintenance_days, maintenance_expired):
        summary = dict(LICENCE["license_summary"], days_until_expiry=days, expired=expired,
                       maintenance_days_left=maintenance_days, maintenance_expired=maintenance_expired)
        report = audit_report("pbx", license_result=dict(LICENCE, license_summary=summary), warning_days=10)
        return report["summary"]["license_state"], report["summary"]["maintenance_state"]

    assert states(-1, True, None, False) == ("expired", "no_date")
    assert states(10, False, 11, False) == ("warning", "ok")
    assert states(0, False, -5, True) == ("warning", "expired")


def test_failed_audit_leaves_unread_parts_null():
    error = {"task": "List the SIP devices with their extensions", "message": "HTTP 403"}
    report = audit_report("pbx2", license_result=LICENCE, error=error)
    assert report["status"] == "failed" and report["error"] == error
    assert report["summary"]["license_state"] == "ok"
    for key in ("devices", "firmware_updates", "unregistered_phones", "failover_scripts"):
        assert report[key] is None and report["summary"][key] is None
    # A licence read that failed is a result without license_summary.
    failed = audit_report("pbx3", license_result={"failed": True, "msg": "HTTP 401"}, error=error)
    assert failed["license"] is None and failed["summary"]["license_state"] is None


def test_filters_are_registered():
    assert set(FilterModule().filters()) == {"audit_phones", "audit_report"}
