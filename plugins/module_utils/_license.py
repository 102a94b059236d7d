# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Licence facts: the summary of LicenseStatus, and how EditLicenseInfo's fields map onto it."""

from __future__ import annotations

import datetime
import re

# EditLicenseInfo parameter -> (module option, LicenseStatus property, compared case-insensitively).
LICENSE_FIELDS = (
    ("CompanyName", "company_name", "CompanyName", False),
    ("ContactName", "contact_name", "ContactName", False),
    ("Country", "country", "CountryCode", True),
    ("Email", "email", "EMail", True),
    ("Phone", "phone", "Telephone", False),
)
LICENSE_PARAM_NAMES = tuple(field[0] for field in LICENSE_FIELDS)

_DATE_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?")


def parse_pbx_date(value):
    """A date from an XAPI date-time, or None for no value and for .NET's "unset" 0001-01-01.

    The PBX writes seven fractional digits, which older Pythons' fromisoformat refuses, and
    only the date matters for days left, so only the date is read.
    """
    match = _DATE_TIME.match(value) if isinstance(value, str) else None
    if not match:
        return None
    year, month, day = (int(part) for part in match.group(1, 2, 3))
    if year <= 1:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def license_summary(status, today=None):
    """Days left and expired flags for the licence and its maintenance plan."""
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    summary = {}
    for prefix, key, days_key in (("expiration_date", "ExpirationDate", "days_until_expiry"),
                                  ("maintenance_expires_at", "MaintenanceExpiresAt", "maintenance_days_left")):
        date = parse_pbx_date((status or {}).get(key))
        days = (date - today).days if date else None
        summary[prefix] = (status or {}).get(key) if date else None
        summary[days_key] = days
    summary["expired"] = summary["days_until_expiry"] is not None and summary["days_until_expiry"] < 0
    summary["maintenance_expired"] = (summary["maintenance_days_left"] is not None
                                      and summary["maintenance_days_left"] < 0)
    return summary


def current_params(status):
    """The five EditLicenseInfo fields as LicenseStatus holds them now."""
    return {param: status.get(prop) for param, _option, prop, _ci in LICENSE_FIELDS}


def differs(param, wanted, status):
    """Whether a requested value differs from what the PBX holds.

    Country matches the code or the country's name; Email and Country ignore case.
    """
    for name, _option, prop, case_insensitive in LICENSE_FIELDS:
        if name != param:
            continue
        held = [status.get(prop)]
        if param == "Country":
            held.append(status.get("CountryName"))
        if case_insensitive:
            return str(wanted).casefold() not in [str(value).casefold() for value in held if value is not None]
        return wanted not in held
    raise KeyError(param)
