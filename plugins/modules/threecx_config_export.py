#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_config_export
short_description: Export the configuration of a 3CX PBX as one document
version_added: 0.1.0
description:
  - Reads a 3CX v20 PBX and returns its configuration as one document, a mapping of sections, each a list of
    items. M(threecx.xapi.threecx_config) applies such a document, to this PBX or to another one.
  - "Sections, in dependency order: C(groups) (departments), C(users) (extensions), C(queues), C(ring_groups),
    C(holidays) and C(blocked_numbers). Not yet: office hours (a singleton, not a list), contacts (a natural key
    of three names), outbound and inbound rules (their routes and destinations need a way back from Ids to
    names)."
  - Each item uses exactly the option names of its per-entity module (M(threecx.xapi.threecx_group),
    M(threecx.xapi.threecx_user), M(threecx.xapi.threecx_queue), M(threecx.xapi.threecx_ring_group),
    M(threecx.xapi.threecx_holiday), M(threecx.xapi.threecx_blocked_number)), so any item
    can be given to that module as its arguments.
  - References are by name or number, never by Id, so that the document means the same on another PBX;
    departments by name, extensions (users, queue agents and managers, ring
    group members) by number.
  - "Only what differs from a new item is written. A value is left out when it is empty (null, an empty string,
    an empty list) or equal to the default a new item gets on a PBX, as the collection declares it for each
    section: for a user, C(enabled: true) and C(require_2fa: false); for a membership,
    C(role: users)."
  - "Never exported: secrets (PINs, passwords), fields the PBX derives or reports (a department's C(Number),
    C(IsDefault), a user's registration state), and C(properties). A department's members are exported once, on
    the users' side (C(users[].groups)), since the two are one relation on the PBX."
  - Reads each section with one paged list request (C(GET /Groups?$expand=Members($expand=Rights\)),
    C(GET /Users?$expand=Groups($expand=Rights\)), C(GET /Queues?$expand=Agents,Managers)...), never one request per
    item.
  - With O(dest), writes the document as YAML in a stable order (keys sorted, items by their natural key), so that
    two exports of an unchanged PBX are byte-identical and a git diff shows only real changes.
options:
  include:
    description: The sections to export; all when not given.
    type: list
    elements: str
    choices: [groups, users, queues, ring_groups, holidays, blocked_numbers]
  exclude:
    description: Sections to leave out.
    type: list
    elements: str
    choices: [groups, users, queues, ring_groups, holidays, blocked_numbers]
  dest:
    description:
      - A file to write the document to, as YAML, on the host the module runs on (the controller, with
        C(delegate_to=localhost) as usual for this collection).
      - Written only when its content changes; the task is then C(changed).
    type: path
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.attributes
attributes:
  check_mode:
    support: full
    details:
      - Reads the PBX and reports whether O(dest) would change, without writing it.
  diff_mode:
    support: none
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
# Nightly, from cron or AWX: every PBX's configuration into git, one file per PBX.
- name: Export every PBX to git
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Export the configuration
      threecx.xapi.threecx_config_export:
        dest: "{{ playbook_dir }}/pbx-config/{{ inventory_hostname }}.yml"
      delegate_to: localhost

- name: Commit what changed
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Commit the exports
      ansible.builtin.shell: |
        cd pbx-config && git add -A && (git diff --cached --quiet || git commit -m "PBX configuration {{ now(utc=true).isoformat() }}")
      changed_when: true

- name: Read only the departments and users, into a variable
  threecx.xapi.threecx_config_export:
    include: [groups, users]
  register: exported

- name: Show the extensions
  ansible.builtin.debug:
    msg: "{{ exported.config.users | map(attribute='number') | list }}"

# Ad hoc, with THREECX_BASE_URL, THREECX_CLIENT_ID and THREECX_CLIENT_SECRET in the environment:
#   ansible localhost -m threecx.xapi.threecx_config_export -a 'include=groups,users'
"""

RETURN = r"""
config:
  description:
    - The document, one key per exported section, each a list of items in the option names of its module, sorted
      by the natural key (a department's name, an extension's number).
  returned: success
  type: dict
  sample:
    groups:
      - name: Sales
        language: EN
        timezone_id: "51"
    users:
      - number: "100"
        first_name: Amelia
        last_name: Jones
        email: amelia.jones@example.com
        language: EN
        groups:
          - name: Sales
            role: managers
dest:
  description: The file written (or that would be), when O(dest) is given.
  returned: when O(dest) is given
  type: str
  sample: /srv/pbx-config/pbx1.yml
"""

from ansible_collections.threecx.xapi.plugins.module_utils._config import (
    SECTION_NAMES,
    export,
    selected_sections,
    to_yaml,
    write_if_changed,
)
from ansible_collections.threecx.xapi.plugins.module_utils._resources import Resources
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    params = module.params
    document = export(Resources(client), selected_sections(params["include"], params["exclude"]))
    result = dict(changed=False, config=document)
    if params["dest"]:
        result["changed"] = write_if_changed(params["dest"], to_yaml(document), module.check_mode)
        result["dest"] = params["dest"]
    return result


def main():
    module = XapiModule(
        argument_spec=dict(
            include=dict(type="list", elements="str", choices=list(SECTION_NAMES)),
            exclude=dict(type="list", elements="str", choices=list(SECTION_NAMES)),
            dest=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
