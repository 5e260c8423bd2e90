"""Every artifact a user installs carries the project's MIT licence (LICENSE) and says so
in its metadata: the wheel (scripts/build-wheel.py), the .deb and the .tar.gz (CPack, from
the build tree the tests run against) and the VS Code manifest. The .vsix itself is built
and listed by the extension's package test (editors/vscode/test/package.test.ts: its
LICENSE.txt and `license`); here its manifest is read from the source.

The wheel builder only takes a fully static binary (scripts/build-static.sh, too slow for
every run), so a stand-in is packed: a 64-byte ELF header for this machine with no program
headers, which passes the builder's static check and is never run. The metadata written
around it is what the release wheel gets."""
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile
from pathlib import Path

from cli_support import BINARY, SOURCE_DIR

LICENSE = SOURCE_DIR / "LICENSE"
BUILD_DIR = Path(BINARY).resolve().parent.parent
ELF_MACHINE = {"x86_64": 62, "aarch64": 183}


def stand_in_elf(machine):
    """An ELF64 little-endian executable header with no program headers."""
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    fields = [(2, 2), (2, ELF_MACHINE[machine]), (4, 1), (8, 0), (8, 64), (8, 0), (4, 0),
              (2, 64), (2, 56), (2, 0), (2, 64), (2, 0), (2, 0)]
    return ident + b"".join(value.to_bytes(size, "little") for size, value in fields)


class LicenceTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-licence-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.licence = LICENSE.read_bytes()
        self.assertTrue(self.licence.startswith(b"MIT License\n"), "LICENSE is not the MIT licence")

    def test_wheel_carries_and_names_the_licence(self):
        machine = os.uname().machine
        self.assertIn(machine, ELF_MACHINE, f"no wheel architecture for {machine}")
        binary = self.tmp / "alembic-lsp"
        binary.write_bytes(stand_in_elf(machine))
        out = self.tmp / "dist"
        r = subprocess.run([sys.executable, str(SOURCE_DIR / "scripts" / "build-wheel.py"), "--binary", str(binary),
                            "--arch", machine, "--out", str(out)], capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        [wheel] = list(out.glob("*.whl"))
        with zipfile.ZipFile(wheel) as z:
            names = z.namelist()
            [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
            dist_info = metadata.rsplit("/", 1)[0]
            self.assertEqual(z.read(f"{dist_info}/licenses/LICENSE"), self.licence)
            headers = z.read(metadata).decode().split("\n\n", 1)[0].splitlines()
            record = z.read(f"{dist_info}/RECORD").decode()
        self.assertIn("License: MIT", headers)
        self.assertIn("License-File: LICENSE", headers)
        self.assertIn("Classifier: License :: OSI Approved :: MIT License", headers)
        self.assertIn(f"{dist_info}/licenses/LICENSE,sha256=", record)

    def test_wheel_builder_refuses_to_ship_without_the_licence(self):
        # A copy of the builder next to a tree with no LICENSE: it stops, naming the file.
        root = self.tmp / "tree"
        (root / "scripts").mkdir(parents=True)
        shutil.copy(SOURCE_DIR / "scripts" / "build-wheel.py", root / "scripts")
        shutil.copy(SOURCE_DIR / "CMakeLists.txt", root)
        shutil.copy(SOURCE_DIR / "README.md", root)
        shutil.copytree(SOURCE_DIR / "docs" / "rules", root / "docs" / "rules")
        machine = os.uname().machine
        binary = self.tmp / "alembic-lsp"
        binary.write_bytes(stand_in_elf(machine))
        r = subprocess.run([sys.executable, str(root / "scripts" / "build-wheel.py"), "--binary", str(binary),
                            "--arch", machine, "--out", str(self.tmp / "dist")],
                           capture_output=True, text=True, timeout=120)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("LICENSE is missing", r.stderr)
        self.assertFalse(list((self.tmp / "dist").glob("*.whl")) if (self.tmp / "dist").exists() else [])

    def test_deb_and_tarball_carry_the_licence(self):
        config = BUILD_DIR / "CPackConfig.cmake"
        self.assertTrue(config.is_file(), f"{config} missing: the tests run against a configured build tree")
        for tool, package in (("cpack", "cmake"), ("dpkg-deb", "dpkg")):
            self.assertIsNotNone(shutil.which(tool), f"{tool} is needed: apt-get install {package}")
        r = subprocess.run(["cpack", "-G", "DEB;TGZ", "--config", str(config), "-B", str(self.tmp / "pkg")],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        [deb] = list((self.tmp / "pkg").glob("*.deb"))
        [tgz] = list((self.tmp / "pkg").glob("*.tar.gz"))
        # Debian's place for a package's licence: /usr/share/doc/PACKAGE/copyright.
        extracted = self.tmp / "deb"
        r = subprocess.run(["dpkg-deb", "-x", str(deb), str(extracted)], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual((extracted / "usr/share/doc/alembic-lsp/copyright").read_bytes(), self.licence)
        with tarfile.open(tgz) as tar:
            [member] = [m for m in tar.getmembers() if m.name.endswith("/share/doc/alembic-lsp/copyright")]
            self.assertEqual(tar.extractfile(member).read(), self.licence)

    def test_vscode_manifest_names_the_licence(self):
        manifest = json.loads((SOURCE_DIR / "editors" / "vscode" / "package.json").read_text())
        self.assertEqual(manifest["license"], "MIT")
        # package.sh copies the repository's LICENSE into the package and .vscodeignore keeps it.
        package_sh = (SOURCE_DIR / "editors" / "vscode" / "scripts" / "package.sh").read_text()
        self.assertIn("cp ../../LICENSE LICENSE", package_sh)
        self.assertIn("!LICENSE", (SOURCE_DIR / "editors" / "vscode" / ".vscodeignore").read_text().splitlines())


if __name__ == "__main__":
    unittest.main()
