# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's memory: every entity set and singleton a PBX lets you create, change and delete.

Driven by the committed entity facts (plugins/module_utils/_entities.py, read through
xapi_model.facts()), never by the spec: which sets exist, their keys and alternate keys, and every
property's type. On top of that generic store sit the few rules a PBX adds, each in one place:

- the numbering plan that every set with a `Number` alternate key shares (Users, Queues, RingGroups...);
- department membership, one relation seen as `Groups` of a member and as `Members` of a department;
- member lists of queues and ring groups (`Agents`, `Managers`, `Members`), holding extension numbers;
- references that must exist (a rule's `GroupIds`, a route's `TrunkId`) and fields the PBX derives;
- trunk passwords, outbound routes padded to five, times written as the PBX writes them.

Callers hold the State lock; nothing here locks. Errors are ODataError, which the server answers.
tests/simulator/README.md documents every behaviour and says which are known and which were chosen.
"""

from __future__ import annotations

import contextlib
import copy
import re

import xapi_model
from xapi_model import split_type
from xapi_odata import ODataError

NOT_FOUND = "WARNINGS.XAPI.NOT_FOUND"
ALREADY_IN_USE = "WARNINGS.XAPI.ALREADY_IN_USE"
DUPLICATE = "WARNINGS.XAPI.DUPLICATE"
INVALID_BODY = "WARNINGS.XAPI.INVALID_BODY"

# The spec's own patterns for the string formats it constrains.
PATTERNS = {
    "date-time": re.compile(r"^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
                            r"([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$"),
    "date": re.compile(r"^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$"),
    "time": re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?$"),
    "duration": re.compile(r"^-?P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+([.][0-9]+)?S)?)?$"),
    "uuid": re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
}
# The PeerType of a member of each numbered set, as `Type` of its memberships.
PEER_TYPES = {"Users": "Extension", "Queues": "Queue", "RingGroups": "RingGroup", "Receptionists": "IVR", "Fax": "Fax",
              "Parkings": "Parking", "Trunks": "ExternalLine"}
# Lists of extensions held by a queue or ring group: (set, property) -> the set their Numbers name.
MEMBER_LISTS = {("Queues", "Agents"): "Users", ("Queues", "Managers"): "Users", ("RingGroups", "Members"): "Users"}
# Numbers a user created without one gets: the first free from here.
FIRST_USER_NUMBER = 100
ROUTE_SLOTS = 5
DEFAULT_ROLE = "users"


def invalid(detail, target=None):
    return ODataError(detail, status=400, message=INVALID_BODY, target=target)


def missing_reference(detail, target):
    return ODataError(detail, status=400, message=NOT_FOUND, target=target)


def not_found(detail, target=None):
    return ODataError(detail, status=404, message=NOT_FOUND, target=target)


def drop_nulls(value):
    """A PBX leaves null properties out of its answers; lists keep their length."""
    if isinstance(value, dict):
        return {key: drop_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [drop_nulls(item) for item in value]
    return value


# ---------------------------------------------------------------- checking values against the facts


def pbx_time(text):
    """09:00:00.0000000, as a PBX writes a time: seven fractional digits."""
    whole, _dot, fraction = text.partition(".")
    return "%s.%s" % (whole, (fraction + "0000000")[:7])


def check_value(kind, value, target, where):
    """The value as the PBX stores it (times normalised), or a 400 naming the top-level property `target`."""
    if value is None:
        return None
    element, collection = split_type(kind)
    if collection:
        if not isinstance(value, list):
            raise invalid("'%s' must be a list." % where, target)
        return [check_value(element, item, target, "%s[%d]" % (where, index)) for index, item in enumerate(value)]
    facts = xapi_model.facts()
    if element in facts["types"]:
        return check_object(element, value, target, where)
    if element in facts["enums"]:
        if value not in facts["enums"][element]:
            raise invalid("'%s' must be one of %s, not %r." % (where, ", ".join(facts["enums"][element]), value), target)
        return value
    return check_primitive(element, value, target, where)


def check_object(type_name, value, target, where):
    if not isinstance(value, dict):
        raise invalid("'%s' must be an object of type '%s'." % (where, type_name), target)
    properties = xapi_model.facts()["types"][type_name]
    checked = {}
    for name, item in value.items():
        if name not in properties:
            raise invalid("The property '%s' does not exist on type '%s'." % (name, type_name), target or name)
        checked[name] = check_value(properties[name], item, target or name, "%s/%s" % (where, name) if where else name)
    return checked


def check_primitive(kind, value, target, where):
    if kind == "boolean":
        good = isinstance(value, bool)
    elif kind == "integer":
        good = isinstance(value, int) and not isinstance(value, bool)
    elif kind == "number":
        good = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        good = isinstance(value, str) and (kind not in PATTERNS or PATTERNS[kind].match(value))
    if not good:
        raise invalid("'%s' is not a valid %s: %r." % (where, kind, value), target)
    return pbx_time(value) if kind == "time" else value


# ---------------------------------------------------------------- one entity set


class EntitySet:
    """The rows of one entity set, and the generic create, update, delete and view; subclasses add a PBX's rules."""

    def __init__(self, store, name):
        facts = xapi_model.facts()["sets"][name]
        self.store = store
        self.name = name
        self.type_name = facts["type"]
        self.key = facts["key"]
        self.key_type = facts["key_type"]
        self.alternate_keys = facts["alternate_keys"]
        self.operations = facts["operations"]
        self.properties = xapi_model.facts()["types"][self.type_name]
        self.navigation = set(xapi_model.facts()["navigation"].get(self.type_name, ()))
        self.entity_type = xapi_model.type_from_facts(self.type_name, key=self.key)
        self.rows = {}
        self.next_id = 1

    @property
    def numbered(self):
        return "Number" in self.alternate_keys

    # -- reading

    def find(self, key):
        row = self.rows.get(key)
        if row is None:
            raise not_found("No %s with %s %s." % (self.type_name, self.key, _shown(key)), self.key)
        return row

    def find_by(self, prop, value):
        for row in self.rows.values():
            if row.get(prop) == value:
                return row
        raise not_found("No %s with %s '%s'." % (self.type_name, prop, value), prop)

    def all(self):
        return [self.rows[key] for key in sorted(self.rows, key=_key_order)]

    def view(self, row):
        """The full entity a PBX would send, navigation properties included (the OData layer leaves them out)."""
        return copy.deepcopy(row)

    # -- writing

    def create(self, body):
        values = self.check_body(body, creating=True)
        row = {name: value for name, value in values.items() if name not in self.navigation}
        row[self.key] = self.new_key(values)
        if row[self.key] in self.rows:
            raise ODataError("%s:\nWARNINGS.XAPI.DUPLICATE" % self.key, message=DUPLICATE, target=self.key)
        with self.store.undo_on_error(self, row[self.key]):
            self.before_create(row, values)
            self.rows[row[self.key]] = row
            self.write_navigation(row, values, creating=True)
        return row

    def update(self, key, body):
        row = self.find(key)
        values = self.check_body(body, creating=False)
        if self.key in values and values[self.key] != key:
            raise invalid("The key '%s' cannot be changed." % self.key, self.key)
        changes = {name: value for name, value in values.items() if name not in self.navigation}
        with self.store.undo_on_error(self, key):
            self.before_update(row, changes, values)
            row.update(changes)
            self.write_navigation(row, values, creating=False)
        return row

    def delete(self, key):
        row = self.find(key)
        self.before_delete(row)
        del self.rows[key]
        self.store.forget(self, row)

    def new_key(self, values):
        if self.key_type == "integer":
            key, self.next_id = self.next_id, self.next_id + 1
            return key
        if values.get(self.key) in (None, ""):
            if self.key == "Id":
                key, self.next_id = str(self.next_id), self.next_id + 1
                return key
            raise invalid("'%s' is required." % self.key, self.key)
        return values[self.key]

    def check_body(self, body, creating):
        if not isinstance(body, dict):
            raise invalid("The body must be a JSON object of type '%s'." % self.type_name)
        values = check_object(self.type_name, body, None, "")
        for name in self.derived():
            values.pop(name, None)
        return values

    def derived(self):
        """Properties the PBX fills in itself: accepted in a body (a client may send back what it read) and ignored."""
        return ()

    def before_create(self, row, values):
        """Check and complete a new row (values are the checked body, navigation included)."""

    def before_update(self, row, changes, values):
        """Check changes to a row before they are applied."""

    def before_delete(self, row):
        """Refuse a delete, by raising."""

    def write_navigation(self, row, values, creating):
        """Navigation lists in a body replace the stored list whole."""
        for name in self.navigation:
            if name in values:
                row[name] = values[name] if values[name] is not None else []


def _shown(key):
    return "'%s'" % key if isinstance(key, str) else str(key)


def _key_order(key):
    return (0, key, "") if isinstance(key, int) else (1, 0, str(key))


# ---------------------------------------------------------------- the numbering plan and memberships


class NumberedSet(EntitySet):
    """A set whose entities hold a Number of the shared numbering plan, and can be department members."""

    joins_default_department = True

    def before_create(self, row, values):
        if row.get("Number") in (None, ""):
            row["Number"] = self.default_number()
        self.store.claim_number(row["Number"])

    def default_number(self):
        raise invalid("'Number' is required.", "Number")

    def before_update(self, row, changes, values):
        if "Number" in changes and changes["Number"] != row.get("Number"):
            raise invalid("Number:\nThe Number of a %s cannot be changed." % self.type_name, "Number")

    def write_navigation(self, row, values, creating):
        has_groups = "Groups" in values
        groups = values.pop("Groups", None)
        super().write_navigation(row, values, creating)
        if has_groups:
            self.store.set_groups_of(self, row, groups or [])
        elif creating and "Groups" in self.navigation and self.joins_default_department:
            self.store.join_default_department(self, row)

    def view(self, row):
        entity = super().view(row)
        if "Groups" in self.navigation:
            entity["Groups"] = self.store.groups_of(self.name, row[self.key])
        return entity

    def member_name(self, row):
        return row.get("Name")


class Users(NumberedSet):
    def default_number(self):
        number = FIRST_USER_NUMBER
        while str(number) in self.store.numbers():
            number += 1
        return str(number)

    def member_name(self, row):
        return " ".join(part for part in (row.get("FirstName"), row.get("LastName")) if part) or row.get("Number")


class MemberListSet(NumberedSet):
    """Queues and ring groups: lists of extensions (Agents, Managers, Members) given by Number, shown with Name."""

    def lists(self):
        return [prop for (set_name, prop) in MEMBER_LISTS if set_name == self.name]

    def write_navigation(self, row, values, creating):
        for prop in self.lists():
            if prop in values:
                row[prop] = self.check_members(prop, values.pop(prop) or [])
            elif creating:
                row[prop] = []
        super().write_navigation(row, values, creating)

    def check_members(self, prop, members):
        target_set = self.store.sets[MEMBER_LISTS[(self.name, prop)]]
        seen, stored = set(), []
        for member in members:
            number = member.get("Number")
            if not number:
                raise invalid("Each of '%s' needs a Number." % prop, prop)
            if number in seen:
                raise ODataError("%s:\nThe extension %s is listed twice." % (prop, number), message=DUPLICATE, target=prop)
            seen.add(number)
            if not any(row.get("Number") == number for row in target_set.rows.values()):
                raise missing_reference("%s:\nNo extension with Number '%s'." % (prop, number), prop)
            stored.append({name: value for name, value in member.items() if name not in ("Id", "Name")})
        return stored

    def view(self, row):
        entity = super().view(row)
        for prop in self.lists():
            users = self.store.sets[MEMBER_LISTS[(self.name, prop)]]
            entity[prop] = [self._filled(member, users) for member in row.get(prop, [])]
        return entity

    @staticmethod
    def _filled(member, users):
        user = next(row for row in users.rows.values() if row.get("Number") == member["Number"])
        return dict(member, Id=user["Id"], Name=users.member_name(user))


class Groups(EntitySet):
    """Departments: Number GRPn given by the PBX, one default, members seen from both sides."""

    def before_create(self, row, values):
        if values.get("Number") not in (None, ""):
            raise invalid("Number:\nThe PBX assigns a department's Number.", "Number")
        self._unique_name(row.get("Name"), None)
        number = 1
        while any(other.get("Number") == "GRP%d" % number for other in self.rows.values()):
            number += 1
        row["Number"] = "GRP%d" % number
        row["IsDefault"] = False

    def before_update(self, row, changes, values):
        if "Number" in changes and changes["Number"] != row.get("Number"):
            raise invalid("Number:\nThe Number of a department cannot be changed.", "Number")
        if "IsDefault" in changes and changes["IsDefault"] != row.get("IsDefault"):
            raise invalid("IsDefault:\nWhich department is the default cannot be changed here.", "IsDefault")
        if "Name" in changes:
            self._unique_name(changes["Name"], row["Id"])

    def _unique_name(self, name, own_id):
        if not name:
            raise invalid("'Name' is required.", "Name")
        for other in self.rows.values():
            if other["Id"] != own_id and (other.get("Name") or "").lower() == name.lower():
                raise ODataError("Name:\nWARNINGS.XAPI.DUPLICATE", message=DUPLICATE, target="Name")

    def before_delete(self, row):
        if row.get("IsDefault"):
            raise invalid("The default department cannot be deleted.", "Id")

    def write_navigation(self, row, values, creating):
        has_members = "Members" in values
        members = values.pop("Members", None)
        super().write_navigation(row, values, creating)
        if has_members:
            self.store.set_members_of(row, members or [])

    def view(self, row):
        entity = super().view(row)
        entity["Members"] = self.store.members_of(row["Id"])
        return entity


class OutboundRules(EntitySet):
    """GroupIds and TrunkIds must exist; GroupNames and TrunkName are derived; routes padded to five."""

    def derived(self):
        return ("GroupNames",)

    def before_create(self, row, values):
        self._check(row)
        if row.get("Priority") is None:
            row["Priority"] = max([other.get("Priority") or 0 for other in self.rows.values()] + [0]) + 1
        row.setdefault("Routes", [])
        row["Routes"] = self._padded(row["Routes"])
        row.setdefault("GroupIds", [])

    def before_update(self, row, changes, values):
        self._check(changes)
        if "Routes" in changes:
            changes["Routes"] = self._padded(changes["Routes"] or [])

    def _check(self, values):
        groups = self.store.sets["Groups"].rows
        for group_id in values.get("GroupIds") or []:
            if group_id not in groups:
                raise missing_reference("GroupIds:\nNo department with Id %s." % group_id, "GroupIds")
        routes = values.get("Routes") or []
        if len(routes) > ROUTE_SLOTS:
            raise invalid("Routes:\nAn outbound rule has at most %d routes." % ROUTE_SLOTS, "Routes")
        for route in routes:
            trunk_id = route.get("TrunkId")
            if trunk_id not in (None, -1) and trunk_id not in self.store.sets["Trunks"].rows:
                raise missing_reference("Routes:\nNo trunk with Id %s." % trunk_id, "Routes")

    @staticmethod
    def _padded(routes):
        routes = [{name: value for name, value in route.items() if name != "TrunkName"} for route in routes]
        for route in routes:
            if route.get("TrunkId") is None:
                route["TrunkId"] = -1
        return routes + [{"TrunkId": -1} for _slot in range(ROUTE_SLOTS - len(routes))]

    def view(self, row):
        entity = super().view(row)
        groups, trunks = self.store.sets["Groups"].rows, self.store.sets["Trunks"].rows
        entity["GroupNames"] = [groups[group_id].get("Name") for group_id in entity.get("GroupIds") or [] if group_id in groups]
        for route in entity.get("Routes") or []:
            if route.get("TrunkId", -1) in trunks:
                route["TrunkName"] = trunks[route["TrunkId"]].get("Gateway", {}).get("Name") or trunks[route["TrunkId"]].get("Number")
        return entity


class Trunks(NumberedSet):
    """AuthPassword is kept in clear and shown as {"Value": ...}, or {"Concealed": true} for a bridge."""

    joins_default_department = False

    def member_name(self, row):
        return (row.get("Gateway") or {}).get("Name") or row.get("Number")

    def before_create(self, row, values):
        super().before_create(row, values)
        row["AuthPassword"] = self.password(values.get("AuthPassword"), None)

    def before_update(self, row, changes, values):
        super().before_update(row, changes, values)
        if "AuthPassword" in changes:
            changes["AuthPassword"] = self.password(changes["AuthPassword"], row.get("AuthPassword"))

    @staticmethod
    def password(given, current):
        """{"Value": v} sets it; {"Concealed": true} (what a client read back) keeps the current one."""
        if not given or given.get("Value") is None:
            return current
        return {"Value": given["Value"]}

    def view(self, row):
        entity = super().view(row)
        gateway_type = (entity.get("Gateway") or {}).get("Type") or ""
        if gateway_type.startswith("Bridge"):
            entity["AuthPassword"] = {"Concealed": True}
        return entity


class InboundRules(EntitySet):
    """TrunkDN names an existing trunk, by Id or Number."""

    def before_create(self, row, values):
        self._check(values)

    def before_update(self, row, changes, values):
        self._check(values)

    def _check(self, values):
        peer = values.get("TrunkDN")
        if not peer:
            return
        trunks = self.store.sets["Trunks"].rows.values()
        if not any(trunk["Id"] == peer.get("Id") or trunk.get("Number") == peer.get("Number") for trunk in trunks):
            raise missing_reference("TrunkDN:\nNo trunk %s." % (peer.get("Number") or peer.get("Id")), "TrunkDN")

    def view(self, row):
        entity = super().view(row)
        peer = entity.get("TrunkDN")
        if peer:
            for trunk in self.store.sets["Trunks"].rows.values():
                if trunk["Id"] == peer.get("Id") or trunk.get("Number") == peer.get("Number"):
                    entity["TrunkDN"] = {"Id": trunk["Id"], "Number": trunk.get("Number"),
                                         "Name": (trunk.get("Gateway") or {}).get("Name"), "Type": "ExternalLine"}
        return entity


SET_CLASSES = {"Users": Users, "Queues": MemberListSet, "RingGroups": MemberListSet, "Groups": Groups,
               "OutboundRules": OutboundRules, "Trunks": Trunks, "InboundRules": InboundRules}


# ---------------------------------------------------------------- the store


class Store:
    """Every entity set of the facts, the OfficeHours singleton, and the membership relation."""

    def __init__(self):
        facts = xapi_model.facts()
        self.sets = {}
        for name in facts["sets"]:
            # Sets without a create (templates, uploads, device records) get their entities some other way:
            # the spec's generated answers serve them.
            if "create" not in facts["sets"][name]["operations"] and name not in SET_CLASSES:
                continue
            cls = SET_CLASSES.get(name)
            if cls is None:
                cls = NumberedSet if "Number" in facts["sets"][name]["alternate_keys"] else EntitySet
            self.sets[name] = cls(self, name)
        # MyUser and MyGroup are views of the API client's own user and department, not settings: left to the spec.
        self.singletons = {name: {} for name in facts["singletons"] if name not in ("MyUser", "MyGroup")}
        # Settings read by a function, such as GetBackupSettings() (SETTINGS_FUNCTIONS): those the seed fills.
        # The rest, and the SetX actions that write them, are left to the spec.
        self.function_settings = {}
        self.memberships = []  # {"Id", "set", "member", "group", "Rights"}
        self.next_membership = 1
        self.updates = Updates({"Key": None, "Entries": []})
        self.services = Services()

    @classmethod
    def seeded(cls, seed):
        """The store of a PBX set up by xapi_seed.configuration(seed), through the same creates a client uses."""
        import xapi_seed
        store = cls()
        for set_name, body in xapi_seed.configuration(seed):
            row = store.sets[set_name].create(body)
            if set_name == "Groups" and row["Id"] == 1:
                row["IsDefault"] = True  # the PBX's own department: no client can make one
        store.update_singleton("OfficeHours", xapi_seed.office_hours())
        for name, body in xapi_seed.settings(seed).items():
            store.update_singleton(name, body)
        for row in xapi_seed.backups(seed):
            store.sets["Backups"].rows[row["FileName"]] = row
        store.updates = Updates(xapi_seed.updates(seed))
        for name, body in xapi_seed.function_settings(seed).items():
            store.function_settings[name] = check_object(store.function_settings_type(name), body, None, "")
        return store

    @contextlib.contextmanager
    def undo_on_error(self, entity_set, key):
        """A write that fails half-way leaves nothing behind: the row and the memberships come back as they were."""
        saved_row = copy.deepcopy(entity_set.rows.get(key))
        saved_memberships = copy.deepcopy(self.memberships)
        try:
            yield
        except ODataError:
            if saved_row is None:
                entity_set.rows.pop(key, None)
            else:
                entity_set.rows[key] = saved_row
            self.memberships = saved_memberships
            raise

    # -- the numbering plan

    def numbered_sets(self):
        return [entity_set for entity_set in self.sets.values() if entity_set.numbered]

    def numbers(self):
        return {row.get("Number") for entity_set in self.numbered_sets() for row in entity_set.rows.values()}

    def claim_number(self, number):
        if number in self.numbers():
            raise ODataError("Number:\nWARNINGS.XAPI.ALREADY_IN_USE", message=ALREADY_IN_USE, target="Number")

    def by_number(self, number):
        """(set, row) of the numbered entity with this Number, or (None, None)."""
        for entity_set in self.numbered_sets():
            for row in entity_set.rows.values():
                if row.get("Number") == number:
                    return entity_set, row
        return None, None

    # -- department membership

    def _membership(self, set_name, member_id, group_id, rights):
        rights = dict(rights or {})
        rights.setdefault("RoleName", DEFAULT_ROLE)
        entry = {"Id": self.next_membership, "set": set_name, "member": member_id, "group": group_id, "Rights": rights}
        self.next_membership += 1
        return entry

    def set_groups_of(self, entity_set, row, groups):
        departments = self.sets["Groups"].rows
        entries = []
        for group in groups:
            group_id = group.get("GroupId")
            if group_id not in departments:
                raise missing_reference("Groups:\nNo department with Id %s." % group_id, "Groups")
            if any(entry["group"] == group_id for entry in entries):
                raise ODataError("Groups:\nThe department %s is listed twice." % group_id, message=DUPLICATE, target="Groups")
            entries.append(self._membership(entity_set.name, row[entity_set.key], group_id, group.get("Rights")))
        self.memberships = [entry for entry in self.memberships
                            if not (entry["set"] == entity_set.name and entry["member"] == row[entity_set.key])] + entries

    def join_default_department(self, entity_set, row):
        for group in self.sets["Groups"].rows.values():
            if group.get("IsDefault"):
                self.memberships.append(self._membership(entity_set.name, row[entity_set.key], group["Id"], None))

    def set_members_of(self, group, members):
        entries = []
        for member in members:
            entity_set, row = self.by_number(member.get("Number"))
            if row is None:
                raise missing_reference("Members:\nNo extension with Number '%s'." % member.get("Number"), "Members")
            if any(entry["set"] == entity_set.name and entry["member"] == row[entity_set.key] for entry in entries):
                raise ODataError("Members:\n%s is listed twice." % member.get("Number"), message=DUPLICATE, target="Members")
            entries.append(self._membership(entity_set.name, row[entity_set.key], group["Id"], member.get("Rights")))
        self.memberships = [entry for entry in self.memberships if entry["group"] != group["Id"]] + entries

    def groups_of(self, set_name, member_id):
        """User.Groups: the member's departments, Name and Number being the department's."""
        departments = self.sets["Groups"].rows
        member_set = self.sets[set_name]
        member = member_set.rows[member_id]
        return [{"Id": entry["Id"], "GroupId": entry["group"], "Name": departments[entry["group"]].get("Name"),
                 "Number": departments[entry["group"]].get("Number"), "MemberName": member_set.member_name(member),
                 "Type": PEER_TYPES.get(set_name), "Rights": copy.deepcopy(entry["Rights"])}
                for entry in self.memberships if entry["set"] == set_name and entry["member"] == member_id]

    def members_of(self, group_id):
        """Group.Members: the department's members, Name and Number being the member's."""
        members = []
        for entry in self.memberships:
            if entry["group"] == group_id:
                member_set = self.sets[entry["set"]]
                member = member_set.rows[entry["member"]]
                name = member_set.member_name(member)
                members.append({"Id": entry["Id"], "GroupId": group_id, "Number": member.get("Number"), "Name": name,
                                "MemberName": name, "Type": PEER_TYPES.get(entry["set"]),
                                "Rights": copy.deepcopy(entry["Rights"])})
        return members

    # -- cascades

    def forget(self, entity_set, row):
        """After a delete: memberships, member lists and references that named the row go with it."""
        key = row[entity_set.key]
        if entity_set.name == "Groups":
            self.memberships = [entry for entry in self.memberships if entry["group"] != key]
            for rule in self.sets["OutboundRules"].rows.values():
                rule["GroupIds"] = [group_id for group_id in rule.get("GroupIds") or [] if group_id != key]
        else:
            self.memberships = [entry for entry in self.memberships
                                if not (entry["set"] == entity_set.name and entry["member"] == key)]
        for (set_name, prop), target in MEMBER_LISTS.items():
            if target == entity_set.name:
                for holder in self.sets[set_name].rows.values():
                    holder[prop] = [member for member in holder.get(prop, []) if member.get("Number") != row.get("Number")]
        if entity_set.name == "Trunks":
            for rule in self.sets["OutboundRules"].rows.values():
                rule["Routes"] = [route if route.get("TrunkId") != key else {"TrunkId": -1} for route in rule.get("Routes", [])]

    # -- singletons: OfficeHours and the settings

    def singleton_type(self, name):
        return xapi_model.facts()["singletons"][name]["type"]

    def singleton(self, name):
        """A singleton as the PBX shows it (passwords in clear, as {"Value": ...}); OfficeHours with its holidays."""
        value = copy.deepcopy(self.singletons[name])
        if name == "OfficeHours":
            value["OfficeHolidays"] = [self.sets["Holidays"].view(row) for row in self.sets["Holidays"].all()]
        return value

    def function_settings_type(self, name):
        return xapi_model.facts()["settings_functions"][name]["type"]

    def update_singleton(self, name, body):
        """PATCH: the given properties replace the stored ones; navigation properties are changed elsewhere (400)."""
        type_name = self.singleton_type(name)
        if not isinstance(body, dict):
            raise invalid("The body must be a JSON object of type '%s'." % type_name)
        values = check_object(type_name, body, None, "")
        for prop in xapi_model.facts()["navigation"].get(type_name, ()):
            if prop in values:
                raise invalid("%s:\nA navigation property of %s cannot be changed here." % (prop, name), prop)
        stored = self.singletons[name]
        for prop, value in values.items():
            if xapi_model.facts()["types"][type_name][prop] == "Pbx.ConcealedPassword":
                value = Trunks.password(value, stored.get(prop))
            stored[prop] = value


# ---------------------------------------------------------------- backups and updates

# The two actions' bodies are not entity types, so the facts do not hold them: their few fields are here.
BACKUP_CONTENTS = ("CallHistory", "DisableBackupCompression", "EncryptBackup", "EncryptBackupPassword", "FQDN", "License",
                   "PhoneProvisioning", "Prompts", "Recordings", "VoiceMails")


class Backups(EntitySet):
    """Backups are made by the Pbx.Backup action and appear in the list `backup_delay` seconds later."""

    def __init__(self, store, name):
        super().__init__(store, name)
        self.pending = []  # (ready at, row)

    def request_backup(self, body, now, delay):
        description = body.get("description") if isinstance(body, dict) else None
        if not isinstance(body, dict) or set(body) != {"description"} or not isinstance(description, dict):
            raise invalid("The body must be an object whose one property, description, holds Name and Contents.",
                          "description")
        unknown = sorted(set(description) - {"Name", "Contents"})
        if unknown:
            raise invalid("The property '%s' does not exist on type 'Pbx.CreateBackup'." % unknown[0], unknown[0])
        name = description.get("Name")
        if not isinstance(name, str) or not name.strip() or "/" in name:
            raise invalid("Name:\nA backup needs a file name.", "Name")
        contents = description.get("Contents") or {}
        if not isinstance(contents, dict) or set(contents) - set(BACKUP_CONTENTS):
            raise invalid("Contents:\nContents holds only %s." % ", ".join(BACKUP_CONTENTS), "Contents")
        file_name = name if name.endswith(".zip") else name + ".zip"
        if file_name in self.rows or any(row["FileName"] == file_name for _ready, row in self.pending):
            raise ODataError("Name:\nWARNINGS.XAPI.DUPLICATE", message=DUPLICATE, target="Name")
        size = 1048576 * (3 + sum(1 for value in contents.values() if value is True))
        row = {"FileName": file_name, "Size": size, "CreationTime": _iso(now + delay),
               "DownloadLink": "/xapi/v1/Backups/Pbx.DownloadBackup(file='%s')" % file_name.replace("'", "''")}
        self.pending.append((now + delay, row))

    def download(self, file_name):
        """The bytes of a listed backup, as (size, chunks): made up, deterministic, never held whole."""
        row = self.find(file_name)
        return row["Size"], _backup_chunks(row["FileName"], row["Size"])

    def settle(self, now):
        """Backups whose time has come join the list."""
        for ready, row in list(self.pending):
            if ready <= now:
                self.rows[row["FileName"]] = row
                self.pending.remove((ready, row))


def _backup_chunks(file_name, size, chunk=65536):
    """`size` bytes of a ZIP-looking file: the local-file signature, then the name repeated."""
    pattern = (b"PK\x03\x04" + file_name.encode("utf-8") + b"\n") * (chunk // 16)
    sent = 0
    while sent < size:
        piece = pattern[:min(chunk, size - sent)]
        sent += len(piece)
        yield piece


def _iso(moment):
    import datetime
    return datetime.datetime.fromtimestamp(moment, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Updates:
    """GET /GetUpdates() and POST /InstallUpdates: entries, some out of date; the PBX's own one restarts it."""

    def __init__(self, seeded):
        self.key = seeded["Key"]
        self.entries = copy.deepcopy(seeded["Entries"])

    def listing(self):
        return {"Key": self.key, "IsMaintananceExpired": False, "Entries": copy.deepcopy(self.entries)}

    def install(self, body):
        """Bring the named entries up to date; True when one of them is the PBX itself (it restarts)."""
        install = body.get("install") if isinstance(body, dict) else None
        if not isinstance(body, dict) or set(body) != {"install"} or not isinstance(install, dict):
            raise invalid("The body must be an object whose one property, install, holds Key and Entries.", "install")
        unknown = sorted(set(install) - {"Key", "Entries"})
        if unknown:
            raise invalid("The property '%s' does not exist on type 'Pbx.InstallUpdates'." % unknown[0], unknown[0])
        if install.get("Key") != self.key:
            raise invalid("Key:\nThe update list changed; read GetUpdates() again.", "Key")
        wanted = install.get("Entries")
        if not isinstance(wanted, list) or not all(isinstance(guid, str) for guid in wanted):
            raise invalid("Entries:\nEntries is a list of GUIDs.", "Entries")
        by_guid = {entry["Guid"]: entry for entry in self.entries}
        for guid in wanted:
            if guid not in by_guid:
                raise missing_reference("Entries:\nNo update %s." % guid, "Entries")
        restarts = False
        for guid in wanted:
            entry = by_guid[guid]
            if entry.get("OutOfDate"):
                restarts = restarts or entry.get("Category") == "3CX"
                entry["LocalVersion"], entry["OutOfDate"] = entry["ServerVersion"], False
        return restarts


# ---------------------------------------------------------------- services

# The PBX's services as GET /Services lists them (Pbx.ServiceInfo). Chosen: names of a Debian 3CX v20 install;
# the core ones (the configuration service that serves XAPI, the database) cannot be stopped from XAPI.
SERVICES = (
    ("3CXCfgServ01", "3CX PhoneSystem Configuration Server", False),
    ("3CXSystemService", "3CX PhoneSystem System Service", True),
    ("3CXCallFlow01", "3CX PhoneSystem Call Flow Server", True),
    ("3CXQueueManager01", "3CX PhoneSystem Queue Manager Server", True),
    ("3CXIVR01", "3CX PhoneSystem IVR Server", True),
    ("3CXMediaServer", "3CX PhoneSystem Media Server", True),
    ("nginx", "Nginx web server", False),
    ("postgresql", "PostgreSQL database", False),
)
SERVICE_ACTIONS = ("Start", "Stop", "Restart", "Enable", "Disable")


class Services:
    """GET /Services and the actions on them: POST /Services/Pbx.<Action> {"options": {"ServiceNames": [...]}}.

    Whether a service is enabled (starts at boot) is kept, but not listed: Pbx.ServiceInfo has no such property.
    """

    def __init__(self):
        self.rows = {name: {"Name": name, "DisplayName": display, "Status": "Running", "StartStopEnabled": manageable,
                            "RestartEnabled": True, "MemoryUsed": 52428800 + 1048576 * index, "ThreadCount": 12 + index,
                            "HandleCount": 80 + index, "TotalProcessorTime": 1000 * (index + 1)}
                     for index, (name, display, manageable) in enumerate(SERVICES)}
        self.enabled = {name: True for name in self.rows}

    def listing(self):
        return [copy.deepcopy(row) for row in self.rows.values()]

    def stored(self):
        """As /_sim/store shows them: with `Enabled`, which the API never lists."""
        return [dict(row, Enabled=self.enabled[name]) for name, row in self.rows.items()]

    def act(self, action, body):
        options = body.get("options") if isinstance(body, dict) else None
        if not isinstance(body, dict) or set(body) != {"options"} or not isinstance(options, dict):
            raise invalid("The body must be an object whose one property, options, holds ServiceNames.", "options")
        unknown = sorted(set(options) - {"ServiceNames"})
        if unknown:
            raise invalid("The property '%s' does not exist on type 'Pbx.XServiceManageOptions'." % unknown[0],
                          unknown[0])
        names = options.get("ServiceNames")
        if not isinstance(names, list) or not names or not all(isinstance(name, str) for name in names):
            raise invalid("ServiceNames:\nServiceNames is a list of service names.", "ServiceNames")
        for name in names:
            if name not in self.rows:
                raise missing_reference("ServiceNames:\nNo service %s." % name, "ServiceNames")
            if action in ("Start", "Stop") and not self.rows[name]["StartStopEnabled"]:
                raise invalid("ServiceNames:\nService %s cannot be started or stopped." % name, "ServiceNames")
        for name in names:
            if action in ("Enable", "Disable"):
                self.enabled[name] = action == "Enable"
            else:
                self.rows[name]["Status"] = "Stopped" if action == "Stop" else "Running"

    def not_running(self):
        return [row["Name"] for row in self.rows.values() if row["Status"] != "Running"]


SET_CLASSES["Backups"] = Backups
