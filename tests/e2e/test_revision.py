"""`alembic-lsp revision` against the real `alembic revision`: for Alembic 1.8.1 (Debian's),
1.13.2 and 1.18.4, a project made by that version's `alembic init` (the generic template)
and a Flask-Migrate project made by `flask db init` are copied twice; Alembic writes a
new migration in one copy, alembic-lsp in the other, with the same message and options,
and the two files must be the same bytes (name and content) once the new revision id and
the creation date are replaced by placeholders. Nothing else is normalised.

Also: with several heads and no --head nothing is written and the heads are listed;
--head must name a head; a file is never overwritten."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from cli_support import ALEMBIC_PYTHON, alembic, alembic_env, require_alembic_versions, run
from test_flask_migrate import APP, require_flask_migrate

BASE, LEFT, RIGHT = "1a2b3c4d5e6f", "2b3c4d5e6f70", "3c4d5e6f7081"
REVISION_LINE = re.compile(r"^revision(?:: str)? = '([^']*)'$", re.M)


def flask_db(cwd, *args, version=None):
    env = alembic_env(version, dict(os.environ, FLASK_APP="app.py"))
    return subprocess.run([ALEMBIC_PYTHON, "-m", "flask", "db", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=env)


def listing(versions):
    return {p.relative_to(versions) for p in versions.rglob("*.py")}


def normalised(versions, path):
    """(relative name, text) of a new migration with its id and creation date replaced."""
    text = path.read_text()
    match = REVISION_LINE.search(text)
    assert match, f"no revision line in {path}:\n{text}"
    rev = match.group(1)
    assert re.fullmatch(r"[0-9a-f]{12}", rev), f"{rev!r} is not 12 hex digits"
    text = text.replace(rev, "<REV>")
    date = re.search(r"^Create Date: (\d{4})-(\d\d)-(\d\d) .*$", text, re.M)
    assert date, f"no Create Date line in {path}"
    text = text.replace(date.group(0), "Create Date: <DATE>")
    name = str(path.relative_to(versions)).replace(rev, "<REV>")
    # A file_template with date tokens: the name's date is the file's own creation date.
    name = name.replace("".join(date.groups()), "<YYYYMMDD>")
    return name, text


class RevisionParityTest(unittest.TestCase):
    """Each case runs in fresh copies of a project made by `alembic init` / `flask db init`."""

    @classmethod
    def setUpClass(cls):
        cls.versions = require_alembic_versions()
        cls.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-revision-")).resolve()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def init_generic(self, version, name, ini_edit=None, steps=()):
        """A project from `alembic init -t generic migrations` of Alembic `version`, with
        `ini_edit(text) -> text` applied and the `alembic ARGS` of `steps` run in it."""
        root = self.tmp / name
        root.mkdir()
        r = alembic(["init", "-t", "generic", "migrations"], root, version)
        self.assertEqual(r.returncode, 0, r.stderr)
        if ini_edit:
            ini = root / "alembic.ini"
            ini.write_text(ini_edit(ini.read_text()))
        for step in steps:
            r = alembic(list(step), root, version)
            self.assertEqual(r.returncode, 0, (step, r.stderr))
        return root

    def compare(self, root, version, args, versions_dir="migrations/versions", flask=False):
        """Runs `alembic revision ARGS` (or `flask db revision ARGS`) in a copy of `root`
        and `alembic-lsp revision ARGS` in another; asserts the new files are the same."""
        results = []
        for who in ("alembic", "alembic-lsp"):
            copy = root.parent / f"{root.name}-{who}-{len(os.listdir(root.parent))}"
            shutil.copytree(root, copy)
            self.addCleanup(shutil.rmtree, copy, ignore_errors=True)
            versions = copy / versions_dir
            before = listing(versions)
            if who == "alembic":
                r = (flask_db(copy, "revision", *args, version=version) if flask
                     else alembic(["revision", *args], copy, version))
            else:
                r = run(["revision", str(copy / ("migrations" if flask else "")), *args], cwd=copy)
                self.assertEqual(r.stderr, "", args)
            self.assertEqual(r.returncode, 0, (who, args, r.stdout, r.stderr))
            new = listing(versions) - before
            self.assertEqual(len(new), 1, (who, args, new))
            path = versions / next(iter(new))
            if who == "alembic-lsp":
                self.assertIn(path.name, r.stdout)  # it prints the new file's path
            results.append(normalised(versions, path))
        (alembic_name, alembic_text), (ours_name, ours_text) = results
        self.assertEqual(ours_name, alembic_name, args)
        self.assertEqual(ours_text, alembic_text, args)
        return ours_text

    def test_generic_template(self):
        for label, version in self.versions:
            with self.subTest(alembic=label):
                empty = self.init_generic(version, f"generic-empty-{label}")
                text = self.compare(empty, version, ["-m", "create users table"])
                self.assertRegex(text, r"down_revision(: [^=]+)? = None")
                self.compare(empty, version, [])  # no message: "empty message", <rev>_.py
                self.compare(empty, version, ["-m", ""])
                self.compare(empty, version, ["-m", "Add 'Ünïcode' & punctuation: v2.0!"])

                one = self.init_generic(version, f"generic-one-{label}",
                                        steps=[("revision", "-m", "base", "--rev-id", BASE)])
                text = self.compare(one, version, ["-m", "add email"])
                self.assertIn(f"'{BASE}'", text)
                self.compare(one, version, ["-m", "on base", "--head", BASE[:6]])
                self.compare(one, version, ["-m", "labelled", "--branch-label", "feature"])
                self.compare(one, version, ["-m", "dep", "--depends-on", BASE])
                self.compare(one, version, ["-m", "new root", "--head", "base",
                                            "--branch-label", "other"])

    def test_two_heads_labels_and_dependencies(self):
        for label, version in self.versions:
            with self.subTest(alembic=label):
                root = self.init_generic(version, f"generic-two-{label}", steps=[
                    ("revision", "-m", "base", "--rev-id", BASE, "--branch-label", "core"),
                    ("revision", "-m", "left", "--rev-id", LEFT),
                    ("revision", "-m", "right", "--rev-id", RIGHT, "--head", BASE, "--splice")])
                for head in (LEFT, RIGHT[:5]):
                    self.compare(root, version, ["-m", "on one head", "--head", head])
                self.compare(root, version, ["-m", "two deps", "--head", RIGHT,
                                             "--depends-on", LEFT, "--depends-on", "core"])
                self.compare(root, version, ["-m", "label dep", "--head", LEFT, "--depends-on", "core"])

    def test_file_template_and_truncate_slug_length(self):
        def edit(text):
            text = re.sub(r"^# ?file_template = .*$",
                          "file_template = %%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s",
                          text, count=1, flags=re.M)
            text = re.sub(r"^# ?truncate_slug_length = .*$", "truncate_slug_length = 12",
                          text, count=1, flags=re.M)
            assert "\nfile_template = %%(year)d" in text and "\ntruncate_slug_length = 12" in text
            return text
        for label, version in self.versions:
            with self.subTest(alembic=label):
                root = self.init_generic(version, f"generic-template-{label}", edit,
                                         steps=[("revision", "-m", "base", "--rev-id", BASE)])
                self.compare(root, version, ["-m", "a rather long message that gets cut"])
                self.compare(root, version, ["-m", "short"])

    def test_flask_migrate_project(self):
        require_flask_migrate()
        for label, version in self.versions:
            with self.subTest(alembic=label):
                root = self.tmp / f"flask-{label}"
                root.mkdir()
                (root / "app.py").write_text(APP)
                for step in (("init",), ("revision", "-m", "create users", "--rev-id", BASE)):
                    r = flask_db(root, *step, version=version)
                    self.assertEqual(r.returncode, 0, (step, r.stderr))
                self.compare(root, version, ["-m", "add email"], flask=True)
                # `flask db revision` has --branch-label but no --depends-on.
                self.compare(root, version, ["-m", "labelled", "--branch-label", "extra"], flask=True)


class RevisionRefusalTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-revision-")).resolve()
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        r = alembic(["init", "-t", "generic", "migrations"], self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        for step in (("revision", "-m", "base", "--rev-id", BASE),
                     ("revision", "-m", "left side", "--rev-id", LEFT),
                     ("revision", "-m", "right side", "--rev-id", RIGHT, "--head", BASE, "--splice")):
            r = alembic(list(step), self.tmp)
            self.assertEqual(r.returncode, 0, r.stderr)
        self.versions = self.tmp / "migrations" / "versions"
        self.before = listing(self.versions)

    def test_several_heads_without_head_lists_them_and_writes_nothing(self):
        r = run(["revision", str(self.tmp), "-m", "x"])
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("2 heads", r.stderr)
        self.assertIn(f"{LEFT} (left side)", r.stderr)
        self.assertIn(f"{RIGHT} (right side)", r.stderr)
        self.assertIn("--head", r.stderr)
        self.assertEqual(listing(self.versions), self.before)
        # Alembic refuses too.
        self.assertNotEqual(alembic(["revision", "-m", "x"], self.tmp).returncode, 0)

    def test_head_must_be_a_head(self):
        r = run(["revision", str(self.tmp), "-m", "x", "--head", BASE])
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(f"revision {BASE} is not a head revision", r.stderr)
        r = run(["revision", str(self.tmp), "-m", "x", "--head", "ffffffff"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("No such revision or branch 'ffffffff'", r.stderr)
        self.assertEqual(listing(self.versions), self.before)

    def test_never_overwrites(self):
        target = self.versions / "abcdefabcdef_x.py"
        target.write_text("mine\n")
        r = run(["revision", str(self.tmp), "-m", "x", "--head", LEFT, "--rev-id", "abcdefabcdef"])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("refusing to overwrite", r.stderr)
        self.assertEqual(target.read_text(), "mine\n")

    def test_bad_options(self):
        r = run(["revision", str(self.tmp), "-m", "x", "--head", LEFT, "--branch-label", LEFT])
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn("is the id of a revision", r.stderr)
        r = run(["revision", str(self.tmp), "two", "words", "--head", LEFT])
        self.assertEqual(r.returncode, 2)
        self.assertIn("quote a message", r.stderr)
        r = run(["revision", "--help"])
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith("usage: alembic-lsp revision"))


if __name__ == "__main__":
    unittest.main()
