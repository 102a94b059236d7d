# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The summary of a LicenseStatus: days left until the licence and its maintenance plan expire.

Standard library only: threecx_license_info and the audit role read licences often, and their
payload should not carry the engine (see docs/performance.md).
"""

from __future__ import annotations

import datetime
import re

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
