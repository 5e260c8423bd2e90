"""branch-conflict across a pull request and its base (`check --base`): the base's own new
migrations (read from the commit, never checked out) joined to the checkout's, so a
migration merged on main meanwhile and the pull request's one, on the same parent and the
same table, are reported; and the editor's merge action naming the tables both branches
change in its title. Without git (an emptied PATH; under wine, alembic-lsp.exe with no
git.exe) `--base` is refused with the reason and the checkout alone is still checked."""
import json
import os
import shutil
import tempfile
import unittest
from pathlib import Path

from cli_support import (NO_GIT, NO_GIT_UNDER_WINE, GitRepo, TempDirTestCase, posix_paths, run,
                         without_git)
from cli_support import migration_with_operations as migration
from edit_support import start_indexed
from lsp_client import path_to_uri


BASE = ("    op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True))",
        "    op.drop_table('orders')")
ON_MAIN = ("    op.add_column('orders', sa.Column('total', sa.Integer()))",
           "    op.drop_column('orders', 'total')")
IN_PR = ("    op.add_column('orders', sa.Column('discount', sa.Integer()))",
         "    op.drop_column('orders', 'discount')")
OTHER_TABLE = ("    op.create_table('tags', sa.Column('id', sa.Integer()))",
               "    op.drop_table('tags')")


def write(root, rev, down, upgrade, downgrade):
    (root / "migrations" / "versions" / f"{rev}_m.py").write_text(
        migration(rev, down, upgrade, downgrade))


class BaseSideTest(TempDirTestCase):
    def repo_with(self, on_main):
        """main: base + `on_main`; the checkout: branch `feature` from base + the PR's."""
        root = self.tmp / "proj"
        (root / "migrations" / "versions").mkdir(parents=True)
        (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
        repo = GitRepo(root)
        write(root, "1000aaaa0001", None, *BASE)
        repo.commit("base")
        repo.git("branch", "feature")
        write(root, "2000bbbb0002", "1000aaaa0001", *on_main)
        repo.commit("merged on main meanwhile")
        repo.git("checkout", "-q", "feature")
        self.assertFalse((root / "migrations" / "versions" / "2000bbbb0002_m.py").exists())
        write(root, "3000cccc0003", "1000aaaa0001", *IN_PR)
        return root

    def diagnostics(self, root, *args):
        r = run(["check", "--format", "json", *args, str(root)], cwd=root)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        return json.loads(r.stdout)["environments"][0]["diagnostics"]

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git: test_without_git
    def test_the_base_branch_and_the_pull_request_both_alter_orders(self):
        root = self.repo_with(ON_MAIN)
        # The checkout alone has one head and nothing to conflict with.
        self.assertEqual([d["code"] for d in self.diagnostics(root, "--lint", "all")], [])
        found = [d for d in self.diagnostics(root, "--base", "main")
                 if d["code"] == "branch-conflict"]
        self.assertEqual(len(found), 1, found)
        c = found[0]
        self.assertIn(c["summary"], ["2 branches both alter table orders (heads 3000cccc0003 "
                                     "and 2000bbbb0002).",
                                     "2 branches both alter table orders (heads 2000bbbb0002 "
                                     "and 3000cccc0003)."])
        self.assertEqual(c["revisions"], ["2000bbbb0002", "3000cccc0003"])
        self.assertIn("The other branch is on main, not in this checkout", c["message"])
        # On the pull request's file; the base's migration as a related location.
        self.assertTrue(c["path"].endswith("3000cccc0003_m.py"), c["path"])
        self.assertEqual([posix_paths(x["path"]).split("/")[-1] for x in c["related"]],
                         ["2000bbbb0002_m.py"])
        self.assertTrue(c["related"][0]["message"].startswith("on main: "), c["related"])

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git: test_without_git
    def test_different_tables_are_no_conflict(self):
        root = self.repo_with(OTHER_TABLE)
        codes = [d["code"] for d in self.diagnostics(root, "--base", "main")]
        self.assertNotIn("branch-conflict", codes)

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git: test_without_git
    def test_lint_off_leaves_it_out(self):
        root = self.repo_with(ON_MAIN)
        (root / "pyproject.toml").write_text('[tool.alembic-lsp]\nlint = "off"\n')
        codes = [d["code"] for d in self.diagnostics(root, "--base", "main")]
        self.assertNotIn("branch-conflict", codes)


    def test_without_git(self):
        root = self.repo_with(ON_MAIN)
        env = without_git(os.environ)
        r = run(["check", "--format", "json", "--base", "main", str(root)], cwd=root, env=env)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr, "alembic-lsp: --base needs a git repository: git is not "
                                   "installed (no `git` on PATH)\n")
        r = run(["check", "--format", "json", "--lint", "all", str(root)], cwd=root, env=env)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertEqual(json.loads(r.stdout)["environments"][0]["diagnostics"], [])


class MergeTitleTest(unittest.TestCase):
    def start(self, second):
        tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-mergetitle-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        root = tmp / "proj"
        (root / "migrations" / "versions").mkdir(parents=True)
        (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
        write(root, "1000aaaa0001", None, *BASE)
        write(root, "2000bbbb0002", "1000aaaa0001", *ON_MAIN)
        write(root, "3000cccc0003", "1000aaaa0001", *second)
        client = start_indexed(self, root)
        head = root / "migrations" / "versions" / "3000cccc0003_m.py"
        client.open(head)
        diagnostics = client.wait_diagnostics(
            head, lambda ds: any(d["code"] == "multiple-heads" for d in ds))
        heads = [d for d in diagnostics if d["code"] == "multiple-heads"]
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(head)}, "range": heads[0]["range"],
            "context": {"diagnostics": heads, "only": ["quickfix"]}})
        return [a["title"] for a in actions if a["title"].startswith("Merge")]

    def test_title_names_the_table_both_branches_alter(self):
        self.assertEqual(self.start(IN_PR), [
            "Merge 2 heads into a new migration (2 branches both alter table orders)"])

    def test_title_is_plain_when_they_touch_different_tables(self):
        self.assertEqual(self.start(OTHER_TABLE), ["Merge 2 heads into a new migration"])


if __name__ == "__main__":
    unittest.main()
