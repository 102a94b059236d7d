# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Properties of OData quoting and query encoding, checked with generated input."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ansible_collections.threecx.xapi.plugins.module_utils._odata import (
    build_query,
    encode_query,
    quote_search,
    quote_string,
)

# Twice the examples of the loaded profile: 200 in make test, 40 under make mutation (conftest.py).
PROPERTY = settings(max_examples=2 * settings.default.max_examples, deadline=None)

# Property names as XAPI spells them: never a comma, never blank.
NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_/]{0,15}", fullmatch=True)
WHITESPACE = st.sampled_from([" ", "\t", "\n", "\u00a0", "\u3000"])


def unescape_search(inner):
    return re.sub(r"\\(.)", r"\1", inner, flags=re.DOTALL)


# --- quote_string -------------------------------------------------------------------------------------

@PROPERTY
@given(st.text())
@example("it's")
@example("''")
@example("'")
def test_quote_string_round_trips(text):
    literal = quote_string(text)
    assert literal.startswith("'") and literal.endswith("'") and len(literal) >= 2
    inner = literal[1:-1]
    assert inner.replace("''", "'") == text
    assert "'" not in inner.replace("''", ""), "a lone quote would end the literal early"


def test_quote_string_examples():
    assert quote_string("O'Brien") == "'O''Brien'"
    assert quote_string(42) == "'42'"


# --- quote_search -------------------------------------------------------------------------------------

@st.composite
def phrases(draw):
    """Text with whitespace in it that is not already one quoted phrase."""
    words = draw(st.lists(st.text(min_size=1), min_size=2, max_size=4))
    separators = draw(st.lists(WHITESPACE, min_size=len(words) - 1, max_size=len(words) - 1))
    text = words[0] + "".join(sep + word for sep, word in zip(separators, words[1:]))
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text + "x"
    return text


@PROPERTY
@given(phrases())
@example('Front Desk')
@example('say "hi" now')
@example('back\\slash and "quote')
@example('"half quoted')
def test_quote_search_encloses_a_phrase_and_escapes_inside(phrase):
    quoted = quote_search(phrase)
    assert quoted.startswith('"') and quoted.endswith('"') and len(quoted) >= 2
    inner = quoted[1:-1]
    assert unescape_search(inner) == phrase
    assert re.search(r'(?<!\\)(?:\\\\)*"', inner) is None, "an unescaped quote inside"


@PROPERTY
@given(st.text(min_size=1).filter(lambda text: not any(char.isspace() for char in text)))
def test_quote_search_leaves_a_single_word_alone(word):
    assert quote_search(word) == word


@PROPERTY
@given(st.text())
def test_quote_search_leaves_an_already_quoted_phrase_alone(text):
    assert quote_search('"%s"' % text) == '"%s"' % text


def test_quote_search_examples():
    assert quote_search("Front Desk") == '"Front Desk"'
    assert quote_search('a "b" c\\d') == '"a \\"b\\" c\\\\d"'
    assert quote_search("Yealink") == "Yealink"


# --- build_query and encode_query ---------------------------------------------------------------------

@PROPERTY
@given(st.lists(NAMES, min_size=1, max_size=6), st.sampled_from(["select", "orderby", "expand"]))
def test_lists_are_comma_joined(names, option):
    from_list = build_query(**{option: names})
    from_text = build_query(**{option: " , ".join(names)})
    assert from_list == from_text == {"$" + option: ",".join(names)}


@PROPERTY
@given(st.dictionaries(st.text(min_size=1), st.text(), max_size=6))
@example({"$filter": "Name eq 'a&b=c' and Id in (1,2)", "$search": '"x + y"', "%": "100%", "+": " "})
def test_encode_query_round_trips_through_parse_qsl(query):
    encoded = encode_query(query)
    assert parse_qsl(encoded, keep_blank_values=True, strict_parsing=bool(query)) == list(query.items())


@PROPERTY
@given(top=st.none() | st.integers(min_value=0, max_value=10 ** 6),
       skip=st.none() | st.integers(min_value=0, max_value=10 ** 6),
       search=st.none() | st.text(),
       filter_=st.none() | st.text(),
       count=st.booleans(),
       select=st.none() | st.lists(NAMES, max_size=4),
       orderby=st.none() | st.lists(NAMES, max_size=3))
def test_build_query_encodes_and_decodes_to_what_was_asked(top, skip, search, filter_, count, select, orderby):
    query = build_query(top=top, skip=skip, search=search, filter=filter_, count=count, select=select,
                        orderby=orderby)
    decoded = dict(parse_qsl(encode_query(query), keep_blank_values=True))
    expected = {}
    if top is not None:
        expected["$top"] = str(top)
    if skip is not None:
        expected["$skip"] = str(skip)
    if search:
        expected["$search"] = quote_search(search)
    if filter_:
        expected["$filter"] = filter_
    if count:
        expected["$count"] = "true"
    if select:
        expected["$select"] = ",".join(select)
    if orderby:
        expected["$orderby"] = ",".join(orderby)
    assert decoded == query == expected


@pytest.mark.parametrize("query, encoded", [
    ({"$filter": "Name eq 'Front Desk'"}, "$filter=Name%20eq%20'Front%20Desk'"),
    ({"$select": "Id,Name", "$top": 5}, "$select=Id,Name&$top=5"),
    ({"$search": '"a&b"'}, "$search=%22a%26b%22"),
])
def test_encode_query_keeps_odata_syntax_readable(query, encoded):
    assert encode_query(query) == encoded


@pytest.mark.parametrize("select, sent", [
    ("Number, FirstName", "Number,FirstName"),
    ("Number,, ,FirstName,", "Number,FirstName"),
    (["Number", " ", "FirstName"], "Number,FirstName"),
])
def test_blank_names_in_a_list_option_are_left_out(select, sent):
    assert build_query(select=select) == {"$select": sent}
