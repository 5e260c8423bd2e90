"""History-aware answers from git against the real binary, on real temporary
repositories: diagnostics of a missing parent say which commit deleted its file (message
and relatedInformation) or on which branch it exists, hover shows that and who added a
revision's file, the "Restore"/"Bring" quick fixes create the file with its content from
git, and `check` reports the history in text and json. Outside a repository and without
git the answers stay plain, with one log line."""

import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from cli_support import NO_GIT, NO_GIT_UNDER_WINE, without_git
from edit_support import migration
from lsp_client import BINARY, CLIENT_CAPABILITIES, LspClient, path_to_uri, position_of, uri_to_path

A1 = "a1a1a1a1a1a1"
B2 = "b2b2b2b2b2b2"
C3 = "c3c3c3c3c3c3"
D4 = "d4d4d4d4d4d4"
E5 = "e5e5e5e5e5e5"




def git_env(home):
    env = dict(os.environ)
    env.update({
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "HOME": str(home),
        "GIT_COMMITTER_NAME": "Committer", "GIT_COMMITTER_EMAIL": "committer@example.com",
        "GIT_COMMITTER_DATE": "2024-01-01T00:00:00+00:00",
    })
    return env


class Project:
    """alembic.ini + migrations/versions in a temporary directory, optionally a git repo."""

    def __init__(self, test):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-history-"))
        test.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.versions = self.root / "migrations" / "versions"
        self.versions.mkdir(parents=True)
        (self.root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
        self.env = git_env(self.tmp)
        # Keeps git from finding any repository above the temporary directory.
        self.env["GIT_CEILING_DIRECTORIES"] = str(self.tmp)

    def write(self, name, rev, down, message):
        path = self.versions / name
        path.write_text(migration(rev, down, message))
        return path

    def git(self, *args):
        run = subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                              *args], cwd=self.root, env=self.env, capture_output=True, text=True,
                             timeout=60)
        if run.returncode != 0:
            raise AssertionError(f"git {args}: {run.stderr}")
        return run.stdout.strip()

    def commit(self, subject, author, date):
        env = {"GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author.lower()}@example.com",
               "GIT_AUTHOR_DATE": date}
        self.env.update(env)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", subject)
        return self.git("rev-parse", "HEAD")


def build_history(test):
    """main: a1 <- b2 <- c3, then Bob deletes a1, then e5 (down: d4) arrives;
    d4 exists only on branch feature/orders."""
    p = Project(test)
    p.a1 = p.write(f"{A1}_initial.py", A1, None, "initial")
    p.b2 = p.write(f"{B2}_users.py", B2, A1, "add users")
    p.c3 = p.write(f"{C3}_orders.py", C3, B2, "add orders")
    p.git("init", "-q")
    p.first = p.commit("Initial migrations", "Ann", "2024-02-01T10:00:00+00:00")
    p.git("checkout", "-q", "-b", "feature/orders")
    p.d4 = p.write(f"{D4}_items.py", D4, C3, "add items")
    p.feature = p.commit("Add items", "Gus", "2024-02-15T00:00:00+00:00")
    p.git("checkout", "-q", "main")
    p.a1.unlink()
    p.deleting = p.commit("Drop the initial migration", "Bob", "2024-03-04T05:06:07+00:00")
    p.e5 = p.write(f"{E5}_prices.py", E5, D4, "add prices")
    p.commit("Add prices", "Cy", "2024-03-10T00:00:00+00:00")
    return p


def missing_diagnostics(diagnostics, with_history=True):
    return [d for d in diagnostics if d.get("code") == "missing-revision"
            and (not with_history or "Git history:" in d["message"])]


def apply_workspace_edit(edit):
    """Applies documentChanges the way an editor does: a create that must not overwrite."""
    for change in edit["documentChanges"]:
        path = Path(uri_to_path(change.get("uri") or change["textDocument"]["uri"]))
        if change.get("kind") == "create":
            options = change.get("options", {})
            if path.exists() and not options.get("overwrite") and not options.get("ignoreIfExists"):
                return {"applied": False, "failureReason": f"{path} exists"}
            path.write_text("")
        else:
            text = path.read_text()
            for e in change["edits"]:
                assert e["range"]["start"] == {"line": 0, "character": 0}, e
                text = e["newText"] + text
            path.write_text(text)
    return {"applied": True}


@unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git: WithoutGitHistoryTest
class HistoryServerTest(unittest.TestCase):
    capabilities = CLIENT_CAPABILITIES
    can_create = True

    def setUp(self):
        self.p = build_history(self)
        self.client = LspClient(env=self.p.env)
        self.addCleanup(self.client.kill)
        self.client.initialize(self.p.root, capabilities=self.capabilities)

    def wait_history(self, path, wanted="Git history"):
        """The missing-revision diagnostics of `path` once one says `wanted`: the history
        arrives in the background, and an answer given while git was mid-change (a commit
        after the file left the work tree) is replaced once the server sees the change."""
        return missing_diagnostics(self.client.wait_diagnostics(
            path, lambda ds: any(wanted in d["message"] for d in missing_diagnostics(ds))))

    def hover_until(self, path, needle, wanted, timeout=30):
        """Hovers the id `needle` ends with until the answer holds `wanted`: hover answers
        from what is known, and git lookups finish in the background."""
        text = path.read_text()
        deadline = time.time() + timeout
        while True:
            result = self.client.request("textDocument/hover", {
                "textDocument": {"uri": path_to_uri(path)}, "position": position_of(text, needle, 0, len(needle) - 2)})
            value = result["contents"]["value"] if result else ""
            if wanted in value or time.time() > deadline:
                return value
            time.sleep(0.1)

    def code_actions(self, path, diagnostic):
        return self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(path)}, "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic], "triggerKind": 1}})

    def test_deleted_parent_in_message_and_related_information(self):
        [d] = self.wait_history(self.p.b2)
        self.assertIn(f"Git history: deleted in commit {self.p.deleting[:10]} by Bob on 2024-03-04 "
                      f"(\"Drop the initial migration\"), which removed "
                      f"migrations/versions/{A1}_initial.py", d["message"])
        related = [r for r in d["relatedInformation"] if r["message"].startswith(f"git history of {A1}")]
        self.assertEqual(len(related), 1, d["relatedInformation"])
        self.assertEqual(related[0]["location"]["uri"], path_to_uri(self.p.b2))
        self.assertIn("Bob", related[0]["message"])

    def test_parent_only_on_another_branch(self):
        [d] = self.wait_history(self.p.e5)
        self.assertIn(f"never in this branch's history; migrations/versions/{D4}_items.py defines it "
                      "on feature/orders", d["message"])

    def test_parent_moved_away_points_at_its_new_place(self):
        # Kept as a .py.bak: a .py in a folder of its own would be read as another
        # environment, and the finding then names that file instead of guessing from git
        # (tests/e2e/test_layouts.py covers that case).
        (self.p.root / "archive").mkdir()
        self.p.git("mv", f"migrations/versions/{B2}_users.py", f"archive/{B2}_users.py.bak")
        moving = self.p.commit("Archive users", "Dee", "2024-04-01T00:00:00+00:00")
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(self.p.b2), "type": 3}]})
        [d] = self.wait_history(self.p.c3, "renamed it to")
        self.assertIn(f"Git history: migrations/versions/{B2}_users.py defined it until commit "
                      f"{moving[:10]} by Dee on 2024-04-01 (\"Archive users\") renamed it to "
                      f"archive/{B2}_users.py.bak", d["message"])
        [related] = [r for r in d["relatedInformation"] if r["message"].startswith(f"git history of {B2}")]
        self.assertEqual(related["location"]["uri"], path_to_uri(self.p.root / "archive" / f"{B2}_users.py.bak"))
        titles = [a["title"] for a in self.code_actions(self.p.c3, d)]
        parent = self.p.git("rev-parse", f"{moving}^")
        restore = f"Restore migrations/versions/{B2}_users.py from {parent[:10]}"
        if self.can_create:
            self.assertIn(restore, titles)
        else:
            self.assertNotIn(restore, titles)

    def test_hover_shows_history_and_who_added_the_file(self):
        value = self.hover_until(self.p.b2, f"down_revision = '{A1}", "Git history: deleted")
        self.assertIn(f"deleted in commit {self.p.deleting[:10]} by Bob on 2024-03-04", value)
        value = self.hover_until(self.p.b2, f"revision = '{B2}", "Ann")
        self.assertIn("**Added:** Ann on 2024-02-01 in commit `" + self.p.first[:10] + "`", value)
        self.assertIn("Initial migrations", value)
        value = self.hover_until(self.p.e5, f"revision = '{E5}", "Cy")
        self.assertIn("**Added:** Cy on 2024-03-10", value)

    def test_hover_on_an_uncommitted_file(self):
        new = self.p.write("f6f6f6f6f6f6_new.py", "f6f6f6f6f6f6", C3, "new")
        self.client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": path_to_uri(new), "type": 1}]})
        self.client.open(new)
        value = self.hover_until(new, "revision = 'f6f6", "not committed yet")
        self.assertIn("not committed yet", value)

    def test_restore_action_applies_cleanly(self):
        [d] = self.wait_history(self.p.b2)
        actions = self.code_actions(self.p.b2, d)
        restore = [a for a in actions if a["title"].startswith("Restore ")]
        self.assertEqual([a["title"] for a in restore],
                         [f"Restore migrations/versions/{A1}_initial.py from {self.p.first[:10]}"])
        fix = restore[0]
        self.assertEqual(fix["kind"], "quickfix")
        self.assertEqual(fix["diagnostics"], [d])
        create, insert = fix["edit"]["documentChanges"]
        self.assertEqual(create["kind"], "create")
        self.assertEqual(create["options"], {"overwrite": False, "ignoreIfExists": False})
        self.assertEqual(uri_to_path(create["uri"]), str(self.p.a1))

        self.assertEqual(apply_workspace_edit(fix["edit"]), {"applied": True})
        self.assertEqual(self.p.a1.read_text(), self.p.git("show", f"{self.p.first}:migrations/versions/{A1}_initial.py") + "\n")
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(self.p.a1), "type": 1}]})
        self.client.wait_diagnostics(self.p.b2, lambda ds: missing_diagnostics(ds, False) == [])
        # Once the file is back, the action is no longer offered (it would overwrite).
        self.assertEqual([a for a in self.code_actions(self.p.b2, d) if a["title"].startswith("Restore ")], [])

    def test_restore_offered_on_the_range_without_context_diagnostics(self):
        [d] = self.wait_history(self.p.b2)
        actions = self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(self.p.b2)}, "range": d["range"],
            "context": {"diagnostics": [], "only": ["quickfix"]}})
        restore = [a for a in actions if a["title"].startswith("Restore ")]
        self.assertEqual(len(restore), 1 if self.can_create else 0, actions)
        if restore:
            self.assertNotIn("diagnostics", restore[0])
        # Elsewhere in the file (the docstring's first line) there is nothing to restore.
        elsewhere = self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(self.p.b2)},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
            "context": {"diagnostics": []}})
        self.assertEqual([a for a in elsewhere if a["title"].startswith(("Restore ", "Bring "))], [])

    def test_uncommitted_deletion_is_restored_from_head(self):
        text = self.p.b2.read_text()
        self.p.b2.unlink()
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(self.p.b2), "type": 3}]})
        [d] = self.wait_history(self.p.c3)
        self.assertIn(f"Git history: migrations/versions/{B2}_users.py defines it in HEAD but was "
                      "deleted or changed in the work tree (not committed)", d["message"])
        actions = [a for a in self.code_actions(self.p.c3, d) if a["title"].startswith("Restore ")]
        self.assertEqual([a["title"] for a in actions],
                         [f"Restore migrations/versions/{B2}_users.py from HEAD"])
        self.assertEqual(apply_workspace_edit(actions[0]["edit"]), {"applied": True})
        self.assertEqual(self.p.b2.read_text(), text)
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(self.p.b2), "type": 1}]})
        self.client.wait_diagnostics(self.p.c3, lambda ds: missing_diagnostics(ds, False) == [])

    def test_bring_action_from_another_branch(self):
        [d] = self.wait_history(self.p.e5)
        actions = [a for a in self.code_actions(self.p.e5, d) if a["title"].startswith("Bring ")]
        self.assertEqual([a["title"] for a in actions],
                         [f"Bring migrations/versions/{D4}_items.py from feature/orders"])
        self.assertEqual(apply_workspace_edit(actions[0]["edit"]), {"applied": True})
        self.assertEqual(self.p.d4.read_text(), migration(D4, C3, "add items"))
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(self.p.d4), "type": 1}]})
        self.client.wait_diagnostics(self.p.e5, lambda ds: missing_diagnostics(ds, False) == [])


class NoCreateSupportTest(HistoryServerTest):
    """A client that cannot create files gets no restore action (and the rest still works)."""

    capabilities = json.loads(json.dumps(CLIENT_CAPABILITIES))
    capabilities["workspace"]["workspaceEdit"]["resourceOperations"] = ["rename"]
    can_create = False

    def test_restore_action_applies_cleanly(self):
        [d] = self.wait_history(self.p.b2)
        self.assertEqual([a for a in self.code_actions(self.p.b2, d)
                          if a["title"].startswith(("Restore ", "Bring "))], [])

    def test_bring_action_from_another_branch(self):
        [d] = self.wait_history(self.p.e5)
        self.assertEqual([a for a in self.code_actions(self.p.e5, d)
                          if a["title"].startswith(("Restore ", "Bring "))], [])

    def test_uncommitted_deletion_is_restored_from_head(self):
        self.p.b2.unlink()
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(self.p.b2), "type": 3}]})
        [d] = self.wait_history(self.p.c3)
        self.assertIn("defines it in HEAD", d["message"])
        self.assertEqual([a for a in self.code_actions(self.p.c3, d)
                          if a["title"].startswith(("Restore ", "Bring "))], [])


@unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git: WithoutGitHistoryTest
class HistoryCheckTest(unittest.TestCase):
    def setUp(self):
        self.p = build_history(self)

    def check(self, *args):
        return subprocess.run([BINARY, "check", *args, str(self.p.root)], cwd=self.p.tmp,
                              env=self.p.env, capture_output=True, text=True, timeout=120)

    def test_text(self):
        run = self.check()
        self.assertEqual(run.returncode, 1, run.stderr)
        lines = run.stdout.splitlines()
        at = [i for i, line in enumerate(lines) if f"down_revision names '{A1}'" in line]
        self.assertEqual(len(at), 1, run.stdout)
        self.assertEqual(lines[at[0] + 1],
                         f"    git history: deleted in commit {self.p.deleting[:10]} by Bob on 2024-03-04 "
                         f"(\"Drop the initial migration\"), which removed migrations/versions/{A1}_initial.py"
                         "; also on feature/orders")  # the branch forked before the deletion
        self.assertIn(f"    git history: never in this branch's history; migrations/versions/{D4}_items.py "
                      "defines it on feature/orders", run.stdout)
        self.assertNotIn("git history", self.check("--no-history").stdout)

    def test_typo_with_a_suggestion_gets_no_history_line(self):
        self.p.write("f6f6f6f6f6f6_typo.py", "f6f6f6f6f6f6", C3[:8], "typo")
        run = self.check("--verbose")
        lines = run.stdout.splitlines()
        [at] = [i for i, line in enumerate(lines) if f"down_revision names '{C3[:8]}'" in line]
        self.assertIn(f"did you mean '{C3}'?", lines[at + 1])  # the long form, under the line
        self.assertFalse(any(line.startswith("    git history:") for line in lines[at + 1:at + 4]),
                         run.stdout)
        findings = json.loads(self.check("--format", "json").stdout)["environments"][0]["diagnostics"]
        [typo] = [f for f in findings if f["code"] == "missing-revision" and f["revisions"][1] == C3[:8]]
        self.assertEqual(typo["history"]["fate"], "not-found")

    def test_json(self):
        run = self.check("--format", "json")
        self.assertEqual(run.returncode, 1, run.stderr)
        findings = json.loads(run.stdout)["environments"][0]["diagnostics"]
        missing = {f["revisions"][1]: f for f in findings if f["code"] == "missing-revision"}
        self.assertEqual(set(missing), {A1, D4})
        deleted = missing[A1]["history"]
        self.assertEqual(deleted["fate"], "deleted")
        self.assertEqual(deleted["path"], f"migrations/versions/{A1}_initial.py")
        self.assertEqual(deleted["commit"], {
            "id": self.p.deleting, "author": "Bob", "email": "bob@example.com",
            "date": "2024-03-04T05:06:07+00:00", "subject": "Drop the initial migration"})
        self.assertEqual(deleted["restore_from"], self.p.first)
        self.assertFalse(deleted["shallow"])
        self.assertEqual(deleted["refs"], [{"ref": "feature/orders", "commit": self.p.feature,
                                            "path": f"migrations/versions/{A1}_initial.py"}])
        elsewhere = missing[D4]["history"]
        self.assertEqual(elsewhere["fate"], "on-other-refs")
        self.assertIsNone(elsewhere["commit"])
        self.assertEqual(elsewhere["refs"], [{"ref": "feature/orders", "commit": self.p.feature,
                                              "path": f"migrations/versions/{D4}_items.py"}])
        others = [f for f in findings if f["code"] != "missing-revision"]
        self.assertTrue(all("history" not in f for f in others))


class WithoutGitHistoryTest(unittest.TestCase):
    """No repository, or no git at all: plain answers, one log line, no errors."""

    def setUp(self):
        self.p = Project(self)
        self.p.write(f"{B2}_users.py", B2, A1, "add users")

    def run_server(self, env):
        client = LspClient(env=env)
        self.addCleanup(client.kill)
        client.initialize(self.p.root)
        b2 = self.p.versions / f"{B2}_users.py"
        [d] = missing_diagnostics(client.wait_diagnostics(
            b2, lambda ds: missing_diagnostics(ds, False) != []), False)
        text = b2.read_text()
        # Hover until the lookup has given up ("looking up" disappears).
        deadline = time.time() + 30
        while True:
            value = client.request("textDocument/hover", {
                "textDocument": {"uri": path_to_uri(b2)},
                "position": position_of(text, f"down_revision = '{A1}", 0, 17)})["contents"]["value"]
            if "looking up" not in value or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertNotIn("Git history", value)
        self.assertNotIn("looking up", value)
        value = client.request("textDocument/hover", {
            "textDocument": {"uri": path_to_uri(b2)},
            "position": position_of(text, f"revision = '{B2}", 0, 12)})["contents"]["value"]
        self.assertNotIn("Added", value)
        self.assertNotIn("Git history", d["message"])
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(b2)}, "range": d["range"],
            "context": {"diagnostics": [d], "triggerKind": 1}})
        # Only "New migration on head X" (test_new_migration.py), no history fix.
        self.assertEqual([a for a in actions if a.get("kind") != "source.alembic.newMigration"], [])
        self.assertEqual(client.shutdown(), 0)
        return client

    def test_outside_a_repository(self):
        client = self.run_server(self.p.env)
        notes = [line for line in client.stderr_lines if "git history is not available" in line]
        self.assertEqual(len(notes), 1, client.stderr_lines)
        # Under wine without git.exe the first thing missing is git itself.
        self.assertIn("git is not installed" if NO_GIT else "is not inside a git repository",
                      notes[0])
        run = subprocess.run([BINARY, "check", str(self.p.root)], env=self.p.env,
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(run.returncode, 1)
        self.assertNotIn("git history", run.stdout)
        self.assertEqual(run.stderr, "")

    def test_several_environments_outside_a_repository_log_once(self):
        other = self.p.tmp / "proj2"
        (other / "migrations" / "versions").mkdir(parents=True)
        (other / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
        c3 = other / "migrations" / "versions" / f"{C3}_orders.py"
        c3.write_text(migration(C3, D4, "add orders"))
        client = LspClient(env=self.p.env)
        self.addCleanup(client.kill)
        client.initialize(self.p.tmp)
        for path, id_ in ((self.p.versions / f"{B2}_users.py", A1), (c3, D4)):
            client.wait_diagnostics(path, lambda ds: missing_diagnostics(ds, False) != [])
            text = path.read_text()
            deadline = time.time() + 30
            while True:
                value = client.request("textDocument/hover", {
                    "textDocument": {"uri": path_to_uri(path)},
                    "position": position_of(text, f"down_revision = '{id_}", 0, 17)})["contents"]["value"]
                if "looking up" not in value or time.time() > deadline:
                    break
                time.sleep(0.1)
            self.assertNotIn("looking up", value)
        self.assertEqual(client.shutdown(), 0)
        notes = [line for line in client.stderr_lines if "git history is not available" in line]
        self.assertEqual(len(notes), 1, client.stderr_lines)

    def test_git_missing_from_path(self):
        self.p.git("init", "-q")
        env = without_git(self.p.env)
        client = self.run_server(env)
        notes = [line for line in client.stderr_lines if "git history is not available" in line]
        self.assertEqual(len(notes), 1, client.stderr_lines)
        self.assertIn("git is not installed", notes[0])
        run = subprocess.run([BINARY, "check", "--format", "json", str(self.p.root)], env=env,
                             capture_output=True, text=True, timeout=120)
        self.assertEqual(run.returncode, 1)
        findings = json.loads(run.stdout)["environments"][0]["diagnostics"]
        self.assertTrue(all("history" not in f for f in findings))


if __name__ == "__main__":
    unittest.main()
