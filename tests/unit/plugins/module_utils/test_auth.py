# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tokens with the shared cache, alone: which token a run uses, and what it says when the cache fails it."""

from __future__ import annotations

import errno
from types import SimpleNamespace

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils import _auth
from ansible_collections.threecx.xapi.plugins.module_utils._auth import Tokens
from ansible_collections.threecx.xapi.plugins.module_utils._token_cache import TokenCache, cache_key

BASE_URL = "https://pbx.example.com"
NOW = 1000000.0


class TokenEndpoint:
    """Stands in for the client's token request: hands out fresh-1, fresh-2, ... valid for an hour."""

    def __init__(self):
        self.forms = []

    def __call__(self, form):
        self.forms.append(form)
        return {"access_token": "fresh-%d" % len(self.forms), "expires_in": 3600}


@pytest.fixture
def endpoint():
    return TokenEndpoint()


@pytest.fixture
def cache_dir(tmp_path):
    return str(tmp_path / "tokens")


@pytest.fixture
def clock(monkeypatch):
    """_auth's time stands still at NOW."""
    monkeypatch.setattr(_auth, "time", SimpleNamespace(time=lambda: NOW, sleep=lambda _seconds: None))


def tokens(endpoint, cache_dir):
    return Tokens(BASE_URL, endpoint, client_id="id", client_secret="secret", token_cache_dir=cache_dir)


def cached(cache_dir, token, expires_at):
    """Store `token` in the cache as another run of the same client would."""
    cache = TokenCache(cache_dir, cache_key(BASE_URL, "id", "secret"))
    with cache.locked():
        cache.store(token, expires_at)


@pytest.mark.usefixtures("clock")
def test_a_renewal_does_not_take_an_expired_token_from_the_cache(endpoint, cache_dir):
    run = tokens(endpoint, cache_dir)
    assert run.current() == "fresh-1"
    cached(cache_dir, "another-runs-expired", NOW - 5)
    run.renew(rejected="fresh-1", pause=False)
    assert run.current() == "fresh-2" and len(endpoint.forms) == 2


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize("expires_at, used", [(NOW + 30, "fresh-1"), (NOW + 31, "cached")])
def test_a_cached_token_is_used_until_30_seconds_before_it_expires(endpoint, cache_dir, expires_at, used):
    cached(cache_dir, "cached", expires_at)
    assert tokens(endpoint, cache_dir).current() == used


@pytest.mark.parametrize("error, said", [
    (OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
    (OSError("the disk went away"), "the disk went away"),
])
def test_a_cache_that_cannot_be_written_is_a_warning(endpoint, cache_dir, monkeypatch, error, said):
    def full(*_args):
        raise error
    monkeypatch.setattr(TokenCache, "store", full)
    run = tokens(endpoint, cache_dir)
    assert run.current() == "fresh-1"
    assert run.warnings == ["The token cache at %s is not usable (%s); fetching tokens without it." % (cache_dir, said)]
