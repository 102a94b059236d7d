# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OData v4 query options and URL literals, as XAPI expects them.

This is the one place that knows how XAPI wants `$filter`, `$search`, lists and function
parameters written. It needs nothing but the standard library.
"""

from __future__ import annotations

import datetime
import math
import re
import uuid
from urllib.parse import quote

# Module option name -> OData system query option.
QUERY_OPTIONS = {
    "top": "$top",
    "skip": "$skip",
    "search": "$search",
    "filter": "$filter",
    "count": "$count",
    "orderby": "$orderby",
    "select": "$select",
    "expand": "$expand",
}

# Characters left readable in a query string or path: OData syntax, never ambiguous there.
_QUERY_SAFE = "$'(),/:@!*;"
_PATH_SAFE = "'()=,:@!$*+;"

# A date-time as the spec's pattern has it: seconds required, and a zone (XAPI answers 500 without).
_DATE_TIME = re.compile(r"^\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,12})?"
                        r"(Z|[+-]\d\d:\d\d)$")
_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


class LiteralError(ValueError):
    """A value that cannot be written as an OData literal of the type asked for; the message names it."""


def as_list(value):
    """Accept a list or a comma-separated string: users write both."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(item).strip() for item in value if str(item).strip()]


def quote_search(phrase):
    """Wrap a `$search` phrase with whitespace in double quotes, escaping quotes inside.

    OData reads unquoted words as an implicit AND; an admin searching for
    `Front Desk` means the phrase.
    """
    if phrase.startswith('"') and phrase.endswith('"'):  # quoted already; a lone " has no space to quote
        return phrase
    if not any(char.isspace() for char in phrase):
        return phrase
    return '"%s"' % phrase.replace("\\", "\\\\").replace('"', '\\"')


def quote_string(value):
    """An OData string literal: single quotes, with quotes inside doubled."""
    return "'%s'" % str(value).replace("'", "''")


def build_query(top=None, skip=None, search=None, filter=None, count=None,  # pylint: disable=redefined-builtin
                orderby=None, select=None, expand=None):
    """The OData system query options for the arguments that are set."""
    given = dict(top=top, skip=skip, search=search, filter=filter, count=count,
                 orderby=orderby, select=select, expand=expand)
    query = {}
    for name, value in given.items():
        if value is None or value == [] or value == "":
            continue
        if name in ("orderby", "select", "expand"):
            value = ",".join(as_list(value))
        elif name == "search":
            value = quote_search(value)
        elif name == "count":
            if not value:
                continue
            value = "true"
        query[QUERY_OPTIONS[name]] = str(value)
    return query


def query_value(value):
    """A free query parameter's text: booleans as OData writes them (`true`), lists comma-joined."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(query_value(item) for item in value)
    return str(value)


def encode_query(query):
    """Percent-encode a query dict, keeping `$`, quotes and commas readable as OData writes them."""
    return "&".join(
        "%s=%s" % (quote(str(name), safe="$"), quote(str(value), safe=_QUERY_SAFE))
        for name, value in query.items()
    )


def encode_path_literal(literal):
    """Percent-encode a literal for use inside a URL path segment."""
    return quote(literal, safe=_PATH_SAFE)


def format_literal(value, type_name, label="value"):
    """`value` as an OData URL literal of the spec's type, not yet percent-encoded.

    Strings are quoted with `'` doubled (`'O''Brien'`); integers, numbers, booleans, dates and UUIDs
    are bare, as XAPI reads them. A string of digits is accepted for an integer because Jinja often
    renders integers as strings. Raises LiteralError, whose message starts with `label` (what the
    value is, e.g. "path_params 'Id' for GetUser"), when the value does not fit, and ValueError for
    a type the spec does not use.
    """
    formatter = _FORMATTERS.get(type_name)
    if formatter is None:
        raise ValueError("unknown parameter type %r" % (type_name,))
    if value is None:
        raise LiteralError("%s has no value (null); XAPI needs %s" % (label, _DESCRIPTIONS[type_name]))
    literal = formatter(value)
    if literal is None:
        raise LiteralError("%s must be %s, got %r (%s)" % (label, _DESCRIPTIONS[type_name], value, type(value).__name__))
    return literal


# Each formatter returns the literal, or None when the value does not fit the type.

def _string(value):
    # A number is fine as a string (`Number: 100` in YAML is an int); a boolean or a structure is a slip.
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return quote_string(value)


def _integer(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and _INTEGER.match(value.strip()):
        return str(int(value.strip()))
    return None


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return value.strip()
    return None


def _boolean(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower()
    return None


def _date_time(value):
    if isinstance(value, datetime.datetime):
        # A naive time would be read in the PBX's zone, which the playbook cannot know.
        return value.isoformat() if value.utcoffset() is not None else None
    if isinstance(value, str) and _DATE_TIME.match(value.strip()):
        return value.strip()
    return None


def _date(value):
    if isinstance(value, datetime.datetime):
        return None  # a date-time where a date is due: which day is meant depends on the zone
    if isinstance(value, datetime.date):
        return value.isoformat()
    match = _DATE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:  # 2024-02-30
        return None


def _uuid(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None


_FORMATTERS = {
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date-time": _date_time,
    "date": _date,
    "uuid": _uuid,
}

_DESCRIPTIONS = {
    "string": "a string",
    "integer": "an integer, such as 12",
    "number": "a number, such as 1.5",
    "boolean": "a boolean (true or false)",
    "date-time": "an ISO 8601 date-time with seconds and a zone, such as 2025-01-31T08:00:00Z",
    "date": "an ISO 8601 date, such as 2025-01-31",
    "uuid": "a UUID, such as 0f8fad5b-d9cb-469f-a165-70867728950e",
}
