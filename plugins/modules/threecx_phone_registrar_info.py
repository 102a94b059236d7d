#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_phone_registrar_info
short_description: Look up the phone registered with a MAC address on a 3CX PBX
version_added: 0.1.0
description:
  - Looks up a phone by its MAC address through XAPI's
    C(GET /xapi/v1/Users/Pbx.GetPhoneRegistrar(mac='...'\)), and returns what the PBX knows of it,
    such as vendor, model, firmware, IP address and the extension it belongs to.
  - "A MAC address the PBX does not know (it answers HTTP 404) is not a failure: RV(found) is then V(false)."
options:
  mac:
    description:
      - The phone's MAC address, written as V(80:5E:C0:12:34:56), V(80-5e-c0-12-34-56),
        V(805E.C012.3456) or V(805ec0123456).
      - It is sent as 12 lowercase hex digits, as in provisioning file names.
    type: str
    required: true
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.attributes
  - threecx.xapi.attributes.info_module
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Find where a phone is registered
  hosts: pbxes  # ansible_connection: local in the inventory: the modules run on the controller
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Look up the phone by the MAC on its label
      threecx.xapi.threecx_phone_registrar_info:
        mac: "80:5E:C0:12:34:56"
      register: phone

    - name: Show its firmware
      ansible.builtin.debug:
        msg: "{{ phone.phone_registrar.Model }} runs {{ phone.phone_registrar.FirmwareVersion }}"
      when: phone.found

# Ad hoc, with THREECX_BASE_URL, THREECX_CLIENT_ID and THREECX_CLIENT_SECRET in the environment:
#   ansible localhost -m threecx.xapi.threecx_phone_registrar_info -a 'mac=805ec0123456'
"""

RETURN = r"""
found:
  description: Whether the PBX knows a phone with this MAC address.
  returned: success
  type: bool
  sample: true
mac:
  description: The MAC address as it was sent, normalised to 12 lowercase hex digits.
  returned: success
  type: str
  sample: "805ec0123456"
phone_registrar:
  description: What the PBX knows of the phone (C(Pbx.PhoneRegistrar)); empty when RV(found) is V(false).
  returned: success
  type: dict
  sample:
    MAC: "805ec0123456"
    Vendor: Yealink
    Model: T46U
    FirmwareVersion: 108.86.0.45
    FirmwareAvailable: 108.86.0.75
    IpAddress: 192.0.2.15
    UserAgent: Yealink SIP-T46U 108.86.0.45
"""

import re

from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError
from ansible_collections.threecx.xapi.plugins.module_utils._resources import get_or_none_by_operation
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule

# The ways MAC addresses are written on labels and in consoles: 6 pairs with one separator,
# Cisco's 3 dotted quads, or 12 bare digits.
_MAC_FORMS = (
    re.compile(r"^[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}$"),
    re.compile(r"^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$"),
    re.compile(r"^[0-9a-f]{12}$"),
)


def normalize_mac(value):
    """12 lowercase hex digits, or None when `value` is not a MAC address written in a known way."""
    text = (value or "").strip().lower()
    if not any(form.match(text) for form in _MAC_FORMS):
        return None
    return re.sub(r"[^0-9a-f]", "", text)


def run(module, client):
    mac = normalize_mac(module.params["mac"])
    if mac is None:
        raise InputError("mac must be a MAC address such as 80:5E:C0:12:34:56, 805E.C012.3456 or "
                         "805ec0123456; got %r" % module.params["mac"], "mac")
    registrar = get_or_none_by_operation(client, "GetPhoneRegistrar", mac=mac)
    return dict(changed=False, found=registrar is not None, mac=mac, phone_registrar=registrar or {})


def main():
    module = XapiModule(argument_spec=dict(mac=dict(type="str", required=True)), supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()
