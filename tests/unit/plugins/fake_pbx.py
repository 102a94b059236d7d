# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fake client for the engine tests: an in-memory PBX behind the XapiClient methods the engine uses.

It keeps Users and Groups (and singletons) as a PBX does: POST assigns an Id, PATCH replaces top-level
properties (a member list whole), members get a derived `Name`, answers leave out nulls. Every call
is logged as "METHOD path", so tests assert on what reached the PBX; `calls` keeps each call's query
and whether it was marked safe to repeat. Faults: `lose_create_answer` (the POST lands, its answer is
lost), `fail_create` (a 503 with nothing created), `empty_create_answer` (the POST lands, answered
without the item), `ignore` (properties the PBX silently does not take, "DELETE" for deletes it
answers 204 to but does not do, "POST" for creates it answers without doing), and `after_write`, a
function (pbx, method, path) run after each write: what the PBX (or someone else) does next.
"""

from __future__ import annotations

import copy
import re

from ansible_collections.threecx.xapi.plugins.module_utils._client import Response
from ansible_collections.threecx.xapi.plugins.module_utils._errors import XapiError

_ITEM = re.compile(r"^/?(\w+)\((?:(\w+)=)?'?((?:[^']|'')*?)'?\)$")
_FILTER = re.compile(r"^([\w/]+) eq ('(?:[^']|'')*'|-?\d+)$")
_BLANK = re.compile(r"^\(([\w/]+) eq null or [\w/]+ eq ''\)$")


class FakePbx:
    def __init__(self, sets=None, singletons=None):
        self.sets = {name: {} for name in ("Users", "Groups")}
        for name, items in (sets or {}).items():
            self.sets[name] = {item["Id"]: copy.deepcopy(item) for item in items}
        self.singletons = copy.deepcopy(singletons or {})
        self.log = []
        self.bodies = []
        self.lose_create_answer = False
        self.fail_create = False
        self.ignore = set()
        self.empty_create_answer = False
        self.after_write = None
        self.calls = []
        self.next_id = 100

    # The XapiClient surface the engine uses

    def call(self, method, path, query=None, body=None, idempotent=False):
        path = path.lstrip("/")
        self.log.append("%s %s" % (method, path))
        self.bodies.append(copy.deepcopy(body))
        self.calls.append(dict(method=method, path=path, query=query, idempotent=idempotent))
        answer = self._answer_call(method, path, body)
        if method != "GET" and self.after_write:
            self.after_write(self, method, path)
        return answer

    def _answer_call(self, method, path, body):
        if path in self.singletons:
            return self._singleton(method, path, body)
        if "/" in path:
            return self._action(path, body)
        if method == "POST":
            return self._create(path, body)
        entity_set, item = self._find(path)
        if method == "GET":
            return Response(200, _answer(item))
        if method == "PATCH":
            item.update({name: value for name, value in copy.deepcopy(body).items() if name not in self.ignore})
            self._derive(entity_set, item)
            return Response(204, None)
        if method == "DELETE":
            if "DELETE" not in self.ignore:
                del self.sets[entity_set][item["Id"]]
            return Response(204, None)
        raise AssertionError(method)

    def get_pages(self, path, query=None, page_size=100, limit=None, want_count=False):
        self.log.append("GET %s?%s" % (path.lstrip("/"), (query or {}).get("$filter", "")))
        self.bodies.append(None)
        self.calls.append(dict(method="GET", path=path.lstrip("/"), query=query, idempotent=True))
        items = list(self.sets[path.lstrip("/")].values())
        for condition in filter(None, (query or {}).get("$filter", "").split(" and ")):
            items = [item for item in items if _holds(item, condition)]
        return [_answer(item) for item in items], None

    # The fake PBX

    def writes(self):
        return [entry for entry in self.log if not entry.startswith("GET")]

    def item(self, entity_set, **match):
        found = [item for item in self.sets[entity_set].values() if all(item.get(k) == v for k, v in match.items())]
        return found[0] if len(found) == 1 else found or None

    def _find(self, path):
        match = _ITEM.match(path)
        entity_set, prop, value = match.groups()
        for item in self.sets[entity_set].values():
            if (prop and str(item.get(prop)) == value.replace("''", "'")) or (not prop and str(item["Id"]) == value):
                return entity_set, item
        raise XapiError("the PBX answered with an error: WARNINGS.XAPI.NOT_FOUND", status=404, method="GET", url=path)

    def _create(self, entity_set, body):
        if self.fail_create:
            raise XapiError("the PBX answered with an error", status=503, method="POST", url=entity_set)
        if "POST" in self.ignore:
            return Response(201, None)
        item = {name: value for name, value in copy.deepcopy(body).items() if name not in self.ignore}
        item["Id"] = self.next_id
        self.next_id += 1
        self._derive(entity_set, item)
        self.sets[entity_set][item["Id"]] = item
        if self.lose_create_answer:
            raise XapiError("timed out after 30 seconds waiting for pbx:443", method="POST", url=entity_set)
        return Response(201, None if self.empty_create_answer else _answer(item))

    def _derive(self, entity_set, item):
        """Fill in what a PBX derives: a member's Name."""
        for member in item.get("Members") or []:
            user = self.item("Users", Number=member.get("Number")) or {}
            member["Name"] = "%s %s" % (user.get("FirstName", ""), user.get("LastName", ""))
        for member in item.get("Groups") or []:
            member["Name"] = (self.sets["Groups"].get(member.get("GroupId")) or {}).get("Name")

    def _singleton(self, method, path, body):
        if method == "PATCH":
            self.singletons[path].update({k: v for k, v in body.items() if k not in self.ignore})
            return Response(204, None)
        held = self.singletons[path]
        return Response(200, None if held is None else _answer(held))

    def _action(self, path, body):
        name, _action = path.split("/", 1)
        (params,) = body.values()
        renames = {"Country": "CountryCode", "Email": "EMail", "Phone": "Telephone"}
        self.singletons[name].update({renames.get(k, k): v for k, v in params.items() if k not in self.ignore})
        return Response(204, None)


def _holds(item, condition):
    """`Name eq 'x'`, `Number eq 7` or `(Name eq null or Name eq '')`, on a property or a path."""
    blank = _BLANK.match(condition)
    if blank:
        return _at(item, blank.group(1)) in (None, "")
    prop, text = _FILTER.match(condition).groups()
    wanted = text[1:-1].replace("''", "'") if text.startswith("'") else int(text)
    return _at(item, prop) == wanted


def _at(item, path):
    for part in path.split("/"):
        item = item.get(part) if isinstance(item, dict) else None
    return item


def _answer(item):
    """As a PBX answers: a copy, nulls left out."""
    return {name: copy.deepcopy(value) for name, value in item.items() if value is not None}
