# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource layer: XAPI calls by operationId, and entities by key, alternate key or natural key.

Modules and the desired-state engine never write paths or quote literals themselves: the paths come
from the operation catalogue and the literals from _odata, so a string key is always quoted with its
quotes doubled. Name→Id lookups list a set once per run and keep the answer for the run.

Retries: reads, updates and deletes set state, so the client may repeat them. A create adds an item
and is never repeated blindly: after an unclear failure (no answer, a timeout, a 5xx) the item is
looked up by its natural key before anything is decided.
"""

from __future__ import annotations

import json

from ansible_collections.threecx.xapi.plugins.module_utils._entities import ENTITY_SETS
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, OperationError, XapiError
from ansible_collections.threecx.xapi.plugins.module_utils._odata import (
    LiteralError,
    build_query,
    encode_path_literal,
    format_literal,
    quote_string,
)
from ansible_collections.threecx.xapi.plugins.module_utils._operations import (
    check_body,
    check_query,
    fill_path,
    find_by_path,
    find_operation,
)


# --- Calls by operationId ---------------------------------------------------------------------------

class Call:
    """A validated XAPI call: the operation (or None), method, path, query and body."""

    def __init__(self, operation, method, path, query, body):
        self.operation = operation
        self.method = method
        self.path = path
        self.query = query
        self.body = body

    @property
    def operation_id(self):
        return self.operation.operation_id if self.operation else None


def prepare_call(operation=None, path=None, method=None, path_params=None, query=None, body=None, paginate=False):
    """Resolve and check a call, by operationId or by path, against the catalogue. Sends nothing.

    Raises OperationError naming the option at fault.
    """
    target, method, concrete_path = resolve_target(
        dict(operation=operation, path=path, method=method, path_params=path_params or {}))
    query = dict(query or {})
    body = parse_body(body)
    if target is not None:
        check_query(target, list(query))
        check_body(target, body is not None)
        if paginate and not target.is_collection:
            raise OperationError("paginate needs an operation that answers with a collection; "
                                 "%s does not" % target.operation_id, "paginate")
    return Call(target, method, concrete_path, query, body)


def resolve_target(params):
    """(operation or None, method, concrete path) from `operation` or from `path` and `method`."""
    if params["operation"]:
        operation = find_operation(params["operation"])
        if params["method"] not in (None, operation.method):
            raise OperationError("method %s does not fit %s, which is a %s" % (
                params["method"], operation.operation_id, operation.method), "method")
        return operation, operation.method, fill_path(operation, params["path_params"])
    path = "/" + params["path"].strip().lstrip("/")
    method = params["method"] or "GET"
    if "{" in path:
        operation = find_by_path(method, path)
        if operation is None:
            raise OperationError("path %s with method %s matches no operation of the spec, so its "
                                 "placeholders cannot be filled" % (path, method), "path")
        return operation, method, fill_path(operation, params["path_params"])
    if params["path_params"]:
        raise OperationError("path_params fills {placeholders}, and path %s has none" % path, "path_params")
    return find_by_path(method, path), method, path


def parse_body(body):
    """A body given as JSON text, parsed; anything else as it is."""
    if isinstance(body, str):
        try:
            return json.loads(body)
        except ValueError as exc:
            raise OperationError("body is not valid JSON: %s" % exc, "body") from None
    return body


def send_call(client, call, paginate=False, page_size=100, limit=None):
    """Send a prepared call: its `status`, and `json`, `items` and `count` as the answer holds them.

    With `paginate`, every page of a collection with $top/$skip (`json` left out).
    """
    if paginate:
        items, count = client.get_pages(call.path, call.query, page_size=page_size, limit=limit,
                                        want_count=declares_count(call.operation))
        return _collection_fields(dict(status=200, items=items), count)
    response = client.call(call.method, call.path, query=call.query, body=call.body)
    result = dict(status=response.status, json=response.data)
    data = response.data if isinstance(response.data, dict) else {}
    if isinstance(data.get("value"), list):
        result["items"] = data["value"]
    return _collection_fields(result, data.get("@odata.count"))


def declares_count(operation):
    """Whether to ask a collection for `$count`: when its operation declares it, or when no operation is known
    (a call by path), since a PBX that does not count answers without `@odata.count` and paging goes on."""
    return operation is None or "$count" in operation.query_params


def _collection_fields(result, count):
    if isinstance(count, int):
        result["count"] = count
    return result


def operation_path(operation_id, **path_params):
    """The concrete path of an operation, its parameters written as their types want."""
    return fill_path(find_operation(operation_id), path_params)


def get_or_none_by_operation(client, operation_id, **path_params):
    """GET an operation's answer, or None when the PBX answers 404 (an unknown key or parameter)."""
    try:
        return client.call("GET", operation_path(operation_id, **path_params)).data
    except XapiError as exc:
        if is_not_found(exc):
            return None
        raise


def is_not_found(exc):
    return isinstance(exc, XapiError) and exc.status == 404


# --- Entities ----------------------------------------------------------------------------------------

class Resources:
    """The entities of one PBX for one run: get, find, create, update, delete, and cached lookups.

    `client` is an XapiClient or anything with the same `call` and `get_pages` (a fake, in tests).
    """

    def __init__(self, client):
        self.client = client
        self._lookups = {}
        self._operation_lists = {}

    # Reading

    def get_or_none(self, entity_set, key=None, alternate=None, expand=None):
        """The item with this key (or alternate key, such as `{"Number": "100"}`), or None on 404."""
        try:
            return self.client.call("GET", self.item_path(entity_set, key, alternate),
                                    query=build_query(expand=expand)).data
        except XapiError as exc:
            if is_not_found(exc):
                return None
            raise

    def get_singleton(self, path):
        return self.client.call("GET", path).data

    def list(self, entity_set, filter=None, select=None, expand=None, page_size=500):  # pylint: disable=redefined-builtin
        """Every item of a set that `filter` selects, page by page.

        The first page asks for `$count` (every set's list operation declares it), so that a set of N items
        costs ceil(N / page_size) requests: without it, a set of exactly one page would cost an empty second.
        """
        query = build_query(filter=filter, select=select, expand=expand)
        items, _count = self.client.get_pages(self.set_path(entity_set), query, page_size=page_size, want_count=True)
        return items

    def list_operation(self, operation_id, select=None, page_size=500):
        """Every item an operation's collection answers, page by page: a list the PBX keeps but no module
        manages, such as `ListCountry`. Read once per run and kept, as lookups are."""
        if operation_id not in self._operation_lists:
            operation = find_operation(operation_id)
            items, _count = self.client.get_pages(fill_path(operation, {}), build_query(select=select),
                                                  page_size=page_size, want_count=declares_count(operation))
            self._operation_lists[operation_id] = items
        return self._operation_lists[operation_id]

    def find_one(self, entity_set, prop, value, expand=None):
        """The one item whose `prop` equals `value` (by `$filter`), None when none does.

        More than one is a failure that names them: a natural key that is not unique cannot pick one.
        """
        return self.find_matching(entity_set, {prop: value}, expand=expand)

    def find_matching(self, entity_set, conditions, expand=None):
        """The one item whose properties (or paths, `TrunkDN/Id`) hold all of `conditions` ({prop: value}),
        by one `$filter` joined with `and`; None when none does, a failure naming them when several do.

        An empty value (None or "") matches null or "", as a PBX keeps either for a blank field.
        """
        matches = self.list(entity_set, filter=" and ".join(_condition(prop, value) for prop, value in conditions.items()),
                            expand=expand)
        if len(matches) > 1:
            key = self.facts(entity_set)["key"]
            raise XapiError("%d %s have %s (%s %s); make it unique on the PBX first" % (
                len(matches), entity_set, ", ".join("%s %s" % (prop, _shown(value)) for prop, value in conditions.items()),
                key, ", ".join(str(item.get(key)) for item in matches)))
        return matches[0] if matches else None

    def find_by_natural_key(self, entity_set, prop, value, expand=None):
        """By alternate key when `prop` is one (one request, no filter), else by `$filter`."""
        if prop in self.facts(entity_set)["alternate_keys"]:
            return self.get_or_none(entity_set, alternate={prop: value}, expand=expand)
        return self.find_one(entity_set, prop, value, expand=expand)

    def id_of(self, entity_set, prop, value, option):
        """The key of the item whose `prop` is `value`: a department's Id by `Name`, a user's by `Number`,
        a trunk's by `Gateway/Name`.

        The set is listed once per run and kept, so a hundred users in one department cost one request.
        An unknown value fails naming `option`, before any write.
        """
        ids = self._index(entity_set, prop)
        if value not in ids:
            known = ", ".join(sorted(str(name) for name in ids)) or "none"
            raise InputError("%s: %s has no %s %s (known: %s)" % (option, entity_set, prop, quote_string(value), known),
                             option)
        return ids[value]

    def name_of(self, entity_set, prop, key):
        """The reverse of `id_of`: the `prop` of the item with this key, or None."""
        for value, item_key in self._index(entity_set, prop).items():
            if item_key == key:
                return value
        return None

    def remember(self, entity_set, prop, items):
        """Seed the `id_of`/`name_of` lookup from items already listed (whole), so it costs no request."""
        key = self.facts(entity_set)["key"]
        self._lookups[(entity_set, prop)] = {value_at(item, prop): item.get(key) for item in items}

    def _index(self, entity_set, prop):
        """{value of prop: key} for a whole set; `prop` may be a path, such as a trunk's `Gateway/Name`."""
        if (entity_set, prop) not in self._lookups:
            key = self.facts(entity_set)["key"]
            self.remember(entity_set, prop, self.list(entity_set, select=[key, prop.split("/")[0]]))
        return self._lookups[(entity_set, prop)]

    # Writing

    def create(self, entity_set, body, natural_key=None):
        """POST to a set: the item created. Never repeated blindly.

        After an unclear failure the item is looked up by `natural_key` ((prop, value), or {prop: value} for a
        key of several properties): found means the
        PBX created it and only the answer was lost; not found means nothing was created.
        """
        try:
            created = self.client.call("POST", self.set_path(entity_set), body=body).data
        except XapiError as exc:
            if not exc.unclear:
                raise
            return self._created_or_fail(entity_set, exc, natural_key)
        self._learn(entity_set, created)
        return created

    def _learn(self, entity_set, created):
        """A later lookup in the same run (a department created, then a user in it) must see the new item:
        added to the lookups from the create's answer, or, when the answer lacks what they need, forgotten."""
        key = self.facts(entity_set)["key"]
        for cached, index in list(self._lookups.items()):
            if cached[0] != entity_set:
                continue
            value = value_at(created, cached[1])  # None when the answer is not an item
            if value is None or created.get(key) is None:
                del self._lookups[cached]
            else:
                index[value] = created[key]

    def _created_or_fail(self, entity_set, exc, natural_key):
        if natural_key is None or (isinstance(natural_key, tuple) and natural_key[1] in (None, "")):
            raise _with_note(exc, "it is not known whether the PBX created the item; look before running again")
        conditions = dict([natural_key]) if isinstance(natural_key, tuple) else natural_key
        if len(conditions) == 1:
            (prop, value), = conditions.items()
            found = self.find_by_natural_key(entity_set, prop, value)
        else:
            found = self.find_matching(entity_set, conditions)
        if found is None:
            raise _with_note(exc, "%s has no item with %s, so nothing was created" % (
                entity_set, ", ".join("%s %s" % (prop, _shown(value)) for prop, value in conditions.items())))
        self.forget_lookups(entity_set)
        return found

    def update(self, entity_set, key, body):
        """PATCH the properties in `body`. Setting state, so safe to repeat after a 503."""
        self.client.call("PATCH", self.item_path(entity_set, key), body=body, idempotent=True)
        # Only lookups by a property the PATCH changed are stale (a renamed department, not a new e-mail).
        for cached in [cached for cached in self._lookups
                       if cached[0] == entity_set and cached[1].split("/")[0] in (body or {})]:
            del self._lookups[cached]

    def delete(self, entity_set, key):
        """DELETE an item; True when it was there. A 404 (gone already, or on a repeat) is not a failure."""
        try:
            self.client.call("DELETE", self.item_path(entity_set, key), idempotent=True)
        except XapiError as exc:
            if is_not_found(exc):
                return False
            raise
        self.forget_lookups(entity_set)
        return True

    def forget_lookups(self, entity_set):
        for cached in [cached for cached in self._lookups if cached[0] == entity_set]:
            del self._lookups[cached]

    # Paths

    def facts(self, entity_set):
        try:
            return ENTITY_SETS[entity_set]
        except KeyError:
            raise OperationError("unknown entity set %r" % (entity_set,)) from None

    def set_path(self, entity_set):
        self.facts(entity_set)
        return entity_set

    def item_path(self, entity_set, key=None, alternate=None):
        """`Users(12)` for a key, `Users(Number='100')` for an alternate key: literals typed and quoted."""
        facts = self.facts(entity_set)
        if alternate:
            (prop, value), = alternate.items()
            return "%s(%s=%s)" % (entity_set, prop, _path_literal(value, "string", "%s %s" % (entity_set, prop)))
        return "%s(%s)" % (entity_set, _path_literal(key, facts["key_type"], "%s key" % entity_set))


def _path_literal(value, type_name, label):
    try:
        return encode_path_literal(format_literal(value, type_name, label))
    except LiteralError as exc:
        raise InputError(str(exc)) from None


def value_at(item, path):
    """The value at a `/`-separated path of nested dicts (`Rights/RoleName`), None where a step is missing."""
    for part in path.split("/"):
        item = item.get(part) if isinstance(item, dict) else None
    return item


def literal(value):
    """A value as an OData literal in `$filter`: strings quoted, quotes doubled; numbers and booleans bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return quote_string(value)


def _condition(prop, value):
    if value in (None, ""):
        return "(%s eq null or %s eq '')" % (prop, prop)
    return "%s eq %s" % (prop, literal(value))


def _shown(value):
    return quote_string(value) if isinstance(value, str) else json.dumps(value)


def _with_note(exc, note):
    return XapiError("%s; %s" % (exc.message, note), status=exc.status, method=exc.method, url=exc.url,
                     pbx_message=exc.pbx_message, details=exc.details, hint=exc.hint)
