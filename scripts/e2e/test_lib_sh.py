#!/usr/bin/env python3
"""Unit tests of scripts/lib.sh functions that decide something (run by scripts/test.sh):
python3 -m unittest discover -s scripts/e2e -p 'test_*.py'

apt_install's QEMU pin: a machine image with a newer qemu-utils (backports) than the
release's qemu-system-x86 lost qemu-img when apt resolved the two by removing qemu-utils
(stop 26's CI). apt-get and apt-cache are stand-ins here that print what they were asked.
"""

import os
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = os.path.join(HERE, "..", "lib.sh")

STUB_APT_GET = '#!/bin/sh\n[ "$*" = "${*%update*}" ] || exit 0\necho "$*"\n'
STUB_APT_CACHE = '#!/bin/sh\necho "  Installed: (none)"\necho "  Candidate: 1:7.2+dfsg-7+deb12u18+b3"\n'


def apt_install(*packages):
    """The package arguments apt_install gives `apt-get install`."""
    with tempfile.TemporaryDirectory() as stubs:
        for name, text in (("apt-get", STUB_APT_GET), ("apt-cache", STUB_APT_CACHE)):
            path = os.path.join(stubs, name)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, 0o755)
        env = dict(os.environ, PATH=stubs + os.pathsep + os.environ["PATH"])
        out = subprocess.run(
            ["bash", "-c", '. "$0"; apt_install "$@"', LIB, *packages],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    words = out.split()
    return words[words.index("install") + 1:]


class AptInstall(unittest.TestCase):
    def test_qemu_system_brings_qemu_utils_of_its_version(self):
        self.assertEqual(
            apt_install("qemu-system-x86", "socat"),
            ["qemu-system-x86", "socat", "qemu-utils=1:7.2+dfsg-7+deb12u18+b3"],
        )

    def test_a_bare_qemu_utils_beside_qemu_system_is_pinned_too(self):
        self.assertEqual(
            apt_install("qemu-system-x86", "qemu-utils", "socat"),
            ["qemu-system-x86", "socat", "qemu-utils=1:7.2+dfsg-7+deb12u18+b3"],
        )

    def test_other_packages_are_asked_for_as_given(self):
        self.assertEqual(apt_install("socat", "jq"), ["socat", "jq"])
        self.assertEqual(apt_install("qemu-utils"), ["qemu-utils"])


if __name__ == "__main__":
    unittest.main()
