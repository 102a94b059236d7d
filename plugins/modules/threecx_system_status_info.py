#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_system_status_info
short_description: Read the status and health of a 3CX PBX, for a morning check
version_added: 0.1.0
description:
  - Reads C(GET /SystemStatus) and C(GET /SystemStatus/Pbx.SystemHealthStatus(\)) from a 3CX v20 PBX, and
    with O(services=true) the list of its services (C(GET /Services)).
  - Returns them as the PBX answers, and a RV(summary) of the figures a health check looks at.
  - C(LicenseKey) keeps only its last four characters unless O(return_secrets=true).
options:
  services:
    description: Also read the services, for RV(services) and RV(summary.services_not_running).
    type: bool
    default: false
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.attributes
  - threecx.xapi.attributes.info_module
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Morning check of every PBX
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Read the status
      threecx.xapi.threecx_system_status_info:
        services: true
      delegate_to: localhost
      register: status

    - name: Warn about an old backup, a full disk or a stopped service
      ansible.builtin.debug:
        msg: >-
          {{ inventory_hostname }}: version {{ status.summary.version }},
          disk {{ status.summary.disk_usage_percent }} % used,
          last backup {{ status.summary.last_backup_age_days }} days ago,
          not running: {{ status.summary.services_not_running | join(', ') or 'none' }}
      when: >-
        (status.summary.last_backup_age_days is none or status.summary.last_backup_age_days > 1)
        or (status.summary.disk_usage_percent | default(0, true)) > 85
        or status.summary.services_not_running | length > 0
"""

RETURN = r"""
system_status:
  description:
    - The status as the PBX returns it (C(Pbx.SystemStatus)).
    - C(LicenseKey) keeps only its last four characters unless O(return_secrets=true).
  returned: success
  type: dict
  sample:
    Version: 20.0.10.150
    FQDN: pbx.example.com
    DiskUsage: 48
    ExtensionsRegistered: 12
    ExtensionsTotal: 15
    TrunksRegistered: 2
    TrunksTotal: 2
    LastBackupDateTime: "2026-11-30T02:00:07Z"
    LicenseKey: "********WXYZ"
health:
  description: The health check (C(Pbx.SystemHealthStatus)) as the PBX returns it.
  returned: success
  type: dict
  sample: {Firewall: true, Phones: false, Trunks: true, CustomTemplatesCount: 0, UnsupportedFirmwaresCount: 0}
services:
  description: The services (C(Pbx.ServiceInfo)) as C(GET /Services) lists them.
  returned: when O(services=true)
  type: list
  elements: dict
  sample:
    - Name: 3CXMediaServer
      DisplayName: 3CX PhoneSystem Media Server
      Status: Running
summary:
  description: Figures computed from RV(system_status) (and RV(services)), for alerts and reports.
  returned: success
  type: dict
  contains:
    version:
      description: The PBX's version (C(Version)).
      type: str
      sample: 20.0.10.150
    disk_usage_percent:
      description:
        - The disk in use, as a percentage (C(DiskUsage), else computed from C(TotalDiskSpace) and C(FreeDiskSpace)).
        - Null when the PBX reports neither.
      type: int
      sample: 48
    extensions_registered:
      description: Extensions registered (C(ExtensionsRegistered)).
      type: int
      sample: 12
    extensions_total:
      description: Extensions in all (C(ExtensionsTotal)).
      type: int
      sample: 15
    trunks_registered:
      description: Trunks registered (C(TrunksRegistered)).
      type: int
      sample: 2
    trunks_total:
      description: Trunks in all (C(TrunksTotal)).
      type: int
      sample: 2
    services_not_running:
      description: The names of the services whose C(Status) is not C(Running); null without O(services=true).
      type: list
      elements: str
      sample: []
    has_services_not_running:
      description: The PBX's own word on whether a service is not running (C(HasNotRunningServices)).
      type: bool
      sample: false
    last_backup:
      description: When the last backup was made (C(LastBackupDateTime)); null when there is none.
      type: str
      sample: "2026-11-30T02:00:07Z"
    last_backup_age_days:
      description: Whole days since the last backup (UTC dates); null when there is none.
      type: int
      sample: 1
"""

from ansible_collections.threecx.xapi.plugins.module_utils._system_status import system_status_info
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return system_status_info(client, module.params["services"])


def main():
    module = XapiModule(argument_spec=dict(services=dict(type="bool", default=False)), supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()
