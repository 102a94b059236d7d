# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The floor for paging: a bare requests script with a keep-alive session, fetching the same pages."""

from __future__ import annotations

import argparse
import os

import requests


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    base = os.environ["THREECX_BASE_URL"]
    session = requests.Session()
    token = session.post(base + "/connect/token", data={
        "client_id": os.environ["THREECX_CLIENT_ID"], "client_secret": os.environ["THREECX_CLIENT_SECRET"],
        "grant_type": "client_credentials"}, timeout=30).json()["access_token"]
    session.headers["Authorization"] = "Bearer " + token
    devices, total = [], None
    while total is None or len(devices) < total:
        query = {"$top": args.page_size, "$skip": len(devices)}
        if total is None:
            query["$count"] = "true"
        page = session.get(base + "/xapi/v1/SipDevices", params=query, timeout=30).json()
        total = page["@odata.count"] if total is None else total
        devices.extend(page["value"])
        if not page["value"]:
            break
    print(len(devices))


if __name__ == "__main__":
    main()
