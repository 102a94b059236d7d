# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Licence facts: dates as the PBX writes them, days left, expired flags, and how the engine compares its fields."""

from __future__ import annotations

import datetime
import types

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils import _license_summary
from ansible_collections.threecx.xapi.plugins.module_utils._ensure import field_matches
from ansible_collections.threecx.xapi.plugins.module_utils._license import LICENSE, license_summary, parse_pbx_date
from xapi_testlib import LateEveningClock

TODAY = datetime.date(2025, 6, 15)
UNSET = "0001-01-01T00:00:00Z"


def test_unset_dates_give_no_days_and_not_expired():
    summary = license_summary({"ExpirationDate": UNSET, "MaintenanceExpiresAt": UNSET}, today=TODAY)
    assert summary == dict(expiration_date=None, days_until_expiry=None, maintenance_expires_at=None,
                           maintenance_days_left=None, expired=False, maintenance_expired=False)


def test_missing_status_and_missing_dates_are_like_unset():
    expected = license_summary({"ExpirationDate": UNSET, "MaintenanceExpiresAt": UNSET}, today=TODAY)
    assert license_summary(None, today=TODAY) == expected
    assert license_summary({}, today=TODAY) == expected
    assert license_summary({"ExpirationDate": None, "MaintenanceExpiresAt": ""}, today=TODAY) == expected


def test_a_past_date_is_expired_and_a_future_one_is_not():
    summary = license_summary({"ExpirationDate": "2025-06-14T23:59:59Z",
                               "MaintenanceExpiresAt": "2025-07-15T00:00:00Z"}, today=TODAY)
    assert (summary["days_until_expiry"], summary["expired"]) == (-1, True)
    assert (summary["maintenance_days_left"], summary["maintenance_expired"]) == (30, False)
    assert summary["expiration_date"] == "2025-06-14T23:59:59Z"


def test_expiry_today_is_not_expired_yet():
    summary = license_summary({"ExpirationDate": "2025-06-15T00:00:00Z"}, today=TODAY)
    assert (summary["days_until_expiry"], summary["expired"]) == (0, False)


@pytest.mark.parametrize("value, expected", [
    ("2026-03-01T12:34:56.1234567Z", datetime.date(2026, 3, 1)),
    ("2026-03-01T12:34:56.1234567+02:00", datetime.date(2026, 3, 1)),
    ("2026-03-01T12:34:56Z", datetime.date(2026, 3, 1)),
    ("2026-03-01", datetime.date(2026, 3, 1)),
    (UNSET, None),
    ("0001-01-01T00:00:00.0000000Z", None),
    ("2026-02-30T00:00:00Z", None),
    ("yesterday", None),
    ("", None),
    (None, None),
    (20260301, None),
])
def test_parse_pbx_date(value, expected):
    assert parse_pbx_date(value) == expected


def test_seven_fractional_digits_count_days():
    summary = license_summary({"ExpirationDate": "2025-06-25T08:00:00.1234567Z"}, today=TODAY)
    assert summary["days_until_expiry"] == 10


@pytest.mark.parametrize("param, wanted, status, expected", [
    ("Email", "ADMIN@Example.com", {"EMail": "admin@example.com"}, False),
    ("Email", "other@example.com", {"EMail": "admin@example.com"}, True),
    ("Country", "de", {"CountryCode": "DE", "CountryName": "Germany"}, False),
    ("Country", "germany", {"CountryCode": "DE", "CountryName": "Germany"}, False),
    ("Country", "AT", {"CountryCode": "DE", "CountryName": "Germany"}, True),
    ("CompanyName", "acme", {"CompanyName": "Acme"}, True),
    ("CompanyName", "Acme", {"CompanyName": "Acme"}, False),
    ("Phone", "+49 30 1234", {}, True),
])
def test_licence_fields_compare_as_the_engine_compares_them(param, wanted, status, expected):
    (field,) = [field for field in LICENSE.fields if field.name == param]
    assert (not field_matches(LICENSE, field, wanted, status)) is expected


def test_maintenance_ending_today_is_not_expired_yet():
    summary = license_summary({"MaintenanceExpiresAt": "2025-06-15T00:00:00Z"}, today=TODAY)
    assert (summary["maintenance_days_left"], summary["maintenance_expired"]) == (0, False)


def test_only_year_one_means_unset():
    assert parse_pbx_date("0002-03-04T00:00:00Z") == datetime.date(2, 3, 4)


def test_without_today_the_utc_date_is_used():
    today = datetime.datetime.now(datetime.timezone.utc).date()
    summary = license_summary({"ExpirationDate": today.isoformat() + "T00:00:00Z"})
    assert summary["days_until_expiry"] in (0, -1), "0, or -1 if midnight (UTC) passed since `today` was read"


def test_without_today_the_days_left_count_from_the_date_in_utc(monkeypatch):
    monkeypatch.setattr(_license_summary, "datetime", types.SimpleNamespace(
        datetime=LateEveningClock, timezone=datetime.timezone, date=datetime.date))
    summary = license_summary({"ExpirationDate": "2026-12-11T00:00:00Z"})
    assert (summary["expiration_date"], summary["days_until_expiry"]) == ("2026-12-11T00:00:00Z", 10)
