# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking the secrets in the PBX's answers: what is masked, and that nothing else changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.threecx.xapi.plugins.module_utils._secrets import MASK, is_secret_name, mask_secrets, mask_value

NAMES = ["Id", "Name", "PhoneWebPassword", "ProvLink", "LicenseKey", "NextPageToken", "Pin", "PinNumber",
         "ApiKey", "AccessToken", "SecretKey", "Spinner", "MAC", "password", "licensekey"]


def reference_mask(data):
    """The plain, uncached definition: every str property judged by its own name."""
    if isinstance(data, dict):
        return {key: reference_value(key, value) if isinstance(value, str) else reference_mask(value)
                for key, value in data.items()}
    if isinstance(data, list):
        return [reference_mask(item) for item in data]
    return data


def reference_value(name, value):
    if not value:
        return value
    if name.lower() == "licensekey":
        return MASK + value[-4:] if len(value) > 8 else MASK
    return MASK if is_secret_name(name) else value


def test_a_phone_keeps_everything_but_its_password_and_provisioning_link():
    phone = {"Id": 1, "PhoneWebPassword": "KwQnVsXqOCFE", "ProvLink": "https://pbx/provisioning/x/805ec0123456.cfg",
             "Registrar": {"MAC": "805ec0123456", "Model": "T46U", "Capabilities": 31}, "Interfaces": [], "Pin": ""}
    masked = mask_secrets({"changed": False, "sip_devices": [phone]})
    assert masked == {"changed": False, "sip_devices": [dict(phone, PhoneWebPassword=MASK, ProvLink=MASK)]}
    assert phone["PhoneWebPassword"] == "KwQnVsXqOCFE", "the input is not modified"


def test_licence_keys_keep_their_last_four_characters():
    assert mask_value("LicenseKey", "ABCD-EFGH-IJKL-WXYZ") == MASK + "WXYZ"
    assert mask_value("LicenseKey", "SHORTKEY") == MASK
    assert mask_value("NextPageToken", "cursor") == "cursor"
    assert mask_value("Spinner", "not a pin") == "not a pin"


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(NAMES), children, max_size=5)),
    max_leaves=30)


@given(json_values)
def test_masking_matches_the_plain_definition(data):
    assert mask_secrets(data) == reference_mask(data)
