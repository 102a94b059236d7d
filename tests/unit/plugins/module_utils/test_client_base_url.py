# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""normalize_base_url: the forms users paste give one base URL; anything else is refused by name."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ansible_collections.threecx.xapi.plugins.module_utils._client import normalize_base_url

# Twice the examples of the loaded profile: 200 in make test, 40 under make mutation (conftest.py).
PROPERTY = settings(max_examples=2 * settings.default.max_examples, deadline=None)

LABELS = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?", fullmatch=True)
DNS_NAMES = st.lists(LABELS, min_size=1, max_size=4).map(".".join)
IPV4 = st.ip_addresses(v=4).map(str)
IPV6 = st.ip_addresses(v=6).map(lambda address: "[%s]" % address)
HOSTS = st.one_of(DNS_NAMES, IPV4, IPV6)
PORTS = st.none() | st.integers(min_value=1, max_value=65535)
SCHEMES = st.sampled_from(["http", "https", "HTTPS", "Http"])
PREFIXES = st.sampled_from(["", "/pbx", "/a/b"])
SUFFIXES = ["", "/", "/xapi/v1", "/xapi/v1/", "/XAPI/V1", "//", "/xapi", "/xapi/"]


def build(scheme, host, port, prefix):
    return "%s://%s%s%s" % (scheme, host, "" if port is None else ":%d" % port, prefix)


@PROPERTY
@given(SCHEMES, HOSTS, PORTS, PREFIXES)
@example("https", "pbx.example.com", 5001, "")
def test_pasted_forms_of_a_url_give_one_base_url(scheme, host, port, prefix):
    base = build(scheme, host, port, prefix)
    results = {normalize_base_url(base + suffix) for suffix in SUFFIXES}
    results.add(normalize_base_url("  %s/xapi/v1/ \n" % base))
    assert results == {build(scheme.lower(), host, port, prefix)}


@PROPERTY
@given(st.sampled_from(["ftp", "ws", "wss", "file", "mailto", "httpx", "hxxps"]), HOSTS, PORTS)
def test_other_schemes_are_refused_naming_base_url(scheme, host, port):
    with pytest.raises(ValueError, match="base_url"):
        normalize_base_url(build(scheme, host, port, ""))


@pytest.mark.parametrize("value", [None, "", "   ", "pbx.example.com", "pbx.example.com:5001", "https://",
                                   "https:///xapi/v1", "https://:5001", "https://user@", "//pbx.example.com",
                                   "https://[::1", "https://[pbx.example.com]"])
def test_missing_or_malformed_hosts_are_refused_naming_base_url(value):
    with pytest.raises(ValueError, match="base_url"):
        normalize_base_url(value)


@PROPERTY
@given(st.text())
@example("https://[")
@example("http://]")
def test_any_text_gives_a_url_or_a_value_error_naming_base_url(text):
    try:
        result = normalize_base_url(text)
    except ValueError as exc:
        assert "base_url" in str(exc)
    else:
        assert result.startswith(("http://", "https://"))
        assert not result.endswith("/") and not result.lower().endswith("/xapi/v1")


@pytest.mark.parametrize("port", [1, 65535])
def test_the_first_and_the_last_port_number_are_ports(port):
    assert normalize_base_url("https://pbx.example.com:%d" % port) == "https://pbx.example.com:%d" % port


@pytest.mark.parametrize("value, port", [("https://pbx.example.com:87650", "87650"),
                                         ("https://pbx.example.com:65536/xapi/v1", "65536"),
                                         ("https://pbx.example.com:0", "0"),
                                         ("https://pbx.example.com:50o1", "50o1"),
                                         ("https://[::1]:99999", "99999")])
def test_a_port_out_of_range_is_named_as_the_ports_fault(value, port):
    with pytest.raises(ValueError, match="base_url has port %s, which is not a port number \\(1 to 65535\\)" % port):
        normalize_base_url(value)
