# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find XAPI operations in the catalogue and check a call against one before anything is sent.

A wrong call to XAPI fails late and vaguely: an unquoted string parameter is a 404, a wrong type a
500, an undeclared query option a 400. Checking against the catalogue generated from the official
spec turns these into messages that name the option at fault, with no request made.

Pure functions with no imports beyond the standard library, so that the module imports wherever
ansible-core does. The catalogue holds only literals; the path patterns are built on first use.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import re
from collections import namedtuple
from urllib.parse import unquote

from ansible_collections.threecx.xapi.plugins.module_utils._catalogue import FIELDS, OPERATIONS, SPEC_VERSION
from ansible_collections.threecx.xapi.plugins.module_utils._errors import OperationError
from ansible_collections.threecx.xapi.plugins.module_utils._odata import LiteralError, encode_path_literal, format_literal

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
# One OData literal in a concrete path: a quoted string (quotes inside doubled), or a bare number,
# boolean, date or UUID. A `{name}` is allowed too, so a template itself matches.
_LITERAL = r"(?:'(?:[^']|'')*'|\{[^{}/]+\}|[^/(),'=]+)"


class Operation(namedtuple("Operation", ("operation_id",) + FIELDS)):
    """One XAPI operation: operation_id, method, path (template), tag, path_params ((name, type), ...),
    query_params (names), has_body, body_required and is_collection."""

    __slots__ = ()


# --- Finding operations ---------------------------------------------------------------------------

def find_operation(operation_id):
    """The Operation with this operationId; an unknown one fails with the closest names.

    Only the exact id is accepted, as the PBX would: a case slip is suggested, not silently fixed,
    so playbooks keep the spelling the docs and the PBX use.
    """
    if not isinstance(operation_id, str) or not operation_id.strip():
        raise OperationError("operation must be an operationId such as ListSipDevice, got %r" % (operation_id,),
                             "operation")
    if operation_id in OPERATIONS:
        return _operation(operation_id)
    message = "unknown operation %r: XAPI %s has no such operationId" % (operation_id, SPEC_VERSION)
    suggestions = suggest_operations(operation_id)
    if suggestions:
        message += "; did you mean %s?" % _or_list(suggestions)
    else:
        message += " (docs/operations.md lists all %d)" % len(OPERATIONS)
    raise OperationError(message, "operation")


# The 3CX Admin console's words for what XAPI calls otherwise: admins say "extension", XAPI says Users.
# Each pattern matches the console word in a lower-cased operation name, singular or plural.
CONSOLE_WORDS = (
    (re.compile(r"extensions?"), "user"),
    (re.compile(r"departments?"), "group"),
    (re.compile(r"digitalreceptionists?|ivrs?"), "receptionist"),
    (re.compile(r"blacklist(?!numbers?)s?"), "blacklistnumber"),
)


def suggest_operations(name, limit=3):
    """The operationIds closest to `name`: the one differing only in case, else difflib's best.

    Names close to the best one come along (GetUsr: GetUser); distant runners-up do not, since a list
    of near misses hides the obvious fix (ListSipDevices: ListSipDevice, not ListDeviceInfo too).
    The console's words come first, in XAPI's terms (GetExtensions: ListUser).
    """
    by_lower = {}
    for operation_id in OPERATIONS:
        by_lower.setdefault(operation_id.lower(), operation_id)
    wanted = name.strip().lower()
    scored = {}
    for candidate in (wanted, _in_xapi_words(wanted)):
        for score, match in _closest(candidate, by_lower, limit):
            scored[match] = max(score, scored.get(match, 0))
    ranked = sorted(scored, key=lambda match: (-scored[match], match))
    return [by_lower[match] for match in ranked[:limit] if scored[match] >= scored[ranked[0]] - 0.1]


def _in_xapi_words(wanted):
    """`getextensions` -> `listuser`: console words become entity names, and getting a plural is a List."""
    translated = wanted
    for pattern, entity in CONSOLE_WORDS:
        match = pattern.search(translated)
        if match:
            if match.group().endswith("s") and translated.startswith("get"):
                translated = "list" + translated[len("get"):]
            translated = pattern.sub(entity, translated, count=1)
    return translated


def _closest(wanted, by_lower, limit):
    """(score, lower-cased operationId) of the names closest to `wanted`; an exact match scores 1."""
    if wanted in by_lower:
        return [(1.0, wanted)]
    matches = difflib.get_close_matches(wanted, list(by_lower), n=limit, cutoff=0.6)
    return [(difflib.SequenceMatcher(None, wanted, match).ratio(), match) for match in matches]


def _operation(operation_id):
    return Operation(operation_id, *OPERATIONS[operation_id])


def _or_list(names):
    if len(names) == 1:
        return names[0]
    return "%s or %s" % (", ".join(names[:-1]), names[-1])


def find_by_path(method, path):
    """The Operation whose method and path template fit a concrete path, or None when none does.

    `/Users(12)` finds GetUser (`/Users({Id})`), and `/Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')`
    finds GetPhoneRegistrar. A template itself, placeholders and all, finds its operation too.
    None lets the caller send a path the spec does not know as it is, unchecked.
    """
    method = str(method or "GET").upper()
    index = _path_index(method)
    for candidate in _path_variants(path):
        if candidate in index["exact"]:
            return _operation(index["exact"][candidate])
        for pattern, operation_id in index["templates"].get(_first_name(candidate), ()):
            if pattern.match(candidate):
                return _operation(operation_id)
    return None


def _path_variants(path):
    """The path as given and percent-decoded, with one leading slash, no query and no trailing slash."""
    path = "/" + str(path).split("?", 1)[0].strip().lstrip("/")
    if len(path) > 1:
        path = path.rstrip("/")
    decoded = unquote(path)
    return [path] if decoded == path else [path, decoded]


def _first_name(path):
    """The entity set or singleton a path starts with (`Users` for `/Users(12)/Pbx.Foo`)."""
    return re.split(r"[/(]", path[1:], maxsplit=1)[0]


# Built on first use, per method: {"exact": {path: id}, "templates": {first name: [(pattern, id)]}}.
_PATH_INDEX = {}


def _path_index(method):
    if method not in _PATH_INDEX:
        exact, templates = {}, {}
        for operation_id in sorted(OPERATIONS):
            fields = OPERATIONS[operation_id]
            op_method, template = fields[0], fields[1]
            if op_method != method:
                continue
            exact[template] = operation_id
            if "{" in template:
                templates.setdefault(_first_name(template), []).append((template, operation_id))
        _PATH_INDEX[method] = dict(exact=exact, templates={
            name: [(_template_pattern(template), operation_id) for template, operation_id in sorted(entries, key=_specificity)]
            for name, entries in templates.items()
        })
    return _PATH_INDEX[method]


def _specificity(entry):
    """Templates with more fixed text first, so that the most specific one wins if several fit."""
    template = entry[0]
    return (-len(_PLACEHOLDER.sub("", template)), template)


def _template_pattern(template):
    parts = _PLACEHOLDER.split(template)
    # split() alternates fixed text and placeholder names; every placeholder becomes one literal.
    return re.compile("^%s$" % _LITERAL.join(re.escape(text) for text in parts[::2]))


# --- Checking a call ------------------------------------------------------------------------------

def fill_path(operation, path_params):
    """The operation's path with each `{name}` replaced by its value, as a literal of the parameter's
    type, percent-encoded for a path segment. Fails naming a missing, unknown or ill-typed parameter."""
    path_params = _check_path_param_names(operation, path_params)
    types = dict(operation.path_params)
    literals = {}
    for name, value in path_params.items():
        try:
            literal = format_literal(value, types[name], "path_params %r for %s" % (name, operation.operation_id))
        except LiteralError as exc:
            raise OperationError(str(exc), "path_params") from None
        literals[name] = encode_path_literal(literal)
    return _PLACEHOLDER.sub(lambda match: literals[match.group(1)], operation.path)


def _check_path_param_names(operation, path_params):
    """path_params as a dict, once it names exactly the operation's parameters."""
    if path_params is None:
        path_params = {}
    if not isinstance(path_params, dict):
        raise OperationError("path_params must be a dictionary of parameter names and values, got %s"
                             % type(path_params).__name__, "path_params")
    declared = [name for name, _type in operation.path_params]
    extra = [name for name in path_params if name not in declared]
    if extra:
        raise OperationError("path_params has %s, which %s does not take; %s" % (
            _quoted_list(extra), operation.operation_id, _takes(declared, "path parameters", _case_hint(extra, declared))),
            "path_params")
    missing = [name for name in declared if name not in path_params]
    if missing:
        raise OperationError("path_params is missing %s for %s (path %s)" % (
            _quoted_list(missing), operation.operation_id, operation.path), "path_params")
    return path_params


def check_query(operation, names):
    """Fail naming any query parameter the operation does not declare, and list those it does.

    XAPI answers an undeclared OData option with a 400 that does not say which. Names count with or
    without their `$`, since `top` and `$top` mean the same to a reader.
    """
    declared = list(operation.query_params)
    bare = {_bare(name) for name in declared}
    unknown = [str(name) for name in names if _bare(str(name)) not in bare]
    if unknown:
        raise OperationError("%s does not take the query parameter%s %s; %s" % (
            operation.operation_id, "s" if len(unknown) > 1 else "", ", ".join(unknown),
            _takes(declared, "query parameters")), "query")


def check_body(operation, has_body):
    """Fail when a body is given to an operation that takes none, or left out where one is required."""
    if has_body and not operation.has_body:
        raise OperationError("%s takes no request body; leave body out" % operation.operation_id, "body")
    if not has_body and operation.body_required:
        raise OperationError("%s needs a request body: set body" % operation.operation_id, "body")


def _bare(name):
    return name[1:] if name.startswith("$") else name


def _quoted_list(names):
    return ", ".join("%r" % (name,) for name in names)


def _takes(declared, kind, hint=""):
    if not declared:
        return "it takes no %s%s" % (kind, hint)
    return "it takes %s%s" % (", ".join(declared), hint)


def _case_hint(given, declared):
    """' (did you mean 'Id'?)' when a given name differs from a declared one only in case."""
    by_lower = {name.lower(): name for name in declared}
    matches = [by_lower[str(name).lower()] for name in given if str(name).lower() in by_lower]
    return " (did you mean %s?)" % _quoted_list(matches) if matches else ""
