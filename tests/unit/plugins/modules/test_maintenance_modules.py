# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backups, updates, services and the status summary, run in-process against the simulator.

The integration tests (tests/integration/test_maintenance.py) run these modules through
ansible-playbook; these are the in-process counterparts that mutation testing can run, asserting on
the simulator's request log and store, not on the module's own word.
"""

from __future__ import annotations

import pytest
from module_runner import run_module, writes
from scenarios import assert_status_summary

from ansible_collections.threecx.xapi.plugins.module_utils import _maintenance
from ansible_collections.threecx.xapi.plugins.modules import (
    threecx_backup,
    threecx_backup_info,
    threecx_service,
    threecx_system_status_info,
    threecx_update,
    threecx_update_info,
)

BACKUP = "/xapi/v1/Backups/Pbx.Backup"
SCHEDULED = "3CXScheduledBackup.zip"


@pytest.fixture(autouse=True)
def quick_waits(monkeypatch):
    """The waits for a backup and a restart look again after 0.05 s, not 0.5 s, then back off as ever.

    The same loop in a tenth of the time: `make mutation` runs these tests once per surviving mutant of
    the client. The simulator's delays below stay longer than the first pause, so each wait still finds
    the PBX not ready at first. The back-off itself is tested with a fake clock (test_maintenance.py).
    """
    monkeypatch.setattr(_maintenance, "FIRST_PAUSE", 0.05)


def backup(pbx, capsys, check_mode=False, **args):
    return run_module(threecx_backup, pbx, capsys, check_mode=check_mode, **args)


def test_a_backup_is_made_once_then_found_by_name_with_or_without_zip(pbx, capsys):
    pbx.settings(backup_delay=0.1)
    made = backup(pbx, capsys, name="before-upgrade", contents={"license": True, "recordings": False})
    assert made["changed"] is True and made["backup"]["FileName"] == "before-upgrade.zip"
    assert made["backup"]["DownloadLink"] == "********" and made["deleted"] == []
    assert [entry["body"] for entry in pbx.writes()] == [
        {"description": {"Name": "before-upgrade", "Contents": {"License": True, "Recordings": False}}}]
    assert writes(pbx) == [("POST", BACKUP)]

    pbx.clear_log()
    again = backup(pbx, capsys, name="before-upgrade.zip")
    assert again["changed"] is False and again["backup"]["FileName"] == "before-upgrade.zip"
    assert writes(pbx) == []


def test_check_mode_says_what_would_go_and_keep_last_deletes_the_oldest(pbx, capsys):
    pbx.settings(backup_delay=0)
    backup(pbx, capsys, name="old-1")
    held = {item["FileName"]: item for item in pbx.store("Backups")}
    assert set(held) == {"old-1.zip", SCHEDULED}
    pbx.clear_log()
    checked = backup(pbx, capsys, check_mode=True, name="nightly", keep_last=1)
    assert checked["changed"] is True and checked["backup"] is None
    assert sorted(checked["deleted"]) == sorted(["old-1.zip", SCHEDULED])
    assert writes(pbx) == []

    done = backup(pbx, capsys, name="nightly", keep_last=1)
    assert sorted(done["deleted"]) == sorted(["old-1.zip", SCHEDULED])
    assert writes(pbx)[0] == ("POST", BACKUP)
    assert sorted(writes(pbx)[1:]) == sorted([("DELETE", "/xapi/v1/Backups('old-1.zip')"),
                                              ("DELETE", "/xapi/v1/Backups('%s')" % SCHEDULED)])
    assert [item["FileName"] for item in pbx.store("Backups")] == ["nightly.zip"]


def test_absent_deletes_then_does_nothing(pbx, capsys):
    checked = backup(pbx, capsys, check_mode=True, name="3CXScheduledBackup", state="absent")
    assert checked["changed"] is True and checked["deleted"] == [SCHEDULED] and writes(pbx) == []
    done = backup(pbx, capsys, name="3CXScheduledBackup", state="absent")
    assert done["changed"] is True and done["backup"] is None and done["deleted"] == [SCHEDULED]
    assert writes(pbx) == [("DELETE", "/xapi/v1/Backups('%s')" % SCHEDULED)]
    pbx.clear_log()
    again = backup(pbx, capsys, name="3CXScheduledBackup", state="absent")
    assert again["changed"] is False and again["deleted"] == [] and writes(pbx) == []


def test_a_download_then_the_same_download_fetches_nothing(pbx, capsys, tmp_path):
    target = tmp_path / "copies"
    target.mkdir()
    listed = pbx.store("Backups")[0]
    first = backup(pbx, capsys, name=SCHEDULED, download=str(target) + "/")
    assert first["changed"] is True and first["downloaded"] is True
    assert (target / SCHEDULED).stat().st_size == listed["Size"]
    assert len([entry for entry in pbx.log() if "DownloadBackup" in entry["path"]]) == 1
    assert sorted(path.name for path in target.iterdir()) == [SCHEDULED]

    pbx.clear_log()
    again = backup(pbx, capsys, name=SCHEDULED, download=str(target / SCHEDULED))
    assert again["changed"] is False and again["downloaded"] is False
    assert [entry for entry in pbx.log() if "DownloadBackup" in entry["path"]] == [] and writes(pbx) == []


def test_bad_backup_options_fail_naming_them_and_send_nothing(pbx, capsys):
    failed = backup(pbx, capsys, name="x", wait=False, download="/tmp/x.zip")
    assert failed["failed"] is True and "download needs wait=true" in failed["msg"]
    failed = backup(pbx, capsys, name="x", keep_last=0)
    assert failed["failed"] is True and "keep_last must be 1 or more" in failed["msg"]
    assert pbx.log() == []


def test_backup_info_lists_newest_first_with_links_masked(pbx, capsys):
    pbx.settings(backup_delay=0)
    backup(pbx, capsys, name="fresh")
    listing = run_module(threecx_backup_info, pbx, capsys)
    assert listing["changed"] is False
    assert [item["FileName"] for item in listing["backups"]] == ["fresh.zip", SCHEDULED]
    assert {item["DownloadLink"] for item in listing["backups"]} == {"********"}
    assert "backup_settings" not in listing


def test_backup_info_with_settings_gives_the_pbxs_settings_and_their_repository(pbx, capsys):
    listing = run_module(threecx_backup_info, pbx, capsys, settings=True)
    assert listing["backup_settings"] == dict(pbx.store("BackupSettings"), Repository=pbx.store("BackupRepositorySettings"))
    reads = [entry["path"] for entry in pbx.log() if entry["method"] == "GET"]
    assert "/xapi/v1/Backups/Pbx.GetBackupSettings()" in reads
    assert "/xapi/v1/Backups/Pbx.GetBackupRepositorySettings()" in reads


def test_update_info_by_category_and_an_unknown_update_name(pbx, capsys):
    info = run_module(threecx_update_info, pbx, capsys, categories=["Firmware"])
    assert info["changed"] is False
    assert info["updates"] and {entry["Category"] for entry in info["updates"]} == {"Firmware"}
    assert info["available"] == [entry for entry in info["updates"] if entry["OutOfDate"]]
    assert info["maintenance_expired"] is False
    bad = run_module(threecx_update, pbx, capsys, names=["No such update"])
    assert bad["failed"] is True and "names: the PBX has no update No such update" in bad["msg"]
    assert writes(pbx) == []


def test_update_check_then_install_through_a_restart_then_nothing(pbx, capsys):
    pbx.settings(update_restart=0.3)  # room for the first look to come while it restarts, even on a busy machine
    out_of_date = [entry for entry in pbx.store("Updates")["Entries"] if entry["OutOfDate"]]
    assert out_of_date
    checked = run_module(threecx_update, pbx, capsys, check_mode=True, wait_timeout=60)
    assert checked["changed"] is True and checked["installed"] == out_of_date and writes(pbx) == []

    pbx.clear_log()
    done = run_module(threecx_update, pbx, capsys, wait_timeout=60)
    assert done["changed"] is True and done["installed"] == out_of_date
    (install,) = [entry for entry in pbx.log() if entry["method"] == "POST" and "InstallUpdates" in entry["path"]]
    assert install["body"]["install"]["Entries"] == [entry["Guid"] for entry in out_of_date]
    after = [entry["status"] for entry in pbx.log() if entry["time"] > install["time"]]
    assert 503 in after and after[-1] == 200, "it waited through the restart until the PBX answered"
    assert not any(entry["OutOfDate"] for entry in pbx.store("Updates")["Entries"])

    pbx.clear_log()
    again = run_module(threecx_update, pbx, capsys, wait_timeout=60)
    assert again["changed"] is False and writes(pbx) == []


def test_an_update_fails_when_the_pbx_stays_away_past_the_timeout(pbx, capsys):
    pbx.settings(update_restart=30)
    failed = run_module(threecx_update, pbx, capsys, wait_timeout=1, categories=["3CX"])
    assert failed["failed"] is True and failed["msg"] == (
        "the PBX did not answer again within 1 seconds (wait_timeout) after installing 3CX Phone System")
    assert len([entry for entry in pbx.log() if "InstallUpdates" in entry["path"]]) == 1


def service(pbx, capsys, state, name="3CXMediaServer", check_mode=False):
    return run_module(threecx_service, pbx, capsys, check_mode=check_mode, name=name, state=state)


def test_service_stop_is_idempotent_and_restart_always_acts(pbx, capsys):
    checked = service(pbx, capsys, "stopped", check_mode=True)
    assert checked["changed"] is True and checked["actions"] == ["Stop"] and writes(pbx) == []
    assert (checked["service"]["Name"], checked["service"]["Status"]) == ("3CXMediaServer", "Running"), \
        "in check mode, the service as listed before"
    stopped = service(pbx, capsys, "stopped")
    assert stopped["changed"] is True and stopped["service"]["Status"] == "Stopped"
    assert [entry["body"] for entry in pbx.writes()] == [{"options": {"ServiceNames": ["3CXMediaServer"]}}]
    pbx.clear_log()
    again = service(pbx, capsys, "stopped")
    assert again["changed"] is False and again["actions"] == [] and writes(pbx) == []
    for _run in range(2):
        pbx.clear_log()
        restarted = service(pbx, capsys, "restarted")
        assert restarted["changed"] is True and restarted["service"]["Status"] == "Running"
        assert writes(pbx) == [("POST", "/xapi/v1/Services/Pbx.Restart")]


def test_an_unknown_service_fails_naming_it_and_acts_on_nothing(pbx, capsys):
    failed = service(pbx, capsys, "started", name="3CXNope")
    names = ", ".join(sorted(item["Name"] for item in pbx.store("Services")))
    assert failed["failed"] is True and failed["msg"] == "name: the PBX has no service '3CXNope' (known: %s)" % names
    assert writes(pbx) == []


def test_status_summary_counts_what_the_pbx_holds(pbx, capsys):
    service(pbx, capsys, "stopped", name="3CXIVR01")
    status = run_module(threecx_system_status_info, pbx, capsys, services=True)
    assert status["changed"] is False
    assert_status_summary(status, pbx.store(), pbx.store("Services"))
    assert "@odata.context" not in status["system_status"] and "@odata.context" not in status["health"]


def test_the_status_without_services_does_not_list_them(pbx, capsys):
    status = run_module(threecx_system_status_info, pbx, capsys)
    assert status["changed"] is False and status.get("services") is None
    assert status["summary"]["services_not_running"] is None
    assert not [entry for entry in pbx.log() if entry["path"] == "/xapi/v1/Services"]


def test_a_backup_of_a_name_being_made_already_is_asked_for_once(pbx, capsys):
    pbx.settings(backup_delay=30)
    first = backup(pbx, capsys, name="slow", wait=False)
    assert first == dict(first, changed=True, backup=None, deleted=[])
    second = backup(pbx, capsys, name="slow", wait=False)
    assert second == dict(second, changed=False, backup=None, deleted=[]), "the PBX answered DUPLICATE"
    assert [(entry["method"], entry["status"]) for entry in pbx.log() if entry["path"] == BACKUP] == [
        ("POST", 204), ("POST", 400)]


def test_another_refusal_of_a_backup_fails_with_the_pbxs_words(pbx, capsys):
    pbx.fault(path="Pbx.Backup", method="POST", status=400, body="json", times=1)
    failed = backup(pbx, capsys, name="nightly", wait=False)
    assert failed["failed"] is True and failed["status"] == 400
    assert failed["msg"] == ("POST %s%s: HTTP 400: the PBX answered with an error: WARNINGS.XAPI.SIMULATED_FAULT "
                             "(Simulated fault: HTTP 400)" % (pbx.base_url, BACKUP))


def test_keep_last_and_download_need_state_present_and_download_needs_wait(pbx, capsys):
    for option, value in (("keep_last", 2), ("download", "/tmp/x.zip")):
        failed = backup(pbx, capsys, name="x", state="absent", **{option: value})
        assert failed["msg"] == "%s works with state=present only" % option
    failed = backup(pbx, capsys, name="x", wait=False, download="/tmp/x.zip")
    assert failed["msg"] == "download needs wait=true: a backup can only be fetched once the PBX lists it"
    assert pbx.log() == []


def test_check_mode_of_a_new_backup_with_download_says_where_it_would_go(pbx, capsys, tmp_path):
    checked = backup(pbx, capsys, check_mode=True, name="nightly", download=str(tmp_path) + "/")
    assert checked["changed"] is True and checked["downloaded"] is True
    assert checked["dest"] == str(tmp_path / "nightly.zip") and not (tmp_path / "nightly.zip").exists()
    assert writes(pbx) == []
    listed = backup(pbx, capsys, check_mode=True, name=SCHEDULED, download=str(tmp_path / "copy.zip"))
    assert listed["changed"] is True and listed["downloaded"] is True and listed["dest"] == str(tmp_path / "copy.zip")
    assert not (tmp_path / "copy.zip").exists()
    assert [entry for entry in pbx.log() if "DownloadBackup" in entry["path"]] == []


def test_a_new_backup_is_waited_for_then_downloaded_and_keep_last_counts_it(pbx, capsys, tmp_path):
    pbx.settings(backup_delay=0.1)
    made = backup(pbx, capsys, name="fresh", keep_last=2, download=str(tmp_path / "fresh.zip"))
    listed = {item["FileName"]: item for item in pbx.store("Backups")}
    assert set(listed) == {"fresh.zip", SCHEDULED}
    assert made["changed"] is True and made["deleted"] == [] and made["downloaded"] is True
    assert made["backup"]["FileName"] == "fresh.zip" and made["backup"]["Size"] == listed["fresh.zip"]["Size"]
    assert (tmp_path / "fresh.zip").stat().st_size == listed["fresh.zip"]["Size"]


def test_keep_last_alone_deletes_only_beyond_the_newest(pbx, capsys):
    pbx.settings(backup_delay=0)
    for name in ("a", "b"):
        backup(pbx, capsys, name=name)
    pbx.clear_log()
    kept = backup(pbx, capsys, name="b", keep_last=2)
    assert kept["changed"] is True and kept["deleted"] == [SCHEDULED]
    assert writes(pbx) == [("DELETE", "/xapi/v1/Backups('%s')" % SCHEDULED)]
    pbx.clear_log()
    again = backup(pbx, capsys, name="b", keep_last=2)
    assert again["changed"] is False and again["deleted"] == [] and writes(pbx) == []


def test_backup_info_leaves_out_the_odata_context_of_the_settings(pbx, capsys):
    listing = run_module(threecx_backup_info, pbx, capsys, settings=True)
    assert "@odata.context" not in listing["backup_settings"]
    assert "@odata.context" not in listing["backup_settings"]["Repository"]


def test_an_unknown_update_name_fails_naming_every_known_name(pbx, capsys):
    names = sorted(entry["Name"] for entry in pbx.store("Updates")["Entries"])
    bad = run_module(threecx_update, pbx, capsys, names=["No such update", "Nor this"])
    assert bad["msg"] == "names: the PBX has no update No such update, Nor this (known: %s)" % ", ".join(names)


def test_an_update_by_name_installs_only_that_entry_and_without_wait_returns_at_once(pbx, capsys):
    held = pbx.store("Updates")
    fanvil = next(entry for entry in held["Entries"] if entry["Name"] == "Fanvil X series firmware")
    done = run_module(threecx_update, pbx, capsys, names=["Fanvil X series firmware"], wait=False)
    assert done["changed"] is True and done["installed"] == [fanvil]
    (install,) = pbx.writes()
    assert install["body"] == {"install": {"Key": held["Key"], "Entries": [fanvil["Guid"]]}}
    assert pbx.log()[-1] == install, "no wait: nothing read after the install"
    up_to_date = next(entry["Name"] for entry in held["Entries"] if not entry["OutOfDate"])
    pbx.clear_log()
    nothing = run_module(threecx_update, pbx, capsys, names=[up_to_date])
    assert nothing["changed"] is False and nothing["installed"] == [] and writes(pbx) == []


def test_enabled_is_sent_on_every_run_after_the_state(pbx, capsys):
    disabled = run_module(threecx_service, pbx, capsys, name="3CXMediaServer", enabled=False)
    assert disabled["changed"] is True and disabled["actions"] == ["Disable"]
    assert writes(pbx) == [("POST", "/xapi/v1/Services/Pbx.Disable")]
    pbx.clear_log()
    both = run_module(threecx_service, pbx, capsys, name="3CXMediaServer", state="started", enabled=True)
    assert both["changed"] is True and both["actions"] == ["Enable"], "started already: only enabled is sent"
    pbx.clear_log()
    both = run_module(threecx_service, pbx, capsys, name="3CXMediaServer", state="stopped", enabled=True)
    assert both["actions"] == ["Stop", "Enable"] and both["service"]["Status"] == "Stopped"
    assert writes(pbx) == [("POST", "/xapi/v1/Services/Pbx.Stop"), ("POST", "/xapi/v1/Services/Pbx.Enable")]
    pbx.clear_log()
    started = service(pbx, capsys, "started")
    assert started["actions"] == ["Start"] and started["service"]["Status"] == "Running"
    assert [entry["body"] for entry in pbx.writes()] == [{"options": {"ServiceNames": ["3CXMediaServer"]}}]


def test_a_wait_timeout_of_one_second_is_the_least_taken(pbx, capsys):
    for module, args in ((threecx_backup, {"name": "x", "keep_last": 1}), (threecx_update, {})):
        refused = run_module(module, pbx, capsys, check_mode=True, wait_timeout=0, **args)
        assert refused["failed"] is True and refused["msg"] == "wait_timeout must be 1 or more; got 0"
        taken = run_module(module, pbx, capsys, check_mode=True, wait_timeout=1, **args)
        assert taken.get("failed") is not True, taken
    refused = run_module(threecx_backup, pbx, capsys, check_mode=True, name="x", keep_last=0)
    assert refused["msg"] == "keep_last must be 1 or more; got 0"
