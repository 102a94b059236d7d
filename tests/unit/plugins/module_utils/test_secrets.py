# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking of the secrets that a PBX puts in its answers."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._secrets import MASK, mask_secrets


@pytest.mark.parametrize("name", ["PhoneWebPassword", "ProvLink", "VMPin", "PinNumber", "ClientSecret",
                                  "AccessToken", "phonewebpassword", "SipAuthPassword"])
def test_secret_properties_are_masked(name):
    assert mask_secrets({name: "s3cret-value", "Name": "Front desk"}) == {name: MASK, "Name": "Front desk"}


def test_a_licence_key_keeps_its_last_four_characters():
    assert mask_secrets({"LicenseKey": "ABCD-EFGH-IJKL-MNOP"}) == {"LicenseKey": MASK + "MNOP"}


def test_a_short_licence_key_is_masked_entirely():
    assert mask_secrets({"LicenseKey": "ABCD1234"}) == {"LicenseKey": MASK}


def test_next_page_token_is_a_cursor_not_a_secret():
    assert mask_secrets({"NextPageToken": "cursor-42", "nextpagetoken": "c"}) == {
        "NextPageToken": "cursor-42", "nextpagetoken": "c"}


def test_nested_lists_and_dicts_are_masked_and_the_input_is_left_alone():
    answer = {
        "value": [
            {"Id": 1, "MacAddress": "805ec0123456", "PhoneWebPassword": "admin123",
             "Settings": {"ProvLink": "https://pbx.example.com/provisioning/abc123/", "Ring": "Default"}},
            {"Id": 2, "PhoneWebPassword": "", "Lines": [{"AuthPassword": "x1"}, {"AuthPassword": None}]},
        ],
        "LicenseKey": "ABCD-EFGH-IJKL-MNOP",
        "@odata.count": 2,
    }
    original = copy.deepcopy(answer)
    assert mask_secrets(answer) == {
        "value": [
            {"Id": 1, "MacAddress": "805ec0123456", "PhoneWebPassword": MASK,
             "Settings": {"ProvLink": MASK, "Ring": "Default"}},
            {"Id": 2, "PhoneWebPassword": "", "Lines": [{"AuthPassword": MASK}, {"AuthPassword": None}]},
        ],
        "LicenseKey": MASK + "MNOP",
        "@odata.count": 2,
    }
    assert answer == original


@pytest.mark.parametrize("data", [None, 3, "PhoneWebPassword", ["password", "ProvLink"], {"Name": "Password"}])
def test_values_that_merely_look_like_secret_names_stay(data):
    assert mask_secrets(data) == data
