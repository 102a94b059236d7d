#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_backup_info
short_description: List the backups of a 3CX PBX, and its backup settings
version_added: 0.1.0
description:
  - Lists the backups of a 3CX v20 PBX (C(GET /Backups)), newest first.
  - With O(settings=true), also reads the backup schedule and rotation (C(GET /Backups/Pbx.GetBackupSettings(\)))
    and the repository (C(GET /Backups/Pbx.GetBackupRepositorySettings(\))).
  - Download links and passwords are masked unless O(return_secrets=true).
options:
  settings:
    description: Also return RV(backup_settings).
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
- name: Warn when the newest backup of a PBX is older than two days
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: List the backups
      threecx.xapi.threecx_backup_info:
      delegate_to: localhost
      register: listing

    - name: Warn about an old backup
      ansible.builtin.debug:
        msg: "The newest backup of {{ inventory_hostname }} is {{ listing.backups[0].FileName }}"
      when: listing.backups | length > 0
"""

RETURN = r"""
backups:
  description:
    - Every backup the PBX lists (C(Pbx.Backups)), newest first by C(CreationTime).
    - C(DownloadLink) is masked unless O(return_secrets=true).
  returned: success
  type: list
  elements: dict
  sample:
    - FileName: nightly-2026-12-01.zip
      CreationTime: "2026-12-01T02:00:07Z"
      Size: 52428800
      DownloadLink: "********"
backup_settings:
  description:
    - The backup schedule, rotation and contents (C(Pbx.BackupSettings)), with the repository settings
      (C(Pbx.BackupRepositorySettings)) under C(Repository). Passwords are masked unless O(return_secrets=true).
  returned: when O(settings=true)
  type: dict
  sample:
    Rotation: 5
    Schedule: {ScheduleType: Daily, Time: "02:00:00.0000000"}
    Repository: {Location: {FileSystemType: Local, LocalPath: /var/lib/3cxpbx/Instance1/Data/Backups}}
"""

from ansible_collections.threecx.xapi.plugins.module_utils._maintenance import backups_info
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return backups_info(client, module.params["settings"])


def main():
    module = XapiModule(argument_spec=dict(settings=dict(type="bool", default=False)), supports_check_mode=True)
    module.run(run)


if __name__ == "__main__":
    main()
