# Copyright (c) threecx.xapi contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The built tarball: clean, installable, and documenting itself from the installed copy."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from conftest import ANSIBLE_BIN, COLLECTION_ROOT
from prerequisites import require

MODULES = sorted(path.stem for path in (COLLECTION_ROOT / "plugins" / "modules").glob("threecx_*.py"))


def installed_path():
    path = os.environ.get("ANSIBLE_COLLECTIONS_PATH", "")
    require("installed-collection", bool(path), "ANSIBLE_COLLECTIONS_PATH is not set: run through `make integration`")
    return path


@pytest.mark.parametrize("plugin", ["threecx.xapi." + name for name in MODULES])
def test_ansible_doc_renders_every_module_from_the_installed_copy(plugin):
    process = subprocess.run([str(ANSIBLE_BIN / "ansible-doc"), plugin], capture_output=True, text=True, check=False,
                             env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=installed_path()))
    assert process.returncode == 0, process.stderr
    assert "EXAMPLES" in process.stdout and "RETURN VALUES" in process.stdout
    assert str(Path(installed_path()).resolve()) in process.stdout, "the doc must come from the installed copy"


def test_ansible_doc_renders_the_role():
    process = subprocess.run([str(ANSIBLE_BIN / "ansible-doc"), "-t", "role", "threecx.xapi.audit"],
                             capture_output=True, text=True, check=False,
                             env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=installed_path()))
    assert process.returncode == 0, process.stderr
    assert "threecx_audit_dir" in process.stdout


def test_tarball_holds_no_build_output():
    tarballs = sorted((Path(installed_path()).parent / "dist").glob("threecx-xapi-*.tar.gz"))
    assert tarballs, "make installed builds the tarball into .build/dist"
    with tarfile.open(tarballs[-1]) as tarball:
        names = tarball.getnames()
    for forbidden in (".venv", ".build", "tests/output", "__pycache__", ".pytest_cache", ".git/"):
        assert not [name for name in names if forbidden in name], forbidden
    assert "plugins/modules/threecx_license.py" in names and "meta/runtime.yml" in names
