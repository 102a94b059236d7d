#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_queue
short_description: Manage the call queues of a 3CX PBX
version_added: 0.1.0
description:
  - Creates, changes and deletes call queues of a 3CX v20 PBX through XAPI (C(/xapi/v1/Queues)), with their
    name, polling strategy and timings, their agents and their managers.
  - A queue is found by its extension number, O(number). Queues share one numbering plan with
    extensions and ring groups, so a number already taken by any of them fails with the PBX's own
    message, and nothing is created.
  - Idempotent. Only the options you give are compared; one C(PATCH) carries only what differs, and
    the queue is read again after every write.
  - Every extension named in O(agents) and O(managers) is checked before any write; an unknown one
    fails, naming it.
options:
  number:
    description:
      - The queue's extension number (C(Number)), such as V(800). It names the queue and cannot be changed.
    type: str
    required: true
  name:
    description: The queue's name (C(Name)).
    type: str
  polling_strategy:
    description:
      - How calls are offered to the agents (C(PollingStrategy)), one of the spec's C(PollingStrategyType) values.
      - V(Hunt) rings the agents in the order listed, V(RingAll) all at once, V(LongestWaiting) the agent
        idle longest first; the C(SkillBasedRouting_*) strategies use each agent's O(agents[].skill_group).
    type: str
    choices:
      - Hunt
      - RingAll
      - HuntRandomStart
      - NextAgent
      - LongestWaiting
      - LeastTalkTime
      - FewestAnswered
      - HuntBy3s
      - First3Available
      - SkillBasedRouting_RingAll
      - SkillBasedRouting_HuntRandomStart
      - SkillBasedRouting_RoundRobin
      - SkillBasedRouting_FewestAnswered
  ring_timeout:
    description: Seconds each agent's phone rings before the call moves on (C(RingTimeout)).
    type: int
  max_callers:
    description: The most callers that may wait in the queue (C(MaxCallersInQueue)).
    type: int
  wrap_up_time:
    description: Seconds an agent gets after a call before the next one is offered (C(WrapUpTime)).
    type: int
  sla_time:
    description: The service level, in seconds a caller may wait before the call counts as late (C(SLATime)).
    type: int
  agents:
    description:
      - Extensions that answer the queue's calls (C(Agents)).
      - By default the listed agents are added or updated and the others kept; see O(purge_agents).
      - An agent already in the queue keeps its skill group unless you give one.
    type: list
    elements: dict
    suboptions:
      number:
        description: The agent's extension number.
        type: str
        required: true
      skill_group:
        description: The agent's skill group (C(SkillGroup)), used by the C(SkillBasedRouting_*) strategies.
        type: str
  purge_agents:
    description:
      - Whether O(agents) is the whole list. V(true) removes every agent not listed;
        O(agents=[]) with O(purge_agents=true) removes them all.
    type: bool
    default: false
  managers:
    description:
      - Extension numbers of the queue's managers (C(Managers)), who see its statistics and may log agents in and out.
      - By default the listed managers are added and the others kept; see O(purge_managers).
    type: list
    elements: str
  purge_managers:
    description: Whether O(managers) is the whole list. V(true) removes every manager not listed.
    type: bool
    default: false
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.state
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the queue and the extensions, sends no write, and reports what would change.
  diff_mode:
    details:
      - Shows the number, every typed field, the agents and managers, and the O(properties) given, before and after.
seealso:
  - module: threecx.xapi.threecx_queue_info
  - module: threecx.xapi.threecx_ring_group
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
# vars/support_queue.yml:
#   support_queue:
#     number: "810"
#     name: Support
#     polling_strategy: LongestWaiting
#     agents:
#       - {number: "101", skill_group: tier1}
#       - {number: "102", skill_group: tier1}
#       - {number: "103", skill_group: tier2}
#     managers: ["100"]
- name: The support queue, exactly as the vars file says
  hosts: pbxes
  gather_facts: false
  vars_files:
    - vars/support_queue.yml
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Ensure the support queue, its agents and its managers
      threecx.xapi.threecx_queue:
        number: "{{ support_queue.number }}"
        name: "{{ support_queue.name }}"
        polling_strategy: "{{ support_queue.polling_strategy }}"
        ring_timeout: 20
        wrap_up_time: 15
        sla_time: 60
        agents: "{{ support_queue.agents }}"
        purge_agents: true
        managers: "{{ support_queue.managers }}"
        purge_managers: true
      delegate_to: localhost

# An agent leaves: with purge_agents the list is exact, so the agent left out (102) is removed,
# and those listed keep their skill groups. In a vars file, delete the agent's line and run the play again.
- name: Extension 102 leaves the sales queue
  threecx.xapi.threecx_queue:
    number: "800"
    agents:
      - number: "101"
    purge_agents: true

- name: Announce position and allow callbacks, by XAPI property
  threecx.xapi.threecx_queue:
    number: "800"
    properties:
      AnnounceQueuePosition: true
      CallbackEnableTime: 30

- name: Remove a queue
  threecx.xapi.threecx_queue:
    number: "810"
    state: absent
"""

RETURN = r"""
queue:
  description:
    - The queue as the PBX holds it after the task (before it, in check mode), as C(GET /Queues) returns
      it, with C(Agents) and C(Managers) expanded. Empty when the queue is absent.
  returned: success
  type: dict
  sample:
    Id: 3
    Number: "800"
    Name: Sales queue
    PollingStrategy: LongestWaiting
    RingTimeout: 20
    MaxCallersInQueue: 10
    WrapUpTime: 15
    SLATime: 60
    Agents:
      - {Id: 2, Number: "101", Name: Bob Jones, SkillGroup: tier1}
    Managers:
      - {Id: 1, Number: "100", Name: Alice Smith}
diff:
  description: The queue's number, typed fields, agents, managers and the O(properties) given, before and after.
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: The queue before the task; V({}) when it did not exist.
      type: dict
      sample: {"Number": "800", "Name": "Sales queue", "Agents": [{"Number": "101"}], "Managers": []}
    after:
      description: The queue after the task (as it would be, in check mode); V({}) once deleted.
      type: dict
      sample: {"Number": "800", "Name": "Sales queue", "Agents": [{"Number": "101"}, {"Number": "102"}], "Managers": []}
"""

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import run_desired_state
from ansible_collections.threecx.xapi.plugins.module_utils._queues import QUEUE, QUEUE_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule, state_argument_spec


def run(module, client):
    return run_desired_state(module, client, QUEUE)


def main():
    module = XapiModule(
        argument_spec=dict(state_argument_spec(member_lists=["agents", "managers"]), **QUEUE_OPTIONS),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
