# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking of the secrets that a PBX puts in its own answers.

XAPI returns phone web passwords, provisioning links (whose path is a secret), licence keys,
users' passwords and PINs, and the keys of integrations. Every module result passes through
`mask_secrets` unless the user sets `return_secrets: true`, so job logs and registered
variables do not leak them by default.
"""

from __future__ import annotations

MASK = "********"

# Property names whose values are secret, matched case-insensitively on the name's end.
# `NextPageToken` is a paging cursor, not a credential. A backup's `DownloadLink` fetches the whole PBX.
_SECRET_SUFFIXES = (
    "password", "pin", "pinnumber", "secret", "secretkey", "privatekey", "apikey", "accesskey",
    "accesstoken", "token", "provlink", "downloadlink",
)
_NOT_SECRET = frozenset(("nextpagetoken",))
# Secret properties of the spec whose names end otherwise: provisioning links (their path is the
# secret), a ConcealedPassword named for its provider, and a cloud backup's JSON service key.
_SECRET_NAMES = frozenset(("provisionlink", "provisioninglinkext", "provisioninglinklocal", "transcribekeygrok",
                           "gbjson"))
# Shown with their last characters, which admins use to tell licences apart.
_PARTLY_SHOWN = {"licensekey": 4}


def is_secret_name(name):
    lowered = name.lower()
    return lowered in _SECRET_NAMES or (lowered not in _NOT_SECRET and lowered.endswith(_SECRET_SUFFIXES))


# Property name -> None (not secret), 0 (masked whole) or how many last characters stay visible.
# An answer has a few dozen distinct names and often tens of thousands of properties (10,000
# phones have 140,000), so each name is judged once, not once per property.
_VISIBLE_CHARACTERS = {}


def _visible_characters(name):
    try:
        return _VISIBLE_CHARACTERS[name]
    except KeyError:
        shown = _PARTLY_SHOWN.get(name.lower())
        if shown is None and is_secret_name(name):
            shown = 0
        _VISIBLE_CHARACTERS[name] = shown
        return shown


def mask_value(name, value):
    """The masked form of one property's value.

    A secret property is masked whatever it holds: a string (a LicenseKey keeps its last
    characters), a number (a numeric PIN), or a structure, such as XAPI's ConcealedPassword
    `{"Concealed": false, "Value": "…"}` whose `Value` is the password. Empty strings, nulls and
    booleans stay, since they tell only whether a secret is set.
    """
    shown = _visible_characters(name)
    if shown is None:
        return mask_secrets(value)
    return _masked(value, shown)


def _masked(value, shown=0):
    if isinstance(value, bool) or value is None or value == "":
        return value
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    if isinstance(value, str) and shown and len(value) > shown * 2:
        return MASK + value[-shown:]
    return MASK


def mask_secrets(data):
    """A copy of `data` (dicts, lists, scalars) with every secret property masked."""
    if isinstance(data, dict):
        return {key: mask_value(key, value) for key, value in data.items()}
    if isinstance(data, list):
        return [mask_secrets(item) if isinstance(item, (dict, list)) else item for item in data]
    return data
