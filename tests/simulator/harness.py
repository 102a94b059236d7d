# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start the XAPI simulator from tests and drive its control API; standard library only.

    sys.path.insert(0, "<repo>/tests/simulator")
    from harness import Simulator, spec_path, make_self_signed_cert

    with Simulator(client_id="it", client_secret="s3cret", spec=spec_path()) as sim:
        sim.fault(path="LicenseStatus", status=503, retry_after=1, times=2)
        ...  # talk to sim.base_url
        assert [entry["status"] for entry in sim.log()] == [...]
        sim.fault(path="Users", method="POST", drop=True, apply_after=True)  # a create whose answer is lost
        ...
        assert [entry["body"] for entry in sim.writes()] == [...]  # what reached the PBX, secrets masked
        assert sim.store("Users")[-1]["Number"] == "150"            # what the PBX now holds
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIMULATOR = HERE / "xapi_simulator.py"
SPEC_RELATIVE = Path("shared") / "xapi" / "swagger.yaml"
STARTUP_LINE = "XAPI simulator listening on "


def spec_path():
    """The official swagger.yaml beside the checkout (../shared/xapi/swagger.yaml), or None.

    THREECX_SPEC wins when it names a file. Otherwise the repository root is two levels above this
    folder; when the tree was copied elsewhere (.build/collections/ansible_collections/threecx/xapi),
    every parent is searched for a shared/xapi/swagger.yaml beside it.
    """
    candidates = []
    if os.environ.get("THREECX_SPEC"):
        candidates.append(Path(os.environ["THREECX_SPEC"]))
    repo_root = HERE.parents[1]
    candidates.append(repo_root.parent / SPEC_RELATIVE)
    candidates.extend(parent / SPEC_RELATIVE for parent in repo_root.parents)
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    return None


def make_self_signed_cert(directory, host="127.0.0.1"):
    """A self-signed certificate and key for `host` (IP and localhost in subjectAltName); (cert path, key path).

    Uses the openssl command when there is one, else the cryptography package.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "simulator-cert.pem", directory / "simulator-key.pem"
    if shutil.which("openssl"):
        _cert_with_openssl(cert, key, host)
    else:
        _cert_with_cryptography(cert, key, host)
    return str(cert), str(key)


def _cert_with_openssl(cert, key, host):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "30",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=%s" % host,
         "-addext", "subjectAltName=IP:%s,DNS:localhost" % host,
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
         "-addext", "subjectKeyIdentifier=hash", "-addext", "authorityKeyIdentifier=keyid:always"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _cert_with_cryptography(cert, key, host):
    import datetime
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host)),
                                                    x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(private_key.public_key()), critical=False)
        .add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=True, key_cert_sign=True,
                                     content_commitment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(private_key, hashes.SHA256()))
    key.write_bytes(private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                              serialization.NoEncryption()))
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


class SimulatorError(RuntimeError):
    """The simulator did not start, or a control call failed."""


class Simulator:
    """The simulator in a subprocess on a free port; a context manager that never leaves it running."""

    def __init__(self, client_id="sim-client", client_secret="sim-secret", devices=50, seed=0, spec=None,
                 tls_cert=None, tls_key=None, latency=0, token_ttl=3600, extra_args=(), startup_timeout=20):
        self.client_id = client_id
        self.client_secret = client_secret
        self.devices = devices
        self.seed = seed
        self.spec = spec
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self.latency = latency
        self.token_ttl = token_ttl
        self.extra_args = list(extra_args)
        self.startup_timeout = startup_timeout
        self.process = None
        self.base_url = None
        self.port = None
        self._output = None

    def command(self):
        command = [sys.executable, str(SIMULATOR), "--port", "0", "--client-id", self.client_id,
                   "--client-secret", self.client_secret, "--devices", str(self.devices), "--seed", str(self.seed),
                   "--latency", str(self.latency), "--token-ttl", str(self.token_ttl), "--exit-with-parent"]
        if self.spec:
            command += ["--spec", str(self.spec)]
        if self.tls_cert:
            command += ["--tls-cert", str(self.tls_cert), "--tls-key", str(self.tls_key)]
        return command + self.extra_args

    def start(self):
        """Start it and wait for its `listening` line; SimulatorError with its output when it does not come."""
        if self.process is not None:
            return self
        # stdout and stderr go to a file, not a pipe: nothing can block on a full pipe, and it is readable on failure.
        self._output = tempfile.NamedTemporaryFile(prefix="xapi-simulator-", suffix=".log", delete=False)
        self.process = subprocess.Popen(self.command(), stdout=self._output, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, close_fds=True)
        atexit.register(self.stop)
        try:
            self.base_url = self._wait_for_startup()
        except SimulatorError:
            self.stop()
            raise
        self.port = int(self.base_url.rsplit(":", 1)[1])
        return self

    def _wait_for_startup(self):
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            for line in self.output().splitlines():
                if line.startswith(STARTUP_LINE):
                    return line[len(STARTUP_LINE):].strip()
            if self.process.poll() is not None:
                raise SimulatorError("the simulator exited with %s:\n%s" % (self.process.returncode, self.output()))
            time.sleep(0.01)
        raise SimulatorError("the simulator did not start within %ss:\n%s" % (self.startup_timeout, self.output()))

    def output(self):
        """What the simulator printed so far (startup lines, and errors on stderr)."""
        if not self._output:
            return ""
        try:
            with open(self._output.name, encoding="utf-8", errors="replace") as handle:
                return handle.read()
        except OSError:
            return ""

    def stop(self):
        """Terminate and wait; kill when it does not end within 5 s. Safe to call twice."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)
            atexit.unregister(self.stop)
        if self._output is not None:
            self._output.close()
            try:
                os.unlink(self._output.name)
            except OSError:
                pass
            self._output = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # -- the control API

    def _ssl_context(self):
        if not self.base_url or not self.base_url.startswith("https:"):
            return None
        return ssl.create_default_context(cafile=self.tls_cert)

    def call(self, method, path, document=None):
        """One control call; the parsed JSON answer, or None for an empty one."""
        data = None if document is None else json.dumps(document).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30, context=self._ssl_context()) as answer:
                body = answer.read()
        except urllib.error.HTTPError as error:
            raise SimulatorError("%s %s: HTTP %s %s" % (method, path, error.code, error.read()[:500]))
        return json.loads(body) if body else None

    def log(self):
        """Every request to /connect/token and /xapi/v1 since the last reset or clear, oldest first."""
        return self.call("GET", "/_sim/log")

    def issued_tokens(self):
        """Every access token the simulator has handed out since it started (resets do not forget them)."""
        return self.call("GET", "/_sim/tokens")

    def clear_log(self):
        self.call("DELETE", "/_sim/log")

    def fault(self, **rule):
        """Queue one fault rule: path, method, status, retry_after, body, delay, drop, times, apply_after, ignore, restart.

        A write applied but its answer lost: fault(path="Users", method="POST", drop=True, apply_after=True).
        A write answered 204 and ignored: fault(path="Users(", method="PATCH", ignore=True).
        A PBX restarting: fault(restart=5) (this request and every other one for 5 s answer 503).
        """
        return self.faults([rule])

    def faults(self, rules):
        return self.call("POST", "/_sim/faults", list(rules))

    def clear_faults(self):
        self.call("DELETE", "/_sim/faults")

    def expire_tokens(self):
        self.call("POST", "/_sim/expire-tokens")

    def reset(self):
        """Seed data back, and no log, faults or tokens."""
        self.call("POST", "/_sim/reset")

    def stats(self):
        return self.call("GET", "/_sim/stats")

    def writes(self):
        """The log's POST, PUT, PATCH and DELETE requests to /xapi/v1, bodies with secrets masked."""
        return [entry for entry in self.log()
                if entry["method"] in ("POST", "PUT", "PATCH", "DELETE") and entry["path"].startswith("/xapi/")]

    def store(self, entity_set=None):
        """What the PBX holds: every entity with its navigation properties, nulls left out, secrets as stored.

        `entity_set` ("Users", "OfficeHours", "Updates"...) gives that set's list (or object); without it,
        {set: [...]} of every set that holds something, plus OfficeHours and Updates.
        """
        return self.call("GET", "/_sim/store" + ("/" + entity_set if entity_set else ""))

    def create(self, entity_set, *bodies):
        """Create entities as a client's POST would (same checks, numbering and memberships); their stored views."""
        return self.call("POST", "/_sim/store/" + entity_set, list(bodies))

    def restart(self, seconds):
        """The PBX answers 503 (Retry-After) for `seconds`, as while it restarts."""
        self.call("POST", "/_sim/restart", {"seconds": seconds})

    def settings(self, **changes):
        """backup_delay and update_restart (seconds) until the next reset; the current settings."""
        return self.call("POST", "/_sim/settings", changes) if changes else self.call("GET", "/_sim/settings")

    def health(self):
        return self.call("GET", "/_sim/health")

    def wait_for_spec(self, timeout=60):
        """Block until the simulator has loaded --spec (it loads it in the background)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.health()["spec"]
            if status in ("loaded", "absent"):
                return status
            if status == "failed":
                raise SimulatorError("the simulator could not load the spec: %s" % self.health()["spec_error"])
            time.sleep(0.05)
        raise SimulatorError("the spec was not loaded within %ss" % timeout)

    def token(self):
        """A fresh access token for the simulator's client (this retires the previous one, as on a PBX)."""
        form = "client_id=%s&client_secret=%s&grant_type=client_credentials" % (
            urllib.parse.quote(self.client_id, safe=""), urllib.parse.quote(self.client_secret, safe=""))
        request = urllib.request.Request(self.base_url + "/connect/token", data=form.encode(), method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(request, timeout=30, context=self._ssl_context()) as answer:
            return json.loads(answer.read())["access_token"]
