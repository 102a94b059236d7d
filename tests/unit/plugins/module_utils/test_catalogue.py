# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The generated catalogue, entity facts and docs/operations.md: current with the spec, and holding the facts the modules rely on."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ansible_collections.threecx.xapi.plugins.module_utils import _catalogue, _entities
from ansible_collections.threecx.xapi.plugins.module_utils._catalogue import FIELDS, OPERATIONS, PARAMETER_TYPES
from prerequisites import spec_path_or_skip

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
GENERATOR = ROOT / "tools" / "generate_catalogue.py"


def find_spec():
    """The official spec: THREECX_SPEC (as `make` sets it), else shared/xapi/swagger.yaml in a parent.

    Every parent is tried, because `make` runs the tests in a copy of the tree several levels
    further down (.build/collections/ansible_collections/threecx/xapi).
    """
    candidate = os.environ.get("THREECX_SPEC")
    if candidate and Path(candidate).is_file():
        return Path(candidate)
    for directory in [HERE] + list(HERE.parents):
        candidate = directory / "shared" / "xapi" / "swagger.yaml"
        if candidate.is_file():
            return candidate
    return None


SPEC = find_spec()
needs_spec = pytest.mark.usefixtures("spec_required")


@pytest.fixture
def spec_required():
    """The spec's path; without the spec the test is skipped, which fails a run under `make`."""
    return spec_path_or_skip(str(SPEC) if SPEC else None)


def load_generator():
    spec = importlib.util.spec_from_file_location("generate_catalogue", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Session-scoped: loaded once, however the tests are ordered (`make mutation` orders them quickest first).
@pytest.fixture(scope="session")
def generator():
    return load_generator()


@pytest.fixture(scope="session")
def spec(generator):
    return generator.load_spec(spec_path_or_skip(str(SPEC) if SPEC else None))


@pytest.fixture(scope="session")
def regenerated(generator, spec):
    return generator.generate(spec)


def op(operation_id):
    return dict(zip(FIELDS, OPERATIONS[operation_id]))


# --- Current with the spec ------------------------------------------------------------------------

@needs_spec
@pytest.mark.parametrize("name", ["plugins/module_utils/_catalogue.py", "plugins/module_utils/_entities.py", "docs/operations.md"])
def test_committed_file_is_what_the_spec_generates(regenerated, name):
    committed = (ROOT / name).read_text(encoding="utf-8")
    assert committed == regenerated[name], "%s is out of date: run `make catalogue`" % name


@needs_spec
def test_check_mode_passes_on_the_committed_files():
    result = subprocess.run([sys.executable, str(GENERATOR), "--spec", str(SPEC), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# A spec of a few paths in XAPI's shape, for the tests that need no real one.
SMALL_SPEC = {
    "paths": {
        "/Things": {
            "get": {"operationId": "ListThing", "tags": ["Things"], "responses": {"200": {"content": {"application/json": {
                "schema": {"properties": {"value": {"type": "array", "items": {"$ref": "#/components/schemas/Pbx.Thing"}}}}}}}}},
            "post": {"operationId": "CreateThing", "tags": ["Things"],
                     "requestBody": {"required": True, "content": {"application/json": {
                         "schema": {"$ref": "#/components/schemas/Pbx.Thing"}}}},
                     "responses": {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pbx.Thing"}}}}}},
        },
        "/Things({Id})": {
            "get": {"operationId": "GetThing", "tags": ["Things"],
                    "parameters": [{"name": "Id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pbx.Thing"}}}}}},
            "delete": {"operationId": "DeleteThing", "tags": ["Things"],
                       "parameters": [{"name": "Id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                       "responses": {"204": {}}},
        },
        "/Things(Code={Code})": {
            "get": {"operationId": "GetThingByCode", "tags": ["Things"],
                    "parameters": [{"name": "Code", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pbx.Thing"}}}}}},
        },
        "/Settings": {
            "get": {"operationId": "GetSettings", "tags": ["Settings"], "responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Pbx.Settings"}}}}}},
            "patch": {"operationId": "UpdateSettings", "tags": ["Settings"], "requestBody": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Pbx.Settings"}}}}, "responses": {"204": {}}},
        },
        "/ListOnly": {
            "get": {"operationId": "ListListOnly", "tags": ["Things"], "responses": {"200": {"content": {"application/json": {
                "schema": {"properties": {"value": {"type": "array", "items": {"$ref": "#/components/schemas/Pbx.Thing"}}}}}}}}},
        },
    },
    "components": {"schemas": {
        "Pbx.Thing": {"properties": {"Id": {"type": "integer"}, "Code": {"type": "string", "nullable": True},
                                     "Parts": {"type": "array", "items": {"$ref": "#/components/schemas/Pbx.Thing"},
                                               "x-ms-navigationProperty": True}}},
        "Pbx.Settings": {"properties": {"Start": {"type": "string", "format": "time"}}},
    }},
}


def test_generator_finds_entity_sets_keys_and_singletons(generator):
    sets, singletons = generator.build_sets(SMALL_SPEC)
    assert sets == {"Things": {"type": "Pbx.Thing", "key": "Id", "key_type": "integer", "alternate_keys": ("Code",),
                               "operations": {"list": "ListThing", "get": "GetThing", "get_by_code": "GetThingByCode",
                                              "create": "CreateThing", "delete": "DeleteThing"}}}
    assert singletons == {"Settings": {"type": "Pbx.Settings", "operations": {"get": "GetSettings", "update": "UpdateSettings"}}}
    text = generator.render_entities(SMALL_SPEC)
    namespace = {}
    exec(text, namespace)  # pylint: disable=exec-used
    assert namespace["NAVIGATION"] == {"Pbx.Thing": ("Parts",)}
    assert namespace["TYPES"]["Pbx.Settings"] == {"Start": "time"}


def test_check_mode_reports_a_stale_file(generator, tmp_path):
    regenerated = generator.generate(SMALL_SPEC, pbx_version="0.0.1")
    for name, text in regenerated.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert generator.stale_files(regenerated, root=tmp_path) == {}
    for name, text in regenerated.items():
        (tmp_path / name).write_text(text.replace("ListThing", "ListThin9") + "# stale\n", encoding="utf-8")
    stale = generator.stale_files(regenerated, root=tmp_path)
    assert sorted(stale) == sorted(regenerated)
    summary = "\n".join(generator.diff_summary(stale))
    assert "out of date" in summary and "ListThin9" in summary


@needs_spec
def test_operation_ids_are_complete_and_unique(generator, spec):
    ids = [operation["operationId"] for _path, _method, operation, _shared in generator.iter_operations(spec)]
    assert len(ids) == len(set(ids)) == 601
    assert set(ids) == set(OPERATIONS)


def test_generator_refuses_missing_and_duplicate_operation_ids(generator):
    spec = {"paths": {
        "/A": {"get": {"operationId": "Same", "responses": {}}, "post": {"responses": {}}},
        "/B": {"get": {"operationId": "Same", "responses": {}}},
    }}
    with pytest.raises(generator.SpecError, match=r"without operationId: POST /A.*more than once: Same"):
        generator.build_records(spec)


def test_generator_maps_parameter_types(generator):
    spec = {"components": {"schemas": {"Key": {"type": "string", "format": "uuid"}}}}
    cases = [
        ({"type": "integer", "format": "int32"}, "integer"),
        ({"type": "string", "nullable": True}, "string"),
        ({"type": "string", "format": "date-time"}, "date-time"),
        ({"type": "string", "format": "date"}, "date"),
        ({"type": "boolean", "default": False}, "boolean"),
        ({"$ref": "#/components/schemas/Key"}, "uuid"),
        ({"anyOf": [{"type": "integer", "format": "int64"}, {"type": "string"}]}, "integer"),
        ({"anyOf": [{"type": "number"}, {"type": "string"}, {"nullable": True}]}, "number"),
        ({"type": "string", "enum": ["A", "B"]}, "string"),
    ]
    for schema, expected in cases:
        assert generator.parameter_type(spec, schema, "test") == expected, schema
    with pytest.raises(generator.SpecError):
        generator.parameter_type(spec, {"type": "object"}, "test")


def test_generator_splits_long_entries_within_the_line_limit(generator):
    record = dict(operation_id="Long", method="GET", path="/R/Pbx.F(" + ",".join("p%d={p%d}" % (i, i) for i in range(40)) + ")",
                  tag="R", path_params=tuple(("p%d" % i, "string") for i in range(40)), query_params=(),
                  has_body=False, body_required=False, is_collection=True)
    lines = generator.render_entry(record)
    assert max(len(line) for line in lines) <= 160
    namespace = {}
    exec("OPERATIONS = {\n%s\n}" % "\n".join(lines), namespace)  # pylint: disable=exec-used
    assert namespace["OPERATIONS"]["Long"][1] == record["path"]
    assert namespace["OPERATIONS"]["Long"][3] == record["path_params"]


# --- The catalogue's shape ------------------------------------------------------------------------

def test_spec_version_and_count():
    assert _catalogue.SPEC_VERSION == "20.0.10"
    assert len(OPERATIONS) == _catalogue.OPERATION_COUNT == 601


def test_catalogue_is_sorted_and_well_formed():
    assert list(OPERATIONS) == sorted(OPERATIONS)
    for operation_id, fields in OPERATIONS.items():
        entry = dict(zip(FIELDS, fields))
        assert len(fields) == len(FIELDS), operation_id
        assert entry["method"] in ("GET", "POST", "PATCH", "PUT", "DELETE"), operation_id
        assert entry["path"].startswith("/"), operation_id
        assert all(kind in PARAMETER_TYPES for _name, kind in entry["path_params"]), operation_id
        assert ["{%s}" % name for name, _kind in entry["path_params"]] == [
            part for part in entry["path"].replace("}", "}\0").replace("{", "\0{").split("\0") if part.startswith("{")
        ], operation_id
        assert all(isinstance(value, bool) for value in fields[5:]), operation_id
        assert entry["has_body"] or not entry["body_required"], operation_id


def test_catalogue_lines_stay_within_sanity_limits():
    text = (ROOT / "plugins" / "module_utils" / "_catalogue.py").read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= 160
    assert "do not edit" in text.splitlines()[2]


def test_docs_say_how_many_and_how_to_call_one():
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert "601 operations" in text and "XAPI 20.0.10" in text
    assert "operation: ListSipDevice" in text and "make catalogue" in text
    assert text.count("\n| `") == 601
    assert "| `GetPhoneRegistrar` | GET | `/Users/Pbx.GetPhoneRegistrar(mac={mac})` | `mac` (string) |" in text


# --- Spot facts -------------------------------------------------------------------------------------

def test_get_phone_registrar_takes_a_quoted_mac():
    entry = op("GetPhoneRegistrar")
    assert entry["method"] == "GET"
    assert entry["path"] == "/Users/Pbx.GetPhoneRegistrar(mac={mac})"
    assert entry["path_params"] == (("mac", "string"),)
    assert not entry["has_body"]


def test_list_sip_device_is_a_collection():
    entry = op("ListSipDevice")
    assert (entry["method"], entry["path"], entry["tag"]) == ("GET", "/SipDevices", "SipDevices")
    assert entry["is_collection"]
    assert {"$top", "$skip", "$filter", "$count", "$orderby", "$select"} <= set(entry["query_params"])


def test_licence_edit_lives_under_license_status_and_takes_a_body():
    entry = op("EditLicenseInfo")
    assert (entry["method"], entry["path"], entry["tag"]) == ("POST", "/LicenseStatus/Pbx.EditLicenseInfo", "LicenseStatus")
    assert entry["has_body"] and entry["body_required"]
    assert not entry["is_collection"]


def test_users_are_keyed_by_integer_id():
    for operation_id, method in (("GetUser", "GET"), ("UpdateUser", "PATCH"), ("DeleteUser", "DELETE")):
        entry = op(operation_id)
        assert (entry["method"], entry["path"]) == (method, "/Users({Id})"), operation_id
        assert entry["path_params"] == (("Id", "integer"),), operation_id
    assert op("GetUser")["query_params"] == ("$select", "$expand")
    assert op("UpdateUser")["has_body"]


def test_function_parameters_keep_their_types_in_path_order():
    names = [name for name, _kind in op("GetCallLogData")["path_params"]]
    assert names[:2] == ["periodFrom", "periodTo"]
    assert dict(op("GetCallLogData")["path_params"])["periodFrom"] == "date-time"


# --- The entity facts -------------------------------------------------------------------------------

def test_entity_facts_are_literals_within_sanity_limits():
    text = (ROOT / "plugins" / "module_utils" / "_entities.py").read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= 160
    assert "Generated by tools/generate_catalogue.py" in text.splitlines()[2] and "do not edit" in text.splitlines()[2]
    assert "def " not in text and "import " not in text.replace("from __future__ import", "")


def test_users_set_has_its_keys_and_operations():
    assert _entities.ENTITY_SETS["Users"] == {
        "type": "Pbx.User", "key": "Id", "key_type": "integer", "alternate_keys": ("Number",),
        "operations": {"list": "ListUser", "get": "GetUser", "get_by_number": "GetUserByNumber",
                       "create": "CreateUser", "update": "UpdateUser", "delete": "DeleteUser"}}


def test_backups_are_keyed_by_file_name_and_office_hours_is_a_singleton():
    backups = _entities.ENTITY_SETS["Backups"]
    assert (backups["type"], backups["key"], backups["key_type"]) == ("Pbx.Backups", "FileName", "string")
    assert backups["operations"] == {"list": "ListBackups", "delete": "DeleteBackups"}
    assert _entities.SINGLETONS["OfficeHours"] == {"type": "Pbx.OfficeHours",
                                                   "operations": {"get": "GetOfficeHours", "update": "UpdateOfficeHours"}}


def test_every_set_the_simulator_keeps_is_described():
    for name in ("Users", "Groups", "Queues", "RingGroups", "Holidays", "BlackListNumbers", "Contacts", "InboundRules",
                 "OutboundRules", "Trunks", "Parameters", "Receptionists"):
        entry = _entities.ENTITY_SETS[name]
        assert entry["type"] in _entities.TYPES, name
        assert set(entry["operations"]) >= {"list", "get", "create", "update", "delete"}, name
    for name in ("Queues", "RingGroups", "Trunks"):
        assert "Number" in _entities.ENTITY_SETS[name]["alternate_keys"], name


def test_types_are_flattened_and_name_only_known_types():
    user = _entities.TYPES["Pbx.User"]
    # AccessPassword is User's own; Number comes from Pbx.DN, the base of its base Pbx.ClickToCall.
    assert user["AccessPassword"] == "string" and user["Number"] == "string" and user["Id"] == "integer"
    assert user["BreakTime"] == "Pbx.Schedule" and user["Groups"] == "Pbx.UserGroup[]"
    assert _entities.TYPES["Pbx.Schedule"]["Type"] == "Pbx.RuleHoursType"
    for type_name, properties in _entities.TYPES.items():
        for prop, kind in properties.items():
            base = kind[:-2] if kind.endswith("[]") else kind
            assert base in _entities.PRIMITIVES or base in _entities.TYPES or base in _entities.ENUMS, (type_name, prop, kind)


def test_navigation_properties_and_enums():
    assert _entities.NAVIGATION["Pbx.User"] == ("ForwardingExceptions", "ForwardingProfiles", "Greetings", "Groups", "Phones")
    assert "Members" in _entities.NAVIGATION["Pbx.Group"]
    assert {"Agents", "Managers"} <= set(_entities.NAVIGATION["Pbx.Queue"])
    for type_name, names in _entities.NAVIGATION.items():
        assert set(names) <= set(_entities.TYPES[type_name]), type_name
    assert _entities.ENUMS["Pbx.PollingStrategyType"][:2] == ("Hunt", "RingAll")
    assert "OfficeHours" in _entities.ENUMS["Pbx.RuleHoursType"]


def test_generator_flattens_inheritance_and_maps_property_types(generator):
    spec = {"components": {"schemas": {
        "Pbx.Base": {"properties": {"Id": {"type": "integer", "format": "int32"}, "Name": {"type": "string"}}},
        "Pbx.Kind": {"type": "string", "enum": ["A", "B"]},
        "Pbx.Thing": {"allOf": [{"$ref": "#/components/schemas/Pbx.Base"}, {"properties": {
            "Name": {"type": "string", "format": "uuid"},
            "Kind": {"allOf": [{"$ref": "#/components/schemas/Pbx.Kind"}], "nullable": True},
            "At": {"type": "string", "format": "time"},
            "Cost": {"oneOf": [{"type": "number"}, {"type": "string"}, {"$ref": "#/components/schemas/ReferenceNumeric"}]},
            "Parts": {"type": "array", "items": {"$ref": "#/components/schemas/Pbx.Base"}, "x-ms-navigationProperty": True},
        }}]},
    }}}
    types, navigation, enums = generator.build_types(spec, ["Pbx.Thing"])
    assert types["Pbx.Thing"] == {"At": "time", "Cost": "number", "Id": "integer", "Kind": "Pbx.Kind", "Name": "uuid",
                                  "Parts": "Pbx.Base[]"}
    assert navigation == {"Pbx.Thing": ("Parts",)}
    assert enums == {"Pbx.Kind": ("A", "B")}
    assert set(types) == {"Pbx.Thing", "Pbx.Base"}


HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def plainly_read(spec_file):
    """operationId -> (method, path, first tag, takes a body, body required), read from the spec here and
    now with PyYAML, without the generator, so that a generator bug cannot hide in both sides."""
    with open(spec_file, "rb") as handle:
        raw = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    facts = {}
    for path, item in raw["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            body = operation.get("requestBody")
            if body and "$ref" in body:
                body = raw["components"]["requestBodies"][body["$ref"].rsplit("/", 1)[1]]
            facts[operation["operationId"]] = (method.upper(), path, operation["tags"][0], body is not None,
                                               bool(body and body.get("required")))
    return facts


@needs_spec
def test_every_operation_matches_the_spec_read_without_the_generator(spec_required):
    facts = plainly_read(spec_required)
    catalogue = {operation_id: (entry[0], entry[1], entry[2], entry[5], entry[6])
                 for operation_id, entry in OPERATIONS.items()}
    assert len(facts) == 601
    assert catalogue == facts


def _answering(schema):
    return {"200": {"content": {"application/json": {"schema": schema}}}}


def _taking(**parameters):
    return {"content": {"application/json": {"schema": {"type": "object", "properties": parameters}}}}


REF = {name: {"$ref": "#/components/schemas/Pbx.%s" % name} for name in ("Backup", "Restore", "Other")}
# Settings behind a function and an action, and three near misses: a getter without a setter, a setter of
# another type, and a getter of a collection.
SETTINGS_SPEC = {
    "paths": {
        "/Backups/Pbx.GetBackup()": {"get": {"operationId": "GetBackup", "responses": _answering(REF["Backup"])}},
        "/Backups/Pbx.SetBackup": {"post": {"operationId": "SetBackup", "requestBody": _taking(settings=REF["Backup"])}},
        "/GetRestore()": {"get": {"operationId": "GetRestore", "responses": _answering(REF["Restore"])}},
        "/SetRestore": {"post": {"operationId": "SetRestore", "requestBody": _taking(restoreSettings=REF["Restore"])}},
        "/Backups/Pbx.GetLonely()": {"get": {"operationId": "GetLonely", "responses": _answering(REF["Other"])}},
        "/Backups/Pbx.GetMixed()": {"get": {"operationId": "GetMixed", "responses": _answering(REF["Backup"])}},
        "/Backups/Pbx.SetMixed": {"post": {"operationId": "SetMixed", "requestBody": _taking(settings=REF["Other"])}},
        "/Backups/Pbx.GetMany()": {"get": {"operationId": "GetMany", "responses": _answering(
            {"properties": {"value": {"type": "array", "items": REF["Other"]}}})}},
        "/Backups/Pbx.SetMany": {"post": {"operationId": "SetMany", "requestBody": _taking(settings=REF["Other"])}},
    },
    "components": {"schemas": {
        "Pbx.Backup": {"properties": {"Rotation": {"type": "integer"}}},
        "Pbx.Restore": {"properties": {"Path": {"type": "string"}}},
        "Pbx.Other": {"properties": {"Name": {"type": "string"}}},
    }},
}


def test_generator_finds_settings_read_by_a_function_and_written_by_an_action(generator):
    assert generator.build_settings_functions(SETTINGS_SPEC) == {
        "Backup": {"type": "Pbx.Backup", "parameter": "settings", "operations": {"get": "GetBackup", "update": "SetBackup"}},
        "Restore": {"type": "Pbx.Restore", "parameter": "restoreSettings",
                    "operations": {"get": "GetRestore", "update": "SetRestore"}},
    }
    namespace = {}
    exec(generator.render_entities(SETTINGS_SPEC), namespace)  # pylint: disable=exec-used
    assert set(namespace["SETTINGS_FUNCTIONS"]) == {"Backup", "Restore"}
    assert namespace["TYPES"] == {"Pbx.Backup": {"Rotation": "integer"}, "Pbx.Restore": {"Path": "string"}}


def test_backup_settings_and_their_repository_are_settings_functions():
    assert _entities.SETTINGS_FUNCTIONS["BackupSettings"] == {
        "type": "Pbx.BackupSettings", "parameter": "settings",
        "operations": {"get": "GetBackupSettings", "update": "SetBackupSettings"}}
    repository = _entities.SETTINGS_FUNCTIONS["BackupRepositorySettings"]
    assert _entities.TYPES[repository["type"]] == {"Location": "Pbx.LocationSettings"}
    assert {op(operation)["path"] for operation in repository["operations"].values()} == {
        "/Backups/Pbx.GetBackupRepositorySettings()", "/Backups/Pbx.SetBackupRepositorySettings"}
