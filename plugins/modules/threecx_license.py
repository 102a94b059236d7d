#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_license
short_description: Set the licence contact details of a 3CX PBX
version_added: 0.1.0
description:
  - Sets the company, contact, country, e-mail and phone number that a 3CX v20 PBX holds for its
    licence, through XAPI's C(POST /LicenseStatus/Pbx.EditLicenseInfo).
  - Idempotent. It reads C(GET /LicenseStatus) first and writes only when a requested value differs.
    The write holds the requested values merged over the current ones, so a field you leave out is
    kept as it is, never blanked.
  - After a write it reads the licence again and fails if the PBX did not take the change.
  - "Each value is compared with a C(LicenseStatus) property: O(company_name) with C(CompanyName),
    O(contact_name) with C(ContactName), O(country) with C(CountryCode) (a match on C(CountryName)
    counts too), O(email) with C(EMail) and O(phone) with C(Telephone). O(email) and O(country)
    compare case-insensitively, the others exactly."
options:
  company_name:
    description: The licensee's company name (C(CompanyName)).
    type: str
  contact_name:
    description: The licence contact's name (C(ContactName)).
    type: str
  country:
    description:
      - The licensee's country, as the two-letter code the PBX uses, such as V(GB) or V(DE) (C(Country) → C(CountryCode)),
        or as its name as the PBX lists it, such as V(United Kingdom), which is sent as its code.
      - A country the PBX does not know (its C(Countries) list, read once) fails before any write, in check mode
        too, naming the closest ones.
    type: str
  email:
    description: The licence contact's e-mail address (C(Email) → C(EMail)).
    type: str
  phone:
    description: The licence contact's phone number (C(Phone) → C(Telephone)).
    type: str
  license_params:
    description:
      - The same fields as EditLicenseInfo's C(licenseParams) takes them, as a dictionary or a JSON
        text, for parity with tools that pass raw JSON.
      - Keys among C(CompanyName), C(ContactName), C(Country), C(Email) and C(Phone); any other key fails.
      - May be combined with the typed options, but a key that contradicts one of them fails.
    type: raw
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the licence, sends no write, and reports RV(ignore:changed=true) when a write would happen.
  diff_mode:
    details:
      - Shows the five contact fields before and after.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Keep the licence contact details of every PBX up to date
  hosts: pbxes  # ansible_connection: local in the inventory: the modules run on the controller
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Set the licence contact
      threecx.xapi.threecx_license:
        company_name: Example Ltd
        contact_name: Jane Doe
        email: admin@example.com
        country: GB

- name: Pass the fields as JSON, as other tools do
  threecx.xapi.threecx_license:
    license_params: '{"Phone": "+442071234567"}'

# Ad hoc, in check mode with a diff, credentials from THREECX_* environment variables:
#   ansible localhost -m threecx.xapi.threecx_license -a 'email=admin@example.com' --check --diff
"""

RETURN = r"""
license_status:
  description:
    - The licence status as it stands after the task (before it, in check mode), as C(GET /LicenseStatus) returns it.
    - C(LicenseKey) keeps only its last four characters unless O(return_secrets=true).
  returned: success
  type: dict
  sample:
    LicenseKey: "********WXYZ"
    CompanyName: Example Ltd
    ContactName: Jane Doe
    CountryCode: GB
    CountryName: United Kingdom
    EMail: admin@example.com
    Telephone: "+442071234567"
diff:
  description: The five contact fields before and after, as EditLicenseInfo names them.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The fields before the task.
      type: dict
      sample: {"CompanyName": "Old Ltd", "ContactName": "Jane Doe", "Country": "GB", "Email": "old@example.com", "Phone": "+44123"}
    after:
      description: The fields after the task (as they would be, in check mode).
      type: dict
      sample: {"CompanyName": "Example Ltd", "ContactName": "Jane Doe", "Country": "GB", "Email": "admin@example.com", "Phone": "+44123"}
"""

import json

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError
from ansible_collections.threecx.xapi.plugins.module_utils._license import LICENSE, LICENSE_PARAM_NAMES
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def requested_options(params):
    """The typed options with `license_params` folded in; fails on bad input, before any request."""
    requested = dict(params)
    by_name = parse_license_params(params["license_params"])
    for field in LICENSE.fields:
        value, raw = params[field.option], by_name.get(field.name)
        if value is not None and raw is not None and value != raw:
            raise InputError("%s=%r contradicts license_params.%s=%r; set it in one place"
                             % (field.option, value, field.name, raw), field.option)
        requested[field.option] = value if value is not None else raw
    if all(requested[field.option] is None for field in LICENSE.fields):
        raise InputError("nothing to set: give at least one of %s, or license_params"
                         % ", ".join(field.option for field in LICENSE.fields))
    return requested


def parse_license_params(raw):
    if raw is None:
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise InputError("license_params is not valid JSON: %s" % exc, "license_params") from None
    if not isinstance(raw, dict):
        raise InputError("license_params must be a JSON object (a dictionary), not %s" % type(raw).__name__,
                         "license_params")
    for key, value in raw.items():
        if key not in LICENSE_PARAM_NAMES:
            raise InputError("license_params has an unknown key %r; the keys are %s"
                             % (key, ", ".join(LICENSE_PARAM_NAMES)), "license_params")
        if not isinstance(value, str):
            raise InputError("license_params.%s must be a string, not %s" % (key, type(value).__name__),
                             "license_params")
    return raw


def run(module, client):
    # EditLicenseInfo sends every field, the current values of those not asked for: nothing is blanked.
    return run_desired_state(module, client, LICENSE, requested_options(module.params))


def main():
    module = XapiModule(
        argument_spec=dict(
            company_name=dict(type="str"),
            contact_name=dict(type="str"),
            country=dict(type="str"),
            email=dict(type="str"),
            phone=dict(type="str"),
            license_params=dict(type="raw"),
        ),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
