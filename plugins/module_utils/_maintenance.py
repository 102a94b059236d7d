# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The chores of a PBX: backups, updates, its status and its services, on the resource layer.

Backups are not desired state in the engine's sense: a backup is asked for with an action
(`POST /Backups/Pbx.Backup`, 204, no entity), appears in `GET /Backups` some seconds later, and
is never changed, only deleted. So this file holds the few steps, and the modules put them in order.
"""

from __future__ import annotations

import os
import time

from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, XapiError
from ansible_collections.threecx.xapi.plugins.module_utils._resources import (
    Resources,
    operation_path,
    prepare_call,
    send_call,
)

BACKUPS = "Backups"
ZIP = ".zip"
# Pbx.BackupContents: the option name of each part a backup may hold.
BACKUP_CONTENTS = {
    "call_history": "CallHistory",
    "disable_compression": "DisableBackupCompression",
    "encrypt": "EncryptBackup",
    "encryption_password": "EncryptBackupPassword",
    "fqdn": "FQDN",
    "license": "License",
    "phone_provisioning": "PhoneProvisioning",
    "prompts": "Prompts",
    "recordings": "Recordings",
    "voicemails": "VoiceMails",
}
# Polling: the first pause, and the longest one (the back-off doubles up to it).
FIRST_PAUSE = 0.5
LONGEST_PAUSE = 5.0


def ensure_backup(client, params, check_mode):
    """threecx_backup: the backup present (asked for, waited for, downloaded, older ones pruned) or absent."""
    file_name = backup_file_name(params["name"])
    check_backup_options(params)
    api = Resources(client)
    backups = list_backups(api)
    backup = find_backup(backups, file_name)
    result = {"changed": False, "backup": backup, "deleted": []}
    if params["state"] == "absent":
        if backup is not None:
            result.update(changed=True, deleted=[file_name], backup=None)
            if not check_mode:
                delete_backup(api, file_name)
        return result
    if backup is None:
        result["changed"] = check_mode or request_backup(api, file_name, params["contents"])
        if params["wait"] and not check_mode:
            backup = result["backup"] = wait_for_backup(api, file_name, params["wait_timeout"])
            backups = list_backups(api)
    if params["keep_last"] is not None:
        result["deleted"] = prune(api, backups, file_name, params["keep_last"], check_mode)
        result["changed"] = result["changed"] or bool(result["deleted"])
    if params["download"]:
        result.update(fetch(api, backup, params["download"], file_name, check_mode))
        result["changed"] = result["changed"] or result["downloaded"]
    return result


def check_backup_options(params):
    """What cannot work, refused before any request."""
    if params["state"] == "absent":
        for option in ("keep_last", "download"):
            if params[option] is not None:
                raise InputError("%s works with state=present only" % option, option)
    if params["download"] is not None and not params["wait"]:
        raise InputError("download needs wait=true: a backup can only be fetched once the PBX lists it", "download")


def prune(api, backups, file_name, keep_last, check_mode):
    """Delete the oldest backups beyond `keep_last`, the one just asked for counted as the newest."""
    others = [backup for backup in backups if backup.get("FileName") != file_name]
    doomed = [backup["FileName"] for backup in beyond(others, keep_last - 1)]
    if not check_mode:
        doomed = [name for name in doomed if delete_backup(api, name)]
    return doomed


def fetch(api, backup, path, file_name, check_mode):
    """{"downloaded", "dest"}: the backup fetched into `path` unless a file of its size is there."""
    target = download_target(path, file_name)
    if backup is None:  # check mode, before the backup exists: it would be fetched
        return {"downloaded": True, "dest": target}
    wanted = needs_download(target, backup)
    if wanted and not check_mode:
        download_backup(api, backup, target)
    return {"downloaded": wanted, "dest": target}


def backup_file_name(name):
    """`nightly` and `nightly.zip` name the same backup, `nightly.zip`."""
    text = (name or "").strip()
    if not text or text == ZIP or "/" in text or "\\" in text:
        raise InputError("name must be a file name such as nightly or nightly.zip; got %r" % (name,), "name")
    return text if text.endswith(ZIP) else text + ZIP


def backup_contents(contents):
    """The options' `contents` as Pbx.BackupContents (only the parts given)."""
    return {BACKUP_CONTENTS[option]: value for option, value in (contents or {}).items() if value is not None}


def newest_first(backups):
    return sorted(backups, key=lambda backup: backup.get("CreationTime") or "", reverse=True)


def list_backups(api):
    """Every backup the PBX lists, newest first."""
    return newest_first(api.list(BACKUPS))


def find_backup(backups, file_name):
    return next((backup for backup in backups if backup.get("FileName") == file_name), None)


def request_backup(api, file_name, contents):
    """Ask the PBX for a backup. False when one of that name is being made already (a duplicate).

    The action is never repeated: after an unclear failure the caller waits for the backup to be listed.
    """
    body = {"description": {"Name": file_name[:-len(ZIP)], "Contents": backup_contents(contents)}}
    try:
        send_call(api.client, prepare_call(operation="Backup", body=body))
    except XapiError as exc:
        if exc.status == 400 and "DUPLICATE" in (exc.pbx_message or ""):
            return False
        raise
    return True


def wait_for_backup(api, file_name, timeout, clock=time.monotonic, sleep=time.sleep):
    """The backup once the PBX lists it; fails when `timeout` seconds pass first."""
    found = poll(lambda: find_backup(list_backups(api), file_name), timeout, clock, sleep)
    if found is None:
        raise XapiError("the PBX did not list backup %s within %s seconds (wait_timeout); it may still be "
                        "making it" % (file_name, timeout))
    return found


def poll(check, timeout, clock=time.monotonic, sleep=time.sleep):
    """`check()` until it returns something, pausing with a bounded back-off; None after `timeout` seconds."""
    deadline = clock() + timeout
    pause = FIRST_PAUSE
    while True:
        found = check()
        if found is not None:
            return found
        left = deadline - clock()
        if left <= 0:
            return None
        sleep(min(pause, left))
        pause = min(pause * 2, LONGEST_PAUSE)


def beyond(backups, keep_last):
    """The backups to delete so that only the newest `keep_last` stay."""
    return newest_first(backups)[keep_last:]


def delete_backup(api, file_name):
    """DELETE /Backups('<name>.zip'); False when it was not there."""
    return api.delete(BACKUPS, file_name)


def download_target(path, file_name):
    """The file to write: `path`, or the backup's file name inside `path` when that is a directory (or ends in /)."""
    return os.path.join(path, file_name) if path.endswith(os.sep) or os.path.isdir(path) else path


def needs_download(target, backup):
    """False when the file is there already with the backup's size."""
    return not (os.path.isfile(target) and os.path.getsize(target) == backup.get("Size"))


def download_backup(api, backup, target):
    """Fetch a listed backup into `target`, streamed, and check its size."""
    written = api.client.download(backup["DownloadLink"], target)
    if isinstance(backup.get("Size"), int) and written != backup["Size"]:
        raise XapiError("the download of %s has %d bytes where the PBX lists %d"
                        % (backup["FileName"], written, backup["Size"]))
    return written


def backup_settings(api):
    """The backup schedule and rotation (GetBackupSettings), with the repository under `Repository`."""
    settings = dict(api.client.call("GET", operation_path("GetBackupSettings")).data or {})
    settings.pop("@odata.context", None)
    repository = dict(api.client.call("GET", operation_path("GetBackupRepositorySettings")).data or {})
    repository.pop("@odata.context", None)
    settings["Repository"] = repository
    return settings


def backups_info(client, settings):
    """threecx_backup_info: every backup, newest first, and the settings when asked."""
    api = Resources(client)
    result = {"changed": False, "backups": list_backups(api)}
    if settings:
        result["backup_settings"] = backup_settings(api)
    return result


# --- Updates ---------------------------------------------------------------------------------------------

# While a PBX installs its own update it answers these, or refuses connections (no status): expected, not a failure.
RESTARTING_STATUSES = (None, 502, 503, 504)


def read_updates(client, retries=None):
    """GET /GetUpdates(): {Key, IsMaintananceExpired, Entries}."""
    return client.call("GET", operation_path("GetUpdates"), retries=retries).data or {}


def select_updates(entries, categories=None, names=None):
    """The entries out of date, of `categories` and named in `names` when those are given.

    A name that no entry has fails naming `names`, before any write.
    """
    if names:
        known = {entry.get("Name") for entry in entries}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise InputError("names: the PBX has no update %s (known: %s)" % (
                ", ".join(unknown), ", ".join(sorted(str(name) for name in known)) or "none"), "names")
    return [entry for entry in entries
            if entry.get("OutOfDate")
            and (not categories or entry.get("Category") in categories)
            and (not names or entry.get("Name") in names)]


def updates_info(client, categories=None):
    """threecx_update_info: every entry (of `categories`), those out of date, and whether maintenance expired."""
    listing = read_updates(client)
    entries = [entry for entry in listing.get("Entries") or [] if not categories or entry.get("Category") in categories]
    return {"changed": False, "updates": entries, "available": select_updates(entries),
            "maintenance_expired": bool(listing.get("IsMaintananceExpired"))}


def install_updates(client, params, check_mode, clock=time.monotonic, sleep=time.sleep):
    """threecx_update: install what is out of date, then wait until the PBX answers again."""
    listing = read_updates(client)
    wanted = select_updates(listing.get("Entries") or [], params["categories"], params["names"])
    result = {"changed": bool(wanted), "installed": wanted}
    if not wanted or check_mode:
        return result
    body = {"install": {"Key": listing.get("Key"), "Entries": [entry["Guid"] for entry in wanted]}}
    send_call(client, prepare_call(operation="InstallUpdates", body=body))
    if params["wait"]:
        if poll(lambda: answering(client), params["wait_timeout"], clock, sleep) is None:
            raise XapiError("the PBX did not answer again within %s seconds (wait_timeout) after installing %s"
                            % (params["wait_timeout"], ", ".join(entry.get("Name") or entry["Guid"] for entry in wanted)))
    return result


def answering(client):
    """The update list when the PBX answers; None while it restarts (503, refused connections).

    One try, no retries of the client's own: the wait's back-off and wait_timeout keep the clock.
    """
    try:
        return read_updates(client, retries=0)
    except XapiError as exc:
        if exc.status in RESTARTING_STATUSES:
            return None
        raise


# --- Status and services ---------------------------------------------------------------------------------

RUNNING = "Running"  # also in _system_status, which stays free of the resource layer
STOPPED = "Stopped"
# state -> the action that gets there, and the Status it leaves.
SERVICE_STATES = {"started": ("Start", RUNNING), "stopped": ("Stop", STOPPED), "restarted": ("Restart", RUNNING)}


def list_services(client):
    items, _count = client.get_pages(operation_path("ListServiceInfo"), page_size=500)
    return items


def ensure_service(client, params, check_mode):
    """threecx_service: the service started, stopped or restarted, and enabled or disabled."""
    service = find_service(list_services(client), params["name"])
    actions = []
    if params["state"] is not None:
        action, status = SERVICE_STATES[params["state"]]
        if params["state"] == "restarted" or service.get("Status") != status:
            actions.append(action)
    if params["enabled"] is not None:
        # Pbx.ServiceInfo does not say whether a service is enabled, so this cannot be compared: it is sent.
        actions.append("Enable" if params["enabled"] else "Disable")
    result = {"changed": bool(actions), "actions": actions, "service": service}
    if actions and not check_mode:
        for action in actions:
            body = {"options": {"ServiceNames": [params["name"]]}}
            send_call(client, prepare_call(operation=action, body=body))
        result["service"] = find_service(list_services(client), params["name"])
    return result


def find_service(services, name):
    """The service of that Name; an unknown one fails naming `name` and the names the PBX has."""
    for service in services:
        if service.get("Name") == name:
            return service
    raise InputError("name: the PBX has no service %r (known: %s)" % (
        name, ", ".join(sorted(str(service.get("Name")) for service in services)) or "none"), "name")
