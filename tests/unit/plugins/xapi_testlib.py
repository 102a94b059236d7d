# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for the client tests: hand-made JWTs, a token endpoint on pytest-httpserver, request logs."""

from __future__ import annotations

import base64
import datetime
import json
import time

from pytest_httpserver import HTTPServer
from werkzeug.wrappers import Response as WerkzeugResponse

CLIENT_ID = "unit-client"
CLIENT_SECRET = "unit-secret-Zq8xW2pL"
TOKEN_PATH = "/connect/token"
API = "/xapi/v1"


class QuickStoppingServer(HTTPServer):
    """pytest-httpserver's server, looking for its stop every 0.05 s instead of every 0.5 s.

    Stopping waits for the serving loop's next look. Each test session stops its servers once, but
    `make mutation` runs a session per mutant, where the half second was a third of a typical session.
    """

    def thread_target(self):
        self.server.serve_forever(poll_interval=0.05)


def b64url(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode("utf-8")).rstrip(b"=").decode("ascii")


def make_jwt(**claims):
    """An unsigned JWT, as a PBX would send it: base64url(header).base64url(payload).signature."""
    return "%s.%s.%s" % (b64url({"alg": "RS256", "typ": "JWT"}), b64url(claims), "c2lnbmF0dXJl")


def in_an_hour():
    return int(time.time()) + 3600


def requests_to(server, path, method=None):
    """The requests the server received for `path` (and `method`), in order."""
    return [request for request, _response in server.log
            if request.path == path and (method is None or request.method == method)]


def json_response(body, status=200, headers=None):
    return WerkzeugResponse(json.dumps(body), status=status, headers=headers, content_type="application/json")


def answers(*responses):
    """A handler that gives `responses` one after the other, and the last one from then on."""
    queue = list(responses)

    def handler(_request):
        return queue.pop(0) if len(queue) > 1 else queue[0]
    return handler


class TokenServer:
    """The PBX's /connect/token: hands out `token-1`, `token-2`, ... or the tokens in `tokens`."""

    def __init__(self, httpserver):
        self.httpserver = httpserver
        self.issued = []
        self.tokens = []
        self.expires_in = 3600
        httpserver.expect_request(TOKEN_PATH, method="POST").respond_with_handler(self._handle)

    def _handle(self, _request):
        token = self.tokens.pop(0) if self.tokens else "token-%d" % (len(self.issued) + 1)
        self.issued.append(token)
        return json_response({"token_type": "Bearer", "expires_in": self.expires_in, "access_token": token})

    @property
    def requests(self):
        return requests_to(self.httpserver, TOKEN_PATH, "POST")


class LateEveningClock(datetime.datetime):
    """23:30 UTC on 1 December 2026, when it is already 2 December where the PBX's host may be."""

    @classmethod
    def now(cls, tz=None):
        utc = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.timezone.utc)
        return utc.astimezone(tz) if tz else datetime.datetime(2026, 12, 2, 12, 30)
