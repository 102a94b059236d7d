# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A 3CX v20 XAPI simulator: a real HTTP(S) server that answers like a PBX's configuration API.

    python3 tests/simulator/xapi_simulator.py --port 0 --client-id demo --client-secret demo-secret \\
        [--spec ../shared/xapi/swagger.yaml] [--devices 50] [--seed 0] [--latency MS] [--token-ttl S] \\
        [--tls-cert FILE --tls-key FILE]

It serves /connect/token (client credentials, JWT tokens, one live token per client), the licence,
SIP phones, failover scripts and phone registrar look-ups from deterministic seed data with OData
query options, schema-valid generated answers for every other operation of the spec (--spec), and a
control API under /_sim/ for tests: the request log, injected faults, token expiry, reset, counters.
tests/simulator/README.md documents all of it.
"""

from __future__ import annotations

import argparse
import base64
import collections
import gzip
import hashlib
import hmac
import json
import os
import random
import re
import secrets
import shlex
import signal
import socket
import ssl
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, unquote_plus

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# pylint: disable=wrong-import-position
import xapi_model  # noqa: E402
import xapi_odata  # noqa: E402
import xapi_seed  # noqa: E402
import xapi_store  # noqa: E402
from xapi_odata import ODataError, QueryOptions  # noqa: E402

API_PREFIX = "/xapi/v1"
TOKEN_PATH = "/connect/token"
CONTROL_PREFIX = "/_sim/"
MASK = "********"
ODATA_JSON = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8"
GZIP_MINIMUM = 1024
MAX_BODY = 10 * 1024 * 1024
LOG_LIMIT = 200000
SECRET_WORDS = ("secret", "password", "token")  # field names holding any of these are masked in the log
JWT_TEXT = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*")
DROP = object()
NOT_FOUND = "WARNINGS.XAPI.NOT_FOUND"
INVALID_BODY = "WARNINGS.XAPI.INVALID_BODY"


# ---------------------------------------------------------------- requests and answers


class Request:
    """One HTTP request, decoded once: path, query, headers and body."""

    def __init__(self, method, target, headers, body):
        self.method = method
        raw_path, _sep, self.raw_query = target.partition("?")
        self.raw_path = raw_path
        self.path = unquote(raw_path)
        self.headers = headers
        self.body = body
        self.started = time.time()
        self.generation = None

    @property
    def content_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def json(self):
        """The JSON body; ODataError 400 when it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise ODataError("The request body is not valid JSON: %s" % error, message=INVALID_BODY)

    def form(self):
        """Form fields of an urlencoded or multipart body, or None for any other content type."""
        if self.content_type == "application/x-www-form-urlencoded":
            return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))
        if self.content_type == "multipart/form-data":
            return parse_multipart(self.headers.get("Content-Type"), self.body)
        return None

    def loggable_body(self):
        """The body as the log shows it: parsed JSON, a form dict, or None."""
        if not self.body:
            return None
        form = self.form()
        if form is not None:
            return form
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None


def parse_multipart(content_type, body):
    """multipart/form-data fields as a dict of strings (the stdlib cgi module is gone in 3.13)."""
    import email.parser  # 20 ms of startup for a rare kind of token request: imported when needed
    import email.policy
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    fields = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True) or b""
            fields[name] = payload.decode(part.get_content_charset() or "utf-8", "replace")
    return fields


class Answer:
    """Status, headers and body bytes of one answer."""

    def __init__(self, status, body=b"", content_type=None, headers=None):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        if content_type:
            self.headers["Content-Type"] = content_type

    @classmethod
    def json(cls, status, document, headers=None, content_type=ODATA_JSON):
        body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return cls(status, body, content_type, headers)

    @classmethod
    def error(cls, error):
        headers = {"Allow": ", ".join(error.allowed)} if getattr(error, "allowed", None) else None
        return cls.json(error.status, error.body(), headers)

    @classmethod
    def empty(cls, status, headers=None):
        return cls(status, b"", None, headers)

    @classmethod
    def stream(cls, status, length, chunks, content_type):
        """An answer written chunk by chunk (a backup file), with its Content-Length, never gzipped."""
        answer = cls(status, b"", content_type)
        answer.length, answer.chunks = length, chunks
        return answer


# ---------------------------------------------------------------- tokens


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Tokens:
    """HS256 JWTs; one live token per client id, as on a real PBX: a new one retires the older ones."""

    def __init__(self, ttl):
        self.ttl = ttl
        self.key = secrets.token_bytes(32)
        self.live = {}  # client id -> (jti, expiry as time.time())
        # Every token handed out since start, resets included: tests grep output for each of them.
        self.issued = collections.deque(maxlen=LOG_LIMIT)
        self.lock = threading.Lock()

    def issue(self, client_id):
        now = time.time()
        claims = {"iss": "xapi-simulator", "sub": client_id, "client_id": client_id, "iat": int(now), "nbf": int(now),
                  "exp": int(now + self.ttl), "jti": uuid.uuid4().hex}
        header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
        signature = b64url(hmac.new(self.key, ("%s.%s" % (header, payload)).encode(), hashlib.sha256).digest())
        token = "%s.%s.%s" % (header, payload, signature)
        with self.lock:
            self.live[client_id] = (claims["jti"], now + self.ttl)
            self.issued.append(token)
        return token

    def check(self, authorization):
        """None when the header holds the client's live token, else why not (for WWW-Authenticate)."""
        scheme, _sep, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return "no bearer token"
        claims = self._claims(token.strip())
        if claims is None:
            return "the token is not one this PBX issued"
        with self.lock:
            jti, expiry = self.live.get(claims.get("sub"), (None, 0))
        if jti != claims.get("jti"):
            return "the token was superseded or revoked"
        if time.time() >= expiry:
            return "the token expired"
        return None

    def _claims(self, token):
        parts = token.split(".")
        if len(parts) != 3:
            return None
        expected = hmac.new(self.key, ("%s.%s" % (parts[0], parts[1])).encode(), hashlib.sha256).digest()
        try:
            if not hmac.compare_digest(expected, b64url_decode(parts[2])):
                return None
            return json.loads(b64url_decode(parts[1]))
        except (ValueError, TypeError):
            return None

    def expire_all(self):
        with self.lock:
            count = len(self.live)
            self.live.clear()
        return count


# ---------------------------------------------------------------- faults


FAULT_BODIES = ("json", "html", "malformed", "empty")
FAULT_KEYS = {"path": str, "method": str, "status": int, "retry_after": (int, float, str), "body": str,
              "delay": (int, float), "drop": bool, "times": int, "apply_after": bool, "ignore": bool,
              "restart": (int, float)}


class Fault:
    """One injected fault rule (see README): matches a path substring or regex, and a method."""

    def __init__(self, rule):
        self.rule = rule
        self.path = rule.get("path") or ""
        self.method = (rule.get("method") or "").upper() or None
        self.delay = float(rule.get("delay") or 0)
        self.drop = bool(rule.get("drop"))
        # ignore: answer as if done (204, no body) and change nothing; restart: the PBX goes away for N seconds.
        self.ignore = bool(rule.get("ignore"))
        self.restart = float(rule.get("restart") or 0)
        default_status = 204 if self.ignore else (None if (self.delay or self.drop) else 503)
        self.status = rule.get("status", default_status)
        self.retry_after = rule.get("retry_after")
        self.body = rule.get("body") or "json"
        self.times = rule.get("times", 1)
        self.apply_after = bool(rule.get("apply_after"))
        try:
            self.regex = re.compile(self.path)
        except re.error:
            self.regex = None

    @classmethod
    def from_rule(cls, rule):
        """Validate a rule dict; ValueError says what is wrong."""
        if not isinstance(rule, dict):
            raise ValueError("each fault rule must be a JSON object")
        for key, value in rule.items():
            if key not in FAULT_KEYS:
                raise ValueError("unknown fault key %r; known: %s" % (key, ", ".join(sorted(FAULT_KEYS))))
            if value is not None and (isinstance(value, bool) and FAULT_KEYS[key] is not bool
                                      or not isinstance(value, FAULT_KEYS[key])):
                raise ValueError("fault key %r has the wrong type" % key)
        if rule.get("body", "json") not in FAULT_BODIES:
            raise ValueError("fault body must be one of %s" % ", ".join(FAULT_BODIES))
        if rule.get("times", 1) is None or rule.get("times", 1) < 1:
            raise ValueError("fault times must be 1 or more")
        if (rule.get("delay") or 0) < 0 or (rule.get("restart") or 0) < 0:
            raise ValueError("fault delay and restart must not be negative")
        if rule.get("ignore") and (rule.get("drop") or rule.get("apply_after")):
            raise ValueError("an ignored write is answered: ignore goes with neither drop nor apply_after")
        if rule.get("status") is not None and not 100 <= rule["status"] <= 599:
            raise ValueError("fault status must be an HTTP status")
        return cls(rule)

    def matches(self, request):
        if self.method and self.method != request.method:
            return False
        if self.path in request.path or self.path in request.raw_path:
            return True
        return bool(self.regex and self.regex.search(request.path))

    def describe(self):
        return dict(self.rule, times_left=self.times)


def restarting_answer(seconds):
    """What a restarting PBX's proxy answers: 503 with the time it expects to need."""
    return Answer.json(503, xapi_odata.error_body("WARNINGS.XAPI.SERVICE_UNAVAILABLE", "The PBX is restarting."),
                       {"Retry-After": str(max(1, int(seconds + 0.999)))})


def fault_answer(fault, request):
    """The answer of a fault with a status: an OData error, nginx's HTML page, broken JSON or nothing."""
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    status = fault.status
    if fault.body == "empty" or fault.ignore:
        return Answer.empty(status, headers)
    if fault.body == "html":
        reason = BaseHTTPRequestHandler.responses.get(status, ("Error",))[0]
        page = ("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n"
                "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n") % (status, reason, status, reason)
        return Answer(status, page.encode(), "text/html", headers)
    if fault.body == "malformed":
        return Answer(status, b'{"@odata.context":"$metadata#Simulated","value":[{"Id":1,', ODATA_JSON, headers)
    if request.path == TOKEN_PATH:
        return Answer.json(status, {"error": "temporarily_unavailable",
                                    "error_description": "Simulated fault: HTTP %d" % status}, headers, "application/json")
    return Answer.json(status, xapi_odata.error_body("WARNINGS.XAPI.SIMULATED_FAULT", "Simulated fault: HTTP %d" % status),
                       headers)


# ---------------------------------------------------------------- masking for the log


def mask(value, secret):
    """A copy with secret-named fields, the client secret and anything like a JWT replaced by ********."""
    if isinstance(value, dict):
        return {key: MASK if is_secret_field(key) and value[key] not in (None, "") else mask(value[key], secret)
                for key in value}
    if isinstance(value, list):
        return [mask(item, secret) for item in value]
    if isinstance(value, str):
        return mask_text(value, secret)
    return value


def is_secret_field(name):
    lowered = str(name).lower()
    return any(word in lowered for word in SECRET_WORDS) or lowered.endswith("pin")


def mask_text(text, secret):
    if secret and secret in text:
        text = text.replace(secret, MASK)
    return JWT_TEXT.sub(MASK, text)


# ---------------------------------------------------------------- the simulated PBX


class State:
    """Everything a reset restores: licence, log, faults, tokens and counters. Phones and scripts never change."""

    def __init__(self, config):
        self.config = config
        self.lock = threading.RLock()
        self.devices = xapi_seed.devices(config.devices, config.seed)
        self.by_mac = {device["Registrar"]["MAC"]: device for device in self.devices}
        self.scripts = xapi_seed.failover_scripts(config.seed)
        self.tokens = Tokens(config.token_ttl)
        self.licence = None
        self._store = None
        self.settings = {}
        self.unavailable_until = 0.0
        self.log = collections.deque(maxlen=LOG_LIMIT)
        self.faults = []
        self.stats = {"requests": 0, "token_requests": 0}
        self.generation = 0
        self.reset()

    def reset(self):
        with self.lock:
            self.generation += 1
            self.licence = xapi_seed.licence(self.config.seed)
            self._store = None  # built on first use: reading the entity facts costs 0.2 s, too much for startup
            self.settings = {"backup_delay": self.config.backup_delay, "update_restart": self.config.update_restart}
            self.unavailable_until = 0.0
            self.log.clear()
            self.faults = []
            self.stats = {"requests": 0, "token_requests": 0}
            self.tokens.expire_all()

    def count(self, request):
        with self.lock:
            request.generation = self.generation
            self.stats["requests"] += 1
            if request.path == TOKEN_PATH:
                self.stats["token_requests"] += 1

    @property
    def store(self):
        """The entities the PBX remembers, seeded afresh after each reset."""
        with self.lock:
            if self._store is None:
                self._store = xapi_store.Store.seeded(self.config.seed)
            return self._store

    def seed_store(self):
        """Build the store now (warm-up does, off the main thread) rather than on the first request."""
        return self.store

    def restart(self, seconds):
        """The PBX stops answering (503) for `seconds`, as while it restarts."""
        with self.lock:
            self.unavailable_until = max(self.unavailable_until, time.time() + seconds)

    def unavailable_for(self):
        with self.lock:
            return max(0.0, self.unavailable_until - time.time())

    def take_fault(self, request):
        """The first queued fault matching the request, its count used up by one."""
        with self.lock:
            for fault in self.faults:
                if fault.matches(request):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def record(self, request, status):
        secret = self.config.client_secret
        entry = {
            "method": request.method,
            "path": mask_text(request.path, secret),
            "query": mask_text(unquote_plus(request.raw_query), secret),
            "body": mask(request.loggable_body(), secret),
            "status": status,
            "time": round(request.started, 3),
        }
        with self.lock:
            # A request still in flight (a delay) across a reset belongs to the test before it: not logged.
            if request.generation == self.generation:
                self.log.append(entry)


class Spec:
    """The spec, loaded in a background thread so that startup stays fast; requests that need it wait."""

    def __init__(self, path):
        self.path = path
        self.index = None
        self.error = None
        self.ready = threading.Event()
        self.seconds = None
        if path is None:
            self.ready.set()

    def load(self):
        started = time.monotonic()
        try:
            import xapi_spec
            self.index = xapi_spec.SpecIndex(xapi_spec.load_spec(self.path))
            self.seconds = time.monotonic() - started
        except Exception as error:  # OSError, YAML errors (no common base) or a bad spec: the server lives on
            self.error = "%s: %s" % (type(error).__name__, error)
        finally:
            self.ready.set()

    def wait(self):
        self.ready.wait(120)
        if self.index is None:
            raise ODataError("The simulator could not load the spec: %s" % (self.error or "still loading"), status=500,
                             message="WARNINGS.XAPI.INTERNAL_ERROR")
        return self.index


class Xapi:
    """Routes one request to the token endpoint, a simulated operation, a generated answer or an error."""

    def __init__(self, config):
        self.config = config
        self.state = State(config)
        self.spec = Spec(config.spec)
        self.routes = [
            (re.compile(r"/LicenseStatus\Z"), {"GET": self.get_licence}),
            (re.compile(r"/LicenseStatus/Pbx\.EditLicenseInfo\Z"), {"POST": self.edit_licence}),
            (re.compile(r"/SipDevices\Z"), {"GET": self.list_devices}),
            (re.compile(r"/Backups/Pbx\.GetFailoverScripts\(\)\Z"), {"GET": self.failover_scripts}),
            (re.compile(r"/Countries\Z"), {"GET": self.countries}),
            (re.compile(r"/Backups/Pbx\.DownloadBackup\(file=(?P<file>.*)\)\Z", re.S), {"GET": self.download_backup}),
            (re.compile(r"/Users/Pbx\.GetPhoneRegistrar\(mac=(?P<mac>.*)\)\Z", re.S), {"GET": self.phone_registrar}),
        ]

    # -- the pipeline: latency, faults, routing, log

    def serve(self, request):
        """The answer, or DROP to close the connection without one."""
        self.state.count(request)
        if self.config.latency:
            time.sleep(self.config.latency / 1000.0)
        restarting = self.state.unavailable_for()
        if restarting:
            answer = restarting_answer(restarting)
            self.state.record(request, answer.status)
            return answer
        fault = self.state.take_fault(request)
        if fault and fault.delay:
            time.sleep(fault.delay)
        answer = None
        # apply_after: the request takes effect, then the fault (a status or a drop) loses its answer.
        # ignore: the answer says done, and nothing happened.
        if fault is None or fault.apply_after or (fault.status is None and not fault.drop):
            answer = self.route(request)
        if fault and fault.restart:
            self.state.restart(fault.restart)
        if fault and fault.drop:
            self.state.record(request, None)
            return DROP
        if fault and fault.status is not None:
            answer = fault_answer(fault, request)
        self.state.record(request, answer.status)
        return answer

    def route(self, request):
        try:
            if request.path == TOKEN_PATH:
                return self.token(request)
            problem = self.state.tokens.check(request.headers.get("Authorization"))
            if problem:
                return Answer.empty(401, {"WWW-Authenticate": 'Bearer error="invalid_token", error_description="%s"' % problem})
            return self.api(request, request.path[len(API_PREFIX):])
        except ODataError as error:
            return Answer.error(error)

    def api(self, request, path):
        for pattern, methods in self.routes:
            found = pattern.match(path)
            if found:
                return handler_for(request, path, methods)(request, **found.groupdict())
        answer = self.stored(request, path)
        return answer if answer is not None else self.generic(request, path)

    # -- /connect/token

    def token(self, request):
        if request.method != "POST":
            return Answer.json(405, {"error": "invalid_request", "error_description": "Use POST."}, {"Allow": "POST"},
                               "application/json")
        form = request.form()
        if form is None:
            return Answer.json(400, {"error": "invalid_request", "error_description":
                                     "The body must be application/x-www-form-urlencoded or multipart/form-data."},
                               content_type="application/json")
        if form.get("grant_type") != "client_credentials":
            return self._unauthorized("The grant_type must be client_credentials.")
        good_id = hmac.compare_digest(form.get("client_id", "").encode(), self.config.client_id.encode())
        good_secret = hmac.compare_digest(form.get("client_secret", "").encode(), self.config.client_secret.encode())
        if not (good_id and good_secret):
            return self._unauthorized("Invalid client credentials.")
        token = self.state.tokens.issue(self.config.client_id)
        return Answer.json(200, {"token_type": "Bearer", "expires_in": self.config.token_ttl, "access_token": token,
                                 "refresh_token": None}, {"Cache-Control": "no-store", "Pragma": "no-cache"},
                           "application/json; charset=utf-8")

    @staticmethod
    def _unauthorized(description):
        return Answer.json(401, {"error": "unauthorized", "error_description": description},
                           content_type="application/json; charset=utf-8")

    # -- simulated operations

    def context(self, request, fragment):
        return "%s%s/$metadata#%s" % (self.config.origin(request), API_PREFIX, fragment)

    def get_licence(self, request):
        options = QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query), xapi_model.LICENSE_STATUS,
                                     xapi_odata.ENTITY_OPTIONS)
        with self.state.lock:
            licence = dict(self.state.licence)
        document = {"@odata.context": self.context(request, "LicenseStatus")}
        document.update(xapi_odata.shape(licence, options))
        return Answer.json(200, document)

    def edit_licence(self, request):
        body = request.json()
        changes = licence_changes(body)
        with self.state.lock:
            self.state.licence.update(changes)
        return Answer.empty(204)

    def list_devices(self, request):
        return self.collection(request, self.state.devices, xapi_model.SIP_DEVICE, "SipDevices")

    def failover_scripts(self, request):
        return self.collection(request, self.state.scripts, xapi_model.FAILOVER_SCRIPT_FILE,
                               "Collection(Pbx.FailoverScriptFile)")

    def countries(self, request):
        """The countries the PBX knows: the licence's country must be one of them."""
        items = [{"CountryCode": code, "Name": name} for code, name in sorted(xapi_seed.COUNTRIES.items())]
        return self.collection(request, items, xapi_model.COUNTRY, "Countries")

    def collection(self, request, items, entity_type, context):
        options = QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query), entity_type,
                                     xapi_odata.COLLECTION_OPTIONS)
        page, count = xapi_odata.apply_collection(list(items), options)
        document = {"@odata.context": self.context(request, context)}
        if options.count:
            document["@odata.count"] = count
        document["value"] = [xapi_odata.shape(item, options) for item in page]
        return Answer.json(200, document)

    def phone_registrar(self, request, mac):
        try:
            wanted = xapi_odata.parse_string_literal(mac)
        except ValueError as error:
            raise ODataError("Bad function parameter mac=%s: %s." % (mac, error), status=404, message=NOT_FOUND,
                             target="mac")
        device = self.state.by_mac.get(wanted.lower())
        if device is None:
            raise ODataError("No phone with MAC address '%s' is known to this PBX." % wanted, status=404,
                             message=NOT_FOUND, target="mac")
        options = QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query), xapi_model.PHONE_REGISTRAR,
                                     xapi_odata.ENTITY_OPTIONS)
        document = {"@odata.context": self.context(request, "Pbx.PhoneRegistrar")}
        document.update(xapi_odata.shape(device["Registrar"], options))
        return Answer.json(200, document)

    # -- the store: every entity set of the facts, OfficeHours, backups and updates

    def stored(self, request, path):
        """The store's answer, or None when the store does not model the path (the spec's generator may)."""
        special = STORE_ACTIONS.get(path)
        if special is not None:
            return self._dispatch(request, path, {method: getattr(self, name) for method, name in special.items()})
        if path[1:] in self.state.store.singletons:
            return self._dispatch(request, path, {"GET": self.get_singleton, "PATCH": self.update_singleton}, path[1:])
        settings = SETTINGS_FUNCTION_PATH.match(path)
        if settings and settings.group("name") in self.state.store.function_settings:
            return self._dispatch(request, path, {"GET": self.get_function_settings}, settings.group("name"))
        found = ENTITY_PATH.match(path) or BAD_KEY_PATH.match(path)
        if found is None or found.group("set") not in self.state.store.sets:
            return None
        entity_set = self.state.store.sets[found.group("set")]
        key_text = found.group("key")
        if key_text is None:
            methods = {"GET": self.list_entities if "list" in entity_set.operations else None,
                       "POST": self.create_entity if "create" in entity_set.operations else None}
            return self._dispatch(request, path, methods, entity_set)
        methods = {"GET": self.get_entity if set(entity_set.operations) & {"get", "get_by_number"} else None,
                   "PATCH": self.update_entity if "update" in entity_set.operations else None,
                   "DELETE": self.delete_entity if "delete" in entity_set.operations else None}
        return self._dispatch(request, path, methods, entity_set, key_text)

    def _dispatch(self, request, path, methods, *args):
        handler = handler_for(request, path, {method: handler for method, handler in methods.items() if handler})
        with self.state.lock:
            self.state.store.sets["Backups"].settle(time.time())
            return handler(request, *args)

    def entity_document(self, request, entity_set, row, options):
        document = {"@odata.context": self.context(request, "%s/$entity" % entity_set.name)}
        document.update(xapi_store.drop_nulls(xapi_odata.shape(entity_set.view(row), options)))
        return document

    def list_entities(self, request, entity_set):
        options = QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query), entity_set.entity_type,
                                     xapi_odata.COLLECTION_OPTIONS)
        page, count = xapi_odata.apply_collection([entity_set.view(row) for row in entity_set.all()], options)
        document = {"@odata.context": self.context(request, entity_set.name)}
        if options.count:
            document["@odata.count"] = count
        document["value"] = [xapi_store.drop_nulls(xapi_odata.shape(item, options)) for item in page]
        return Answer.json(200, document)

    def get_entity(self, request, entity_set, key_text):
        options = QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query), entity_set.entity_type,
                                     xapi_odata.ENTITY_OPTIONS)
        row = self.find_row(entity_set, key_text)
        return Answer.json(200, self.entity_document(request, entity_set, row, options))

    def create_entity(self, request, entity_set):
        row = entity_set.create(request.json())
        return Answer.json(201, self.entity_document(request, entity_set, row, QueryOptions(entity_set.entity_type)))

    def update_entity(self, request, entity_set, key_text):
        row = self.find_row(entity_set, key_text)
        entity_set.update(row[entity_set.key], request.json())
        return Answer.empty(204)

    def delete_entity(self, request, entity_set, key_text):
        row = self.find_row(entity_set, key_text)
        entity_set.delete(row[entity_set.key])
        return Answer.empty(204)

    @staticmethod
    def find_row(entity_set, key_text):
        """The row a key segment names: `5`, `'a''b'`, `Id=5` or an alternate key such as `Number='100'`."""
        name, equals, literal = key_text.partition("=")
        if not equals or name.startswith("'"):
            name, literal = entity_set.key, key_text
        name = name.strip()
        if name != entity_set.key and name not in entity_set.alternate_keys:
            raise ODataError("'%s' is not a key of %s." % (name, entity_set.name), status=404, message=NOT_FOUND,
                             target=name)
        kind = entity_set.key_type if name == entity_set.key else "string"
        try:
            value = parse_key_literal(literal.strip(), kind)
        except ValueError as error:
            raise ODataError("Bad key %s=%s: %s." % (name, literal, error), status=404, message=NOT_FOUND, target=name)
        if name == entity_set.key:
            return entity_set.find(value)
        return entity_set.find_by(name, value)

    def get_singleton(self, request, name):
        entity_type = xapi_model.type_from_facts(self.state.store.singleton_type(name))
        options = QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query), entity_type, xapi_odata.ENTITY_OPTIONS)
        document = {"@odata.context": self.context(request, name)}
        document.update(xapi_store.drop_nulls(xapi_odata.shape(self.state.store.singleton(name), options)))
        return Answer.json(200, document)

    def update_singleton(self, request, name):
        self.state.store.update_singleton(name, request.json())
        return Answer.empty(204)

    def get_function_settings(self, request, name):
        """GetBackupSettings() and the like: the settings as stored; the function takes no query option."""
        type_name = self.state.store.function_settings_type(name)
        QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query), xapi_model.EntityType(type_name, []), set())
        document = {"@odata.context": self.context(request, type_name)}
        document.update(xapi_store.drop_nulls(self.state.store.function_settings[name]))
        return Answer.json(200, document)

    def request_backup(self, request):
        self.state.store.sets["Backups"].request_backup(request.json(), time.time(), self.state.settings["backup_delay"])
        return Answer.empty(204)

    def download_backup(self, request, file):
        """A backup's DownloadLink: the file, with the bearer token like every XAPI call; 404 when not listed."""
        try:
            file_name = xapi_odata.parse_string_literal(file)
        except ValueError as error:
            raise ODataError("Bad file name %s: %s." % (file, error), status=404, message=NOT_FOUND, target="file")
        backups = self.state.store.sets["Backups"]
        with self.state.lock:
            backups.settle(time.time())
            size, chunks = backups.download(file_name)
        return Answer.stream(200, size, chunks, "application/zip")

    # -- status and services (computed from the seed, the store and the phones; chosen where README is silent)

    def get_system_status(self, request):
        QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query), xapi_model.EntityType("Pbx.SystemStatus", []),
                           set())
        document = {"@odata.context": self.context(request, "SystemStatus")}
        document.update(system_status(self.state))
        return Answer.json(200, document)

    def system_health(self, request):
        QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query),
                           xapi_model.EntityType("Pbx.SystemHealthStatus", []), set())
        document = {"@odata.context": self.context(request, "Pbx.SystemHealthStatus")}
        document.update(system_health(self.state))
        return Answer.json(200, document)

    def list_services(self, request):
        options = QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query), SERVICE_TYPE,
                                     xapi_odata.COLLECTION_OPTIONS)
        page, count = xapi_odata.apply_collection(self.state.store.services.listing(), options)
        document = {"@odata.context": self.context(request, "Services")}
        if options.count:
            document["@odata.count"] = count
        document["value"] = [xapi_odata.shape(item, options) for item in page]
        return Answer.json(200, document)

    def service_action(self, request):
        self.state.store.services.act(request.path.rsplit(".", 1)[1], request.json())
        return Answer.empty(204)

    def get_updates(self, request):
        QueryOptions.parse(xapi_odata.parse_query_string(request.raw_query), xapi_model.EntityType("Pbx.UpdateList", []),
                           set())
        document = {"@odata.context": self.context(request, "Pbx.UpdateList")}
        document.update(self.state.store.updates.listing())
        return Answer.json(200, document)

    def install_updates(self, request):
        if self.state.store.updates.install(request.json()):
            self.state.restart(self.state.settings["update_restart"])
        return Answer.empty(204)

    # -- every other operation: generated from the spec

    def generic(self, request, path):
        if self.config.spec is None:
            raise ODataError("'%s %s' is not simulated; start the simulator with --spec for generated answers."
                             % (request.method, path), status=501, message="WARNINGS.XAPI.NOT_SIMULATED")
        import xapi_spec  # with PyYAML: only when the spec is in use
        index = self.spec.wait()
        match = index.match(request.method, path)
        check_request_body(request, match.operation)
        status, schema = index.success_response(match.operation)
        if schema is None:
            return Answer.empty(status)
        rng = random.Random("%d:%s %s" % (self.config.seed, request.method, path))
        generator = xapi_spec.Generator(index.resolver, rng)
        items = index.collection_items(schema)
        query = xapi_odata.parse_query_string(request.raw_query)
        if items is not None:
            return self.generated_collection(request, index, generator, items, query, status)
        return self.generated_single(request, index, generator, schema, query, status)

    def generated_collection(self, request, index, generator, item_schema, query, status):
        values = [generator.value(item_schema, depth=1) for _index in range(3)]
        if values and isinstance(values[0], dict):
            entity_type = index.entity_type(item_schema)
            options = QueryOptions.parse(query, entity_type, xapi_odata.COLLECTION_OPTIONS)
            page, count = xapi_odata.apply_collection(values, options)
            page = [xapi_odata.shape(item, options) for item in page]
            type_name = entity_type.name
        else:
            type_name = edm_name(index.resolver.unwrap(item_schema)[1])
            options = QueryOptions.parse(query, xapi_model.EntityType(type_name, []), {"$top", "$skip", "$count"})
            page, count = xapi_odata.apply_collection(values, options)
        document = {"@odata.context": self.context(request, "Collection(%s)" % type_name)}
        if options.count:
            document["@odata.count"] = count
        document["value"] = page
        return Answer.json(status, document)

    def generated_single(self, request, index, generator, schema, query, status):
        name, resolved = index.resolver.unwrap(schema)
        value = generator.value(schema)
        properties = index.resolver.object_properties(resolved)
        if not isinstance(value, dict):
            # A bare enum answer, as the spec declares it (see README: spec quirks).
            return Answer.json(status, value)
        if set(properties) == {"value"}:
            QueryOptions.parse(query, xapi_model.EntityType("Primitive", []), set())
            primitive = edm_name(index.resolver.unwrap(properties["value"])[1])
            return Answer.json(status, dict({"@odata.context": self.context(request, primitive)}, **value))
        options = QueryOptions.parse(query, index.entity_type(schema), xapi_odata.ENTITY_OPTIONS)
        document = {"@odata.context": self.context(request, name or "Edm.ComplexType")}
        document.update(xapi_odata.shape(value, options))
        return Answer.json(status, document)


# /Users, /Users(5), /Users(Number='1''0)'): a quoted key may hold any character, a ')' included.
ENTITY_PATH = re.compile(r"/(?P<set>\w+)(?:\((?P<key>(?:[^')]|'(?:[^']|'')*')*)\))?\Z", re.S)
# A key segment badly quoted (`Backups('O'Brien.zip')`) is still the set's: its key answers 404.
BAD_KEY_PATH = re.compile(r"/(?P<set>\w+)\((?P<key>[^/]*)\)\Z", re.S)
# /Backups/Pbx.GetBackupSettings(), /GetUpdateSettings(): where the settings of SETTINGS_FUNCTIONS are read.
SETTINGS_FUNCTION_PATH = re.compile(r"(?:/\w+)?/(?:Pbx\.)?Get(?P<name>\w+)\(\)\Z")
# Paths the store answers that are not entity sets: method -> Xapi method name.
STORE_ACTIONS = {
    "/Backups/Pbx.Backup": {"POST": "request_backup"},
    "/GetUpdates()": {"GET": "get_updates"},
    "/InstallUpdates": {"POST": "install_updates"},
    "/SystemStatus": {"GET": "get_system_status"},
    "/SystemStatus/Pbx.SystemHealthStatus()": {"GET": "system_health"},
    "/Services": {"GET": "list_services"},
}
STORE_ACTIONS.update({"/Services/Pbx." + action: {"POST": "service_action"} for action in xapi_store.SERVICE_ACTIONS})
SERVICE_TYPE = xapi_model.EntityType("Pbx.ServiceInfo", [
    xapi_model.Prop(name) for name in ("Name", "DisplayName", "Status")] + [
    xapi_model.Prop(name, type_="bool") for name in ("StartStopEnabled", "RestartEnabled")] + [
    xapi_model.Prop(name, type_="int") for name in ("MemoryUsed", "ThreadCount", "HandleCount", "TotalProcessorTime")])
GIB = 1024 ** 3


def system_status(state):
    """Pbx.SystemStatus: the licence, the PBX's version (its own update entry), counts from the store and the phones."""
    store, licence, seed = state.store, state.licence, state.config.seed
    registered = {device["DN"]["Number"] for device in state.devices
                  if device.get("DN") and (device["Registrar"].get("IpAddress") or device["Registrar"].get("UserAgent"))}
    users = store.sets["Users"].all()
    trunks = store.sets["Trunks"].all()
    backups = sorted((row["CreationTime"] for row in store.sets["Backups"].all()), reverse=True)
    pbx = next((entry for entry in store.updates.entries if entry.get("Category") == "3CX"), {})
    total = 100 * GIB
    used = total * (35 + (seed * 13) % 50) // 100
    status = {
        "Id": 1, "FQDN": "pbx%d.example.com" % seed, "Version": pbx.get("LocalVersion"), "OS": "Linux",
        "Activated": True, "LicenseActive": licence.get("LicenseActive", True), "LicenseKey": licence.get("LicenseKey"),
        "ProductCode": licence.get("ProductCode"), "ExpirationDate": licence.get("ExpirationDate"),
        "MaintenanceExpiresAt": licence.get("MaintenanceExpiresAt"), "MaxSimCalls": licence.get("MaxSimCalls"),
        "CallsActive": 0, "ExtensionsTotal": len(users),
        "ExtensionsRegistered": sum(1 for user in users if user.get("Number") in registered),
        "TrunksTotal": len(trunks), "TrunksRegistered": len(trunks),
        "TotalDiskSpace": total, "FreeDiskSpace": total - used, "DiskUsage": round(100 * used / total),
        "HasNotRunningServices": bool(store.services.not_running()), "BackupScheduled": True,
        "LastBackupDateTime": backups[0] if backups else None, "AutoUpdateEnabled": False,
    }
    return {name: value for name, value in status.items() if value is not None}


def system_health(state):
    unregistered = [device for device in state.devices if not device["Registrar"].get("IpAddress")]
    return {"Id": 1, "Firewall": True, "Phones": not unregistered, "Trunks": True, "CustomTemplatesCount": 0,
            "UnsupportedFirmwaresCount": 0}


def handler_for(request, path, methods):
    """The handler of the request's method, or a 405 naming the allowed ones."""
    handler = methods.get(request.method)
    if handler is None:
        error = ODataError("%s is not allowed on '%s'." % (request.method, path), status=405,
                           message="WARNINGS.XAPI.METHOD_NOT_ALLOWED")
        error.allowed = sorted(methods)
        raise error
    return handler


def parse_key_literal(text, kind):
    """A key literal of the facts' key type: integers bare, strings quoted with quotes doubled."""
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", text):
            raise ValueError("an integer is required")
        return int(text)
    return xapi_odata.parse_string_literal(text)


def edm_name(schema):
    """The Edm type name of a primitive schema, for @odata.context."""
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "integer":
        return "Edm.Int64" if fmt == "int64" else "Edm.Int32"
    return {"boolean": "Edm.Boolean", "number": "Edm.Double"}.get(kind, "Edm.DateTimeOffset" if fmt == "date-time" else "Edm.String")


def check_request_body(request, operation):
    """A declared JSON body must be there and be JSON; its schema is not checked for generated answers."""
    declared = operation.get("requestBody")
    if not declared:
        return
    if not request.body:
        if declared.get("required"):
            raise ODataError("The request body is missing.", message=INVALID_BODY)
        return
    request.json()


LICENCE_FIELDS = {"CompanyName": "CompanyName", "ContactName": "ContactName", "Email": "EMail", "Phone": "Telephone"}


def licence_changes(body):
    """Pbx.XLicenseParams to LicenseStatus fields; the action replaces the whole contact block (see README)."""
    if not isinstance(body, dict):
        raise ODataError("The body must be a JSON object with licenseParams.", message=INVALID_BODY)
    extra = sorted(set(body) - {"licenseParams"})
    if extra:
        raise ODataError("The property '%s' does not exist on the action's parameters." % extra[0], message=INVALID_BODY,
                         target=extra[0])
    params = body.get("licenseParams")
    if not isinstance(params, dict):
        raise ODataError("licenseParams must be an object.", message=INVALID_BODY, target="licenseParams")
    for name, value in params.items():
        if name not in LICENCE_FIELDS and name != "Country":
            raise ODataError("The property '%s' does not exist on type 'Pbx.XLicenseParams'." % name,
                             message=INVALID_BODY, target=name)
        if value is not None and not isinstance(value, str):
            raise ODataError("The property '%s' must be a string." % name, message=INVALID_BODY, target=name)
    changes = {field: params.get(name) for name, field in LICENCE_FIELDS.items()}
    changes.update(country_fields(params.get("Country")))
    return changes


def country_fields(country):
    if not country:
        return {"CountryCode": country, "CountryName": country}
    code = country.upper()
    if code not in xapi_seed.COUNTRIES:
        raise ODataError("Unknown country code '%s'." % country, message=INVALID_BODY, target="Country")
    return {"CountryCode": code, "CountryName": xapi_seed.COUNTRIES[code]}


# ---------------------------------------------------------------- the control API (/_sim/)


class Control:
    """Test hooks; no auth, not logged, not delayed, not faulted."""

    def __init__(self, xapi):
        self.xapi = xapi
        self.state = xapi.state

    def handle(self, request):
        name = request.path[len(CONTROL_PREFIX):]
        if name == "store" or name.startswith("store/"):
            return self.store(request, name[len("store/"):] if "/" in name else None)
        handler = getattr(self, "%s_%s" % (request.method.lower(), name.replace("-", "_")), None)
        if handler is None or not name.replace("-", "").isalpha():
            return Answer.json(404, {"error": "unknown control endpoint %s %s" % (request.method, request.path)},
                               content_type="application/json")
        return handler(request)

    def get_log(self, request):
        with self.state.lock:
            entries = list(self.state.log)
        return Answer.json(200, entries, content_type="application/json")

    def delete_log(self, request):
        with self.state.lock:
            self.state.log.clear()
        return Answer.empty(204)

    def get_faults(self, request):
        with self.state.lock:
            queued = [fault.describe() for fault in self.state.faults]
        return Answer.json(200, queued, content_type="application/json")

    def post_faults(self, request):
        try:
            rules = json.loads(request.body.decode("utf-8") or "null")
            rules = [rules] if isinstance(rules, dict) else rules
            if not isinstance(rules, list):
                raise ValueError("send a JSON list of fault rules")
            faults = [Fault.from_rule(rule) for rule in rules]
        except (UnicodeDecodeError, ValueError) as error:
            return Answer.json(400, {"error": str(error)}, content_type="application/json")
        with self.state.lock:
            self.state.faults.extend(faults)
        return self.get_faults(request)

    def delete_faults(self, request):
        with self.state.lock:
            self.state.faults = []
        return Answer.empty(204)

    def get_tokens(self, request):
        with self.state.tokens.lock:
            issued = list(self.state.tokens.issued)
        return Answer.json(200, issued, content_type="application/json")

    def post_expire_tokens(self, request):
        self.state.tokens.expire_all()
        return Answer.empty(204)

    def store(self, request, set_name):
        """GET /_sim/store[/<Set>]: what the PBX holds; POST /_sim/store/<Set>: create rows, as a client would."""
        with self.state.lock:
            store = self.state.store
            store.sets["Backups"].settle(time.time())
            if set_name is not None and set_name not in store.sets and set_name not in store.singletons \
                    and set_name not in store.function_settings and set_name not in ("Updates", "Services"):
                return Answer.json(404, {"error": "no entity set %s" % set_name}, content_type="application/json")
            if request.method == "GET":
                return Answer.json(200, self._stored(store, set_name), content_type="application/json")
            if request.method != "POST" or set_name not in store.sets:
                return Answer.json(405, {"error": "GET /_sim/store[/<Set>], or POST /_sim/store/<Set>"},
                                   content_type="application/json")
            try:
                bodies = json.loads(request.body.decode("utf-8") or "null")
                bodies = [bodies] if isinstance(bodies, dict) else bodies
                if not isinstance(bodies, list):
                    raise ValueError("send a JSON object or a list of them")
                entity_set = store.sets[set_name]
                rows = [entity_set.create(body) for body in bodies]
            except (UnicodeDecodeError, ValueError) as error:
                return Answer.json(400, {"error": str(error)}, content_type="application/json")
            except ODataError as error:
                return Answer.json(400, {"error": error.detail, "target": error.target}, content_type="application/json")
            views = [xapi_store.drop_nulls(entity_set.view(row)) for row in rows]
        return Answer.json(200, views, content_type="application/json")

    @staticmethod
    def _stored(store, set_name):
        if set_name in store.singletons:
            return xapi_store.drop_nulls(store.singletons[set_name])
        if set_name in store.function_settings:
            return xapi_store.drop_nulls(store.function_settings[set_name])
        if set_name == "Updates":
            return store.updates.listing()
        if set_name == "Services":
            return store.services.stored()
        if set_name is not None:
            entity_set = store.sets[set_name]
            return [xapi_store.drop_nulls(entity_set.view(row)) for row in entity_set.all()]
        everything = {name: [xapi_store.drop_nulls(entity_set.view(row)) for row in entity_set.all()]
                      for name, entity_set in store.sets.items() if entity_set.rows}
        everything.update({name: xapi_store.drop_nulls(value) for name, value in store.singletons.items() if value})
        everything.update({name: xapi_store.drop_nulls(value) for name, value in store.function_settings.items()})
        everything["Updates"] = store.updates.listing()
        return everything

    def post_restart(self, request):
        """The PBX answers 503 for {"seconds": N}, as while it restarts."""
        try:
            seconds = json.loads(request.body.decode("utf-8") or "{}").get("seconds")
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
                raise ValueError("send {\"seconds\": N}, N not negative")
        except (UnicodeDecodeError, ValueError, AttributeError) as error:
            return Answer.json(400, {"error": str(error)}, content_type="application/json")
        self.state.restart(seconds)
        return Answer.empty(204)

    def get_settings(self, request):
        with self.state.lock:
            return Answer.json(200, dict(self.state.settings), content_type="application/json")

    def post_settings(self, request):
        """{"backup_delay": s, "update_restart": s}: until the next reset, which restores the command line's."""
        try:
            changes = json.loads(request.body.decode("utf-8") or "{}")
            if not isinstance(changes, dict):
                raise ValueError("send a JSON object")
            for name, value in changes.items():
                if name not in self.state.settings:
                    raise ValueError("unknown setting %r; known: %s" % (name, ", ".join(sorted(self.state.settings))))
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    raise ValueError("setting %r must be a number of seconds" % name)
        except (UnicodeDecodeError, ValueError) as error:
            return Answer.json(400, {"error": str(error)}, content_type="application/json")
        with self.state.lock:
            self.state.settings.update(changes)
        return self.get_settings(request)

    def post_reset(self, request):
        self.state.reset()
        return Answer.empty(204)

    def get_stats(self, request):
        with self.state.lock:
            return Answer.json(200, dict(self.state.stats), content_type="application/json")

    def get_health(self, request):
        spec = self.xapi.spec
        status = "absent" if spec.path is None else ("loaded" if spec.index else ("failed" if spec.error else "loading"))
        return Answer.json(200, {"status": "ok", "spec": status, "spec_error": spec.error}, content_type="application/json")


# ---------------------------------------------------------------- HTTP


def wants_gzip(accept_encoding):
    for item in (accept_encoding or "").split(","):
        coding, _sep, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            quality = params.strip()
            return not (quality.startswith("q=") and quality[2:].strip() in ("0", "0.0", "0.00", "0.000"))
    return False


class Handler(BaseHTTPRequestHandler):
    """Reads a request, hands it to the app, writes the answer with a correct Content-Length."""

    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 120  # idle keep-alive connections end after this
    # TCP_NODELAY, as nginx in front of a PBX sets it: the status line and headers go out in one
    # write and the body in another, and without it Nagle holds a small body back until the client's
    # delayed ACK (40 ms on Linux), on every request of a keep-alive connection.
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Silent: an access log could leak what tests must never see."""

    def dispatch(self):
        try:
            body = self.read_body()
        except ValueError as error:
            self.write(Answer.json(400, xapi_odata.error_body(INVALID_BODY, str(error))))
            self.close_connection = True
            return
        request = Request(self.command, self.path, self.headers, body)
        try:
            if request.path.startswith(CONTROL_PREFIX):
                answer = self.server.control.handle(request)
            elif request.path == TOKEN_PATH or request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/"):
                answer = self.server.xapi.serve(request)
            else:
                answer = Answer.error(ODataError("No resource at '%s'." % request.path, status=404, message=NOT_FOUND))
        except Exception:  # a bug in the simulator must answer 500, not kill the connection silently
            traceback.print_exc(file=sys.stderr)
            answer = Answer.json(500, xapi_odata.error_body("WARNINGS.XAPI.INTERNAL_ERROR", "Simulator error."))
        if answer is DROP:
            self.drop()
        else:
            self.write(answer)

    def read_body(self):
        length = self.headers.get("Content-Length")
        if length is not None:
            if not length.strip().isdigit() or int(length) > MAX_BODY:
                raise ValueError("Bad Content-Length.")
            return self.rfile.read(int(length))
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self.read_chunks()
        return b""

    def read_chunks(self):
        chunks, total = [], 0
        while True:
            size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                raise ValueError("Body too large.")
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def write(self, answer):
        if getattr(answer, "chunks", None) is not None:
            return self.write_stream(answer)
        body = answer.body
        headers = dict(answer.headers)
        if len(body) > GZIP_MINIMUM and wants_gzip(self.headers.get("Accept-Encoding")):
            body = gzip.compress(body, 5)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        if headers.get("Content-Type", "").startswith("application/json; odata"):
            headers["OData-Version"] = "4.0"
        try:
            self.send_response(answer.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and answer.status not in (204, 304):
                self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, socket.timeout, ssl.SSLError):
            self.close_connection = True

    def write_stream(self, answer):
        try:
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(answer.length))
            self.end_headers()
            if self.command != "HEAD":
                for chunk in answer.chunks:
                    self.wfile.write(chunk)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, socket.timeout, ssl.SSLError):
            self.close_connection = True

    def drop(self):
        """Close the connection without a byte of answer, as a crashed proxy does."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    """Threads per connection; TLS handshakes happen in those threads, so one slow client blocks no one."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, xapi, tls_context=None):
        super().__init__(address, Handler)
        self.xapi = xapi
        self.control = Control(xapi)
        self.tls_context = tls_context

    def finish_request(self, request, client_address):
        if self.tls_context is not None:
            try:
                request.settimeout(30)
                request = self.tls_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        """Clients that vanish mid-answer are normal here (timeouts, drops); anything else goes to stderr."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, socket.timeout, ssl.SSLError)):
            super().handle_error(request, client_address)


# ---------------------------------------------------------------- command line


class Config:
    """The command line, as the app reads it."""

    def __init__(self, args):
        self.client_id = args.client_id
        self.client_secret = args.client_secret
        self.devices = args.devices
        self.seed = args.seed
        self.spec = args.spec
        self.latency = args.latency
        self.token_ttl = args.token_ttl
        self.backup_delay = args.backup_delay
        self.update_restart = args.update_restart
        self.scheme = "https" if args.tls_cert else "http"

    def origin(self, request):
        return "%s://%s" % (self.scheme, request.headers.get("Host") or "127.0.0.1")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="A 3CX v20 XAPI simulator for tests and demos.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--devices", type=int, default=50, help="number of SIP phones (default 50)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data set (default 0)")
    parser.add_argument("--spec", help="the official swagger.yaml: generated answers for every other operation")
    parser.add_argument("--latency", type=float, default=0, help="milliseconds added to every answer")
    parser.add_argument("--token-ttl", type=int, default=3600, help="token lifetime in seconds (default 3600)")
    parser.add_argument("--backup-delay", type=float, default=1.0,
                        help="seconds before a requested backup shows in GET /Backups (default 1)")
    parser.add_argument("--update-restart", type=float, default=3.0,
                        help="seconds the PBX answers 503 after installing its own update (default 3)")
    parser.add_argument("--tls-cert", help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--exit-with-parent", action="store_true", help="stop when the parent process dies")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if args.backup_delay < 0 or args.update_restart < 0:
        parser.error("--backup-delay and --update-restart must not be negative")
    if args.devices < 0 or args.latency < 0 or args.token_ttl < 1:
        parser.error("--devices and --latency must not be negative, --token-ttl must be positive")
    if args.spec and not os.path.isfile(args.spec):
        parser.error("--spec %s: no such file" % args.spec)
    return args


def tls_context(args):
    if not args.tls_cert:
        return None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.tls_cert, args.tls_key)
    return context


def warm_up(xapi):
    """Import odata-query, seed the store and load the spec off the main thread, after the port is open."""
    try:
        xapi_odata.grammar()
    except ImportError as error:
        print("xapi simulator: odata-query is missing (%s); $filter answers 500" % error, file=sys.stderr, flush=True)
    xapi.state.seed_store()
    if xapi.spec.path:
        xapi.spec.load()
        if xapi.spec.error:
            print("xapi simulator: could not load the spec: %s" % xapi.spec.error, file=sys.stderr, flush=True)


def watch_parent(stop, parent):
    """Stop once `parent` is no longer the parent: it died, and the simulator was handed to another."""
    while not stop.wait(1.0):
        if os.getppid() != parent:
            stop.set()


def announce(server, config):
    host, port = server.server_address[:2]
    base_url = "%s://%s:%d" % (config.scheme, host, port)
    lines = [
        "XAPI simulator listening on %s" % base_url,
        "export THREECX_BASE_URL=%s" % shlex.quote(base_url),
        "export THREECX_CLIENT_ID=%s" % shlex.quote(config.client_id),
        "export THREECX_CLIENT_SECRET=%s" % shlex.quote(config.client_secret),
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


def main(argv=None):
    args = parse_args(argv)
    config = Config(args)
    xapi = Xapi(config)
    server = Server((args.host, args.port), xapi, tls_context(args))
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stop.set())
    # Read before the announcement: a parent that reads it and dies at once must still be seen to go.
    parent = os.getppid()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="serve", daemon=True).start()
    announce(server, config)
    threading.Thread(target=warm_up, args=(xapi,), name="warm-up", daemon=True).start()
    if args.exit_with_parent:
        threading.Thread(target=watch_parent, args=(stop, parent), name="parent-watch", daemon=True).start()
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
