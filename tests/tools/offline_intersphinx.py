# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Point the docsite's Sphinx configuration at a local inventory, so that `make docs` builds offline.

    python tests/tools/offline_intersphinx.py DOCSITE_DIR

antsibull-docs' pages link to three labels of the Ansible docsite (the configuration settings, the
common return values and action plugins), which Sphinx resolves through intersphinx inventories it downloads. Without a
network those downloads are warnings, and `sphinx-build -W` fails. This writes an inventory holding
just those labels, with their real addresses on docs.ansible.com, and makes it the only one used.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/devel/"
# label -> (page, anchor, title): the labels antsibull-docs' templates refer to.
LABELS = {
    "ansible_configuration_settings": ("reference_appendices/config.html", "ansible-configuration-settings",
                                       "Ansible Configuration Settings"),
    "common_return_values": ("reference_appendices/common_return_values.html", "common-return-values",
                             "Return Values"),
    # A module with an action plugin of its own name (every module here: in-process execution) says so.
    "action_plugins": ("plugins/action.html", "action-plugins", "Action plugins"),
}
INVENTORY = "ansible_devel.inv"


def inventory():
    """Sphinx's objects.inv format, version 2: four header lines, then zlib-compressed entries."""
    header = "# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n" \
             "# The remainder of this file is compressed using zlib.\n"
    entries = "".join("%s std:label -1 %s#%s %s\n" % (label, page, anchor, title)
                      for label, (page, anchor, title) in sorted(LABELS.items()))
    return header.encode() + zlib.compress(entries.encode())


def main(docsite):
    docsite = Path(docsite)
    (docsite / INVENTORY).write_bytes(inventory())
    with open(docsite / "conf.py", "a", encoding="utf-8") as conf:
        conf.write("\n# Written by tests/tools/offline_intersphinx.py: no inventory is downloaded.\n"
                   "intersphinx_mapping = {'ansible_devel': (%r, %r)}\n" % (ANSIBLE_DOCS, "../" + INVENTORY))


if __name__ == "__main__":
    main(sys.argv[1])
