#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_backup
short_description: Make, prune, download or delete backups of a 3CX PBX
version_added: 0.1.0
description:
  - Asks a 3CX v20 PBX for a backup with XAPI's C(POST /Backups/Pbx.Backup) unless one of that name is
    listed in C(GET /Backups) already, waits until the PBX lists it, and returns it.
  - "Optionally deletes the oldest backups beyond O(keep_last), and fetches the backup file to the
    machine the module runs on (the controller, with C(delegate_to: localhost))."
  - With O(state=absent), deletes the backup (C(DELETE /Backups('<name>.zip'\))).
  - "A backup's C(DownloadLink) is a secret (it fetches the whole PBX): it is masked in the result
    unless O(return_secrets=true), and never named in a message."
options:
  name:
    description:
      - The backup's name. The PBX lists it as C(<name>.zip); V(nightly) and V(nightly.zip) name the same backup.
    type: str
    required: true
  state:
    description:
      - V(present) asks the PBX for the backup unless one of that name exists. An existing backup is
        never made again (backups are not changed, only made and deleted).
      - V(absent) deletes it, if it exists.
    type: str
    choices: [present, absent]
    default: present
  contents:
    description:
      - What a new backup holds (C(Pbx.BackupContents)); parts not given are left to the PBX's default.
      - Used only when the backup is made; an existing backup is not compared with it.
    type: dict
    suboptions:
      call_history:
        description: The call history (C(CallHistory)).
        type: bool
      disable_compression:
        description: Store the backup uncompressed (C(DisableBackupCompression)).
        type: bool
      encrypt:
        description: Encrypt the backup (C(EncryptBackup)), with O(contents.encryption_password).
        type: bool
      encryption_password:
        description: The password of an encrypted backup (C(EncryptBackupPassword)).
        type: str
      fqdn:
        description: The PBX's FQDN and its certificate (C(FQDN)).
        type: bool
      license:
        description: The licence (C(License)).
        type: bool
      phone_provisioning:
        description: The phones' provisioning files and firmware (C(PhoneProvisioning)).
        type: bool
      prompts:
        description: The custom prompts (C(Prompts)).
        type: bool
      recordings:
        description: The call recordings (C(Recordings)).
        type: bool
      voicemails:
        description: The voicemails (C(VoiceMails)).
        type: bool
  wait:
    description:
      - Wait until the PBX lists the new backup, polling C(GET /Backups) with a back-off from half a second
        up to five seconds, and return it. Without it, RV(backup) is null after a new backup was asked for.
    type: bool
    default: true
  wait_timeout:
    description: How many seconds to wait for the new backup before failing. 1 or more.
    type: int
    default: 600
  keep_last:
    description:
      - After the backup, delete the oldest backups beyond this many, the backup of O(name) counted among
        those kept. Every backup the PBX lists counts, scheduled ones too. 1 or more.
      - Each deletion is listed in RV(deleted); in check mode RV(deleted) says which would go.
    type: int
  download:
    description:
      - A path on the machine the module runs on to fetch the backup file to, streamed to disk and checked
        against the size the PBX lists. A directory means the backup's file name inside it.
      - Nothing is fetched when the file is there already with that size.
      - The file is written beside the target as C(<target>.part) and renamed when complete.
      - Needs O(wait=true).
    type: path
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.attributes
attributes:
  check_mode:
    support: full
    details:
      - Reads the list of backups and sends no write; RV(deleted) names the backups that would be deleted.
  diff_mode:
    support: none
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Nightly backup, keeping the last seven, with a copy on the controller
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Back up the PBX
      threecx.xapi.threecx_backup:
        name: "nightly-{{ now(utc=true, fmt='%Y-%m-%d') }}"
        contents:
          license: true
          prompts: true
          voicemails: true
          recordings: false
        keep_last: 7
        download: /var/backups/3cx/
      delegate_to: localhost
      register: backup

    - name: Show what went
      ansible.builtin.debug:
        msg: "{{ backup.backup.FileName }} made; deleted {{ backup.deleted | join(', ') or 'nothing' }}"
      when: backup.backup is not none  # in check mode no backup is made

- name: A backup before a change
  threecx.xapi.threecx_backup:
    name: before-upgrade

- name: Delete a backup
  threecx.xapi.threecx_backup:
    name: before-upgrade.zip
    state: absent
"""

RETURN = r"""
backup:
  description:
    - The backup as C(GET /Backups) lists it (C(Pbx.Backups)); null after O(state=absent), and when it was
      only asked for (O(wait=false), or check mode).
    - C(DownloadLink) is masked unless O(return_secrets=true).
  returned: success
  type: dict
  sample:
    FileName: nightly-2026-12-01.zip
    CreationTime: "2026-12-01T02:00:07Z"
    Size: 52428800
    DownloadLink: "********"
deleted:
  description: The file names of the backups deleted (in check mode, that would be), oldest last.
  returned: success
  type: list
  elements: str
  sample: ["nightly-2026-11-23.zip", "nightly-2026-11-22.zip"]
downloaded:
  description: Whether the backup file was fetched (in check mode, would be) to RV(dest).
  returned: when O(download) is given
  type: bool
  sample: true
dest:
  description: The file the backup was fetched to, or is there already.
  returned: when O(download) is given
  type: str
  sample: /var/backups/3cx/nightly-2026-12-01.zip
"""

from ansible_collections.threecx.xapi.plugins.module_utils._maintenance import BACKUP_CONTENTS, ensure_backup
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return ensure_backup(client, module.params, module.check_mode)


def main():
    contents = {option: dict(type="bool") for option in BACKUP_CONTENTS}
    contents["encryption_password"] = dict(type="str", no_log=True)
    module = XapiModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            contents=dict(type="dict", options=contents),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=600),
            keep_last=dict(type="int"),
            download=dict(type="path"),
        ),
        minimums={"wait_timeout": 1, "keep_last": 1},
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
