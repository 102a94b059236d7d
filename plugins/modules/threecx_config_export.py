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
    items (C(office_hours), the one singleton, a mapping). M(threecx.xapi.threecx_config) applies such a
    document, to this PBX or to another one.
  - "Sections, in dependency order: C(groups) (departments), C(users) (extensions), C(queues), C(ring_groups),
    C(holidays), C(office_hours), C(blocked_numbers), C(contacts), C(outbound_rules) and C(inbound_rules)."
  - Each item uses exactly the option names of its per-entity module (M(threecx.xapi.threecx_group),
    M(threecx.xapi.threecx_user), M(threecx.xapi.threecx_queue), M(threecx.xapi.threecx_ring_group),
    M(threecx.xapi.threecx_holiday), M(threecx.xapi.threecx_office_hours), M(threecx.xapi.threecx_blocked_number),
    M(threecx.xapi.threecx_contact), M(threecx.xapi.threecx_outbound_rule), M(threecx.xapi.threecx_inbound_rule)),
    so any item (and the C(office_hours) mapping) can be given to that module as its arguments.
  - References are by name or number, never by Id, so that the document means the same on another PBX;
    departments by name (a user's departments, an outbound rule's C(groups)), trunks by name (an outbound
    rule's C(routes[].trunk), an inbound rule's C(trunk)), extensions (users, queue agents and managers, ring
    group members, an inbound rule's destinations) by number. Trunks are not a section; a document that names one
    needs a trunk of that name on the PBX it is applied to.
  - "Items are sorted by their natural key: a department's name, an extension's number, a contact's
    C(first_name), C(last_name) and C(company_name) together, an inbound rule's C(did) and C(trunk)."
  - "Office hours are exported as the options of M(threecx.xapi.threecx_office_hours): C(hours) and C(break_time)
    with their C(Type) and C(Periods) (times as V(09:00)), C(time_zone_id) and C(system_language)."
  - "Only what differs from a new item is written. A value is left out when it is empty (null, an empty string,
    an empty list) or equal to the default a new item gets on a PBX, as the collection declares it for each
    section: for a user, C(enabled: true) and C(require_2fa: false); for a membership,
    C(role: users)."
  - "Never exported: secrets (PINs, passwords), fields the PBX derives or reports (a department's C(Number),
    C(IsDefault), a user's registration state, an outbound rule's C(GroupNames) and C(TrunkName), the empty route
    slots the PBX pads a rule with), and C(properties). A department's members are exported once, on
    the users' side (C(users[].groups)), since the two are one relation on the PBX."
  - Reads each section with one paged list request (C(GET /Groups?$expand=Members($expand=Rights\)),
    C(GET /Users?$expand=Groups($expand=Rights\)), C(GET /Queues?$expand=Agents,Managers),
    C(GET /InboundRules?$expand=TrunkDN)...), and C(GET /OfficeHours) once, never one request per item; the
    trunks' names take one more list (C(GET /Trunks?$select=Id,Gateway)).
  - With O(dest), writes the document as YAML in a stable order (keys sorted, items by their natural key), so that
    two exports of an unchanged PBX are byte-identical and a git diff shows only real changes.
options:
  include:
    description: The sections to export; all when not given.
    type: list
    elements: str
    choices: [groups, users, queues, ring_groups, holidays, office_hours, blocked_numbers, contacts, outbound_rules, inbound_rules]
  exclude:
    description: Sections to leave out.
    type: list
    elements: str
    choices: [groups, users, queues, ring_groups, holidays, office_hours, blocked_numbers, contacts, outbound_rules, inbound_rules]
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
      by the natural key (a department's name, an extension's number); C(office_hours) a mapping of its module's
      options.
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
    office_hours:
      hours:
        Type: OfficeHours
        Periods:
          - {DayOfWeek: Monday, Start: "09:00", Stop: "17:00"}
      time_zone_id: "51"
    contacts:
      - first_name: Ann
        last_name: Lee
        company_name: Contoso Ltd
        business: "+1 202 555 0101"
    outbound_rules:
      - name: Default route
        groups: [DEFAULT]
        routes:
          - {trunk: Example SIP provider, strip_digits: 0}
    inbound_rules:
      - did: "+442079460100"
        trunk: Example SIP provider
        name: Main number
        office_hours_destination: {type: RingGroup, number: "700"}
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
