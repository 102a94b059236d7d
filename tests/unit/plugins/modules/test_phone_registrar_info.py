# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""normalize_mac: every way a MAC address is written gives its 12 lowercase hex digits, and nothing else does."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansible_collections.threecx.xapi.plugins.modules.threecx_phone_registrar_info import normalize_mac

# Twice the examples of the loaded profile: 200 in make test, 40 under make mutation (conftest.py).
PROPERTY = settings(max_examples=2 * settings.default.max_examples, deadline=None)
HEX = "0123456789abcdef"


def pairs(octets):
    return ["%02x" % octet for octet in octets]


def colon(octets):
    return ":".join(pairs(octets))


def dash(octets):
    return "-".join(pairs(octets))


def dotted(octets):
    digits = "".join(pairs(octets))
    return ".".join(digits[index:index + 4] for index in range(0, len(digits), 4))


def bare(octets):
    return "".join(pairs(octets))


WRITINGS = [colon, dash, dotted, bare]


@st.composite
def any_case(draw, text):
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(char.upper() if flip else char for char, flip in zip(text, flips))


@PROPERTY
@given(st.binary(min_size=6, max_size=6), st.sampled_from(WRITINGS), st.data(),
       st.sampled_from(["", " ", "\t", "\n"]), st.sampled_from(["", " ", "\n"]))
def test_every_writing_of_six_octets_gives_the_same_twelve_digits(octets, writing, data, before, after):
    written = data.draw(any_case(writing(octets)))
    assert normalize_mac(before + written + after) == octets.hex()


@PROPERTY
@given(st.binary(min_size=1, max_size=9).filter(lambda octets: len(octets) != 6), st.sampled_from(WRITINGS))
def test_other_numbers_of_octets_are_refused(octets, writing):
    assert normalize_mac(writing(octets)) is None


@PROPERTY
@given(st.binary(min_size=6, max_size=6), st.sampled_from(WRITINGS), st.data(),
       st.characters(blacklist_characters=HEX + HEX.upper(), blacklist_categories=("Cs",)))
def test_a_character_that_is_not_a_hex_digit_is_refused(octets, writing, data, stranger):
    written = writing(octets)
    digit_positions = [index for index, char in enumerate(written) if char in HEX]
    position = data.draw(st.sampled_from(digit_positions))
    assert normalize_mac(written[:position] + stranger + written[position + 1:]) is None


@PROPERTY
@given(st.binary(min_size=6, max_size=6), st.lists(st.sampled_from([":", "-", ".", " ", "_", ""]),
                                                   min_size=5, max_size=5))
def test_mixed_separators_are_refused(octets, separators):
    assume(len(set(separators)) > 1)
    assume(separators != ["", ".", "", ".", ""])  # that is Cisco's aabb.ccdd.eeff, which is valid
    written = "".join(pair + separator for pair, separator in zip(pairs(octets), separators + [""]))
    assert normalize_mac(written) is None


@pytest.mark.parametrize("value, expected", [
    ("80:5E:C0:12:34:56", "805ec0123456"),
    ("80-5e-c0-12-34-56", "805ec0123456"),
    ("805E.C012.3456", "805ec0123456"),
    ("805ec0123456", "805ec0123456"),
    ("  805EC0123456\n", "805ec0123456"),
    ("805ec012345", None),
    ("805ec01234567", None),
    ("80:5e:c0:12:34:56:78", None),
    ("80:5e:c0:12:34", None),
    ("80:5e:c0-12:34:56", None),
    ("805e.c012.34:56", None),
    ("80:5e:c0:12:34:5g", None),
    ("8:5e:c0:12:34:56", None),
    ("805ec0123456\n805ec0123456", None),
    ("", None),
    (None, None),
])
def test_normalize_mac_examples(value, expected):
    assert normalize_mac(value) == expected


def test_the_module_refuses_a_mac_it_cannot_read_before_any_request(pbx, capsys):
    from module_runner import run_module  # pylint: disable=import-outside-toplevel
    from ansible_collections.threecx.xapi.plugins.modules import threecx_phone_registrar_info  # pylint: disable=import-outside-toplevel

    result = run_module(threecx_phone_registrar_info, pbx, capsys, mac="zz")
    assert result["failed"] is True
    assert result["msg"] == ("mac must be a MAC address such as 80:5E:C0:12:34:56, 805E.C012.3456 or 805ec0123456; "
                             "got 'zz'")
    assert pbx.log() == []


def test_a_mac_it_cannot_read_is_an_input_error_naming_mac():
    from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError  # pylint: disable=import-outside-toplevel
    from ansible_collections.threecx.xapi.plugins.modules import threecx_phone_registrar_info  # pylint: disable=import-outside-toplevel

    class Module:  # pylint: disable=too-few-public-methods
        params = {"mac": "zz"}

    with pytest.raises(InputError) as caught:
        threecx_phone_registrar_info.run(Module(), client=None)
    assert caught.value.option == "mac"
