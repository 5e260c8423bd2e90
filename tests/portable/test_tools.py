"""The pieces tests/portable/run.sh relies on, checked in every ctest run against the
ordinary build (the static builds and bare roots take too long for CI):
- lsp_smoke.py completes its session against the real server, and fails (exit 1, one
  FAILED line naming the step) when the server is not the one it expects;
- scripts/build-wheel.py refuses a dynamically linked binary (a wheel's manylinux tag would
  then lie) and a binary of the wrong architecture."""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
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

    def test_wheel_refuses_the_wrong_architecture(self):
        binary = shutil.which(BINARY) or BINARY
        other = "aarch64" if os.uname().machine == "x86_64" else "x86_64"
        run = self.wheel(binary, other)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn(f"not {other}", run.stderr)


if __name__ == "__main__":
    unittest.main()
