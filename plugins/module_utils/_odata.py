# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OData v4 query options and URL literals, as XAPI expects them.

This is the one place that knows how XAPI wants `$filter`, `$search`, lists and function
parameters written. It needs nothing but the standard library.
"""

from __future__ import annotations

import datetime
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

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


class LiteralError(ValueError):
    """A value that cannot be written as an OData literal of the type asked for."""


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
    if len(phrase) >= 2 and phrase.startswith('"') and phrase.endswith('"'):
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


def encode_query(query):
    """Percent-encode a query dict, keeping `$`, quotes and commas readable as OData writes them."""
    return "&".join(
        "%s=%s" % (quote(str(name), safe="$"), quote(str(value), safe=_QUERY_SAFE))
        for name, value in query.items()
    )


def encode_path_literal(literal):
    """Percent-encode a literal for use inside a URL path segment."""
    return quote(literal, safe=_PATH_SAFE)


def format_literal(value, type_name):
    """Write `value` as an OData literal of the spec's type, e.g. for `Pbx.GetPhoneRegistrar(mac='…')`.

    Strings are quoted; integers, numbers, booleans, dates and UUIDs are bare. Jinja often
    renders integers as strings, so digit strings are accepted where an integer is due.
    Raises LiteralError when the value does not fit the type.
    """
    formatter = _FORMATTERS.get(type_name, _format_string)
    return formatter(value)


def _format_string(value):
    if isinstance(value, (dict, list)):
        raise LiteralError("expected a string, got %s" % type(value).__name__)
    return quote_string(value)


def _format_integer(value):
    if isinstance(value, bool):
        raise LiteralError("expected an integer, got a boolean")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return str(int(value))
    raise LiteralError("expected an integer, got %r" % (value,))


def _format_number(value):
    if isinstance(value, bool):
        raise LiteralError("expected a number, got a boolean")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise LiteralError("expected a number, got %r" % (value,)) from None
    return str(int(number)) if number.is_integer() else repr(number)


def _format_boolean(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower()
    raise LiteralError("expected a boolean, got %r" % (value,))


def _format_date_time(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE_TIME.match(value.strip()):
        return value.strip()
    raise LiteralError("expected an ISO 8601 date-time with a time zone, got %r" % (value,))


def _format_date(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()
    raise LiteralError("expected an ISO 8601 date (YYYY-MM-DD), got %r" % (value,))


def _format_uuid(value):
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise LiteralError("expected a UUID, got %r" % (value,)) from None


_FORMATTERS = {
    "string": _format_string,
    "integer": _format_integer,
    "number": _format_number,
    "boolean": _format_boolean,
    "date-time": _format_date_time,
    "date": _format_date,
    "uuid": _format_uuid,
}
