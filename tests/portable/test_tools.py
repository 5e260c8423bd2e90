"""The pieces tests/portable/run.sh relies on, checked in every ctest run against the
ordinary build (the static builds and bare roots take too long for CI):
- lsp_smoke.py completes its session against the real server, and fails (exit 1, one
  FAILED line naming the step) when the server is not the one it expects;
- scripts/build-wheel.py refuses a dynamically linked binary (a wheel's manylinux tag would
  then lie) and a binary of the wrong architecture; its win_amd64 wheel carries the .exe as
  its script and refuses anything but a PE executable for x86-64;
- scripts/normalise-zip.py (release.sh runs it on every .vsix) gives the same bytes for the
  same entries written at other times and in another order, and keeps contents and modes."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile
from pathlib import Path

BINARY = os.environ.get("ALEMBIC_LSP_BINARY", "alembic-lsp")
SOURCE_DIR = Path(os.environ.get("ALEMBIC_SOURCE_DIR", Path(__file__).resolve().parents[2]))
HERE = Path(__file__).resolve().parent


class PortableToolsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-portable-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.project = self.tmp / "tangled"
        shutil.copytree(SOURCE_DIR / "examples" / "tangled", self.project)

    def smoke(self, *command):
        return subprocess.run([sys.executable, str(HERE / "lsp_smoke.py"), "--project", str(self.project),
                               "--", *command], capture_output=True, text=True, timeout=120)

    def test_smoke_session_against_the_server(self):
        run = self.smoke(BINARY)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertRegex(run.stdout, r"^ok: alembic-lsp \S+: [1-9]\d* multiple-heads diagnostics, "
                                     r"definition -> 1c9a7e5b3d20, 'Merge \d+ heads into a new migration', clean exit")

    def test_smoke_session_fails_on_a_server_that_never_answers(self):
        env_timeout = dict(os.environ, LSP_SMOKE_TIMEOUT="2")
        run = subprocess.run([sys.executable, str(HERE / "lsp_smoke.py"), "--project", str(self.project),
                              "--", "sleep", "30"], capture_output=True, text=True, timeout=60, env=env_timeout)
        self.assertEqual(run.returncode, 1)
        self.assertIn("lsp_smoke: FAILED: no answer within 2 s while waiting for initialize", run.stderr)

    def wheel(self, binary, arch):
        return subprocess.run([sys.executable, str(SOURCE_DIR / "scripts" / "build-wheel.py"), "--binary",
                               str(binary), "--arch", arch, "--out", str(self.tmp / "dist")],
                              capture_output=True, text=True, timeout=120)

    def test_wheel_refuses_a_dynamically_linked_binary(self):
        binary = shutil.which(BINARY) or BINARY
        run = self.wheel(binary, "x86_64" if os.uname().machine == "x86_64" else "aarch64")
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("is dynamically linked; build it with scripts/build-static.sh", run.stderr)
        self.assertFalse((self.tmp / "dist").exists() and any((self.tmp / "dist").iterdir()))

    def test_wheel_names_a_missing_binary(self):
        run = self.wheel(self.tmp / "no-such-binary", "x86_64")
        self.assertEqual(run.returncode, 1)
        self.assertEqual(run.stderr, f"build-wheel: cannot read the binary {self.tmp / 'no-such-binary'}: "
                                     "No such file or directory\n")

    def test_wheel_refuses_the_wrong_architecture(self):
        binary = shutil.which(BINARY) or BINARY
        other = "aarch64" if os.uname().machine == "x86_64" else "x86_64"
        run = self.wheel(binary, other)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn(f"not {other}", run.stderr)

    @staticmethod
    def stand_in_pe(machine=0x8664, characteristics=0x0022):
        """The headers of a PE image (what build-wheel.py reads), not a program: the real
        alembic-lsp.exe comes from scripts/build-windows.sh (MinGW), too slow for every run."""
        pe = 0x80
        data = bytearray(0x200)
        data[:2] = b"MZ"
        data[60:64] = pe.to_bytes(4, "little")
        data[pe:pe + 4] = b"PE\0\0"
        data[pe + 4:pe + 6] = machine.to_bytes(2, "little")
        data[pe + 22:pe + 24] = characteristics.to_bytes(2, "little")
        return bytes(data)

    def test_win_amd64_wheel_carries_the_exe_and_refuses_other_files(self):
        exe = self.tmp / "alembic-lsp.exe"
        exe.write_bytes(self.stand_in_pe())
        run = self.wheel(exe, "win_amd64")
        self.assertEqual(run.returncode, 0, run.stderr)
        [wheel] = (self.tmp / "dist").glob("*.whl")
        self.assertRegex(wheel.name, r"^alembic_lsp-[0-9.]+-py3-none-win_amd64\.whl$")
        with zipfile.ZipFile(wheel) as z:
            [script] = [n for n in z.namelist() if "/scripts/" in n]
            self.assertTrue(script.endswith(".data/scripts/alembic-lsp.exe"), script)
            self.assertEqual(z.read(script), exe.read_bytes())
            [wheel_file] = [n for n in z.namelist() if n.endswith(".dist-info/WHEEL")]
            self.assertIn("Tag: py3-none-win_amd64\n", z.read(wheel_file).decode())
            self.assertIn('sys.platform != "win32"', z.read("alembic_lsp/__main__.py").decode())
        for name, data, why in (
                ("arm64.exe", self.stand_in_pe(machine=0xAA64), "is for PE machine 0xaa64, not win_amd64"),
                ("a.dll", self.stand_in_pe(characteristics=0x2022), "is not an executable image"),
                ("elf", b"\x7fELF" + bytes(60), "is not a Windows executable (no PE header)")):
            with self.subTest(name=name):
                (self.tmp / name).write_bytes(data)
                run = self.wheel(self.tmp / name, "win_amd64")
                self.assertEqual(run.returncode, 1)
                self.assertIn(why, run.stderr)

    def write_zip(self, path, names, date_time):
        """A zip as vsce writes one: entries in the given order, the given time, some modes."""
        modes = {"extension/server/linux-x64/alembic-lsp": 0o755}
        with zipfile.ZipFile(path, "w") as archive:
            for name in names:
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o100000 | modes.get(name, 0o664)) << 16
                archive.writestr(info, f"contents of {name}\n" * 50, compresslevel=6)

    def normalise(self, path, epoch):
        return subprocess.run([sys.executable, str(SOURCE_DIR / "scripts" / "normalise-zip.py"),
                               "--first", "extension.vsixmanifest", "--first", "[Content_Types].xml",
                               str(path)], capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, SOURCE_DATE_EPOCH=str(epoch)))

    def test_normalise_zip_gives_the_same_bytes(self):
        names = ["extension/package.json", "[Content_Types].xml", "extension.vsixmanifest",
                 "extension/server/linux-x64/alembic-lsp", "extension/dist/extension.js"]
        first, second = self.tmp / "first.vsix", self.tmp / "second.vsix"
        self.write_zip(first, names, (2026, 12, 7, 10, 54, 26))
        self.write_zip(second, list(reversed(names)), (2027, 1, 2, 3, 4, 6))
        self.assertNotEqual(first.read_bytes(), second.read_bytes())
        epoch = 1765000000
        for archive in (first, second):
            run = self.normalise(archive, epoch)
            self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(first.read_bytes(), second.read_bytes())
        with zipfile.ZipFile(first) as archive:
            infos = archive.infolist()
            self.assertEqual([i.filename for i in infos],
                             ["extension.vsixmanifest", "[Content_Types].xml", "extension/dist/extension.js",
                              "extension/package.json", "extension/server/linux-x64/alembic-lsp"])
            for info in infos:
                self.assertEqual(info.date_time, time.gmtime(epoch)[:6])
                self.assertEqual(archive.read(info), f"contents of {info.filename}\n".encode() * 50)
            modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in infos}
            self.assertEqual(modes["extension/server/linux-x64/alembic-lsp"], 0o755)
            self.assertEqual(modes["extension/package.json"], 0o664)

    def test_normalise_zip_refuses_what_is_not_a_zip(self):
        path = self.tmp / "broken.vsix"
        path.write_bytes(b"not a zip")
        run = self.normalise(path, 1765000000)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn(f"normalise-zip: cannot read {path}", run.stderr)
        self.assertEqual(path.read_bytes(), b"not a zip")


if __name__ == "__main__":
    unittest.main()
