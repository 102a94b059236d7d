# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""XapiModule through a module (threecx_xapi): every connection option reaches the PBX, and every
refusal before a request reads whole. Against local servers, so that TLS and timeouts can be played."""

from __future__ import annotations

import json
import socket

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils import _xapi_module
from ansible_collections.threecx.xapi.plugins.modules import threecx_group, threecx_license_info, threecx_xapi
from module_runner import patch_module_args
from tls_pbx import certificate, https_pbx, https_server_process  # noqa: F401  pylint: disable=unused-import
from xapi_testlib import API, CLIENT_ID, CLIENT_SECRET, TOKEN_PATH, answers, json_response, requests_to

LICENCE = {"ProductCode": "3CXPSPROFENT"}


def run(module=threecx_xapi, **args):
    """The exit code of one run of `module` with `args`; its result is on stdout."""
    with patch_module_args(dict(args, _ansible_check_mode=False, _ansible_diff=False)), \
            pytest.raises(SystemExit) as exited:
        module.main()
    return exited.value.code


@pytest.fixture
def result_of(capsys):
    def runner(module=threecx_xapi, **args):
        capsys.readouterr()
        code = run(module, **args)
        result = json.loads(capsys.readouterr().out)
        assert (code != 0) == bool(result.get("failed")), result
        assert CLIENT_SECRET not in json.dumps(result)
        return result
    return runner


@pytest.fixture
def licence(httpserver):
    httpserver.expect_request(API + "/LicenseStatus").respond_with_json(LICENCE)
    return httpserver


def credentials(server):
    return dict(base_url=server.url_for("/"), client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token_cache=False)


def test_an_access_token_alone_is_sent_as_the_bearer(licence, result_of):
    result = result_of(base_url=licence.url_for("/"), access_token="given-token", path="LicenseStatus")
    assert result["json"] == LICENCE
    (request,) = requests_to(licence, API + "/LicenseStatus")
    assert request.headers["Authorization"] == "Bearer given-token"
    assert requests_to(licence, TOKEN_PATH) == []


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_validate_certs_and_ca_path_reach_the_client(https_pbx, certificate, result_of, monkeypatch):  # noqa: F811
    # pylint: disable=redefined-outer-name
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE")
    refused = result_of(**dict(credentials(https_pbx), path="LicenseStatus"))
    assert refused["failed"] is True and "TLS error talking to" in refused["msg"]
    trusted = result_of(**dict(credentials(https_pbx), path="LicenseStatus", ca_path=certificate[0]))
    unchecked = result_of(**dict(credentials(https_pbx), path="LicenseStatus", validate_certs=False))
    assert trusted["json"] == unchecked["json"] == LICENCE


def test_timeout_reaches_the_client(result_of):
    # A listener that never accepts: the kernel completes the connection, nobody answers.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        result = result_of(base_url="http://127.0.0.1:%d" % port, access_token="given-token", path="LicenseStatus",
                           timeout=0.05, retries=0)
    assert result["failed"] is True
    assert result["msg"].startswith("GET http://127.0.0.1:%d/xapi/v1/LicenseStatus: timed out after 0.05 seconds"
                                    % port), result["msg"]


def test_retries_reach_the_client(httpserver, token_server, result_of):
    httpserver.expect_request(API + "/LicenseStatus").respond_with_handler(
        answers(json_response({}, status=503), json_response(LICENCE)))
    result = result_of(**dict(credentials(httpserver), path="LicenseStatus", retries=0))
    assert result["failed"] is True and result["status"] == 503
    assert len(requests_to(httpserver, API + "/LicenseStatus")) == 1


def test_the_token_cache_is_kept_where_token_cache_dir_says(licence, token_server, result_of, tmp_path):
    cache = tmp_path / "cache"
    settings = dict(credentials(licence), token_cache=True, token_cache_dir=str(cache), path="LicenseStatus")
    assert result_of(**settings)["json"] == LICENCE
    assert sorted(path.suffix for path in cache.iterdir()) == [".json", ".lock"]
    assert not (tmp_path / "xdg-cache").exists(), "nothing in the default cache directory"
    assert result_of(**settings)["json"] == LICENCE
    assert token_server.issued == ["token-1"], "the second run took the token from the cache"


def test_an_unusable_token_cache_is_a_warning_on_success_and_on_failure(
        httpserver, token_server, result_of, tmp_path, monkeypatch):
    # What the module warns, caught at XapiModule.warn: how AnsibleModule then reports a warning depends on
    # the ansible-core version and on whether controller code was loaded in this process.
    warned = []
    monkeypatch.setattr(_xapi_module.XapiModule, "warn", lambda _module, warning: warned.append(warning))
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    httpserver.expect_request(API + "/LicenseStatus").respond_with_json(LICENCE)
    httpserver.expect_request(API + "/Nothing").respond_with_json({"error": {"message": "NOT_FOUND"}}, status=404)
    warning = ("The token cache at %s is not usable (File exists); fetching tokens without it." % blocked)
    settings = dict(credentials(httpserver), token_cache=True, token_cache_dir=str(blocked))
    assert result_of(**dict(settings, path="LicenseStatus"))["json"] == LICENCE
    assert warned == [warning]
    failed = result_of(**dict(settings, path="Nothing"))
    assert failed["failed"] is True and warned == [warning, warning]


def test_no_connection_settings_at_all_name_both(result_of, monkeypatch):
    for variable in ("THREECX_BASE_URL", "THREECX_CLIENT_ID", "THREECX_CLIENT_SECRET", "THREECX_ACCESS_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    result = result_of(path="LicenseStatus")
    assert result["msg"] == (
        "base_url is missing: set the base_url option, the THREECX_BASE_URL environment variable, or "
        "module_defaults for group/threecx.xapi.xapi; no credentials: set client_id and client_secret (or the "
        "THREECX_CLIENT_ID and THREECX_CLIENT_SECRET environment variables), or access_token "
        "(THREECX_ACCESS_TOKEN), as options or in module_defaults for group/threecx.xapi.xapi")


def test_a_base_url_that_is_not_a_url_reads_whole(result_of):
    result = result_of(base_url="ftp://pbx.example.com", access_token="given-token", path="LicenseStatus")
    assert result["msg"] == ("base_url must be an http:// or https:// URL with a host name, such as "
                             "https://pbx.example.com:5001; got 'ftp://pbx.example.com'")


@pytest.mark.parametrize("option, value, message", [
    ("timeout", 0, "timeout must be 0.001 or more; got 0.0"),
    ("retries", -1, "retries must be 0 or more; got -1"),
    ("page_size", 0, "page_size must be 1 or more; got 0"),
])
def test_a_number_below_its_minimum_reads_whole(result_of, option, value, message):
    result = result_of(base_url="http://127.0.0.1:9", access_token="given-token", path="LicenseStatus",
                       **{option: value})
    assert result["msg"] == message


def test_without_requests_the_module_says_so_and_keeps_the_traceback(monkeypatch):
    # Caught at fail_json: whether AnsibleModule then shows the traceback depends on the ansible-core
    # version and on the verbosity.
    failures = []

    def fail_json(_module, **result):
        failures.append(result)
        raise SystemExit(1)
    monkeypatch.setattr(_xapi_module.XapiModule, "fail_json", fail_json)
    monkeypatch.setattr(_xapi_module, "HAS_REQUESTS", False)
    monkeypatch.setattr(_xapi_module, "REQUESTS_IMPORT_ERROR", "ModuleNotFoundError: No module named 'requests'")
    assert run(base_url="http://127.0.0.1:9", access_token="given-token", path="LicenseStatus") == 1
    (result,) = failures
    assert result["msg"].startswith("Failed to import the required Python library (requests) on "), result["msg"]
    assert result["exception"] == "ModuleNotFoundError: No module named 'requests'"


@pytest.mark.parametrize("module, args", [(threecx_license_info, {"orderby": "x"}),
                                          (threecx_group, {"name": "x", "update_password": "always"})])
def test_modules_take_only_the_shared_options_they_document(result_of, module, args):
    result = result_of(module, base_url="http://127.0.0.1:9", access_token="given-token", **args)
    unsupported = result["msg"].partition(". Supported parameters include")[0]
    assert result["failed"] is True and unsupported.endswith(" module: " + list(args)[-1]), result["msg"]
