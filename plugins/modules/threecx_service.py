#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_service
short_description: Start, stop, restart, enable or disable a service of a 3CX PBX
version_added: 0.1.0
description:
  - 'Manages one service of a 3CX v20 PBX, as C(GET /Services) lists it, with the actions
    C(POST /Services/Pbx.Start), C(Stop), C(Restart), C(Enable) and C(Disable)
    (body C({"options": {"ServiceNames": [name]}})).'
  - V(started) and V(stopped) are idempotent; V(restarted) always restarts, and is always a change.
  - XAPI does not say whether a service is enabled (C(Pbx.ServiceInfo) has no such property), so O(enabled)
    cannot be compared with what the PBX holds; when given it is sent, and reported as a change, on every run.
  - When the task sends two actions (a state and O(enabled)), they go one after the other; should the second
    fail, the first stays done.
options:
  name:
    description:
      - The service's C(Name) as C(GET /Services) lists it, such as V(3CXMediaServer).
      - A name the PBX does not list fails, naming those it does, before any write.
    type: str
    required: true
  state:
    description:
      - V(started) starts the service unless it is C(Running); V(stopped) stops it unless it is C(Stopped);
        V(restarted) restarts it.
      - Leave it out to change only O(enabled).
    type: str
    choices: [started, stopped, restarted]
  enabled:
    description: Whether the service starts with the PBX (C(Pbx.Enable) or C(Pbx.Disable)). Sent on every run when given.
    type: bool
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.attributes
attributes:
  check_mode:
    support: full
    details:
      - Reads the services, sends no action, and lists in RV(actions) those that would be sent.
  diff_mode:
    support: none
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Restart the media server of every PBX, one at a time
  hosts: pbxes
  serial: 1
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Restart the media server
      threecx.xapi.threecx_service:
        name: 3CXMediaServer
        state: restarted
      delegate_to: localhost

- name: Make sure the queue manager runs
  threecx.xapi.threecx_service:
    name: 3CXQueueManager01
    state: started
"""

RETURN = r"""
service:
  description: The service (C(Pbx.ServiceInfo)) as C(GET /Services) lists it after the task (before it, in check mode).
  returned: success
  type: dict
  sample:
    Name: 3CXMediaServer
    DisplayName: 3CX PhoneSystem Media Server
    Status: Running
    StartStopEnabled: true
    RestartEnabled: true
actions:
  description: The actions sent (in check mode, that would be), in order.
  returned: success
  type: list
  elements: str
  sample: ["Restart"]
"""

from ansible_collections.threecx.xapi.plugins.module_utils._maintenance import ensure_service
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    return ensure_service(client, module.params, module.check_mode)


def main():
    module = XapiModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["started", "stopped", "restarted"]),
            enabled=dict(type="bool"),
        ),
        required_one_of=[("state", "enabled")],
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
