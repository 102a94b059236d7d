# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""threecx_system_status_info: a PBX's status, health and services, and the summary a morning check reads.

Constant paths and the standard library only, like the other read-only modules the audit role runs: its
payload carries neither the operation catalogue nor the resource layer (see docs/performance.md).
"""

from __future__ import annotations

import datetime

from ansible_collections.threecx.xapi.plugins.module_utils._license_summary import parse_pbx_date

STATUS_PATH = "SystemStatus"
HEALTH_PATH = "SystemStatus/Pbx.SystemHealthStatus()"
SERVICES_PATH = "Services"
RUNNING = "Running"


def system_status_info(client, services):
    """threecx_system_status_info: the status, its health, the services when asked, and a summary."""
    status = client.call("GET", STATUS_PATH).data or {}
    status.pop("@odata.context", None)
    health = client.call("GET", HEALTH_PATH).data or {}
    health.pop("@odata.context", None)
    listed = client.get_pages(SERVICES_PATH, page_size=500)[0] if services else None
    result = {"changed": False, "system_status": status, "health": health,
              "summary": status_summary(status, listed)}
    if services:
        result["services"] = listed
    return result


def status_summary(status, services=None, today=None):
    """The figures a morning check looks at, from a SystemStatus (and the services, when read)."""
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    last_backup = parse_pbx_date(status.get("LastBackupDateTime"))
    return {
        "version": status.get("Version"),
        "disk_usage_percent": disk_usage_percent(status),
        "extensions_registered": status.get("ExtensionsRegistered"),
        "extensions_total": status.get("ExtensionsTotal"),
        "trunks_registered": status.get("TrunksRegistered"),
        "trunks_total": status.get("TrunksTotal"),
        "services_not_running": (None if services is None
                                 else [service.get("Name") for service in services if service.get("Status") != RUNNING]),
        "has_services_not_running": bool(status.get("HasNotRunningServices")),
        "last_backup": status.get("LastBackupDateTime") if last_backup else None,
        "last_backup_age_days": (today - last_backup).days if last_backup else None,
    }


def disk_usage_percent(status):
    """DiskUsage as the PBX gives it, else computed from the total and free space; None when unknown."""
    if isinstance(status.get("DiskUsage"), int):
        return status["DiskUsage"]
    total, free = status.get("TotalDiskSpace"), status.get("FreeDiskSpace")
    if isinstance(total, int) and isinstance(free, int) and total > 0:
        return round(100 * (total - free) / total)
    return None
