"""The operation findings in the editor, over stdio against the real binary: on the open
migrations by default (a closed one shows none), on every migration with lint = "all",
on none with lint = "off"; the setting and the dialect read from [tool.alembic-lsp] and
from the editor's settings (initializationOptions), the project's file winning. Then their
quick fixes, applied, checked by Python's parser, the server and Alembic's offline SQL."""
import ast
import re
import shutil
import tempfile
import unittest
from pathlib import Path

from cli_support import migration_with_operations
from edit_support import alembic, apply_text_edits, start_indexed, wait_indexed
from lsp_client import LspClient, path_to_uri

NOT_NULL = "    op.add_column('orders', sa.Column('discount', sa.Integer(), nullable=False))"
INDEX = "    op.create_index('ix_orders_id', 'orders', ['id'])"


def migration(rev, down, upgrade, downgrade="    op.drop_column('orders', 'discount')"):
    return migration_with_operations(rev, down, upgrade, downgrade)


class OperationDiagnosticsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-opdiag-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.versions = self.root / "migrations" / "versions"
        self.versions.mkdir(parents=True)
        # Not a literal URL: the dialect comes from the settings or stays unknown.
        (self.root / "alembic.ini").write_text(
            "[alembic]\nscript_location = migrations\nsqlalchemy.url = %(DB_URL)s\n")
        self.base = self.versions / "1000aaaa0001_base.py"
        self.base.write_text(migration(
            "1000aaaa0001", None,
            "    op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True))",
            "    op.drop_table('orders')"))
        self.unsafe = self.versions / "2000bbbb0002_unsafe.py"
        self.unsafe.write_text(migration("2000bbbb0002", "1000aaaa0001", NOT_NULL + "\n" + INDEX,
                                         "    op.drop_index('ix_orders_id', table_name='orders')\n"
                                         "    op.drop_column('orders', 'discount')"))
        self.closed = self.versions / "3000cccc0003_closed.py"
        self.closed.write_text(migration(
            "3000cccc0003", "2000bbbb0002",
            "    op.add_column('orders', sa.Column('total', sa.Integer(), nullable=False))",
            "    op.drop_column('orders', 'total')"))

    def start(self, init_options=None):
        return start_indexed(self, self.root, init_options=init_options)

    @staticmethod
    def codes(diagnostics):
        return sorted(d["code"] for d in diagnostics or [])

    def sync(self, client):
        client.request("alembic/graph", {})

    def test_open_migration_shows_them_and_a_closed_one_does_not(self):
        client = self.start()
        client.open(self.unsafe)
        found = client.wait_diagnostics(
            self.unsafe, lambda ds: "not-null-without-default" in self.codes(ds))
        # No dialect known: the PostgreSQL-only index finding stays silent.
        self.assertEqual(self.codes(found), ["not-null-without-default"])
        line = found[0]["range"]["start"]["line"]
        self.assertEqual(self.unsafe.read_text().splitlines()[line].strip(), NOT_NULL.strip())
        self.sync(client)
        self.assertNotIn("not-null-without-default", self.codes(client.diagnostics(self.closed)))
        # An edit that makes it safe takes the finding away.
        safe = self.unsafe.read_text().replace("nullable=False", "nullable=True")
        client.clear_notifications()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(self.unsafe), "version": 2},
            "contentChanges": [{"text": safe}]})
        client.wait_diagnostics(self.unsafe,
                                lambda ds: "not-null-without-default" not in self.codes(ds))

    def test_editor_settings_lint_all_and_dialect(self):
        client = self.start({"lint": "all", "dialect": "postgresql"})
        client.wait_diagnostics(self.closed,
                                lambda ds: "not-null-without-default" in self.codes(ds))
        client.open(self.unsafe)
        found = client.wait_diagnostics(
            self.unsafe, lambda ds: "index-not-concurrent" in self.codes(ds))
        self.assertEqual(self.codes(found), ["index-not-concurrent", "not-null-without-default"])

    def test_lint_all_follows_the_disk_closing_and_the_dialect(self):
        """lint = "all" keeps closed files' findings between changes: they must still follow
        a file changed on disk, a document closed unsaved (the disk's text comes back) and
        a dialect changed by the editor's settings."""
        client = self.start({"lint": "all"})
        has = lambda code: lambda ds: code in self.codes(ds)
        lacks = lambda code: lambda ds: code not in self.codes(ds)
        client.wait_diagnostics(self.closed, has("not-null-without-default"))
        # A keystroke elsewhere: the findings stay. Diagnostics are published again only
        # when they change, so after it: none published, or published with the finding.
        client.open(self.unsafe)
        client.wait_diagnostics(self.unsafe, has("not-null-without-default"))
        client.clear_notifications()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(self.unsafe), "version": 2},
            "contentChanges": [{"text": self.unsafe.read_text() + "\n# edited\n"}]})
        self.sync(client)
        for path in (self.unsafe, self.closed):
            after = client.diagnostics(path)
            self.assertTrue(after is None or "not-null-without-default" in self.codes(after),
                            (path, after))
        # Changed on disk, the workspace told: the finding goes.
        self.closed.write_text(self.closed.read_text().replace("nullable=False", "nullable=True"))
        client.clear_notifications()
        client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": path_to_uri(self.closed), "type": 2}]})
        client.wait_diagnostics(self.closed, lacks("not-null-without-default"))
        # Opened, made unsafe, closed unsaved: the disk's (safe) text counts again.
        client.open(self.closed)
        client.clear_notifications()
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(self.closed), "version": 2},
            "contentChanges": [{"text": self.closed.read_text().replace("nullable=True",
                                                                         "nullable=False")}]})
        client.wait_diagnostics(self.closed, has("not-null-without-default"))
        client.clear_notifications()
        client.notify("textDocument/didClose", {"textDocument": {"uri": path_to_uri(self.closed)}})
        client.wait_diagnostics(self.closed, lacks("not-null-without-default"))
        # The dialect from the editor's settings: the PostgreSQL index finding on the
        # migration that is not open any more either.
        client.notify("textDocument/didClose", {"textDocument": {"uri": path_to_uri(self.unsafe)}})
        client.clear_notifications()
        client.notify("workspace/didChangeConfiguration",
                      {"settings": {"alembic-lsp": {"lint": "all", "dialect": "postgresql"}}})
        client.wait_diagnostics(self.unsafe, has("index-not-concurrent"))

    def test_editor_lint_off(self):
        client = self.start({"lint": "off"})
        client.open(self.unsafe)
        self.sync(client)
        self.sync(client)
        self.assertEqual(self.codes(client.diagnostics(self.unsafe)), [])

    def test_project_settings_win_over_the_editor(self):
        (self.root / "pyproject.toml").write_text(
            '[tool.alembic-lsp]\nlint = "open"\ndialect = "sqlite"\n')
        client = self.start({"lint": "all", "dialect": "postgresql"})
        client.open(self.unsafe)
        found = client.wait_diagnostics(
            self.unsafe, lambda ds: "not-null-without-default" in self.codes(ds))
        self.assertEqual(self.codes(found), ["not-null-without-default"])  # sqlite: no index one
        self.sync(client)
        self.assertEqual(self.codes(client.diagnostics(self.closed)), [])

    def test_a_wrong_lint_value_is_a_config_warning(self):
        (self.root / "pyproject.toml").write_text('[tool.alembic-lsp]\nlint = "sometimes"\n')
        client = self.start()
        pyproject = self.root / "pyproject.toml"
        found = client.wait_diagnostics(pyproject, lambda ds: bool(ds))
        self.assertIn('lint must be "open", "all" or "off"', found[0]["message"])




class OperationQuickFixTest(unittest.TestCase):
    """The quick fixes of not-null-without-default, index-not-concurrent and
    concurrently-in-transaction, applied over stdio to a project `alembic init` wrote: the
    result parses, the finding is gone, and Alembic's offline SQL for PostgreSQL shows
    the DEFAULT and the CREATE INDEX CONCURRENTLY outside the transaction."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-opfix-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.root.mkdir()
        r = alembic(self.root, "init", "migrations")
        self.assertEqual(r.returncode, 0, r.stderr)
        ini = self.root / "alembic.ini"
        ini.write_text(re.sub(r"(?m)^sqlalchemy\.url = .*$",
                              "sqlalchemy.url = postgresql://u:p@localhost/db", ini.read_text()))
        self.path = self.root / "migrations" / "versions" / "a1b2c3d4e5f6_unsafe.py"
        self.path.write_text(migration(
            "a1b2c3d4e5f6", None,
            NOT_NULL + "\n"
            "    op.create_index(\n        'ix_orders_id',\n        'orders',\n        ['id'],\n"
            "    )  # the id index\n"
            "    op.create_index('ix_orders_total', 'orders', ['total'], "
            "postgresql_concurrently=True)",
            "    op.drop_index('ix_orders_id', table_name='orders')\n"
            "    op.drop_column('orders', 'discount')"))
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.client.initialize(self.root)
        wait_indexed(self.client)
        self.text = self.client.open(self.path)
        self.version = 1

    def codes(self, diagnostics):
        return sorted(d["code"] for d in diagnostics or [])

    def current(self, code):
        ds = self.client.wait_diagnostics(self.path, lambda ds: code in self.codes(ds))
        return [d for d in ds if d["code"] == code]

    def apply_fix(self, diagnostic):
        actions = self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(self.path)}, "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic], "only": ["quickfix"]}})
        self.assertEqual(len(actions), 1, actions)
        action = actions[0]
        self.assertTrue(action.get("isPreferred"))
        edit = action["edit"]
        edits = [e for c in edit.get("documentChanges", []) for e in c["edits"]] or \
            edit["changes"][path_to_uri(self.path)]
        self.text = apply_text_edits(self.text, edits)
        ast.parse(self.text)  # still Python
        self.version += 1
        self.client.clear_notifications()  # what is waited for next is about the new text
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(self.path), "version": self.version},
            "contentChanges": [{"text": self.text}]})
        return action["title"]

    def test_fixes_take_every_finding_away_and_alembic_agrees(self):
        title = self.apply_fix(self.current("not-null-without-default")[0])
        self.assertEqual(title, 'Add server_default="0" to the column')
        self.assertIn("sa.Integer(), server_default=\"0\", nullable=False", self.text)
        self.client.wait_diagnostics(
            self.path, lambda ds: "not-null-without-default" not in self.codes(ds))

        title = self.apply_fix(self.current("index-not-concurrent")[0])
        self.assertEqual(title, "Create the index concurrently, in an autocommit_block")
        self.assertIn("    with op.get_context().autocommit_block():\n"
                      "        op.create_index(\n            'ix_orders_id',\n"
                      "            'orders',\n            ['id'], postgresql_concurrently=True,\n"
                      "        )  # the id index\n", self.text)
        self.client.wait_diagnostics(
            self.path, lambda ds: "index-not-concurrent" not in self.codes(ds))

        title = self.apply_fix(self.current("concurrently-in-transaction")[0])
        self.assertEqual(title, "Move the call into an autocommit_block")
        self.client.wait_diagnostics(
            self.path, lambda ds: not {"concurrently-in-transaction", "index-not-concurrent",
                                       "not-null-without-default"} & set(self.codes(ds)))

        self.path.write_text(self.text)
        r = alembic(self.root, "upgrade", "head", "--sql")
        self.assertEqual(r.returncode, 0, r.stderr)
        sql = r.stdout
        self.assertIn("ALTER TABLE orders ADD COLUMN discount INTEGER DEFAULT '0' NOT NULL;", sql)
        for index in ("ix_orders_id ON orders (id)", "ix_orders_total ON orders (total)"):
            at = sql.index("CREATE INDEX CONCURRENTLY " + index)
            # Outside the migration's transaction: a COMMIT before it, a BEGIN after.
            self.assertGreater(at, sql.rindex("COMMIT;", 0, at))
        self.assertNotIn("CREATE INDEX ix_", sql)

    def test_fixes_on_a_large_migration_that_is_not_flat(self):
        # 50 KiB of conditional batch blocks before the unsafe calls (unsaved): tree-sitter
        # reads the file in parts (a file over 32 KiB is never parsed whole); the findings
        # sit on the calls, the fixes' edits land there, and Alembic agrees.
        blocks = "".join(
            f"    if op.get_context().dialect.name == 'sqlite':\n"
            f"        with op.batch_alter_table('t{i}') as batch_op:\n"
            f"            batch_op.drop_column('old_column_number_{i}')\n" for i in range(400))
        anchor = "def upgrade():\n"
        self.assertIn(anchor, self.text)
        self.text = self.text.replace(anchor, anchor + blocks)
        self.assertGreater(len(self.text), 50 * 1024)
        self.version += 1
        self.client.clear_notifications()
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(self.path), "version": self.version},
            "contentChanges": [{"text": self.text}]})
        # The publish of the text before the change may still come: wait for the new one.
        line = self.text[:self.text.index(NOT_NULL)].count("\n")
        found = self.client.wait_diagnostics(
            self.path, lambda ds: any(d["code"] == "not-null-without-default" and
                                      d["range"]["start"]["line"] > 1000 for d in ds or []))
        d = [d for d in found if d["code"] == "not-null-without-default"][0]
        self.assertEqual(d["range"]["start"], {"line": line, "character": 4})
        self.apply_fix(d)
        self.assertIn("sa.Integer(), server_default=\"0\", nullable=False", self.text)
        self.apply_fix(self.current("index-not-concurrent")[0])
        self.apply_fix(self.current("concurrently-in-transaction")[0])
        self.client.wait_diagnostics(
            self.path, lambda ds: not {"concurrently-in-transaction", "index-not-concurrent",
                                       "not-null-without-default"} & set(self.codes(ds)))
        self.path.write_text(self.text)
        r = alembic(self.root, "upgrade", "head", "--sql")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ALTER TABLE orders ADD COLUMN discount INTEGER DEFAULT '0' NOT NULL;",
                      r.stdout)
        self.assertIn("CREATE INDEX CONCURRENTLY ix_orders_id ON orders (id)", r.stdout)

    def test_no_fix_for_a_type_without_an_obvious_default(self):
        self.text = self.text.replace("sa.Integer(), nullable=False", "JSONB(), nullable=False")
        self.version += 1
        self.client.clear_notifications()  # what is waited for next is about the new text
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(self.path), "version": self.version},
            "contentChanges": [{"text": self.text}]})
        diagnostic = self.client.wait_diagnostics(
            self.path, lambda ds: any(d["code"] == "not-null-without-default"
                                      and d["range"]["start"]["line"] >= 0 for d in ds))
        d = [d for d in diagnostic if d["code"] == "not-null-without-default"][0]
        actions = self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(self.path)}, "range": d["range"],
            "context": {"diagnostics": [d], "only": ["quickfix"]}})
        self.assertEqual(actions, [])


if __name__ == "__main__":
    unittest.main()
