# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding operations and checking calls against the catalogue, before anything is sent."""

from __future__ import annotations

import datetime
import uuid
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.threecx.xapi.plugins.module_utils import _operations
from ansible_collections.threecx.xapi.plugins.module_utils._catalogue import OPERATIONS
from ansible_collections.threecx.xapi.plugins.module_utils._operations import (
    Operation,
    OperationError,
    check_body,
    check_query,
    fill_path,
    find_by_path,
    find_operation,
    suggest_operations,
)
from ansible_collections.threecx.xapi.plugins.module_utils._odata import LiteralError, format_literal, query_value

SAMPLES = {
    "string": "it's a/b c",
    "integer": 12,
    "number": 1.5,
    "boolean": True,
    "date-time": "2025-01-31T08:00:00Z",
    "date": "2025-01-31",
    "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e",
}


# --- find_operation -------------------------------------------------------------------------------

def test_find_operation_returns_the_catalogue_facts():
    operation = find_operation("GetUser")
    assert isinstance(operation, Operation)
    assert operation.operation_id == "GetUser"
    assert (operation.method, operation.path, operation.tag) == ("GET", "/Users({Id})", "Users")
    assert operation.path_params == (("Id", "integer"),)
    assert operation.query_params == ("$select", "$expand")
    assert (operation.has_body, operation.body_required, operation.is_collection) == (False, False, False)
    assert find_operation("ListSipDevice").is_collection


@pytest.mark.parametrize("wrong, suggestion", [
    ("ListSipDevices", "ListSipDevice"),
    ("GetUsr", "GetUser"),
    ("EditLicenceInfo", "EditLicenseInfo"),
    # The Admin console's words, in XAPI's terms: extensions are Users, departments Groups, IVRs and
    # digital receptionists Receptionists, the blacklist BlackListNumbers; getting a plural is a List.
    ("GetExtensions", "ListUser"),
    ("ListExtensions", "ListUser"),
    ("GetExtension", "GetUser"),
    ("ListDepartments", "ListGroup"),
    ("GetDepartment", "GetGroup"),
    ("ListIVRs", "ListReceptionist"),
    ("GetDigitalReceptionists", "ListReceptionist"),
    ("ListBlacklist", "ListBlackListNumber"),
    ("GetBlacklist", "GetBlackListNumber"),
])
def test_unknown_operation_suggests_the_closest_name(wrong, suggestion):
    with pytest.raises(OperationError) as caught:
        find_operation(wrong)
    assert "did you mean %s?" % suggestion in str(caught.value)
    assert caught.value.option == "operation"


def test_a_console_word_that_is_also_xapis_keeps_xapis_meaning():
    """GetExtensionStatisticsData is XAPI's own name: no console word gets in the way of its suggestion."""
    assert "GetExtensionStatisticsData" in suggest_operations("GetExtensionStatisticData")


def test_a_case_slip_is_suggested_not_accepted():
    with pytest.raises(OperationError, match=r"'listsipdevice'.*did you mean ListSipDevice\?$"):
        find_operation("listsipdevice")


def test_unknown_operation_without_any_close_name_points_to_the_list():
    with pytest.raises(OperationError, match=r"no such operationId \(docs/operations.md lists all 601\)"):
        find_operation("Zzzzqqq")


@pytest.mark.parametrize("value", [None, "", "  ", 12])
def test_operation_must_be_a_name(value):
    with pytest.raises(OperationError) as caught:
        find_operation(value)
    assert caught.value.option == "operation"
    assert str(caught.value) == "operation must be an operationId such as ListSipDevice, got %r" % (value,)


# --- find_by_path ---------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path, operation_id", [
    ("GET", "/Users(12)", "GetUser"),
    ("PATCH", "/Users(12)", "UpdateUser"),
    ("delete", "/Users(12)", "DeleteUser"),
    ("GET", "/Users({Id})", "GetUser"),
    ("GET", "/Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')", "GetPhoneRegistrar"),
    ("GET", "/Users/Pbx.GetPhoneRegistrar(mac=%27805ec0123456%27)", "GetPhoneRegistrar"),
    ("GET", "/Users/Pbx.GetPhoneRegistrar(mac='it''s (odd), a=b')", "GetPhoneRegistrar"),
    ("GET", "/Users/Pbx.GetPhoneRegistrar(mac={mac})", "GetPhoneRegistrar"),
    ("GET", "/SipDevices", "ListSipDevice"),
    ("GET", "SipDevices/", "ListSipDevice"),
    ("GET", "/SipDevices?$top=5", "ListSipDevice"),
    ("POST", "/LicenseStatus/Pbx.EditLicenseInfo", "EditLicenseInfo"),
    ("GET", "/Users%2812%29", "GetUser"),
    ("GET", "/SipDevices?$filter=Name eq 'who?'", "ListSipDevice"),
])
def test_find_by_path_matches_a_concrete_path(method, path, operation_id):
    assert find_by_path(method, path).operation_id == operation_id


@pytest.mark.parametrize("method, path", [
    ("GET", "/NoSuchSet(12)"),
    ("GET", "/Users(12)/Pbx.NoSuchFunction()"),
    ("PUT", "/Users(12)"),
    ("GET", "/Users/Pbx.GetPhoneRegistrar"),
    ("GET", "XSipDevices"),
    ("GET", "/SipDevicesX"),
])
def test_find_by_path_returns_none_for_paths_the_spec_does_not_know(method, path):
    assert find_by_path(method, path) is None


def test_every_filled_template_leads_back_to_its_operation():
    """No two templates of one method can be confused, whatever the literals look like."""
    for operation_id in OPERATIONS:
        operation = find_operation(operation_id)
        path = fill_path(operation, {name: SAMPLES[kind] for name, kind in operation.path_params})
        assert find_by_path(operation.method, path).operation_id == operation_id, path
        assert find_by_path(operation.method, operation.path).operation_id == operation_id


# --- format_literal -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, type_name, literal", [
    ("805ec0123456", "string", "'805ec0123456'"),
    ("O'Brien", "string", "'O''Brien'"),
    ("", "string", "''"),
    (100, "string", "'100'"),
    (12, "integer", "12"),
    ("12", "integer", "12"),
    (" -7 ", "integer", "-7"),
    (12.0, "integer", "12"),
    (1.5, "number", "1.5"),
    (3, "number", "3"),
    ("2.50", "number", "2.50"),
    ("-1e3", "number", "-1e3"),
    (True, "boolean", "true"),
    (False, "boolean", "false"),
    ("False", "boolean", "false"),
    ("2025-01-31T08:00:00Z", "date-time", "2025-01-31T08:00:00Z"),
    ("2025-01-31T08:00:00.123+02:00", "date-time", "2025-01-31T08:00:00.123+02:00"),
    (datetime.datetime(2025, 1, 31, 8, 0, tzinfo=datetime.timezone.utc), "date-time", "2025-01-31T08:00:00+00:00"),
    ("2025-01-31", "date", "2025-01-31"),
    (datetime.date(2025, 1, 31), "date", "2025-01-31"),
    ("0F8FAD5B-D9CB-469F-A165-70867728950E", "uuid", "0f8fad5b-d9cb-469f-a165-70867728950e"),
    (uuid.UUID(int=1), "uuid", "00000000-0000-0000-0000-000000000001"),
])
def test_format_literal(value, type_name, literal):
    assert format_literal(value, type_name) == literal


@pytest.mark.parametrize("value, type_name", [
    (True, "integer"),
    (12.5, "integer"),
    ("12a", "integer"),
    ("", "integer"),
    ([1], "integer"),
    (True, "number"),
    (float("nan"), "number"),
    ("1,5", "number"),
    ("yes", "boolean"),
    (1, "boolean"),
    (True, "string"),
    ({"a": 1}, "string"),
    ("2025-01-31", "date-time"),
    ("2025-01-31T08:00Z", "date-time"),
    ("2025-01-31T08:00:00", "date-time"),
    (datetime.datetime(2025, 1, 31, 8, 0), "date-time"),
    ("2025-02-30", "date"),
    ("31.01.2025", "date"),
    (datetime.datetime(2025, 1, 31, tzinfo=datetime.timezone.utc), "date"),
    ("not-a-uuid", "uuid"),
    (12, "uuid"),
    (None, "string"),
])
def test_format_literal_rejects_values_that_do_not_fit(value, type_name):
    with pytest.raises(LiteralError) as caught:
        format_literal(value, type_name, "'Key'")
    assert str(caught.value).startswith("'Key' ")


def test_format_literal_names_the_type_and_the_value():
    with pytest.raises(LiteralError, match=r"^'Id' must be an integer, such as 12, got True \(bool\)$"):
        format_literal(True, "integer", "'Id'")


def test_format_literal_rejects_an_unknown_type():
    with pytest.raises(ValueError) as caught:
        format_literal(1, "object")
    assert str(caught.value) == "unknown parameter type 'object'"


def test_format_literal_says_a_null_has_no_value_and_what_is_needed():
    with pytest.raises(LiteralError) as caught:
        format_literal(None, "date", "path_params 'From' for GetX")
    assert str(caught.value) == "path_params 'From' for GetX has no value (null); XAPI needs an ISO 8601 date, such as 2025-01-31"


@pytest.mark.parametrize("value, type_name, literal", [
    (" True ", "boolean", "true"),
    ("FALSE", "boolean", "false"),
])
def test_format_literal_reads_booleans_in_any_case(value, type_name, literal):
    assert format_literal(value, type_name, "'Key'") == literal


def test_format_literal_refuses_a_number_for_a_date():
    with pytest.raises(LiteralError) as caught:
        format_literal(20250131, "date", "'Day'")
    assert str(caught.value) == "'Day' must be an ISO 8601 date, such as 2025-01-31, got 20250131 (int)"


@given(st.text())
def test_string_literal_round_trips(text):
    literal = format_literal(text, "string")
    assert literal.startswith("'") and literal.endswith("'") and len(literal) >= 2
    assert literal[1:-1].replace("''", "'") == text


@given(st.text())
def test_string_literal_has_no_lone_quote_inside(text):
    """Inside the quotes every `'` is doubled, so OData never sees the literal end early."""
    inner = format_literal(text, "string")[1:-1]
    assert inner.replace("''", "").count("'") == 0


@given(st.integers())
def test_integer_literal_accepts_ints_and_their_text(number):
    assert format_literal(number, "integer") == format_literal(str(number), "integer") == str(number)


# --- fill_path ------------------------------------------------------------------------------------

def test_fill_path_quotes_string_parameters():
    operation = find_operation("GetPhoneRegistrar")
    assert fill_path(operation, {"mac": "805ec0123456"}) == "/Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')"


def test_fill_path_writes_integers_bare_even_from_text():
    assert fill_path(find_operation("GetUser"), {"Id": 12}) == "/Users(12)"
    assert fill_path(find_operation("GetUser"), {"Id": "12"}) == "/Users(12)"


def test_fill_path_percent_encodes_for_a_path_segment():
    path = fill_path(find_operation("GetPhoneRegistrar"), {"mac": "a b/c?d#e%f'g"})
    assert path == "/Users/Pbx.GetPhoneRegistrar(mac='a%20b%2Fc%3Fd%23e%25f''g')"
    assert unquote(path) == "/Users/Pbx.GetPhoneRegistrar(mac='a b/c?d#e%f''g')"


def test_fill_path_writes_every_parameter_of_a_function_in_place():
    operation = find_operation("GetLogs")
    values = {name: SAMPLES[kind] for name, kind in operation.path_params}
    values["startDate"] = "2025-01-31T08:00:00+01:00"
    path = fill_path(operation, values)
    assert path.startswith("/ActivityLog/Pbx.GetLogs(startDate=2025-01-31T08:00:00+01:00,endDate=2025-01-31T08:00:00Z,")
    assert "{" not in path


@given(st.text())
def test_filled_string_parameter_decodes_to_the_quoted_literal(text):
    path = fill_path(find_operation("GetPhoneRegistrar"), {"mac": text})
    assert path.startswith("/Users/Pbx.GetPhoneRegistrar(mac='") and path.endswith("')")
    assert unquote(path[len("/Users/Pbx.GetPhoneRegistrar(mac="):-1], errors="strict") == format_literal(text, "string")
    assert "/" not in path[len("/Users/Pbx.GetPhoneRegistrar("):]


def test_fill_path_names_a_missing_parameter():
    with pytest.raises(OperationError, match=r"^path_params is missing 'Id' for GetUser") as caught:
        fill_path(find_operation("GetUser"), {})
    assert caught.value.option == "path_params"


def test_fill_path_names_an_unknown_parameter_and_hints_at_case():
    with pytest.raises(OperationError, match=r"path_params has 'id', which GetUser does not take; it takes Id \(did you mean 'Id'\?\)"):
        fill_path(find_operation("GetUser"), {"id": 12})
    with pytest.raises(OperationError, match=r"^path_params has 'Id', which ListSipDevice does not take; it takes no path parameters$"):
        fill_path(find_operation("ListSipDevice"), {"Id": 12})


def test_fill_path_names_a_wrongly_typed_parameter():
    with pytest.raises(OperationError, match=r"^path_params 'Id' for GetUser must be an integer, such as 12, got 'twelve' \(str\)$"):
        fill_path(find_operation("GetUser"), {"Id": "twelve"})
    with pytest.raises(OperationError, match=r"path_params 'Id' for GetUser must be an integer.*got True \(bool\)"):
        fill_path(find_operation("GetUser"), {"Id": True})


def test_fill_path_without_parameters():
    assert fill_path(find_operation("ListSipDevice"), None) == "/SipDevices"
    assert fill_path(find_operation("ListSipDevice"), {}) == "/SipDevices"
    with pytest.raises(OperationError) as caught:
        fill_path(find_operation("GetUser"), [12])
    assert str(caught.value) == "path_params must be a dictionary of parameter names and values, got list"


def test_an_unknown_path_parameter_reads_whole():
    with pytest.raises(OperationError) as caught:
        fill_path(find_operation("GetUser"), {"ID": 12, "Other": 1})
    assert str(caught.value) == ("path_params has 'ID', 'Other', which GetUser does not take; it takes Id "
                                 "(did you mean 'Id'?)")


# --- check_query and check_body -------------------------------------------------------------------

def test_check_query_accepts_declared_names_with_or_without_dollar():
    operation = find_operation("ListSipDevice")
    check_query(operation, ["$top", "$skip", "filter", "$count", "orderby", "$select", "expand", "search"])
    check_query(operation, {"$top": "5"})
    check_query(find_operation("EditLicenseInfo"), [])


def test_check_query_names_undeclared_parameters_and_lists_the_declared_ones():
    with pytest.raises(OperationError) as caught:
        check_query(find_operation("GetUser"), ["$select", "$top", "foo"])
    assert str(caught.value) == "GetUser does not take the query parameters $top, foo; it takes $select, $expand"
    assert caught.value.option == "query"
    with pytest.raises(OperationError, match=r"^EditLicenseInfo does not take the query parameter \$filter; it takes no query parameters$"):
        check_query(find_operation("EditLicenseInfo"), ["$filter"])


def test_check_body():
    check_body(find_operation("EditLicenseInfo"), True)
    check_body(find_operation("GetUser"), False)
    with pytest.raises(OperationError, match="^GetUser takes no request body; leave body out$") as caught:
        check_body(find_operation("GetUser"), True)
    assert caught.value.option == "body"
    with pytest.raises(OperationError, match="^EditLicenseInfo needs a request body: set body$"):
        check_body(find_operation("EditLicenseInfo"), False)


def test_an_optional_body_may_be_left_out():
    optional = [operation_id for operation_id, fields in OPERATIONS.items() if fields[5] and not fields[6]]
    assert optional, "the spec has operations whose body is optional"
    check_body(find_operation(optional[0]), False)
    check_body(find_operation(optional[0]), True)


def test_operation_error_carries_message_and_option():
    error = OperationError("bad", "query")
    assert (str(error), error.message, error.option) == ("bad", "bad", "query")
    assert OperationError("bad").option is None


# --- query_value ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, text", [
    (True, "true"),
    (False, "false"),
    (12, "12"),
    ("Number desc", "Number desc"),
    (["Number", "FirstName"], "Number,FirstName"),
    ([True, 1], "true,1"),
])
def test_query_value_writes_values_as_odata_does(value, text):
    assert query_value(value) == text


@pytest.fixture(autouse=True)
def _path_index_built_afresh():
    """find_by_path builds its index on first use: let every test build it, so none relies on an earlier one's."""
    _operations._PATH_INDEX.clear()  # pylint: disable=protected-access
    yield
    _operations._PATH_INDEX.clear()  # pylint: disable=protected-access


@pytest.mark.parametrize("wrong, message", [
    ("GetSipDevic", "did you mean ListSipDevice or GetDeviceInfo?"),
    ("GetLicense", "did you mean GetLicenseStatus, GetIfaces or EditLicenseInfo?"),
])
def test_several_suggestions_are_listed_with_or(wrong, message):
    with pytest.raises(OperationError) as caught:
        find_operation(wrong)
    assert str(caught.value).endswith(message)


def test_the_most_specific_template_wins():
    # /Users/Pbx.GetPhoneRegistrar(mac={mac}) and /Users({Id}) both start with Users; the first is the more specific.
    assert find_by_path("GET", "/Users/Pbx.GetPhoneRegistrar(mac='805ec0123456')").operation_id == "GetPhoneRegistrar"
    assert find_by_path("GET", "/Users(12)").operation_id == "GetUser"
    assert find_by_path("GET", "/Users(12)/extra") is None


def test_a_typo_in_a_name_that_holds_a_console_word_keeps_xapis_name():
    """XAPI's own DeleteDepartmentContactsByType holds "Department": its score from the name as typed stands."""
    assert suggest_operations("DeleteDepartmentContacsByType") == ["DeleteDepartmentContactsByType"]


def test_at_most_three_names_are_suggested():
    assert len(suggest_operations("CreateDepartmentDepartment")) == 3
