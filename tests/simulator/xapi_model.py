# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The XAPI simulator's small type model: which properties an entity type has, and of what kind.

OData needs this to tell an unknown property (400) from a null one, a navigation property (left out
unless expanded) from a complex one (always there), and a string from a number in `$filter`.
The five types the simulator serves itself are described here by hand, so that it works without
the spec; every other type is read from the spec's schemas by `EntityType.from_schema`.
"""

from __future__ import annotations

PRIMITIVE = "primitive"
COMPLEX = "complex"
NAVIGATION = "navigation"

# OpenAPI (type, format) -> the simulator's primitive type names.
_FORMAT_TYPES = {
    ("string", "date-time"): "datetime",
    ("string", "date"): "date",
    ("string", "time"): "time",
    ("string", "duration"): "duration",
    ("string", "uuid"): "guid",
    ("number", None): "float",
    ("number", "float"): "float",
    ("number", "double"): "float",
    ("boolean", None): "bool",
}


class Prop:
    """One property: its kind (primitive, complex, navigation), primitive type or target type, and cardinality."""

    __slots__ = ("name", "kind", "type", "collection", "_target")

    def __init__(self, name, kind=PRIMITIVE, type_="string", collection=False, target=None):
        self.name = name
        self.kind = kind
        self.type = type_
        self.collection = collection
        self._target = target

    @property
    def target(self):
        """The EntityType of a complex or navigation property; built on first use, since types refer to each other."""
        if callable(self._target):
            self._target = self._target()
        return self._target

    @property
    def is_structural(self):
        return self.kind != NAVIGATION

    def __repr__(self):
        return "Prop(%s, %s, %s%s)" % (self.name, self.kind, self.type, ", collection" if self.collection else "")


class EntityType:
    """A named set of properties (entity or complex type) and, for entities, the key property."""

    def __init__(self, name, props, key=None):
        self.name = name
        self.props = {prop.name: prop for prop in props}
        self.key = key

    def get(self, name):
        return self.props.get(name)

    def structural(self):
        return [prop for prop in self.props.values() if prop.is_structural]

    def navigation(self):
        return [prop for prop in self.props.values() if not prop.is_structural]

    @classmethod
    def from_schema(cls, resolver, schema, name="", cache=None):
        """Build a type from an OpenAPI object schema (after $ref and allOf), types built once per name."""
        cache = {} if cache is None else cache
        if name and name in cache:
            return cache[name]
        entity = cls(name or "Anonymous", [])
        if name:
            cache[name] = entity
        for prop_name, prop_schema in resolver.object_properties(schema).items():
            entity.props[prop_name] = _prop_from_schema(resolver, prop_name, prop_schema, cache)
        entity.key = "Id" if "Id" in entity.props else None
        return entity


def _prop_from_schema(resolver, name, schema, cache):
    navigation = bool(schema.get("x-ms-navigationProperty"))
    collection = schema.get("type") == "array"
    element = schema.get("items", {}) if collection else schema
    ref_name, resolved = resolver.unwrap(element)
    if resolved.get("type") == "object" or resolver.object_properties(resolved):
        kind = NAVIGATION if navigation else COMPLEX

        def build(ref_name=ref_name, resolved=resolved):
            return EntityType.from_schema(resolver, resolved, ref_name, cache)
        return Prop(name, kind, "object", collection, build)
    return Prop(name, PRIMITIVE, primitive_type(resolved), collection)


def primitive_type(schema):
    """The primitive type name of a resolved schema: string, int, float, bool, datetime, guid, enum..."""
    if "enum" in schema:
        return "enum"
    if "oneOf" in schema or "anyOf" in schema:
        # XAPI's only oneOf is a float that may also be sent as "INF"/"NaN": a number for $filter.
        return "float"
    kind = schema.get("type", "string")
    if kind == "integer":
        return "int"
    return _FORMAT_TYPES.get((kind, schema.get("format")), _FORMAT_TYPES.get((kind, None), "string"))


def _string(name):
    return Prop(name)


def _int(name):
    return Prop(name, type_="int")


def _bool(name):
    return Prop(name, type_="bool")


def _datetime(name):
    return Prop(name, type_="datetime")


PHONE_REGISTRAR = EntityType("Pbx.PhoneRegistrar", [
    _int("Capabilities"), _string("FirmwareAvailable"), _string("FirmwareVersion"), _string("InterfaceLink"),
    _string("IpAddress"), _string("MAC"), _string("Model"), _string("UserAgent"), _string("Vendor"),
])

PEER_GROUP = EntityType("Pbx.PeerGroup", [
    _int("GroupID"), _bool("IsPrimary"), _string("Name"), _string("Number"), _string("RoleName"),
], key="GroupID")

PEER = EntityType("Pbx.Peer", [
    _bool("Hidden"), _int("Id"), Prop("MemberOf", NAVIGATION, "object", True, PEER_GROUP), _string("Name"),
    _string("Number"), Prop("Tags", PRIMITIVE, "enum", collection=True), Prop("Type", PRIMITIVE, "enum"),
], key="Id")

SIP_DEVICE = EntityType("Pbx.SipDevice", [
    Prop("DN", NAVIGATION, "object", False, PEER), _int("Id"), _string("PhoneWebPassword"), _string("ProvLink"),
    Prop("Registrar", COMPLEX, "object", False, PHONE_REGISTRAR),
], key="Id")

FAILOVER_SCRIPT_FILE = EntityType("Pbx.FailoverScriptFile", [_string("Filename")])

COUNTRY = EntityType("Pbx.Country", [_string("Continent"), _string("CountryCode"), _string("Name")])

LICENSE_STATUS = EntityType("Pbx.LicenseStatus", [
    _bool("Activated"), Prop("ActiveModules", collection=True), _string("AdminEMail"), _string("CompanyName"),
    _string("ContactName"), _string("CountryCode"), _string("CountryName"), _string("EMail"),
    _datetime("ExpirationDate"), _bool("LicenseActive"), _string("LicenseKey"), _datetime("MaintenanceExpiresAt"),
    _int("MaxSimCalls"), _string("ProductCode"), _string("ResellerName"), _int("SimMeetingParticipants"),
    _bool("Support"), _string("Telephone"), _string("Version"),
])


# ---------------------------------------------------------------- types from the committed entity facts

# _entities.py primitive names -> the simulator's primitive type names.
_FACT_PRIMITIVES = {"string": "string", "integer": "int", "number": "float", "boolean": "bool", "date-time": "datetime",
                    "date": "date", "time": "time", "duration": "duration", "uuid": "guid", "binary": "string"}
_FACTS = {}


def facts():
    """plugins/module_utils/_entities.py, the facts the catalogue generator writes: loaded from its file, once.

    It is only literals, so it is read by path rather than imported as part of the collection: the
    simulator runs from any copy of the tree, with or without ansible_collections on sys.path.
    """
    if not _FACTS:
        import importlib.util
        from pathlib import Path
        path = Path(__file__).resolve().parents[2] / "plugins" / "module_utils" / "_entities.py"
        spec = importlib.util.spec_from_file_location("xapi_entity_facts", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _FACTS.update(sets=module.ENTITY_SETS, singletons=module.SINGLETONS,
                      settings_functions=module.SETTINGS_FUNCTIONS, types=module.TYPES,
                      navigation=module.NAVIGATION, enums=module.ENUMS, primitives=module.PRIMITIVES)
    return _FACTS


def split_type(kind):
    """("Pbx.Period", True) for "Pbx.Period[]": the element type and whether it is a collection."""
    return (kind[:-2], True) if kind.endswith("[]") else (kind, False)


def type_from_facts(name, key=None, cache=None):
    """The EntityType of a schema named in the facts' TYPES, its complex and navigation targets built on first use."""
    cache = {} if cache is None else cache
    if name in cache:
        return cache[name]
    known = facts()
    entity = EntityType(name, [], key)
    cache[name] = entity
    navigation = set(known["navigation"].get(name, ()))
    for prop_name, kind in known["types"][name].items():
        element, collection = split_type(kind)
        if element in known["types"]:
            entity.props[prop_name] = Prop(prop_name, NAVIGATION if prop_name in navigation else COMPLEX, "object",
                                           collection, lambda element=element: type_from_facts(element, cache=cache))
        elif element in known["enums"]:
            entity.props[prop_name] = Prop(prop_name, PRIMITIVE, "enum", collection)
        else:
            entity.props[prop_name] = Prop(prop_name, PRIMITIVE, _FACT_PRIMITIVES[element], collection)
    if key is None and "Id" in entity.props:
        entity.key = "Id"
    return entity
