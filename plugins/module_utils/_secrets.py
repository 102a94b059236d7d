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

# Property names whose string values are secret, matched case-insensitively on the name's end.
# `NextPageToken` is a paging cursor, not a credential.
_SECRET_SUFFIXES = (
    "password", "pin", "pinnumber", "secret", "secretkey", "privatekey", "apikey", "accesskey",
    "accesstoken", "token", "provlink",
)
_NOT_SECRET = frozenset(("nextpagetoken",))
# Shown with their last characters, which admins use to tell licences apart.
_PARTLY_SHOWN = {"licensekey": 4}


def is_secret_name(name):
    lowered = name.lower()
    return lowered not in _NOT_SECRET and lowered.endswith(_SECRET_SUFFIXES)


def mask_value(name, value):
    """The masked form of one property's value; values that are not non-empty strings stay."""
    if not isinstance(value, str) or not value:
        return value
    shown = _PARTLY_SHOWN.get(name.lower())
    if shown is not None:
        return MASK + value[-shown:] if len(value) > shown * 2 else MASK
    if is_secret_name(name):
        return MASK
    return value


def mask_secrets(data):
    """A copy of `data` (dicts, lists, scalars) with every secret property masked."""
    if isinstance(data, dict):
        return {key: mask_value(key, value) if isinstance(value, str) else mask_secrets(value)
                for key, value in data.items()}
    if isinstance(data, list):
        return [mask_secrets(item) for item in data]
    return data
