# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OData query options for the XAPI simulator: parse them, check them against a type, apply them to dicts.

`$filter` is parsed by odata-query's lexer and parser into an AST; `FilterChecker` checks its
properties and types against the entity type once (so a bad filter is a 400 even on an empty
collection) and `FilterEvaluator` evaluates it against each item. Nothing here is done with regexes.
"""

from __future__ import annotations

import datetime
import threading
from urllib.parse import unquote_plus

from xapi_model import NAVIGATION, PRIMITIVE

INVALID_QUERY = "WARNINGS.XAPI.INVALID_QUERY"
COLLECTION_OPTIONS = frozenset(("$top", "$skip", "$search", "$filter", "$count", "$orderby", "$select", "$expand"))
ENTITY_OPTIONS = frozenset(("$select", "$expand"))
_KNOWN_OPTIONS = COLLECTION_OPTIONS | {"$format", "$skiptoken", "$apply", "$compute", "$index", "$levels", "$schemaversion"}
NUMERIC = frozenset(("int", "float"))
TEMPORAL = frozenset(("datetime", "date"))
STRINGY = frozenset(("string", "enum", "guid", "duration", "time"))
_GRAMMAR = {}
_GRAMMAR_LOCK = threading.Lock()


class ODataError(Exception):
    """An error the PBX answers with an OData error body; 400 unless said otherwise."""

    def __init__(self, detail, status=400, message=INVALID_QUERY, target=None):
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.message = message
        self.target = target

    def body(self):
        return error_body(self.message, self.detail, self.target)


def error_body(message, detail, target=None):
    """The PBX's error shape: a WARNINGS.XAPI.* key, and the human text in details."""
    return {"error": {"code": "", "message": message, "details": [{"code": "", "message": detail, "target": target}]}}


def grammar():
    """odata-query's lexer and parser classes, imported on first use: the import costs 0.2 s of startup."""
    with _GRAMMAR_LOCK:
        if not _GRAMMAR:
            from odata_query import exceptions, grammar as odata_grammar
            _GRAMMAR.update(exceptions=exceptions, lexer=odata_grammar.ODataLexer, parser=odata_grammar.ODataParser)
    return _GRAMMAR


# ---------------------------------------------------------------- query string


def parse_query_string(raw):
    """Split a raw query string into {name: value}, decoded (`%24top` is `$top`, `+` is a space)."""
    options = {}
    for pair in raw.split("&") if raw else ():
        if not pair:
            continue
        name, _sep, value = pair.partition("=")
        name = unquote_plus(name)
        value = unquote_plus(value)
        key = name.lower() if name.startswith("$") else name
        if key in options:
            raise ODataError("The query option '%s' is given more than once." % name, target=name)
        options[key] = value
    return options


def split_top_level(text, separator=","):
    """Split on `separator` outside parentheses and quoted strings: `DN($select=Id,Name),Registrar`."""
    parts, depth, quote, current = [], 0, None, []
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    if depth != 0 or quote:
        raise ODataError("Unbalanced parentheses or quotes in '%s'." % text)
    parts.append("".join(current).strip())
    return parts


def parse_string_literal(text):
    """An OData string literal: '805ec0123456' -> 805ec0123456, with '' inside read as one quote; else ValueError."""
    if len(text) < 2 or text[0] != "'" or text[-1] != "'":
        raise ValueError("a string in single quotes is required")
    inner = text[1:-1]
    if "'" in inner.replace("''", ""):
        raise ValueError("a quote inside a string must be doubled")
    return inner.replace("''", "'")


def non_negative_int(name, value):
    if not value.isdigit() or not value.isascii():
        raise ODataError("Invalid value '%s' for %s query option: a non-negative integer is required." % (value, name),
                         target=name)
    return int(value)


def parse_bool(name, value):
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise ODataError("Invalid value '%s' for %s query option: true or false is required." % (value, name), target=name)
    return lowered == "true"


def parse_search(value):
    """The `$search` phrase: surrounding double quotes stripped and \\" unescaped; matched case-insensitively."""
    phrase = value.strip()
    if len(phrase) >= 2 and phrase[0] == '"' and phrase[-1] == '"':
        phrase = phrase[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return phrase.lower()


class QueryOptions:
    """Parsed and checked query options for one entity type."""

    def __init__(self, entity_type):
        self.entity_type = entity_type
        self.top = None
        self.skip = 0
        self.count = False
        self.search = ""
        self.filter = None
        self.orderby = []
        self.select = None
        self.expand = {}

    @classmethod
    def parse(cls, options, entity_type, allowed):
        """Check every `$` option against `allowed` and the type; other (custom) options are ignored, as OData does."""
        parsed = cls(entity_type)
        for name, value in options.items():
            if not name.startswith("$"):
                continue
            if name not in _KNOWN_OPTIONS:
                raise ODataError("The query parameter '%s' is not supported." % name, target=name)
            if name not in allowed:
                raise ODataError("The query option '%s' is not allowed here." % name, target=name)
            parsed.set_option(name, value)
        return parsed

    def set_option(self, name, value):
        if name == "$top":
            self.top = non_negative_int(name, value)
        elif name == "$skip":
            self.skip = non_negative_int(name, value)
        elif name == "$count":
            self.count = parse_bool(name, value)
        elif name == "$search":
            self.search = parse_search(value)
        elif name == "$filter":
            self.filter = compile_filter(value, self.entity_type)
        elif name == "$orderby":
            self.orderby = parse_orderby(value, self.entity_type)
        elif name == "$select":
            self.select = parse_select(value, self.entity_type)
        elif name == "$expand":
            self.expand = parse_expand(value, self.entity_type)
        else:
            raise ODataError("The query option '%s' is not supported by this PBX." % name, target=name)


# ---------------------------------------------------------------- paths, $select, $expand, $orderby


def resolve_path(entity_type, segments, option):
    """Walk `Registrar/Model` or `DN/Number` through complex and single navigation properties; the last Prop."""
    current, prop = entity_type, None
    for index, segment in enumerate(segments):
        if current is None:
            raise ODataError("'%s' has no property '%s'." % ("/".join(segments[:index]), segment), target=option)
        prop = current.get(segment)
        if prop is None:
            raise ODataError("Could not find a property named '%s' on type '%s'." % (segment, current.name), target=option)
        if prop.collection and index < len(segments) - 1:
            raise ODataError("'%s' is a collection; use any() or all() to reach inside it." % segment, target=option)
        current = prop.target if prop.kind != PRIMITIVE else None
    return prop


def parse_select(value, entity_type):
    """`$select` as a tree: {"Id": None, "Registrar": {"Model": None}}; "*" keeps every structural property."""
    tree = {}
    for item in split_top_level(value):
        if not item:
            raise ODataError("Empty item in $select.", target="$select")
        if item == "*":
            tree.update({prop.name: None for prop in entity_type.structural()})
            continue
        segments = item.split("/")
        resolve_path(entity_type, segments, "$select")
        node = tree
        for segment in segments[:-1]:
            if segment in node and node[segment] is None:
                node = None  # the whole complex value is selected already
                break
            node = node.setdefault(segment, {})
        if node is not None:
            node[segments[-1]] = None
    return tree


def parse_expand(value, entity_type):
    """`$expand=DN($select=Number,Name;$expand=MemberOf),...` as {name: QueryOptions of the target type}."""
    expanded = {}
    for item in split_top_level(value):
        name, _paren, rest = item.partition("(")
        name = name.strip()
        if name == "*":
            for prop in entity_type.navigation():
                expanded[prop.name] = QueryOptions(prop.target)
            continue
        prop = entity_type.get(name)
        if prop is None:
            raise ODataError("Could not find a property named '%s' on type '%s'." % (name, entity_type.name), target="$expand")
        if prop.kind != NAVIGATION:
            raise ODataError("Property '%s' on type '%s' is not a navigation property. Only navigation properties can be expanded."
                             % (name, entity_type.name), target="$expand")
        expanded[name] = _nested_options(rest, prop)
    return expanded


def _nested_options(rest, prop):
    """The options inside `DN(...)`, separated by semicolons."""
    allowed = COLLECTION_OPTIONS if prop.collection else ENTITY_OPTIONS
    if not rest:
        return QueryOptions(prop.target)
    if not rest.endswith(")"):
        raise ODataError("Missing ')' in $expand of '%s'." % prop.name, target="$expand")
    options = {}
    for part in split_top_level(rest[:-1], ";"):
        name, equals, value = part.partition("=")
        if not equals:
            raise ODataError("Invalid nested option '%s' in $expand." % part, target="$expand")
        options[name.strip().lower()] = value
    return QueryOptions.parse(options, prop.target, allowed)


def parse_orderby(value, entity_type):
    """[(segments, descending)], each path ending in a primitive property."""
    keys = []
    for item in split_top_level(value):
        words = item.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise ODataError("Invalid $orderby item '%s'." % item, target="$orderby")
        segments = words[0].split("/")
        prop = resolve_path(entity_type, segments, "$orderby")
        if prop.kind != PRIMITIVE or prop.collection:
            raise ODataError("The $orderby item '%s' is not a single primitive property." % words[0], target="$orderby")
        keys.append((segments, len(words) == 2 and words[1].lower() == "desc"))
    return keys


# ---------------------------------------------------------------- applying the options


def lookup(item, segments):
    for segment in segments:
        if not isinstance(item, dict):
            return None
        item = item.get(segment)
    return item


def _sort_key(value):
    # Nulls sort first ascending, as .NET's comparer puts them; (0,) and (1, v) never compare v with None.
    if value is None:
        return (0,)
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is not None:
            return (1, parsed.timestamp())
    return (1, value)


def apply_orderby(items, orderby, entity_type, by_key=True):
    """Stable multi-key sort: by the last key first; default order is by the key, as ASP.NET OData pages
    (unless `by_key` is false: an expanded list without $orderby keeps its order)."""
    if not orderby and entity_type.key and by_key:
        orderby = [([entity_type.key], False)]
    for segments, descending in reversed(orderby):
        items.sort(key=lambda item, segments=segments: _sort_key(lookup(item, segments)), reverse=descending)
    return items


def matches_search(item, phrase):
    """True when any string in the item (complex and navigation values included) contains the phrase."""
    if not phrase:
        return True
    return any(phrase in text.lower() for text in _strings(item))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def apply_collection(items, options, by_key=True):
    """Filter, search, order, count, then skip and top; returns (page, count before paging)."""
    selected = [item for item in items if matches_search(item, options.search)
                and (options.filter is None or options.filter(item))]
    apply_orderby(selected, options.orderby, options.entity_type, by_key)
    count = len(selected)
    end = None if options.top is None else options.skip + options.top
    return selected[options.skip:end], count


def shape(item, options):
    """The item as OData writes it: selected structural properties, expanded navigation properties only."""
    entity_type = options.entity_type
    if item is None:
        return None
    result = {}
    for prop in entity_type.structural():
        if options.select is None or prop.name in options.select:
            result[prop.name] = _select_within(item.get(prop.name), options.select and options.select.get(prop.name))
    for name, nested in options.expand.items():
        result[name] = _expanded(item.get(name), nested, entity_type.get(name), result)
    return result


def _select_within(value, sub_select):
    if not sub_select or not isinstance(value, dict):
        return value
    return {name: _select_within(value.get(name), sub_select[name]) for name in sub_select}


def _expanded(value, nested, prop, result):
    if not prop.collection:
        return shape(value, nested)
    # An expanded list is held in order (a ring group's members ring in that order): kept without $orderby.
    page, count = apply_collection(list(value or []), nested, by_key=False)
    if nested.count:
        result[prop.name + "@odata.count"] = count
    return [shape(element, nested) for element in page]


# ---------------------------------------------------------------- $filter


def compile_filter(text, entity_type):
    """Parse and type-check a `$filter`; the result is a predicate over items. Any problem is a 400."""
    if not text.strip():
        raise ODataError("The $filter query option is empty.", target="$filter")
    parts = grammar()
    try:
        tree = parts["parser"]().parse(parts["lexer"]().tokenize(text))
    except parts["exceptions"].ODataException as error:
        raise ODataError("Invalid $filter '%s': %s" % (text, error), target="$filter")
    except (ValueError, TypeError, IndexError, AttributeError, KeyError, RecursionError) as error:
        # The parser's own bugs on odd input must still be a 400, never a 500.
        raise ODataError("Invalid $filter '%s': %s" % (text, error), target="$filter")
    if tree is None:
        raise ODataError("Invalid $filter '%s'." % text, target="$filter")
    result_type = FilterChecker(entity_type).visit(tree)
    if result_type not in ("bool", "null"):
        raise ODataError("The $filter '%s' is not a boolean expression." % text, target="$filter")

    def predicate(item):
        return FilterEvaluator(item).visit(tree) is True
    return predicate


def parse_datetime(text):
    """A timezone-aware datetime from an ISO date or date-time string, or None when it is not one."""
    if not isinstance(text, str) or len(text) < 10 or text[4:5] != "-":
        return None
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)


class _Scope:
    """Lambda variables (`t` in `Tags/any(t: t eq 'MS')`), for both the checker and the evaluator."""

    def __init__(self):
        self.variables = {}

    def bind(self, name, value):
        previous = dict(self.variables)
        self.variables[name] = value
        return previous


def _family(type_name):
    if type_name in NUMERIC:
        return "number"
    if type_name in TEMPORAL:
        return "temporal"
    if type_name in STRINGY:
        return "string"
    return type_name


_FUNCTIONS = {
    # name: (argument families, result type); "any" takes whatever the evaluator can handle.
    "contains": (("string", "string"), "bool"),
    "startswith": (("string", "string"), "bool"),
    "endswith": (("string", "string"), "bool"),
    "tolower": (("string",), "string"),
    "toupper": (("string",), "string"),
    "trim": (("string",), "string"),
    "length": (("string",), "int"),
    "indexof": (("string", "string"), "int"),
    "concat": (("string", "string"), "string"),
    "substring": (("string", "number"), "string"),
    "year": (("temporal",), "int"),
    "month": (("temporal",), "int"),
    "day": (("temporal",), "int"),
    "hour": (("temporal",), "int"),
    "minute": (("temporal",), "int"),
    "second": (("temporal",), "int"),
}


class FilterChecker:
    """Walks the AST once: unknown properties, unsupported nodes and incompatible types are 400s."""

    def __init__(self, entity_type):
        self.entity_type = entity_type
        self.scope = _Scope()

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise ODataError("'%s' is not supported in $filter by this PBX." % type(node).__name__, target="$filter")
        return method(node)

    # Literals
    def visit_Null(self, node):
        return "null"

    def visit_Integer(self, node):
        return "int"

    def visit_Float(self, node):
        return "float"

    def visit_Boolean(self, node):
        return "bool"

    def visit_String(self, node):
        return "string"

    def visit_DateTime(self, node):
        return "datetime"

    def visit_Date(self, node):
        return "date"

    def visit_Time(self, node):
        return "time"

    def visit_GUID(self, node):
        return "guid"

    def visit_Duration(self, node):
        return "duration"

    def visit_List(self, node):
        families = {_family(self.visit(element)) for element in node.val} - {"null"}
        if len(families) > 1:
            raise ODataError("A list in $filter mixes types.", target="$filter")
        return "list:" + (families.pop() if families else "null")

    # Properties
    def visit_Identifier(self, node):
        return self._path_type(self._segments(node))

    def visit_Attribute(self, node):
        return self._path_type(self._segments(node))

    def _segments(self, node):
        if type(node).__name__ == "Identifier":
            if node.namespace:
                raise ODataError("Qualified names such as '%s' are not supported." % node.full_name(), target="$filter")
            return [node.name]
        if type(node).__name__ == "Attribute":
            return self._segments(node.owner) + [node.attr]
        raise ODataError("Only property paths may be navigated with '/'.", target="$filter")

    def _path_type(self, segments):
        if segments[0] in self.scope.variables:
            prop = self.scope.variables[segments[0]]
            if len(segments) == 1:
                return _prop_type(prop, element=True)
            if prop.kind == PRIMITIVE:
                raise ODataError("'%s' is a primitive value with no properties." % segments[0], target="$filter")
            entity_type = prop.target
            segments = segments[1:]
        else:
            entity_type = self.entity_type
        return _prop_type(resolve_path(entity_type, segments, "$filter"))

    # Operators
    def visit_Compare(self, node):
        left, right = self.visit(node.left), self.visit(node.right)
        comparator = type(node.comparator).__name__
        if comparator == "In":
            if not right.startswith("list:"):
                raise ODataError("'in' needs a list such as ('a','b').", target="$filter")
            right = right[5:]
        elif "collection" in (left, right) or "object" in (left, right):
            # A single navigation or complex value may only be tested for null.
            if "collection" in (left, right) or "null" not in (left, right) or comparator not in ("Eq", "NotEq"):
                raise ODataError("Only single primitive values can be compared.", target="$filter")
            return "bool"
        if "null" not in (left, right) and _family(left) != _family(right):
            raise ODataError("A binary operator with incompatible types was detected: '%s' and '%s' for '%s'."
                             % (left, right, comparator), target="$filter")
        if comparator not in ("Eq", "NotEq", "In") and "bool" in (left, right):
            raise ODataError("Booleans can only be compared with eq and ne.", target="$filter")
        return "bool"

    def visit_BoolOp(self, node):
        for side in (node.left, node.right):
            if self.visit(side) not in ("bool", "null"):
                raise ODataError("'and' and 'or' need boolean operands.", target="$filter")
        return "bool"

    def visit_UnaryOp(self, node):
        operand = self.visit(node.operand)
        if type(node.op).__name__ == "Not":
            if operand not in ("bool", "null"):
                raise ODataError("'not' needs a boolean operand.", target="$filter")
            return "bool"
        if operand not in NUMERIC:
            raise ODataError("'-' needs a number.", target="$filter")
        return operand

    def visit_BinOp(self, node):
        left, right = self.visit(node.left), self.visit(node.right)
        if left not in NUMERIC or right not in NUMERIC:
            raise ODataError("Arithmetic needs numbers.", target="$filter")
        return "int" if left == right == "int" and type(node.op).__name__ != "Div" else "float"

    def visit_Call(self, node):
        name = node.func.name
        if name not in _FUNCTIONS:
            raise ODataError("The function '%s' is not supported by this PBX." % name, target="$filter")
        families, result = _FUNCTIONS[name]
        for index, argument in enumerate(node.args):
            family = _family(self.visit(argument))
            expected = families[min(index, len(families) - 1)]
            if family not in (expected, "null"):
                raise ODataError("Argument %d of %s() must be a %s." % (index + 1, name, expected), target="$filter")
        return result

    def visit_CollectionLambda(self, node):
        segments = self._segments(node.owner)
        prop = resolve_path(self.entity_type, segments, "$filter") if segments[0] not in self.scope.variables else None
        if prop is None or not prop.collection:
            raise ODataError("any() and all() need a collection property.", target="$filter")
        if node.lambda_ is None:
            return "bool"
        previous = self.scope.bind(node.lambda_.identifier.name, prop)
        try:
            if self.visit(node.lambda_.expression) not in ("bool", "null"):
                raise ODataError("The body of any() or all() must be boolean.", target="$filter")
        finally:
            self.scope.variables = previous
        return "bool"


def _prop_type(prop, element=False):
    if prop.collection and not element:
        return "collection"
    if prop.kind != PRIMITIVE:
        return "object"
    return prop.type


class FilterEvaluator:
    """Evaluates a checked AST against one item; null propagates and ends as false, as in OData."""

    def __init__(self, item):
        self.item = item
        self.scope = _Scope()

    def visit(self, node):
        return getattr(self, "visit_" + type(node).__name__)(node)

    def _literal(self, node):
        return node.py_val

    visit_Null = visit_Integer = visit_Float = visit_Boolean = _literal

    def visit_String(self, node):
        return node.val

    def visit_DateTime(self, node):
        return parse_datetime(node.val)

    def visit_Date(self, node):
        return parse_datetime(node.val)

    def visit_Time(self, node):
        return node.val

    def visit_GUID(self, node):
        return node.val.lower()

    def visit_Duration(self, node):
        return node.val

    def visit_List(self, node):
        return [self.visit(element) for element in node.val]

    def visit_Identifier(self, node):
        return self._path([node.name])

    def visit_Attribute(self, node):
        return self._path(self._segments(node))

    def _segments(self, node):
        if type(node).__name__ == "Identifier":
            return [node.name]
        return self._segments(node.owner) + [node.attr]

    def _path(self, segments):
        if segments[0] in self.scope.variables:
            return lookup(self.scope.variables[segments[0]], segments[1:])
        return lookup(self.item, segments)

    def visit_Compare(self, node):
        left, right = self.visit(node.left), self.visit(node.right)
        comparator = type(node.comparator).__name__
        if comparator == "In":
            return any(_equal(left, candidate) for candidate in right)
        if comparator == "Eq":
            return _equal(left, right)
        if comparator == "NotEq":
            return not _equal(left, right)
        if left is None or right is None:
            return None
        left, right = _comparable(left, right)
        return {"Lt": left < right, "LtE": left <= right, "Gt": left > right, "GtE": left >= right}[comparator]

    def visit_BoolOp(self, node):
        left = self.visit(node.left)
        if type(node.op).__name__ == "And":
            return left is True and self.visit(node.right) is True
        return left is True or self.visit(node.right) is True

    def visit_UnaryOp(self, node):
        operand = self.visit(node.operand)
        if operand is None:
            return None
        return (operand is not True) if type(node.op).__name__ == "Not" else -operand

    def visit_BinOp(self, node):
        left, right = self.visit(node.left), self.visit(node.right)
        if left is None or right is None:
            return None
        operator = type(node.op).__name__
        if operator in ("Div", "Mod") and right == 0:
            return None
        if operator == "Div":
            return left // right if isinstance(left, int) and isinstance(right, int) else left / right
        return {"Add": left + right, "Sub": left - right, "Mult": left * right, "Mod": left % right}[operator]

    def visit_Call(self, node):
        args = [self.visit(argument) for argument in node.args]
        if any(arg is None for arg in args):
            return None
        return _call(node.func.name, args)

    def visit_CollectionLambda(self, node):
        values = self._path(self._segments(node.owner)) or []
        if node.lambda_ is None:
            return bool(values)
        results = []
        for value in values:
            previous = self.scope.bind(node.lambda_.identifier.name, value)
            try:
                results.append(self.visit(node.lambda_.expression) is True)
            finally:
                self.scope.variables = previous
        return any(results) if type(node.operator).__name__ == "Any" else all(results)


def _comparable(left, right):
    """Both sides as datetimes when one is, so that an ISO string compares with a date-time literal."""
    if isinstance(left, datetime.datetime) or isinstance(right, datetime.datetime):
        return _as_datetime(left), _as_datetime(right)
    return left, right


def _as_datetime(value):
    return value if isinstance(value, datetime.datetime) else parse_datetime(value)


def _equal(left, right):
    if isinstance(left, datetime.datetime) or isinstance(right, datetime.datetime):
        return _as_datetime(left) == _as_datetime(right)
    if isinstance(left, str) and isinstance(right, str) and _looks_like_guid(left) and _looks_like_guid(right):
        return left.lower() == right.lower()
    return left == right


def _looks_like_guid(text):
    return len(text) == 36 and text.count("-") == 4


def _call(name, args):
    if name in ("year", "month", "day", "hour", "minute", "second"):
        moment = _as_datetime(args[0])
        return None if moment is None else getattr(moment, name)
    if name == "substring":
        start = int(args[1])
        return args[0][start:] if len(args) == 2 else args[0][start:start + int(args[2])]
    return _STRING_FUNCTIONS[name](*args)


_STRING_FUNCTIONS = {
    "contains": lambda text, part: part in text,
    "startswith": lambda text, part: text.startswith(part),
    "endswith": lambda text, part: text.endswith(part),
    "tolower": lambda text: text.lower(),
    "toupper": lambda text: text.upper(),
    "trim": lambda text: text.strip(),
    "length": len,
    "indexof": lambda text, part: text.find(part),
    "concat": lambda first, second: "%s%s" % (first, second),
}
