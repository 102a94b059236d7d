#!/usr/bin/python
# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: threecx_config
short_description: Apply a whole configuration document to a 3CX PBX
version_added: 0.1.0
description:
  - Makes a 3CX v20 PBX hold what a document says, in one task. The document has the shape
    M(threecx.xapi.threecx_config_export) returns, a mapping of sections, each a list of items in the option
    names of its per-entity module (M(threecx.xapi.threecx_group), M(threecx.xapi.threecx_user),
    M(threecx.xapi.threecx_queue), M(threecx.xapi.threecx_ring_group), M(threecx.xapi.threecx_holiday),
    M(threecx.xapi.threecx_blocked_number), M(threecx.xapi.threecx_contact), M(threecx.xapi.threecx_outbound_rule),
    M(threecx.xapi.threecx_inbound_rule)).
  - "Sections: C(groups) (departments), C(users) (extensions), C(queues), C(ring_groups), C(holidays),
    C(office_hours), C(blocked_numbers), C(contacts), C(outbound_rules) and C(inbound_rules)."
  - "C(office_hours) is a mapping, not a list: the options of M(threecx.xapi.threecx_office_hours) (C(hours),
    C(break_time), C(time_zone_id), C(system_language)). The PBX has one set of office hours, so it is only ever
    updated, and O(purge) does not apply to it."
  - "An item is named by its natural key: one option (a department's C(name), an extension's C(number)) or
    several together (a contact's C(first_name), C(last_name) and C(company_name); an inbound rule's C(did) and
    C(trunk))."
  - Each item means what it means to its module, through the same engine and the same resource description;
    only the options an item gives are compared, only what differs is written, and member lists merge unless
    the item says C(purge_groups) or C(purge_members) (or O(purge) is set). An item may say C(state=absent);
    as for its module, only its key counts then, and it is no reference for later items.
  - "Order: departments; users; queues and ring groups; holidays and office hours; blocked numbers and contacts;
    outbound and inbound rules. With O(purge), the deletes come last, in the reverse order."
  - Reads each section present once, with one paged list request and the member lists expanded, and gives each
    item its listed state, so there is no request per item except the writes.
  - "Before any write, the whole document is checked, and every problem is reported at once with its path
    in the document (C(users[3].groups[0].name)): unknown sections; each item against its module's own argument
    spec, suboptions too (unknown options, wrong types, a missing natural key) and the engine's checks (read-only
    and unknown C(properties), values such as times of day and a rule's number of routes); duplicate keys; and
    references to departments, trunks or extensions (a user's departments, a queue's agents and managers, a ring
    group's members, an outbound rule's departments and trunks, an inbound rule's trunk and destinations) that
    exist neither on the PBX nor in an earlier section (trunks are not a section: they must be on the PBX).
    The first checks send no request at all; the reference check reads the sections and writes nothing."
  - A failure part-way stops at that item. The task fails saying what was done before it (RV(changes)), what
    failed and why (RV(failure)), and what was not attempted (RV(not_attempted)); running it again continues
    where it stopped, since what was done already matches.
options:
  config:
    description: The document, as a mapping of sections.
    type: dict
  src:
    description: The path of a YAML file holding the document, on the host the module runs on.
    type: path
  purge:
    description:
      - Whether to delete the items of the sections present in the document that the document does not name
        (never the default department). Sections absent from the document are never touched.
      - With V(true), a member list an item gives is exact too, as with C(purge_groups=true), unless the item says
        otherwise.
    type: bool
    default: false
extends_documentation_fragment:
  - threecx.xapi.connection
  - threecx.xapi.attributes
  - threecx.xapi.attributes.desired_state
attributes:
  check_mode:
    details:
      - Reads the sections, sends no write, and reports every change that would be made in RV(changes).
  diff_mode:
    details:
      - One diff per changed item, headed by its section and key; secrets masked.
author:
  - threecx.xapi maintainers (@threecx-xapi)
"""

EXAMPLES = r"""
# Review first, then apply:  ansible-playbook pbx.yml --check --diff
- name: Keep every PBX as its document in git says
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      base_url: "{{ threecx_base_url }}"
      client_id: "{{ threecx_client_id }}"
      client_secret: "{{ threecx_client_secret }}"
  tasks:
    - name: Look for the PBX's document (pbx-config/<host>.yml, as threecx_config_export writes it)
      ansible.builtin.stat:
        path: "{{ playbook_dir }}/pbx-config/{{ inventory_hostname }}.yml"
      register: document
      delegate_to: localhost

    - name: Apply the document from the file
      threecx.xapi.threecx_config:
        src: "{{ playbook_dir }}/pbx-config/{{ inventory_hostname }}.yml"
      when: document.stat.exists
      delegate_to: localhost

# Clone one PBX's departments and users to the others (a test system, a branch office):
- name: Clone the departments and users of the first PBX
  hosts: pbxes
  gather_facts: false
  vars:
    source: "{{ groups['pbxes'] | first }}"
  tasks:
    - name: Export the source PBX's departments and users, once
      threecx.xapi.threecx_config_export:
        base_url: "{{ hostvars[source].threecx_base_url }}"
        client_id: "{{ hostvars[source].threecx_client_id }}"
        client_secret: "{{ hostvars[source].threecx_client_secret }}"
        include: [groups, users]
      run_once: true
      register: source_config
      delegate_to: localhost

    - name: Make each PBX hold exactly those departments and users
      threecx.xapi.threecx_config:
        base_url: "{{ threecx_base_url }}"
        client_id: "{{ threecx_client_id }}"
        client_secret: "{{ threecx_client_secret }}"
        config: "{{ source_config.config }}"
        purge: true
      delegate_to: localhost

- name: Apply a small document given inline
  threecx.xapi.threecx_config:
    config:
      groups:
        - name: Sales
          language: EN
      users:
        - number: "100"
          email: amelia.jones@example.com
          groups:
            - name: Sales
              role: managers

# Ad hoc, with THREECX_BASE_URL, THREECX_CLIENT_ID and THREECX_CLIENT_SECRET in the environment:
#   ansible localhost -m threecx.xapi.threecx_config -a '{"config": {"groups": [{"name": "Sales", "language": "EN"}]}}' --check --diff
"""

RETURN = r"""
changes:
  description:
    - One entry per item changed (or, in check mode, that would be), in the order applied. Items that already
      matched are not listed. Secrets are masked.
    - On a failure part-way, what was done before it.
  returned: always
  type: list
  elements: dict
  contains:
    section:
      description: The section, such as V(users).
      type: str
    key:
      description:
        - The item's natural key, for a key of one option its value (a department's name, an extension's number);
          for a key of several, a mapping of the options given (a contact's C(first_name) and C(last_name), say);
          null for C(office_hours).
      type: raw
    action:
      description: What was done.
      type: str
      choices: [create, update, delete]
    before:
      description: The item before, as the per-entity module's diff shows it; V({}) for a create.
      type: dict
    after:
      description: The item after (as it would be, in check mode); V({}) for a delete.
      type: dict
  sample:
    - section: users
      key: "100"
      action: update
      before: {"Number": "100", "EmailAddress": "amelia@example.com", "VMPIN": "********"}
      after: {"Number": "100", "EmailAddress": "amelia.jones@example.com", "VMPIN": "********"}
failure:
  description: The item that failed, and why.
  returned: on a failure part-way
  type: dict
  sample: {"section": "users", "key": "103", "error": "POST https://pbx/xapi/v1/Users: HTTP 400 ..."}
not_attempted:
  description: The items after the one that failed, as C({section, key}).
  returned: on a failure part-way
  type: list
  elements: dict
  sample: [{"section": "users", "key": "104"}]
problems:
  description: Every problem found in the document, each with its path in it.
  returned: when the document is refused
  type: list
  elements: str
  sample: ["users[3].groups[0].name: Groups has no Name 'Sales', on the PBX or earlier in the document"]
"""

from ansible_collections.threecx.xapi.plugins.module_utils._config import apply, load_document, secret_values
from ansible_collections.threecx.xapi.plugins.module_utils._resources import Resources
from ansible_collections.threecx.xapi.plugins.module_utils._xapi_module import XapiModule


def run(module, client):
    params = module.params
    document = params["config"] if params["src"] is None else load_document(params["src"])
    module.no_log_values.update(secret_values(document))
    return apply(Resources(client), document, purge=params["purge"], check_mode=module.check_mode,
                 with_diff=module._diff)


def main():
    module = XapiModule(
        argument_spec=dict(
            config=dict(type="dict"),
            src=dict(type="path"),
            purge=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("config", "src")],
        required_one_of=[("config", "src")],
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == "__main__":
    main()
