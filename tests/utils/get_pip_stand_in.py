# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the get-pip bootstrap that ansible-test downloads from a host we cannot reach.

ansible-test runs it inside each fresh sanity virtualenv with the pip version it wants and
`--no-setuptools --no-wheel`. We install pip with ensurepip, then let pip fetch the rest
from the package registry this machine is configured for.
"""

from __future__ import annotations

import subprocess
import sys

# get-pip.py options that `pip install` does not understand.
GET_PIP_ONLY_OPTIONS = {"--no-setuptools", "--no-wheel"}


def main() -> int:
    # ensurepip clears pip's configuration variables in the calling process's environment,
    # which would drop the registry's certificate settings: run it in a process of its own.
    subprocess.run([sys.executable, "-m", "ensurepip", "--upgrade"], check=True)
    pip_args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    return subprocess.run([sys.executable, "-m", "pip", "install"] + pip_args, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
