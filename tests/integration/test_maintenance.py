# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backups (and the other chores of issue 16), run by ansible-playbook against the simulator, on its request log."""

from __future__ import annotations

from conftest import requests_to, save, task_results
from scenarios import assert_status_summary

BACKUP = "Backups/Pbx.Backup"
SCHEDULED = "3CXScheduledBackup.zip"


def backup_task(options):
    return """
- name: A backup
  threecx.xapi.threecx_backup:
%s
  register: backup
""" % "\n".join("    " + line for line in options.strip().splitlines()) + save("backup")


def writes(sim):
    return [(entry["method"], entry["path"]) for entry in sim.writes()]


def test_a_backup_is_made_once_then_found_by_name_with_or_without_zip(ansible, sim):
    sim.settings(backup_delay=1.5)
    task_results(ansible.playbook(backup_task("name: before-upgrade\ncontents: {license: true, recordings: false}")))
    made = ansible.saved("backup")
    assert made["changed"] is True and made["backup"]["FileName"] == "before-upgrade.zip"
    assert made["backup"]["DownloadLink"] == "********" and made["deleted"] == []
    (post,) = requests_to(sim, "POST", BACKUP)
    assert post["body"] == {"description": {"Name": "before-upgrade", "Contents": {"License": True, "Recordings": False}}}
    assert len(requests_to(sim, "GET", "/Backups")) >= 3, "it polled until the backup was listed"

    sim.clear_log()
    task_results(ansible.playbook(backup_task("name: before-upgrade.zip")))
    again = ansible.saved("backup")
    assert again["changed"] is False and again["backup"]["FileName"] == "before-upgrade.zip"
    assert writes(sim) == [] and len(requests_to(sim, "GET", "/Backups")) == 1


def test_check_mode_says_what_would_go_and_keep_last_deletes_the_oldest(ansible, sim):
    sim.settings(backup_delay=0)
    for name in ("old-1", "old-2"):  # a run apiece, so that their CreationTimes (whole seconds) differ
        task_results(ansible.playbook(backup_task("name: " + name)))
    sim.clear_log()
    task_results(ansible.playbook(backup_task("name: nightly\nkeep_last: 2"), args=["--check"]))
    checked = ansible.saved("backup")
    assert checked["changed"] is True and checked["backup"] is None
    assert checked["deleted"] == ["old-1.zip", SCHEDULED]
    assert writes(sim) == []

    task_results(ansible.playbook(backup_task("name: nightly\nkeep_last: 2")))
    done = ansible.saved("backup")
    assert done["deleted"] == ["old-1.zip", SCHEDULED]
    assert writes(sim) == [("POST", "/xapi/v1/" + BACKUP), ("DELETE", "/xapi/v1/Backups('old-1.zip')"),
                           ("DELETE", "/xapi/v1/Backups('%s')" % SCHEDULED)]
    assert sorted(backup["FileName"] for backup in sim.store("Backups")) == ["nightly.zip", "old-2.zip"]


def test_absent_deletes_then_does_nothing(ansible, sim):
    task_results(ansible.playbook(backup_task("name: 3CXScheduledBackup\nstate: absent"), args=["--check"]))
    assert ansible.saved("backup")["deleted"] == [SCHEDULED] and writes(sim) == []
    task_results(ansible.playbook(backup_task("name: 3CXScheduledBackup\nstate: absent")))
    assert ansible.saved("backup")["changed"] is True
    assert writes(sim) == [("DELETE", "/xapi/v1/Backups('%s')" % SCHEDULED)]
    sim.clear_log()
    task_results(ansible.playbook(backup_task("name: 3CXScheduledBackup\nstate: absent")))
    assert ansible.saved("backup")["changed"] is False and writes(sim) == []


def test_a_download_then_the_same_download_fetches_nothing(ansible, sim, tmp_path):
    target = tmp_path / "copies"
    target.mkdir()
    task = backup_task("name: %s\ndownload: %s/" % (SCHEDULED, target))
    task_results(ansible.playbook(task, args=["-vvv"]))
    first = ansible.saved("backup")
    listed = sim.store("Backups")[0]
    assert first["changed"] is True and first["downloaded"] is True
    assert (target / SCHEDULED).stat().st_size == listed["Size"]
    assert len(requests_to(sim, "GET", "DownloadBackup")) == 1
    assert listed["DownloadLink"] not in "".join(ansible.outputs), "the download link is a secret"
    assert sorted(path.name for path in target.iterdir()) == [SCHEDULED]

    sim.clear_log()
    task_results(ansible.playbook(task))
    again = ansible.saved("backup")
    assert again["changed"] is False and again["downloaded"] is False
    assert requests_to(sim, "GET", "DownloadBackup") == [] and writes(sim) == []


def test_bad_input_sends_nothing(ansible, sim):
    process = ansible.playbook(backup_task("name: x\nwait: false\ndownload: /tmp/x.zip"))
    assert process.returncode != 0 and "download needs wait=true" in process.stdout
    process = ansible.playbook(backup_task("name: x\nkeep_last: 0"))
    assert process.returncode != 0 and "keep_last must be 1 or more" in process.stdout
    assert sim.log() == []


def test_backup_info_lists_newest_first(ansible, sim):
    sim.settings(backup_delay=0)
    task_results(ansible.playbook(backup_task("name: fresh") + """
- threecx.xapi.threecx_backup_info:
  register: listing
""" + save("listing")))
    listing = ansible.saved("listing")
    assert [backup["FileName"] for backup in listing["backups"]] == ["fresh.zip", SCHEDULED]
    assert {backup["DownloadLink"] for backup in listing["backups"]} == {"********"}


def test_backup_info_with_settings_reads_the_schedule_and_the_repository(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_backup_info:
    settings: true
  register: listing
""" + save("listing")))
    listing = ansible.saved("listing")
    assert listing["changed"] is False
    assert [backup["FileName"] for backup in listing["backups"]] == [SCHEDULED]
    assert listing["backup_settings"] == dict(sim.store("BackupSettings"), Repository=sim.store("BackupRepositorySettings"))
    assert listing["backup_settings"]["Schedule"]["ScheduleType"] == "Daily"
    assert listing["backup_settings"]["Repository"]["Location"]["FileSystemType"] == "Local"
    # One list of backups and one read of each kind of settings, in that order, and nothing written.
    assert [(entry["method"], entry["path"], entry["status"]) for entry in sim.log() if entry["path"] != "/connect/token"] == [
        ("GET", "/xapi/v1/Backups", 200),
        ("GET", "/xapi/v1/Backups/Pbx.GetBackupSettings()", 200),
        ("GET", "/xapi/v1/Backups/Pbx.GetBackupRepositorySettings()", 200),
    ]


# --- updates ---------------------------------------------------------------------------------------------

UPDATE_TASK = """
- name: Update the PBX
  threecx.xapi.threecx_update:
    wait_timeout: 60
  register: update
""" + save("update")


def test_update_check_then_install_through_a_restart_then_nothing(ansible, sim):
    sim.settings(update_restart=4)
    out_of_date = [entry for entry in sim.store("Updates")["Entries"] if entry["OutOfDate"]]
    task_results(ansible.playbook(UPDATE_TASK, args=["--check"]))
    checked = ansible.saved("update")
    assert checked["changed"] is True and checked["installed"] == out_of_date
    assert writes(sim) == []

    sim.clear_log()
    task_results(ansible.playbook(UPDATE_TASK))
    assert ansible.saved("update")["installed"] == out_of_date
    (install,) = requests_to(sim, "POST", "InstallUpdates")
    assert install["body"]["install"]["Entries"] == [entry["Guid"] for entry in out_of_date]
    after = [entry["status"] for entry in sim.log() if entry["time"] > install["time"]]
    assert 503 in after and after[-1] == 200, "it waited through the restart until the PBX answered"
    assert not any(entry["OutOfDate"] for entry in sim.store("Updates")["Entries"])

    sim.clear_log()
    task_results(ansible.playbook(UPDATE_TASK))
    assert ansible.saved("update")["changed"] is False and writes(sim) == []


def test_update_fails_when_the_pbx_stays_away_past_the_timeout(ansible, sim):
    sim.settings(update_restart=30)
    process = ansible.playbook(UPDATE_TASK.replace("wait_timeout: 60", "wait_timeout: 3\n    categories: ['3CX']"))
    assert process.returncode != 0 and "did not answer again within 3 seconds" in process.stdout
    assert len(requests_to(sim, "POST", "InstallUpdates")) == 1


def test_update_info_and_names(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_update_info:
    categories: [Firmware]
  register: info
""" + save("info") + """
- threecx.xapi.threecx_update:
    names: [No such update]
  register: bad
  ignore_errors: true
""" + save("bad")))
    info = ansible.saved("info")
    assert info["updates"] and {entry["Category"] for entry in info["updates"]} == {"Firmware"}
    assert info["available"] == [entry for entry in info["updates"] if entry["OutOfDate"]]
    assert info["maintenance_expired"] is False
    bad = ansible.saved("bad")
    assert bad["failed"] is True and "names: the PBX has no update No such update" in bad["msg"]
    assert writes(sim) == []


# --- status and services ---------------------------------------------------------------------------------

def test_status_summary_and_a_masked_licence_key(ansible, sim):
    task_results(ansible.playbook("""
- threecx.xapi.threecx_service:
    name: 3CXIVR01
    state: stopped
- threecx.xapi.threecx_system_status_info:
    services: true
  register: status
""" + save("status")))
    status = ansible.saved("status")
    assert_status_summary(status, sim.store(), sim.store("Services"))
    assert [entry["path"] for entry in sim.log() if entry["method"] == "GET"][-3:] == [
        "/xapi/v1/SystemStatus", "/xapi/v1/SystemStatus/Pbx.SystemHealthStatus()", "/xapi/v1/Services"]


def service_task(state, name="3CXMediaServer"):
    return """
- threecx.xapi.threecx_service:
    name: %s
    state: %s
  register: service
""" % (name, state) + save("service")


def test_service_stop_is_idempotent_and_restart_always_acts(ansible, sim):
    task_results(ansible.playbook(service_task("stopped"), args=["--check"]))
    assert ansible.saved("service")["actions"] == ["Stop"] and writes(sim) == []
    task_results(ansible.playbook(service_task("stopped")))
    assert ansible.saved("service")["service"]["Status"] == "Stopped"
    assert [entry["body"] for entry in sim.writes()] == [{"options": {"ServiceNames": ["3CXMediaServer"]}}]
    sim.clear_log()
    task_results(ansible.playbook(service_task("stopped")))
    assert ansible.saved("service")["changed"] is False and writes(sim) == []
    for _run in range(2):
        sim.clear_log()
        task_results(ansible.playbook(service_task("restarted")))
        restarted = ansible.saved("service")
        assert restarted["changed"] is True and restarted["service"]["Status"] == "Running"
        assert writes(sim) == [("POST", "/xapi/v1/Services/Pbx.Restart")]


def test_an_unknown_service_fails_naming_it_and_acts_on_nothing(ansible, sim):
    process = ansible.playbook(service_task("started", "3CXNope"))
    assert process.returncode != 0 and "the PBX has no service '3CXNope'" in process.stdout
    assert writes(sim) == []
