# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""XapiError as a failed task shows it: the text a user reads, whole, for each part it may hold."""

from __future__ import annotations

import pytest

from ansible_collections.threecx.xapi.plugins.module_utils._errors import InputError, XapiError


# The errors are made in the test, not here: mutmut links a test to the code it runs, and
# code run while the tests are collected belongs to no test.
@pytest.mark.parametrize("message, fields, text", [
    ("the PBX links the file elsewhere", {}, "the PBX links the file elsewhere"),
    ("no answer", dict(method="GET", url="https://pbx/xapi/v1/Users"), "GET https://pbx/xapi/v1/Users: no answer"),
    ("refused", dict(status=409, method="POST", url="https://pbx/xapi/v1/Users"),
     "POST https://pbx/xapi/v1/Users: HTTP 409: refused"),
    ("invalid", dict(status=400, details=[
        {"code": "", "message": "Number is taken", "target": "Number"},
        {"code": "WARNINGS.XAPI.REQUIRED", "target": "FirstName"},
        {"message": "the body is wrong"},
        {"target": "Email"},
        "plain text"]),
     "HTTP 400: invalid (Number: Number is taken; FirstName: WARNINGS.XAPI.REQUIRED; the body is wrong; Email: ; "
     "plain text)"),
    ("WARNINGS.XAPI.NO_INDEX", dict(status=500, hint="Try again."), "HTTP 500: WARNINGS.XAPI.NO_INDEX. Try again."),
    ("It failed. ", dict(hint="Try again."), "It failed. Try again."),
])
def test_the_text_of_an_xapi_error(message, fields, text):
    error = XapiError(message, **fields)
    assert str(error) == text
    assert error.args == (text,), "the exception's args hold the whole text, as a traceback would show it"


def test_an_input_error_is_its_message():
    error = InputError("name is required", "name")
    assert str(error) == "name is required" and error.args == ("name is required",)
    assert error.to_result() == {}
