# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every threecx.xapi module shares: connection options, the client, results and failures.

A module declares its own options and a `run(module, client)` function returning its result;
`XapiModule.run` does the rest. Failures take one road: everything raises a ThreecxError
(_errors.py), and `XapiModule.run` alone turns it into `fail_json`.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.threecx.xapi.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    XapiClient,
    normalize_base_url,
)
from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, ThreecxError
from ansible_collections.threecx.xapi.plugins.module_utils._odata import build_query
from ansible_collections.threecx.xapi.plugins.module_utils._secrets import mask_secrets


def connection_argument_spec():
    """The connection options of every module. Documented in the `threecx.xapi.connection` doc fragment."""
    return dict(
        # Required, but checked by check_connection, whose message says where the value can come from.
        base_url=dict(type="str", fallback=(env_fallback, ["THREECX_BASE_URL"])),
        client_id=dict(type="str", fallback=(env_fallback, ["THREECX_CLIENT_ID"])),
        client_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["THREECX_CLIENT_SECRET"])),
        access_token=dict(type="str", no_log=True, fallback=(env_fallback, ["THREECX_ACCESS_TOKEN"])),
        validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["THREECX_VALIDATE_CERTS"])),
        ca_path=dict(type="path", fallback=(env_fallback, ["THREECX_CA_PATH"])),
        timeout=dict(type="float", default=30),
        retries=dict(type="int", default=3),
        token_cache=dict(type="bool", default=True, fallback=(env_fallback, ["THREECX_TOKEN_CACHE"])),
        token_cache_dir=dict(type="path", fallback=(env_fallback, ["THREECX_TOKEN_CACHE_DIR"])),
        return_secrets=dict(type="bool", default=False),
    )


CONNECTION_MUTUALLY_EXCLUSIVE = [("access_token", "client_id"), ("access_token", "client_secret")]
CONNECTION_REQUIRED_TOGETHER = [("client_id", "client_secret")]
# Where a connection setting can come from, for the message that says it is missing.
_MODULE_DEFAULTS = "module_defaults for group/threecx.xapi.xapi"
MISSING_BASE_URL = ("base_url is missing: set the base_url option, the THREECX_BASE_URL environment variable, or "
                    + _MODULE_DEFAULTS)
MISSING_CREDENTIALS = ("no credentials: set client_id and client_secret (or the THREECX_CLIENT_ID and "
                       "THREECX_CLIENT_SECRET environment variables), or access_token (THREECX_ACCESS_TOKEN), "
                       "as options or in " + _MODULE_DEFAULTS)
CONNECTION_MINIMUMS = {"timeout": 0.001, "retries": 0}


class XapiModule(AnsibleModule):
    """An AnsibleModule with the connection options, their checks, the XAPI client, and the one exit on failure."""

    def __init__(self, argument_spec, minimums=None, mutually_exclusive=(), required_together=(), **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec)
        super().__init__(
            argument_spec=spec,
            mutually_exclusive=CONNECTION_MUTUALLY_EXCLUSIVE + list(mutually_exclusive),
            required_together=CONNECTION_REQUIRED_TOGETHER + list(required_together),
            **kwargs
        )
        self._minimums = dict(CONNECTION_MINIMUMS, **(minimums or {}))
        self.base_url = None

    def check_connection(self):
        """Refuse what cannot work before any request is sent: no requests library, a number below
        its minimum, a base_url that is not a URL. Raises ThreecxError naming the option."""
        if not HAS_REQUESTS:
            raise ThreecxError(missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        check_connection_given(self.params)
        check_minimums(self.params, self._minimums)
        try:
            self.base_url = normalize_base_url(self.params["base_url"])
        except ValueError as exc:
            raise InputError(str(exc), "base_url") from None

    def client(self):
        params = self.params
        return XapiClient(
            self.base_url, client_id=params["client_id"], client_secret=params["client_secret"],
            access_token=params["access_token"], validate_certs=params["validate_certs"],
            ca_path=params["ca_path"], timeout=params["timeout"], retries=params["retries"],
            token_cache=params["token_cache"], token_cache_dir=params["token_cache_dir"],
        )

    def run(self, task):
        """Run `task(module, client)`, which returns the result dict, and exit with it.

        The one place where a failure becomes a failed task: whatever raises a ThreecxError, from the
        option checks to the re-read after a write, ends here, after the client's warnings.
        Secrets in the PBX's answers are masked unless `return_secrets` is set.
        """
        client = None
        try:
            self.check_connection()
            client = self.client()
            result = task(self, client)
        except ThreecxError as exc:
            self._fail(exc, client)
        finally:
            if client is not None:
                client.close()
        self.warn_all(client.warnings)
        if not self.params["return_secrets"]:
            result = mask_secrets(result)
        self.exit_json(**result)

    def _fail(self, exc, client):
        if client is not None:
            self.warn_all(client.warnings)
        self.fail_json(msg=str(exc), **exc.to_result())

    def warn_all(self, warnings):
        for warning in warnings:
            self.warn(warning)


def check_connection_given(params):
    """Fail, saying where each can come from, when the PBX's URL or any credentials are missing."""
    missing = [(MISSING_BASE_URL, "base_url")] if not params.get("base_url") else []
    if not (params.get("client_id") or params.get("access_token")):
        missing.append((MISSING_CREDENTIALS, "client_id"))
    if missing:
        raise InputError("; ".join(message for message, _option in missing), missing[0][1])


def check_minimums(params, minimums):
    """Refuse numbers below their minimum, naming the option, before any request is sent."""
    for name, minimum in minimums.items():
        value = params.get(name)
        if value is not None and value < minimum:
            raise InputError("%s must be %s or more; got %s" % (name, minimum, value), name)


def paging_argument_spec():
    """The OData paging options of modules that read a collection. Documented in `threecx.xapi.paging`."""
    return dict(
        top=dict(type="int"),
        skip=dict(type="int"),
        search=dict(type="str"),
        filter=dict(type="str"),
        count=dict(type="bool", default=False),
        page_size=dict(type="int", default=100),
    )


PAGING_MINIMUMS = {"top": 0, "skip": 0, "page_size": 1}


def shape_argument_spec(orderby=False):
    """$select and $expand, and $orderby for collections. Documented in `threecx.xapi.shape`."""
    spec = dict(select=dict(type="list", elements="str"), expand=dict(type="list", elements="str"))
    if orderby:
        spec["orderby"] = dict(type="list", elements="str")
    return spec


def state_argument_spec(member_lists=(), secrets=False, properties=True):
    """state, properties, update_password and purge_<list> of a desired-state module.

    Documented in the `threecx.xapi.state` doc fragment (and `.secrets`); each purge_<list> in the module.
    """
    spec = dict(state=dict(type="str", choices=["present", "absent"], default="present"))
    if properties:
        spec["properties"] = dict(type="dict")
    if secrets:
        spec["update_password"] = dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False)
    for name in member_lists:
        spec["purge_" + name] = dict(type="bool", default=False)
    return spec


def read_collection(module, client, path, **options):
    """Every item of a collection that the paging options select: (items, count or None).

    `options` are further OData options (orderby, select, expand) for collections that take them.
    """
    params = module.params
    query = build_query(skip=params["skip"], search=params["search"], filter=params["filter"], **options)
    items, total = client.get_pages(path, query, page_size=params["page_size"], limit=params["top"],
                                    want_count=True)
    return items, (total if params["count"] else None)
