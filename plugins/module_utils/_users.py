# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Extensions (XAPI `Users`) and departments (XAPI `Groups`) as resources of the engine.

threecx_user, threecx_group and their `_info` siblings use these descriptions, and so will the
whole-PBX export and apply: one place says how a user or a department is found, compared and written.
A user's `Groups` and a department's `Members` are one relation on the PBX, seen from either side.
"""

from __future__ import annotations

from ansible_collections.threecx.xapi.plugins.module_utils._ensure import CASE_INSENSITIVE, Field, Members, Resource

# A membership's role; a new membership gets `users` unless a role is given, a listed one keeps its own.
_ROLE = {"role": "Rights/RoleName"}
_DEFAULT_ROLE = {"role": "users"}

USER = Resource(
    "user",
    entity_set="Users",
    # Number is the alternate key of Users: one GET Users(Number='100'), and the PBX refuses to change it.
    natural_key=("number", "Number"),
    fields=[
        Field("first_name", "FirstName"),
        Field("last_name", "LastName"),
        Field("email", "EmailAddress", compare=CASE_INSENSITIVE),
        Field("mobile", "Mobile"),
        Field("outbound_caller_id", "OutboundCallerID"),
        Field("language", "Language"),
        Field("enabled", "Enabled"),
        Field("require_2fa", "Require2FA"),
        Members("groups", "Groups", key=("name", "GroupId"), lookup=("Groups", "Name"),
                fields=_ROLE, defaults=_DEFAULT_ROLE),
        Field("pin", "VMPIN", secret=True),
        Field("web_password", "AccessPassword", secret=True),
    ],
    # What the PBX reports about the extension, not settings of it.
    read_only=["IsRegistered", "CurrentProfileName", "QueueStatus"],
    # A membership's names are the PBX's own copies of the department's and the member's.
    derived=["MemberName"],
)

GROUP = Resource(
    "group",
    entity_set="Groups",
    # Groups have no alternate key: a department is found by $filter on its Name.
    natural_key=("name", "Name"),
    fields=[
        Field("language", "Language"),
        Field("timezone_id", "TimeZoneId"),
        Members("members", "Members", key=("number", "Number"), fields=_ROLE, defaults=_DEFAULT_ROLE),
    ],
    # The PBX assigns a department's Number (GRPn) and decides which one is the default.
    read_only=["Number", "HasMembers", "IsDefault", "LastLoginTime"],
    derived=["MemberName"],
)


# The options of threecx_user and threecx_group (beside the connection and state options), here so that
# threecx_config checks each item of a document with the very argument spec of its module.
_MEMBERSHIP = dict(name=dict(type="str", required=True), role=dict(type="str"))
_MEMBER = dict(number=dict(type="str", required=True), role=dict(type="str"))

USER_OPTIONS = dict(
    number=dict(type="str", required=True),
    first_name=dict(type="str"),
    last_name=dict(type="str"),
    email=dict(type="str"),
    mobile=dict(type="str"),
    outbound_caller_id=dict(type="str"),
    language=dict(type="str"),
    enabled=dict(type="bool"),
    require_2fa=dict(type="bool"),
    groups=dict(type="list", elements="dict", options=_MEMBERSHIP),
    pin=dict(type="str", no_log=True),
    web_password=dict(type="str", no_log=True),
)

GROUP_OPTIONS = dict(
    name=dict(type="str", required=True),
    language=dict(type="str"),
    timezone_id=dict(type="str"),
    members=dict(type="list", elements="dict", options=_MEMBER),
)
