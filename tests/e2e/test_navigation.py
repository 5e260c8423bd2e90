"""Go-to-definition, find-references and hover against the real binary, on a small
project written by the test itself (so it does not depend on the examples' contents)."""

import shutil
import tempfile
import textwrap
import unittest
from pathlib import Path

from lsp_client import LspClient, LspError, native, path_to_uri, position_of, uri_to_path

ALEMBIC_INI = """\
[alembic]
script_location = migrations
"""


def migration(rev, down, message, revises=None, extra=""):
    """A migration as Alembic 1.8's template writes it; `down` is Python source."""
    return textwrap.dedent('''\
        """{message}

        Revision ID: {rev}
        Revises: {revises}
        Create Date: 2024-03-01 10:00:00.000000

        """
        from alembic import op
        import sqlalchemy as sa


        # revision identifiers, used by Alembic.
        revision = '{rev}'
        down_revision = {down}
        {extra}

        def upgrade():
            pass


        def downgrade():
            pass
        ''').format(rev=rev, down=down, message=message,
                    revises=revises if revises is not None else "", extra=extra)


# 1a2b3c4d5e6f (base) ─┬─ 2b3c4d5e6f70 (label 'accounts') ── 4d5e6f708192 (depends_on 'accounts')
#                      └─ 3c4d5e6f7081 ─┬─ 5e6f70819203 (twice: duplicated id)
#                                       └─ 6f7081920314 -> 'deadbeef' is missing in 7081...
FILES = {
    "1a2b3c4d5e6f_initial_schema.py": migration("1a2b3c4d5e6f", "None", "initial schema"),
    "2b3c4d5e6f70_add_users.py": migration(
        "2b3c4d5e6f70", "'1a2b3c4d5e6f'", "add users", "1a2b3c4d5e6f",
        "branch_labels = ('accounts',)\ndepends_on = None"),
    "3c4d5e6f7081_add_orders.py": migration(
        "3c4d5e6f7081", "'1a2b3c4d5e6f'", "add orders", "1a2b3c4d5e6f"),
    "4d5e6f708192_add_invoices.py": migration(
        "4d5e6f708192", "'2b3c4d5e6f70'", "add invoices", "2b3c4d5e6f70",
        "depends_on = 'accounts'"),
    "5e6f70819203_copy_one.py": migration(
        "5e6f70819203", "'3c4d5e6f7081'", "placeholder one", "3c4d5e6f7081"),
    "5e6f70819203_copy_two.py": migration(
        "5e6f70819203", "'3c4d5e6f7081'", "placeholder two", "3c4d5e6f7081"),
    "6f7081920314_after_copy.py": migration(
        "6f7081920314", "'5e6f70819203'", "after the copies", "5e6f70819203"),
    "708192031425_broken.py": migration(
        "708192031425", "'1a2b3c4d5e6'", "points at a prefix", "1a2b3c4d5e6"),
}


def write_project(root):
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "alembic.ini").write_text(ALEMBIC_INI)
    for name, text in FILES.items():
        (root / "migrations" / "versions" / name).write_text(text)


class NavigationTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-nav-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        write_project(self.root)
        self.versions = self.root / "migrations" / "versions"
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.client.initialize(self.root)
        # Diagnostics come once the first index is installed.
        self.client.wait_diagnostics(self.versions / "5e6f70819203_copy_one.py",
                                     lambda ds: any(d.get("code") == "duplicate-revision" for d in ds))

    # -- helpers ------------------------------------------------------------
    def file(self, name):
        return self.versions / name

    def at(self, name, needle, occurrence=0, offset=1):
        """textDocument + position params inside `needle` (1 character in by default)."""
        path = self.file(name)
        return {"textDocument": {"uri": path_to_uri(path)},
                "position": position_of(path.read_text(), needle, occurrence, offset)}

    def revision_line_range(self, name):
        """The range of the `revision = '...'` literal of a file, as LSP positions."""
        text = self.file(name).read_text()
        rev = name.split("_")[0]
        start = position_of(text, f"'{rev}'", 0, 0)
        return {"start": start, "end": {"line": start["line"], "character": start["character"] + len(rev) + 2}}

    def definition(self, name, needle, occurrence=0, offset=1):
        return self.client.request("textDocument/definition", self.at(name, needle, occurrence, offset))

    def assert_locations(self, result, expected_files):
        self.assertIsInstance(result, list)
        self.assertEqual(sorted(uri_to_path(loc["uri"]) for loc in result),
                         sorted(str(self.file(n).resolve()) for n in expected_files))
        for loc in result:
            name = Path(uri_to_path(loc["uri"])).name
            self.assertEqual(loc["range"], self.revision_line_range(name), name)

    # -- definition -----------------------------------------------------------
    def test_definition_from_down_revision(self):
        result = self.definition("2b3c4d5e6f70_add_users.py", "'1a2b3c4d5e6f'")
        self.assert_locations(result, ["1a2b3c4d5e6f_initial_schema.py"])
        self.assertEqual(result[0]["range"]["start"]["line"], 12)

    def test_definition_with_cursor_after_the_closing_quote(self):
        result = self.definition("2b3c4d5e6f70_add_users.py", "'1a2b3c4d5e6f'", offset=14)
        self.assert_locations(result, ["1a2b3c4d5e6f_initial_schema.py"])

    def test_definition_from_docstring_revises(self):
        result = self.definition("3c4d5e6f7081_add_orders.py", "Revises: 1a2b3c4d5e6f", offset=10)
        self.assert_locations(result, ["1a2b3c4d5e6f_initial_schema.py"])

    def test_definition_of_a_duplicated_id_gives_every_copy(self):
        result = self.definition("6f7081920314_after_copy.py", "'5e6f70819203'")
        self.assert_locations(result, ["5e6f70819203_copy_one.py", "5e6f70819203_copy_two.py"])

    def test_definition_of_a_branch_label_in_depends_on(self):
        result = self.definition("4d5e6f708192_add_invoices.py", "'accounts'")
        self.assert_locations(result, ["2b3c4d5e6f70_add_users.py"])

    def test_definition_on_the_revision_itself(self):
        result = self.definition("3c4d5e6f7081_add_orders.py", "'3c4d5e6f7081'")
        self.assert_locations(result, ["3c4d5e6f7081_add_orders.py"])

    def test_definition_of_nothing_or_a_missing_id_is_null(self):
        self.assertIsNone(self.definition("2b3c4d5e6f70_add_users.py", "def upgrade"))
        self.assertIsNone(self.definition("708192031425_broken.py", "'1a2b3c4d5e6'"))

    def test_definition_rejects_non_file_uris(self):
        with self.assertRaises(LspError) as ctx:
            self.client.request("textDocument/definition", {
                "textDocument": {"uri": "untitled:Untitled-1"},
                "position": {"line": 0, "character": 0}})
        self.assertEqual(ctx.exception.code, -32602)
        self.assertIn("untitled:Untitled-1", ctx.exception.error["message"])

    def test_definition_follows_unsaved_editor_text(self):
        name = "3c4d5e6f7081_add_orders.py"
        text = self.file(name).read_text().replace(
            "down_revision = '1a2b3c4d5e6f'", "down_revision = '2b3c4d5e6f70'")
        self.client.open(self.file(name), text)
        params = {"textDocument": {"uri": path_to_uri(self.file(name))},
                  "position": position_of(text, "'2b3c4d5e6f70'", 0, 1)}
        result = self.client.request("textDocument/definition", params)
        self.assert_locations(result, ["2b3c4d5e6f70_add_users.py"])

    # -- references -----------------------------------------------------------
    def references(self, name, needle, include_declaration, occurrence=0):
        params = self.at(name, needle, occurrence)
        params["context"] = {"includeDeclaration": include_declaration}
        result = self.client.request("textDocument/references", params)
        return sorted((Path(uri_to_path(r["uri"])).name, r["range"]["start"]["line"]) for r in result)

    def test_references_without_declaration(self):
        found = self.references("1a2b3c4d5e6f_initial_schema.py", "'1a2b3c4d5e6f'", False)
        names = [n for n, _ in found]
        # Children's down_revision and docstring Revises:, and the file's own Revision ID:.
        self.assertEqual(names.count("2b3c4d5e6f70_add_users.py"), 2)
        self.assertEqual(names.count("3c4d5e6f7081_add_orders.py"), 2)
        self.assertEqual(found.count(("1a2b3c4d5e6f_initial_schema.py", 12)), 0)
        self.assertIn(("1a2b3c4d5e6f_initial_schema.py", 2), found)  # Revision ID: line

    def test_references_with_declaration(self):
        found = self.references("2b3c4d5e6f70_add_users.py", "'1a2b3c4d5e6f'", True)
        self.assertIn(("1a2b3c4d5e6f_initial_schema.py", 12), found)
        self.assertIn(("2b3c4d5e6f70_add_users.py", 13), found)

    def test_references_through_a_branch_label(self):
        without = self.references("2b3c4d5e6f70_add_users.py", "'2b3c4d5e6f70'", False)
        self.assertIn(("4d5e6f708192_add_invoices.py", 14), without)  # depends_on = 'accounts'
        self.assertNotIn(("2b3c4d5e6f70_add_users.py", 14), without)  # the label declaration
        with_decl = self.references("4d5e6f708192_add_invoices.py", "'accounts'", True)
        self.assertIn(("2b3c4d5e6f70_add_users.py", 12), with_decl)   # revision
        self.assertIn(("2b3c4d5e6f70_add_users.py", 14), with_decl)   # branch_labels

    # -- hover ------------------------------------------------------------------
    def hover(self, name, needle, occurrence=0, offset=1):
        return self.client.request("textDocument/hover", self.at(name, needle, occurrence, offset))

    def test_hover_on_a_parent(self):
        result = self.hover("4d5e6f708192_add_invoices.py", "'2b3c4d5e6f70'")
        self.assertEqual(result["contents"]["kind"], "markdown")
        value = result["contents"]["value"]
        self.assertIn("add users", value)
        self.assertIn("`2b3c4d5e6f70`", value)
        self.assertIn(native("migrations/versions/2b3c4d5e6f70_add_users.py"), value)
        self.assertIn("2024-03-01 10:00:00.000000", value)
        self.assertIn("**Parents:** `1a2b3c4d5e6f`", value)
        self.assertIn("**Children:** `4d5e6f708192`", value)
        self.assertIn("`accounts`", value)
        self.assertIn("**Distance from base:** 1", value)
        text = self.file("4d5e6f708192_add_invoices.py").read_text()
        start = position_of(text, "'2b3c4d5e6f70'", 0, 0)
        self.assertEqual(result["range"], {
            "start": start, "end": {"line": start["line"], "character": start["character"] + 14}})

    def test_hover_marks_head_base_and_branch_point(self):
        head = self.hover("4d5e6f708192_add_invoices.py", "'4d5e6f708192'")["contents"]["value"]
        self.assertIn("head", head)
        self.assertIn("**Distance from base:** 2", head)
        base = self.hover("2b3c4d5e6f70_add_users.py", "Revises: 1a2b3c4d5e6f", offset=12)
        value = base["contents"]["value"]
        self.assertIn("base", value)
        self.assertIn("branch point", value)
        self.assertIn("**Distance from base:** 0", value)

    def test_hover_on_a_missing_id(self):
        value = self.hover("708192031425_broken.py", "'1a2b3c4d5e6'")["contents"]["value"]
        self.assertIn("not a revision", value)
        self.assertIn("KeyError", value)
        self.assertIn("Did you mean `1a2b3c4d5e6f`", value)

    def test_hover_on_a_duplicate(self):
        value = self.hover("5e6f70819203_copy_one.py", "'5e6f70819203'")["contents"]["value"]
        self.assertIn("placeholder one", value)
        self.assertIn("Defined in 2 files", value)
        self.assertIn("not this one", value)

    def test_hover_on_nothing_is_null(self):
        self.assertIsNone(self.hover("2b3c4d5e6f70_add_users.py", "import sqlalchemy"))


class PlaintextHoverTest(unittest.TestCase):
    def test_plaintext_when_the_client_lacks_markdown(self):
        tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-nav-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        root = tmp / "proj"
        write_project(root)
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(root, capabilities={"textDocument": {"hover": {"contentFormat": ["plaintext"]}}})
        versions = root / "migrations" / "versions"
        client.wait_for(lambda n: n["method"] == "textDocument/publishDiagnostics", what="first index")
        path = versions / "3c4d5e6f7081_add_orders.py"
        result = client.request("textDocument/hover", {
            "textDocument": {"uri": path_to_uri(path)},
            "position": position_of(path.read_text(), "'1a2b3c4d5e6f'", 0, 1)})
        self.assertEqual(result["contents"]["kind"], "plaintext")
        self.assertIn("Distance from base: 0", result["contents"]["value"])
        self.assertNotIn("**", result["contents"]["value"])


if __name__ == "__main__":
    unittest.main()
