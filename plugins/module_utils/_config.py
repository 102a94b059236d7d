# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole PBX as one document: export it (threecx_config_export) and apply it (threecx_config).

A section of the document is one entry of SECTIONS: its name, the resource description and the option
spec of its per-entity module. Export and apply have no code of their own for any section, so they read,
compare and write exactly as the per-entity modules do, and an exported item can be given to its module
as arguments.

Apply, in order:
1. check every item with its module's argument spec and the engine's own checks, without a request;
2. read each section once (one paged list, with the expands the engine needs);
3. check references (departments by name, extensions by number) against the PBX and earlier sections;
4. ensure each item in dependency order with its listed state (no GET per item), then, with purge,
   delete what the document does not name, in reverse order.
A failure stops at that item, and says what was done, what failed and what was not attempted.
"""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover - ansible-core itself needs PyYAML
    HAS_YAML = False

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import (
    Members,
    Request,
    ensure_absent,
    ensure_present,
    to_options,
)
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, ThreecxError
from ansible_collections.threecx.xapi.plugins.module_utils._queues import QUEUE, QUEUE_OPTIONS, RING_GROUP, RING_GROUP_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._routing import (
    BLOCKED_NUMBER,
    BLOCKED_NUMBER_OPTIONS,
    HOLIDAY,
    HOLIDAY_OPTIONS,
)
from ansible_collections.threecx.xapi.plugins.module_utils._users import GROUP, GROUP_OPTIONS, USER, USER_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import state_argument_spec

_EMPTY = (None, "", [], {})


class Section:
    """One section of the document: a resource described for the engine and its module's options.

    defaults: {option: value} a new item gets on a PBX; export leaves such values out.
    omit: options export leaves out (a relation exported from its other side).
    refs: {member list option: (entity set, property)} for member lists without a lookup: what a
      member's key names, so that a reference can be checked before any write.
    keep: {property: value} of items purge never deletes (the default department).
    """

    def __init__(self, name, resource, options, defaults=None, omit=(), refs=None, keep=None):
        self.name = name
        self.resource = resource
        self.options = options
        self.defaults = dict(defaults or {})
        self.omit = frozenset(omit)
        self.refs = dict(refs or {})
        self.keep = dict(keep or {})
        members = [field.option for field in resource.fields if isinstance(field, Members)]
        secrets = any(field.secret for field in resource.fields)
        # The very spec of the per-entity module: its own options, state, properties, purge_<list>.
        self.argument_spec = dict(state_argument_spec(member_lists=members, secrets=secrets), **options)

    @property
    def key_option(self):
        return self.resource.natural_key[0]

    @property
    def key_prop(self):
        return self.resource.natural_key[1]

    def references(self):
        """(member list field, (entity set, property) its keys name) of each member list that refers."""
        for field in self.resource.fields:
            if isinstance(field, Members):
                target = field.lookup or field.exists_in or self.refs.get(field.option)
                if target:
                    yield field, tuple(target)

    def kept(self, item):
        return any(item.get(name) == value for name, value in self.keep.items())

    def exported(self, api, item):
        """An item in its module's option names, only what differs from a new item's defaults."""
        options = {}
        for name, value in to_options(api, self.resource, item).items():
            if name in self.omit:
                continue
            field = next((field for field in self.resource.fields if field.option == name), None)
            if isinstance(field, Members) and not field.keys_only:
                value = [_without_defaults(member, field.defaults) for member in value]
            elif value in _EMPTY or (name in self.defaults and self.defaults[name] == value):
                continue
            options[name] = value
        return options


def _without_defaults(member, defaults):
    return {name: value for name, value in member.items()
            if value not in _EMPTY and not (name in defaults and defaults[name] == value)}


# Dependency order: what an item refers to comes in an earlier section.
SECTIONS = (
    # A department's members are the users' `groups`: the one relation is exported from the users' side.
    Section("groups", GROUP, GROUP_OPTIONS, omit=("members",), refs={"members": ("Users", "Number")},
            keep={"IsDefault": True}),
    Section("users", USER, USER_OPTIONS, defaults={"enabled": True, "require_2fa": False}),
    Section("queues", QUEUE, QUEUE_OPTIONS),
    Section("ring_groups", RING_GROUP, RING_GROUP_OPTIONS),
    Section("holidays", HOLIDAY, HOLIDAY_OPTIONS),
    Section("blocked_numbers", BLOCKED_NUMBER, BLOCKED_NUMBER_OPTIONS),
)
SECTION_NAMES = tuple(section.name for section in SECTIONS)
_BY_NAME = {section.name: section for section in SECTIONS}


# --- Export -------------------------------------------------------------------------------------------

def selected_sections(include=None, exclude=None):
    return [section for section in SECTIONS
            if (not include or section.name in include) and section.name not in (exclude or ())]


def export(api, sections):
    """{section name: [items in option form]}, items sorted by their natural key."""
    listed = read_sections(api, sections)
    return {section.name: sorted((section.exported(api, item) for item in listed[section.name]),
                                 key=lambda options, section=section: str(options.get(section.key_option)))
            for section in sections}


def read_sections(api, sections):
    """{section name: every item}: one paged list per section, with the member lists expanded.

    Each listing also seeds the engine's name→Id lookups, so references cost no further request.
    """
    listed = {}
    for section in sections:
        resource = section.resource
        items = api.list(resource.entity_set, expand=resource.expand or None)
        api.remember(resource.entity_set, section.key_prop, items)
        listed[section.name] = items
    return listed


# --- Checking a document ------------------------------------------------------------------------------

def secret_values(document):
    """The values of secret options (PINs, passwords) anywhere in a document, for the module to hide in
    everything it returns or logs, its own invocation included, as no_log does for a per-entity module."""
    found = set()
    for section in SECTIONS:
        items = document.get(section.name) if isinstance(document, dict) else None
        for item in items if isinstance(items, list) else ():
            for field in section.resource.fields:
                value = item.get(field.option) if field.secret and isinstance(item, dict) else None
                if value not in (None, ""):
                    found.add(str(value))
    return found


class Plan:
    """A checked document: [(section, [(path, params)])] in dependency order."""

    def __init__(self, sections):
        self.sections = sections


def check_document(document):
    """A Plan, or an InputError listing every problem with its path in the document. Sends nothing."""
    problems = []
    if not isinstance(document, dict):
        raise InputError("config must be a mapping of sections (%s)" % ", ".join(SECTION_NAMES), "config")
    for name in sorted(set(document) - set(SECTION_NAMES), key=str):
        problems.append("%s: unknown section (known: %s)" % (name, ", ".join(SECTION_NAMES)))
    planned = []
    for section in SECTIONS:
        if section.name not in document:
            continue
        items = document[section.name] or []
        if not isinstance(items, list):
            problems.append("%s: must be a list of items" % section.name)
            continue
        planned.append((section, _checked_items(section, items, problems)))
    if problems:
        raise _problems(problems)
    return Plan(planned)


def _checked_items(section, items, problems):
    checked, seen = [], {}
    validator = ArgumentSpecValidator(section.argument_spec)
    for index, item in enumerate(items):
        path = "%s[%d]" % (section.name, index)
        if not isinstance(item, dict):
            problems.append("%s: must be a mapping of %s options" % (path, section.resource.result_key))
            continue
        result = validator.validate(item)
        errors = ["%s: %s" % (path, _error_text(error)) for error in result.errors
                  if not isinstance(error, UnsupportedError)]
        errors += _unknown_options(section, path, result.unsupported_parameters)
        if not errors:
            errors = ["%s: %s" % (path, error) for error in _engine_problems(section, result.validated_parameters)]
        problems.extend(errors)
        key = item.get(section.key_option)
        if key in seen:
            problems.append("%s.%s: %s %r is also %s[%d]" % (path, section.key_option, section.key_option, key,
                                                             section.name, seen[key]))
        seen.setdefault(key, index)
        if not errors:
            checked.append((path, result.validated_parameters))
    return checked


def _unknown_options(section, path, unsupported):
    """`users[2].colour: unknown option`, one per option; a suboption's path as ansible gives it (`groups.colour`)."""
    names = sorted(".".join(name) if isinstance(name, tuple) else name for name in unsupported)
    known = ", ".join(sorted(section.argument_spec))
    return ["%s.%s: unknown option of %s (known: %s)" % (path, name, section.name, known) for name in names]


def _error_text(error):
    return getattr(error, "msg", None) or str(error)


def _engine_problems(section, params):
    """The engine's own checks of an item (read-only fields, properties), as its module makes them."""
    try:
        Request(section.resource, params)
    except InputError as exc:
        return [str(exc)]
    return []


def _problems(problems):
    return InputError("the document has %d problem%s:\n- %s" % (
        len(problems), "" if len(problems) == 1 else "s", "\n- ".join(problems)), "config", problems=problems)


def check_references(api, plan, listed):
    """Every reference names something on the PBX or in an earlier section; all problems at once."""
    problems = []
    declared = {}  # (entity set, property) -> names given by the sections applied so far
    for section, items in plan.sections:
        for path, params in items:
            problems.extend(_reference_problems(api, section, path, params, declared, listed))
        target = (section.resource.entity_set, section.key_prop)
        declared.setdefault(target, set()).update(params[section.key_option] for _path, params in items)
    if problems:
        raise _problems(problems)


def _reference_problems(api, section, path, params, declared, listed):
    problems = []
    for field, target in section.references():
        for index, member in enumerate(params.get(field.option) or ()):
            value, where = (member, "") if field.keys_only else (member.get(field.key_option), "." + field.key_option)
            if value in declared.get(target, ()) or _on_pbx(api, target, value):
                continue
            problems.append("%s.%s[%d]%s: %s has no %s %r, on the PBX or earlier in the document" % (
                path, field.option, index, where, target[0], target[1], value))
    return problems


def _on_pbx(api, target, value):
    try:
        api.id_of(target[0], target[1], value, "")
    except InputError:
        return False
    return True


# --- Applying -----------------------------------------------------------------------------------------

class Step:
    """One item to ensure (or, for purge, delete): its section, natural key and how to do it."""

    def __init__(self, section, key, params, current, delete=False):
        self.section = section
        self.key = key
        self.params = params
        self.current = current
        self.delete = delete

    def run(self, api, check_mode):
        if self.delete or self.params.get("state") == "absent":
            return ensure_absent(api, self.section.resource, self.params, check_mode=check_mode, current=self.current)
        return ensure_present(api, self.section.resource, self.params, check_mode=check_mode, current=self.current)

    def name(self):
        return dict(section=self.section.name, key=self.key)


def apply(api, document, purge=False, check_mode=False, with_diff=False):
    """{changed, changes, diff}: the document applied; a ThreecxError saying how far it got otherwise."""
    plan = check_document(document)
    listed = read_sections(api, [section for section, _items in plan.sections])
    check_references(api, plan, listed)
    result = run_steps(api, steps_of(plan, listed, purge), check_mode, listed)
    if not with_diff:
        del result["diff"]
    return result


def steps_of(plan, listed, purge):
    """Every item in dependency order, then, with purge, the deletes in reverse order."""
    steps, deletes = [], []
    for section, items in plan.sections:
        by_key = {item.get(section.key_prop): item for item in listed[section.name]}
        for _path, params in items:
            key = params[section.key_option]
            steps.append(Step(section, key, _with_exact_lists(section, params) if purge else params,
                              by_key.get(key)))
        if purge:
            named = {params[section.key_option] for _path, params in items}
            deletes[:0] = [Step(section, key, {section.key_option: key}, item, delete=True)
                           for key, item in sorted(by_key.items(), key=lambda pair: str(pair[0]))
                           if key not in named and not section.kept(item)]
    return steps + deletes


def _with_exact_lists(section, params):
    """With purge, a member list the document gives is exact too (unless the item says purge_<list>: false)."""
    exact = dict(params)
    for field in section.resource.fields:
        if isinstance(field, Members) and params.get(field.option) is not None:
            exact[field.purge_option] = True
    return exact


def run_steps(api, steps, check_mode, listed):
    changes, diffs = [], []
    for index, step in enumerate(steps):
        try:
            outcome = step.run(api, check_mode)
        except ThreecxError as exc:
            raise _stopped(exc, step, changes, steps[index + 1:]) from None
        if check_mode and outcome.changed and outcome.before is None:
            _pretend_created(api, step, listed)
        if outcome.changed:
            changes.append(_change(step, outcome))
            diffs.append(dict(outcome.diff, before_header="%s %s" % (step.section.name, step.key),
                              after_header="%s %s" % (step.section.name, step.key)))
    return dict(changed=bool(changes), changes=changes, diff=diffs)


def _pretend_created(api, step, listed):
    """In check mode, an item the document creates can be referred to by later items (its Id unknown: None)."""
    section = step.section
    listed[section.name].append({section.resource.key: None, section.key_prop: step.key})
    api.remember(section.resource.entity_set, section.key_prop, listed[section.name])


def _change(step, outcome):
    before, after = outcome.diff["before"], outcome.diff["after"]
    action = "create" if not before else "delete" if not after else "update"
    return dict(step.name(), action=action, before=before, after=after)


def _stopped(exc, step, changes, rest):
    """The failure of one item, with what was done before it and what was not attempted."""
    failed = dict(step.name(), error=str(exc))
    message = "%s %s failed: %s. Done before it: %d change%s; not attempted: %d item%s. Fix it and run again: " \
              "what was done is not repeated." % (step.section.name, step.key, exc, len(changes),
                                                  "" if len(changes) == 1 else "s", len(rest),
                                                  "" if len(rest) == 1 else "s")
    return ThreecxError(message, exc.option, changed=bool(changes), changes=changes, failure=failed,
                        not_attempted=[other.name() for other in rest], **_details(exc))


def _details(exc):
    """The PBX's status, method, URL and message of the failure, beside the progress report."""
    return {name: value for name, value in exc.to_result().items()
            if value is not None and name not in ("changed", "changes", "failure", "not_attempted")}


# --- The document as YAML -----------------------------------------------------------------------------

def to_yaml(document):
    """The document as YAML in a stable order: keys sorted (items are already in natural-key order)."""
    _need_yaml()
    return yaml.safe_dump(document, sort_keys=True, default_flow_style=False, allow_unicode=True, width=120)


def write_if_changed(path, text, check_mode=False):
    """Write `text` to `path` unless it already holds exactly that; whether it differed."""
    try:
        with open(path, encoding="utf-8") as handle:
            if handle.read() == text:
                return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise InputError("dest: cannot read %s: %s" % (path, exc), "dest") from None
    if not check_mode:
        try:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            raise InputError("dest: cannot write %s: %s" % (path, exc), "dest") from None
    return True


def load_document(path):
    """A document from a YAML file (`src`); an unreadable file or bad YAML fails naming src."""
    _need_yaml()
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError("src: cannot read %s as YAML: %s" % (path, exc), "src") from None


def _need_yaml():
    if not HAS_YAML:
        raise ThreecxError("PyYAML is needed to read or write a document file (it comes with ansible-core)")
