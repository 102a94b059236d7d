# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one exception family of the collection. Imports nothing, so every other file may import it.

Every failure raises a ThreecxError: the client for XAPI and HTTP faults (XapiError), the operation
catalogue for calls that do not fit the spec (OperationError), modules and the engine for bad input
(InputError). `XapiModule.run` is the one place where any of them becomes a failed task.
"""

from __future__ import annotations


class ThreecxError(Exception):
    """Any failure: a message that never holds a secret, the option it concerns, and result fields.

    `result_fields` are the keys a failed task carries besides `msg` (`to_result`).
    """

    def __init__(self, message, option=None, **result_fields):
        self.message = message
        self.option = option
        self.result_fields = result_fields
        super().__init__(message)

    def __str__(self):
        return self.message

    def to_result(self):
        """The fields a failed module result carries besides `msg`."""
        return dict(self.result_fields)


class InputError(ThreecxError):
    """Bad input, found before any request is sent. The message names the option or document path."""


class OperationError(ThreecxError):
    """A call that does not fit the spec. `option` names the module option at fault, if one is."""


class XapiError(ThreecxError):
    """Any failure to talk to XAPI: the method, URL, HTTP status, the PBX's own words and a hint."""

    def __init__(self, message, status=None, method=None, url=None, pbx_message=None, details=None, hint=None):
        self.status = status
        self.method = method
        self.url = url
        self.pbx_message = pbx_message
        self.details = details or []
        self.hint = hint
        super().__init__(message)
        # Exception.args holds the whole text, as str(self) gives it.
        self.args = (str(self),)

    def __str__(self):
        where = "%s %s: " % (self.method, self.url) if self.method else ""
        status = "HTTP %s: " % self.status if self.status else ""
        text = where + status + self.message
        details = "; ".join(_describe_detail(detail) for detail in self.details)
        if details:
            text += " (%s)" % details
        if self.hint:
            # The PBX's own message often ends with a full stop already.
            text = text.rstrip(". ") + ". " + self.hint
        return text

    def to_result(self):
        return dict(status=self.status, method=self.method, url=self.url,
                    pbx_message=self.pbx_message, details=self.details)

    @property
    def unclear(self):
        """Whether a write may or may not have landed: no answer (dropped, timed out) or a 5xx."""
        return self.status is None or self.status >= 500


def _describe_detail(detail):
    if not isinstance(detail, dict):
        return str(detail)
    target = detail.get("target")
    message = detail.get("message") or detail.get("code") or ""
    return "%s: %s" % (target, message) if target else str(message)
