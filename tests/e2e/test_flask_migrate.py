"""Flask-Migrate projects for real: Debian's python3-flask-migrate runs `flask db init` and
`flask db revision` on a tiny Flask app with SQLite in a temporary directory (no server,
no database needed for these commands), then alembic-lsp reads what they wrote.

`flask db init` writes migrations/alembic.ini WITHOUT script_location (Flask-Migrate sets
it in code to the ini's directory). `check` must exit 0 or 1 there, never 2; `heads` must
print what `flask db heads` prints; `merge` must write what `flask db merge` writes, with
the project's own script.py.mako, byte for byte apart from the creation date; and the
language server must offer the same merge."""

import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from cli_support import ALEMBIC_PYTHON, alembic_env, native, posix_paths, require_alembic_versions, run
from edit_support import apply_workspace_edit
from lsp_client import LspClient, path_to_uri, uri_to_path

APP = '''\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_migrate import Migrate

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///app.db"
db = SQLAlchemy(app)
migrate = Migrate(app, db)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
'''

BASE, LEFT, RIGHT = "1a2b3c4d5e6f", "2b3c4d5e6f70", "3c4d5e6f7081"


def flask_db(cwd, *args, version=None):
    """`flask db ARGS` with Alembic `version` (None: the system's 1.8.1)."""
    env = alembic_env(version, dict(os.environ, FLASK_APP="app.py"))
    return subprocess.run([ALEMBIC_PYTHON, "-m", "flask", "db", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=env)


def require_flask_migrate():
    r = subprocess.run([ALEMBIC_PYTHON, "-c", "import flask_migrate, flask_sqlalchemy"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError(
            f"these tests run the real Flask-Migrate, which {ALEMBIC_PYTHON} cannot import "
            f"({r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'import failed'}); "
            "install Debian's python3-flask-migrate (scripts/setup.sh --tests does)")


def without_date(text):
    return [line for line in text.splitlines() if not line.startswith("Create Date:")]


def parents_sorted(lines, version=None):
    """`merge heads` orders the parents as Alembic lists the heads: before 1.10 in
    os.listdir order (file system dependent), from 1.10 on sorted, as alembic-lsp does.
    With Alembic < 1.10 the parents' order is compared as a set."""
    import ast
    r = subprocess.run([ALEMBIC_PYTHON, "-c", "import alembic; print(alembic.__version__)"],
                       capture_output=True, text=True, timeout=60, env=alembic_env(version))
    if tuple(int(p) for p in r.stdout.strip().split(".")[:2]) >= (1, 10):
        return lines
    out = []
    for line in lines:
        if line.startswith("Revises: "):
            line = "Revises: " + ", ".join(sorted(line[9:].split(", ")))
        if line.startswith("down_revision = ("):
            line = "down_revision = " + repr(tuple(sorted(ast.literal_eval(line[16:]))))
        out.append(line)
    return out


class FlaskMigrateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        require_flask_migrate()
        cls.versions = require_alembic_versions()
        cls.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-flask-")).resolve()
        cls.template = cls.tmp / "template"
        cls.template.mkdir()
        (cls.template / "app.py").write_text(APP)
        steps = [("init",),
                 ("revision", "-m", "create users", "--rev-id", BASE),
                 ("revision", "-m", "add email", "--rev-id", LEFT),
                 ("revision", "-m", "add orders", "--rev-id", RIGHT, "--head", BASE, "--splice")]
        for step in steps:
            r = flask_db(cls.template, *step)
            if r.returncode != 0:
                raise AssertionError(f"flask db {' '.join(step)} failed: {r.stderr}")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def copy(self, name):
        dest = self.tmp / name
        shutil.copytree(self.template, dest)
        self.addCleanup(shutil.rmtree, dest, ignore_errors=True)
        return dest

    def test_flask_db_init_wrote_an_ini_without_script_location(self):
        ini = (self.template / "migrations" / "alembic.ini").read_text()
        self.assertIn("[alembic]", ini)
        self.assertNotIn("\nscript_location", ini)  # the layout this test is about

    def test_check_reads_it_and_exits_1_for_two_heads(self):
        proj = self.copy("check")
        for path in (proj, proj / "migrations", proj / "migrations" / "alembic.ini"):
            r = run(["check", str(path)], cwd=proj)
            self.assertEqual(r.returncode, 1, (path, r.stdout, r.stderr))
            self.assertNotIn("script_location", r.stdout + r.stderr)
            self.assertIn("[multiple-heads]", r.stdout)
            self.assertIn("environment migrations (" + native("migrations/alembic.ini") + "): 3 revisions", r.stdout)

    def test_heads_and_branches_match_flask_db(self):
        proj = self.copy("heads")
        for label, version in self.versions:
            for cmd in ("heads", "branches"):
                with self.subTest(alembic=label, command=cmd):
                    ours = run([cmd, str(proj)], cwd=proj)
                    theirs = flask_db(proj, cmd, version=version)
                    self.assertEqual(theirs.returncode, 0, theirs.stderr)
                    self.assertEqual(ours.returncode, 0, ours.stderr)
                    self.assertEqual(sorted(ours.stdout.splitlines()), sorted(theirs.stdout.splitlines()))
        self.assertEqual(sorted(run(["heads", str(proj)]).stdout.split()),
                         sorted([LEFT, RIGHT, "(head)", "(head)"]))

    def test_merge_writes_what_flask_db_merge_writes(self):
        for label, version in self.versions:
            with self.subTest(alembic=label):
                self.merge_matches(label, version)

    def merge_matches(self, label, version):
        reference = self.copy("reference-" + label)
        # Heads named in one order: Alembic before 1.10 lists files in os.listdir order.
        made = flask_db(reference, "merge", "-m", "merge heads", "--rev-id", "4d5e6f708192", LEFT, RIGHT,
                        version=version)
        self.assertEqual(made.returncode, 0, made.stderr)
        expected = reference / "migrations" / "versions" / "4d5e6f708192_merge_heads.py"
        self.assertTrue(expected.exists(), list((reference / "migrations" / "versions").iterdir()))
        # The project's own template is what both used (Flask-Migrate ships its own).
        mako = (reference / "migrations" / "script.py.mako").read_text()
        for where in ("root", "versions-dir"):
            with self.subTest(path=where):
                proj = self.copy("merge-" + where + "-" + label)
                target = proj if where == "root" else proj / "migrations" / "versions"
                r = run(["merge", str(target), "-m", "merge heads", "--rev-id", "4d5e6f708192", LEFT, RIGHT],
                        cwd=proj)
                self.assertEqual(r.returncode, 0, r.stderr)
                written = Path(posix_paths(r.stdout.strip()))
                if not written.is_absolute():
                    written = proj / written
                self.assertEqual(written.name, expected.name)
                self.assertEqual(without_date(written.read_text()), without_date(expected.read_text()))
                after = run(["check", str(proj)], cwd=proj)
                self.assertEqual(after.returncode, 0, after.stdout)
                self.assertNotIn("header-mismatch", after.stdout)
                self.assertEqual(flask_db(proj, "heads", version=version).stdout, "4d5e6f708192 (head)\n")
                self.assertEqual(run(["heads", str(proj)]).stdout, "4d5e6f708192 (head)\n")
        self.assertIn("${", mako)

    def test_server_diagnostics_and_merge_action(self):
        proj = self.copy("server")
        versions = proj / "migrations" / "versions"
        left = next(versions.glob(LEFT + "_*.py"))
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(proj)
        diags = client.wait_diagnostics(left, lambda ds: any(d.get("code") == "multiple-heads" for d in ds))
        self.assertFalse([d for d in diags if d.get("code") in ("config-error", "missing-revision")], diags)
        # Definition from a parent id to the file flask db wrote for it.
        text = client.open(left)
        line = [i for i, l in enumerate(text.splitlines()) if l.startswith("down_revision")][0]
        col = text.splitlines()[line].index(BASE) + 1
        where = client.request("textDocument/definition", {
            "textDocument": {"uri": path_to_uri(left)}, "position": {"line": line, "character": col}})
        where = where if isinstance(where, list) else [where]
        self.assertEqual([Path(uri_to_path(w.get("uri") or w.get("targetUri"))) for w in where],
                         [next(versions.glob(BASE + "_*.py"))])
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(left)},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.alembic.mergeHeads"]}})
        self.assertEqual([a["kind"] for a in actions], ["source.alembic.mergeHeads"], actions)
        create, text_edit = actions[0]["edit"]["documentChanges"]
        new_file = Path(uri_to_path(create["uri"]))
        self.assertEqual(new_file.parent, versions)
        rev = new_file.name.split("_")[0]
        # What Flask-Migrate writes for the same id.
        reference = self.copy("server-reference")
        made = flask_db(reference, "merge", "-m", "merge heads", "--rev-id", rev, "heads")
        self.assertEqual(made.returncode, 0, made.stderr)
        expected = reference / "migrations" / "versions" / new_file.name
        self.assertEqual(parents_sorted(without_date(text_edit["edits"][0]["newText"])),
                         parents_sorted(without_date(expected.read_text())))
        apply_workspace_edit(actions[0]["edit"])
        self.assertEqual(flask_db(proj, "heads").stdout, f"{rev} (head)\n")


if __name__ == "__main__":
    unittest.main()
