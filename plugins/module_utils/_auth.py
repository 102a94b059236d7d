# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Access tokens: which one to use, when it expires, when and how to renew it, and the shared cache.

No HTTP here: the client hands `Tokens` a function that asks the PBX's token endpoint for a token
(`request_token(form)` returning the parsed answer), so this file knows tokens and nothing of the wire.
Nothing built here holds the client secret, and no message holds a token.
"""

from __future__ import annotations

import base64
import contextlib
import json
import random
import time

from ansible_collections.threecx.xapi.plugins.module_utils._token_cache import TokenCache, cache_key, default_cache_dir

# Renew a token this many seconds before it expires, so it does not die in flight.
TOKEN_EXPIRY_MARGIN = 30
# Random pause before each token renewal after the first: spreads out forks that share a client.
RENEWAL_PAUSE = (0.2, 1.5)


def token_expiry(token, expires_in, now=None):
    """When a token expires: its JWT `exp` claim when it has one, else now + `expires_in`.

    `expires_in` was counted in minutes before 3CX 20.0.9 and in seconds since; reading it as
    seconds can only make us renew early, never use a dead token.
    """
    now = time.time() if now is None else now
    claims = _jwt_claims(token)
    if isinstance(claims.get("exp"), (int, float)):
        return float(claims["exp"])
    try:
        return now + float(expires_in)
    except (TypeError, ValueError):
        return now + 60.0


def _jwt_claims(token):
    """The payload of a JWT, unverified (the PBX verifies it); {} when it is not a JWT."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        return {}
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


class Tokens:
    """The bearer token of one run: a given access_token, or client credentials with the shared cache.

    `request_token(form)` posts the form to the token endpoint and returns the parsed answer, which
    holds an `access_token` (the client checks that).
    `warnings` collects what the user should hear (an unusable cache), for the client to pass on.
    """

    def __init__(self, base_url, request_token, client_id=None, client_secret=None, access_token=None,
                 token_cache=True, token_cache_dir=None, warnings=None):
        self._request_token = request_token
        self._client_id = client_id
        self._client_secret = client_secret
        self._token = access_token
        self._expires_at = None if access_token else 0.0
        self.warnings = [] if warnings is None else warnings
        self._cache = self._open_cache(base_url, token_cache, token_cache_dir)

    def _open_cache(self, base_url, enabled, directory):
        if not (enabled and self.can_renew()):
            return None
        return TokenCache(directory or default_cache_dir(), cache_key(base_url, self._client_id, self._client_secret))

    def can_renew(self):
        return bool(self._client_id and self._client_secret)

    def current(self):
        """A token to use now: this run's, the cache's, or a new one."""
        if self._token and _valid(self._expires_at):
            return self._token
        if not self.can_renew():
            return self._token
        with self._cache_lock():
            cached = self._load_cached()
            if cached and _valid(cached[1]):
                self._token, self._expires_at = cached
            else:
                self._fetch()
        return self._token

    def renew(self, rejected, pause):
        """Replace a token the PBX rejected, unless another run has replaced it already.

        A PBX keeps one active token per API client, so forks sharing a client invalidate
        each other's tokens; a random pause before each renewal after the first spreads them out.
        The caller asks `current` for the token next, which replaces one that has expired.
        """
        if pause:
            time.sleep(random.uniform(*RENEWAL_PAUSE))
        with self._cache_lock():
            cached = self._load_cached()
            if cached and cached[0] != rejected:
                self._token, self._expires_at = cached
            else:
                self._fetch()

    def _fetch(self):
        data = self._request_token({"client_id": self._client_id, "client_secret": self._client_secret,
                                    "grant_type": "client_credentials"})
        token = data["access_token"]
        self._token = token
        self._expires_at = token_expiry(token, data.get("expires_in"))
        self._store_cached()

    def _cache_lock(self):
        """The cache's lock, already taken; nothing when there is no cache or it is not usable.

        The lock is taken here, not at `with`, so that a directory that cannot be created or
        written becomes a warning rather than an OSError.
        """
        stack = contextlib.ExitStack()
        if self._cache is not None:
            try:
                stack.enter_context(self._cache.locked())
            except OSError as exc:
                self._cache_failed(exc)
        return stack

    def _load_cached(self):
        return self._cache.load() if self._cache is not None else None

    def _store_cached(self):
        if self._cache is None:
            return
        try:
            self._cache.store(self._token, self._expires_at)
        except OSError as exc:
            self._cache_failed(exc)

    def _cache_failed(self, exc):
        self.warnings.append("The token cache at %s is not usable (%s); fetching tokens without it."
                             % (self._cache.directory, exc.strerror or exc))
        self._cache = None


def _valid(expires_at):
    return expires_at is None or expires_at - TOKEN_EXPIRY_MARGIN > time.time()
