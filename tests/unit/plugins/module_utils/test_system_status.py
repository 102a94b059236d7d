# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_system_status_info's payload: what it reads, what it returns whole, and how the summary is worked out."""

from __future__ import annotations

import copy
import datetime
import types

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils import _system_status
from ansible_collections.threecx.xapi.plugins.module_utils._client import Response
from ansible_collections.threecx.xapi.plugins.module_utils._system_status import (
    disk_usage_percent,
    status_summary,
    system_status_info,
)
from xapi_testlib import LateEveningClock

STATUS = {"@odata.context": "https://pbx/xapi/v1/$metadata#SystemStatus", "Version": "20.0.4.1", "DiskUsage": 41,
          "ExtensionsRegistered": 3, "ExtensionsTotal": 5, "TrunksRegistered": 1, "TrunksTotal": 2,
          "HasNotRunningServices": True}
HEALTH = {"@odata.context": "https://pbx/xapi/v1/$metadata#Pbx.SystemHealthStatus", "Firewall": True, "Trunks": False}
SERVICES = [{"Name": "3CX PhoneSystem", "Status": "Running"}, {"Name": "3CX Queue Manager", "Status": "Stopped"}]


class StatusPbx:
    """Answers the three reads of the module from fixed answers, and records them."""

    def __init__(self):
        self.reads = []

    def call(self, method, path, query=None, body=None, idempotent=False):
        self.reads.append((method, path))
        return Response(200, copy.deepcopy({"SystemStatus": STATUS, "SystemStatus/Pbx.SystemHealthStatus()": HEALTH}[path]))

    def get_pages(self, path, query=None, page_size=100, limit=None, want_count=False):
        self.reads.append(("GET", path, query, page_size, limit))
        return copy.deepcopy(SERVICES), None


def without_context(answer):
    return {name: value for name, value in answer.items() if name != "@odata.context"}


SUMMARY = {"version": "20.0.4.1", "disk_usage_percent": 41, "extensions_registered": 3, "extensions_total": 5,
           "trunks_registered": 1, "trunks_total": 2, "has_services_not_running": True, "last_backup": None,
           "last_backup_age_days": None}


def test_the_whole_result_with_the_services_read_in_pages_of_500():
    pbx = StatusPbx()
    assert system_status_info(pbx, True) == {
        "changed": False, "system_status": without_context(STATUS), "health": without_context(HEALTH),
        "summary": dict(SUMMARY, services_not_running=["3CX Queue Manager"]), "services": SERVICES}
    assert pbx.reads == [("GET", "SystemStatus"), ("GET", "SystemStatus/Pbx.SystemHealthStatus()"),
                         ("GET", "Services", None, 500, None)]


def test_without_services_nothing_more_is_read_and_none_is_said_about_them():
    pbx = StatusPbx()
    assert system_status_info(pbx, False) == {
        "changed": False, "system_status": without_context(STATUS), "health": without_context(HEALTH),
        "summary": dict(SUMMARY, services_not_running=None)}
    assert pbx.reads == [("GET", "SystemStatus"), ("GET", "SystemStatus/Pbx.SystemHealthStatus()")]


@pytest.mark.parametrize("status, percent", [
    ({"DiskUsage": 40, "TotalDiskSpace": 100, "FreeDiskSpace": 90}, 40),
    ({"TotalDiskSpace": 200, "FreeDiskSpace": 50}, 75),
    ({"TotalDiskSpace": 1, "FreeDiskSpace": 0}, 100),
    ({"TotalDiskSpace": 0, "FreeDiskSpace": 0}, None),
    ({"TotalDiskSpace": 100, "FreeDiskSpace": None}, None),
    ({"TotalDiskSpace": None, "FreeDiskSpace": 5}, None),
])
def test_disk_usage_is_the_pbx_figure_or_worked_out_from_total_and_free_space(status, percent):
    assert disk_usage_percent(status) == percent


def test_without_a_date_given_the_backup_age_counts_from_today_in_utc(monkeypatch):
    monkeypatch.setattr(_system_status, "datetime", types.SimpleNamespace(datetime=LateEveningClock, timezone=datetime.timezone))
    summary = status_summary({"LastBackupDateTime": "2026-11-30T02:00:00Z"})
    assert (summary["last_backup"], summary["last_backup_age_days"]) == ("2026-11-30T02:00:00Z", 1)


def test_answers_without_an_odata_context_are_returned_as_they_are():
    class Plain(StatusPbx):
        def call(self, method, path, query=None, body=None, idempotent=False):
            return Response(200, without_context(super().call(method, path).data))

    result = system_status_info(Plain(), False)
    assert (result["system_status"], result["health"]) == (without_context(STATUS), without_context(HEALTH))
