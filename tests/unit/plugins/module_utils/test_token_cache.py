# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared token cache, alone and through XapiClient against a local HTTP server."""

from __future__ import annotations

import errno
import json
import os
import stat
import time

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._token_cache import TokenCache, cache_key, default_cache_dir
from xapi_testlib import API, CLIENT_ID, CLIENT_SECRET, json_response, requests_to

LICENCE = API + "/LicenseStatus"


@pytest.fixture
def cache_dir(tmp_path):
    return str(tmp_path / "cache" / "tokens")


@pytest.fixture
def no_umask():
    """Umask 0, so that the modes seen are the ones the cache sets, not ones the umask took away."""
    previous = os.umask(0)
    yield
    os.umask(previous)


@pytest.fixture
def cached_client(make_client, cache_dir):
    def factory(**options):
        return make_client(token_cache=True, token_cache_dir=cache_dir, **options)
    return factory


def bearers(httpserver):
    return [request.headers["Authorization"] for request in requests_to(httpserver, LICENCE)]


def key_for(base_url, secret=CLIENT_SECRET):
    return cache_key(base_url, CLIENT_ID, secret)


def test_a_second_client_with_the_same_credentials_reuses_the_cached_token(httpserver, token_server, cached_client):
    httpserver.expect_request(LICENCE).respond_with_json({})
    cached_client().get("LicenseStatus")
    cached_client().get("LicenseStatus")
    assert len(token_server.requests) == 1
    assert bearers(httpserver) == ["Bearer token-1", "Bearer token-1"]


@pytest.mark.usefixtures("no_umask")
def test_the_cache_file_is_0600_in_a_0700_directory(httpserver, token_server, cached_client, cache_dir, base_url):
    httpserver.expect_request(LICENCE).respond_with_json({})
    cached_client().get("LicenseStatus")
    path = os.path.join(cache_dir, key_for(base_url) + ".json")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    assert {stat.S_IMODE(os.stat(os.path.join(cache_dir, name)).st_mode) for name in os.listdir(cache_dir)} == {0o600}


def test_the_cache_never_holds_the_client_secret(httpserver, token_server, cached_client, cache_dir):
    httpserver.expect_request(LICENCE).respond_with_json({})
    cached_client().get("LicenseStatus")
    names = os.listdir(cache_dir)
    contents = b"".join(open(os.path.join(cache_dir, name), "rb").read() for name in names)
    assert b"token-1" in contents, "the token is where this test looks"
    assert CLIENT_SECRET.encode() not in contents
    assert all(CLIENT_SECRET not in name and CLIENT_ID not in name for name in names)


def test_the_cache_key_depends_on_url_client_and_secret():
    base = cache_key("https://pbx.example.com", "client", "secret")
    assert base == cache_key("https://pbx.example.com", "client", "secret")
    assert len(base) == 64 and set(base) <= set("0123456789abcdef")
    others = {cache_key("https://pbx.example.com", "client", "secret2"),
              cache_key("https://pbx.example.com:5001", "client", "secret"),
              cache_key("https://pbx.example.com", "client2", "secret"),
              cache_key("https://pbx.example.com", "clientsecret", ""),
              cache_key("https://pbx.example.com", "client\0secret", "")}
    assert base not in others and len(others) == 5


def test_a_different_secret_does_not_ride_on_the_cached_token(httpserver, token_server, cached_client, cache_dir):
    httpserver.expect_request(LICENCE).respond_with_json({})
    cached_client().get("LicenseStatus")
    cached_client(client_secret="another-secret").get("LicenseStatus")
    assert len(token_server.requests) == 2
    assert [request.form["client_secret"] for request in token_server.requests] == [CLIENT_SECRET, "another-secret"]
    assert bearers(httpserver) == ["Bearer token-1", "Bearer token-2"]
    assert len([name for name in os.listdir(cache_dir) if name.endswith(".json")]) == 2


def test_an_expired_cached_token_is_replaced(httpserver, token_server, cached_client, cache_dir, base_url):
    httpserver.expect_request(LICENCE).respond_with_json({})
    cache = TokenCache(cache_dir, key_for(base_url))
    os.makedirs(cache_dir)
    cache.store("stale-token", time.time() - 10)
    cached_client().get("LicenseStatus")
    assert bearers(httpserver) == ["Bearer token-1"]
    assert cache.load()[0] == "token-1"


def test_a_rejected_cached_token_is_replaced_in_the_cache(httpserver, token_server, cached_client, cache_dir, base_url):
    def licence(request):
        if request.headers["Authorization"] == "Bearer revoked":
            return json_response({"error": {"message": "Unauthorized"}}, status=401)
        return json_response({})

    httpserver.expect_request(LICENCE).respond_with_handler(licence)
    cache = TokenCache(cache_dir, key_for(base_url))
    os.makedirs(cache_dir)
    cache.store("revoked", time.time() + 3600)
    cached_client().get("LicenseStatus")
    assert bearers(httpserver) == ["Bearer revoked", "Bearer token-1"]
    assert cache.load()[0] == "token-1"


def test_a_renewal_takes_the_token_another_run_cached_meanwhile(httpserver, token_server, cached_client, cache_dir,
                                                                base_url):
    cache = TokenCache(cache_dir, key_for(base_url))
    os.makedirs(cache_dir)
    cache.store("old", time.time() + 3600)

    def licence(request):
        if request.headers["Authorization"] == "Bearer old":
            cache.store("fetched-by-another-fork", time.time() + 3600)  # and so the PBX dropped "old"
            return json_response({"error": {"message": "Unauthorized"}}, status=401)
        return json_response({})

    httpserver.expect_request(LICENCE).respond_with_handler(licence)
    cached_client().get("LicenseStatus")
    assert bearers(httpserver) == ["Bearer old", "Bearer fetched-by-another-fork"]
    assert token_server.requests == []


def test_an_unusable_cache_directory_is_a_warning_not_a_failure(httpserver, token_server, make_client, tmp_path):
    httpserver.expect_request(LICENCE).respond_with_json({"ok": True})
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    client = make_client(token_cache=True, token_cache_dir=str(not_a_directory))
    assert client.get("LicenseStatus") == {"ok": True}
    assert len(client.warnings) == 1
    assert str(not_a_directory) in client.warnings[0] and "not usable" in client.warnings[0]
    assert len(token_server.requests) == 1


def test_a_cache_entry_that_is_not_json_reads_as_none(cache_dir):
    cache = TokenCache(cache_dir, "k")
    os.makedirs(cache_dir)
    assert cache.load() is None
    with open(cache.path, "w", encoding="utf-8") as handle:
        handle.write("{not json")
    assert cache.load() is None
    cache.store("t", 12.5)
    assert cache.load() == ("t", 12.5)
    cache.discard()
    assert not os.path.exists(cache.path)


def test_the_default_directory_follows_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == os.path.join(str(tmp_path), "threecx.xapi", "tokens")


def _entries(cache_dir):
    return sorted(os.listdir(cache_dir))


@pytest.mark.usefixtures("no_umask")
def test_writing_a_token_removes_other_keys_expired_entries_and_their_locks(cache_dir):
    os.makedirs(cache_dir, mode=0o700)
    now = time.time()
    expired, live, orphan_lock, own = (TokenCache(cache_dir, key) for key in ("expired", "live", "orphan", "own"))
    for cache, expires_at in ((expired, now - 60), (live, now + 3600)):
        with cache.locked():
            cache.store("token-of-" + os.path.basename(cache.path), expires_at)
    with orphan_lock.locked():  # a key whose token was discarded: only its lock file is left
        pass
    with open(os.path.join(cache_dir, "nolock.json"), "w", encoding="utf-8") as handle:
        handle.write('{"access_token": "t", "expires_at": 1}')  # expired, from a run that left no lock
    with own.locked():
        own.store("fresh", now + 3600)
    assert _entries(cache_dir) == ["live.json", "live.lock", "own.json", "own.lock"]
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    for name in _entries(cache_dir):
        assert stat.S_IMODE(os.stat(os.path.join(cache_dir, name)).st_mode) == 0o600


def test_an_expired_entry_whose_lock_another_run_holds_is_left_alone(cache_dir):
    os.makedirs(cache_dir, mode=0o700)
    busy, own = TokenCache(cache_dir, "busy"), TokenCache(cache_dir, "own")
    with busy.locked():
        busy.store("old", time.time() - 60)
        with own.locked():
            own.store("fresh", time.time() + 3600)
        assert "busy.json" in _entries(cache_dir) and "busy.lock" in _entries(cache_dir)


def test_a_client_run_prunes_the_expired_tokens_it_finds(httpserver, token_server, cached_client, cache_dir):
    httpserver.expect_request(LICENCE).respond_with_json({})
    os.makedirs(cache_dir, mode=0o700)
    stale = TokenCache(cache_dir, key_for("https://old-pbx.example.com"))
    with stale.locked():
        stale.store("stale", time.time() - 1)
    cached_client().get("LicenseStatus")
    assert not os.path.exists(stale.path) and len(_entries(cache_dir)) == 2  # the new token and its lock


def test_without_xdg_cache_home_the_directory_is_under_the_home(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_cache_dir() == os.path.join(str(tmp_path), ".cache", "threecx.xapi", "tokens")


def test_a_token_is_written_in_the_cache_directory_itself(cache_dir, monkeypatch, tmp_path):
    """The file is written beside its final name and renamed, so that no reader sees half of it."""
    os.makedirs(cache_dir, mode=0o700)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "no-such-temp-dir"))
    cache = TokenCache(cache_dir, "own")
    with cache.locked():
        cache.store("fresh", 1900000000.0)
    assert cache.load() == ("fresh", 1900000000.0)
    with open(cache.path, encoding="utf-8") as handle:
        assert json.load(handle) == {"access_token": "fresh", "expires_at": 1900000000.0}


def test_a_write_that_fails_leaves_no_temporary_file(cache_dir, monkeypatch):
    os.makedirs(cache_dir, mode=0o700)

    def refuse(*_args):
        raise OSError(errno.EXDEV, "Invalid cross-device link")
    monkeypatch.setattr(os, "replace", refuse)
    cache = TokenCache(cache_dir, "own")
    with cache.locked(), pytest.raises(OSError, match="cross-device"):
        cache.store("fresh", 1900000000.0)
    assert _entries(cache_dir) == ["own.lock"]


def test_a_token_that_expires_this_instant_is_pruned_and_a_live_one_kept(cache_dir):
    os.makedirs(cache_dir, mode=0o700)
    now = 1800000000.0
    ending, live = TokenCache(cache_dir, "ending"), TokenCache(cache_dir, "live")
    for cache, expires_at in ((ending, now), (live, now + 1)):
        with cache.locked():
            cache.store("token", expires_at)
    with open(os.path.join(cache_dir, "unlocked.json"), "w", encoding="utf-8") as handle:
        json.dump({"access_token": "t", "expires_at": now + 1}, handle)  # live, from a run that left no lock
    TokenCache(cache_dir, "own").prune(now=now)
    assert _entries(cache_dir) == ["live.json", "live.lock", "unlocked.json"], "a live key is not even locked"


@pytest.mark.usefixtures("no_umask")
def test_a_key_stored_meanwhile_keeps_its_token_and_a_0600_lock(cache_dir):
    """remove_unused looks again under the lock: a run may have stored a token since prune looked."""
    os.makedirs(cache_dir, mode=0o700)
    other = TokenCache(cache_dir, "other")
    with open(other.path, "w", encoding="utf-8") as handle:
        json.dump({"access_token": "new", "expires_at": 1800000001.0}, handle)
    other.remove_unused(now=1800000000.0)
    assert other.load() == ("new", 1800000001.0)
    assert stat.S_IMODE(os.stat(os.path.join(cache_dir, "other.lock")).st_mode) == 0o600
    other.remove_unused(now=1800000001.0)
    assert _entries(cache_dir) == []
