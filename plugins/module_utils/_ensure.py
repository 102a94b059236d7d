# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The desired-state engine: read the item, compare what was asked, write only the difference, re-read.

A module describes its resource once (`Resource`, `Field`, `Members`) and calls `run_desired_state`.
Everything here works on plain dicts and a `Resources` object, so it runs, and is tested, without
AnsibleModule: `ensure_present(api, resource, params)` with a fake client behind `api`.

The rules, in one place:
- Only what the user gave is compared, recursively. null, a missing key and "" are equal; times compare
  as times (09:00 = 09:00:00.0000000); the placeholder date 0001-01-01 counts as unset.
- A change PATCHes only the changed top-level properties. A complex property is sent whole, merged over
  its current value; a member list (a navigation list) is sent whole, because the PBX replaces it.
- Member lists merge by default (listed members ensured, others kept); `purge_<list>` makes them exact.
- Secrets are sent on create, or on every run with `update_password: always`; never shown.
- Check mode sends no write. After each write the item is read again, and a change the PBX did not take
  is a failure naming the fields.
"""

from __future__ import annotations

import copy
import json
import re

from ansible_collections.threecx.xapi.plugins.module_utils._entities import ENTITY_SETS, NAVIGATION, SINGLETONS, TYPES
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, ThreecxError
from ansible_collections.threecx.xapi.plugins.module_utils._resources import Resources, value_at
from ansible_collections.threecx.xapi.plugins.module_utils._secrets import MASK

EXACT = "exact"
CASE_INSENSITIVE = "case_insensitive"
SET = "set"
ORDERED = "ordered"
TIME = "time"

_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$")
_PLACEHOLDER_DATE = "0001-01-01"
_UNKNOWN = object()


# --- Describing a resource ---------------------------------------------------------------------------

class Field:
    """One option and the XAPI property it sets.

    compare: EXACT, CASE_INSENSITIVE, SET (a list in any order), ORDERED (a list in order) or TIME.
    name: what the diff (and an action's body) calls it, when not the property's name.
    also: further properties whose value counts as a match (a country by its code or its name).
    secret: write-only, never compared except with update_password=always, always masked.
    create_only: sent on create; a different value on an existing item is a failure.
    read_only: returned and exported, never sent; setting the option fails.
    convert: a function (api, value, option) -> the XAPI value: names turned into Ids, times written as the
    PBX takes them. It runs before the item is read; bad input raises InputError naming the option.
    reverse: convert's inverse, a function (api, XAPI value) -> the option's value, for export: Ids turned
    back into names, what the PBX pads or adds left out, so that the value can be given to the module again.
    """

    def __init__(self, option, prop, compare=EXACT, name=None, also=(), secret=False, create_only=False,
                 read_only=False, convert=None, reverse=None):
        self.option = option
        self.prop = prop
        self.compare = compare
        self.name = name or prop
        self.also = tuple(also)
        self.secret = secret
        self.create_only = create_only
        self.read_only = read_only
        self.convert = convert
        self.reverse = reverse


class Members(Field):
    """A list of members keyed by a member property, such as a department's Members by `Number`.

    key: (option key, XAPI key), e.g. ("number", "Number"); lookup: (entity set, property) that turns the
    option's value into the XAPI key, e.g. ("Groups", "Name") for a department name into GroupId.
    fields: {option key: "Path/In/Member"}, e.g. {"role": "Rights/RoleName"}; defaults: their values for
    a new member. ordered: whether the order counts when the list is purged.
    exists_in: (entity set, property) where each key must name an item, e.g. ("Users", "Number") for the
    extensions of a queue: checked with one listing, before any write; the key itself is sent unchanged.
    keys_only: the option is a plain list of keys (["100", "101"]), not of dicts.
    """

    def __init__(self, option, prop, key, lookup=None, fields=None, defaults=None, ordered=False, exists_in=None,
                 keys_only=False):
        super().__init__(option, prop, compare=ORDERED if ordered else SET)
        self.key_option, self.key = key
        self.lookup = lookup
        self.exists_in = exists_in
        self.keys_only = keys_only
        self.fields = dict(fields or {})
        self.defaults = dict(defaults or {})
        self.ordered = ordered
        self.purge_option = "purge_" + option


class Resource:
    """An entity set (or a singleton) as a module manages it.

    natural_key: (option, property) that names an item, e.g. ("name", "Name"); None for a singleton. Where
    no one property names an item, a tuple of them, all of which must match: (("first_name", "FirstName"),
    ("last_name", "LastName")). A property may be a path (`TrunkDN/Id`), and a pair may have a third
    element, a lookup (entity set, property) that turns the option's value into that property's value,
    e.g. ("trunk", "TrunkDN/Id", ("Trunks", "Gateway/Name")).
    read_only: properties `properties` may not set (the key and natural key are always among them).
    derived: properties the PBX fills in (GroupNames, TrunkName, a member's Name): never compared or sent.
    unordered: names of lists, at any depth, whose order does not count (a schedule's Periods).
    expand: navigation properties to read with the item, besides member lists.
    action: for a singleton written by an action, (path, wrapper): its body is {wrapper: every field}.
    """

    def __init__(self, result_key, entity_set=None, singleton=None, natural_key=None, fields=(), read_only=(),
                 derived=(), action=None, properties=True, type_name=None, unordered=(), expand=()):
        self.result_key = result_key
        self.entity_set = entity_set
        self.singleton = singleton
        self.natural_key = natural_key
        self.natural_keys = _key_parts(natural_key)
        self.fields = tuple(fields)
        self.derived = frozenset(derived)
        self.unordered = frozenset(unordered)
        self.action = action
        self.properties = properties
        self.type_name = type_name or _type_of_resource(entity_set, singleton)
        self.key = ENTITY_SETS[entity_set]["key"] if entity_set else None
        natural_props = {prop.split("/")[0] for _option, prop, _lookup in self.natural_keys}
        self.read_only = frozenset(read_only) | natural_props | ({self.key} if self.key else set())
        self.expand = [_expand_of(self.type_name, field) for field in self.fields if isinstance(field, Members)] + list(expand)


def _expand_of(type_name, members):
    """`Members($expand=Rights)`: a member list, with the navigation properties its fields go through.

    A member's Rights (its role) is itself a navigation property: without the nested $expand the
    PBX leaves it out, and every role would look unset.
    """
    member_type = _element_type(_type_of(type_name, members.prop))
    navigation = NAVIGATION.get(member_type, ())
    nested = sorted({path.split("/")[0] for path in members.fields.values()} & set(navigation))
    return "%s($expand=%s)" % (members.prop, ",".join(nested)) if nested else members.prop


def _key_parts(natural_key):
    """The natural key as ((option, property, lookup or None), ...), whether given as one pair or several."""
    if not natural_key:
        return ()
    pairs = (natural_key,) if isinstance(natural_key[0], str) else natural_key
    return tuple((pair[0], pair[1], pair[2] if len(pair) > 2 else None) for pair in pairs)


def _type_of_resource(entity_set, singleton):
    if entity_set:
        return ENTITY_SETS[entity_set]["type"]
    return SINGLETONS.get(singleton, {}).get("type")


# --- Comparing ----------------------------------------------------------------------------------------

def matches(wanted, held, compare=EXACT, type_name=None, derived=frozenset(), unordered=frozenset()):
    """Whether `held` already is what `wanted` asks for, on the keys `wanted` gives, recursively.

    Lists named in `unordered` compare as SET, at any depth.
    """
    if isinstance(wanted, dict):
        held = held if isinstance(held, dict) else {}
        return all(matches(value, held.get(name), SET if name in unordered else EXACT, _type_of(type_name, name),
                           derived, unordered)
                   for name, value in wanted.items() if name not in derived)
    if isinstance(wanted, list):
        held = held if isinstance(held, list) else []
        element = _element_type(type_name)
        if compare == SET:
            return _same_set(wanted, held, element, derived, unordered)
        return len(wanted) == len(held) and all(
            matches(item, other, type_name=element, derived=derived, unordered=unordered)
            for item, other in zip(wanted, held))
    return _scalar(wanted, compare, type_name) == _scalar(held, compare, type_name)


def _same_set(wanted, held, element, derived, unordered):
    """Lists equal in any order: scalars by value, complex items each matching a held item of its own."""
    if len(wanted) != len(held):
        return False
    if not any(isinstance(item, (dict, list)) for item in wanted):
        return sorted(_canonical(item) for item in wanted) == sorted(_canonical(item) for item in held)
    left = list(held)
    for item in wanted:
        found = next((index for index, other in enumerate(left)
                      if matches(item, other, type_name=element, derived=derived, unordered=unordered)), None)
        if found is None:
            return False
        del left[found]
    return True


def _scalar(value, compare=EXACT, type_name=None):
    """A scalar as it compares: "" and placeholder dates as None, times as tuples, case folded if asked."""
    if value == "" or value is None:
        return None
    if isinstance(value, str):
        if value.startswith(_PLACEHOLDER_DATE):
            return None
        if compare == TIME or type_name == "time":
            return _time(value)
        if compare == CASE_INSENSITIVE:
            return value.casefold()
        if type_name in ("integer", "number"):
            return _number(value)
    return value


def _time(text):
    match = _TIME.match(text.strip())
    if not match:
        return text
    hours, minutes, seconds, fraction = match.groups()
    return (int(hours), int(minutes), int(seconds or 0), float("0." + (fraction or "0")))


def _number(text):
    try:
        return float(text)
    except ValueError:
        return text


def _canonical(item):
    """A plain list item as a sortable text. A held item may be a dict or a list, which _scalar leaves as it is:
    its text matches no plain item's, however its keys are ordered."""
    return json.dumps(_scalar(item))


def _type_of(type_name, prop):
    return TYPES.get(type_name, {}).get(prop)


def _element_type(type_name):
    return type_name[:-2] if type_name and type_name.endswith("[]") else None


def merged(current, wanted):
    """`wanted` merged over `current`, recursively for dicts: how a complex property is sent whole."""
    if not isinstance(wanted, dict) or not isinstance(current, dict):
        return copy.deepcopy(wanted)
    result = copy.deepcopy(current)
    for name, value in wanted.items():
        result[name] = merged(current.get(name), value)
    return result


# --- What the user asked for --------------------------------------------------------------------------

class Request:
    """The wanted state from the module's options, in XAPI form, checked before any request is sent."""

    def __init__(self, resource, params):
        self.resource = resource
        self.params = params
        self.always_secrets = params.get("update_password") == "always"
        self.properties = dict(params.get("properties") or {})
        self.values = {}    # prop -> wanted value, for plain fields and properties
        self.members = {}   # prop -> [(key option value, {given member props}, {default member props})]
        self._check()

    def given(self, field):
        return self.params.get(field.option) is not None

    def natural_conditions(self, api):
        """{property: value} that finds the item: lookups resolved (an unknown name fails, naming the option)."""
        conditions = {}
        for option, prop, lookup in self.resource.natural_keys:
            value = self.params.get(option)
            if lookup and value is not None:  # a blank part named by a lookup never gets here: _check refuses it
                value = api.id_of(lookup[0], lookup[1], value, option)
            conditions[prop] = value
        return conditions

    def _check(self):
        natural = self.resource.natural_keys
        if len(natural) > 1 and all(self.params.get(option) in (None, "") for option, _prop, _lookup in natural):
            options = [option for option, _prop, _lookup in natural]
            raise InputError("give at least one of %s: together they name the item" % ", ".join(options), options[0])
        for option, _prop, lookup in natural:
            # A key of one property, or a part named by a lookup (an inbound rule's trunk), names nothing when
            # blank; the PBX would be asked for it all the same, and answer 400 or match some other item.
            if (len(natural) == 1 or lookup) and self.params.get(option) is not None and not str(
                    self.params[option]).strip():
                raise InputError("%s is blank: it names the item, so give a value" % option, option)
        for field in self.resource.fields:
            if not self.given(field):
                continue
            if field.read_only:
                raise InputError("%s is read-only: the PBX sets it" % field.option, field.option)
            if not isinstance(field, Members):
                self.values[field.prop] = self.params[field.option]
        if self.properties:
            self._check_properties()
            self.values.update(self.properties)

    def _check_properties(self):
        resource = self.resource
        if not resource.properties:
            raise InputError("properties is not supported here", "properties")
        known = TYPES.get(resource.type_name, {})
        unknown = sorted(name for name in self.properties if name not in known)
        if unknown:
            raise InputError("properties: %s %s no property of %s" % (
                ", ".join(unknown), "is" if len(unknown) == 1 else "are", resource.type_name), "properties")
        typed = {field.prop: field.option for field in resource.fields}
        refused = sorted(name for name in self.properties
                         if name in resource.read_only or name in resource.derived or name in typed)
        if refused:
            hints = ["%s (use the %s option)" % (name, typed[name]) if name in typed else name for name in refused]
            raise InputError("properties: %s cannot be set here: read-only, derived by the PBX, or an option of "
                             "its own" % ", ".join(hints), "properties")

    def resolve(self, api):
        """Member lists and converted fields in XAPI form: names turned into Ids by lookups (one listing per
        set per run)."""
        for field in self.resource.fields:
            if isinstance(field, Members) and self.given(field):
                self.members[field.prop] = [self._member(api, field, item) for item in self.params[field.option]]
            elif field.convert and field.prop in self.values:
                self.values[field.prop] = field.convert(api, self.values[field.prop], field.option)

    def _member(self, api, field, item):
        if field.keys_only:
            item = {field.key_option: item}
        value = item.get(field.key_option)
        if value in (None, ""):
            raise InputError("%s: every item needs %s" % (field.option, field.key_option), field.option)
        if field.lookup:
            value = api.id_of(field.lookup[0], field.lookup[1], value, field.option)
        if field.exists_in:
            api.id_of(field.exists_in[0], field.exists_in[1], value, field.option)
        given = _nested({path: item.get(name) for name, path in field.fields.items() if item.get(name) is not None})
        defaults = _nested({field.fields[name]: default for name, default in field.defaults.items()})
        return value, given, defaults


def _nested(paths):
    """{"Rights/RoleName": "users"} as {"Rights": {"RoleName": "users"}}."""
    result = {}
    for path, value in paths.items():
        parts = path.split("/")
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


# --- Differences --------------------------------------------------------------------------------------

def differences(resource, request, current, existing=True):
    """{prop: value to send} for every top-level property that differs from what the user asked for.

    On an `existing` item, a create-only field that differs is a failure: it cannot be changed.
    """
    changes = {}
    for field in resource.fields:
        if isinstance(field, Members):
            if field.prop in request.members:
                changed, members = member_list(field, request, current.get(field.prop))
                if changed:
                    changes[field.prop] = members
        elif field.prop in request.values:
            _field_change(resource, request, field, current, changes, existing)
    for name, value in request.properties.items():
        if not matches(value, current.get(name), type_name=_type_of(resource.type_name, name),
                       derived=resource.derived, unordered=resource.unordered):
            changes[name] = _sent_value(resource, current.get(name), value)
    return changes


def _field_change(resource, request, field, current, changes, existing):
    wanted = request.values[field.prop]
    if field.secret:
        if request.always_secrets and current.get(field.prop) != wanted:
            changes[field.prop] = wanted
        return
    if field_matches(resource, field, wanted, current):
        return
    if field.create_only and existing:
        raise ThreecxError("%s can only be set when the item is created; it holds %s" % (
            field.option, json.dumps(current.get(field.prop))), field.option)
    changes[field.prop] = _sent_value(resource, current.get(field.prop), wanted)


def field_matches(resource, field, wanted, item):
    """Whether the item holds what a field asks for: in its property, or in one of the `also` ones."""
    type_name = _type_of(resource.type_name, field.prop)
    return any(matches(wanted, item.get(prop), field.compare, type_name, resource.derived, resource.unordered)
               for prop in (field.prop,) + field.also)


def _sent_value(resource, current, wanted):
    """A complex property goes whole, merged over its current value; derived parts left out."""
    return _without(merged(current, wanted), resource.derived)


def _without(value, names):
    if isinstance(value, dict):
        return {key: _without(item, names) for key, item in value.items() if key not in names}
    if isinstance(value, list):
        return [_without(item, names) for item in value]
    return value


def member_list(field, request, held):
    """(changed, the whole list to send): merged by default, exact (and ordered) with purge_<list>."""
    held = held if isinstance(held, list) else []
    held_by_key = {member.get(field.key): member for member in held}
    purge = bool(request.params.get(field.purge_option))
    wanted, changed = {}, False
    for key, given, defaults in request.members[field.prop]:
        member = held_by_key.get(key)
        if member is None:
            changed = True
            wanted[key] = dict(merged(defaults, given), **{field.key: key})
        else:
            changed = changed or not matches(given, member)
            wanted[key] = merged(_member_form(field, member), given)
    if purge:
        kept = [member.get(field.key) for member in held if member.get(field.key) in wanted]
        changed = changed or len(held) != len(kept) or (field.ordered and kept != list(wanted))
        return changed, list(wanted.values())
    members = [wanted.pop(member.get(field.key), None) or _member_form(field, member) for member in held]
    return changed, members + list(wanted.values())


def _member_form(field, member):
    """A held member as it is sent back: its key and the properties the module manages, nothing derived."""
    tops = {path.split("/")[0] for path in field.fields.values()}
    return dict({name: copy.deepcopy(member[name]) for name in tops if name in member}, **{field.key: member.get(field.key)})


# --- Ensuring -----------------------------------------------------------------------------------------

class Outcome:
    """What ensure_* found and did: changed, the entity before and after, and the diff."""

    def __init__(self, resource, changed, before, after, diff):
        self.resource = resource
        self.changed = changed
        self.before = before
        self.after = after
        self.diff = diff

    def result(self, with_diff):
        """The module result: the entity under its singular key, `changed`, and `diff` when asked."""
        result = {self.resource.result_key: mask_fields(self.resource, self.after or {}), "changed": self.changed}
        if with_diff:
            result["diff"] = self.diff
        return result


def ensure_present(api, resource, params, check_mode=False, current=_UNKNOWN):
    """Make the item look as `params` asks.

    `current` may be given when already read, such as from one listing of the whole set for a document
    apply (with `$expand` of `resource.expand`, or member lists look empty); None means absent.
    """
    request = Request(resource, params)
    request.resolve(api)
    if current is _UNKNOWN:
        current = read(api, resource, _natural(resource, request, api))
    if current is None:
        return _create(api, resource, request, check_mode)
    return _update(api, resource, request, current, check_mode)


def ensure_absent(api, resource, params, check_mode=False, current=_UNKNOWN):
    """Delete the item `params` names, if it exists."""
    request = Request(resource, params)
    if current is _UNKNOWN:
        current = read(api, resource, _natural(resource, request, api))
    if current is None:
        return Outcome(resource, False, None, None, dict(before={}, after={}))
    diff = dict(before=mask_fields(resource, current), after={})
    if check_mode:
        return Outcome(resource, True, current, current, diff)
    key = current.get(resource.key)
    api.delete(resource.entity_set, key)
    if api.get_or_none(resource.entity_set, key) is not None:
        raise ThreecxError("the PBX accepted the delete of %s %s, but the item is still there"
                           % (resource.entity_set, key))
    return Outcome(resource, True, current, None, diff)


def read(api, resource, natural_value):
    """The item as the PBX holds it, member lists expanded; None when it does not exist.

    `natural_value` is the natural key's value, or {property: value} for a key of several properties.
    """
    if resource.singleton:
        return api.get_singleton(resource.singleton)
    expand = resource.expand or None
    if isinstance(natural_value, dict):
        return api.find_matching(resource.entity_set, natural_value, expand=expand)
    return api.find_by_natural_key(resource.entity_set, resource.natural_keys[0][1], natural_value, expand=expand)


def _natural(resource, request, api):
    """What `read` takes: the plain value of a key of one property without a lookup, else the conditions
    {property: value}, lookups resolved."""
    if resource.singleton:
        return None
    natural = resource.natural_keys
    if len(natural) == 1 and not natural[0][2]:
        return request.params.get(natural[0][0])
    return request.natural_conditions(api)


def _create(api, resource, request, check_mode):
    if resource.singleton:
        raise ThreecxError("the PBX returned no %s" % resource.singleton)
    natural = _natural(resource, request, api)
    body = _create_body(resource, request, natural)
    diff = dict(before={}, after=view(resource, body, request))
    if check_mode:
        return Outcome(resource, True, None, None, diff)
    key = natural if isinstance(natural, dict) else (resource.natural_keys[0][1], natural)
    created = api.create(resource.entity_set, body, natural_key=key)
    after = _reread(api, resource, (created or {}).get(resource.key), natural)
    _verify(resource, request, after, "the create")
    return Outcome(resource, True, None, after, dict(diff, after=view(resource, after, request)))


def _create_body(resource, request, natural):
    conditions = natural if isinstance(natural, dict) else {resource.natural_keys[0][1]: natural}
    body = _nested({prop: value for prop, value in conditions.items() if value is not None})
    body.update(copy.deepcopy(request.values))
    for field in resource.fields:
        if isinstance(field, Members) and field.prop in request.members:
            body[field.prop] = [dict(merged(defaults, given), **{field.key: key})
                                for key, given, defaults in request.members[field.prop]]
    return body


def _update(api, resource, request, current, check_mode):
    changes = differences(resource, request, current)
    predicted = dict(current, **changes)
    diff = dict(before=view(resource, current, request), after=view(resource, predicted, request))
    if not changes or check_mode:
        return Outcome(resource, bool(changes), current, current, diff)
    _write(api, resource, current, predicted, changes)
    after = _reread(api, resource, current.get(resource.key), _natural(resource, request, api))
    _verify(resource, request, after, _write_name(resource))
    return Outcome(resource, True, current, after, dict(diff, after=view(resource, after, request)))


def _write(api, resource, current, predicted, changes):
    if resource.action:
        path, wrapper = resource.action
        # An action takes every field: those the user left out go as they are, never blanked.
        fields = {field.name: predicted.get(field.prop) for field in resource.fields}
        body = {wrapper: {name: value for name, value in fields.items() if value is not None}}
        api.client.call("POST", path, body=body, idempotent=True)
    elif resource.singleton:
        api.client.call("PATCH", resource.singleton, body=changes, idempotent=True)
    else:
        api.update(resource.entity_set, current.get(resource.key), changes)


def _write_name(resource):
    if resource.action:
        return resource.action[0].rsplit(".", 1)[-1]
    return "the change"


def _reread(api, resource, key, natural_value):
    if resource.singleton:
        return api.get_singleton(resource.singleton)
    expand = resource.expand or None
    item = api.get_or_none(resource.entity_set, key, expand=expand) if key is not None else None
    if item is None:
        item = read(api, resource, natural_value)
    if item is None:
        raise ThreecxError("%s with %s is not on the PBX after the write" % (resource.entity_set, json.dumps(
            natural_value if isinstance(natural_value, dict) else {resource.natural_keys[0][1]: natural_value})))
    return item


def _verify(resource, request, after, what):
    """Fail, naming the fields, when the re-read item does not hold what was asked for."""
    remaining = differences(resource, _without_secrets(request), after, existing=False)
    if remaining:
        names = sorted(_field_name(resource, prop) for prop in remaining)
        held = {name: after.get(prop) for name, prop in ((_field_name(resource, prop), prop) for prop in remaining)}
        raise ThreecxError("the PBX accepted %s but did not apply %s; it still holds %s"
                           % (what, ", ".join(names), json.dumps(mask_fields(resource, held), sort_keys=True)))


def _without_secrets(request):
    clean = copy.copy(request)
    clean.always_secrets = False
    return clean


def _field_name(resource, prop):
    return next((field.name for field in resource.fields if field.prop == prop), prop)


# --- Showing ------------------------------------------------------------------------------------------

def view(resource, item, request):
    """The fields a diff shows: the natural key, every typed field, and the properties given."""
    shown = {}
    for _option, prop, _lookup in resource.natural_keys:
        shown[prop] = value_at(item, prop)
    for field in resource.fields:
        value = item.get(field.prop)
        shown[field.name] = _member_view(field, value) if isinstance(field, Members) else value
        if field.secret:
            shown[field.name] = _mask(value)
    for name in request.properties:
        shown[name] = item.get(name)
    return shown


def _member_view(field, members):
    return [_member_form(field, member) for member in members] if isinstance(members, list) else members


def mask_fields(resource, item):
    """The item with its secret fields masked, whatever return_secrets says."""
    if not isinstance(item, dict):
        return item
    masked = dict(item)
    for field in resource.fields:
        if field.secret and field.prop in masked:
            masked[field.prop] = _mask(masked[field.prop])
    return masked


def _mask(value):
    return MASK if value not in (None, "") else value


def to_options(api, resource, item):
    """An item in option form (the module's own names), for export: secrets and read-only fields left out,
    converted values turned back by their field's `reverse`."""
    options = natural_options(api, resource, item)
    for field in resource.fields:
        if field.secret or field.read_only or item.get(field.prop) is None:
            continue
        value = item[field.prop]
        if isinstance(field, Members):
            value = _member_options(api, field, value)
        elif field.reverse:
            value = field.reverse(api, value)
        options[field.option] = value
    return options


def natural_options(api, resource, item):
    """{option: value} of the natural key of an item: what names it to its module, lookups turned back."""
    options = {}
    for option, prop, lookup in resource.natural_keys:
        value = value_at(item, prop)
        options[option] = api.name_of(lookup[0], lookup[1], value) if lookup and value is not None else value
    return options


def _member_options(api, field, members):
    result = []
    for member in members:
        key = member.get(field.key)
        if field.lookup:
            key = api.name_of(field.lookup[0], field.lookup[1], key)
        if field.keys_only:
            result.append(key)
            continue
        option = {field.key_option: key}
        for name, path in field.fields.items():
            option[name] = value_at(member, path)
        result.append(option)
    return result


# --- The module's one line ----------------------------------------------------------------------------

def run_desired_state(module, client, resource, params=None):
    """The whole run() of a desired-state module: state present or absent, check mode, diff.

    `params` replaces module.params where a module has reshaped its options first.
    """
    params = module.params if params is None else params
    ensure = ensure_absent if params.get("state") == "absent" else ensure_present
    return ensure(Resources(client), resource, params, check_mode=module.check_mode).result(with_diff=module._diff)
