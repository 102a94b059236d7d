# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit role's filters, on hand-written devices and results whose expected reports are written out."""

from __future__ import annotations

from ansible_collections.threecx.xapi.plugins.filter.audit import (FilterModule, audit_charts, audit_drift, audit_phones,
                                                                   audit_report)

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
        "failover_scripts": 2, "version": None, "disk_usage_percent": None, "disk_state": None,
        "services_not_running": None, "last_backup_age_days": None, "backup_state": None,
    }
    assert report["system"] is None
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
    assert set(FilterModule().filters()) == {"audit_phones", "audit_report", "audit_charts", "audit_drift"}


def status_result(disk=40, age=1, stopped=()):
    return {"summary": {"version": "20.0.10.150", "disk_usage_percent": disk, "last_backup_age_days": age,
                        "services_not_running": list(stopped)}, "health": {"Firewall": True}}


def test_system_status_states():
    def summary(**options):
        return audit_report("pbx", status_result=status_result(**options), backup_warning_days=2,
                            disk_warning_percent=85)["summary"]

    ok = summary()
    assert (ok["version"], ok["disk_state"], ok["backup_state"], ok["services_not_running"]) == (
        "20.0.10.150", "ok", "ok", 0)
    assert summary(disk=85)["disk_state"] == "warning" and summary(disk=84)["disk_state"] == "ok"
    assert summary(age=3)["backup_state"] == "warning" and summary(age=2)["backup_state"] == "ok"
    assert summary(age=None)["backup_state"] == "warning", "no backup at all is flagged"
    assert summary(stopped=["3CXIVR01"])["services_not_running"] == 1
    report = audit_report("pbx", status_result=status_result(stopped=["a"]))
    assert report["system"]["services_not_running"] == ["a"] and report["system"]["health"] == {"Firewall": True}


def test_charts_measure_bars_and_the_time_line():
    phones = audit_phones([REGISTERED_UP_TO_DATE, REGISTERED_WAITING, SNOM_OFFLINE])
    big = audit_report("big", license_result=LICENCE, phones=phones, warning_days=30)
    small_licence = dict(LICENCE, license_summary=dict(LICENCE["license_summary"], days_until_expiry=-20,
                                                       maintenance_days_left=None))
    small = audit_report("small", license_result=small_licence, phones=audit_phones([BARE]), warning_days=30)
    failed = audit_report("failed", error={"task": "x", "message": "y"})
    charts = audit_charts([big, small, failed])
    assert charts["registration"] == [
        {"pbx": "big", "registered": 2, "unregistered": 1, "registered_width": 213.3, "unregistered_width": 106.7},
        {"pbx": "small", "registered": 0, "unregistered": 1, "registered_width": 0, "unregistered_width": 106.7}]
    assert charts["models"] == [{"label": "Yealink T46U", "count": 2, "width": 320.0},
                                {"label": "Snom unknown", "count": 1, "width": 160.0},
                                {"label": "unknown", "count": 1, "width": 160.0}]
    line = charts["timeline"]
    assert (line["first_day"], line["last_day"], line["warning_days"]) == (-20, 40, 30)
    assert line["today_x"] == round(560 * 20 / 60, 1) and line["warning_x"] == round(560 * 50 / 60, 1)
    assert [row["pbx"] for row in line["rows"]] == ["big", "small"]
    assert line["rows"][0]["license_x"] == 560.0 and line["rows"][1]["license_x"] == 0.0
    assert line["rows"][1]["maintenance_x"] is None


def test_charts_of_nothing():
    assert audit_charts([]) == {"registration": [], "models": [], "timeline": {
        "width": 560, "first_day": 0, "last_day": 1, "today_x": 0.0, "warning_x": 0.0, "warning_days": 0, "rows": []}}


# threecx_config's check-mode changes, as the module returns them (secrets already masked by it).
# A create's null is a property it does not set, and a delete's one the item did not have.
CREATE = {"section": "groups", "key": "Support", "action": "create", "before": {},
          "after": {"Name": "Support", "Language": "EN", "TimeZoneId": None}}
UPDATE = {"section": "users", "key": "100", "action": "update",
          "before": {"Number": "100", "EmailAddress": "amelia@example.com", "Mobile": "", "VMPIN": "********"},
          "after": {"Number": "100", "EmailAddress": "amelia.jones@example.com", "Mobile": None, "VMPIN": "********"}}
DELETE = {"section": "holidays", "key": "Boxing Day", "action": "delete",
          "before": {"Name": "Boxing Day", "Day": 26, "Year": None}, "after": {}}
DOCUMENT = "/srv/pbx-config/pbx1.yml"


def test_drift_lists_each_change_with_the_properties_that_differ():
    drift = audit_drift({"changed": False, "changes": [CREATE, UPDATE, DELETE]}, document=DOCUMENT, purge=True)
    assert (drift["state"], drift["label"], drift["document"], drift["purge"], drift["error"]) == (
        "drift", "3 changes", DOCUMENT, True, None)
    assert [{key: change[key] for key in ("section", "key", "action", "before", "after")}
            for change in drift["changes"]] == [CREATE, UPDATE, DELETE], "the module's entries, unchanged"
    create, update, delete = (change["fields"] for change in drift["changes"])
    assert create == [{"name": "Name", "before": None, "after": '"Support"'},
                      {"name": "Language", "before": None, "after": '"EN"'}]
    # Only what differs, as JSON text: "" and null are told apart; a masked secret stays masked.
    assert update == [{"name": "EmailAddress", "before": '"amelia@example.com"', "after": '"amelia.jones@example.com"'},
                      {"name": "Mobile", "before": '""', "after": "null"}]
    assert delete == [{"name": "Name", "before": '"Boxing Day"', "after": None},
                      {"name": "Day", "before": "26", "after": None}]


def test_drift_of_one_change_and_of_a_property_on_one_side_only():
    change = {"section": "users", "key": "101", "action": "update", "before": {"Tags": ["a"]},
              "after": {"Tags": ["a"], "Mobile": "+1 202 555 0100", "Fax": None}}
    drift = audit_drift({"changes": [change]})
    assert drift["label"] == "1 change"
    assert drift["changes"][0]["fields"] == [{"name": "Mobile", "before": None, "after": '"+1 202 555 0100"'}]


def test_drift_states_other_than_drift():
    in_sync = audit_drift({"changed": False, "changes": []}, document=DOCUMENT)
    assert (in_sync["state"], in_sync["label"], in_sync["changes"], in_sync["error"]) == ("in_sync", "in sync", [], None)
    # The check-mode task was skipped: its registered result has no changes.
    missing = audit_drift({"skipped": True, "changed": False}, document=DOCUMENT, found=False)
    assert (missing["state"], missing["label"], missing["changes"]) == ("no_document", "no document", None)
    error = {"task": "Apply the PBX's document in check mode", "message": "config: 1 problem: ..."}
    failed = audit_drift({"failed": True, "changes": [UPDATE]}, document=DOCUMENT, error=error)
    assert (failed["state"], failed["label"], failed["changes"], failed["error"]) == ("failed", "failed", None, error)
    # After a failed read the document is not compared, whether or not it exists.
    for found in (True, False):
        skipped = audit_drift({}, document=DOCUMENT, found=found, audit_failed=True)
        assert (skipped["state"], skipped["label"], skipped["changes"], skipped["error"]) == (
            "not_checked", "not checked", None, None)
    assert audit_drift(None, found="no")["state"] == "no_document", "Ansible's booleans are understood"
    assert audit_drift(None, purge="yes")["purge"] is True


def test_report_holds_the_drift_and_none_without_it():
    drift = audit_drift({"changes": [UPDATE]}, document=DOCUMENT)
    assert audit_report("pbx1", drift=drift)["drift"] is drift
    assert audit_report("pbx1")["drift"] is None
