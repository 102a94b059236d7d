# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every kind of answer the simulator gives, validated against the official XAPI spec with openapi-core.

Two checks per answer: openapi-core's response validation (types, formats, enums, patterns,
required fields, oneOf), and a walk that finds properties the spec does not declare (openapi-core
allows extra properties, and its "forbid" policy breaks on the spec's allOf compositions). OData
annotations (@odata.context, @odata.count, Nav@odata.count) are not schema properties and are skipped.
The spec is parsed once per test session and kept as a pickle under tests/output/.
"""

from __future__ import annotations

import os
import pickle
import re
from pathlib import Path

import pytest
import yaml

from simulator_testlib import odata_error

OUTPUT = Path(__file__).resolve().parents[2] / "output"
PBX_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?$")
EDIT = "LicenseStatus/Pbx.EditLicenseInfo"
VALID_EDIT = {"licenseParams": {"CompanyName": "Spec Ltd", "ContactName": "S", "Country": "GB", "Email": "s@example.org",
                                "Phone": "+44 20 7946 0000"}}

# (method, path, query, JSON body, expected status): every kind of answer of the simulated operations.
SIMULATED = [
    ("GET", "LicenseStatus", None, None, 200),
    ("GET", "LicenseStatus", {"$select": "LicenseKey,ExpirationDate"}, None, 200),
    ("GET", "SipDevices", None, None, 200),
    ("GET", "SipDevices", {"$expand": "DN", "$count": "true", "$top": 5}, None, 200),
    ("GET", "SipDevices", {"$expand": "DN($expand=MemberOf)", "$select": "Id,Registrar/Model"}, None, 200),
    ("GET", "SipDevices", {"$filter": "Registrar/Vendor eq"}, None, 400),
    ("GET", "Backups/Pbx.GetFailoverScripts()", None, None, 200),
    ("GET", "Backups/Pbx.GetFailoverScripts()", {"$count": "true", "$top": 2, "$search": "sh"}, None, 200),
    ("GET", "Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')", None, None, 200),
    ("GET", "Users/Pbx.GetPhoneRegistrar(mac='00005e0053ff')", None, None, 404),
    ("POST", EDIT, None, VALID_EDIT, 204),
    ("POST", EDIT, None, {"licenseParams": {"Fax": "1"}}, 400),
    ("POST", EDIT, None, {"licenseParams": dict(VALID_EDIT["licenseParams"], Country="XX")}, 400),
]

# (operationId, query, JSON body): generated answers across tags and kinds: entity collections with
# paging, single entities by key and alternate key, singletons, bare enums, primitive wrappers,
# functions with string, date-time and integer parameters, creates (201), updates and deletes (204),
# actions with and without an answer.
GENERATED = [
    ("ListUser", {"$top": 2, "$skip": 1, "$count": "true"}, None),
    ("GetUser", {"$select": "Id,Number,FirstName"}, None),
    ("GetUserByNumber", None, None),
    ("ListForwardingProfiles", None, None),
    ("ListTrunk", None, None),
    ("ListQueue", {"$select": "Id,Name", "$orderby": "Name desc"}, None),
    ("GetQueue", None, None),
    ("ListActiveCall", {"$count": "true"}, None),
    ("ListRingGroup", {"$top": 1}, None),
    ("GetSystemStatus", None, None),
    ("GetLoggingSettings", None, None),
    ("GetRemoteAccessStatus", None, None),
    ("GetCanCreateBackup", None, None),
    ("GetLocalBackupSize", None, None),
    ("GetCallLogData", {"$top": 2}, None),
    ("SystemTelemetry", None, None),
    ("GeCrmtTemplates", None, None),
    ("GetCrmTemplate", None, None),
    ("MyPhoneRequestIdTelemetry", None, None),
    ("GetDNPropertyByName", None, None),
    ("PartnerInfo", None, None),
    ("CreateUser", None, {"Number": "150", "FirstName": "New"}),
    ("UpdateUser", None, {"FirstName": "Renamed"}),
    ("DeleteUser", None, None),
    ("DropCall", None, None),
    ("ReprovisionPhone", None, {"mac": "805ec0123456"}),
    ("GetPhoneRegistrars", None, {"macs": ["805ec0123456"]}),
]


def load_spec_dict(path):
    """The parsed spec, cached as a pickle under tests/output/ keyed by the file's path, size and mtime."""
    info = os.stat(path)
    key = "%s|%d|%d" % (os.path.abspath(path), info.st_size, info.st_mtime_ns)
    cache, key_file = OUTPUT / "xapi-spec.pickle", OUTPUT / "xapi-spec.pickle.key"
    if cache.is_file() and key_file.is_file() and key_file.read_text() == key:
        try:
            return pickle.loads(cache.read_bytes())
        except (pickle.PickleError, EOFError, ValueError):
            pass
    with open(path, "rb") as handle:
        spec = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    OUTPUT.mkdir(parents=True, exist_ok=True)
    temporary = cache.with_suffix(".%d.tmp" % os.getpid())
    temporary.write_bytes(pickle.dumps(spec, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, cache)  # two test workers may race; either copy is whole
    key_file.write_text(key)
    return spec


@pytest.fixture(scope="module")
def spec(spec_file):
    return load_spec_dict(spec_file)


@pytest.fixture(scope="module")
def openapi(spec):
    openapi_core = pytest.importorskip("openapi_core")
    # openapi-spec-validator accepts this spec, but takes 7 s to say so; the answers are what is under test.
    # A PBX writes times as 09:00:00.0000000, which the spec's own pattern for `format: time` allows, but
    # jsonschema's RFC 3339 `time` checker wants a UTC offset: the pattern is the spec's word on it.
    config = openapi_core.Config(spec_validator_cls=None, extra_format_validators={"time": PBX_TIME.match})
    return openapi_core.OpenAPI.from_dict(spec, config=config)


def validate(openapi, spec, answer):
    """openapi-core's verdict, then undeclared properties; the path's operation comes from the request."""
    from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
    openapi.validate_response(RequestsOpenAPIRequest(answer.request), RequestsOpenAPIResponse(answer))
    if answer.content:
        schema = response_schema(spec, answer)
        assert undeclared(spec, schema, answer.json()) == [], answer.request.url


def response_schema(spec, answer):
    operation = operation_for(spec, answer.request.method, answer.request.path_url)
    response = operation["responses"].get(str(answer.status_code)) or operation["responses"]["default"]
    response = deref(spec, response, "responses")
    return response["content"]["application/json"]["schema"]


def operation_for(spec, method, path_url):
    from urllib.parse import unquote
    path = unquote(path_url.split("?")[0])[len("/xapi/v1"):]
    for template, item in spec["paths"].items():
        pattern = re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
        pattern = re.sub(r"\{\w+\}", r"(?:'(?:[^']|'')*'|[^/(),']*)", pattern)
        if re.fullmatch(pattern, path) and method.lower() in item:
            return item[method.lower()]
    raise AssertionError("no operation for %s %s" % (method, path))


def deref(spec, node, section="schemas"):
    while isinstance(node, dict) and "$ref" in node:
        parts = node["$ref"].split("/")
        node = spec["components"][parts[-2] if len(parts) > 2 else section][parts[-1]]
    return node


def declared(spec, schema):
    """(properties, items schema) of a schema, through $ref and allOf."""
    schema = deref(spec, schema)
    properties, items = dict(), schema.get("items")
    for part in schema.get("allOf", ()):
        part_properties, part_items = declared(spec, part)
        properties.update(part_properties)
        items = items or part_items
    properties.update(schema.get("properties", {}))
    return properties, items


def undeclared(spec, schema, value, where="$"):
    """Paths of properties in `value` that `schema` does not declare."""
    properties, items = declared(spec, schema)
    problems = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if "@odata." in key:
                continue
            if key not in properties:
                problems.append("%s.%s" % (where, key))
            else:
                problems += undeclared(spec, properties[key], inner, "%s.%s" % (where, key))
    elif isinstance(value, list) and items is not None:
        for position, inner in enumerate(value):
            problems += undeclared(spec, items, inner, "%s[%d]" % (where, position))
    return problems


@pytest.mark.parametrize("method, path, query, body, status", SIMULATED,
                         ids=["%s %s %s %d" % (m, p, q or "", s) for m, p, q, _b, s in SIMULATED])
def test_simulated_answers_follow_the_spec(spec_client, openapi, spec, method, path, query, body, status):
    answer = spec_client.request(method, path, query, json=body)
    assert answer.status_code == status, answer.text
    validate(openapi, spec, answer)


def literal(schema):
    """A valid OData literal for a path parameter of this schema."""
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "integer":
        return "1"  # the store's sets hold an entity with Id 1 in every seed
    if kind == "boolean":
        return "true"
    if fmt == "date-time":
        return "2025-01-31T00:00:00Z"
    if fmt == "uuid":
        return "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    return "'100'"


def find_operation(spec, operation_id):
    for template, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                parameters = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) + item.get("parameters", [])
                              if "name" in p and p.get("in") == "path"}
                path = re.sub(r"\{(\w+)\}", lambda found: literal(parameters.get(found.group(1), {})), template)
                return method.upper(), path, operation
    raise AssertionError("no operation %s in the spec" % operation_id)


@pytest.mark.parametrize("operation_id, query, body", GENERATED, ids=[row[0] for row in GENERATED])
def test_generated_answers_follow_the_spec(spec_client, openapi, spec, operation_id, query, body):
    method, path, operation = find_operation(spec, operation_id)
    if body is None and operation.get("requestBody", {}).get("required"):
        body = {}
    answer = spec_client.request(method, path, query, json=body)
    success = sorted(code for code in operation["responses"] if code.startswith("2"))
    assert str(answer.status_code) in success, (answer.status_code, answer.text)
    validate(openapi, spec, answer)


@pytest.mark.parametrize("method, path, status, in_spec", [
    ("GET", "NoSuchEntitySet", 404, False),
    ("GET", "Users('not-an-integer')", 404, True),
    ("GET", "Users(Number=100)", 404, True),
    ("PUT", "Users(5)", 405, False),
    ("GET", "Backups/Pbx.GetFailoverScripts", 404, False),
])
def test_error_answers_follow_the_spec(spec_client, openapi, spec, method, path, status, in_spec):
    """Errors have the PBX's shape; where the spec has the operation, its `default` answer validates them."""
    answer = spec_client.request(method, path)
    odata_error(answer, status)
    if in_spec:
        validate(openapi, spec, answer)


# ---------------------------------------------------------------- the store's answers


def store_sets(spec_sim):
    return [name for name, rows in spec_sim.store().items() if isinstance(rows, list) and rows]


def key_literal(row, entity_set):
    key = "FileName" if entity_set == "Backups" else "Id"
    return "'%s'" % row[key].replace("'", "''") if isinstance(row[key], str) else str(row[key])


def test_every_stored_set_and_entity_follows_the_spec(spec_client, spec_sim, openapi, spec):
    """Lists with every navigation property expanded and a count, and each set's first entity by key."""
    checked = []
    for entity_set in store_sets(spec_sim):
        answer = spec_client.get(entity_set, {"$expand": "*", "$count": "true"})
        assert answer.status_code == 200, (entity_set, answer.text)
        validate(openapi, spec, answer)
        if entity_set != "Backups":  # a backup has no GET by key
            single = spec_client.get("%s(%s)" % (entity_set, key_literal(answer.json()["value"][0], entity_set)),
                                     {"$expand": "*"})
            assert single.status_code == 200, (entity_set, single.text)
            validate(openapi, spec, single)
        checked.append(entity_set)
    assert {"Users", "Groups", "Queues", "RingGroups", "Trunks", "OutboundRules", "Backups"} <= set(checked)


def test_nested_expansions_and_singletons_follow_the_spec(spec_client, openapi, spec):
    for path, query in [("Users(1)", {"$expand": "Groups($expand=Rights)"}),
                        ("Groups(1)", {"$expand": "Members($expand=Rights)"}),
                        ("OfficeHours", {"$expand": "OfficeHolidays"}), ("FaxServerSettings", None),
                        ("GetUpdates()", None), ("Queues(Number='800')", {"$expand": "Agents,Managers"}),
                        ("SystemStatus", None), ("SystemStatus/Pbx.SystemHealthStatus()", None), ("Services", None),
                        ("Backups/Pbx.GetBackupSettings()", None), ("Backups/Pbx.GetBackupRepositorySettings()", None)]:
        answer = spec_client.get(path, query)
        assert answer.status_code == 200, (path, answer.text)
        validate(openapi, spec, answer)


@pytest.mark.parametrize("entity_set, body, status", [
    ("Users", {"FirstName": "Spec", "Groups": [{"GroupId": 2, "Rights": {"RoleName": "users"}}]}, 201),
    ("Groups", {"Name": "Spec department"}, 201),
    ("Queues", {"Number": "850", "Name": "Spec queue", "Agents": [{"Number": "100"}]}, 201),
    ("RingGroups", {"Number": "750", "Name": "Spec ring group", "Members": [{"Number": "101"}]}, 201),
    ("OutboundRules", {"Name": "Spec rule", "GroupIds": [1], "Routes": [{"TrunkId": 1}]}, 201),
    ("Holidays", {"Name": "Spec day", "Day": 2, "Month": 2, "IsRecurrent": True}, 201),
    ("BlackListNumbers", {"CallerId": "+1 202 555 0100"}, 201),
    ("Contacts", {"FirstName": "Spec", "LastName": "Contact"}, 201),
    ("Users", {"Number": "100"}, 400),
    ("OutboundRules", {"Name": "Bad", "GroupIds": [99]}, 400),
    ("Users", {"Nickname": "x"}, 400),
])
def test_store_writes_follow_the_spec(spec_client, openapi, spec, entity_set, body, status):
    answer = spec_client.post(entity_set, json=body)
    assert answer.status_code == status, answer.text
    validate(openapi, spec, answer)
