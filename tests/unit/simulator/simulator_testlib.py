# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the simulator tests: an XAPI client and checks of the PBX's error shape."""

from __future__ import annotations

from urllib.parse import quote

import requests

CLIENT_ID = "unit-client"
# Distinctive, so that a leak is easy to grep for in the log.
CLIENT_SECRET = "unit-s3cr3t-Never-L0gged"
API = "/xapi/v1/"


def token_request(sim, session=None, **fields):
    form = {"client_id": sim.client_id, "client_secret": sim.client_secret, "grant_type": "client_credentials"}
    form.update(fields)
    form = {name: value for name, value in form.items() if value is not None}
    return (session or requests).post(sim.base_url + "/connect/token", data=form, timeout=30,
                                      verify=getattr(sim, "ca_path", True))


def query_string(params):
    """Percent-encode OData options the way clients do, keeping `$`, quotes, commas and slashes readable."""
    return "&".join("%s=%s" % (quote(name, safe="$"), quote(str(value), safe="$',/()")) for name, value in params.items())


class Client:
    """A requests session with a live token for one simulator."""

    def __init__(self, sim):
        self.sim = sim
        self.session = requests.Session()
        self.token = None
        self.renew()

    def renew(self):
        answer = token_request(self.sim, self.session)
        answer.raise_for_status()
        self.token = answer.json()["access_token"]
        self.session.headers["Authorization"] = "Bearer " + self.token
        return self.token

    def url(self, path, params=None, raw_query=None):
        url = self.sim.base_url + API + path.lstrip("/")
        query = raw_query if raw_query is not None else (query_string(params) if params else "")
        return url + ("?" + query if query else "")

    def request(self, method, path, params=None, raw_query=None, **kwargs):
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.url(path, params, raw_query), **kwargs)

    def get(self, path, params=None, raw_query=None, **kwargs):
        return self.request("GET", path, params, raw_query, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def value(self, path, params=None, raw_query=None):
        """The `value` list of a collection answer that must succeed."""
        answer = self.get(path, params, raw_query)
        assert answer.status_code == 200, answer.text
        return answer.json()["value"]

    def close(self):
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def odata_error(answer, status):
    """Assert the PBX's error shape and status; the detail message."""
    assert answer.status_code == status, (answer.status_code, answer.text)
    error = answer.json()["error"]
    assert error["code"] == ""
    assert error["message"].startswith("WARNINGS.XAPI.")
    assert isinstance(error["details"], list) and error["details"]
    detail = error["details"][0]
    assert set(detail) == {"code", "message", "target"}
    return detail["message"]
