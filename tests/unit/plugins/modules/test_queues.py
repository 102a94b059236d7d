# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_queue and threecx_ring_group: the strategies they document are the spec's enums, and the descriptions hold."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.threecx.xapi.plugins.module_utils._entities import ENUMS, TYPES
from ansible_collections.threecx.xapi.plugins.module_utils._queues import QUEUE, RING_GROUP
from ansible_collections.threecx.xapi.plugins.modules import threecx_queue, threecx_ring_group


@pytest.mark.parametrize("module, option, enum", [
    (threecx_queue, "polling_strategy", "Pbx.PollingStrategyType"),
    (threecx_ring_group, "ring_strategy", "Pbx.StrategyType"),
])
def test_the_documented_choices_are_the_spec_enum(module, option, enum):
    documented = yaml.safe_load(module.DOCUMENTATION)["options"][option]["choices"]
    assert tuple(documented) == ENUMS[enum]


@pytest.mark.parametrize("resource", [QUEUE, RING_GROUP])
def test_every_field_is_a_property_of_the_entity_type(resource):
    assert {field.prop for field in resource.fields} <= set(TYPES[resource.type_name])


@pytest.mark.parametrize("module, resource", [(threecx_queue, QUEUE), (threecx_ring_group, RING_GROUP)])
def test_every_field_and_purge_option_is_documented(module, resource):
    options = yaml.safe_load(module.DOCUMENTATION)["options"]
    for field in resource.fields:
        assert field.option in options
        if hasattr(field, "purge_option"):
            assert options[field.purge_option]["default"] is False
