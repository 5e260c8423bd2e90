"""The pre-commit hook (.pre-commit-hooks.yaml) run by real pre-commit (Debian's
`pre-commit` package) on a real git repository, offline: the hook repository is a local git
clone of this project's hook file, pinned by commit like any `repo:` entry."""
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from cli_support import BINARY, SOURCE_DIR, migration


class PreCommitHookTest(unittest.TestCase):
    def setUp(self):
        self.assertIsNotNone(shutil.which("pre-commit"),
                             "pre-commit is needed: apt-get install pre-commit")
        self.assertIsNotNone(shutil.which("git"), "git is needed: apt-get install git")
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-pre-commit-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        # The hook's entry is `alembic-lsp check`, found on PATH as for an installed package.
        bin_dir = self.tmp / "bin"
        bin_dir.mkdir()
        os.symlink(Path(BINARY).resolve(), bin_dir / "alembic-lsp")
        self.env = dict(os.environ, HOME=str(self.tmp / "home"), PRE_COMMIT_HOME=str(self.tmp / "cache"),
                        PATH=f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
                        GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
        (self.tmp / "home").mkdir()
        # The hook repository: this project's .pre-commit-hooks.yaml, committed.
        hooks = self.tmp / "hooks-repo"
        hooks.mkdir()
        shutil.copy(SOURCE_DIR / ".pre-commit-hooks.yaml", hooks)
        self.git(hooks, "init", "-q")
        self.git(hooks, "add", ".")
        self.git(hooks, "commit", "-qm", "hooks")
        rev = self.git(hooks, "rev-parse", "HEAD").stdout.strip()
        # The project: two heads (b1, c1 on a1), committed without the hook.
        self.repo = self.tmp / "app"
        self.versions = self.repo / "migrations" / "versions"
        self.versions.mkdir(parents=True)
        (self.repo / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
        (self.repo / ".pre-commit-config.yaml").write_text(
            f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: alembic-lsp-check\n")
        (self.repo / "README.md").write_text("app\n")
        for rev_id, down in (("a1", None), ("b1", "a1")):
            (self.versions / f"{rev_id}_m.py").write_text(migration(rev_id, down))
        self.git(self.repo, "init", "-q")
        self.git(self.repo, "add", ".")
        self.git(self.repo, "commit", "-qm", "start")
        r = self.run_in_repo(["pre-commit", "install"])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def git(self, cwd, *args, check=True):
        r = subprocess.run(["git", *args], cwd=cwd, env=self.env, capture_output=True, text=True,
                           timeout=60)
        if check:
            self.assertEqual(r.returncode, 0, f"git {' '.join(args)}: {r.stderr}")
        return r

    def run_in_repo(self, args):
        return subprocess.run(args, cwd=self.repo, env=self.env, capture_output=True, text=True,
                              timeout=300)

    def commit(self, message):
        r = self.git(self.repo, "commit", "-m", message, check=False)
        return r, r.stdout + r.stderr

    def test_broken_history_is_refused_and_the_fix_accepted(self):
        # A second head: the commit runs the hook, which fails and names the problem.
        (self.versions / "c1_m.py").write_text(migration("c1", "a1"))
        self.git(self.repo, "add", ".")
        r, out = self.commit("second head")
        self.assertNotEqual(r.returncode, 0, out)
        self.assertIn("alembic-lsp check", out)
        self.assertIn("Failed", out)
        self.assertIn("multiple-heads", out)
        self.assertIn("b1", out)
        self.assertIn("c1", out)
        self.assertEqual(self.git(self.repo, "log", "--format=%s").stdout.split("\n")[0], "start")
        # A commit touching no migration or config skips the hook (its `files:` filter).
        (self.repo / "README.md").write_text("app, documented\n")
        self.git(self.repo, "add", "README.md")
        self.git(self.repo, "reset", "-q", "migrations")
        r, out = self.commit("docs only")
        self.assertEqual(r.returncode, 0, out)
        self.assertIn("Skipped", out)
        # The fix (a merge migration, as `alembic merge` writes it): the commit goes through.
        (self.versions / "d1_merge.py").write_text(migration("d1", ("b1", "c1")))
        self.git(self.repo, "add", ".")
        r, out = self.commit("merge heads")
        self.assertEqual(r.returncode, 0, out)
        self.assertIn("alembic-lsp check", out)
        self.assertIn("Passed", out)
        # pre-commit run over every file agrees; a missing parent is refused again.
        r = self.run_in_repo(["pre-commit", "run", "--all-files"])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        (self.versions / "e1_m.py").write_text(migration("e1", "zz99"))
        self.git(self.repo, "add", ".")
        r = self.run_in_repo(["pre-commit", "run"])
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("missing-revision", r.stdout)
        self.assertIn("zz99", r.stdout)


if __name__ == "__main__":
    unittest.main()
