# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The connection options of every threecx.xapi module, documented once."""

    DOCUMENTATION = r"""
options:
  base_url:
    description:
      - URL of the PBX, such as V(https://pbx.example.com:5001) or V(https://company.3cx.eu).
      - A trailing slash or a pasted C(/xapi/v1) suffix is accepted.
      - Hosted PBXes listen on port 443; self-hosted ones often on 5001.
      - If not set, the value of the E(THREECX_BASE_URL) environment variable is used.
      - Required, as an option, in E(THREECX_BASE_URL) or in C(module_defaults); a task without it fails
        saying so, before any request.
    type: str
  client_id:
    description:
      - Client ID of the API client created in the PBX's Admin console under Integrations > API,
        with XAPI access enabled.
      - Required together with O(client_secret). Mutually exclusive with O(access_token).
      - If not set, the value of the E(THREECX_CLIENT_ID) environment variable is used.
    type: str
  client_secret:
    description:
      - Secret of the API client, shown once when the client is created.
      - Never appears in results, logs or error messages.
      - If not set, the value of the E(THREECX_CLIENT_SECRET) environment variable is used.
    type: str
  access_token:
    description:
      - A bearer token already issued by the PBX's C(/connect/token) endpoint, used instead of
        O(client_id) and O(client_secret).
      - It cannot be renewed, and a PBX keeps one active token per API client, so prefer client
        credentials.
      - If not set, the value of the E(THREECX_ACCESS_TOKEN) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the PBX's TLS certificate.
      - Set to V(false) only for a PBX you trust, for example in a lab with a self-signed certificate;
        prefer O(ca_path).
      - If not set, the value of the E(THREECX_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of CA certificates to verify the PBX's certificate with.
      - It takes precedence over the E(REQUESTS_CA_BUNDLE) and E(CURL_CA_BUNDLE) environment variables.
        Without it, and with O(validate_certs=true), the bundle those variables name is used when one
        is set, else the CA certificates that come with requests (certifi).
      - If not set, the value of the E(THREECX_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for the PBX to connect and to answer each request.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is retried after the first attempt, on connection errors and on
        HTTP 429, 502, 503 and 504, with exponential backoff and jitter, honouring C(Retry-After)
        (capped at 30 seconds). The default V(3) means at most four attempts.
      - Only reads and writes that are safe to repeat are retried after an answer; a read timeout is
        retried for reads only.
      - Also the number of times a token the PBX rejects with HTTP 401 is renewed.
      - A failed login (HTTP 401 from C(/connect/token)) is never retried, so that wrong credentials do
        not trip the PBX's anti-hacking blacklist.
    type: int
    default: 3
  token_cache:
    description:
      - Whether module runs share access tokens through a cache on the host that runs them,
        so that a play fetches one token per PBX and API client instead of one per task.
      - The cache holds tokens and their expiry only, never the client secret, in files readable by
        their owner only (mode 0600), keyed by a hash of O(base_url), O(client_id) and
        O(client_secret). Writers lock the file, so parallel forks reuse one token instead of
        invalidating each other's.
      - Only used with O(client_id) and O(client_secret).
      - If not set, the value of the E(THREECX_TOKEN_CACHE) environment variable is used.
    type: bool
    default: true
  token_cache_dir:
    description:
      - Directory of the token cache.
      - Defaults to C(threecx.xapi/tokens) under E(XDG_CACHE_HOME), or under C(~/.cache).
      - If not set, the value of the E(THREECX_TOKEN_CACHE_DIR) environment variable is used.
    type: path
  return_secrets:
    description:
      - Whether to return the secrets that the PBX puts in its answers as they are.
      - By default phone web passwords (C(PhoneWebPassword)), provisioning links (C(ProvLink)),
        passwords, PINs, API keys and tokens are replaced by C(********), and a C(LicenseKey) keeps
        only its last four characters.
    type: bool
    default: false
notes:
  - "The modules talk to the PBX from the host they run on, usually the controller
    (C(delegate_to: localhost) or C(hosts: localhost)). That host needs the Python library C(requests)."
requirements:
  - requests >= 2.25
"""
