# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generated answers for the operations neither the simulated ones nor the store answer (--spec): matching,
paging, determinism, errors. The simulator gets the tests' own XAPI-shaped document (fixtures/), not the
official spec, so these run on any clone; test_sim_spec_validation.py holds answers up to the official one."""

from __future__ import annotations

import pytest

from simulator_testlib import odata_error


# Peers, DeviceInfos and MyUser are not kept by the store (xapi_store): their answers are generated.

def test_collections_have_three_items_and_honour_paging(generated_client):
    everything = generated_client.get("Peers", {"$count": "true"}).json()
    assert everything["@odata.context"].endswith("$metadata#Collection(Pbx.Peer)")
    assert everything["@odata.count"] == 3 and len(everything["value"]) == 3
    page = generated_client.get("Peers", {"$top": 1, "$skip": 1, "$count": "true"}).json()
    assert page["@odata.count"] == 3
    assert page["value"] == [everything["value"][1]]
    assert generated_client.value("Peers", {"$skip": 5}) == []


def test_answers_are_deterministic_per_path(generated_client):
    first = generated_client.get("DeviceInfos(5)").json()
    assert generated_client.get("DeviceInfos(5)").json() == first
    assert generated_client.get("DeviceInfos(6)").json() != first


def test_navigation_is_left_out_unless_expanded(generated_client):
    user = generated_client.get("MyUser").json()
    assert "Groups" not in user and "ForwardingProfiles" not in user
    expanded = generated_client.get("MyUser", {"$expand": "Groups"}).json()
    assert isinstance(expanded["Groups"], list)


def test_select_filter_and_orderby_on_generated_entities(generated_client):
    peers = generated_client.value("Peers", {"$select": "Id,Number", "$orderby": "Id desc"})
    assert all(set(peer) == {"Id", "Number"} for peer in peers)
    assert [peer["Id"] for peer in peers] == sorted((peer["Id"] for peer in peers), reverse=True)
    first = peers[0]
    assert generated_client.value("Peers", {"$filter": "Id eq %d" % first["Id"], "$select": "Id"}) == [{"Id": first["Id"]}]
    odata_error(generated_client.get("Peers", {"$select": "NoSuchProperty"}), 400)


def test_primitive_and_enum_answers(generated_client):
    assert generated_client.get("Backups/Pbx.GetCanCreateBackup()").json()["value"] in (True, False)
    assert generated_client.get("SystemStatus/Pbx.GetRemoteAccessStatus()").json() in ("None", "Requested", "Active")


def test_function_parameters_are_parsed(generated_client):
    ok = generated_client.get("DNProperties/Pbx.GetDNPropertyByName(dnNumber='100',name='it''s')")
    assert ok.status_code == 200
    assert "dnNumber" in odata_error(generated_client.get("DNProperties/Pbx.GetDNPropertyByName(dnNumber=100,name='x')"), 404)
    bad_date = generated_client.get("SystemStatus/Pbx.MyPhoneRequestIdTelemetry(startDate='2025-01-01',endDate=2025-01-02T00:00:00Z)")
    assert "startDate" in odata_error(bad_date, 404)


@pytest.mark.parametrize("method, path, status", [
    ("GET", "NoSuchEntitySet", 404),
    ("GET", "Users(abc)", 404),
    ("GET", "Users/NoSuchFunction()", 404),
    ("PUT", "Users(5)", 405),
    ("POST", "LicenseStatus", 405),
])
def test_unknown_paths_and_methods(generated_client, method, path, status):
    answer = generated_client.request(method, path)
    odata_error(answer, status)
    if status == 405:
        assert answer.headers["Allow"]


def test_writes_answer_their_declared_status(generated_client):
    assert generated_client.request("PATCH", "Users(5)", json={"FirstName": "X"}).status_code == 204
    assert generated_client.request("DELETE", "Users(5)").status_code == 204
    created = generated_client.post("Users", json={"Number": "150"})
    assert created.status_code == 201 and "Id" in created.json()


def test_write_bodies_must_be_json(generated_client):
    answer = generated_client.post("Users", data=b"{not json", headers={"Content-Type": "application/json"})
    assert "not valid JSON" in odata_error(answer, 400)
    assert "missing" in odata_error(generated_client.post("Users/Pbx.ReprovisionPhone"), 400)


def test_simulated_operations_win_over_generated_ones(generated_client):
    assert generated_client.get("LicenseStatus").json()["CompanyName"] == "Acme Widgets Ltd"
    assert len(generated_client.value("SipDevices")) == 50
