# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Settings read by a function (GetBackupSettings() and GetBackupRepositorySettings()), without the spec.

The facts (SETTINGS_FUNCTIONS and TYPES in _entities.py, generated from the spec) give their types; the seed
is checked against them when the simulator starts. tests/unit/simulator/test_sim_spec_validation.py holds the
answers up to the spec itself.
"""

from __future__ import annotations

import pytest

import xapi_model
import xapi_seed
import xapi_store
from simulator_testlib import odata_error

READS = {"BackupSettings": "Backups/Pbx.GetBackupSettings()",
         "BackupRepositorySettings": "Backups/Pbx.GetBackupRepositorySettings()"}


@pytest.mark.parametrize("name, path", READS.items())
def test_the_function_answers_the_stored_settings(client, sim, name, path):
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    document = answer.json()
    type_name = xapi_model.facts()["settings_functions"][name]["type"]
    assert document.pop("@odata.context").endswith("$metadata#" + type_name)
    assert document == sim.store(name)
    assert document, "the seed fills them"
    assert set(document) <= set(xapi_model.facts()["types"][type_name])


def test_the_seed_is_a_nightly_local_backup_with_times_as_a_pbx_writes_them(sim):
    settings = sim.store("BackupSettings")
    assert settings["ScheduleEnabled"] is True and settings["Schedule"]["ScheduleType"] == "Daily"
    assert settings["Schedule"]["Time"] == "01:00:00.0000000", "seed 0; a time is stored with seven fractional digits"
    assert settings["Contents"]["License"] is True and settings["Contents"]["Recordings"] is False
    assert sim.store("BackupRepositorySettings")["Location"]["FileSystemType"] == "Local"


def test_a_seed_that_breaks_the_types_is_refused(monkeypatch):
    good = xapi_seed.function_settings(0)
    broken = dict(good, BackupSettings=dict(good["BackupSettings"], Schedule={"ScheduleType": "Fortnightly"}))
    monkeypatch.setattr(xapi_seed, "function_settings", lambda seed: broken)
    with pytest.raises(xapi_store.ODataError) as refused:
        xapi_store.Store.seeded(0)
    assert "Fortnightly" in refused.value.detail


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_every_seed_follows_the_facts(seed):
    store = xapi_store.Store.seeded(seed)
    assert set(store.function_settings) == set(READS)
    assert store.function_settings["BackupSettings"]["Rotation"] == 3 + seed % 5


def test_the_functions_take_no_query_option_and_only_get(client):
    odata_error(client.get(READS["BackupSettings"], {"$select": "Rotation"}), 400)
    answer = client.post(READS["BackupSettings"], json={})
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET"


def test_settings_the_seed_does_not_fill_are_left_to_the_spec(client):
    assert "RestoreSettings" in xapi_model.facts()["settings_functions"]
    odata_error(client.get("Backups/Pbx.GetRestoreSettings()"), 501)
