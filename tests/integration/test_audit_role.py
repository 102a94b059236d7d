# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The threecx.xapi.audit role, run by ansible-playbook over an inventory of PBXes.

Two simulators with different data sets are two customers' PBXes; a third inventory host has a wrong
secret. The files the role writes are checked against what each simulator serves, read directly from
it; the page is also rendered in headless Chromium.

The tests of this file share three playbook runs through module-scoped fixtures; the Makefile's
`--dist loadscope` keeps them on one pytest-xdist worker, so that each run happens once.
"""

from __future__ import annotations

import collections
import datetime
import html.parser
import json
import re
import shutil
import socket
import subprocess
import tempfile
import textwrap
import urllib.request

import pytest
import yaml

from conftest import ANSIBLE_BIN, CLIENT_SECRET, Ansible, Simulator, assert_no_secrets, make_self_signed_cert
from prerequisites import require

MASK = "********"
# Distinctive secrets, one per PBX, so that a leak is easy to find in any output or file.
PBXES = {
    # 130 phones take two pages of the module's default 100.
    "acme": {"devices": 130, "seed": 0, "client_id": "audit-acme", "secret": "audit-acme-s3cr3t-4f9c"},
    "globex": {"devices": 37, "seed": 2, "client_id": "audit-globex", "secret": "audit-globex-s3cr3t-7d21"},
}
# The third PBX host: globex's PBX, with a wrong secret.
FAILING = "initech"
WRONG_SECRET = "audit-initech-wr0ng-s3cr3t-19aa"
# The clients of the simulators that the second and third runs start.
PARTIAL_SECRET = "audit-partial-s3cr3t-5be0"
TOKEN_CLIENT_SECRET = "audit-token-s3cr3t-0c7e"
SECRETS = [pbx["secret"] for pbx in PBXES.values()] + [WRONG_SECRET, PARTIAL_SECRET, TOKEN_CLIENT_SECRET, CLIENT_SECRET]
WARNING_DAYS = 30
RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+"
                   r"skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)", re.M)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The page's highlight colours (roles/audit/templates/index.html.j2): a licence that ends within the
# warning days, and a failed PBX's status cell.
WARNING_RGB = (0xff, 0xf8, 0xc5)
FAILED_RGB = (0xff, 0xeb, 0xe9)

AUDIT_PLAY = """
- name: Morning audit of the 3CX fleet
  hosts: pbxes
  gather_facts: false
  roles:
    - role: threecx.xapi.audit
      vars:
        threecx_audit_dir: "{audit_dir}"
        # Yesterday's backup is then too old: the page's warning colour for old backups shows.
        threecx_audit_backup_warning_days: 0
"""


# -- what the simulators serve, read without the collection


def xapi_get(sim, path):
    """One XAPI read with a fresh token of the simulator's own client."""
    request = urllib.request.Request(sim.base_url + path, headers={"Authorization": "Bearer " + sim.token()})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def truth_of(sim):
    """The licence, every SIP device with its extension, and the failover scripts the PBX serves."""
    devices = xapi_get(sim, "/xapi/v1/SipDevices?$expand=DN&$count=true")
    assert devices["@odata.count"] == len(devices["value"]), "the simulator served every device in one answer"
    return {
        "licence": xapi_get(sim, "/xapi/v1/LicenseStatus"),
        "devices": devices["value"],
        "scripts": [item["Filename"] for item in xapi_get(sim, "/xapi/v1/Backups/Pbx.GetFailoverScripts()")["value"]],
        "status": xapi_get(sim, "/xapi/v1/SystemStatus"),
    }


def days_left(date_time, today):
    return (datetime.date.fromisoformat(date_time[:10]) - today).days


def expiry_state(days):
    if days < 0:
        return "expired"
    return "warning" if days <= WARNING_DAYS else "ok"


# -- runs


def free_port():
    """A local TCP port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_inventory(path, hosts):
    path.write_text(json.dumps({"pbxes": {"hosts": hosts}}, indent=1))  # JSON is YAML
    return str(path)


def run_playbook(runner, inventory, playbook_text, args=(), env=None):
    playbook = runner.workdir / "audit.yml"
    playbook.write_text(textwrap.dedent(playbook_text))
    command = [str(ANSIBLE_BIN / "ansible-playbook"), "-i", inventory, str(playbook)] + list(args)
    process = subprocess.run(command, cwd=runner.workdir, env=runner.env(env), capture_output=True, text=True,
                             timeout=300, check=False)
    runner.record(process.stdout + process.stderr)
    return process


def recap(process):
    """{host: {"ok": n, "changed": n, "failed": n, "rescued": n, ...}} from the PLAY RECAP."""
    keys = ("ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored")
    return {match.group(1): dict(zip(keys, (int(number) for number in match.groups()[1:])))
            for match in RECAP.finditer(process.stdout)}


def assert_nothing_leaked(runner, files, extra_secrets=(), logged_in=True):
    """No secret and no token in any output of the runs, nor in any file the role wrote."""
    if logged_in:
        assert runner.cached_tokens(), "the runs left tokens in the cache to look for"
        assert runner.issued_tokens, "the simulators issued tokens to look for"
    assert_no_secrets(runner, extra_secrets=SECRETS + list(extra_secrets),
                      texts=[path.read_text() for path in files])


@pytest.fixture(scope="module")
def simulators():
    with Simulator(client_id=PBXES["acme"]["client_id"], client_secret=PBXES["acme"]["secret"],
                   devices=PBXES["acme"]["devices"], seed=PBXES["acme"]["seed"]) as acme, \
         Simulator(client_id=PBXES["globex"]["client_id"], client_secret=PBXES["globex"]["secret"],
                   devices=PBXES["globex"]["devices"], seed=PBXES["globex"]["seed"]) as globex:
        yield {"acme": acme, "globex": globex}


@pytest.fixture(scope="module")
def fleet(simulators, tmp_path_factory):
    """One audit of acme, globex and initech (wrong secret), with per-host connection variables."""
    for sim in simulators.values():
        sim.reset()
    workdir = tmp_path_factory.mktemp("audit-fleet")
    runner = Ansible(workdir, simulators["acme"])
    runner.token_sources = list(simulators.values())
    hosts = {name: {"threecx_base_url": simulators[name].base_url, "threecx_client_id": PBXES[name]["client_id"],
                    "threecx_client_secret": PBXES[name]["secret"]} for name in PBXES}
    hosts[FAILING] = {"threecx_base_url": simulators["globex"].base_url,
                      "threecx_client_id": PBXES["globex"]["client_id"], "threecx_client_secret": WRONG_SECRET}
    inventory = write_inventory(workdir / "inventory.yml", hosts)
    audit_dir = workdir / "www"
    today_before = datetime.datetime.now(datetime.timezone.utc).date()
    # -v prints every task result, so the leak check also covers the module arguments and the phones.
    process = run_playbook(runner, inventory, AUDIT_PLAY.format(audit_dir=audit_dir), args=["-v"])
    today_after = datetime.datetime.now(datetime.timezone.utc).date()
    logs = {name: sim.log() for name, sim in simulators.items()}
    truth = {name: truth_of(sim) for name, sim in simulators.items()}
    yield {"process": process, "dir": audit_dir, "logs": logs, "truth": truth, "runner": runner,
           "sims": simulators, "today": {today_before, today_after}}
    # The phones' web passwords and provisioning links are secrets that the modules mask.
    masked = [device[key] for facts in truth.values() for device in facts["devices"]
              for key in ("PhoneWebPassword", "ProvLink")]
    assert_nothing_leaked(runner, sorted(audit_dir.glob("*")), extra_secrets=masked)


def report(fleet, name):
    return json.loads((fleet["dir"] / (name + ".json")).read_text())


# -- the run and each PBX's JSON file


def test_run_ends_ok_with_the_failed_pbx_rescued(fleet):
    process = fleet["process"]
    assert process.returncode == 0, process.stdout[-5000:] + process.stderr[-5000:]
    hosts = recap(process)
    assert set(hosts) == set(PBXES) | {FAILING}
    for name in PBXES:
        assert hosts[name]["failed"] == 0 and hosts[name]["rescued"] == 0, hosts
    assert hosts[FAILING]["failed"] == 0 and hosts[FAILING]["rescued"] == 1, hosts
    assert sorted(path.name for path in fleet["dir"].iterdir()) == sorted(
        [name + ".json" for name in list(PBXES) + [FAILING]] + ["index.html"])


@pytest.mark.parametrize("name", sorted(PBXES))
def test_report_holds_what_the_pbx_serves(fleet, name):
    truth = fleet["truth"][name]
    data = report(fleet, name)
    assert data["schema_version"] == 1
    assert (data["pbx"], data["status"], data["error"]) == (name, "ok", None)
    assert data["base_url"] == fleet["sims"][name].base_url
    assert data["expiry_warning_days"] == WARNING_DAYS

    licence, status = truth["licence"], data["license"]["status"]
    assert status["CompanyName"] == licence["CompanyName"], "each PBX's file holds that PBX's licence"
    assert status["LicenseKey"].startswith(MASK)
    assert status["LicenseKey"] == MASK + licence["LicenseKey"][-4:]
    assert licence["LicenseKey"] not in (fleet["dir"] / (name + ".json")).read_text()
    summary = data["summary"]
    assert data["license"]["summary"]["expiration_date"] == summary["license_expiration_date"]
    assert summary["license_expiration_date"] == licence["ExpirationDate"]
    assert summary["maintenance_expires_at"] == licence["MaintenanceExpiresAt"]
    assert summary["license_days_left"] in {days_left(licence["ExpirationDate"], day) for day in fleet["today"]}
    assert summary["maintenance_days_left"] in {days_left(licence["MaintenanceExpiresAt"], day)
                                                for day in fleet["today"]}
    assert summary["license_state"] == expiry_state(summary["license_days_left"])
    assert summary["maintenance_state"] == expiry_state(summary["maintenance_days_left"])

    devices = truth["devices"]
    assert len(devices) == PBXES[name]["devices"]
    vendors = collections.Counter(device["Registrar"]["Vendor"] for device in devices)
    models = collections.Counter(device["Registrar"]["Vendor"] + " " + device["Registrar"]["Model"] for device in devices)
    assert data["devices"] == {"total": len(devices), "by_vendor": dict(vendors), "by_model": dict(models)}
    assert summary["devices"] == len(devices)

    by_id = {device["Id"]: device for device in devices}
    outdated = sorted(device["Id"] for device in devices
                      if device["Registrar"]["FirmwareAvailable"]
                      and device["Registrar"]["FirmwareAvailable"] != device["Registrar"]["FirmwareVersion"])
    unregistered = sorted(device["Id"] for device in devices if not device["Registrar"]["IpAddress"])
    assert outdated and unregistered, "the data set has phones of both kinds, or this test proves little"
    assert sorted(phone["id"] for phone in data["firmware_updates"]) == outdated
    assert sorted(phone["id"] for phone in data["unregistered_phones"]) == unregistered
    assert (summary["firmware_updates"], summary["unregistered_phones"]) == (len(outdated), len(unregistered))
    for phone in data["firmware_updates"] + data["unregistered_phones"]:
        device = by_id[phone["id"]]
        assert phone["mac"] == device["Registrar"]["MAC"]
        assert (phone["vendor"], phone["model"]) == (device["Registrar"]["Vendor"], device["Registrar"]["Model"])
        assert (phone["extension"], phone["extension_name"]) == (device["DN"]["Number"], device["DN"]["Name"])
        assert phone["firmware_version"] == device["Registrar"]["FirmwareVersion"]
        assert phone["registered"] is bool(device["Registrar"]["IpAddress"])
    for phone in data["firmware_updates"]:
        assert phone["firmware_update"] is True
        assert phone["firmware_available"] == by_id[phone["id"]]["Registrar"]["FirmwareAvailable"]

    assert data["failover_scripts"] == truth["scripts"]
    assert summary["failover_scripts"] == len(truth["scripts"])

    status = truth["status"]
    assert (summary["version"], summary["disk_usage_percent"]) == (status["Version"], status["DiskUsage"])
    assert summary["disk_state"] == "ok" and summary["services_not_running"] == 0
    assert summary["last_backup_age_days"] in {days_left(status["LastBackupDateTime"], day) * -1 for day in fleet["today"]}
    assert summary["backup_state"] == "warning", "older than threecx_audit_backup_warning_days: 0"
    assert data["system"]["summary"]["extensions_total"] == status["ExtensionsTotal"]


def test_the_two_pbxes_differ(fleet):
    """Guards the other tests: with two equal data sets, a report of the wrong PBX would pass them."""
    acme, globex = report(fleet, "acme"), report(fleet, "globex")
    assert acme["devices"]["by_vendor"] != globex["devices"]["by_vendor"]
    assert acme["license"]["status"]["CompanyName"] != globex["license"]["status"]["CompanyName"]
    states = {acme["summary"]["license_state"], globex["summary"]["license_state"]}
    assert states == {"warning", "ok"}, "one licence ends within the warning days and one does not"


def test_failed_pbx_is_reported_with_its_error(fleet):
    data = report(fleet, FAILING)
    assert (data["pbx"], data["status"]) == (FAILING, "failed")
    assert data["error"]["task"] == "Read the licence status"
    assert "HTTP 401" in data["error"]["message"]
    assert fleet["sims"]["globex"].base_url in data["error"]["message"]
    for part in ("license", "devices", "firmware_updates", "unregistered_phones", "failover_scripts"):
        assert data[part] is None, part
    assert set(data["summary"].values()) == {None}
    # One refused login, not retried; globex's own audit logged in once on the same PBX.
    logins = [entry["status"] for entry in fleet["logs"]["globex"] if entry["path"] == "/connect/token"]
    assert sorted(logins) == [200, 401]


# -- index.html


class Page(html.parser.HTMLParser):
    """What the tests read of the fleet page: each row of table#fleet, every link and asset, the CSS, and the
    rows of each table#drift-<pbx>, as {pbx: [{"change": (section, key, action), "cells": [text...]}]}."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.rows = {}
        self.references = []
        self.tags = collections.Counter()
        self.style = ""
        self._row = None
        self._cell = None
        self._in_style = False
        self.changes = {}
        self._changes = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags[tag] += 1
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if attributes.get(name) is not None:
                self.references.append((tag, name, attributes[name]))
        if tag == "style":
            self._in_style = True
        elif tag == "tr" and "data-pbx" in attributes:
            self._row = {"attrs": attributes, "cells": {}, "links": []}
            self.rows[attributes["data-pbx"]] = self._row
        elif tag in ("td", "th") and self._row is not None:
            classes = (attributes.get("class") or "").split()
            kind = "header" if tag == "th" else next(name for name in classes if name not in ("num", "message"))
            self._cell = {"classes": set(classes), "text": ""}
            self._row["cells"][kind] = self._cell
        elif tag == "a" and self._row is not None:
            self._row["links"].append(attributes.get("href"))
        elif tag == "table" and (attributes.get("id") or "").startswith("drift-"):
            self._changes = self.changes[attributes["id"][len("drift-"):]] = []
        elif tag == "tr" and self._changes is not None and "data-action" in attributes:
            self._changes.append({"change": (attributes["data-section"], attributes["data-key"],
                                             attributes["data-action"]), "cells": []})
        elif tag == "td" and self._changes:
            self._cell = {"text": ""}
            self._changes[-1]["cells"].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False
        elif tag == "table":
            self._changes = None
        elif tag in ("td", "th"):
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        if self._cell is not None:
            self._cell["text"] += data


def assert_self_contained(page):
    external = [reference for reference in page.references if re.match(r"\s*(https?:)?//", reference[2], re.I)]
    assert external == [], "the page refers to something outside it"
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert page.tags[tag] == 0, "the page has a <%s>" % tag
    assert "url(" not in page.style and "@import" not in page.style


def assert_rows_show_every_pbx(page, fleet):
    assert list(page.rows) == list(PBXES) + [FAILING], "one row per PBX, in inventory order"
    for name, row in page.rows.items():
        data = report(fleet, name)
        assert row["attrs"]["id"] == "pbx-" + name
        assert row["attrs"]["data-status"] == data["status"]
        assert row["links"] == [name + ".json"], "the PBX's name links to its JSON file, relatively"
        assert (fleet["dir"] / row["links"][0]).is_file()
        assert row["cells"]["header"]["text"].startswith(name)
        for kind, key in (("devices", "devices"), ("firmware-updates", "firmware_updates"),
                          ("unregistered-phones", "unregistered_phones"), ("failover-scripts", "failover_scripts"),
                          ("license-days", "license_days_left")):
            shown = row["cells"][kind]["text"].split()[0]
            value = data["summary"][key]
            assert shown == ("\u2013" if value is None else str(value)), (name, kind)
        state = data["summary"]["license_state"]
        licence_cell = row["cells"]["license-days"]["classes"]
        assert ("warning" in licence_cell) is (state == "warning"), (name, licence_cell)
    warned = [name for name in PBXES if report(fleet, name)["summary"]["license_state"] == "warning"]
    assert len(warned) == 1
    assert "soon" in page.rows[warned[0]]["cells"]["license-days"]["text"].lower()
    failed = page.rows[FAILING]["cells"]["status"]
    assert "failed" in failed["classes"] and "HTTP 401" in failed["text"]
    for name in PBXES:
        assert page.rows[name]["cells"]["status"]["classes"] >= {"status", "ok"}


def test_index_html_has_a_row_and_a_link_per_pbx(fleet):
    page = Page((fleet["dir"] / "index.html").read_text())
    assert_rows_show_every_pbx(page, fleet)
    for name in PBXES:
        cells = page.rows[name]["cells"]
        assert "warning" in cells["backup-age"]["classes"], "an old backup gets the warning colour"
        assert "warning" not in cells["disk"]["classes"] and "warning" not in cells["services"]["classes"]
        assert cells["version"]["text"].strip() == report(fleet, name)["summary"]["version"]
    assert_self_contained(page)
    # The highlight is a style of the page, not only a class name.
    assert re.search(r"\.warning\s*\{[^}]*background:\s*#fff8c5", page.style)


# -- the page in a browser


def chromium_binary():
    binary = shutil.which("chromium")
    require("browser", binary is not None, "chromium is not installed: `make integration` installs it with apt-get "
            "when it can; or waive it with THREECX_WAIVE=browser")
    return binary


def chromium(binary, arguments, url):
    with tempfile.TemporaryDirectory(prefix="audit-chromium-") as profile:
        process = subprocess.run([binary] + CHROMIUM_FLAGS + ["--user-data-dir=" + profile] + arguments + [url],
                                 capture_output=True, text=True, timeout=120, check=False)
    assert process.returncode == 0, process.stderr[-3000:]
    return process


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", "not a PNG"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def colour_shares(image):
    """{(r, g, b): share of the pixels} of an RGB image."""
    total = image.width * image.height
    return {colour: count / total for count, colour in image.getcolors(maxcolors=total)}


def share_near(shares, rgb, tolerance=3):
    return sum(share for colour, share in shares.items()
               if all(abs(colour[index] - rgb[index]) <= tolerance for index in range(3)))


def test_page_renders_every_pbx_in_chromium(fleet, tmp_path):
    binary = chromium_binary()
    url = (fleet["dir"] / "index.html").as_uri()

    dom = chromium(binary, ["--dump-dom"], url).stdout
    page = Page(dom)
    assert_rows_show_every_pbx(page, fleet)
    assert_self_contained(page)

    screenshot = tmp_path / "index.png"
    chromium(binary, ["--screenshot=%s" % screenshot, "--window-size=1280,900"], url)
    assert screenshot.is_file()
    assert png_size(screenshot) == (1280, 900)
    assert screenshot.stat().st_size > 20000, "a page of text and tables, not a blank screen"
    from PIL import Image  # pylint: disable=import-outside-toplevel
    with Image.open(screenshot) as image:
        shares = colour_shares(image.convert("RGB"))
    assert len(shares) > 50, "text and tables, anti-aliased into many colours, not a blank screen"
    assert max(shares.values()) < 0.95, "mostly one colour: nothing rendered"
    # The licence that ends soon is painted yellow, the failed PBX's row red.
    assert share_near(shares, WARNING_RGB) > 0.002
    assert share_near(shares, FAILED_RGB) > 0.002
    assert_charts_render(dom, fleet)


def assert_charts_render(dom, fleet):
    """The three inline SVG charts, as the browser built them, each with one mark per PBX or model."""
    ok = list(PBXES)
    for chart in ("chart-registration", "chart-models", "chart-timeline"):
        assert re.search(r'<svg[^>]*id="%s"' % chart, dom), chart
    registration = re.search(r'<svg[^>]*id="chart-registration".*?</svg>', dom, re.S).group(0)
    assert re.findall(r'<g class="bar" data-pbx="([^"]+)"', registration) == ok
    for name in ok:
        summary = report(fleet, name)["summary"]
        group = re.search(r'data-pbx="%s".*?</g>' % name, registration, re.S).group(0)
        assert ">%d / %d<" % (summary["devices"] - summary["unregistered_phones"], summary["devices"]) in group
        widths = [float(width) for width in re.findall(r'<rect class="(?:un)?registered"[^>]*width="([0-9.]+)"', group)]
        assert len(widths) == 2 and all(width > 0 for width in widths)
    models = re.search(r'<svg[^>]*id="chart-models".*?</svg>', dom, re.S).group(0)
    fleet_models = collections.Counter()
    for name in ok:
        fleet_models.update(report(fleet, name)["devices"]["by_model"])
    assert len(re.findall(r'<rect class="model"', models)) == len(fleet_models)
    timeline = re.search(r'<svg[^>]*id="chart-timeline".*?</svg>', dom, re.S).group(0)
    assert len(re.findall(r'<circle class="licence"', timeline)) == len(ok)
    assert len(re.findall(r'<rect class="maintenance"', timeline)) == len(ok)


# -- credentials from the environment and module_defaults, the other connection variables, and failures


SECOND_RUN_PLAYS = """
- name: Audit with credentials from the THREECX_* environment, failing the PBXes whose audit failed
  hosts: env_pbxes
  gather_facts: false
  roles:
    - role: threecx.xapi.audit
      vars:
        threecx_audit_dir: "{env_dir}"
        threecx_audit_fail_on_error: true

- name: Audit with credentials from module_defaults
  hosts: defaults_pbxes
  gather_facts: false
  module_defaults:
    group/threecx.xapi.xapi:
      # Nothing listens there: a host's threecx_base_url must win over it.
      base_url: {dead_url}
      client_id: {globex_id}
      client_secret: {globex_secret}
  roles:
    - role: threecx.xapi.audit
      vars:
        threecx_audit_dir: "{defaults_dir}"
"""


@pytest.fixture(scope="module")
def second_fleet(simulators, tmp_path_factory):
    """One run of two plays.

    env_pbxes: from_env has no connection variable (THREECX_* point to acme's PBX); dead has a URL where
    nothing listens; bad_input has a threecx_validate_certs the argument spec refuses.
    defaults_pbxes: from_defaults has only threecx_base_url (globex's PBX; its client from module_defaults);
    partial has its own client, on a PBX that answers 403 to the failover scripts.
    """
    for sim in simulators.values():
        sim.reset()
    workdir = tmp_path_factory.mktemp("audit-second")
    runner = Ansible(workdir, simulators["acme"])
    dead_url = "http://127.0.0.1:%d" % free_port()
    with Simulator(client_id="audit-partial", client_secret=PARTIAL_SECRET, devices=5, seed=7) as partial:
        partial.fault(path="GetFailoverScripts", status=403, times=10)
        inventory = workdir / "inventory.yml"
        inventory.write_text(json.dumps({"pbxes": {"children": {
            "env_pbxes": {"hosts": {
                "from_env": {},
                "dead": {"threecx_base_url": dead_url, "threecx_client_id": "nobody",
                         "threecx_client_secret": WRONG_SECRET},
                "bad_input": {"threecx_base_url": dead_url, "threecx_validate_certs": "maybe"},
            }},
            "defaults_pbxes": {"hosts": {
                "from_defaults": {"threecx_base_url": simulators["globex"].base_url},
                "partial": {"threecx_base_url": partial.base_url, "threecx_client_id": "audit-partial",
                            "threecx_client_secret": PARTIAL_SECRET},
            }},
        }}}, indent=1))
        runner.token_sources = list(simulators.values()) + [partial]
        dirs = {"env": workdir / "env", "defaults": workdir / "defaults"}
        plays = SECOND_RUN_PLAYS.format(env_dir=dirs["env"], defaults_dir=dirs["defaults"], dead_url=dead_url,
                                        globex_id=PBXES["globex"]["client_id"], globex_secret=PBXES["globex"]["secret"])
        environment = {"THREECX_BASE_URL": simulators["acme"].base_url,
                       "THREECX_CLIENT_ID": PBXES["acme"]["client_id"],
                       "THREECX_CLIENT_SECRET": PBXES["acme"]["secret"]}
        process = run_playbook(runner, str(inventory), plays, env=environment)
        logs = {name: sim.log() for name, sim in simulators.items()}
        partial.clear_faults()
        partial_truth = truth_of(partial)
    yield {"process": process, "dirs": dirs, "logs": logs, "partial": partial_truth}
    assert_nothing_leaked(runner, sorted(dirs["env"].glob("*")) + sorted(dirs["defaults"].glob("*")))


def second_report(second_fleet, play, name):
    return json.loads((second_fleet["dirs"][play] / (name + ".json")).read_text())


def test_environment_credentials_apply_when_no_host_variable_is_set(second_fleet, fleet):
    data = second_report(second_fleet, "env", "from_env")
    assert (data["status"], data["error"]) == ("ok", None)
    assert data["base_url"] is None, "the URL came from the environment, not from a host variable"
    assert data["devices"] == report(fleet, "acme")["devices"]
    assert data["failover_scripts"] == report(fleet, "acme")["failover_scripts"]
    assert [entry["status"] for entry in second_fleet["logs"]["acme"] if entry["path"] == "/connect/token"] == [200]


def test_module_defaults_apply_under_the_host_variables(second_fleet, fleet):
    data = second_report(second_fleet, "defaults", "from_defaults")
    assert (data["status"], data["error"]) == ("ok", None)
    assert data["base_url"] == fleet["sims"]["globex"].base_url
    assert data["devices"] == report(fleet, "globex")["devices"]
    assert data["license"]["status"]["CompanyName"] == report(fleet, "globex")["license"]["status"]["CompanyName"]


def test_failure_midway_keeps_what_was_read(second_fleet):
    truth = second_fleet["partial"]
    data = second_report(second_fleet, "defaults", "partial")
    assert data["status"] == "failed"
    assert data["error"]["task"] == "List the failover scripts"
    assert "HTTP 403" in data["error"]["message"]
    assert data["license"]["status"]["CompanyName"] == truth["licence"]["CompanyName"]
    assert data["devices"]["total"] == data["summary"]["devices"] == len(truth["devices"]) == 5
    assert data["failover_scripts"] is None and data["summary"]["failover_scripts"] is None
    page = Page((second_fleet["dirs"]["defaults"] / "index.html").read_text())
    assert [(name, row["attrs"]["data-status"]) for name, row in page.rows.items()] == [
        ("from_defaults", "ok"), ("partial", "failed")]
    assert page.rows["partial"]["cells"]["devices"]["text"] == "5"
    assert "HTTP 403" in page.rows["partial"]["cells"]["status"]["text"]


def test_fail_on_error_fails_only_the_failed_pbx_after_writing_everything(second_fleet):
    process = second_fleet["process"]
    assert process.returncode == 2, process.stdout[-5000:] + process.stderr[-5000:]
    hosts = recap(process)
    assert hosts["dead"]["failed"] == 1 and hosts["dead"]["rescued"] == 1, hosts
    assert all(hosts[name]["failed"] == 0 for name in ("from_env", "from_defaults", "partial")), hosts
    assert hosts["partial"]["rescued"] == 1, "without threecx_audit_fail_on_error a failed audit is only rescued"
    assert "The audit of dead failed in 'Read the licence status'" in process.stdout
    dead = second_report(second_fleet, "env", "dead")
    assert dead["status"] == "failed" and "connection refused" in dead["error"]["message"].lower()


def test_host_that_fails_before_its_audit_has_a_row_but_no_file(second_fleet):
    hosts = recap(second_fleet["process"])
    assert hosts["bad_input"]["failed"] == 1 and hosts["bad_input"]["ok"] == 0, hosts
    assert sorted(path.name for path in second_fleet["dirs"]["env"].iterdir()) == [
        "dead.json", "from_env.json", "index.html"]
    page = Page((second_fleet["dirs"]["env"] / "index.html").read_text())
    assert [(name, row["attrs"]["data-status"]) for name, row in page.rows.items()] == [
        ("from_env", "ok"), ("dead", "failed"), ("bad_input", "failed")]
    assert [row["links"] for row in page.rows.values()] == [["from_env.json"], ["dead.json"], []]


# -- a bearer token instead of the API client, and the certificate options, on HTTPS PBXes


@pytest.fixture(scope="module")
def token_fleet(tmp_path_factory):
    """One HTTPS PBX with a self-signed certificate, audited with a token by three hosts.

    The inventory sets threecx_client_id for the group, as the README's example does; each host has
    threecx_access_token. secure verifies with threecx_ca_path, insecure sets threecx_validate_certs
    false, and unverified sets neither, so its audit fails on the certificate.
    """
    workdir = tmp_path_factory.mktemp("audit-token")
    cert, key = make_self_signed_cert(str(workdir / "tls"))
    with Simulator(client_id="audit-token-client", client_secret=TOKEN_CLIENT_SECRET, devices=12, seed=3,
                   tls_cert=cert, tls_key=key) as sim:
        runner = Ansible(workdir, sim)
        token = sim.token()
        sim.clear_log()
        connection = {"threecx_base_url": sim.base_url, "threecx_access_token": token}
        inventory = workdir / "inventory.yml"
        inventory.write_text(json.dumps({"pbxes": {
            "vars": {"threecx_client_id": "ansible-audit"},
            "hosts": {"secure": dict(connection, threecx_ca_path=cert),
                      "insecure": dict(connection, threecx_validate_certs=False),
                      "unverified": connection},
        }}, indent=1))
        audit_dir = workdir / "www"
        process = run_playbook(runner, str(inventory), AUDIT_PLAY.format(audit_dir=audit_dir))
        log = sim.log()
    yield {"process": process, "dir": audit_dir, "log": log, "devices": sim.devices}
    assert_nothing_leaked(runner, sorted(audit_dir.glob("*")), extra_secrets=[token], logged_in=False)


def test_access_token_replaces_the_group_client_id(token_fleet):
    process = token_fleet["process"]
    assert process.returncode == 0, process.stdout[-5000:] + process.stderr[-5000:]
    for name in ("secure", "insecure"):
        data = json.loads((token_fleet["dir"] / (name + ".json")).read_text())
        assert (data["status"], data["error"]) == ("ok", None), name
        assert data["summary"]["devices"] == token_fleet["devices"]
    assert [entry for entry in token_fleet["log"] if entry["path"] == "/connect/token"] == [], \
        "with a token, the modules never log in"


def test_certificate_options_reach_the_modules(token_fleet):
    data = json.loads((token_fleet["dir"] / "unverified.json").read_text())
    assert data["status"] == "failed"
    assert "certificate" in data["error"]["message"].lower()
    assert "ca_path" in data["error"]["message"]


# -- the drift column: each PBX applied its document in check mode


# A PIN that the drifted document gives a new extension: the page and the outputs show it masked.
DRIFT_PIN = "583914"
EXPORT_PLAY = """
- name: Export the PBXes whose documents the drift check compares
  hosts: exported
  gather_facts: false
  tasks:
    - name: Export the configuration
      threecx.xapi.threecx_config_export:
        base_url: "{{{{ threecx_base_url }}}}"
        client_id: "{{{{ threecx_client_id }}}}"
        client_secret: "{{{{ threecx_client_secret }}}}"
        dest: "{config_dir}/{{{{ inventory_hostname }}}}.yml"
      delegate_to: localhost
"""


def drift_document(document):
    """globex's export, edited: a new department, a changed e-mail address, a new extension with a PIN, and
    a holiday left out (a delete, with the role's default purge). The changes a check-mode apply reports."""
    document["groups"].append({"name": "Support", "language": "EN"})
    first = document["users"][0]
    first["email"] = "drifted." + first["number"] + "@example.com"
    document["users"].append({"number": "150", "first_name": "Bob", "groups": [{"name": "Support"}], "pin": DRIFT_PIN})
    document["holidays"] = [item for item in document["holidays"] if item["name"] != "Christmas Day"]
    return [("groups", "Support", "create"), ("users", first["number"], "update"), ("users", "150", "create"),
            ("holidays", "Christmas Day", "delete")]


@pytest.fixture(scope="module")
def drift_fleet(simulators, tmp_path_factory):
    """One audit (AUDIT_PLAY) with threecx_audit_config_dir set per host in the inventory, over six hosts.

    acme: its own export, so in sync. globex: its export, edited (drift_document). umbrella: acme's PBX, no
    document. hooli: globex's PBX, a document threecx_config refuses. initech: a wrong secret, so its audit
    fails and its document (globex's export) is not compared. typo: a threecx_audit_config_dir that does not exist.
    globex and hooli have threecx_audit_fail_on_error: a failed comparison fails the host, drift does not.
    """
    for sim in simulators.values():
        sim.reset()
    workdir = tmp_path_factory.mktemp("audit-drift")
    runner = Ansible(workdir, simulators["acme"])
    runner.token_sources = list(simulators.values())
    config_dir = workdir / "pbx-config"
    config_dir.mkdir()

    def host(pbx, secret=None, documents=config_dir):
        return {"threecx_base_url": simulators[pbx].base_url, "threecx_client_id": PBXES[pbx]["client_id"],
                "threecx_client_secret": secret or PBXES[pbx]["secret"], "threecx_audit_config_dir": str(documents)}

    hosts = {"acme": host("acme"), "globex": host("globex"), "umbrella": host("acme"), "hooli": host("globex"),
             FAILING: host("globex", secret=WRONG_SECRET), "typo": host("acme", documents=workdir / "no-such-dir")}
    for name in ("globex", "hooli"):
        hosts[name]["threecx_audit_fail_on_error"] = True
    inventory = workdir / "inventory.yml"
    inventory.write_text(json.dumps({"pbxes": {"hosts": hosts}, "exported": {"hosts": {"acme": {}, "globex": {}}}},
                                    indent=1))
    export = run_playbook(runner, str(inventory), EXPORT_PLAY.format(config_dir=config_dir))
    assert export.returncode == 0, export.stdout[-5000:] + export.stderr[-5000:]
    globex_file = config_dir / "globex.yml"
    # initech's PBX is globex's: a document that would be in sync, if the audit's login worked.
    shutil.copy(globex_file, config_dir / (FAILING + ".yml"))
    document = yaml.safe_load(globex_file.read_text())
    expected = drift_document(document)
    globex_file.write_text(yaml.safe_dump(document))
    (config_dir / "hooli.yml").write_text(yaml.safe_dump({"no_such_section": [{"name": "x"}]}))
    for sim in simulators.values():
        sim.clear_log()

    audit_dir = workdir / "www"
    process = run_playbook(runner, str(inventory), AUDIT_PLAY.format(audit_dir=audit_dir), args=["-v"])
    logs = {name: sim.log() for name, sim in simulators.items()}
    globex_holidays = {holiday["Name"] for holiday in simulators["globex"].store("Holidays")}
    yield {"process": process, "dir": audit_dir, "logs": logs, "expected": expected, "config_dir": config_dir,
           "globex_holidays": globex_holidays}
    assert_nothing_leaked(runner, sorted(audit_dir.glob("*")), extra_secrets=[DRIFT_PIN])


def drift_report(drift_fleet, name):
    return json.loads((drift_fleet["dir"] / (name + ".json")).read_text())["drift"]


def test_drift_check_runs_with_the_audit(drift_fleet):
    process = drift_fleet["process"]
    hosts = recap(process)
    assert process.returncode == 2, process.stdout[-5000:] + process.stderr[-5000:]
    assert {name for name, counts in hosts.items() if counts["failed"]} == {"typo", "hooli"}, process.stdout[-5000:]
    assert "The comparison of hooli with its document failed: the document has 1 problem" in process.stdout
    assert "threecx_audit_config_dir: %s is not a directory on the controller" % (
        drift_fleet["config_dir"].parent / "no-such-dir") in process.stdout
    assert hosts[FAILING]["rescued"] == 1 and hosts["hooli"]["rescued"] == 1, hosts
    assert sorted(path.name for path in drift_fleet["dir"].iterdir()) == sorted(
        [name + ".json" for name in ("acme", "globex", "umbrella", "hooli", FAILING)] + ["index.html"])


def test_drift_column_shows_each_pbx_against_its_document(drift_fleet):
    page, config_dir = Page((drift_fleet["dir"] / "index.html").read_text()), drift_fleet["config_dir"]
    shown = {name: (row["attrs"].get("data-drift"), row["cells"].get("drift", {}).get("text"))
             for name, row in page.rows.items()}
    assert {name: value for name, value in shown.items() if name != "hooli"} == {
        "acme": ("in_sync", "in sync"), "globex": ("drift", "4 changes"), "umbrella": ("no_document", "no document"),
        FAILING: ("not_checked", "not checked"), "typo": ("", "\u2013")}
    assert shown["hooli"][0] == "failed"
    assert shown["hooli"][1].startswith("failed: ") and "no_such_section: unknown section" in shown["hooli"][1]
    assert "attention" in page.rows["globex"]["cells"]["drift"]["classes"]
    assert page.rows["globex"]["links"] == ["globex.json", "#drift-globex"]
    for name in ("acme", "globex", "umbrella"):
        assert page.rows[name]["cells"]["status"]["classes"] >= {"status", "ok"}, "drift is not a failed audit"

    acme, umbrella, hooli = (drift_report(drift_fleet, name) for name in ("acme", "umbrella", "hooli"))
    assert (acme["state"], acme["changes"], acme["purge"]) == ("in_sync", [], True)
    assert acme["document"] == str(config_dir / "acme.yml")
    assert (umbrella["state"], umbrella["changes"], umbrella["document"]) == (
        "no_document", None, str(config_dir / "umbrella.yml"))
    assert hooli["error"]["task"] == "Apply the PBX's document in check mode"
    assert drift_report(drift_fleet, FAILING)["state"] == "not_checked"
    refused = [entry for entry in drift_fleet["logs"]["globex"] if entry["path"] == "/connect/token"
               and entry["status"] == 401]
    assert len(refused) == 1, "initech's wrong secret is tried once: its document is not compared"
    total = re.search(r'<li id="total-drift"[^>]*>([^<]*)</li>', (drift_fleet["dir"] / "index.html").read_text())
    assert total.group(1) == "1 of 5 PBXes differ from their document"


def test_drifted_pbx_lists_its_check_mode_changes(drift_fleet):
    expected = drift_fleet["expected"]
    drift = drift_report(drift_fleet, "globex")
    assert [(change["section"], change["key"], change["action"]) for change in drift["changes"]] == expected
    text = (drift_fleet["dir"] / "index.html").read_text()
    page = Page(text)
    assert list(page.changes) == ["globex"], "a list for the PBX that drifts only"
    rows = [{"change": row["change"], "cells": [cell["text"] for cell in row["cells"]]}
            for row in page.changes["globex"]]
    assert sorted(set(row["change"] for row in rows)) == sorted(expected), "each change on the page"

    by_key = {(change["section"], change["key"]): change for change in drift["changes"]}
    update = by_key[expected[1][:2]]
    email = [field for field in update["fields"] if field["name"] == "EmailAddress"]
    assert email == [{"name": "EmailAddress", "before": json.dumps(update["before"]["EmailAddress"]),
                      "after": json.dumps("drifted.%s@example.com" % expected[1][1])}]
    update_rows = [row["cells"] for row in rows if row["change"] == expected[1]]
    assert update_rows[0][:3] == ["users", expected[1][1], "update"]
    assert [cells[-3:] for cells in update_rows] == [[field["name"], field["before"], field["after"]]
                                                     for field in update["fields"]]
    # The PIN of the new extension, masked by the module, in the report and on the page.
    assert by_key[("users", "150")]["after"]["VMPIN"] == MASK
    assert ["VMPIN", "\u2013", json.dumps(MASK)] in [row["cells"][-3:] for row in rows if row["change"][1] == "150"]
    assert DRIFT_PIN not in text
    deleted = by_key[("holidays", "Christmas Day")]
    assert deleted["after"] == {} and deleted["before"]
    # The PBX still holds what the document would change: the check wrote nothing.
    assert "Christmas Day" in drift_fleet["globex_holidays"]


def test_drift_check_writes_nothing_to_any_pbx(drift_fleet):
    for name, log in drift_fleet["logs"].items():
        writes = [(entry["method"], entry["path"]) for entry in log
                  if entry["method"] != "GET" and entry["path"] != "/connect/token"]
        assert writes == [], (name, writes)
        # The check read the sections, so the log is the drift check's and not an empty one.
        assert any(entry["method"] == "GET" and entry["path"] == "/xapi/v1/Users" for entry in log), name


def test_page_without_a_directory_of_documents_has_no_drift_column(fleet):
    text = (fleet["dir"] / "index.html").read_text()
    assert "drift" not in text.lower()
    for name in list(PBXES) + [FAILING]:
        assert report(fleet, name)["drift"] is None
