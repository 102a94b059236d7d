# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin of every threecx.xapi module: run the module in the controller's process when it can.

It is named after threecx_xapi, whose action it is by name (ansible-test wants a module of the same name
for every action plugin); every other module names it as its `action_plugin` in meta/runtime.yml.

Every module of the collection talks HTTPS to the PBX from the controller, so a normal module run
(build an AnsiballZ payload, start a Python process, import requests, print JSON, parse it back)
costs ten times the work the module does. When the task's connection is local, this plugin runs
the module's own `main()` in the worker process instead, with the same arguments a module process
would get (module_defaults applied, the `_ansible_*` internals), the task's `environment:` in
`os.environ`, and its printed JSON parsed by the same code that parses a module's output. What a
task returns is therefore the same on both paths, no_log masking included.

It falls back to the normal module path (`_execute_module`) when the task runs elsewhere (delegated
to a bastion), with `async`, with `become`, when the controller's Python lacks requests, or when
THREECX_EXECUTION=module. tests/unit/plugins/action/test_routing.py keeps the routing complete.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import traceback

# Imported at the top: the strategy loads this plugin in the controller's main process before it forks the
# workers (as the base of every module's action file), so every worker inherits requests and the module
# utilities instead of importing them. netrc too: requests imports it on every request, to read ~/.netrc.
import netrc  # noqa: F401  pylint: disable=unused-import

try:
    import requests  # noqa: F401  pylint: disable=unused-import
except ImportError:
    HAS_REQUESTS = False
else:
    HAS_REQUESTS = True

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.plugins.connection.local import Connection as LocalConnection
from ansible.utils.vars import merge_hash
from ansible.vars.clean import remove_internal_keys

from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import connection_argument_spec

try:  # ansible-core 2.19 and later: module_utils know whether they run in the controller, and behave otherwise there.
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:
    module_utils_internal = None
try:  # ansible-core 2.19 and later serialise module arguments and results through a profile.
    from ansible.module_utils.common.json import Direction, get_module_encoder
    AnsibleJSONEncoder = None
except ImportError:
    from ansible.module_utils.common.json import AnsibleJSONEncoder
    Direction = get_module_encoder = None

COLLECTION = "threecx.xapi."
EXECUTION_VARIABLE = "THREECX_EXECUTION"
EXECUTION_MODES = ("auto", "module")
# The profile ansible-core gives a module that declares none; ours declare none.
SERIALIZATION_PROFILE = "legacy"
# The module_utils globals an AnsibleModule run fills, reset around each in-process run.
WARNING_GLOBALS = ("_global_warnings", "_global_deprecations")
ARGUMENT_GLOBALS = ("_ANSIBLE_ARGS", "_ANSIBLE_PROFILE", "_PARSED_MODULE_ARGS")
SECRET_OPTIONS = frozenset(name for name, spec in connection_argument_spec().items() if spec.get("no_log"))
MODULES_PACKAGE = "ansible_collections.threecx.xapi.plugins.modules."


def preload_serialization():
    """Import the module side of the JSON profile now, in the process that forks the workers, not in each worker."""
    if get_module_encoder is not None:
        for direction in (Direction.CONTROLLER_TO_MODULE, Direction.MODULE_TO_CONTROLLER):
            get_module_encoder(SERIALIZATION_PROFILE, direction)


def preload_module(action_python_name):
    """Import the module an action file of that name runs, so that every forked worker inherits it.

    Best effort: a module that cannot be imported here fails in the worker, through the task's one road."""
    try:
        importlib.import_module(MODULES_PACKAGE + action_python_name.rpartition(".")[2])
    except Exception:  # pylint: disable=broad-except
        pass


preload_serialization()


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = True

    def __init_subclass__(cls, **kwargs):
        # The action file of each module subclasses this one; the strategy imports that file in the controller's
        # main process before it forks (linear and free both do), so the module is imported there once.
        super().__init_subclass__(**kwargs)
        preload_module(cls.__module__)

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # no longer has any effect
        task_vars = task_vars or {}
        environment = {}
        self._compute_environment_string(environment)
        environment = {to_text(name): to_text(value) for name, value in environment.items()}
        mode = environment.get(EXECUTION_VARIABLE, os.environ.get(EXECUTION_VARIABLE)) or "auto"
        if mode not in EXECUTION_MODES:
            return merge_hash(result, dict(failed=True, msg="%s must be one of %s; got %r"
                                           % (EXECUTION_VARIABLE, ", ".join(EXECUTION_MODES), mode)))
        if mode == "auto" and self._can_run_in_process():
            return merge_hash(result, self._run_in_process(task_vars, environment))
        return merge_hash(result, self._run_as_module(task_vars))

    def _can_run_in_process(self):
        """Whether a module process would run on this controller, as this user, and synchronously."""
        return (isinstance(self._connection, LocalConnection) and not self._task.async_val
                and not self._play_context.become and HAS_REQUESTS)

    def _run_as_module(self, task_vars):
        """What ansible.builtin.normal does."""
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = self._execute_module(task_vars=task_vars, wrap_async=wrap_async)
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _run_in_process(self, task_vars, environment):
        """Run the module's main() here, and read its result as _execute_module reads a module's output."""
        module_args = dict(self._task.args)
        self._update_module_args(self._task.action, module_args, task_vars)
        try:
            python_name = self._module_python_name()
            with module_run(module_args, environment) as output:
                rc = call_main(python_name)
        except Exception as exc:  # pylint: disable=broad-except
            return plugin_failure(self._task.action, exc, module_args)
        data = self._parse_module_output(dict(rc=rc, stdout=output.stdout.getvalue(), stderr=output.stderr.getvalue()))
        data.pop("_ansible_suppress_tmpdir_delete", None)
        remove_internal_keys(data)
        return data

    def _module_python_name(self):
        context = self._shared_loader_obj.module_loader.find_plugin_with_context(
            self._task.action, collection_list=self._task.collections)
        if not context.resolved or not context.resolved_fqcn.startswith(COLLECTION):
            raise LookupError("%s is not a module of threecx.xapi" % self._task.action)
        return "ansible_collections.threecx.xapi.plugins.modules." + context.resolved_fqcn[len(COLLECTION):]

    def _parse_module_output(self, res):
        if get_module_encoder is None:
            return self._parse_returned_data(res)
        return self._parse_returned_data(res, SERIALIZATION_PROFILE)


class CapturedOutput:
    def __init__(self):
        self.stdout = io.StringIO()
        self.stderr = io.StringIO()


@contextlib.contextmanager
def module_run(module_args, environment):
    """The process state a module process would have, for the length of one run, then the worker's again."""
    output = CapturedOutput()
    with module_arguments(module_args), process_environment(environment), fresh_globals(module_warnings, WARNING_GLOBALS):
        with outside_controller(), contextlib.redirect_stdout(output.stdout), contextlib.redirect_stderr(output.stderr):
            yield output


@contextlib.contextmanager
def outside_controller():
    """On ansible-core 2.19+, module_utils as a module process has them: warnings and deprecations go into the
    result (not straight to the display), and the result is encoded with the module side of the profile."""
    if module_utils_internal is None or not hasattr(module_utils_internal, "is_controller"):
        yield
        return
    saved = module_utils_internal.is_controller
    module_utils_internal.is_controller = False
    try:
        yield
    finally:
        module_utils_internal.is_controller = saved


@contextlib.contextmanager
def module_arguments(module_args):
    """Hand the arguments to AnsibleModule as AnsiballZ does: JSON under ANSIBLE_MODULE_ARGS, never shared objects."""
    payload = {"ANSIBLE_MODULE_ARGS": module_args}
    if get_module_encoder is None:
        encoded, profile = json.dumps(payload, cls=AnsibleJSONEncoder, vault_to_text=True), None
    else:
        encoder = get_module_encoder(SERIALIZATION_PROFILE, Direction.CONTROLLER_TO_MODULE)
        encoded, profile = json.dumps(payload, cls=encoder), SERIALIZATION_PROFILE
    with fresh_globals(basic, ARGUMENT_GLOBALS):
        basic._ANSIBLE_ARGS = encoded.encode("utf-8")
        if profile is not None:
            basic._ANSIBLE_PROFILE = profile
        yield


@contextlib.contextmanager
def fresh_globals(module, names):
    """Empty module-level state for the run, and the worker's own back afterwards, so no run sees another's."""
    saved = {name: getattr(module, name) for name in names if hasattr(module, name)}
    for name, value in saved.items():
        setattr(module, name, type(value)() if isinstance(value, (dict, list)) else None)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)


@contextlib.contextmanager
def process_environment(environment):
    """os.environ as the module process would see it (the worker's, plus the task's `environment:`), and the cwd."""
    saved_environ = dict(os.environ)
    saved_cwd = os.getcwd()
    os.environ.update(environment)
    try:
        yield
    finally:
        restore_environ(saved_environ)
        os.chdir(saved_cwd)


def restore_environ(saved):
    """os.environ as saved, touching only the names that differ: each assignment is a putenv()."""
    for name in set(os.environ) - set(saved):
        del os.environ[name]
    for name, value in saved.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


def call_main(python_name):
    """Run the module's main() and return its exit code, as the module process would exit."""
    module = importlib.import_module(python_name)
    try:
        module.main()
    except SystemExit as exc:
        return exit_code(exc.code)
    return 0


def exit_code(code):
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def plugin_failure(action, exc, module_args):
    """A clean failed task for an error of the plugin (or an uncaught one of the module), with no secret in it."""
    secrets = secret_values(module_args, exc)
    message = "%s failed in the controller's process: %s: %s" % (action, type(exc).__name__, exc)
    return dict(
        failed=True,
        msg=remove_values(message + ". Set THREECX_EXECUTION=module to run it as a module process.", secrets),
        exception=remove_values("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)), secrets),
    )


def secret_values(module_args, exc):
    """The values to mask: the connection's no_log options, and those of any AnsibleModule the traceback reached."""
    values = {to_text(value) for name, value in module_args.items() if name in SECRET_OPTIONS and value}
    frame = exc.__traceback__
    while frame is not None:
        for local in frame.tb_frame.f_locals.values():
            if isinstance(local, basic.AnsibleModule):
                values.update(getattr(local, "no_log_values", ()))
        frame = frame.tb_next
    return values
