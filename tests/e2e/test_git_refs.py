"""Git history follows the repository, not only the files: a branch created or deleted
(only `.git/refs` or `packed-refs` change, no watched file does) re-checks what the
diagnostics say, an environment whose git call failed is asked again after a later change
(a repository created afterwards), and inlay hints are capped for files naming thousands
of parents. Real git, real repositories in temporary directories. Without git (an emptied
PATH; under wine, alembic-lsp.exe with no git.exe) the same changes leave the diagnostics
plain and git's absence is logged once."""

import shutil
import time
import unittest

from cli_support import NO_GIT, NO_GIT_UNDER_WINE, without_git
from edit_support import migration, wait_indexed
from lsp_client import LspClient, path_to_uri, position_of
from test_history import B2, C3, D4, E5, Project, build_history, missing_diagnostics


def history_messages(client, path):
    return [d["message"] for d in missing_diagnostics(client.diagnostics(path) or [], False)]


@unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git: WithoutGitTest
class RefsWatchTest(unittest.TestCase):
    def setUp(self):
        self.p = build_history(self)
        self.client = LspClient(env=self.p.env)
        self.addCleanup(self.client.kill)
        self.client.initialize(self.p.root)

    def wait_e5(self, wanted, timeout=30):
        return self.client.wait_diagnostics(
            self.p.e5, lambda ds: any(wanted(d["message"]) for d in missing_diagnostics(ds, False)),
            timeout=timeout)

    def test_branch_deleted_and_created_without_a_file_change(self):
        self.wait_e5(lambda m: "defines it on feature/orders" in m)
        feature = self.p.git("rev-parse", "feature/orders")
        # Only refs/heads changes: no migration file, no alembic.ini is touched.
        self.p.git("branch", "-q", "-D", "feature/orders")
        self.wait_e5(lambda m: "feature/orders" not in m)
        self.p.git("branch", "-q", "later/items", feature)
        [d] = missing_diagnostics(self.wait_e5(lambda m: "defines it on later/items" in m), False)
        self.assertIn(f"migrations/versions/{D4}_items.py defines it on later/items", d["message"])
        # packed-refs: `git pack-refs --all` moves the branch there, then deleting it
        # rewrites packed-refs only.
        self.p.git("pack-refs", "--all")
        self.p.git("branch", "-q", "-D", "later/items")
        self.wait_e5(lambda m: "later/items" not in m and "Git history" in m)
        self.assertEqual(self.client.shutdown(), 0)


@unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git: WithoutGitTest
class CommitOnShortBranchTest(unittest.TestCase):
    """Found by the soak test: a commit moves only refs/heads/<branch>, and a branch name of
    five characters or fewer (`main`) was taken for a lock file, so committing a deletion
    left "deleted in the work tree (not committed)" on the diagnostic for good."""

    def test_committing_a_deletion_on_main_updates_the_history(self):
        p = Project(self)
        a1 = p.write(f"{C3}_orders.py", C3, None, "add orders")
        e5 = p.write(f"{E5}_prices.py", E5, C3, "add prices")
        p.git("init", "-q")
        p.commit("Orders and prices", "Ann", "2024-02-01T10:00:00+00:00")
        client = LspClient(env=p.env)
        self.addCleanup(client.kill)
        client.initialize(p.root)
        wait_indexed(client)
        self.assertEqual(missing_diagnostics(client.diagnostics(e5) or [], False), [])
        a1.unlink()
        client.notify("workspace/didChangeWatchedFiles",
                      {"changes": [{"uri": path_to_uri(a1), "type": 3}]})
        self.wait(client, e5, "deleted or changed in the work tree (not committed)")
        # Only .git changes now: the index, the log and refs/heads/main.
        p.commit("Drop orders", "Bob", "2024-03-04T05:06:07+00:00")
        [d] = missing_diagnostics(self.wait(client, e5, "deleted in commit"), False)
        self.assertIn('by Bob on 2024-03-04 ("Drop orders")', d["message"])
        self.assertEqual(client.shutdown(), 0)

    def wait(self, client, path, text):
        return client.wait_diagnostics(
            path, lambda ds: any(text in d["message"] for d in missing_diagnostics(ds, False)))


@unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git: WithoutGitTest
class RetryAfterFailureTest(unittest.TestCase):
    def test_repository_created_after_the_server_started(self):
        p = Project(self)
        p.write(f"{C3}_orders.py", C3, None, "add orders")
        e5 = p.write(f"{E5}_prices.py", E5, D4, "add prices")
        client = LspClient(env=p.env)
        self.addCleanup(client.kill)
        client.initialize(p.root)
        deadline = time.time() + 30
        while not any("git history is not available" in line for line in client.stderr_lines):
            self.assertLess(time.time(), deadline, "".join(client.stderr_lines))
            time.sleep(0.1)
        # Now a repository appears, d4 exists on a branch, and a file changes.
        p.git("init", "-q")
        p.commit("Orders and prices", "Ann", "2024-02-01T10:00:00+00:00")
        p.git("checkout", "-q", "-b", "feature/items")
        d4 = p.write(f"{D4}_items.py", D4, C3, "add items")
        p.commit("Add items", "Gus", "2024-02-15T00:00:00+00:00")
        p.git("checkout", "-q", "main")
        self.assertFalse(d4.exists())
        time.sleep(1.2)  # the first retry waits one second after the failure
        client.notify("workspace/didChangeWatchedFiles",
                      {"changes": [{"uri": path_to_uri(e5), "type": 2}]})
        diags = client.wait_diagnostics(
            e5, lambda ds: any("defines it on feature/items" in d["message"]
                               for d in missing_diagnostics(ds, False)))
        self.assertEqual(len(missing_diagnostics(diags)), 1, diags)
        self.assertEqual(client.shutdown(), 0)


class WithoutGitTest(unittest.TestCase):
    """The binary finds no git: the branch and commit changes above leave the missing-revision
    diagnostic plain (no history, nothing "looking up"), git's absence is logged once however
    often the server looks again, and the session ends cleanly."""

    def test_branch_and_commit_changes_without_git(self):
        p = build_history(self)
        client = LspClient(env=without_git(p.env))
        self.addCleanup(client.kill)
        client.initialize(p.root)
        wait_indexed(client)
        [d] = missing_diagnostics(client.wait_diagnostics(
            p.e5, lambda ds: missing_diagnostics(ds, False) != []), False)
        self.assertIn(D4, d["message"])
        # A branch deleted (only git sees it), a file deleted, the deletion committed, a
        # file changed: the server looks at the history again after each.
        p.git("branch", "-q", "-D", "feature/orders")
        p.b2.unlink()
        client.notify("workspace/didChangeWatchedFiles",
                      {"changes": [{"uri": path_to_uri(p.b2), "type": 3}]})
        [d] = missing_diagnostics(client.wait_diagnostics(
            p.c3, lambda ds: missing_diagnostics(ds, False) != []), False)
        self.assertIn(B2, d["message"])
        p.commit("Drop users", "Bob", "2024-03-05T00:00:00+00:00")
        time.sleep(1.2)  # past the first retry's wait
        client.notify("workspace/didChangeWatchedFiles",
                      {"changes": [{"uri": path_to_uri(p.e5), "type": 2}]})
        text = p.c3.read_text()
        deadline = time.time() + 30
        while True:  # hover answers at once; git lookups would finish in the background
            value = client.request("textDocument/hover", {
                "textDocument": {"uri": path_to_uri(p.c3)},
                "position": position_of(text, f"down_revision = '{B2}", 0, 17)})["contents"]["value"]
            if "looking up" not in value or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertNotIn("looking up", value)
        self.assertNotIn("Git history", value)
        for path in (p.c3, p.e5):
            for diagnostic in client.diagnostics(path) or []:
                self.assertNotIn("Git history", diagnostic["message"])
                self.assertNotIn("commit", diagnostic["message"])
        self.assertEqual(client.shutdown(), 0)
        notes = [line for line in client.stderr_lines if "git" in line.lower()]
        self.assertEqual(len(notes), 1, client.stderr_lines)
        self.assertIn("git history is not available", notes[0])
        self.assertIn("git is not installed", notes[0])


class InlayHintCapTest(unittest.TestCase):
    def test_thousands_of_parents_get_at_most_1000_hints_and_a_log_line(self):
        p = Project(self)
        p.write(f"{C3}_orders.py", C3, None, "add orders")
        big = p.versions / f"{E5}_merge.py"
        parents = ", ".join([repr(C3)] * 1500)
        big.write_text(migration(E5, C3, "merge").replace(f"down_revision = {C3!r}",
                                                           f"down_revision = ({parents})"))
        client = LspClient(env=p.env)
        self.addCleanup(client.kill)
        client.initialize(p.root)
        deadline = time.time() + 60
        while not client.request("alembic/graph", {}).get("indexed"):
            self.assertLess(time.time(), deadline, "never indexed")
            time.sleep(0.1)
        text = client.open(big)
        self.assertEqual(text.count(repr(C3)), 1500)
        hints = client.request("textDocument/inlayHint", {
            "textDocument": {"uri": path_to_uri(big)},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}}})
        self.assertEqual(len(hints), 1000)
        self.assertTrue(all(h["label"] == "add orders" for h in hints), hints[:3])
        self.assertEqual(client.shutdown(), 0)
        self.assertTrue(any("only the first 1000 get a hint" in line for line in client.stderr_lines),
                        client.stderr_lines[-10:])


if __name__ == "__main__":
    unittest.main()
