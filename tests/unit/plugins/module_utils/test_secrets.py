# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Masking the secrets in the PBX's answers: what is masked, and that nothing else changes."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.threecx.xapi.plugins.module_utils import _secrets
from ansible_collections.threecx.xapi.plugins.module_utils._secrets import MASK, is_secret_name, mask_secrets, mask_value


@pytest.fixture(autouse=True)
def _names_judged_afresh():
    """Each name's verdict is cached on first use: let every test judge names itself, not inherit verdicts."""
    _secrets._VISIBLE_CHARACTERS.clear()  # pylint: disable=protected-access
    yield
    _secrets._VISIBLE_CHARACTERS.clear()  # pylint: disable=protected-access


@pytest.mark.parametrize("name", ["PhoneWebPassword", "ProvLink", "VMPin", "PinNumber", "ClientSecret",
                                  "AccessToken", "phonewebpassword", "SipAuthPassword"])
def test_secret_properties_are_masked(name):
    assert mask_secrets({name: "s3cret-value", "Name": "Front desk"}) == {name: MASK, "Name": "Front desk"}


def test_a_licence_key_keeps_its_last_four_characters():
    assert mask_secrets({"LicenseKey": "ABCD-EFGH-IJKL-MNOP"}) == {"LicenseKey": MASK + "MNOP"}


def test_a_short_licence_key_is_masked_entirely():
    assert mask_secrets({"LicenseKey": "ABCD1234"}) == {"LicenseKey": MASK}


def test_a_licence_key_more_than_twice_as_long_as_what_is_shown_keeps_its_end():
    assert mask_secrets({"LicenseKey": "ABCD12345"}) == {"LicenseKey": MASK + "2345"}


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


NAMES = ["Id", "Name", "PhoneWebPassword", "ProvLink", "LicenseKey", "NextPageToken", "Pin", "PinNumber",
         "ApiKey", "AccessToken", "SecretKey", "Spinner", "MAC", "password", "licensekey", "ClientSecret",
         "ProvisioningLinkExt", "TokenEndpoint", "GbJson"]


def reference_mask(data):
    """The plain, uncached definition: every property judged by its own name."""
    if isinstance(data, dict):
        return {key: reference_value(key, value) for key, value in data.items()}
    if isinstance(data, list):
        return [reference_mask(item) for item in data]
    return data


# Written out by hand from the properties of the official spec and from what each holds, never from
# the code's own list: a name dropped from the code must fail here.
SECRET_NAMES = frozenset((
    "ApiKey", "APIKey", "ManagementAPIKey", "AccessKey", "SecretKey", "TranscribeSecretKey", "TranscribeKeyGrok",
    "ClientSecret", "Secret", "AccessToken", "RefreshToken", "Token", "Password", "AuthPassword",
    "PhoneWebPassword", "WebclientPassword", "DeskphonePassword", "FtpPassword", "SftpPassword", "MailPassword",
    "ExchangePassword", "NsPassword", "AccessPassword", "EncryptBackupPassword", "SipAuthPassword",
    "PIN", "Pin", "VMPIN", "VMPin", "VoicemailPIN", "VoicemailPin", "PinNumber",
    "PrivateKey", "ClientPrivateKey", "SbcPrivateKey", "SftpPrivateKey", "GbJson",
    "ProvLink", "ProvisionLink", "ProvisioningLinkExt", "ProvisioningLinkLocal",
    # A backup's link downloads the whole PBX (issue 16: download links are secrets).
    "DownloadLink",
))
# Names that look like secrets and are not (a cursor, an address, a flag, a public certificate).
NOT_SECRET_NAMES = frozenset((
    "Id", "Name", "MAC", "Spinner", "NextPageToken", "TokenEndpoint", "TokenEndpointAuthMethod", "PublicIPinSIP",
    "PinProtectTimeout", "Link", "InterfaceLink", "ReportLink", "ConfigurationLink",
    "SftpHostKeyFingerprint", "Certificate", "CACertificate", "InvalidKeyForwardDN", "Key", "KeyName",
))


@pytest.mark.parametrize("name", sorted(SECRET_NAMES))
def test_every_secret_property_of_the_spec_is_masked(name):
    assert is_secret_name(name) or name.lower() == "licensekey", name
    assert mask_secrets({name: "s3cret-value", "Name": "Front desk"}) == {name: MASK, "Name": "Front desk"}
    assert mask_secrets({name.lower(): "s3cret-value"}) == {name.lower(): MASK}, "names match in any case"


@pytest.mark.parametrize("name", sorted(NOT_SECRET_NAMES))
def test_names_that_only_look_secret_are_left_alone(name):
    assert mask_secrets({name: "visible-value"}) == {name: "visible-value"}


def reference_value(name, value):
    if name.lower() == "licensekey" and isinstance(value, str) and len(value) > 8:
        return MASK + value[-4:]
    if name.lower() == "licensekey" or name.lower() in {secret.lower() for secret in SECRET_NAMES}:
        return reference_conceal(value)
    return reference_mask(value)


def reference_conceal(value):
    """Everything a secret property holds, masked but for what only says whether it is set."""
    if isinstance(value, dict):
        return {key: reference_conceal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [reference_conceal(item) for item in value]
    return value if value in (None, "") or isinstance(value, bool) else MASK


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


def test_a_concealed_password_object_is_masked_inside():
    """XAPI's ConcealedPassword holds the password in `Value`; ConcealedDataFile a key in `Contents`."""
    settings = {"AuthId": "fax", "AuthPassword": {"Concealed": False, "Value": "hunter2"},
                "SftpPrivateKey": {"Concealed": False, "Contents": "-----BEGIN KEY-----", "Name": "id_rsa"}}
    assert mask_secrets(settings) == {"AuthId": "fax", "AuthPassword": {"Concealed": False, "Value": MASK},
                                      "SftpPrivateKey": {"Concealed": False, "Contents": MASK, "Name": MASK}}


def test_a_numeric_pin_is_masked_and_a_flag_is_not():
    assert mask_secrets({"VoicemailPin": 1234, "EnablePin": True, "Pin": None}) == {
        "VoicemailPin": MASK, "EnablePin": True, "Pin": None}
