#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_license_info
short_description: Read the licence status of a 3CX PBX
version_added: 0.1.0
description:
  - Reads C(GET /xapi/v1/LicenseStatus) from a 3CX v20 PBX through its configuration API (XAPI).
  - Returns the licence as the PBX answers it, and a summary of how many days are left until the
    licence and its maintenance expire.
  - The summary needs C(ExpirationDate) and C(MaintenanceExpiresAt); when O(select) leaves them out,
    its values are null.
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.shape
  - threecx.xapi.attributes
  - threecx.xapi.attributes.info_module
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Read the licence of every PBX
  hosts: pbxes  # ansible_connection: local in the inventory: the modules run on the controller
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Read the licence status
      threecx.xapi.threecx_license_info:
      register: licence

    - name: Warn when the maintenance plan ends within 30 days
      ansible.builtin.debug:
        msg: "Maintenance of {{ inventory_hostname }} ends in {{ licence.license_summary.maintenance_days_left }} days"
      when: licence.license_summary.maintenance_days_left is not none and licence.license_summary.maintenance_days_left < 30

- name: Read only the edition and expiry dates
  threecx.xapi.threecx_license_info:
    select: ProductCode,ExpirationDate,MaintenanceExpiresAt

# Ad hoc, with THREECX_BASE_URL, THREECX_CLIENT_ID and THREECX_CLIENT_SECRET in the environment:
#   ansible localhost -m threecx.xapi.threecx_license_info
"""

RETURN = r"""
license_status:
  description:
    - The licence status as the PBX returns it (C(Pbx.LicenseStatus)).
    - C(LicenseKey) keeps only its last four characters unless O(return_secrets=true).
  returned: success
  type: dict
  sample:
    LicenseKey: "********WXYZ"
    ProductCode: 3CXPSPROFENT
    ExpirationDate: "2027-03-31T00:00:00Z"
    MaintenanceExpiresAt: "2027-03-31T00:00:00Z"
    Activated: true
    LicenseActive: true
    MaxSimCalls: 16
    CompanyName: Example Ltd
    ContactName: Jane Doe
    CountryCode: GB
    CountryName: United Kingdom
    EMail: admin@example.com
    Telephone: "+442071234567"
license_summary:
  description: Figures computed from RV(license_status), for alerts and reports.
  returned: success
  type: dict
  contains:
    expiration_date:
      description: C(ExpirationDate), or null when the PBX reports none (C(0001-01-01…)) or it was not selected.
      type: str
      sample: "2027-03-31T00:00:00Z"
    days_until_expiry:
      description: Whole days until the licence expires (negative once expired), or null when it has no expiry date.
      type: int
      sample: 129
    expired:
      description: Whether the licence has expired. False when it has no expiry date.
      type: bool
      sample: false
    maintenance_expires_at:
      description: C(MaintenanceExpiresAt), or null when the PBX reports none.
      type: str
      sample: "2027-03-31T00:00:00Z"
    maintenance_days_left:
      description: Whole days until the maintenance plan ends (negative once ended), or null when it has no date.
      type: int
      sample: 129
    maintenance_expired:
      description: Whether the maintenance plan has ended. False when it has no date.
      type: bool
      sample: false
"""

from ansible_collections.threecx.xapi.plugins.module_utils._odata import build_query
from ansible_collections.threecx.xapi.plugins.module_utils._license_summary import license_summary
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule, shape_argument_spec


def run(module, client):
    query = build_query(select=module.params["select"], expand=module.params["expand"])
    status = client.get("LicenseStatus", query)
    return dict(changed=False, license_status=status, license_summary=license_summary(status))


def main():
    module = XapiModule(
        argument_spec=shape_argument_spec(),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
