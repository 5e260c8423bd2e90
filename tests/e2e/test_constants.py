"""Values written as constants (issue 14, part 3), through the command line and against
Debian's Alembic 1.8.1 (run with /usr/bin/python3 or $ALEMBIC_LSP_PYTHON) and Alembic
1.13.2 and 1.18.4 (scripts/fetch-alembic-versions.sh); the tests fail, never skip, when
an Alembic is missing.

Two fixtures mimic the real projects:
- neutron-like: `from x.db.migration import cli` and `branch_labels =
  (cli.CONTRACT_BRANCH,)`, the package beside alembic.ini (`prepend_sys_path = .`, so
  Alembic imports it);
- glance-like: `from glance.db import migration` and `branch_labels =
  migration.EXPAND_BRANCH`, plus a same-file `down_revision = PREVIOUS` and a class
  attribute.
alembic-lsp reads them without importing anything; Alembic imports them. Both must
print the same `heads` and `branches`."""

import json
import shutil
import unittest
from pathlib import Path

import cli_support
from cli_support import (TempDirTestCase, alembic, posix_paths, require_alembic, require_alembic_versions,
                         run)
from edit_support import apply_workspace_edit
from lsp_client import LspClient, path_to_uri, uri_to_path
from test_cli_parity import blocks, normalise


def header(rev, down):
    return (f'"""{rev}\n\nRevision ID: {rev}\nRevises: {down or ""}\n'
            'Create Date: 2024-01-01 00:00:00.000000\n\n"""\n'
            "from alembic import op\nimport sqlalchemy as sa\n")


BODY = "\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def neutron_like(root):
    """x/db/migration/{cli.py, alembic.ini-less package}; alembic.ini at the root."""
    pkg = root / "x"
    for d in ("", "db", "db/migration"):
        write(pkg / d / "__init__.py", "")
    # The real cli.py imports oslo and more; the constants are plain module-level names.
    write(pkg / "db/migration/cli.py",
          "import os\n\n"
          "EXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = 'contract'\n"
          "MIGRATION_BRANCHES = (EXPAND_BRANCH, CONTRACT_BRANCH)\n\n\n"
          "def main():\n    return os.getcwd()\n")
    write(root / "setup.cfg", "[metadata]\nname = x\n")
    write(root / "alembic.ini",
          "[alembic]\nscript_location = x/db/migration/alembic_migrations\n"
          "prepend_sys_path = .\n")
    mig = root / "x/db/migration/alembic_migrations"
    write(mig / "script.py.mako", "")
    write(mig / "env.py", "")
    v = mig / "versions"
    write(v / "start.py", header("start", None) + "\nrevision = 'start'\ndown_revision = None\n"
          "branch_labels = None\ndepends_on = None\n" + BODY)
    write(v / "e1_expand.py", header("e1", "start") + "\nfrom x.db.migration import cli\n\n"
          "revision = 'e1'\ndown_revision = 'start'\n"
          "branch_labels = (cli.EXPAND_BRANCH,)\ndepends_on = None\n" + BODY)
    write(v / "c1_contract.py", header("c1", "start") + "\nfrom x.db.migration import cli\n\n"
          "revision = 'c1'\ndown_revision = 'start'\n"
          "branch_labels = (cli.CONTRACT_BRANCH,)\ndepends_on = None\n" + BODY)
    write(v / "e2_more.py", header("e2", "e1") + "\nrevision = 'e2'\ndown_revision = 'e1'\n"
          "branch_labels = None\ndepends_on = None\n" + BODY)
    write(v / "c2_more.py", header("c2", "c1") + "\nimport x.db.migration.cli as k\n\n"
          "revision = 'c2'\ndown_revision = 'c1'\nbranch_labels = None\n"
          "depends_on = k.EXPAND_BRANCH\n" + BODY)
    return root


def glance_like(root):
    write(root / "glance/__init__.py", "")
    write(root / "glance/db/__init__.py", "")
    write(root / "glance/db/migration.py",
          "EXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = 'contract'\n")
    write(root / "setup.cfg", "[metadata]\nname = glance\n")
    write(root / "alembic.ini",
          "[alembic]\nscript_location = glance/db/sqlalchemy/alembic_migrations\n"
          "prepend_sys_path = .\n")
    mig = root / "glance/db/sqlalchemy/alembic_migrations"
    write(mig / "script.py.mako", "")
    write(mig / "env.py", "")
    v = mig / "versions"
    write(v / "liberty.py", header("liberty", None) + "\nrevision = 'liberty'\n"
          "down_revision = None\nbranch_labels = None\ndepends_on = None\n" + BODY)
    write(v / "mitaka01.py", header("mitaka01", "liberty") + "\nfrom glance.db import migration\n\n"
          "PREVIOUS = 'liberty'\n"
          "revision = 'mitaka01'\ndown_revision = PREVIOUS\n"
          "branch_labels = migration.EXPAND_BRANCH\ndepends_on = None\n" + BODY)
    write(v / "mitaka02.py", header("mitaka02", "liberty") + "\n\nclass Labels:\n"
          "    CONTRACT = 'contract'\n\n\n"
          "revision = 'mitaka02'\ndown_revision = 'liberty'\n"
          "branch_labels = [Labels.CONTRACT]\ndepends_on = None\n" + BODY)
    return root


class ConstantsTest(TempDirTestCase):
    @classmethod
    def setUpClass(cls):
        require_alembic(cls)
        cls.versions = require_alembic_versions()

    def both(self, args, cwd, version=None):
        theirs = alembic(args, cwd, version=version)
        ours = run(args, cwd=cwd)
        self.assertEqual(theirs.returncode, 0, theirs.stderr)
        self.assertEqual(ours.returncode, 0, ours.stderr)
        return theirs.stdout, posix_paths(ours.stdout)

    def check_json(self, root):
        r = run(["check", "--format", "json"], cwd=root)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return json.loads(r.stdout)["environments"][0]

    def test_neutron_like_heads_and_check(self):
        root = neutron_like(self.tmp / "neutron")
        r = run(["heads"], cwd=root)
        self.assertEqual(r.returncode, 0, r.stderr)
        # Alembic gives every descendant the labels of its ancestors.
        self.assertEqual(sorted(r.stdout.splitlines()),
                         ["c2 (contract) (head)", "e2 (expand) (head)"])
        r = run(["heads"], cwd=root / "x/db/migration/alembic_migrations/versions")
        self.assertEqual(sorted(r.stdout.splitlines()),
                         ["c2 (contract) (head)", "e2 (expand) (head)"])

        text = run(["check"], cwd=root)
        self.assertEqual(text.returncode, 0, text.stdout)
        self.assertNotIn("unresolved-value", text.stdout)
        env = self.check_json(root)
        codes = [d["code"] for d in env["diagnostics"]]
        self.assertNotIn("unresolved-value", codes)
        infos = [d for d in env["diagnostics"] if d["code"] == "multiple-heads"]
        self.assertEqual(len(infos), 2, env["diagnostics"])
        messages = " ".join(d["message"] for d in infos)
        self.assertIn("'contract@head'", messages)
        self.assertIn("'expand@head'", messages)
        self.assertNotIn("<label>", messages)

    def test_neutron_like_parity(self):
        root = neutron_like(self.tmp / "neutron")
        for label, version in self.versions:
            for args in (["heads"], ["heads", "--resolve-dependencies"], ["heads", "--verbose"]):
                with self.subTest(alembic=label, args=args):
                    theirs, ours = self.both(args, root, version)
                    self.assertEqual(normalise(ours), normalise(theirs))
            with self.subTest(alembic=label, args=["branches"]):
                theirs, ours = self.both(["branches"], root, version)
                self.assertEqual(blocks(ours), blocks(theirs), f"{ours}\n---\n{theirs}")
                self.assertIn("(contract)", ours)

    def test_glance_like_heads_check_and_parity(self):
        root = glance_like(self.tmp / "glance")
        for label, version in self.versions:
            with self.subTest(alembic=label):
                theirs, ours = self.both(["heads"], root, version)
                self.assertEqual(normalise(ours), normalise(theirs))
                self.assertEqual(sorted(ours.splitlines()),
                                 ["mitaka01 (expand) (head)", "mitaka02 (contract) (head)"])
                theirs, ours = self.both(["branches"], root, version)
                self.assertEqual(blocks(ours), blocks(theirs), f"{ours}\n---\n{theirs}")
        env = self.check_json(root)
        self.assertEqual([d["code"] for d in env["diagnostics"]
                          if d["severity"] in ("error", "warning")], [])

    def test_unreadable_constants_stay_unresolved(self):
        root = neutron_like(self.tmp / "neutron")
        # A call is never evaluated: the label is unknown, as before, and the message
        # says which value the user must look at.
        cli = root / "x/db/migration/cli.py"
        cli.write_text(cli.read_text().replace("CONTRACT_BRANCH = 'contract'",
                                               "CONTRACT_BRANCH = 'contract'.lower()"))
        env = self.check_json(root)
        unresolved = [d for d in env["diagnostics"] if d["code"] == "unresolved-value"]
        self.assertEqual(len(unresolved), 1, env["diagnostics"])
        self.assertIn("cli.CONTRACT_BRANCH", unresolved[0]["message"])
        heads = [d["message"] for d in env["diagnostics"] if d["code"] == "multiple-heads"]
        self.assertTrue(any("the value of `cli.CONTRACT_BRANCH`" in m for m in heads), heads)
        self.assertFalse(any("<label>" in m for m in heads), heads)
        r = run(["heads"], cwd=root)
        self.assertEqual(sorted(r.stdout.splitlines()), ["c2 (head)", "e2 (expand) (head)"])

    def test_label_conflict_through_constants(self):
        root = neutron_like(self.tmp / "neutron")
        v = root / "x/db/migration/alembic_migrations/versions"
        write(v / "e3_again.py", header("e3", "start") + "\nfrom x.db.migration import cli as c\n\n"
              "revision = 'e3'\ndown_revision = 'start'\n"
              "branch_labels = c.EXPAND_BRANCH\ndepends_on = None\n" + BODY)
        r = run(["check", "--format", "json"], cwd=root)
        self.assertEqual(r.returncode, 1, r.stdout)
        codes = [d["code"] for d in json.loads(r.stdout)["environments"][0]["diagnostics"]]
        self.assertIn("branch-label-conflict", codes)
        for label, version in self.versions:
            with self.subTest(alembic=label):
                theirs = alembic(["heads"], root, version=version)
                self.assertNotEqual(theirs.returncode, 0)
                self.assertIn("expand", theirs.stderr)


class ConstantsMergeAndServerTest(TempDirTestCase):
    """The neutron-like project through `merge` (against each Alembic) and the server."""

    @classmethod
    def setUpClass(cls):
        require_alembic(cls)
        cls.versions = require_alembic_versions()

    def project(self, name):
        root = neutron_like(self.tmp / name)
        mig = root / "x/db/migration/alembic_migrations"
        (mig / "script.py.mako").write_text(cli_support.ALEMBIC_TEMPLATE.read_text())
        return root, mig / "versions"

    def test_merge_matches_alembic(self):
        root, versions = self.project("ours")
        r = run(["merge", "-m", "join", "--rev-id", "mm01", "e2", "c2"], cwd=root)
        self.assertEqual(r.returncode, 0, r.stderr)
        ours = (root / posix_paths(r.stdout.strip())).resolve()
        self.assertEqual(ours.parent, versions.resolve())
        strip = lambda t: [l for l in t.splitlines() if not l.startswith("Create Date:")]
        after = run(["heads"], cwd=root)
        self.assertEqual(after.stdout, "mm01 (contract, expand) (head)\n")
        for label, version in self.versions:
            with self.subTest(alembic=label):
                ref, ref_versions = self.project("ref-" + label)
                made = alembic(["merge", "-m", "join", "--rev-id", "mm01", "e2", "c2"], ref, version=version)
                self.assertEqual(made.returncode, 0, made.stderr)
                self.assertEqual(strip(ours.read_text()), strip((ref_versions / ours.name).read_text()))
                self.assertEqual(normalise(after.stdout),
                                 normalise(alembic(["heads"], ref, version=version).stdout))

    def test_server_diagnostics_definition_and_merge_action(self):
        root, versions = self.project("server")
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(root)
        c1 = versions / "c1_contract.py"
        c2 = versions / "c2_more.py"
        diags = client.wait_diagnostics(c2, lambda ds: any(d.get("code") == "multiple-heads" for d in ds))
        self.assertFalse([d for d in diags if d.get("code") == "unresolved-value"], diags)
        heads = [d for d in diags if d.get("code") == "multiple-heads"]
        self.assertEqual(heads[0]["severity"], 3, heads)  # labelled heads: information
        self.assertIn("'contract@head'", heads[0]["message"])
        text = client.open(c2)
        line = [i for i, l in enumerate(text.splitlines()) if l.startswith("down_revision")][0]
        col = text.splitlines()[line].index("c1") + 1
        where = client.request("textDocument/definition", {
            "textDocument": {"uri": path_to_uri(c2)}, "position": {"line": line, "character": col}})
        where = where if isinstance(where, list) else [where]
        self.assertEqual([uri_to_path(w.get("uri") or w.get("targetUri")) for w in where], [str(c1)])
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(c2)},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.alembic.mergeHeads"]}})
        self.assertEqual([a["kind"] for a in actions], ["source.alembic.mergeHeads"], actions)
        apply_workspace_edit(actions[0]["edit"])
        r = run(["heads"], cwd=root)
        self.assertEqual(len(r.stdout.splitlines()), 1, r.stdout)
        self.assertIn("(contract, expand) (head)", r.stdout)


if __name__ == "__main__":
    unittest.main()
