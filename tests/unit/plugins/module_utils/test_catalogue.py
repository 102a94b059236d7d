# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The generated catalogue and docs/operations.md: current with the spec, and holding the facts the modules rely on."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ansible_collections.threecx.xapi.plugins.module_utils import _catalogue
from ansible_collections.threecx.xapi.plugins.module_utils._catalogue import FIELDS, OPERATIONS, PARAMETER_TYPES
from prerequisites import spec_path_or_skip

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
GENERATOR = ROOT / "tests" / "tools" / "generate_catalogue.py"


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


@pytest.fixture(scope="module")
def generator():
    return load_generator()


@pytest.fixture(scope="module")
def spec(generator):
    return generator.load_spec(spec_path_or_skip(str(SPEC) if SPEC else None))


@pytest.fixture(scope="module")
def regenerated(generator, spec):
    return generator.generate(spec)


def op(operation_id):
    return dict(zip(FIELDS, OPERATIONS[operation_id]))


# --- Current with the spec ------------------------------------------------------------------------

@needs_spec
@pytest.mark.parametrize("name", ["plugins/module_utils/_catalogue.py", "docs/operations.md"])
def test_committed_file_is_what_the_spec_generates(regenerated, name):
    committed = (ROOT / name).read_text(encoding="utf-8")
    assert committed == regenerated[name], "%s is out of date: run `make catalogue`" % name


@needs_spec
def test_check_mode_passes_on_the_committed_files():
    result = subprocess.run([sys.executable, str(GENERATOR), "--spec", str(SPEC), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_spec
def test_check_mode_reports_a_stale_file(generator, regenerated, tmp_path):
    for name, text in regenerated.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text.replace("ListSipDevice", "ListSipDevic3"), encoding="utf-8")
    stale = generator.stale_files(regenerated, root=tmp_path)
    assert sorted(stale) == sorted(regenerated)
    summary = "\n".join(generator.diff_summary(stale))
    assert "out of date" in summary and "ListSipDevic3" in summary


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
