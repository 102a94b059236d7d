# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A controller-side cache of XAPI access tokens, shared by the module runs of a play.

Why: a PBX keeps one active token per API client. If every task fetched its own token,
each would cost a round trip, a burst of them would bring the PBX's cooldown, and parallel
forks would keep killing each other's tokens. With this cache a play fetches one token per
PBX and API client; every run and fork reuses it until it expires or the PBX rejects it.

What is stored: the access token and its expiry, in a 0600 file inside a 0700 directory.
Never the client secret. The file name is a SHA-256 of the base URL, the client id and the
secret, so a changed or wrong secret never rides on a token fetched with another one.
Writers hold an exclusive lock (fcntl) while they fetch, so concurrent runs wait for the
first one's token instead of fetching their own. Writing a token also removes the entries of
other keys that have expired, with their lock files, so the directory does not grow without end.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import time


def default_cache_dir():
    """The user's cache directory, as XDG defines it."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "threecx.xapi", "tokens")


def cache_key(base_url, client_id, client_secret):
    """One key per PBX and credentials; one-way, so the file name reveals nothing."""
    material = "\0".join((base_url, client_id, client_secret)).encode("utf-8")
    return hashlib.sha256(material).hexdigest()


class TokenCache:
    """One cached token: load, store and discard it under an exclusive lock."""

    def __init__(self, directory, key):
        self.directory = directory
        self.path = os.path.join(directory, key + ".json")
        self._lock_path = os.path.join(directory, key + ".lock")

    @contextlib.contextmanager
    def locked(self):
        """Hold the lock while a token is read and, if need be, fetched and written."""
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield self
        finally:
            os.close(fd)  # closing releases the lock

    def load(self):
        """The cached (token, expires_at), or None when there is none or it is unreadable."""
        try:
            with open(self.path, encoding="utf-8") as handle:
                entry = json.load(handle)
            return entry["access_token"], float(entry["expires_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, token, expires_at):
        """Write atomically with 0600 permissions, so no reader sees half a file."""
        fd, temp_path = tempfile.mkstemp(dir=self.directory, prefix=".token-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"access_token": token, "expires_at": expires_at}, handle)
            os.chmod(temp_path, 0o600)
            os.replace(temp_path, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp_path)
            raise
        self.prune(now=time.time())

    def prune(self, now):
        """Remove the other keys' expired tokens and their lock files, and lock files left without a token.

        A lock file goes only while this run holds it, so no other run waits on a lock that is gone.
        Failures are ignored: a leftover file costs disk space, never a task.
        """
        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        own_key = os.path.splitext(os.path.basename(self.path))[0]
        keys = {os.path.splitext(name)[0] for name in names if name.endswith((".json", ".lock"))} - {own_key}
        for key in sorted(keys):
            other = TokenCache(self.directory, key)
            entry = other.load()
            if entry is None or entry[1] <= now:
                other.remove_unused(now)

    def remove_unused(self, now):
        """Remove this key's files if no run holds its lock and its token (if any) has expired."""
        try:
            fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another run holds it: the key is in use
            os.close(fd)
            return
        try:
            entry = self.load()  # again, under the lock: another run may have just stored a token
            if entry is None or entry[1] <= now:
                self.discard()
                os.unlink(self._lock_path)
        except OSError:
            pass
        finally:
            os.close(fd)

    def discard(self):
        with contextlib.suppress(OSError):
            os.unlink(self.path)
