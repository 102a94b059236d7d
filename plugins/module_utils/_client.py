# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one XAPI client: base URL, HTTP with retries, errors and paging. Tokens come from _auth.

Every failure leaves this module as an XapiError, whose message names the method, the URL,
the HTTP status and the PBX's own words, with a hint where one helps. No message, result or
exception built here ever holds a token or the client secret.
"""

from __future__ import annotations

import os
import traceback
from urllib.parse import urljoin, urlsplit, urlunsplit

from ansible_collections.threecx.xapi.plugins.module_utils._auth import Tokens
from ansible_collections.threecx.xapi.plugins.module_utils._errors import XapiError
from ansible_collections.threecx.xapi.plugins.module_utils._odata import encode_query

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.exceptions import ReadTimeoutError
    from urllib3.util.retry import Retry
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    HTTPAdapter = object
    Retry = object
    ReadTimeoutError = TimeoutError
HAS_REQUESTS = REQUESTS_IMPORT_ERROR is None

API_PATH = "/xapi/v1"
TOKEN_PATH = "/connect/token"
USER_AGENT = "threecx.xapi-ansible-collection/0.1.0"
RETRY_STATUSES = (429, 502, 503, 504)
# A Retry-After longer than this is cut short, so a run gives up in bounded time.
MAX_RETRY_AFTER = 30

LOGIN_HINT = ("Check client_id and client_secret, that the API client has 'XAPI access enabled' "
              "(Admin console > Integrations > API), and that the PBX has an Enterprise licence.")
ROLE_HINT = ("The API client's role is too low for this operation: give it a higher role "
             "(some reports need System Owner) in Admin console > Integrations > API.")
TOKEN_HINT = ("The PBX rejected access_token: it has expired, or a newer token for the same API client "
              "replaced it (a PBX keeps one active token per client). Use client_id and client_secret instead.")
CERT_HINT = ("The PBX's TLS certificate could not be verified: set ca_path to the CA bundle that "
             "signed it, or validate_certs: false for a PBX you trust.")
PLAIN_HTTP_HINT = ("The server at %s speaks plain HTTP, not HTTPS: use http:// in base_url, or the port "
                   "where the PBX serves HTTPS (443 on hosted PBXes, often 5001 self-hosted).")
HTTPS_PORT_HINT = ("The server at %s may expect HTTPS: try https:// in base_url.")
# What OpenSSL says when the other end answers a TLS hello in plain HTTP: the certificate is not to blame.
_PLAIN_HTTP_TLS_ERRORS = ("wrong_version_number", "wrong version number", "http_request", "http request",
                          "packet length too long", "record layer failure", "unknown protocol")
# What a client speaking plain HTTP to a TLS port gets: the connection dropped, or a TLS record for an answer.
_HTTPS_PORT_SYMPTOMS = ("remotedisconnected", "connection reset", "connection aborted", "badstatusline")


def normalize_base_url(base_url):
    """`https://pbx:5001`, with a trailing slash or a pasted `/xapi/v1` (or `/xapi`) removed.

    Raises ValueError, naming base_url, for anything that is not an http(s) URL with a host,
    and naming the port when that is what is wrong.
    """
    text = (base_url or "").strip()
    try:
        parts = urlsplit(text)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # from urlsplit: "https://[pbx"
        valid = False
    if not valid:
        raise ValueError("base_url must be an http:// or https:// URL with a host name, such as "
                         "https://pbx.example.com:5001; got %r" % base_url)
    _check_port(parts, base_url)
    path = parts.path.rstrip("/")
    for suffix in (API_PATH, API_PATH.rsplit("/", 1)[0]):  # /xapi/v1, or /xapi alone: half of it
        if path.lower().endswith(suffix):
            path = path[:-len(suffix)]
            break
    return urlunsplit((parts.scheme.lower(), parts.netloc, path.rstrip("/"), "", ""))


def _check_port(parts, base_url):
    """A port that is not a number from 1 to 65535 is named as the port's fault, not the URL's."""
    try:
        port = parts.port
    except ValueError:  # "https://pbx:50o1", "https://pbx:87650"
        port = parts.netloc.rsplit(":", 1)[-1]
    if port is None:
        return
    if str(port).isdigit() and 0 < int(port) <= 65535:
        return
    raise ValueError("base_url has port %s, which is not a port number (1 to 65535); hosted PBXes use 443, "
                     "self-hosted ones often 5001; got %r" % (port, base_url))


class _BoundedRetry(Retry):
    """urllib3's retry policy, with Retry-After capped so that a run gives up in bounded time."""

    def parse_retry_after(self, retry_after):
        return min(super().parse_retry_after(retry_after), MAX_RETRY_AFTER)


class _PerRequestRetryAdapter(HTTPAdapter):
    """requests fixes one retry policy per adapter; XAPI calls differ in whether a retry is safe.

    The client passes each request's policy to Session.send, which hands it on to here.
    """

    def send(self, request, retry_policy=None, **kwargs):  # pylint: disable=arguments-differ
        if retry_policy is not None:
            self.max_retries = retry_policy
        return super().send(request, **kwargs)


class Response:
    """What a call returned: the HTTP status and the parsed JSON body (None when empty)."""

    def __init__(self, status, data):
        self.status = status
        self.data = data


class XapiClient:
    """A session with one PBX for the length of one module run."""

    def __init__(self, base_url, client_id=None, client_secret=None, access_token=None,
                 validate_certs=True, ca_path=None, timeout=30, retries=3,
                 token_cache=True, token_cache_dir=None):
        self.base_url = normalize_base_url(base_url)
        self.api_url = self.base_url + API_PATH
        self._verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        self._timeout = timeout
        self._retries = retries
        self.warnings = []
        self._tokens = Tokens(self.base_url, self._request_token, client_id=client_id, client_secret=client_secret,
                              access_token=access_token, token_cache=token_cache, token_cache_dir=token_cache_dir,
                              warnings=self.warnings)
        self._session = requests.Session()
        self._session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        adapter = _PerRequestRetryAdapter()
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    def close(self):
        self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # ---- public calls -------------------------------------------------------------------

    def url_for(self, path, query=None):
        """The full URL of an XAPI path (relative to /xapi/v1), with its encoded query."""
        url = self.api_url + "/" + path.lstrip("/")
        return url + ("?" + encode_query(query) if query else "")

    def get(self, path, query=None):
        """GET an XAPI path and return its parsed JSON."""
        return self.call("GET", path, query=query).data

    def call(self, method, path, query=None, body=None, idempotent=False, retries=None):
        """Call XAPI with a bearer token, renewing it when the PBX rejects it.

        `idempotent` marks a write that is safe to send twice (it sets state rather than
        adding to it), so that it may be retried after a 503 like a GET. `retries` overrides the
        client's count for this call: 0 for a probe whose caller keeps its own clock.
        """
        method = method.upper()
        url = self.url_for(path, query)
        renewals = 0
        while True:
            token = self._tokens.current()
            response = self._send(method, url, body=body, idempotent=idempotent, retries=retries,
                                  headers={"Authorization": "Bearer " + token})
            if response.status_code == 401 and not self._tokens.can_renew():
                raise _error_from_response(response, method, url, hint=TOKEN_HINT)
            if response.status_code != 401 or renewals >= self._retries:
                return self._parse(response, method, url)
            self._tokens.renew(rejected=token, pause=renewals > 0)
            renewals += 1

    def get_pages(self, path, query=None, page_size=100, limit=None, want_count=False):
        """Every item of a collection, page by page with $top/$skip: (items, @odata.count).

        `limit` caps the number of items (the user's `top`). With `want_count`, the first page
        also asks for `$count`, which tells when the last page has come, so N items cost
        ceil(N/page_size) requests and no empty page at the end; without it, a short page ends
        the loop. `@odata.nextLink`, should a PBX ever send one, is followed on this PBX only.
        """
        query = dict(query or {})
        first_skip = int(query.pop("$skip", 0) or 0)
        items, total, next_url = [], None, None
        while True:
            wanted = page_size if limit is None else min(page_size, limit - len(items))
            if wanted <= 0:
                break
            if next_url:
                data = self._get_url(next_url)
            else:
                page_query = dict(query, **{"$top": wanted, "$skip": first_skip + len(items)})
                if not items and want_count:
                    page_query["$count"] = "true"
                data = self.get(path, page_query)
            page = _page_items(data, self.url_for(path))
            items.extend(page[:wanted] if limit is not None else page)
            if total is None and isinstance(data.get("@odata.count"), int):
                total = data["@odata.count"]
            next_url = data.get("@odata.nextLink")
            if not next_url and (len(page) < wanted or (total is not None and first_skip + len(items) >= total)):
                break
        return items, total

    def download(self, link, destination, chunk_size=1048576):
        """GET a file the PBX links to (a backup's DownloadLink) into `destination`, streamed: the bytes written.

        The link is resolved against base_url and followed only on this PBX, since it carries the bearer
        token. The file is written to `destination`.part and renamed when complete, so a broken download
        never leaves a file that looks whole. The link itself may be a secret: no message names it.
        """
        url = urljoin(self.base_url + "/", link)
        if _origin(url) != _origin(self.base_url):
            raise XapiError("the PBX links the file to another server; not sending the token there")
        shown = self.base_url + "/<download link>"
        response = self._open_stream(url, shown)
        with response:
            if response.status_code >= 400:
                raise _error_from_response(response, "GET", shown)
            return _write_stream(response, destination, chunk_size, shown)

    def _open_stream(self, url, shown):
        """A streamed GET with the bearer token, renewed once when the PBX rejects it."""
        token = self._tokens.current()
        response = self._send("GET", url, headers={"Authorization": "Bearer " + token}, stream=True, shown_url=shown)
        if response.status_code == 401 and self._tokens.can_renew():
            response.close()
            self._tokens.renew(rejected=token, pause=False)
            response = self._send("GET", url, headers={"Authorization": "Bearer " + self._tokens.current()},
                                  stream=True, shown_url=shown)
        return response

    def _get_url(self, url):
        """Follow a nextLink, but only on this PBX: the bearer token must not travel elsewhere.

        A relative link is resolved as OData says, against the API root that the context URL names.
        """
        absolute = urljoin(self.api_url + "/", url)
        if not absolute.startswith(self.api_url + "/"):
            raise XapiError("the PBX sent a nextLink to another server (%s); not following it" % url)
        return self.call("GET", absolute[len(self.api_url):]).data

    def _request_token(self, form):
        """POST the login form to the token endpoint: the parsed answer, which holds an access_token."""
        url = self.base_url + TOKEN_PATH
        # A token request is safe to repeat after a 503, but a 401 is never retried: repeated
        # failed logins trip the PBX's anti-hacking blacklist.
        response = self._send("POST", url, form=form, idempotent=True)
        if response.status_code in (400, 401, 403):
            raise _error_from_response(response, "POST", url, "the PBX refused the login", hint=LOGIN_HINT)
        data = self._parse(response, "POST", url).data
        if not (isinstance(data, dict) and data.get("access_token")):
            raise XapiError("the token answer holds no access_token", status=response.status_code,
                            method="POST", url=url)
        return data

    # ---- HTTP -----------------------------------------------------------------------------

    def _retry_policy(self, method, idempotent, retries=None):
        """Retry connection failures always (nothing was sent); the rest only where repeating is safe.

        Read timeouts, dropped answers and retryable statuses are retried for GETs and for writes
        that set state (`idempotent`: PATCH, PUT, DELETE, a settings action), never for a create:
        it may have landed, and the resource layer looks it up instead.
        """
        safe = method == "GET" or idempotent
        retries = self._retries if retries is None else retries
        policy = dict(
            total=retries, connect=retries,
            read=retries if safe else 0,
            status=retries if safe else 0,
            other=0, allowed_methods=None, status_forcelist=RETRY_STATUSES, backoff_factor=0.5,
            respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False,
        )
        try:
            return _BoundedRetry(backoff_max=8, backoff_jitter=0.5, **policy)
        except TypeError:  # urllib3 1.26 has neither (its backoff is capped at 120 s)
            return _BoundedRetry(**policy)

    def _send(self, method, url, headers=None, body=None, form=None, idempotent=False, stream=False, shown_url=None,
              retries=None):
        """One logical request, with urllib3's retries, and failures turned into XapiError.

        `shown_url` stands for `url` in messages when the URL itself is a secret (a download link).
        """
        request = requests.Request(method, url, headers=headers, json=body, data=form)
        prepared = self._session.prepare_request(request)
        settings = self._session.merge_environment_settings(prepared.url, {}, stream, self._verify, None)
        if self._verify is not True:
            # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override an explicit `verify`, and
            # ca_path or validate_certs=false would silently do nothing. With plain verification the
            # bundle those variables name is used, as in any requests-based tool.
            settings["verify"] = self._verify
        try:
            response = self._session.send(
                prepared, timeout=self._timeout, allow_redirects=(method == "GET" and not stream),
                retry_policy=self._retry_policy(method, idempotent, retries), **settings)
        except requests.exceptions.RequestException as exc:
            raise _error_from_exception(exc, method, shown_url or url, self._timeout) from None
        except OSError as exc:
            # requests checks that the CA bundle exists itself, and raises a bare OSError when not.
            raise XapiError("the CA bundle cannot be used: %s" % exc, method=method, url=url,
                            hint="Set ca_path to a readable PEM file of CA certificates.") from None
        if response.is_redirect:
            response.close()
            # A download's redirect may lead to a secret address, as its link is one: it is not named.
            target = "another address" if shown_url else response.headers.get("Location")
            raise XapiError("the PBX redirected the request to %s; not following a redirect for a write or a download. "
                            "Point base_url at the final address." % target,
                            status=response.status_code, method=method, url=shown_url or url)
        return response

    def _parse(self, response, method, url):
        if response.status_code >= 400:
            raise _error_from_response(response, method, url)
        if not response.content:  # a 204, or an empty 200
            return Response(response.status_code, None)
        try:
            return Response(response.status_code, response.json())
        except ValueError:
            raise XapiError("the PBX answered with invalid JSON (%s)" % _body_excerpt(response),
                            status=response.status_code, method=method, url=url) from None


def _origin(url):
    parts = urlsplit(url)
    return (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower()))


def _write_stream(response, destination, chunk_size, shown):
    """Write a streamed answer to `destination` through a `.part` file, renamed once whole.

    A failure names the request as `shown` (the link itself may be a secret)."""
    # An answer shorter than its Content-Length raises in iter_content, as urllib3 2 does by default
    # and urllib3 1.26 only when told to.
    response.raw.enforce_content_length = True
    partial = destination + ".part"
    written = 0
    try:
        with open(partial, "wb") as handle:
            for chunk in response.iter_content(chunk_size):
                handle.write(chunk)
                written += len(chunk)
        os.replace(partial, destination)
    except requests.exceptions.RequestException as exc:
        _remove(partial)
        raise XapiError("the download broke off after %d bytes: %s" % (written, _root_cause(exc)), method="GET",
                        url=shown) from None
    except OSError as exc:
        _remove(partial)
        raise XapiError("cannot write %s: %s" % (destination, exc)) from None
    return written


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _page_items(data, url):
    if not isinstance(data, dict) or not isinstance(data.get("value"), list):
        raise XapiError("the PBX's answer is not a collection (no 'value' list)", method="GET", url=url)
    return data["value"]


def _error_from_response(response, method, url, what=None, hint=None):
    """An XapiError from an error answer: OData JSON, OAuth JSON, HTML or nothing."""
    pbx_message, details = _pbx_error(response)
    status = response.status_code
    if hint is None:
        hint = {401: LOGIN_HINT, 403: ROLE_HINT}.get(status)
    if urlsplit(url).scheme == "http" and "sent to https port" in response.text[:2000].lower():
        hint = HTTPS_PORT_HINT % urlsplit(url).netloc  # nginx's "400 The plain HTTP request was sent to HTTPS port"
    message = what or "the PBX answered with an error"
    if pbx_message:
        message += ": " + pbx_message
    elif response.content:
        message += " (%s)" % _body_excerpt(response)
    return XapiError(message, status=status, method=method, url=url, pbx_message=pbx_message,
                     details=details, hint=hint)


def _pbx_error(response):
    """(message, details) from an OData error `{"error": {...}}` or an OAuth error."""
    try:
        data = response.json()
    except ValueError:
        return None, []
    if not isinstance(data, dict):
        return None, []
    error = data.get("error")
    if isinstance(error, dict):
        details = error.get("details")
        return error.get("message") or error.get("code"), details if isinstance(details, list) else []
    if isinstance(error, str):
        return data.get("error_description") or error, []
    return None, []


def _body_excerpt(response, limit=200):
    """A short, single-line excerpt of a body that is not the JSON we wanted."""
    kind = response.headers.get("Content-Type", "unknown content type").split(";")[0]
    text = " ".join(response.text.split())[:limit]
    return "%s: %s" % (kind, text) if text else "%s, empty body" % kind


def _error_from_exception(exc, method, url, timeout):
    """Say what went wrong on the wire, with the host and port, never the request's headers."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    where = "%s:%s" % (parts.hostname, port)
    if isinstance(exc, requests.exceptions.SSLError):
        cause = _root_cause(exc)
        if any(symptom in cause.lower() for symptom in _PLAIN_HTTP_TLS_ERRORS):
            return XapiError("the server at %s answered the TLS handshake in plain HTTP (%s)" % (where, cause),
                             method=method, url=url, hint=PLAIN_HTTP_HINT % where)
        return XapiError("TLS error talking to %s: %s" % (where, cause), method=method, url=url,
                         hint=CERT_HINT if "certificate" in cause.lower() else None)
    # Once urllib3's retries are used up, requests reports a read timeout as a ConnectionError
    # whose innermost reason is urllib3's ReadTimeoutError.
    if isinstance(exc, requests.exceptions.Timeout) or isinstance(_innermost(exc), ReadTimeoutError):
        return XapiError("timed out after %s seconds waiting for %s" % (timeout, where), method=method, url=url,
                         hint="Raise timeout if the PBX is slow, or check the network path to it.")
    if isinstance(exc, requests.exceptions.ConnectionError):
        cause = _root_cause(exc)
        if "refused" in cause.lower():
            cause = "connection refused"
        elif parts.scheme == "http" and _looks_like_https_port(cause):
            return XapiError("the server at %s dropped a plain HTTP request (%s)" % (where, cause),
                             method=method, url=url, hint=HTTPS_PORT_HINT % where)
        return XapiError("could not connect to %s: %s" % (where, cause), method=method, url=url,
                         hint="Check base_url, the port (443 on hosted PBXes, often 5001 self-hosted) and firewalls.")
    return XapiError("request failed: %s" % _root_cause(exc), method=method, url=url)


def _looks_like_https_port(text):
    """Whether what a plain HTTP request got back is what an HTTPS port gives it."""
    text = text.lower().replace(" ", "")
    return any(symptom.replace(" ", "") in text for symptom in _HTTPS_PORT_SYMPTOMS)


def _innermost(exc):
    """The innermost reason of a requests/urllib3 exception chain."""
    seen = exc
    for _depth in range(10):
        reason = getattr(seen, "reason", None) or (seen.args[0] if getattr(seen, "args", None) else None)
        if isinstance(reason, BaseException) and reason is not seen:
            seen = reason
            continue
        break
    return seen


def _root_cause(exc):
    """The text of the innermost reason of a requests/urllib3 exception chain, which says what really happened."""
    text = str(_innermost(exc))
    # urllib3 prefixes "<urllib3.connection.HTTPConnection object at 0x...>: "; drop it.
    if ">: " in text:
        text = text.split(">: ", 1)[1]
    return text
