"""textDocument/prepareRename and textDocument/rename of a revision id against the real
binary: a rename across a merge (revision, docstring header, both parents' children,
depends_on, the file name), applied as an editor would, then checked by the server,
by `alembic-lsp check` and by Alembic itself; refusals with clear messages; and the
plain `changes` shape for clients without documentChanges."""

import copy
import json
import shutil
import subprocess
import tempfile
import textwrap
import unittest
from pathlib import Path

from edit_support import alembic, alembic_heads, apply_and_tell, wait_indexed
from lsp_client import BINARY, CLIENT_CAPABILITIES, LspClient, LspError, path_to_uri, position_of

ALEMBIC_INI = "[alembic]\nscript_location = migrations\n"

A1, B2, C3, D4, E5 = ("a1a1a1a1a1a1", "b2b2b2b2b2b2", "c3c3c3c3c3c3", "d4d4d4d4d4d4",
                      "e5e5e5e5e5e5")
NEW = "beefbeef0001"

CAPABILITIES = copy.deepcopy(CLIENT_CAPABILITIES)
CAPABILITIES["workspace"]["workspaceEdit"]["changeAnnotationSupport"] = {"groupsOnLabel": True}
CAPABILITIES["textDocument"]["rename"] = {"prepareSupport": True}


def migration(rev, down, message, depends_on="None", quote="'"):
    revises = ", ".join(down) if isinstance(down, tuple) else (down or "")
    return textwrap.dedent(f'''\
        """{message}

        Revision ID: {rev}
        Revises: {revises}
        Create Date: 2024-03-01 10:00:00.000000

        """
        from alembic import op
        import sqlalchemy as sa


        # revision identifiers, used by Alembic.
        revision = {quote}{rev}{quote}
        down_revision = {{DOWN}}
        branch_labels = None
        depends_on = {depends_on}


        def upgrade():
            pass


        def downgrade():
            pass
        ''').replace("{DOWN}", down_python(down, quote))


def down_python(down, quote):
    if down is None:
        return "None"
    if isinstance(down, tuple):
        return "(" + ", ".join(f"{quote}{d}{quote}" for d in down) + ")"
    return f"{quote}{down}{quote}"


# a1 ─┬─ b2 ─┬─ d4 (merge) ── e5 (depends_on b2)
#     └─ c3 ─┘
FILES = {
    f"{A1}_initial.py": migration(A1, None, "initial"),
    f"{B2}_add_users.py": migration(B2, A1, "add users"),
    f"{C3}_add_orders.py": migration(C3, A1, "add orders", quote='"'),
    f"{D4}_merge.py": migration(D4, (B2, C3), "merge users and orders"),
    f"{E5}_add_invoices.py": migration(E5, D4, "add invoices", depends_on=f"('{B2}',)"),
}


class RenameTest(unittest.TestCase):
    capabilities = CAPABILITIES

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-rename-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.versions = self.root / "migrations" / "versions"
        self.versions.mkdir(parents=True)
        (self.root / "alembic.ini").write_text(ALEMBIC_INI)
        for name, text in FILES.items():
            (self.versions / name).write_text(text)
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.init = self.client.initialize(self.root, capabilities=self.capabilities)
        self.merge = self.versions / f"{D4}_merge.py"
        wait_indexed(self.client)

    def sync(self):
        """Every notification sent before now has been handled once this returns."""
        self.client.request("alembic/graph", {})

    def at(self, path, needle, offset=1, occurrence=0):
        return {"textDocument": {"uri": path_to_uri(path)},
                "position": position_of(path.read_text(), needle, occurrence, offset)}

    def check_json(self):
        done = subprocess.run([BINARY, "check", "--format", "json", str(self.root)],
                              capture_output=True, text=True, timeout=120)
        return json.loads(done.stdout)["environments"][0]

    def test_announces_rename_with_prepare(self):
        self.assertEqual(self.init["capabilities"]["renameProvider"], {"prepareProvider": True})

    def test_prepare_rename_gives_the_id_inside_its_quotes(self):
        params = self.at(self.merge, f"'{B2}'", offset=3)
        result = self.client.request("textDocument/prepareRename", params)
        self.assertEqual(result["placeholder"], B2)
        line = self.merge.read_text().splitlines()[result["range"]["start"]["line"]]
        start, end = result["range"]["start"]["character"], result["range"]["end"]["character"]
        self.assertEqual(line[start:end], B2)
        self.assertEqual(line[start - 1], "'")
        # The docstring's Revises: is renamable too, and its range is the bare id.
        result = self.client.request("textDocument/prepareRename",
                                     self.at(self.merge, f"Revises: {B2}", offset=10))
        self.assertEqual(result["placeholder"], B2)
        # Not on a revision name: nothing to rename.
        self.assertIsNone(self.client.request("textDocument/prepareRename",
                                              self.at(self.merge, "import sqlalchemy", 0)))

    def test_rename_across_a_merge(self):
        old_file = self.versions / f"{B2}_add_users.py"
        edit = self.client.request("textDocument/rename",
                                   {**self.at(self.merge, f"'{B2}'", offset=2), "newName": NEW})
        annotations = edit["changeAnnotations"]
        self.assertEqual(len(annotations), 1)
        note = next(iter(annotations.values()))
        self.assertTrue(note["needsConfirmation"])
        self.assertIn(f"alembic stamp {NEW}", note["description"])
        kinds = [c.get("kind", "edit") for c in edit["documentChanges"]]
        self.assertEqual(kinds[-1], "rename", "the file is renamed after its text is edited")
        rename = edit["documentChanges"][-1]
        self.assertEqual(rename["oldUri"], path_to_uri(old_file))
        self.assertEqual(rename["newUri"], path_to_uri(self.versions / f"{NEW}_add_users.py"))
        edited = {c["textDocument"]["uri"]: len(c["edits"]) for c in edit["documentChanges"]
                  if "textDocument" in c}
        self.assertEqual(edited, {path_to_uri(old_file): 2, path_to_uri(self.merge): 2,
                                  path_to_uri(self.versions / f"{E5}_add_invoices.py"): 1})
        for change in edit["documentChanges"]:
            for e in change.get("edits", []):
                self.assertIn("annotationId", e)

        apply_and_tell(self.client, edit)
        self.sync()
        new_file = self.versions / f"{NEW}_add_users.py"
        self.assertFalse(old_file.exists())
        text = new_file.read_text()
        self.assertIn(f"revision = '{NEW}'", text)
        self.assertIn(f"Revision ID: {NEW}", text)
        merge = self.merge.read_text()
        self.assertIn(f"down_revision = ('{NEW}', '{C3}')", merge)
        self.assertIn(f"Revises: {NEW}, {C3}", merge)
        self.assertIn(f"depends_on = ('{NEW}',)",
                      (self.versions / f"{E5}_add_invoices.py").read_text())
        self.assertNotIn(B2, "".join(p.read_text() for p in self.versions.glob("*.py")))

        for path in self.versions.glob("*.py"):
            self.assertEqual(self.client.diagnostics(path) or [], [], path)
        env = self.check_json()
        self.assertEqual(env["diagnostics"], [])
        self.assertEqual(env["heads"], [E5])
        self.assertEqual(env["merge_points"], [D4])
        self.assertEqual(alembic_heads(self.root), [E5])
        history = alembic(self.root, "history")
        self.assertEqual(history.returncode, 0, history.stderr)
        self.assertIn(f"{NEW}, {C3} -> {D4} (mergepoint)", history.stdout)
        self.assertIn(f"{A1} -> {NEW}", history.stdout)

    def test_rename_follows_the_open_unsaved_document(self):
        """Ranges come from the editor's text, not the disk: two lines added, unsaved."""
        text = "# edited in the editor, not saved\n# one more line\n" + self.merge.read_text()
        self.client.open(self.merge, text)
        self.sync()
        params = {"textDocument": {"uri": path_to_uri(self.merge)},
                  "position": position_of(text, f"'{C3}'", 0, 2)}
        self.assertEqual(self.client.request("textDocument/prepareRename", params)["placeholder"], C3)
        edit = self.client.request("textDocument/rename", {**params, "newName": NEW})
        merge_edits = edit["changes"][path_to_uri(self.merge)] if "changes" in edit else next(
            c["edits"] for c in edit["documentChanges"]
            if c.get("textDocument", {}).get("uri") == path_to_uri(self.merge))
        lines = text.splitlines()
        for e in merge_edits:
            start, end = e["range"]["start"], e["range"]["end"]
            self.assertEqual(lines[start["line"]][start["character"]:end["character"]], C3)
        self.assertEqual(len(merge_edits), 2)

    def test_refusals_say_why(self):
        params = self.at(self.merge, f"'{B2}'", offset=2)
        for new_name, reason in ((C3, "already exists"), ("new-id", "not a valid revision id"),
                                 ("has space", "whitespace"), ("", "cannot be empty")):
            with self.subTest(new_name=new_name):
                with self.assertRaises(LspError) as raised:
                    self.client.request("textDocument/rename", {**params, "newName": new_name})
                self.assertIn(reason, str(raised.exception))
        # A file already holding the new name: refused rather than overwritten.
        (self.versions / f"{NEW}_add_users.py").write_text("")
        with self.assertRaises(LspError) as raised:
            self.client.request("textDocument/rename", {**params, "newName": NEW})
        self.assertIn("already exists", str(raised.exception))

    def test_duplicated_or_missing_ids_are_not_renamed(self):
        copy_path = self.versions / "ffffffffffff_copy.py"
        copy_path.write_text(migration(C3, A1, "a copy"))
        missing = self.versions / "f0f0f0f0f0f0_broken.py"
        missing.write_text(migration("f0f0f0f0f0f0", "0123abcd", "broken"))
        self.client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": path_to_uri(copy_path), "type": 1}, {"uri": path_to_uri(missing), "type": 1}]})
        self.sync()
        with self.assertRaises(LspError) as raised:
            self.client.request("textDocument/prepareRename", self.at(self.merge, f"'{C3}'", offset=2))
        self.assertIn("duplicate-revision", str(raised.exception))
        with self.assertRaises(LspError) as raised:
            self.client.request("textDocument/prepareRename", self.at(missing, "'0123abcd'", 2))
        self.assertIn("nothing to rename", str(raised.exception))

    def test_bad_requests_get_errors_not_crashes(self):
        with self.assertRaises(LspError):
            self.client.request("textDocument/rename", {
                "textDocument": {"uri": "untitled:1"}, "position": {"line": 0, "character": 0},
                "newName": "x"})
        outside = {"textDocument": {"uri": path_to_uri(self.root / "nowhere.py")},
                   "position": {"line": 99, "character": 99}, "newName": "abc"}
        self.assertIsNone(self.client.request("textDocument/rename", outside))
        with self.assertRaises(LspError):
            self.client.request("textDocument/rename", {**self.at(self.merge, f"'{B2}'"),
                                                        "newName": 42})
        self.sync()  # still alive


class RenameWithoutDocumentChangesTest(RenameTest):
    """A client that only takes `changes`: same edits, no annotation, no file rename."""
    capabilities = copy.deepcopy(CLIENT_CAPABILITIES)
    capabilities["workspace"]["workspaceEdit"] = {}

    def test_rename_across_a_merge(self):
        edit = self.client.request("textDocument/rename",
                                   {**self.at(self.merge, f"'{B2}'", offset=2), "newName": NEW})
        self.assertNotIn("documentChanges", edit)
        self.assertNotIn("changeAnnotations", edit)
        self.assertEqual(sum(len(e) for e in edit["changes"].values()), 5)
        apply_and_tell(self.client, edit)
        self.sync()
        old_file = self.versions / f"{B2}_add_users.py"
        self.assertIn(f"revision = '{NEW}'", old_file.read_text())
        self.assertEqual(self.check_json()["diagnostics"], [])
        self.assertEqual(alembic_heads(self.root), [E5])


if __name__ == "__main__":
    unittest.main()
