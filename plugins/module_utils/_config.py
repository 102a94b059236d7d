# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole PBX as one document: export it (threecx_config_export) and apply it (threecx_config).

A section of the document is one entry of SECTIONS: its name, the resource description and the option
spec of its per-entity module. Export and apply have no code of their own for any section, so they read,
compare and write exactly as the per-entity modules do, and an exported item can be given to its module
as arguments.

A section is a list of items, except for a singleton (office_hours): a mapping of its module's options,
applied as the module would, never created or purged. An item is named by its natural key: one option
(a user's number) or several together (a contact's first_name, last_name and company_name; an inbound
rule's did and trunk).

Apply, in order:
1. check every item with its module's argument spec and the engine's own checks (converted values too,
   such as times of day), without a request;
2. read each section once (one paged list, with the expands the engine needs);
3. check references (departments and trunks by name, extensions by number) against the PBX and earlier
   sections;
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
    # libyaml's parser and emitter where PyYAML was built with it, as ansible-core's own loader does: reading
    # a 500-user document takes a fifth of the time of the pure-Python one, and both give the same data.
    _LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    _DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
except ImportError:  # pragma: no cover - ansible-core itself needs PyYAML
    HAS_YAML = False

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import (
    Members,
    Request,
    ensure_absent,
    ensure_present,
    natural_options,
    to_options,
)
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, ThreecxError
from ansible_collections.threecx.xapi.plugins.module_utils._queues import QUEUE, QUEUE_OPTIONS, RING_GROUP, RING_GROUP_OPTIONS
from ansible_collections.threecx.xapi.plugins.module_utils._routing import (
    BLOCKED_NUMBER,
    BLOCKED_NUMBER_OPTIONS,
    CONTACT,
    CONTACT_OPTIONS,
    HOLIDAY,
    HOLIDAY_OPTIONS,
    INBOUND_RULE,
    INBOUND_RULE_OPTIONS,
    OFFICE_HOURS,
    OFFICE_HOURS_OPTIONS,
    OUTBOUND_RULE,
    OUTBOUND_RULE_OPTIONS,
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

    @property
    def argument_spec(self):
        """The very spec of the per-entity module: its own options, state, properties, purge_<list> (a
        singleton's module has only its own options). Built when asked rather than at import, so that the
        unit tests, run under mutmut, can see it built."""
        if self.singleton:
            return dict(self.options)
        members = [field.option for field in self.resource.fields if isinstance(field, Members)]
        secrets = any(field.secret for field in self.resource.fields)
        return dict(state_argument_spec(member_lists=members, secrets=secrets), **self.options)

    @property
    def singleton(self):
        return self.resource.singleton is not None

    @property
    def key_options(self):
        return tuple(option for option, _prop, _lookup in self.resource.natural_keys)

    @property
    def lookup_target(self):
        """(entity set, property) that later sections may refer to an item by; None for a key of several."""
        natural = self.resource.natural_keys
        if len(natural) == 1 and not natural[0][2]:
            return self.resource.entity_set, natural[0][1]
        return None

    def key_of(self, options):
        """The natural key of an item in option form, as a tuple: blank parts (None or "") as None."""
        return tuple(None if options.get(option) in (None, "") else options.get(option) for option in self.key_options)

    def shown_key(self, key):
        """A key as results show it: the value of a one-option key, else {option: value} of its given parts."""
        if key is None:
            return None
        if len(key) == 1:
            return key[0]
        return {option: value for option, value in zip(self.key_options, key) if value is not None}

    def label(self, key):
        """`users 100`, `contacts first_name=Ann, last_name=Lee`, `office_hours`: a diff's header."""
        shown = self.shown_key(key)
        if isinstance(shown, dict):
            shown = ", ".join("%s=%s" % pair for pair in shown.items())
        return self.name if shown is None else "%s %s" % (self.name, shown)

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

    def sort_key(self, options):
        return _sortable(self.key_of(options))


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
    # A mapping, not a list: the PBX has one set of office hours.
    Section("office_hours", OFFICE_HOURS, OFFICE_HOURS_OPTIONS),
    Section("blocked_numbers", BLOCKED_NUMBER, BLOCKED_NUMBER_OPTIONS),
    Section("contacts", CONTACT, CONTACT_OPTIONS),
    Section("outbound_rules", OUTBOUND_RULE, OUTBOUND_RULE_OPTIONS),
    Section("inbound_rules", INBOUND_RULE, INBOUND_RULE_OPTIONS),
)
SECTION_NAMES = tuple(section.name for section in SECTIONS)
_BY_NAME = {section.name: section for section in SECTIONS}


# --- Export -------------------------------------------------------------------------------------------

def selected_sections(include=None, exclude=None):
    return [section for section in SECTIONS
            if (not include or section.name in include) and section.name not in (exclude or ())]


def export(api, sections):
    """{section name: [items in option form]}, items sorted by their natural key; a singleton's options."""
    listed = read_sections(api, sections)
    return {section.name: section.exported(api, listed[section.name]) if section.singleton else
            sorted((section.exported(api, item) for item in listed[section.name]), key=section.sort_key)
            for section in sections}


def read_sections(api, sections):
    """{section name: every item (a singleton: the item)}: one request, or one paged list per section,
    with the member lists expanded.

    Each listing also seeds the engine's name→Id lookups, so references cost no further request.
    """
    listed = {}
    for section in sections:
        resource = section.resource
        if section.singleton:
            listed[section.name] = api.get_singleton(resource.singleton)
            continue
        items = api.list(resource.entity_set, expand=resource.expand or None)
        if section.lookup_target:
            api.remember(section.lookup_target[0], section.lookup_target[1], items)
        listed[section.name] = items
    return listed


# --- Checking a document ------------------------------------------------------------------------------

def secret_values(document):
    """The values of secret options (PINs, passwords) anywhere in a document, for the module to hide in
    everything it returns or logs, its own invocation included, as no_log does for a per-entity module."""
    found = set()
    for section in SECTIONS:
        items = document.get(section.name) if isinstance(document, dict) else None
        for item in [items] if isinstance(items, dict) else items if isinstance(items, list) else ():
            for field in section.resource.fields:
                value = item.get(field.option) if field.secret and isinstance(item, dict) else None
                if value not in (None, ""):
                    found.add(str(value))
    return found


class Plan:
    """A checked document: [(section, [(path, params)])] in dependency order; a singleton has one item."""

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
        if section.singleton:
            planned.append((section, [(section.name, _checked_item(section, section.name, document[section.name] or {},
                                                                   problems))]))
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
    for index, item in enumerate(items):
        path = "%s[%d]" % (section.name, index)
        checked.append((path, _checked_item(section, path, item, problems)))
        if isinstance(item, dict):
            _check_unique(section, (path, index), item, seen, problems)
    return checked


def _checked_item(section, path, item, problems):
    """The item's module parameters, after adding its problems (every one, each with its path) to `problems`.

    A document with a problem is never applied, so the parameters of an item with one are never used."""
    if not isinstance(item, dict):
        problems.append("%s: must be a mapping of %s options" % (path, section.resource.result_key))
        return None
    errors = []
    params = _validated(section.argument_spec, item, path, errors)
    for field in section.resource.fields:
        if isinstance(field, Members) and item.get(field.purge_option) is None:
            # Not given: None (a merge, as false), so that purge can tell it from an explicit false.
            params[field.purge_option] = None
    if not errors:
        errors = ["%s: %s" % (path, error) for error in _engine_problems(section, params)]
    if not errors:
        errors = _conversion_problems(section, path, params, _ANY_REFERENCE)
    problems.extend(errors)
    return params


def _check_unique(section, where, item, seen, problems):
    """One item per natural key: a second is a problem naming the first. `seen`: {key: index of the first}."""
    path, index = where
    key = section.key_of(item)
    if any(isinstance(part, (dict, list)) for part in key) or all(part is None for part in key):
        return  # a wrong type or no key at all, reported by the validation
    if key in seen:
        if len(key) == 1:
            problems.append("%s.%s: %s %r is also %s[%d]" % (path, section.key_options[0], section.key_options[0],
                                                             key[0], section.name, seen[key]))
        else:
            problems.append("%s: %s name %s[%d] too" % (path, ", ".join(
                "%s %r" % (option, value) for option, value in zip(section.key_options, key)), section.name, seen[key]))
    seen.setdefault(key, index)


def _validated(spec, value, path, errors):
    """`value` checked against an argument spec, suboptions too, each problem with its path and list index
    (`users[3].groups[0].name`), which ansible's own messages of suboptions leave out: the parameters."""
    shallow = {name: _shallow(option) for name, option in spec.items()}
    result = ArgumentSpecValidator(shallow).validate(value)
    params = result.validated_parameters
    errors.extend("%s.%s: required, but not given" % (path, name) for name, option in spec.items()
                  if option.get("required") and value.get(name) is None)
    errors.extend("%s: %s" % (path, error.msg) for error in result.errors if not isinstance(error, UnsupportedError))
    known = ", ".join(sorted(spec))
    errors.extend("%s.%s: unknown option (known: %s)" % (path, name, known)
                  for name in sorted(str(name) for name in result.unsupported_parameters))
    for name, option in spec.items():
        given = params.get(name)
        if "options" not in option:
            continue
        if isinstance(given, list) and all(isinstance(element, dict) for element in given):
            params[name] = [_validated(option["options"], element, "%s.%s[%d]" % (path, name, index), errors)
                            for index, element in enumerate(given)]
        elif isinstance(given, dict):
            params[name] = _validated(option["options"], given, "%s.%s" % (path, name), errors)
    return params


def _shallow(option):
    """An option's spec without its suboptions (checked one element at a time) or `required` (checked with
    its path)."""
    return {name: value for name, value in option.items() if name not in ("options", "required")}


def _engine_problems(section, params):
    """The engine's own checks of an item (read-only fields, properties), as its module makes them."""
    try:
        Request(section.resource, params)
    except InputError as exc:
        return [str(exc)]
    return []


class _References:
    """The name→Id lookups a converted field makes, answered from the PBX's lists or, for what an earlier
    section of the document creates, from the document (an Id not known yet: None). `api` None takes every
    name: the values themselves are checked, without a request."""

    def __init__(self, api=None):
        self.api = api
        self.declared = {}  # (entity set, property) -> the names earlier sections of the document give

    def id_of(self, entity_set, prop, value, option):
        if self.api is None or value in self.declared.get((entity_set, prop), ()):
            return None
        return self.api.id_of(entity_set, prop, value, option)

    def knows(self, target, value):
        try:
            self.id_of(target[0], target[1], value, "")
        except InputError:
            return False
        return True


_ANY_REFERENCE = _References()


def _conversion_problems(section, path, params, references):
    """What the item's converted fields and natural-key lookups make of its values, as the engine will make
    it: a time that is no time, a trunk or an extension that is not there. Every field, each with its path."""
    problems = []
    for option, _prop, lookup in section.resource.natural_keys:
        if lookup and params.get(option) is not None:  # a blank name is looked up too, as the module does: it names nothing
            problems.extend(_problem_of(path, references.id_of, lookup[0], lookup[1], params[option], option))
    for field in () if _deleted(params) else section.resource.fields:
        if field.convert and not isinstance(field, Members) and params.get(field.option) is not None:
            problems.extend(_problem_of(path, field.convert, references, params[field.option], field.option))
    return problems


def _problem_of(path, function, *args):
    try:
        function(*args)
    except InputError as exc:
        return ["%s.%s" % (path, exc)]
    return []


def _problems(problems):
    return InputError("the document has %d problem%s:\n- %s" % (
        len(problems), "" if len(problems) == 1 else "s", "\n- ".join(problems)), "config", problems=problems)


def check_references(api, plan):
    """Every reference names something on the PBX or in an earlier section; all problems at once."""
    problems = []
    references = _References(api)
    for section, items in plan.sections:
        for path, params in items:
            problems.extend(_reference_problems(section, path, params, references))
            problems.extend(_conversion_problems(section, path, params, references))
        if section.lookup_target:
            references.declared.setdefault(section.lookup_target, set()).update(
                section.key_of(params)[0] for _path, params in items if not _deleted(params))
    if problems:
        raise _problems(problems)


def _deleted(params):
    """An item the document deletes: only its key counts, as for its module with state absent, which
    converts and looks up nothing else."""
    return params.get("state") == "absent"


def _reference_problems(section, path, params, references):
    problems = []
    for field, target in () if _deleted(params) else section.references():
        for index, member in enumerate(params.get(field.option) or ()):
            value, where = (member, "") if field.keys_only else (member.get(field.key_option), "." + field.key_option)
            if not references.knows(target, value):
                problems.append("%s.%s[%d]%s: %s has no %s %r, on the PBX or earlier in the document" % (
                    path, field.option, index, where, target[0], target[1], value))
    return problems


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
        return dict(section=self.section.name, key=self.section.shown_key(self.key))

    def label(self):
        return self.section.label(self.key)


def apply(api, document, purge, check_mode, with_diff):
    """{changed, changes, diff}: the document applied; a ThreecxError saying how far it got otherwise."""
    plan = check_document(document)
    listed = read_sections(api, [section for section, _items in plan.sections])
    check_references(api, plan)
    result = run_steps(api, steps_of(api, plan, listed, purge), check_mode, listed)
    if not with_diff:
        del result["diff"]
    return result


def steps_of(api, plan, listed, purge):
    """Every item in dependency order, then, with purge, the deletes in reverse order (a singleton is
    never deleted). Two items on the PBX with the key an item of the document names: a failure, before
    any write, as the item's module would fail."""
    steps, deletes, problems = [], [], []
    for section, items in plan.sections:
        if section.singleton:
            steps.extend(Step(section, None, params, listed[section.name]) for _path, params in items)
            continue
        by_key = {}
        for item in listed[section.name]:
            by_key.setdefault(section.key_of(natural_options(api, section.resource, item)), []).append(item)
        for path, params in items:
            key = section.key_of(params)
            held = by_key.get(key, [])
            if len(held) > 1:
                problems.append("%s: %d %s on the PBX have this %s; make it unique on the PBX first" % (
                    path, len(held), section.resource.entity_set, ", ".join(section.key_options)))
            steps.append(Step(section, key, _with_exact_lists(section, params) if purge else params,
                              held[0] if held else None))
        if purge:
            named = {section.key_of(params) for _path, params in items}
            deletes[:0] = [Step(section, key, natural_options(api, section.resource, item), item, delete=True)
                           for key, held in sorted(by_key.items(), key=lambda pair: _sortable(pair[0]))
                           for item in held if key not in named and not section.kept(item)]
    if problems:
        raise _problems(problems)
    return steps + deletes


def _sortable(key):
    return tuple("" if part is None else str(part) for part in key)


def _with_exact_lists(section, params):
    """With purge, a member list the document gives is exact too (unless the item says purge_<list>: false)."""
    exact = dict(params)
    for field in section.resource.fields:
        if isinstance(field, Members) and params.get(field.option) is not None and params.get(field.purge_option) is None:
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
            diffs.append(dict(outcome.diff, before_header=step.label(), after_header=step.label()))
    return dict(changed=bool(changes), changes=changes, diff=diffs)


def _pretend_created(api, step, listed):
    """In check mode, an item the document creates can be referred to by later items (its Id unknown: None)."""
    section = step.section
    if not section.lookup_target:
        return  # nothing refers to it
    entity_set, prop = section.lookup_target
    listed[section.name].append({section.resource.key: None, prop: step.key[0]})
    api.remember(entity_set, prop, listed[section.name])


def _change(step, outcome):
    before, after = outcome.diff["before"], outcome.diff["after"]
    action = "create" if not before else "delete" if not after else "update"
    return dict(step.name(), action=action, before=before, after=after)


def _stopped(exc, step, changes, rest):
    """The failure of one item, with what was done before it and what was not attempted."""
    failed = dict(step.name(), error=str(exc))
    message = "%s failed: %s. Done before it: %d change%s; not attempted: %d item%s. Fix it and run again: " \
              "what was done is not repeated." % (step.label(), exc, len(changes),
                                                  "" if len(changes) == 1 else "s", len(rest),
                                                  "" if len(rest) == 1 else "s")
    return ThreecxError(message, exc.option, changed=bool(changes), changes=changes, failure=failed,
                        not_attempted=[other.name() for other in rest], **_details(exc))


def _details(exc):
    """The PBX's status, method, URL and message of the failure, beside the progress report (a step's error, from
    the engine or the client, carries none of the progress report's own fields)."""
    return {name: value for name, value in exc.to_result().items() if value is not None}


# --- The document as YAML -----------------------------------------------------------------------------

def to_yaml(document):
    """The document as YAML in a stable order: keys sorted (items are already in natural-key order)."""
    _need_yaml()
    return yaml.dump(document, Dumper=_DUMPER, sort_keys=True, default_flow_style=False, allow_unicode=True, width=120)


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
            return yaml.load(handle, Loader=_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError("src: cannot read %s as YAML: %s" % (path, exc), "src") from None


def _need_yaml():
    if not HAS_YAML:
        raise ThreecxError("PyYAML is needed to read or write a document file (it comes with ansible-core)")
