# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """OData options that shape an answer ($select, $expand, $orderby), documented once."""

    DOCUMENTATION = r"""
options:
  select:
    description:
      - Properties to return (OData C($select)), as a list or a comma-separated string.
    type: list
    elements: str
  expand:
    description:
      - Related entities to include (OData C($expand)), as a list or a comma-separated string,
        such as V(DN) for the extension each SIP device belongs to.
    type: list
    elements: str
"""

    # For collections, which can also be sorted.
    ORDERBY = r"""
options:
  orderby:
    description:
      - Sort keys (OData C($orderby)), as a list or a comma-separated string, each optionally
        followed by C(asc) or C(desc), such as V(Registrar/Model desc).
    type: list
    elements: str
"""
