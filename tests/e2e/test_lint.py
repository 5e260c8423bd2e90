"""`check` and the operation findings: none without --lint or --base (a plain check stays as
it was), every migration with `--lint all`, only the migrations changed since the base with
`--base`, the dialect from a literal sqlalchemy.url or the `dialect` setting, and
branch-conflict with its related locations in the JSON report."""
import json
import sqlite3
import unittest

from cli_support import (NO_GIT, NO_GIT_UNDER_WINE, GitRepo, TempDirTestCase, alembic, posix_paths,
                         require_alembic, run)
from cli_support import migration_with_operations as migration


CREATE = ("    op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True))",
          "    op.drop_table('orders')")
NOT_NULL = ("    op.add_column('orders', sa.Column('discount', sa.Integer(), nullable=False))",
            "    op.drop_column('orders', 'discount')")
INDEX = ("    op.create_index('ix_orders_id', 'orders', ['id'])",
         "    op.drop_index('ix_orders_id', table_name='orders')")


class LintTest(TempDirTestCase):
    def project(self, ini_extra=""):
        root = self.tmp / "proj"
        versions = root / "migrations" / "versions"
        versions.mkdir(parents=True)
        (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n" + ini_extra)
        self.write(root, "1000aaaa0001", None, *CREATE)
        return root

    def write(self, root, rev, down, upgrade, downgrade):
        (root / "migrations" / "versions" / f"{rev}_m.py").write_text(
            migration(rev, down, upgrade, downgrade))

    def codes(self, root, *args):
        r = run(["check", "--format", "json", *args, str(root)], cwd=root)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        return [(d["code"], posix_paths(d["path"]).split("/")[-1][:12])
                for env in json.loads(r.stdout)["environments"] for d in env["diagnostics"]]

    def test_only_with_lint_all_or_base(self):
        root = self.project()
        self.write(root, "2000bbbb0002", "1000aaaa0001", *NOT_NULL)
        self.assertEqual(self.codes(root), [])
        self.assertEqual(self.codes(root, "--lint", "all"),
                         [("not-null-without-default", "2000bbbb0002")])
        r = run(["check", "--lint", "some", str(root)], cwd=root)
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown --lint 'some'", r.stderr)

    def test_lint_all_reads_a_large_migration_that_is_not_flat(self):
        # 60 KiB of batch blocks under an `if` in upgrade(), CRLF line ends, then an unsafe
        # call: read by tree-sitter in parts (a file over 32 KiB is never parsed whole),
        # the finding at the call's line and column in the whole file.
        root = self.project()
        blocks = "".join(
            f"    if op.get_context().dialect.name == 'sqlite':\n"
            f"        with op.batch_alter_table('t{i}') as batch_op:\n"
            f"            batch_op.drop_column('old_column_number_{i}')\n"
            for i in range(450))
        upgrade = blocks + NOT_NULL[0]
        text = migration("2000bbbb0002", "1000aaaa0001", upgrade, NOT_NULL[1])
        self.assertGreater(len(text), 60 * 1024)
        path = root / "migrations" / "versions" / "2000bbbb0002_m.py"
        path.write_bytes(text.replace("\n", "\r\n").encode())
        r = run(["check", "--format", "json", "--lint", "all", str(root)], cwd=root)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        found = [d for env in json.loads(r.stdout)["environments"] for d in env["diagnostics"]
                 if d["code"] == "not-null-without-default"]
        line = text[:text.index(NOT_NULL[0])].count("\n") + 1
        self.assertEqual([(posix_paths(d["path"]).split("/")[-1][:12], d["line"], d["column"]) for d in found],
                         [("2000bbbb0002", line, 5)])

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git: test_cli.NoGitTest (--base)
    def test_base_lints_only_the_changed_migrations(self):
        root = self.project()
        repo = GitRepo(root)
        self.write(root, "2000bbbb0002", "1000aaaa0001", *NOT_NULL)
        repo.commit("old unsafe migration, already deployed")
        self.write(root, "3000cccc0003", "2000bbbb0002",
                   "    op.add_column('orders', sa.Column('x', sa.Integer(), nullable=False))",
                   "    pass")
        # The new file is untracked; the old one is unchanged since HEAD.
        found = self.codes(root, "--base", "HEAD")
        self.assertIn(("not-null-without-default", "3000cccc0003"), found)
        self.assertIn(("irreversible-downgrade", "3000cccc0003"), found)
        self.assertNotIn(("not-null-without-default", "2000bbbb0002"), found)
        repo.commit("new migration")
        self.assertEqual(self.codes(root, "--base", "HEAD"), [])
        self.assertIn(("not-null-without-default", "3000cccc0003"),
                      self.codes(root, "--base", "HEAD~1"))
        # A modified tracked file counts as changed.
        (root / "migrations" / "versions" / "2000bbbb0002_m.py").write_text(
            migration("2000bbbb0002", "1000aaaa0001", *NOT_NULL) + "# touched\n")
        self.assertIn(("not-null-without-default", "2000bbbb0002"),
                      self.codes(root, "--base", "HEAD"))

    def test_dialect_from_a_literal_url_or_the_setting(self):
        root = self.project("sqlalchemy.url = postgresql+psycopg2://localhost/shop\n")
        self.write(root, "2000bbbb0002", "1000aaaa0001", *INDEX)
        self.assertEqual(self.codes(root, "--lint", "all"),
                         [("index-not-concurrent", "2000bbbb0002")])
        ini = root / "alembic.ini"
        ini.write_text("[alembic]\nscript_location = migrations\nsqlalchemy.url = %(DB)s\n")
        self.assertEqual(self.codes(root, "--lint", "all"), [])
        (root / "pyproject.toml").write_text('[tool.alembic-lsp]\ndialect = "postgresql"\n')
        self.assertEqual(self.codes(root, "--lint", "all"),
                         [("index-not-concurrent", "2000bbbb0002")])
        (root / "pyproject.toml").write_text(
            '[tool.alembic-lsp]\ndialect = "postgresql"\n'
            'severity = { index-not-concurrent = "off" }\n')
        self.assertEqual(self.codes(root, "--lint", "all"), [])

    def test_branch_conflict_lists_both_migrations(self):
        root = self.project()
        self.write(root, "2000bbbb0002", "1000aaaa0001",
                   "    op.add_column('orders', sa.Column('discount', sa.Integer()))",
                   "    op.drop_column('orders', 'discount')")
        self.write(root, "3000cccc0003", "1000aaaa0001",
                   "    op.add_column('orders', sa.Column('discount', sa.Numeric()))",
                   "    op.drop_column('orders', 'discount')")
        # A plain check reports it (as the editor shows it), with none of the operation
        # findings --lint all adds; lint = "off" leaves it out, an explicit --lint all not.
        plain = run(["check", "--format", "json", str(root)], cwd=root)
        plain_diagnostics = json.loads(plain.stdout)["environments"][0]["diagnostics"]
        self.assertEqual(sorted(set(d["code"] for d in plain_diagnostics)),
                         ["branch-conflict", "multiple-heads"])
        (root / "pyproject.toml").write_text('[tool.alembic-lsp]\nlint = "off"\n')
        off = run(["check", "--format", "json", str(root)], cwd=root)
        self.assertEqual(set(d["code"] for d in json.loads(off.stdout)["environments"][0]["diagnostics"]),
                         {"multiple-heads"})
        r = run(["check", "--format", "json", "--lint", "all", str(root)], cwd=root)
        diagnostics = json.loads(r.stdout)["environments"][0]["diagnostics"]
        self.assertEqual([d for d in diagnostics if d["code"] == "branch-conflict"],
                         [d for d in plain_diagnostics if d["code"] == "branch-conflict"])
        (root / "pyproject.toml").unlink()
        conflicts = [d for d in diagnostics if d["code"] == "branch-conflict"]
        self.assertEqual(len(conflicts), 1, diagnostics)
        c = conflicts[0]
        self.assertEqual(c["summary"],
                         "2 branches both alter table orders (heads 2000bbbb0002 and "
                         "3000cccc0003).")
        self.assertEqual(c["revisions"], ["2000bbbb0002", "3000cccc0003"])
        self.assertIn("orders.discount", c["message"])
        self.assertTrue(c["path"].endswith("3000cccc0003_m.py"))
        self.assertEqual([(posix_paths(x["path"]).split("/")[-1], x["line"]) for x in c["related"]],
                         [("2000bbbb0002_m.py", 10)])
        # Different tables: the heads are still reported, the conflict is not.
        self.write(root, "3000cccc0003", "1000aaaa0001",
                   "    op.create_table('tags', sa.Column('id', sa.Integer()))",
                   "    op.drop_table('tags')")
        codes = [c for c, _ in self.codes(root, "--lint", "all")]
        self.assertIn("multiple-heads", codes)
        self.assertNotIn("branch-conflict", codes)



class RealAlembicTest(TempDirTestCase):
    """What the findings say happens, happening in real Alembic 1.8.1 on SQLite."""

    @classmethod
    def setUpClass(cls):
        require_alembic(cls)

    def setUp(self):
        super().setUp()
        self.root = self.tmp / "proj"
        (self.root / "migrations" / "versions").mkdir(parents=True)
        (self.root / "alembic.ini").write_text(
            "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///app.db\n")
        (self.root / "migrations" / "env.py").write_text(
            "from alembic import context\nfrom sqlalchemy import engine_from_config, pool\n"
            "config = context.config\n"
            "engine = engine_from_config(config.get_section(config.config_ini_section),\n"
            "                            prefix='sqlalchemy.', poolclass=pool.NullPool)\n"
            "with engine.connect() as connection:\n"
            "    context.configure(connection=connection, target_metadata=None)\n"
            "    with context.begin_transaction():\n"
            "        context.run_migrations()\n")
        (self.root / "migrations" / "versions" / "1000aaaa0001_m.py").write_text(
            migration("1000aaaa0001", None, *CREATE))
        r = alembic(["upgrade", "head"], self.root)
        self.assertEqual(r.returncode, 0, r.stderr)
        with sqlite3.connect(self.root / "app.db") as db:
            db.execute("INSERT INTO orders (id) VALUES (1)")

    def codes(self):
        r = run(["check", "--format", "json", "--lint", "all", str(self.root)], cwd=self.root)
        return [d["code"] for env in json.loads(r.stdout)["environments"]
                for d in env["diagnostics"]]

    def columns(self):
        with sqlite3.connect(self.root / "app.db") as db:
            return [row[1] for row in db.execute("PRAGMA table_info(orders)")]

    def test_not_null_without_default_fails_and_the_fix_runs(self):
        path = self.root / "migrations" / "versions" / "2000bbbb0002_m.py"
        path.write_text(migration("2000bbbb0002", "1000aaaa0001", *NOT_NULL))
        self.assertEqual(self.codes(), ["not-null-without-default"])
        r = alembic(["upgrade", "head"], self.root)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Cannot add a NOT NULL column with default value NULL", r.stderr)
        path.write_text(migration(
            "2000bbbb0002", "1000aaaa0001",
            "    op.add_column('orders', sa.Column('discount', sa.Integer(), nullable=False,"
            " server_default='0'))", NOT_NULL[1]))
        self.assertEqual(self.codes(), [])
        r = alembic(["upgrade", "head"], self.root)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("discount", self.columns())

    def test_empty_downgrade_leaves_the_column(self):
        path = self.root / "migrations" / "versions" / "2000bbbb0002_m.py"
        path.write_text(migration(
            "2000bbbb0002", "1000aaaa0001",
            "    op.add_column('orders', sa.Column('note', sa.Text()))", "    pass"))
        self.assertEqual(self.codes(), ["irreversible-downgrade"])
        for args in (["upgrade", "head"], ["downgrade", "1000aaaa0001"]):
            r = alembic(args, self.root)
            self.assertEqual(r.returncode, 0, r.stderr)
        # Alembic says the revision is undone; the schema still has its column.
        self.assertIn("note", self.columns())
        r = alembic(["upgrade", "head"], self.root)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("duplicate column name: note", r.stderr)


if __name__ == "__main__":
    unittest.main()
