# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Failures take one road: no module calls fail_json; XapiModule.run alone does, in one place."""

from __future__ import annotations

import ast
from pathlib import Path

PLUGINS = Path(__file__).resolve().parents[4] / "plugins"


def fail_json_calls(path):
    """(line, text) of every use of a `fail_json` attribute or name in a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [(node.lineno, ast.unparse(node)) for node in ast.walk(tree)
            if (isinstance(node, ast.Attribute) and node.attr == "fail_json")
            or (isinstance(node, ast.Name) and node.id == "fail_json")]


def test_the_modules_are_found():
    assert len(list((PLUGINS / "modules").glob("*.py"))) >= 6


def test_no_module_calls_fail_json():
    found = {path.name: fail_json_calls(path) for path in sorted((PLUGINS / "modules").glob("*.py"))}
    assert {name: calls for name, calls in found.items() if calls} == {}


def test_module_utils_call_fail_json_once_in_xapi_module():
    found = {path.name: fail_json_calls(path) for path in sorted((PLUGINS / "module_utils").glob("*.py"))}
    found = {name: calls for name, calls in found.items() if calls}
    assert list(found) == ["_xapi_module.py"]
    assert len(found["_xapi_module.py"]) == 1


# The floors of module_utils (docs/architecture.md): what each file may import from the collection.
FLOORS = {
    "_errors.py": set(),
    "_catalogue.py": set(),
    "_entities.py": set(),
    "_odata.py": set(),
    "_secrets.py": set(),
    "_token_cache.py": set(),
    "_operations.py": {"_errors", "_catalogue", "_odata"},
    "_auth.py": {"_token_cache"},
    "_client.py": {"_errors", "_odata", "_auth"},
    "_resources.py": {"_errors", "_odata", "_operations", "_entities"},
    "_ensure.py": {"_errors", "_entities", "_secrets", "_resources"},
    "_license_summary.py": set(),
    "_license.py": {"_ensure", "_errors", "_license_summary"},
    "_users.py": {"_ensure"},
    "_queues.py": {"_ensure", "_entities"},
    "_routing.py": {"_ensure", "_entities", "_errors"},
    "_xapi_module.py": {"_client", "_errors", "_odata", "_secrets"},
    "_info.py": {"_resources", "_xapi_module"},
    "_maintenance.py": {"_errors", "_resources"},
    "_system_status.py": {"_license_summary"},
    "_config.py": {"_ensure", "_errors", "_queues", "_routing", "_users", "_xapi_module"},
}


def collection_imports(path):
    """The module_utils files a Python file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and "threecx.xapi.plugins.module_utils." in node.module:
            names.add(node.module.rsplit(".", 1)[1])
    return names


def test_every_module_utils_file_has_a_floor():
    assert {path.name for path in (PLUGINS / "module_utils").glob("*.py")} - {"__init__.py"} <= set(FLOORS)


def test_module_utils_import_only_the_floors_below():
    wrong = {}
    for path in sorted((PLUGINS / "module_utils").glob("*.py")):
        extra = collection_imports(path) - FLOORS.get(path.name, set())
        if extra:
            wrong[path.name] = sorted(extra)
    assert wrong == {}
