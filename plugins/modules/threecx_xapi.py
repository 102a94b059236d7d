#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_xapi
short_description: Call any XAPI operation of a 3CX PBX, validated against the spec
version_added: 0.1.0
description:
  - Calls any of the 601 operations of XAPI 20.0.10, the configuration API of 3CX v20 PBXes, by its
    operationId (see C(docs/operations.md) in the collection for the list), or by a raw path and method.
  - Before anything is sent, the call is checked against a catalogue generated from the official
    OpenAPI spec. An unknown operationId fails with the closest names; a missing or wrongly typed path
    parameter, a query option the operation does not declare, and a body for an operation that takes
    none all fail, naming what is wrong.
  - Path parameters are written as the spec types them. Strings are quoted for OData, with a single
    quote inside doubled, as in C(Pbx.GetPhoneRegistrar(mac='805ec0123456'\)); integers, booleans,
    date-times and UUIDs are written bare. A string of digits, as Jinja often renders an integer, is
    accepted where an integer is due.
  - A GET reports RV(ignore:changed=false); C(POST), C(PATCH), C(PUT) and C(DELETE) report
    RV(ignore:changed=true). Refine that with C(changed_when).
options:
  operation:
    description:
      - The operationId to call, such as V(ListSipDevice), V(GetPhoneRegistrar) or V(EditLicenseInfo).
      - Mutually exclusive with O(path).
    type: str
  path:
    description:
      - A path under C(/xapi/v1) to call instead of an operationId, such as V(/Users/Pbx.GetFirstAvailableExtensionNumber(\)).
      - A path that matches an operation of the spec is validated like that operation; a template with
        C({placeholders}) is filled from O(path_params). Other paths are sent as they are.
      - Mutually exclusive with O(operation).
    type: str
  method:
    description:
      - The HTTP method for O(path); V(GET) when not set.
      - An O(operation) knows its own method; setting another one fails.
    type: str
    choices: [GET, POST, PATCH, PUT, DELETE]
  path_params:
    description:
      - Values for the placeholders of the operation's path, such as C({Id}) or C({mac}), by name.
    type: dict
    default: {}
  query:
    description:
      - Further query parameters, by name. Each must be one the operation declares.
      - Booleans are sent as V(true) or V(false), and lists comma-separated, as OData writes them.
    type: dict
    default: {}
  body:
    description:
      - The request body, as a dictionary, a list or a JSON text. Sent as JSON.
    type: raw
  paginate:
    description:
      - Gather every page of a collection answer with C($top) and C($skip), O(page_size) items per request.
      - RV(items) then holds every item, RV(count) the PBX's count, and RV(json) is left out.
    type: bool
    default: false
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.paging
  - threecx.xapi.shape
  - threecx.xapi.shape.orderby
  - threecx.xapi.attributes
attributes:
  check_mode:
    support: full
    details:
      - A GET is sent in check mode too. Any other method is not sent; the result holds the RV(request)
        it would have sent, with RV(status) null and RV(ignore:changed=true).
  diff_mode:
    support: partial
    details:
      - The module cannot know what a write changes on the PBX. With C(--diff), a write shows the request
        it sends (or, in check mode, would send) as the diff's RV(ignore:diff.after), its method and URL as
        the header, secrets masked; a GET shows no diff.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
- name: Operations that have no module of their own
  hosts: pbxes  # ansible_connection: local in the inventory: the modules run on the controller
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Reprovision a phone
      threecx.xapi.threecx_xapi:
        operation: ReprovisionPhone
        body:
          mac: "805ec0123456"

    - name: Start a backup
      threecx.xapi.threecx_xapi:
        operation: Backup
        body:
          description:
            Name: before-upgrade
            Contents:
              CallHistory: true
              Recordings: false

    - name: Every extension, in pages of 200, for a report
      threecx.xapi.threecx_xapi:
        operation: ListUser
        select: [Number, FirstName, LastName, EmailAddress]
        orderby: Number
        paginate: true
        page_size: 200
      register: users

- name: Look up a phone by its MAC, with the string parameter quoted for you
  threecx.xapi.threecx_xapi:
    operation: GetPhoneRegistrar
    path_params:
      mac: "805ec0123456"

- name: An extension by a raw path, validated like the operation it matches (GetUserByNumber)
  threecx.xapi.threecx_xapi:
    path: /Users(Number='100')
    method: GET

# Ad hoc:
#   ansible localhost -m threecx.xapi.threecx_xapi -a 'operation=GetLicenseStatus'
"""

RETURN = r"""
status:
  description: The HTTP status of the answer; null when a write was not sent in check mode.
  returned: always
  type: int
  sample: 200
json:
  description:
    - The parsed body of the answer; null for an empty one (HTTP 204). Left out with O(paginate).
    - Secrets in it are masked unless O(return_secrets=true).
  returned: when the request was sent and O(paginate) is false
  type: raw
  sample: {"@odata.context": "https://pbx.example.com/xapi/v1/$metadata#SipDevices", "value": []}
items:
  description: The items of a collection answer (its C(value)); every page of them with O(paginate).
  returned: when the answer is a collection
  type: list
  elements: raw
  sample: [{"Id": 12}]
count:
  description: The PBX's C(@odata.count), when it sent one (ask with O(count=true)).
  returned: when the PBX sent a count
  type: int
  sample: 48
request:
  description: The request that was sent (or, in check mode, would have been). Holds no credentials.
  returned: always
  type: dict
  contains:
    method:
      description: The HTTP method.
      type: str
      sample: GET
    url:
      description: The full URL, with its query.
      type: str
      sample: "https://pbx.example.com/xapi/v1/Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')"
    operation:
      description: The operationId the call was matched to, or null for a path the spec does not know.
      type: str
      sample: GetPhoneRegistrar
    body:
      description:
        - The request body as it is sent, or null for none. Secret properties (passwords, PINs, keys) are
          masked, even with O(return_secrets), since you gave them.
      type: raw
      sample: {"description": {"Name": "before-upgrade", "Contents": {"Recordings": false}}}
diff:
  description:
    - With C(--diff), for a write, the request as a diff from nothing, headed by its method and URL.
  returned: diff mode, for a method other than GET
  type: dict
  sample: {"before": "", "after": "{\n  \"licenseParams\": {\"Email\": \"ops@example.com\"}\n}\n",
           "before_header": "nothing sent", "after_header": "POST https://pbx.example.com/xapi/v1/LicenseStatus/Pbx.EditLicenseInfo"}
"""

import json

from ansible_collections.threecx.xapi.plugins.module_utils._odata import build_query, query_value
from ansible_collections.threecx.xapi.plugins.module_utils._resources import prepare_call, send_call
from ansible_collections.threecx.xapi.plugins.module_utils._secrets import mask_secrets
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import (
    PAGING_MINIMUMS,
    XapiModule,
    paging_argument_spec,
    shape_argument_spec,
)


def plan_call(params):
    """The call the options describe, checked against the spec; fails naming the option at fault."""
    query = dict(odata_query(params), **{name: query_value(value) for name, value in params["query"].items()})
    return prepare_call(operation=params["operation"], path=params["path"], method=params["method"],
                        path_params=params["path_params"], query=query, body=params["body"],
                        paginate=params["paginate"])


def odata_query(params):
    return build_query(top=None if params["paginate"] else params["top"], skip=params["skip"],
                       search=params["search"], filter=params["filter"], count=params["count"],
                       orderby=params["orderby"], select=params["select"], expand=params["expand"])


def run(module, client):
    params = module.params
    call = plan_call(params)
    # The body as the user gave it, with secrets masked even under return_secrets: they know it already.
    request = dict(method=call.method, url=client.url_for(call.path, call.query), operation=call.operation_id,
                   body=mask_secrets(call.body))
    writes = call.method != "GET"
    result = dict(changed=writes, request=request, status=None)
    if writes and module._diff:
        result["diff"] = request_diff(request)
    if module.check_mode and writes:
        return result
    result.update(send_call(client, call, paginate=params["paginate"], page_size=params["page_size"],
                            limit=params["top"]))
    return result


def request_diff(request):
    """A write as a diff from nothing: the module cannot know what it changes, only what it sends."""
    after = "" if request["body"] is None else json.dumps(request["body"], indent=2, sort_keys=True) + "\n"
    return dict(before="", after=after, before_header="nothing sent",
                after_header="%s %s" % (request["method"], request["url"]))


def main():
    module = XapiModule(
        argument_spec=dict(
            paging_argument_spec(),
            operation=dict(type="str"),
            path=dict(type="str"),
            method=dict(type="str", choices=["GET", "POST", "PATCH", "PUT", "DELETE"]),
            path_params=dict(type="dict", default={}),
            query=dict(type="dict", default={}),
            body=dict(type="raw"),
            paginate=dict(type="bool", default=False),
            **shape_argument_spec(orderby=True)
        ),
        minimums=PAGING_MINIMUMS,
        mutually_exclusive=[("operation", "path")],
        required_one_of=[("operation", "path")],
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
