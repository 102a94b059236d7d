# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A control for the paging benchmark, not part of the collection: returns the devices saved in a file.

It sends no request and does no work of its own, but carries the same result as
threecx_sip_device_info through ansible-core (with a no_log option, as the real module has), so
its play less the ping play is what ansible-core alone costs for that result.
"""

from __future__ import annotations

import json

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="path", required=True), secret=dict(type="str", no_log=True)),
                           supports_check_mode=True)
    with open(module.params["path"], encoding="utf-8") as handle:
        devices = json.load(handle)["value"]
    module.exit_json(changed=False, sip_devices=devices)


if __name__ == "__main__":
    main()
