# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup steps of _maintenance that need no PBX: names, polling, what keep_last deletes."""

from __future__ import annotations

import types

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, XapiError
from ansible_collections.threecx.xapi.plugins.module_utils._system_status import status_summary
from ansible_collections.threecx.xapi.plugins.module_utils._maintenance import (
    answering,
    backup_contents,
    backup_settings,
    backup_file_name,
    beyond,
    download_backup,
    download_target,
    find_service,
    install_updates,
    poll,
    read_updates,
    select_updates,
    updates_info,
    wait_for_backup,
)


@pytest.mark.parametrize("name", ["nightly", "nightly.zip", " nightly "])
def test_a_name_with_or_without_zip_is_one_file(name):
    assert backup_file_name(name) == "nightly.zip"


@pytest.mark.parametrize("name", ["", ".zip", "a/b", "..\\x"])
def test_names_that_are_no_file_names_fail_naming_the_option(name):
    with pytest.raises(InputError) as caught:
        backup_file_name(name)
    assert caught.value.option == "name"


def test_contents_keep_only_the_parts_given_by_their_xapi_names():
    assert backup_contents({"license": True, "recordings": False, "prompts": None}) == {
        "License": True, "Recordings": False}


def test_poll_backs_off_up_to_a_bound_and_stops_at_the_timeout():
    now, pauses = [0.0], []

    def sleep(seconds):
        pauses.append(seconds)
        now[0] += seconds

    assert poll(lambda: None, 30, clock=lambda: now[0], sleep=sleep) is None
    assert pauses[:5] == [0.5, 1.0, 2.0, 4.0, 5.0] and max(pauses) == 5.0
    assert sum(pauses) == pytest.approx(30)


def test_poll_returns_what_the_check_found():
    answers = iter([None, None, {"FileName": "a.zip"}])
    assert poll(lambda: next(answers), 30, clock=lambda: 0.0, sleep=lambda _s: None) == {"FileName": "a.zip"}


def test_beyond_keeps_the_newest():
    backups = [{"FileName": "b", "CreationTime": "2026-11-02T00:00:00Z"},
               {"FileName": "c", "CreationTime": "2026-11-03T00:00:00Z"},
               {"FileName": "a", "CreationTime": "2026-11-01T00:00:00Z"}]
    assert [backup["FileName"] for backup in beyond(backups, 1)] == ["b", "a"]


def test_a_directory_target_gets_the_file_name(tmp_path):
    assert download_target(str(tmp_path), "n.zip") == str(tmp_path / "n.zip")
    assert download_target(str(tmp_path / "new") + "/", "n.zip") == str(tmp_path / "new" / "n.zip")
    assert download_target(str(tmp_path / "x.zip"), "n.zip") == str(tmp_path / "x.zip")


ENTRIES = [
    {"Guid": "1", "Category": "3CX", "Name": "3CX Phone System", "OutOfDate": True},
    {"Guid": "2", "Category": "Firmware", "Name": "Yealink", "OutOfDate": True},
    {"Guid": "3", "Category": "Prompts", "Name": "English prompts", "OutOfDate": False},
]


def test_select_updates_by_category_and_name():
    assert [entry["Guid"] for entry in select_updates(ENTRIES)] == ["1", "2"]
    assert [entry["Guid"] for entry in select_updates(ENTRIES, categories=["Firmware", "Prompts"])] == ["2"]
    assert [entry["Guid"] for entry in select_updates(ENTRIES, names=["English prompts", "Yealink"])] == ["2"]


def test_an_unknown_update_name_fails_naming_names():
    with pytest.raises(InputError) as caught:
        select_updates(ENTRIES, names=["Snom"])
    assert caught.value.option == "names" and "Yealink" in str(caught.value)


def test_status_summary_figures():
    import datetime
    status = {"Version": "20.0.10.150", "TotalDiskSpace": 200, "FreeDiskSpace": 50, "ExtensionsRegistered": 3,
              "ExtensionsTotal": 5, "TrunksRegistered": 1, "TrunksTotal": 2, "HasNotRunningServices": True,
              "LastBackupDateTime": "2026-11-28T02:00:07.1234567Z"}
    services = [{"Name": "a", "Status": "Running"}, {"Name": "b", "Status": "Stopped"}]
    summary = status_summary(status, services, today=datetime.date(2026, 12, 1))
    assert summary == {"version": "20.0.10.150", "disk_usage_percent": 75, "extensions_registered": 3,
                       "extensions_total": 5, "trunks_registered": 1, "trunks_total": 2, "services_not_running": ["b"],
                       "has_services_not_running": True, "last_backup": "2026-11-28T02:00:07.1234567Z",
                       "last_backup_age_days": 3}
    unset = status_summary({"DiskUsage": 40, "LastBackupDateTime": "0001-01-01T00:00:00Z"})
    assert unset["disk_usage_percent"] == 40 and unset["last_backup_age_days"] is None
    assert unset["services_not_running"] is None and unset["last_backup"] is None


@pytest.mark.parametrize("status, percent", [
    ({"TotalDiskSpace": 0, "FreeDiskSpace": 0}, None),
    ({"TotalDiskSpace": 1, "FreeDiskSpace": 0}, 100),
    ({"TotalDiskSpace": 200, "FreeDiskSpace": None}, None),
    ({"TotalDiskSpace": "200", "FreeDiskSpace": 50}, None),
    ({"DiskUsage": 12, "TotalDiskSpace": 200, "FreeDiskSpace": 50}, 12),
])
def test_disk_usage_is_the_pbx_figure_else_computed_else_unknown(status, percent):
    """A PBX that reports no disk (total 0) or no usable figures gives None, never a division by zero."""
    assert status_summary(status)["disk_usage_percent"] == percent


class _Listing:
    """A resource layer whose PBX lists no backup yet."""

    def list(self, entity_set):
        assert entity_set == "Backups"
        return []


def test_a_backup_not_listed_within_wait_timeout_fails_saying_it_may_still_come():
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    with pytest.raises(XapiError) as caught:
        wait_for_backup(_Listing(), "nightly.zip", 3, clock=lambda: now[0], sleep=sleep)
    assert str(caught.value) == ("the PBX did not list backup nightly.zip within 3 seconds (wait_timeout); "
                                 "it may still be making it")


class _Answers:
    """A client whose GetUpdates() raises `error` or answers `data`, recording the retries asked for."""

    def __init__(self, error=None, data=None):
        self.error, self.data, self.retries = error, data, []

    def call(self, method, path, retries=None):
        assert (method, path) == ("GET", "/GetUpdates()")
        self.retries.append(retries)
        if self.error:
            raise self.error
        return types.SimpleNamespace(data=self.data)


@pytest.mark.parametrize("status", [None, 502, 503, 504])
def test_a_restarting_pbx_is_not_answering_yet(status):
    client = _Answers(error=XapiError("away", status=status))
    assert answering(client) is None and client.retries == [0]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500])
def test_any_other_fault_while_waiting_fails(status):
    with pytest.raises(XapiError):
        answering(_Answers(error=XapiError("no", status=status)))


def test_an_answer_without_a_body_is_an_empty_update_list():
    assert answering(_Answers(data=None)) == {}
    assert read_updates(_Answers(data={"Entries": []})) == {"Entries": []}


def test_a_download_of_another_size_than_listed_fails():
    client = types.SimpleNamespace(download=lambda link, target: 10)
    api = types.SimpleNamespace(client=client)
    backup = {"FileName": "a.zip", "Size": 12, "DownloadLink": "/x"}
    with pytest.raises(XapiError) as caught:
        download_backup(api, backup, "/tmp/a.zip")
    assert str(caught.value) == "the download of a.zip has 10 bytes where the PBX lists 12"
    assert download_backup(api, dict(backup, Size=10), "/tmp/a.zip") == 10
    assert download_backup(api, dict(backup, Size=None), "/tmp/a.zip") == 10, "no size listed: nothing to check"


def test_an_unknown_update_name_on_a_pbx_without_updates_names_none():
    with pytest.raises(InputError) as caught:
        select_updates([], names=["Snom"])
    assert str(caught.value) == "names: the PBX has no update Snom (known: none)"


def test_an_unknown_service_on_a_pbx_without_services_names_none():
    with pytest.raises(InputError) as caught:
        find_service([], "3CXNope")
    assert str(caught.value) == "name: the PBX has no service '3CXNope' (known: none)"


class _Installing:
    """A client whose PBX offers `entries`, takes the install, then never answers again (503)."""

    def __init__(self, entries):
        self.entries, self.sent = entries, []

    def call(self, method, path, query=None, body=None, retries=None):
        if method == "POST":
            self.sent.append((path, body))
            return types.SimpleNamespace(status=204, data=None)
        if self.sent:
            raise XapiError("restarting", status=503)
        return types.SimpleNamespace(status=200, data={"Key": "k", "Entries": self.entries})


def test_an_update_without_a_name_is_named_by_its_guid_when_the_wait_fails():
    client = _Installing([{"Guid": "g-1", "OutOfDate": True}, {"Guid": "g-2", "Name": "Fanvil", "OutOfDate": True}])
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    params = {"categories": None, "names": None, "wait": True, "wait_timeout": 4}
    with pytest.raises(XapiError) as caught:
        install_updates(client, params, False, clock=lambda: now[0], sleep=sleep)
    assert str(caught.value) == ("the PBX did not answer again within 4 seconds (wait_timeout) after installing "
                                 "g-1, Fanvil")
    assert client.sent == [("/InstallUpdates", {"install": {"Key": "k", "Entries": ["g-1", "g-2"]}})]
    assert now[0] == pytest.approx(4)


def test_a_backup_without_a_creation_time_counts_as_the_oldest():
    backups = [{"FileName": "undated"}, {"FileName": "a", "CreationTime": "2026-11-01T00:00:00Z"}]
    assert [backup["FileName"] for backup in beyond(backups, 1)] == ["undated"]


def test_a_name_that_is_no_file_name_is_refused_in_words():
    with pytest.raises(InputError) as caught:
        backup_file_name("a/b")
    assert str(caught.value) == "name must be a file name such as nightly or nightly.zip; got 'a/b'"


class _Settings:
    """A client whose PBX answers the backup settings without @odata.context, and an update list."""

    def call(self, method, path, retries=None):
        answers = {"/Backups/Pbx.GetBackupSettings()": {"Rotation": 3},
                   "/Backups/Pbx.GetBackupRepositorySettings()": {"Location": "/backups"},
                   "/GetUpdates()": {"IsMaintananceExpired": True, "Entries": []}}
        assert method == "GET"
        return types.SimpleNamespace(data=answers[path])


def test_settings_without_an_odata_context_and_an_expired_maintenance():
    api = types.SimpleNamespace(client=_Settings())
    assert backup_settings(api) == {"Rotation": 3, "Repository": {"Location": "/backups"}}
    assert updates_info(_Settings()) == {"changed": False, "updates": [], "available": [], "maintenance_expired": True}
