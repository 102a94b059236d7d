# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """OData paging options of the modules that read a collection, documented once."""

    DOCUMENTATION = r"""
options:
  top:
    description:
      - Return at most this many items (OData C($top)).
      - Without it, every matching item is returned, fetched page by page.
    type: int
  skip:
    description: Skip this many matching items first (OData C($skip)).
    type: int
  search:
    description:
      - Return only items that contain this phrase (OData C($search)), case-insensitively.
      - A phrase with spaces is put in double quotes for you, so it matches as a phrase.
    type: str
  filter:
    description:
      - An OData C($filter) expression on the fields of the items the module returns, such as
        V(Registrar/Vendor eq 'Yealink') for phones or V(contains(Filename,'failover'\)) for failover scripts.
      - String literals go in single quotes, with a quote inside doubled.
    type: str
  count:
    description: Whether to return RV(count), the number of matching items the PBX reports (OData C($count)).
    type: bool
    default: false
  page_size:
    description:
      - How many items each request asks for. The items are fetched with C($top) and C($skip) until
        all are in, so N items take ceil(N / O(page_size)) requests.
    type: int
    default: 100
"""
