# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The licence contact details as a resource of the engine (and, re-exported, the summary of a licence)."""

from __future__ import annotations

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import CASE_INSENSITIVE, Field, Resource, field_matches
from ansible_collections.threecx.xapi.plugins.module_utils._license_summary import license_summary, parse_pbx_date

# The summary lives in _license_summary, so that threecx_license_info's payload stays free of the engine.
__all__ = ["LICENSE", "LICENSE_PARAM_NAMES", "differs", "license_summary", "parse_pbx_date"]

# The licence contact details: read from LicenseStatus, written whole by the EditLicenseInfo action,
# whose parameter names (each field's `name`) differ from LicenseStatus's properties.
LICENSE = Resource(
    "license_status", singleton="LicenseStatus", properties=False,
    action=("LicenseStatus/Pbx.EditLicenseInfo", "licenseParams"),
    fields=[
        Field("company_name", "CompanyName"),
        Field("contact_name", "ContactName"),
        # A country matches its code or its name.
        Field("country", "CountryCode", name="Country", compare=CASE_INSENSITIVE, also=["CountryName"]),
        Field("email", "EMail", name="Email", compare=CASE_INSENSITIVE),
        Field("phone", "Telephone", name="Phone"),
    ],
)
LICENSE_PARAM_NAMES = tuple(field.name for field in LICENSE.fields)


def differs(param, wanted, status):
    """Whether a requested EditLicenseInfo value differs from what LicenseStatus holds, as the engine compares it."""
    for field in LICENSE.fields:
        if field.name == param:
            return not field_matches(LICENSE, field, wanted, status)
    raise KeyError(param)
