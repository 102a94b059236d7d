#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_sip_device_info
short_description: List the SIP devices (phones) of a 3CX PBX
version_added: 0.1.0
description:
  - Lists the SIP devices of a 3CX v20 PBX through XAPI's C(GET /xapi/v1/SipDevices), with OData
    filtering, search, sorting and paging.
  - Without O(top) it returns every matching device, fetched page by page.
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.paging
  - threecx.xapi.shape
  - threecx.xapi.shape.orderby
  - threecx.xapi.attributes
  - threecx.xapi.attributes.info_module
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Report the phones of every PBX
  hosts: pbxes  # ansible_connection: local in the inventory: the modules run on the controller
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: List the Yealink phones with their extensions
      threecx.xapi.threecx_sip_device_info:
        filter: "Registrar/Vendor eq 'Yealink'"
        expand: DN
        orderby: Registrar/Model
        count: true
      register: phones

    - name: Show how many there are
      ansible.builtin.debug:
        msg: "{{ phones.count }} Yealink phones"

- name: The first ten phones whose name contains "Front Desk"
  threecx.xapi.threecx_sip_device_info:
    search: Front Desk
    top: 10

# Ad hoc, with THREECX_BASE_URL, THREECX_CLIENT_ID and THREECX_CLIENT_SECRET in the environment:
#   ansible localhost -m threecx.xapi.threecx_sip_device_info -a 'top=5 select=Id,Registrar'
"""

RETURN = r"""
sip_devices:
  description:
    - The devices, as the PBX returns them (C(Pbx.SipDevice)).
    - C(PhoneWebPassword) and C(ProvLink) are masked unless O(return_secrets=true).
  returned: success
  type: list
  elements: dict
  sample:
    - Id: 12
      Registrar:
        MAC: "805ec0123456"
        Vendor: Yealink
        Model: T46U
        FirmwareVersion: 108.86.0.45
        FirmwareAvailable: 108.86.0.75
      DN:
        Number: "101"
        Name: Front Desk
      PhoneWebPassword: "********"
      ProvLink: "********"
count:
  description: The number of matching devices the PBX reports (C(@odata.count)), regardless of O(top) and O(skip).
  returned: when O(count=true)
  type: int
  sample: 48
"""

from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import (
    PAGING_MINIMUMS,
    XapiModule,
    paging_argument_spec,
    read_collection,
    shape_argument_spec,
)


def run(module, client):
    params = module.params
    devices, count = read_collection(module, client, "SipDevices", orderby=params["orderby"],
                                     select=params["select"], expand=params["expand"])
    result = dict(changed=False, sip_devices=devices)
    if count is not None:
        result["count"] = count
    return result


def main():
    module = XapiModule(
        argument_spec=dict(
            paging_argument_spec(),
            **shape_argument_spec(orderby=True)
        ),
        minimums=PAGING_MINIMUMS,
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
