# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The options every desired-state module shares (state, properties), documented once."""

    DOCUMENTATION = r"""
options:
  state:
    description:
      - V(present) creates the item, or changes it where it differs from the options given.
      - V(absent) deletes it, if it exists.
      - Only the options you give are compared; the rest are left as the PBX holds them.
    type: str
    choices: [present, absent]
    default: present
  properties:
    description:
      - Any other properties of the item, by their XAPI names, compared recursively on the keys given.
      - A complex property is merged over its current value, so keys you leave out are kept.
      - Unknown names, read-only names and names that have an option of their own fail before any request.
    type: dict
"""

    # For modules with write-only secrets (PINs, passwords).
    SECRETS = r"""
options:
  update_password:
    description:
      - V(on_create) sends the module's secrets (PINs, passwords) only when the item is created.
      - V(always) sends them on every run, and reports a change unless the PBX shows the same value in clear.
      - Secrets are masked in the result and in the diff, always.
    type: str
    choices: [on_create, always]
    default: on_create
"""
