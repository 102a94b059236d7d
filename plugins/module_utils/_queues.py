# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Call queues and ring groups as resources of the engine (threecx_queue, threecx_ring_group and their _info).

Both are found by their extension `Number`, which they share with extensions and each other (one
numbering plan: the PBX refuses a number already taken). Their member lists hold extension numbers;
each number is checked to be an extension before any write.
"""

from __future__ import annotations

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import Field, Members, Resource
from ansible_collections.threecx.xapi.plugins.module_utils._entities import ENUMS

# The choices of polling_strategy and ring_strategy: the spec's own enums.
POLLING_STRATEGIES = ENUMS["Pbx.PollingStrategyType"]
RING_STRATEGIES = ENUMS["Pbx.StrategyType"]

# Queue agents, managers and ring group members are extensions, named by their Number.
_EXTENSION = dict(key=("number", "Number"), exists_in=("Users", "Number"))

QUEUE = Resource(
    "queue", entity_set="Queues", natural_key=("number", "Number"),
    fields=[
        Field("name", "Name"),
        Field("polling_strategy", "PollingStrategy"),
        Field("ring_timeout", "RingTimeout"),
        Field("max_callers", "MaxCallersInQueue"),
        Field("wrap_up_time", "WrapUpTime"),
        Field("sla_time", "SLATime"),
        Members("agents", "Agents", fields={"skill_group": "SkillGroup"}, **_EXTENSION),
        Members("managers", "Managers", keys_only=True, **_EXTENSION),
    ],
    read_only=["IsRegistered"],
)

RING_GROUP = Resource(
    "ring_group", entity_set="RingGroups", natural_key=("number", "Number"),
    fields=[
        Field("name", "Name"),
        Field("ring_strategy", "RingStrategy"),
        Field("ring_time", "RingTime"),
        # For Hunt the order is who rings first, so a purged list is exact in order.
        Members("members", "Members", keys_only=True, ordered=True, **_EXTENSION),
    ],
    read_only=["IsRegistered"],
)


# The options of threecx_queue and threecx_ring_group (beside the connection and state options), here so that
# threecx_config checks each item of a document with the very argument spec of its module.
QUEUE_OPTIONS = dict(
    number=dict(type="str", required=True),
    name=dict(type="str"),
    polling_strategy=dict(type="str", choices=list(POLLING_STRATEGIES)),
    ring_timeout=dict(type="int"),
    max_callers=dict(type="int"),
    wrap_up_time=dict(type="int"),
    sla_time=dict(type="int"),
    agents=dict(type="list", elements="dict", options=dict(number=dict(type="str", required=True),
                                                           skill_group=dict(type="str"))),
    managers=dict(type="list", elements="str"),
)

RING_GROUP_OPTIONS = dict(
    number=dict(type="str", required=True),
    name=dict(type="str"),
    ring_strategy=dict(type="str", choices=list(RING_STRATEGIES)),
    ring_time=dict(type="int"),
    members=dict(type="list", elements="str"),
)
