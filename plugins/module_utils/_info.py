# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The `_info` sibling of a desired-state module: one item by its natural key, or a whole collection.

`threecx_user_info` and its kin are an argument spec and one call of `run_info` with the resource the
desired-state module describes, so the two can never disagree on how an item is found or expanded.
"""

from __future__ import annotations

from ansible_collections.threecx.xapi.plugins.module_utils._resources import Resources, literal
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import (
    PAGING_MINIMUMS,
    paging_argument_spec,
    read_collection,
    shape_argument_spec,
)

# The collection options make no sense beside the natural key, which names one item.
_COLLECTION_ONLY = ("filter", "search", "orderby", "top", "skip")


def info_argument_spec(resource):
    """The options of an info module: the resource's natural key option(s), paging and shape options."""
    spec = dict(paging_argument_spec(), **shape_argument_spec(orderby=True))
    for option, _prop, _lookup in resource.natural_keys:
        spec[option] = dict(type="str")
    return spec


def info_module_kwargs(resource):
    """XapiModule's further arguments for an info module of `resource`."""
    return dict(minimums=PAGING_MINIMUMS, supports_check_mode=True,
                mutually_exclusive=[(key, name) for key, _prop, _lookup in resource.natural_keys for name in _COLLECTION_ONLY])


def run_info(module, client, resource, list_key):
    """{list_key: [...]} (and `count` when asked): the item named by the natural key, or the collection.

    Member lists (a user's Groups, a queue's Agents) are expanded unless `expand` says otherwise, as the
    desired-state module returns them. Nothing found is an empty list, not a failure.
    """
    params = module.params
    expand = params["expand"] if params["expand"] is not None else (resource.expand or None)
    natural = resource.natural_keys
    if len(natural) > 1 or natural[0][2]:
        given = [part for part in natural if params.get(part[0]) is not None]
        if given:
            items = _matching(Resources(client), resource, given, params, expand)
            return {"changed": False, list_key: [_selected(item, params["select"], expand) for item in items]}
    elif params.get(natural[0][0]) is not None:
        item = Resources(client).find_by_natural_key(resource.entity_set, natural[0][1], params[natural[0][0]],
                                                     expand=expand)
        return {"changed": False, list_key: [] if item is None else [_selected(item, params["select"], expand)]}
    items, count = read_collection(module, client, resource.entity_set,
                                   orderby=params["orderby"], select=params["select"], expand=expand)
    result = {"changed": False, list_key: items}
    if count is not None:
        result["count"] = count
    return result


def _matching(api, resource, given, params, expand):
    """Every item matching the parts of a key of several properties that were given (lookups resolved)."""
    conditions = []
    for option, prop, lookup in given:
        value = params[option]
        if lookup:
            value = api.id_of(lookup[0], lookup[1], value, option)
        conditions.append("%s eq %s" % (prop, literal(value)))
    return api.list(resource.entity_set, filter=" and ".join(conditions), expand=expand)


def _selected(item, select, expand):
    """An item found by its key keeps only the `select`ed and expanded properties, as in a list."""
    if not select:
        return item
    names = set(select) | {name.split("(")[0].split("/")[0] for name in expand or ()}
    return {name: value for name, value in item.items() if name in names}
