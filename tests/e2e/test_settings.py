"""The server applies the same [tool.alembic-lsp] settings as `check`: from the project's
pyproject.toml, from the editor's initializationOptions, and from
workspace/didChangeConfiguration; problems with them are reported, never fatal."""
import json
import shutil
import tempfile
import unittest
from pathlib import Path

from cli_support import posix_paths, require_alembic, run
from edit_support import alembic, start_indexed
from lsp_client import LspClient, path_to_uri

INI = "[alembic]\nscript_location = migrations\n"


def migration(rev, down):
    return (f'"""m {rev}\n\nRevision ID: {rev}\nRevises: {down or ""}\n"""\n'
            f"revision = {rev!r}\ndown_revision = {down!r}\n")


def codes(diagnostics):
    return sorted(d["code"] for d in diagnostics)


def heads_severity(diagnostics):
    """The severity of the multiple-heads diagnostic (None without one)."""
    found = [d["severity"] for d in diagnostics if d["code"] == "multiple-heads"]
    return found[0] if found else None


class SettingsCase(unittest.TestCase):
    """Two heads (b1, c1 on a1); c1's header says it revises z9 (header-mismatch)."""

    pyproject = None

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-settings-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.versions = self.root / "migrations" / "versions"
        self.versions.mkdir(parents=True)
        (self.root / "alembic.ini").write_text(INI)
        if self.pyproject is not None:
            (self.root / "pyproject.toml").write_text(self.pyproject)
        (self.versions / "a1_base.py").write_text(migration("a1", None))
        (self.versions / "b1_left.py").write_text(migration("b1", "a1"))
        (self.versions / "c1_right.py").write_text(
            migration("c1", "a1").replace("Revises: a1", "Revises: z9"))
        self.client = LspClient()
        self.addCleanup(self.client.kill)

    def start(self, init_options=None):
        self.client.initialize(self.root, init_options=init_options)
        self.client.wait_for(lambda n: n["method"] == "window/logMessage"
                             and "indexed" in n["params"]["message"], what="indexing")
        # The index is installed and published in the task that logged it; a reply to a
        # later request comes after that publication.
        self.client.request("alembic/graph", {})

    def diags(self, name):
        return self.client.diagnostics(self.versions / name) or []

    def wait(self, name, predicate):
        return self.client.wait_diagnostics(self.versions / name, predicate)

    def tearDown(self):
        self.assertEqual(self.client.shutdown(), 0)


class DefaultsTest(SettingsCase):
    def test_without_settings_both_heads_and_the_header_are_reported(self):
        self.start()
        got = self.diags("c1_right.py")
        self.assertEqual(codes(got), ["header-mismatch", "multiple-heads"])
        self.assertEqual(heads_severity(got), 1)
        self.assertEqual(codes(self.diags("b1_left.py")), ["multiple-heads"])


class PyprojectTest(SettingsCase):
    pyproject = ("[tool.alembic-lsp]\nexpected-heads = 2\nignore = [\"header-mismatch\"]\n"
                 "severity = { unresolved-value = \"off\" }\nexpected_heads = 3\n")

    def test_expected_heads_ignore_and_unknown_key(self):
        self.start()
        warnings = self.client.diagnostics(self.root / "pyproject.toml")
        self.assertEqual(codes(warnings), ["config-warning"])
        self.assertIn("expected_heads", warnings[0]["message"])
        self.assertIn("did you mean 'expected-heads'", warnings[0]["message"])
        self.assertEqual(warnings[0]["range"]["start"]["line"], 4)
        # Two heads are what the project expects (an information, not an error), and the
        # stale header is ignored.
        for name in ("b1_left.py", "c1_right.py"):
            got = self.diags(name)
            self.assertEqual(codes(got), ["multiple-heads"], name)
            self.assertEqual(heads_severity(got), 3)
            self.assertIn("as expected-heads says", got[0]["message"])

    def test_editing_to_a_third_head_is_reported_against_the_expected_two(self):
        self.start()
        path = self.versions / "d1_third.py"
        self.client.open(path, migration("d1", "a1"))
        got = self.client.wait_diagnostics(path, lambda d: heads_severity(d) == 1)
        message = [d for d in got if d["code"] == "multiple-heads"][0]["message"]
        self.assertIn("is one of 3 heads; expected-heads is 2.", message)
        # Closing the unsaved file takes the third head away again.
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": path_to_uri(path)}})
        self.client.wait_diagnostics(path, lambda d: d == [])
        self.assertEqual(heads_severity(self.diags("c1_right.py")), 3)


class SeverityTest(SettingsCase):
    pyproject = "[tool.alembic-lsp]\nseverity = { multiple-heads = \"info\" }\n"

    def test_severity_override(self):
        self.start()
        got = self.diags("c1_right.py")
        heads = [d for d in got if d["code"] == "multiple-heads"]
        self.assertTrue(heads)
        self.assertEqual({d["severity"] for d in heads}, {3})
        header = [d for d in got if d["code"] == "header-mismatch"]
        self.assertTrue(header)
        self.assertNotEqual(header[0]["severity"], 3)
        self.assertIsNone(self.client.diagnostics(self.root / "pyproject.toml"))


class InitializationOptionsTest(SettingsCase):
    def test_editor_settings_apply(self):
        self.start({"watchFiles": False, "allowMultipleHeads": True, "ignore": ["header-mismatch"]})
        got = self.diags("c1_right.py")
        self.assertEqual(codes(got), ["multiple-heads"])
        self.assertEqual(heads_severity(got), 3)
        self.assertIn("which this project allows", got[0]["message"])

    def test_bad_editor_settings_are_shown_and_the_rest_applies(self):
        self.start({"expected-heads": "two", "colour": "red", "ignore": ["header-mismatch"],
                    "watchFiles": "yes"})
        shown = [n["params"]["message"] for n in self.client.notifications
                 if n["method"] == "window/showMessage"]
        self.assertTrue(any("expected-heads must be a number" in m for m in shown), shown)
        self.assertTrue(any("Unknown key 'colour'" in m for m in shown), shown)
        self.assertTrue(any("watchFiles must be true or false" in m for m in shown), shown)
        got = self.diags("c1_right.py")
        self.assertEqual(codes(got), ["multiple-heads"])
        self.assertEqual(heads_severity(got), 1)

    def test_project_file_wins_over_the_editor(self):
        (self.root / "pyproject.toml").write_text("[tool.alembic-lsp]\nexpected-heads = 1\n")
        self.start({"expected-heads": 2, "ignore": ["header-mismatch"]})
        got = self.diags("c1_right.py")
        self.assertEqual(codes(got), ["multiple-heads"])  # the editor's ignore still adds up
        self.assertIn("is one of 2 heads; expected-heads is 1.", got[0]["message"])


class AlembicVersionFileTest(SettingsCase):
    """The Alembic version is read again when a lock or requirements file changes while
    the server runs (watched files): `down_revision = ""` is a warning for Alembic 1.8.1
    and an error from 1.12.1 on."""

    def test_requirements_change_is_followed(self):
        (self.root / "requirements.txt").write_text("alembic==1.8.1\n")
        (self.versions / "d1_empty.py").write_text(migration("d1", ""))
        self.start()
        registrations = [r for m in self.client.server_requests if m["method"] == "client/registerCapability"
                         for r in m["params"]["registrations"]]
        globs = [w["globPattern"] for r in registrations for w in r["registerOptions"]["watchers"]]
        for glob in ("**/uv.lock", "**/poetry.lock", "**/requirements*.txt"):
            self.assertIn(glob, globs)
        empty = lambda severity, says="": lambda ds: any(
            d["code"] == "empty-down-revision" and d["severity"] == severity and says in d["message"]
            for d in ds)
        self.wait("d1_empty.py", empty(2))
        for text, kind, severity in (("alembic==1.13.2\n", 2, 1), (None, 3, 1), ("alembic<1.12\n", 1, 2)):
            if text is None:
                (self.root / "requirements.txt").unlink()  # nothing pinned: the newest
            else:
                (self.root / "requirements.txt").write_text(text)
            self.client.notify("workspace/didChangeWatchedFiles", {"changes": [
                {"uri": path_to_uri(self.root / "requirements.txt"), "type": kind}]})
            says = {"alembic==1.13.2\n": "Alembic 1.13.2", None: "newest Alembic",
                    "alembic<1.12\n": "below 1.12"}[text]
            self.wait("d1_empty.py", empty(severity, says))
        # A uv.lock beside it wins over requirements files.
        (self.root / "uv.lock").write_text('version = 1\n\n[[package]]\nname = "alembic"\n'
                                          'version = "1.13.2"\n')
        self.client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": path_to_uri(self.root / "uv.lock"), "type": 1}]})
        self.wait("d1_empty.py", empty(1, "Alembic 1.13.2"))


class DidChangeConfigurationTest(SettingsCase):
    def test_settings_pushed_later_apply_and_can_be_undone(self):
        self.start()
        self.assertEqual(heads_severity(self.diags("c1_right.py")), 1)
        self.client.clear_notifications()
        self.client.notify("workspace/didChangeConfiguration",
                           {"settings": {"alembic-lsp": {"expected-heads": 2}}})
        got = self.wait("c1_right.py", lambda d: heads_severity(d) == 3)
        self.assertEqual(codes(got), ["header-mismatch", "multiple-heads"])
        # Another client's section, or none: nothing changes, nothing is republished.
        self.client.clear_notifications()
        self.client.notify("workspace/didChangeConfiguration", {"settings": {"python": {}}})
        self.client.notify("workspace/didChangeConfiguration", {"settings": None})
        self.client.request("alembic/graph", {})
        self.assertIsNone(self.client.diagnostics(self.versions / "c1_right.py"))
        self.client.notify("workspace/didChangeConfiguration", {"settings": {"alembic-lsp": {}}})
        self.wait("c1_right.py", lambda d: heads_severity(d) == 1)


if __name__ == "__main__":
    unittest.main()


class MonorepoTest(unittest.TestCase):
    """Two projects in one repository, each made by real Alembic (`alembic init`, two heads
    by `revision --splice`); only `billing` has a pyproject.toml. `check` of the repository
    root applies each environment's own settings, as the editor does: billing's ignore list,
    billing's config warning reported once, shop's findings untouched."""

    @classmethod
    def setUpClass(cls):
        require_alembic(cls)

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-monorepo-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "repo"
        for name in ("billing", "shop"):
            project = self.root / name
            project.mkdir(parents=True)
            for args in (("init", "migrations"),
                         ("revision", "-m", "base", "--rev-id", name[0] * 4 + "0001"),
                         ("revision", "-m", "left", "--rev-id", name[0] * 4 + "0002"),
                         ("revision", "-m", "right", "--rev-id", name[0] * 4 + "0003",
                          "--head", name[0] * 4 + "0001", "--splice")):
                r = alembic(project, *args)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        (self.root / "billing" / "pyproject.toml").write_text(
            '[tool.alembic-lsp]\nignore = ["multiple-heads"]\nno-such-key = 1\n')

    def test_check_of_the_root_applies_each_projects_settings_as_the_editor(self):
        r = run(["check", "--format", "json", "--no-history", str(self.root)], cwd=self.root)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        # Paths as this machine writes them (the .exe under wine prints "billing\...").
        found = [((self.root / posix_paths(d["path"])).resolve().relative_to(self.root.resolve())
                  .as_posix(), d["code"])
                 for env in json.loads(r.stdout)["environments"] for d in env["diagnostics"]]
        codes_of = lambda project: sorted(c for p, c in found if p.startswith(project + "/"))
        # billing: its heads ignored, its unknown key reported once; shop: both heads.
        self.assertEqual(codes_of("billing"), ["config-warning"])
        self.assertEqual(codes_of("shop"), ["multiple-heads", "multiple-heads"])
        # The editor, opened on the root, shows the same.
        client = start_indexed(self, self.root)
        client.request("alembic/graph", {})
        for path, code in found:
            shown = client.diagnostics(self.root / path) or []
            self.assertIn(code, [d["code"] for d in shown], path)
        for head in (self.root / "billing" / "migrations" / "versions").glob("*.py"):
            self.assertNotIn("multiple-heads", [d["code"] for d in client.diagnostics(head) or []])
