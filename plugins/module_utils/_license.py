# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The licence contact details as a resource of the engine (and, re-exported, the summary of a licence)."""

from __future__ import annotations

import difflib

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import CASE_INSENSITIVE, Field, Resource
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError
from ansible_collections.threecx.xapi.plugins.module_utils._license_summary import license_summary, parse_pbx_date

# The summary lives in _license_summary, so that threecx_license_info's payload stays free of the engine.
__all__ = ["LICENSE", "LICENSE_PARAM_NAMES", "license_summary", "parse_pbx_date"]


def country_code(api, value, option):
    """The two-letter code of a country given by its code or by a name the PBX knows (its `Countries`).

    The PBX itself refuses an unknown country only when the licence is written, after check mode has
    promised a change; this fails before any write, in check mode too, and sends a name as its code.
    """
    countries = api.list_operation("ListCountry", select=["CountryCode", "Name"])
    by_code = {str(item["CountryCode"]).upper(): item["CountryCode"] for item in countries if item.get("CountryCode")}
    by_name = {str(item["Name"]).casefold(): item.get("CountryCode") for item in countries if item.get("Name")}
    wanted = str(value).strip()
    code = by_code.get(wanted.upper()) or by_name.get(wanted.casefold())
    if code:
        return code
    names = [item.get("Name") for item in countries if item.get("Name")]
    close = difflib.get_close_matches(wanted, names)  # at most three, as alike as difflib's default asks
    hint = "; did you mean %s?" % " or ".join(close) if close else ""
    raise InputError("%s: the PBX knows no country %r: give its two-letter code (such as GB) or its name as the "
                     "PBX lists it (such as United Kingdom)%s" % (option, value, hint), option)


# The licence contact details: read from LicenseStatus, written whole by the EditLicenseInfo action,
# whose parameter names (each field's `name`) differ from LicenseStatus's properties.
LICENSE = Resource(
    "license_status", singleton="LicenseStatus", properties=False,
    action=("LicenseStatus/Pbx.EditLicenseInfo", "licenseParams"),
    fields=[
        Field("company_name", "CompanyName"),
        Field("contact_name", "ContactName"),
        # A country given by its name is sent as its code; one the PBX does not know fails before any write.
        Field("country", "CountryCode", name="Country", compare=CASE_INSENSITIVE, also=["CountryName"],
              convert=country_code),
        Field("email", "EMail", name="Email", compare=CASE_INSENSITIVE),
        Field("phone", "Telephone", name="Phone"),
    ],
)
LICENSE_PARAM_NAMES = tuple(field.name for field in LICENSE.fields)
