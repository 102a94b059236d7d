# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenarios that the integration tests play through ansible-playbook and the unit tests play in-process.

One place for each: the documents and the expected answers, and the checks of a result against what
the simulator holds. The seed (0) has the departments DEFAULT, Accounts, Marketing, Sales and
Warehouse, and extensions 100-115.
"""

from __future__ import annotations

# threecx_config: a document with a problem of every kind, and the words each problem must hold.
PROBLEM_DOCUMENT = {
    "trunks_and_things": [],
    "groups": [{"name": "Sales", "colour": "blue"}],
    "users": [
        {"number": "100", "first_name": "Amelia"},
        {"number": "100", "last_name": "Again"},
        {"number": "101", "properties": {"IsRegistered": True}},
        {"number": "102", "enabled": "perhaps"},
        {"first_name": "No number"},
        {"number": "103", "groups": [{"role": "users"}]},
    ],
}
PROBLEM_WORDS = ["trunks_and_things: unknown section", "groups[0].colour: unknown option", "users[1].number:",
                 "users[2]: properties: IsRegistered", "users[3]: ", "perhaps", "users[4].number: required",
                 "users[5].groups[0].name: required"]
PROBLEM_COUNT = 7

# threecx_config: references to nothing, and the problems they give.
REFERENCE_DOCUMENT = {
    "groups": [{"name": "Support"}],
    "users": [
        {"number": "150", "groups": [{"name": "Support"}, {"name": "Sales"}]},
        {"number": "151", "groups": [{"name": "Sales"}, {"name": "Nowhere"}]},
        {"number": "152", "groups": [{"name": "Elsewhere"}]},
    ],
}
REFERENCE_PROBLEMS = [
    "users[1].groups[1].name: Groups has no Name 'Nowhere', on the PBX or earlier in the document",
    "users[2].groups[0].name: Groups has no Name 'Elsewhere', on the PBX or earlier in the document"]

# threecx_config: a document whose first user's create fails (a fault the test queues).
PART_WAY_DOCUMENT = {
    "groups": [{"name": "Support"}],
    "users": [
        {"number": "150", "first_name": "Bob", "groups": [{"name": "Support"}]},
        {"number": "151", "first_name": "Cat", "groups": [{"name": "Support"}]},
        {"number": "152", "first_name": "Dan"},
    ],
}


def assert_status_summary(status, held, services):
    """threecx_system_status_info's result, run with services: true after 3CXIVR01 was stopped, against
    what the simulator holds (`held`: its whole store; `services`: its Services)."""
    summary = status["summary"]
    assert summary["version"] == next(entry["LocalVersion"] for entry in held["Updates"]["Entries"]
                                      if entry["Category"] == "3CX")
    assert summary["extensions_total"] == len(held["Users"]) and summary["trunks_total"] == len(held["Trunks"])
    assert 0 < summary["disk_usage_percent"] < 100
    assert summary["services_not_running"] == ["3CXIVR01"] and summary["has_services_not_running"] is True
    assert summary["last_backup_age_days"] == 1 and summary["last_backup"] == held["Backups"][0]["CreationTime"]
    assert status["system_status"]["LicenseKey"].startswith("********")
    assert status["health"]["Firewall"] is True and len(status["services"]) == len(services)
