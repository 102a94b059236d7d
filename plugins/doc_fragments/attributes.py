# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Attributes shared by threecx.xapi modules.

    DOCUMENTATION describes the attributes; the other fragments, or the module itself, say how far each is
    supported. A module's own `attributes` keys win over a fragment's, so a module adds its `details` (and,
    without one of the fragments below, its `support`) under the same attribute.
    """

    # Every module belongs to the action group, so one `module_defaults` entry serves them all.
    DOCUMENTATION = r"""
attributes:
  action_group:
    description: Use C(group/threecx.xapi.xapi) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - threecx.xapi.xapi
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
"""

    # Modules that only read.
    INFO_MODULE = r"""
attributes:
  check_mode:
    support: full
    details:
      - This module only reads from the PBX, and runs the same way in check mode.
  diff_mode:
    support: N/A
    details:
      - This module never changes anything.
"""

    # Modules that change the PBX to match their options, predict the change in check mode and show it as a diff.
    # Each says in its own `details` what check mode reads and what the diff shows.
    DESIRED_STATE = r"""
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
"""
