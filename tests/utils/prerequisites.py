# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Prerequisites of the tests, and no silent skips under `make`.

A test that needs something the machine may lack (the official spec, Chromium, the installed
collection) calls `require(name, available, reason)`. Without it the test is skipped, saying why.

`make units` and `make integration` load this file as a pytest plugin (`-p prerequisites`) and set
THREECX_NO_SKIPS=1: then every skip fails the run, with its reason, because `make` provides what
the tests need. THREECX_WAIVE names prerequisites a run may go without, comma-separated
(`THREECX_WAIVE=browser`); their tests are skipped, and the summary says so. THREECX_SKIP_BROWSER=1
is the older spelling of THREECX_WAIVE=browser.
"""

from __future__ import annotations

import os

import pytest

WAIVED_PREFIX = "waived: "
KNOWN = ("spec", "browser", "installed-collection")


def waived():
    """The prerequisites this run goes without, by name."""
    names = {name.strip() for name in os.environ.get("THREECX_WAIVE", "").split(",") if name.strip()}
    if os.environ.get("THREECX_SKIP_BROWSER") == "1":
        names.add("browser")
    unknown = names - set(KNOWN)
    if unknown:
        raise pytest.UsageError("THREECX_WAIVE names unknown prerequisites %s; known: %s"
                                % (", ".join(sorted(unknown)), ", ".join(KNOWN)))
    return names


def require(name, available, reason):
    """Skip the calling test unless `available`; a waived prerequisite is skipped even when there."""
    if name in waived():
        pytest.skip("%s%s (THREECX_WAIVE)" % (WAIVED_PREFIX, name))
    if not available:
        pytest.skip("%s is missing: %s" % (name, reason))


def spec_path_or_skip(path):
    """The official spec's path, when the tests were given one that exists; else the test is skipped."""
    require("spec", bool(path) and os.path.isfile(path),
            "the official XAPI spec is not beside the checkout (../shared/xapi/swagger.yaml) and THREECX_SPEC "
            "names no file")
    return path


# ---- the pytest plugin (`-p prerequisites`) ---------------------------------------------------------

def _strict():
    return os.environ.get("THREECX_NO_SKIPS") == "1"


# (node id, reason) of each skipped test of this run, waived or not.
_UNWAIVED = []
_WAIVED = []


def pytest_configure():
    waived()  # a misspelt waiver is a usage error at once, not a surprise at the end


@pytest.hookimpl(trylast=True)
def pytest_runtest_logreport(report):
    if not report.skipped or getattr(report, "wasxfail", None) is not None:
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason[len("Skipped: "):] if reason.startswith("Skipped: ") else reason
    (_WAIVED if reason.startswith(WAIVED_PREFIX) else _UNWAIVED).append((report.nodeid, reason))


def pytest_sessionfinish(session):
    if _strict() and _UNWAIVED and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _WAIVED:
        names = sorted({reason[len(WAIVED_PREFIX):].split(" ")[0] for _node, reason in _WAIVED})
        terminalreporter.write_line("WAIVED: %d tests skipped by THREECX_WAIVE: %s" % (len(_WAIVED), ", ".join(names)),
                                    yellow=True, bold=True)
    if _UNWAIVED and _strict():
        terminalreporter.write_line("FAILED: %d tests were skipped, and under `make` nothing may be skipped "
                                    "unless waived (THREECX_WAIVE):" % len(_UNWAIVED), red=True, bold=True)
        for node, reason in _UNWAIVED:
            terminalreporter.write_line("  %s: %s" % (node, reason), red=True)
