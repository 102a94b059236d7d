# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit role's logic: classify a PBX's phones and assemble its report.

The role's templates only render what these filters return, so the rules live in Python, with unit
tests, instead of in Jinja templates that print JSON to be parsed back. Their documentation is in
audit_phones.yml, audit_report.yml, audit_charts.yml and audit_drift.yml beside this file.
"""

from __future__ import annotations

import json

from ansible.module_utils.parsing.convert_bool import boolean

REPORT_SCHEMA_VERSION = 1


def _text(mapping, key):
    """A property as stripped text; '' when missing or null."""
    value = mapping.get(key)
    return "" if value is None else str(value).strip()


def _phone(device):
    """One phone record from a SipDevice with its Registrar and DN.

    A phone counts as registered when its Registrar has an IpAddress: the PBX learns the address
    from the phone's SIP registration. It waits for firmware when Registrar.FirmwareAvailable is set
    and differs from Registrar.FirmwareVersion.
    """
    registrar = device.get("Registrar") or {}
    dn = device.get("DN") or {}
    version = _text(registrar, "FirmwareVersion")
    available = _text(registrar, "FirmwareAvailable")
    address = _text(registrar, "IpAddress")
    return {
        "id": device.get("Id"),
        "mac": registrar.get("MAC"),
        "vendor": _text(registrar, "Vendor") or "unknown",
        "model": _text(registrar, "Model") or "unknown",
        "extension": dn.get("Number"),
        "extension_name": dn.get("Name"),
        "firmware_version": version or None,
        "firmware_available": available or None,
        "firmware_update": available != "" and available != version,
        "ip_address": address or None,
        "user_agent": registrar.get("UserAgent"),
        "registered": address != "",
    }


def _model_key(phone):
    if phone["vendor"] == "unknown" and phone["model"] == "unknown":
        return "unknown"
    return "%s %s" % (phone["vendor"], phone["model"])


def _count(keys):
    counts = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return counts


def audit_phones(sip_devices):
    """{"phones": [...], "by_vendor": {...}, "by_model": {...}} from threecx_sip_device_info's sip_devices."""
    phones = [_phone(device) for device in sip_devices or []]
    return {
        "phones": phones,
        "by_vendor": _count(phone["vendor"] for phone in phones),
        "by_model": _count(_model_key(phone) for phone in phones),
    }


def _expiry_state(days, expired, warning_days):
    if expired:
        return "expired"
    if days is None:
        return "no_date"
    return "warning" if days <= warning_days else "ok"


def _licence_part(license_result, warning_days):
    """(summary fields, the report's `license`) from threecx_license_info's result, or Nones."""
    status = (license_result or {}).get("license_status")
    summary = (license_result or {}).get("license_summary")
    if summary is None:
        fields = dict(license_expiration_date=None, license_days_left=None, license_state=None,
                      maintenance_expires_at=None, maintenance_days_left=None, maintenance_state=None)
        return fields, None
    fields = dict(
        license_expiration_date=summary.get("expiration_date"),
        license_days_left=summary.get("days_until_expiry"),
        license_state=_expiry_state(summary.get("days_until_expiry"), summary.get("expired"), warning_days),
        maintenance_expires_at=summary.get("maintenance_expires_at"),
        maintenance_days_left=summary.get("maintenance_days_left"),
        maintenance_state=_expiry_state(summary.get("maintenance_days_left"), summary.get("maintenance_expired"),
                                        warning_days),
    )
    return fields, ({"status": status, "summary": summary} if status is not None else None)


def _length(items):
    return None if items is None else len(items)


def _system_part(status_result, backup_warning_days, disk_warning_percent):
    """(summary fields, the report's `system`) from threecx_system_status_info's result, or Nones."""
    summary = (status_result or {}).get("summary")
    if summary is None:
        fields = dict(version=None, disk_usage_percent=None, disk_state=None, services_not_running=None,
                      last_backup_age_days=None, backup_state=None)
        return fields, None
    disk = summary.get("disk_usage_percent")
    age = summary.get("last_backup_age_days")
    stopped = summary.get("services_not_running")
    fields = dict(
        version=summary.get("version"),
        disk_usage_percent=disk,
        disk_state=None if disk is None else ("warning" if disk >= disk_warning_percent else "ok"),
        services_not_running=_length(stopped),
        last_backup_age_days=age,
        # No backup at all is as bad as an old one.
        backup_state="warning" if age is None or age > backup_warning_days else "ok",
    )
    system = {"summary": summary, "services_not_running": stopped, "health": status_result.get("health")}
    return fields, system


def audit_report(pbx, license_result=None, phones=None, failover_result=None, error=None, base_url=None,
                 warning_days=30, generated_at=None, status_result=None, backup_warning_days=2,
                 disk_warning_percent=85, drift=None):
    """The report of one PBX, as roles/audit/README.md documents it.

    A part that could not be read (the audit failed before or in it) is None: `phones` is
    audit_phones' answer or None, the results are the modules' registered results or None.
    `drift` is audit_drift's answer, or None when the role was given no directory of documents.
    """
    warning_days = int(warning_days)
    licence_fields, licence = _licence_part(license_result, warning_days)
    system_fields, system = _system_part(status_result, int(backup_warning_days), int(disk_warning_percent))
    phone_list = (phones or {}).get("phones")
    firmware_updates = None if phone_list is None else [phone for phone in phone_list if phone["firmware_update"]]
    unregistered = None if phone_list is None else [phone for phone in phone_list if not phone["registered"]]
    scripts = (failover_result or {}).get("failover_scripts")
    script_names = None if scripts is None else [script.get("Filename", "") for script in scripts]
    devices = None
    if phone_list is not None:
        devices = {"total": len(phone_list), "by_vendor": phones["by_vendor"], "by_model": phones["by_model"]}
    summary = dict(licence_fields, devices=_length(phone_list), firmware_updates=_length(firmware_updates),
                   unregistered_phones=_length(unregistered), failover_scripts=_length(script_names), **system_fields)
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "pbx": pbx,
        "base_url": base_url,
        "generated_at": generated_at,
        "status": "ok" if error is None else "failed",
        "error": error,
        "expiry_warning_days": warning_days,
        "summary": summary,
        "license": licence,
        "devices": devices,
        "firmware_updates": firmware_updates,
        "unregistered_phones": unregistered,
        "failover_scripts": script_names,
        "system": system,
        "drift": drift,
    }


def _plural(count, noun):
    return "%d %s%s" % (count, noun, "" if count == 1 else "s")


def _as_text(value):
    """A property's value as the page shows it: JSON, so that "" and null and "1" and 1 stay apart."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _changed_fields(before, after):
    """[{name, before, after}] of the properties that differ, values as JSON text, None for a side without it.

    A create lists the properties it sets and a delete those the item had, the other side being empty; a
    null on the one side that has the property is nothing set, and is left out.
    """
    before, after = before or {}, after or {}
    names = list(before) + [name for name in after if name not in before]
    return [{"name": name,
             "before": _as_text(before[name]) if name in before else None,
             "after": _as_text(after[name]) if name in after else None}
            for name in names if _differs(before, after, name)]


def _differs(before, after, name):
    if name in before and name in after:
        return before[name] != after[name]
    return (before if name in before else after)[name] is not None


def _drift_change(change):
    """One entry of threecx_config's `changes`, as the module gave it, with the fields the page lists."""
    return dict(change, fields=_changed_fields(change.get("before"), change.get("after")))


def _drift_state(result, found, error, audit_failed):
    """(state, label, changes) of the drift check; changes is None when the PBX was not compared."""
    if audit_failed:
        # The drift check is not attempted after a failed read: a refused login is not repeated.
        return "not_checked", "not checked", None
    if not found:
        return "no_document", "no document", None
    if error is not None:
        return "failed", "failed", None
    changes = [_drift_change(change) for change in (result or {}).get("changes") or []]
    if not changes:
        return "in_sync", "in sync", changes
    return "drift", _plural(len(changes), "change"), changes


def audit_drift(result, document=None, found=True, purge=False, error=None, audit_failed=False):
    """Whether a PBX matches its document, from threecx_config's registered check-mode result.

    The report's `drift`: `state` (in_sync, drift, no_document, failed or not_checked), the page's
    `label`, the `document` path, `purge`, the `changes` with the `fields` that differ, and `error`.
    """
    state, label, changes = _drift_state(result, boolean(found), error, boolean(audit_failed))
    return {
        "state": state,
        "label": label,
        "document": document,
        "purge": boolean(purge),
        "changes": changes,
        "error": error,
    }


# The charts' drawing area, in SVG user units (the page scales them).
BAR_WIDTH = 320
TIMELINE_WIDTH = 560


def _scaled(value, largest, width):
    return 0 if not largest else round(width * value / largest, 1)


def audit_charts(reports):
    """What the fleet page draws as inline SVG, measured here so that the template only renders.

    `registration`: per PBX with phones, registered and unregistered bar lengths on one scale.
    `models`: phones by vendor and model over the fleet, most first. `timeline`: licence and
    maintenance days left of every PBX on one axis, with day 0 and the warning day marked.
    """
    rows = [report for report in reports or [] if isinstance((report or {}).get("summary"), dict)]
    return {
        "registration": _registration_bars(rows),
        "models": _model_bars(rows),
        "timeline": _timeline(rows),
    }


def _registration_bars(rows):
    counted = [(row["pbx"], row["summary"].get("devices"), row["summary"].get("unregistered_phones")) for row in rows]
    counted = [(pbx, total - unregistered, unregistered) for pbx, total, unregistered in counted
               if total is not None and unregistered is not None]
    largest = max([registered + unregistered for _pbx, registered, unregistered in counted] or [0])
    return [{"pbx": pbx, "registered": registered, "unregistered": unregistered,
             "registered_width": _scaled(registered, largest, BAR_WIDTH),
             "unregistered_width": _scaled(unregistered, largest, BAR_WIDTH)}
            for pbx, registered, unregistered in counted]


def _model_bars(rows):
    totals = {}
    for row in rows:
        for model, number in ((row.get("devices") or {}).get("by_model") or {}).items():
            totals[model] = totals.get(model, 0) + number
    largest = max(totals.values() or [0])
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [{"label": model, "count": number, "width": _scaled(number, largest, BAR_WIDTH)} for model, number in ordered]


def _timeline(rows):
    points = [(row["pbx"], row["summary"].get("license_days_left"), row["summary"].get("maintenance_days_left"))
              for row in rows]
    points = [point for point in points if point[1] is not None or point[2] is not None]
    days = [day for point in points for day in point[1:] if day is not None]
    warning = max((row.get("expiry_warning_days") or 0 for row in rows), default=0)
    low, high = min(days + [0]), max(days + [warning, 1])

    def x(day):
        return None if day is None else round(TIMELINE_WIDTH * (day - low) / (high - low), 1)

    return {"width": TIMELINE_WIDTH, "first_day": low, "last_day": high, "today_x": x(0), "warning_x": x(warning),
            "warning_days": warning,
            "rows": [{"pbx": pbx, "license_days": licence, "license_x": x(licence),
                      "maintenance_days": maintenance, "maintenance_x": x(maintenance)}
                     for pbx, licence, maintenance in points]}


class FilterModule:
    """The audit role's filters."""

    def filters(self):
        return {"audit_phones": audit_phones, "audit_report": audit_report, "audit_charts": audit_charts,
                "audit_drift": audit_drift}
