# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The official XAPI spec, read at run time: path templates to match requests, and schema-valid answers.

The spec is never copied into the repository. It is parsed with yaml.CSafeLoader (about 1 s) and the
parsed dict is cached as a pickle in a private per-user temp directory, keyed by the file's path,
size and mtime, so that the many simulators a test run starts load it in a fraction of that.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import pickle
import re
import stat
import sys
import tempfile
import threading
import uuid

import yaml

from xapi_model import EntityType
from xapi_odata import ODataError, parse_string_literal

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
NOT_FOUND = "WARNINGS.XAPI.NOT_FOUND"
_PARAM = re.compile(r"\{(\w+)\}")
# A path parameter's text: a quoted OData string (quotes doubled inside) or a bare literal.
_PARAM_TEXT = r"'(?:[^']|'')*'|[^/(),']*"
_INT = re.compile(r"-?\d+\Z")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_EPOCH = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
CACHE_VERSION = "1"


# ---------------------------------------------------------------- loading


def load_spec(path):
    """The parsed spec, from the pickle cache when it is fresh and ours, else from the YAML."""
    cache = _cache_file(path)
    if cache:
        try:
            with open(cache, "rb") as handle:
                return pickle.load(handle)
        except (OSError, EOFError, pickle.PickleError, AttributeError, ValueError):
            pass
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, "rb") as handle:
        spec = yaml.load(handle, Loader=loader)  # nosec: a safe loader
    if cache:
        _write_cache(cache, spec)
    return spec


def _private_cache_dir():
    """A 0700 directory of our own: a pickle is only loaded from where no other user can write."""
    directory = os.path.join(tempfile.gettempdir(), "xapi-simulator-%d" % os.getuid())
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        info = os.lstat(directory)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return directory


def _cache_file(path):
    directory = _private_cache_dir()
    try:
        info = os.stat(path)
    except OSError:
        return None
    if directory is None:
        return None
    key = "%s|%d|%d|%s|%s" % (os.path.abspath(path), info.st_mtime_ns, info.st_size, sys.version_info[:2], CACHE_VERSION)
    return os.path.join(directory, "spec-%s.pickle" % hashlib.sha256(key.encode()).hexdigest()[:24])


def _write_cache(cache, spec):
    temporary = "%s.%d.tmp" % (cache, os.getpid())
    try:
        with open(temporary, "wb") as handle:
            pickle.dump(spec, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, cache)
    except OSError:
        pass


# ---------------------------------------------------------------- schemas


class Resolver:
    """Resolves $ref, and reads an object schema's properties through allOf."""

    def __init__(self, spec):
        self.spec = spec
        self.schemas = spec.get("components", {}).get("schemas", {})
        self.responses = spec.get("components", {}).get("responses", {})
        self._properties = {}

    def resolve(self, schema):
        """(name of the last $ref or "", the schema it points at)."""
        name = ""
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 50:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.schemas.get(name, {})
            seen += 1
        return name, schema

    def unwrap(self, schema):
        """Peel $ref and the `allOf: [one $ref]` wrapper OData puts around nullable complex properties."""
        name, schema = self.resolve(schema)
        while len(schema.get("allOf", ())) == 1 and "properties" not in schema:
            inner_name, schema = self.resolve(schema["allOf"][0])
            name = inner_name or name
        return name, schema

    def object_properties(self, schema):
        """Every property of an object schema, those of its allOf parts included, memoised per schema object."""
        _name, schema = self.resolve(schema)
        key = id(schema)
        if key not in self._properties:
            merged = {}
            for part in schema.get("allOf", ()):
                merged.update(self.object_properties(part))
            merged.update(schema.get("properties", {}))
            self._properties[key] = merged
        return self._properties[key]


# ---------------------------------------------------------------- path templates


class PathTemplate:
    """One spec path: a regex over the decoded request path, and its operations by HTTP method."""

    def __init__(self, template, item):
        self.template = template
        self.names = _PARAM.findall(template)
        pieces, position = [], 0
        for index, match in enumerate(_PARAM.finditer(template)):
            pieces.append(re.escape(template[position:match.start()]))
            pieces.append("(?P<p%d>%s)" % (index, _PARAM_TEXT))
            position = match.end()
        pieces.append(re.escape(template[position:]))
        self.regex = re.compile("".join(pieces) + r"\Z")
        self.operations = {method.upper(): op for method, op in item.items() if method in HTTP_METHODS}
        self.shared_parameters = item.get("parameters", [])
        self.specificity = (len(self.names), -len(_PARAM.sub("", template)))

    def match(self, path):
        found = self.regex.match(path)
        if not found:
            return None
        return {name: found.group("p%d" % index) for index, name in enumerate(self.names)}

    def parameter_schemas(self, operation):
        schemas = {}
        for parameter in list(self.shared_parameters) + list(operation.get("parameters", [])):
            if parameter.get("in") == "path":
                schemas[parameter["name"]] = parameter.get("schema", {})
        return schemas


def first_segment(path):
    return re.split(r"[/(]", path.lstrip("/"), maxsplit=1)[0]


def parse_literal(text, schema):
    """An OData literal in a path checked against the parameter's schema; ValueError when it does not fit."""
    kind, fmt = schema.get("type"), schema.get("format")
    if text == "null" and schema.get("nullable"):
        return None
    if kind == "integer":
        if not _INT.match(text):
            raise ValueError("an integer is required")
        return int(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ValueError("true or false is required")
        return text == "true"
    if fmt == "uuid":
        if not _GUID.match(text):
            raise ValueError("a GUID is required")
        return text
    if fmt == "date-time":
        if not re.match(schema.get("pattern", r".+"), text):
            raise ValueError("a date-time such as 2025-01-31T00:00:00Z is required")
        return text
    return parse_string_literal(text)


class Match:
    """A request matched to a spec operation."""

    def __init__(self, template, method, operation, params):
        self.template = template
        self.method = method
        self.operation = operation
        self.params = params


class SpecIndex:
    """Every path template of the spec, grouped by first segment for a fast match."""

    def __init__(self, spec):
        self.spec = spec
        self.resolver = Resolver(spec)
        self.by_segment = {}
        for template, item in spec.get("paths", {}).items():
            path_template = PathTemplate(template, item)
            self.by_segment.setdefault(first_segment(template), []).append(path_template)
        for templates in self.by_segment.values():
            templates.sort(key=lambda candidate: candidate.specificity)
        self.entity_types = {}
        self.lock = threading.Lock()

    def operations(self):
        """(method, template, operation) for every operation of the spec."""
        for templates in self.by_segment.values():
            for template in templates:
                for method, operation in template.operations.items():
                    yield method, template.template, operation

    def match(self, method, path):
        """The operation for a decoded path; ODataError 404 (unknown path, bad parameter) or 405 (wrong method)."""
        candidates = []
        for template in self.by_segment.get(first_segment(path), ()):
            raw = template.match(path)
            if raw is not None:
                candidates.append((template, raw))
        if not candidates:
            raise ODataError("No resource at '%s'." % path, status=404, message=NOT_FOUND)
        allowed = sorted({name for template, _raw in candidates for name in template.operations})
        problems = []
        for template, raw in candidates:
            operation = template.operations.get(method)
            if operation is None:
                continue
            try:
                params = self._parameters(template, operation, raw)
            except ValueError as error:
                problems.append(str(error))
                continue
            return Match(template, method, operation, params)
        if problems:
            raise ODataError("Bad parameter in '%s': %s." % (path, problems[0]), status=404, message=NOT_FOUND)
        error = ODataError("%s is not allowed on '%s'; allowed: %s." % (method, path, ", ".join(allowed)), status=405,
                           message="WARNINGS.XAPI.METHOD_NOT_ALLOWED")
        error.allowed = allowed
        raise error

    @staticmethod
    def _parameters(template, operation, raw):
        schemas = template.parameter_schemas(operation)
        params = {}
        for name, text in raw.items():
            try:
                params[name] = parse_literal(text, schemas.get(name, {"type": "string"}))
            except ValueError as error:
                raise ValueError("%s=%s: %s" % (name, text, error))
        return params

    def success_response(self, operation):
        """(status, resolved schema or None) of the operation's 2xx answer."""
        for status in ("200", "201", "204"):
            response = operation.get("responses", {}).get(status)
            if response is None:
                continue
            if "$ref" in response:
                response = self.resolver.responses.get(response["$ref"].rsplit("/", 1)[-1], {})
            content = response.get("content", {}).get("application/json")
            return int(status), (content or {}).get("schema")
        return 204, None

    def entity_type(self, schema):
        """The EntityType of an item schema, built once per schema name, whole: request threads share it."""
        name, resolved = self.resolver.unwrap(schema)
        with self.lock:
            entity = EntityType.from_schema(self.resolver, resolved, name or "Anonymous%d" % id(resolved),
                                            self.entity_types)
            _resolve_targets(entity, set())
        return entity

    def collection_items(self, schema):
        """The item schema when `schema` is a collection answer ({"value": [...]}) else None."""
        value = self.resolver.object_properties(schema).get("value")
        if value and self.resolver.unwrap(value)[1].get("type") == "array":
            return value.get("items", {})
        return None


def _resolve_targets(entity, seen):
    """Build every type reachable from `entity` now, under the lock, instead of lazily in request threads."""
    if id(entity) in seen:
        return
    seen.add(id(entity))
    for prop in entity.props.values():
        if prop.target is not None:
            _resolve_targets(prop.target, seen)


# ---------------------------------------------------------------- generated documents


def enum_choices(schema):
    """The enum values of the schema's own type. YAML 1.1 reads an enum member `No` as false (see README)."""
    kinds = {"string": str, "integer": int, "number": (int, float), "boolean": bool}
    wanted = kinds.get(schema.get("type"))
    choices = [choice for choice in schema["enum"] if choice is not None
               and (wanted is None or (isinstance(choice, wanted) and not (wanted is not bool and isinstance(choice, bool))))]
    return choices or [choice for choice in schema["enum"] if choice is not None]


class Generator:
    """Schema-valid, plausible values; deterministic for one random.Random seed."""

    MAX_DEPTH = 3

    def __init__(self, resolver, rng):
        self.resolver = resolver
        self.rng = rng

    def value(self, schema, name="", depth=0, allow_null=True):
        _ref, schema = self.resolver.unwrap(schema)
        if "oneOf" in schema or "anyOf" in schema:
            # XAPI's only oneOf is number | string | "INF"/"NaN", every branch nullable: a number (never null)
            # matches the first branch alone, as oneOf requires.
            return self.value((schema.get("oneOf") or schema.get("anyOf"))[0], name, depth, allow_null=False)
        if "enum" in schema:
            return self.rng.choice(enum_choices(schema))
        if allow_null and schema.get("nullable") and schema.get("type") in ("string", "integer", "number", "boolean") \
                and self.rng.random() < 0.1:
            return None
        if schema.get("type") == "object" or self.resolver.object_properties(schema):
            return self.object(schema, depth)
        if schema.get("type") == "array":
            count = 0 if depth >= self.MAX_DEPTH - 1 else self.rng.randint(1, 2)
            return [self.value(schema.get("items", {}), name, depth + 1) for _index in range(count)]
        return self.primitive(schema, name)

    def object(self, schema, depth):
        if depth >= self.MAX_DEPTH:
            return {}
        result = {}
        for prop_name, prop_schema in sorted(self.resolver.object_properties(schema).items()):
            if prop_name.startswith("@"):
                continue
            result[prop_name] = self.value(prop_schema, prop_name, depth + 1)
        return result

    def primitive(self, schema, name):
        kind = schema.get("type", "string")
        if kind == "integer":
            return self.integer(schema)
        if kind == "number":
            return round(self.rng.uniform(0, 100), 2)
        if kind == "boolean":
            return self.rng.random() < 0.5
        text = self.string(schema, name)
        limit = schema.get("maxLength")
        return text[:limit] if limit else text

    def integer(self, schema):
        fmt = schema.get("format")
        high = {"int64": 100000, "uint8": 255}.get(fmt, 500)
        low = max(schema.get("minimum", 0), 0 if fmt == "uint8" else 1)
        return self.rng.randint(low, min(high, schema.get("maximum", high)))

    def string(self, schema, name):
        fmt = schema.get("format")
        rng = self.rng
        if fmt == "date-time":
            return (_EPOCH + datetime.timedelta(seconds=rng.randint(0, 400 * 86400))).strftime("%Y-%m-%dT%H:%M:%SZ")
        if fmt == "date":
            return (_EPOCH + datetime.timedelta(days=rng.randint(0, 400))).strftime("%Y-%m-%d")
        if fmt == "time":
            return "%02d:%02d:00" % (rng.randint(0, 23), rng.choice((0, 15, 30, 45)))
        if fmt == "duration":
            return "PT%dH%dM" % (rng.randint(0, 8), rng.randint(0, 59))
        if fmt == "uuid":
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        return self.named_string(name)

    def named_string(self, name):
        """A string that looks like what the property holds, from words in its name."""
        rng, lowered = self.rng, name.lower()
        number = rng.randint(1, 99)
        if "email" in lowered:
            return "user%d@example.com" % number
        if lowered == "mac" or lowered.endswith("mac"):
            return "805ec0%06x" % rng.getrandbits(24)
        if lowered.endswith("number") or lowered in ("dn", "extension", "ext"):
            return str(rng.randint(100, 999))
        if "phone" in lowered or "mobile" in lowered or "fax" in lowered:
            return "+44207946%04d" % rng.randint(0, 999)
        if "url" in lowered or "link" in lowered or "uri" in lowered:
            return "https://pbx.example.com/%s/%d" % (lowered or "item", number)
        if lowered.endswith("ip") or "address" in lowered:
            return "192.0.2.%d" % number
        if "name" in lowered:
            return "%s %d" % (rng.choice(("Sales", "Support", "Reception", "Warehouse", "Board Room")), number)
        return "%s %d" % (name or "value", number)
