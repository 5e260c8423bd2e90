"""Project configuration end to end: pyproject.toml edited while the server runs, and
projects configured only by [tool.alembic] (Alembic 1.16+), laid out by Alembic 1.18.4's own
`alembic init --template pyproject` and checked against that Alembic's `heads`."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from cli_support import ALEMBIC_PYTHON, migration, run
from lsp_client import LspClient, path_to_uri

# Set by tests/e2e/CMakeLists.txt: Alembic 1.18.4 unpacked by scripts/fetch-alembic-versions.sh.
ALEMBIC_1_18 = os.environ.get("ALEMBIC_LSP_ALEMBIC_1_18", "")


def heads_severities(diagnostics):
    return sorted(d["severity"] for d in diagnostics if d["code"] == "multiple-heads")


class ServerCase(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-config-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.client = LspClient()
        self.addCleanup(self.client.kill)

    def start(self, root):
        self.client.initialize(root)
        self.client.wait_for(lambda n: n["method"] == "window/logMessage"
                             and "indexed" in n["params"]["message"], what="indexing")
        return self.client.request("alembic/graph", {})

    def changed(self, path, kind):
        """What an editor's file watcher sends: 1 created, 2 changed, 3 deleted."""
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(path), "type": kind}]})


class PyprojectEditedWhileServingTest(ServerCase):
    """Two heads (b1, c1 on a1) in an alembic.ini project; [tool.alembic-lsp] in
    pyproject.toml is created, changed and deleted while the server runs."""

    def test_settings_follow_the_file(self):
        root = self.tmp / "proj"
        versions = root / "migrations" / "versions"
        versions.mkdir(parents=True)
        (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
        for rev, down in (("a1", None), ("b1", "a1"), ("c1", "a1")):
            (versions / f"{rev}_m.py").write_text(migration(rev, down))
        self.start(root)
        head_file = versions / "c1_m.py"
        self.assertEqual(heads_severities(self.client.diagnostics(head_file) or []), [1])

        pyproject = root / "pyproject.toml"
        pyproject.write_text('[tool.alembic-lsp]\nseverity = { multiple-heads = "info" }\n')
        self.changed(pyproject, 1)
        self.client.wait_diagnostics(head_file, lambda d: heads_severities(d) == [3])

        pyproject.write_text('[tool.alembic-lsp]\nignore = ["multiple-heads"]\n')
        self.changed(pyproject, 2)
        self.client.wait_diagnostics(head_file, lambda d: heads_severities(d) == [])

        # A broken file: reported on pyproject.toml, the defaults apply meanwhile.
        pyproject.write_text('[tool.alembic-lsp]\nignore = ["multiple-heads"\n')
        self.changed(pyproject, 2)
        self.client.wait_diagnostics(head_file, lambda d: heads_severities(d) == [1])
        self.client.wait_diagnostics(pyproject, lambda d: len(d) > 0)

        pyproject.unlink()
        self.changed(pyproject, 3)
        self.client.wait_diagnostics(pyproject, lambda d: d == [])
        self.assertEqual(heads_severities(self.client.diagnostics(head_file) or []), [1])
        self.assertEqual(self.client.shutdown(), 0)


def alembic_1_18(args, cwd):
    env = dict(os.environ, PYTHONPATH=ALEMBIC_1_18, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([ALEMBIC_PYTHON, "-m", "alembic"] + list(args), cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=env)


class ToolAlembicOnlyTest(ServerCase):
    """`alembic init --template pyproject` (Alembic 1.18.4), alembic.ini removed: the
    project is configured by pyproject.toml's [tool.alembic] alone, with version_locations
    as a TOML list."""

    @classmethod
    def setUpClass(cls):
        # Made once (Alembic's start-up dominates); test_server edits a copy.
        if not (ALEMBIC_1_18 and (Path(ALEMBIC_1_18) / "alembic" / "__init__.py").is_file()):
            raise AssertionError("Alembic 1.18.4 is needed: run scripts/fetch-alembic-versions.sh "
                                 "BUILD/alembic-versions and set ALEMBIC_LSP_ALEMBIC_1_18 (ctest does both)")
        cls.class_tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-toml-"))
        cls.addClassCleanup(shutil.rmtree, cls.class_tmp, ignore_errors=True)
        root = cls.class_tmp / "app"
        root.mkdir()
        r = alembic_1_18(["init", "--template", "pyproject", "migrations"], root)
        assert r.returncode == 0, r.stderr
        (root / "alembic.ini").unlink()
        pyproject = root / "pyproject.toml"
        text = pyproject.read_text()
        assert "[tool.alembic]" in text and 'script_location = "%(here)s/migrations"' in text, text
        # Alembic 1.16+ takes version_locations as a TOML list.
        pyproject.write_text(text.replace(
            "[tool.alembic]\n", '[tool.alembic]\nversion_locations = ["%(here)s/migrations/versions", '
            '"%(here)s/more_versions"]\n', 1))
        (root / "more_versions").mkdir()
        versions = root / "migrations" / "versions"
        (versions / "a1_m.py").write_text(migration("a1", None))
        (versions / "b1_m.py").write_text(migration("b1", "a1"))
        (root / "more_versions" / "c1_m.py").write_text(migration("c1", "a1"))
        heads = alembic_1_18(["heads"], root)
        assert heads.returncode == 0, heads.stderr
        cls.alembic_heads = sorted(line.split()[0] for line in heads.stdout.splitlines())
        cls.project = root

    def setUp(self):
        super().setUp()
        self.assertEqual(self.alembic_heads, ["b1", "c1"])
        self.root = self.tmp / "app"
        shutil.copytree(self.project, self.root)

    def test_check(self):
        r = run(["check", "--format", "json", str(self.root)])
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        envs = json.loads(r.stdout)["environments"]
        self.assertEqual(len(envs), 1, envs)
        self.assertEqual(sorted(envs[0]["heads"]), self.alembic_heads)
        self.assertEqual(sorted(r["id"] for r in envs[0]["revisions"]), ["a1", "b1", "c1"])
        self.assertEqual({d["code"] for d in envs[0]["diagnostics"]}, {"multiple-heads"})
        heads = run(["heads", str(self.root)])
        self.assertEqual(sorted(l.split()[0] for l in heads.stdout.splitlines()), self.alembic_heads)

    def test_server(self):
        graph = self.start(self.root)
        self.assertEqual(len(graph["environments"]), 1, graph)
        self.assertEqual(sorted(graph["environments"][0]["heads"]), self.alembic_heads)
        c1 = self.root / "more_versions" / "c1_m.py"
        self.assertEqual(heads_severities(self.client.diagnostics(c1) or []), [1])
        # The same pyproject.toml also carries [tool.alembic-lsp]: edited, it applies.
        pyproject = self.root / "pyproject.toml"
        pyproject.write_text(pyproject.read_text() + "\n[tool.alembic-lsp]\nexpected-heads = 2\n")
        self.changed(pyproject, 2)
        self.client.wait_diagnostics(c1, lambda d: heads_severities(d) == [3])
        self.assertEqual(self.client.shutdown(), 0)


if __name__ == "__main__":
    unittest.main()
