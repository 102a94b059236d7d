#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_failover_script_info
short_description: List the failover scripts of a 3CX PBX
version_added: 0.1.0
description:
  - Lists the failover scripts stored on a 3CX v20 PBX, through XAPI's
    C(GET /xapi/v1/Backups/Pbx.GetFailoverScripts(\)), with OData filtering, search and paging.
  - Without O(top) it returns every matching script, fetched page by page.
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.paging
  - threecx.xapi.attributes
  - threecx.xapi.attributes.info_module
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Check that every PBX has failover scripts
  hosts: pbxes  # ansible_connection: local in the inventory: the modules run on the controller
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: List the failover scripts
      threecx.xapi.threecx_failover_script_info:
      register: failover

    - name: Fail when there are none
      ansible.builtin.assert:
        that: failover.failover_scripts | length > 0
        fail_msg: "{{ inventory_hostname }} has no failover script"

- name: Find the scripts whose name holds a phrase with a space (quoted for you)
  threecx.xapi.threecx_failover_script_info:
    search: switch over
    count: true

- name: The scripts whose file name mentions failover, in any case
  threecx.xapi.threecx_failover_script_info:
    filter: "contains(tolower(Filename),'failover')"

# Ad hoc, with THREECX_BASE_URL, THREECX_CLIENT_ID and THREECX_CLIENT_SECRET in the environment:
#   ansible localhost -m threecx.xapi.threecx_failover_script_info
"""

RETURN = r"""
failover_scripts:
  description: The scripts, as the PBX returns them (C(Pbx.FailoverScriptFile)).
  returned: success
  type: list
  elements: dict
  sample:
    - Filename: switch over to standby.sh
count:
  description: The number of matching scripts the PBX reports (C(@odata.count)), regardless of O(top) and O(skip).
  returned: when O(count=true)
  type: int
  sample: 3
"""

from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import (
    PAGING_MINIMUMS,
    XapiModule,
    paging_argument_spec,
    read_collection,
)


def run(module, client):
    scripts, count = read_collection(module, client, "Backups/Pbx.GetFailoverScripts()")
    result = dict(changed=False, failover_scripts=scripts)
    if count is not None:
        result["count"] = count
    return result


def main():
    module = XapiModule(argument_spec=paging_argument_spec(), minimums=PAGING_MINIMUMS, supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()
