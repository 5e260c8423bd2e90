"""The head file ([tool.alembic-lsp] head-file): `check` reports head-file-mismatch when it
disagrees with the history, `merge` rewrites it, the server's quick fix and merge action
edit it in the same WorkspaceEdit; and the flow it exists for, with real git: two branches
each add a migration and update the head file, `git merge` conflicts in it, `check` on the
conflicted tree says what the markers mean, and `alembic-lsp merge` makes the tree clean."""

import copy
import json
import os
import subprocess
import unittest
from pathlib import Path

from cli_support import GitRepo, TempDirTestCase, alembic, migration, require_alembic, run
from edit_support import apply_workspace_edit, start_indexed, tell_server, wait_indexed
from lsp_client import CLIENT_CAPABILITIES, LspClient, local_path, path_to_uri

SETTINGS = '[tool.alembic-lsp]\nhead-file = "migrations/HEAD"\n'


def write_project(root, revisions, head=None, settings=SETTINGS):
    """alembic.ini (script_location = migrations), pyproject.toml with the head-file
    setting, one migration per (rev, down), and migrations/HEAD holding `head` if given."""
    root = Path(root)
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    (root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
    (root / "pyproject.toml").write_text(settings)
    for rev, down in revisions:
        (versions / f"{rev}_m.py").write_text(migration(rev, down))
    if head is not None:
        (root / "migrations" / "HEAD").write_text(head)
    return versions


def check(root, *extra):
    r = run(["check", "--format", "json", "--no-history", *extra, str(root)], cwd=root)
    assert r.returncode in (0, 1), r
    data = json.loads(r.stdout)
    out = []
    for env in data.get("environments", []):
        out += env.get("diagnostics", [])
    return r.returncode, out


def head_file_findings(root):
    code, diagnostics = check(root)
    return code, [d for d in diagnostics if d["code"] == "head-file-mismatch"]


def recorded(path):
    return [line for line in Path(path).read_text().splitlines()
            if line.strip() and not line.startswith("#")]


class CheckTest(TempDirTestCase):
    def test_right_file_is_clean_and_stale_one_is_an_error(self):
        write_project(self.tmp, [("a1", None), ("b2", "a1")], head="b2\n")
        self.assertEqual(head_file_findings(self.tmp), (0, []))
        (self.tmp / "migrations" / "HEAD").write_text("# kept by alembic-lsp\na1\n")
        code, found = head_file_findings(self.tmp)
        self.assertEqual(code, 1)
        self.assertEqual(len(found), 1, found)
        self.assertEqual(found[0]["severity"], "error")
        self.assertIn("names a1 but the head is b2", found[0]["message"])
        self.assertEqual(found[0]["line"], 2)
        self.assertTrue(local_path(found[0]["path"]).endswith(os.path.join("migrations", "HEAD")), found[0])

    def test_missing_file_and_unknown_id(self):
        write_project(self.tmp, [("a1", None)])
        code, found = head_file_findings(self.tmp)
        self.assertEqual(code, 1)
        self.assertIn("does not exist", found[0]["message"])
        self.assertTrue(found[0]["path"].endswith("pyproject.toml"), found[0])
        (self.tmp / "migrations" / "HEAD").write_text("zz9\n")
        code, found = head_file_findings(self.tmp)
        self.assertIn("'zz9', which is no revision", found[0]["message"])

    def test_text_report_and_sarif_carry_the_code(self):
        write_project(self.tmp, [("a1", None), ("b2", "a1")], head="a1\n")
        text = run(["check", "--no-history", str(self.tmp)], cwd=self.tmp)
        self.assertEqual(text.returncode, 1)
        self.assertIn("[head-file-mismatch]", text.stdout)
        sarif = json.loads(run(["check", "--format", "sarif", str(self.tmp)], cwd=self.tmp).stdout)
        rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
        self.assertIn("head-file-mismatch", rules)
        results = [r["ruleId"] for r in sarif["runs"][0]["results"]]
        self.assertIn("head-file-mismatch", results)

    def test_ignore_setting_silences_it(self):
        write_project(self.tmp, [("a1", None)],
                      settings=SETTINGS + 'ignore = ["head-file-mismatch"]\n')
        self.assertEqual(head_file_findings(self.tmp), (0, []))

    def test_bad_setting_names_the_key_and_the_file(self):
        write_project(self.tmp, [("a1", None)],
                      settings='[tool.alembic-lsp]\nhead-file = "../outside/HEAD"\n')
        code, diagnostics = check(self.tmp)
        warnings = [d for d in diagnostics if d["code"] == "config-warning"]
        self.assertEqual(len(warnings), 1, diagnostics)
        self.assertIn("head-file", warnings[0]["message"])
        self.assertIn("'../outside/HEAD'", warnings[0]["message"])
        self.assertTrue(warnings[0]["path"].endswith("pyproject.toml"))
        self.assertEqual(warnings[0]["line"], 2)

    def test_several_environments_one_line_each(self):
        write_project(self.tmp, [("a1", None)], settings='[tool.alembic-lsp]\nhead-file = "HEADS"\n')
        (self.tmp / "alembic.ini").write_text(
            "[alembic]\nscript_location = migrations\n\n[audit]\nscript_location = audit\n")
        (self.tmp / "audit" / "versions").mkdir(parents=True)
        (self.tmp / "audit" / "versions" / "f1_m.py").write_text(migration("f1", None))
        (self.tmp / "HEADS").write_text("migrations: a1\naudit [audit]: f1\n")
        self.assertEqual(head_file_findings(self.tmp), (0, []))
        (self.tmp / "HEADS").write_text("migrations: a1\n")
        code, found = head_file_findings(self.tmp)
        self.assertEqual(len(found), 1, found)
        self.assertIn("no line for audit [audit]", found[0]["message"])


class MergeCommandTest(TempDirTestCase):
    def test_merge_rewrites_the_head_file(self):
        write_project(self.tmp, [("a1", None), ("b2", "a1"), ("c3", "a1")], head="b2\n")
        r = run(["merge", str(self.tmp), "--rev-id", "d4d4", "-m", "join"], cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("updated the head file", r.stderr)
        self.assertEqual(recorded(self.tmp / "migrations" / "HEAD"), ["d4d4"])
        self.assertEqual(head_file_findings(self.tmp), (0, []))

    def test_merge_creates_a_missing_head_file(self):
        write_project(self.tmp, [("a1", None), ("b2", "a1"), ("c3", "a1")])
        r = run(["merge", str(self.tmp), "--rev-id", "d4d4"], cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(recorded(self.tmp / "migrations" / "HEAD"), ["d4d4"])


class GitConflictTest(TempDirTestCase):
    """The flow the head file exists for, with real git branches and a real merge."""

    def test_parallel_migrations_conflict_in_git_and_merge_resolves(self):
        root = self.tmp / "repo"
        repo = GitRepo(root)
        versions = write_project(root, [("a1a1", None)], head="a1a1\n")
        self.assertEqual(head_file_findings(root), (0, []))
        repo.commit("initial migration")

        # Branch one adds b2b2 and updates the head file by hand, as a user would.
        repo.git("checkout", "-q", "-b", "one")
        (versions / "b2b2_m.py").write_text(migration("b2b2", "a1a1"))
        (root / "migrations" / "HEAD").write_text("b2b2\n")
        self.assertEqual(head_file_findings(root), (0, []))
        repo.commit("add b2b2")

        # Branch two adds c3c3; the quick-fix text from `check` tells it what to write.
        repo.git("checkout", "-q", "main")
        repo.git("checkout", "-q", "-b", "two")
        (versions / "c3c3_m.py").write_text(migration("c3c3", "a1a1"))
        code, found = head_file_findings(root)
        self.assertIn("names a1a1 but the head is c3c3", found[0]["message"])
        (root / "migrations" / "HEAD").write_text("c3c3\n")
        self.assertEqual(head_file_findings(root), (0, []))
        repo.commit("add c3c3")

        # They meet: the migrations merge cleanly, the head file does not.
        repo.git("checkout", "-q", "one")
        merge = subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.com",
                                "merge", "--no-edit", "two"], cwd=root, capture_output=True,
                               text=True, timeout=60)
        self.assertNotEqual(merge.returncode, 0, merge.stdout)
        self.assertIn("CONFLICT (content): Merge conflict in migrations/HEAD", merge.stdout)
        self.assertTrue((versions / "c3c3_m.py").exists())
        self.assertIn("<<<<<<<", (root / "migrations" / "HEAD").read_text())

        code, found = head_file_findings(root)
        self.assertEqual(code, 1)
        self.assertEqual(len(found), 1, found)
        message = found[0]["message"]
        self.assertIn("Git conflict in the head file", message)
        self.assertIn("two branches each added a migration on head a1a1", message)
        self.assertIn("names b2b2", message)
        self.assertIn("names c3c3", message)
        self.assertIn("'two'", message)
        self.assertIn("alembic-lsp merge", message)
        self.assertEqual(found[0]["revisions"], ["b2b2", "c3c3"])

        # Resolved the way the message says: merge the heads.
        r = run(["merge", str(root), "--rev-id", "d4d4", "-m", "merge heads"], cwd=root)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("<<<<<<<", (root / "migrations" / "HEAD").read_text())
        self.assertEqual(recorded(root / "migrations" / "HEAD"), ["d4d4"])
        code, diagnostics = check(root)
        self.assertEqual((code, diagnostics), (0, []))
        repo.commit("merge heads")
        self.assertEqual(repo.git("status", "--porcelain"), "")


def wait_code(client, path, code, present=True):
    return client.wait_diagnostics(
        path, lambda ds: any(d.get("code") == code for d in ds) == present)


class ServerTest(TempDirTestCase):
    def start(self):
        client = start_indexed(self, self.tmp, capabilities=CLIENT_CAPABILITIES)
        return client

    def code_actions(self, client, path, diagnostics):
        return client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(path)}, "range": diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics, "triggerKind": 1}})

    def test_quick_fix_rewrites_the_stale_head_file(self):
        write_project(self.tmp, [("a1", None), ("b2", "a1")], head="a1\n")
        head = self.tmp / "migrations" / "HEAD"
        client = self.start()
        found = [d for d in wait_code(client, head, "head-file-mismatch")
                 if d["code"] == "head-file-mismatch"]
        self.assertIn("names a1 but the head is b2", found[0]["message"])
        actions = self.code_actions(client, head, found)
        titles = [a["title"] for a in actions]
        self.assertIn("Rewrite HEAD from the history", titles)
        fix = actions[titles.index("Rewrite HEAD from the history")]
        self.assertTrue(fix.get("isPreferred"))
        changed, created, deleted = apply_workspace_edit(fix["edit"])
        self.assertEqual(changed, [head])
        self.assertEqual(recorded(head), ["b2"])
        tell_server(client, changed, created, deleted)
        wait_code(client, head, "head-file-mismatch", present=False)
        self.assertEqual(head_file_findings(self.tmp), (0, []))

    def test_quick_fix_creates_a_missing_head_file(self):
        write_project(self.tmp, [("a1", None)])
        settings = self.tmp / "pyproject.toml"
        client = self.start()
        found = [d for d in wait_code(client, settings, "head-file-mismatch")
                 if d["code"] == "head-file-mismatch"]
        self.assertEqual(found[0]["range"]["start"]["line"], 1)
        actions = self.code_actions(client, settings, found)
        fix = [a for a in actions if a["title"] == "Create HEAD with the head id"][0]
        self.assertEqual(fix["edit"]["documentChanges"][0]["kind"], "create")
        changed, created, deleted = apply_workspace_edit(fix["edit"])
        self.assertEqual(recorded(self.tmp / "migrations" / "HEAD"), ["a1"])
        tell_server(client, changed, created, deleted)
        wait_code(client, settings, "head-file-mismatch", present=False)

    def test_merge_action_updates_the_head_file_in_the_same_edit(self):
        versions = write_project(self.tmp, [("a1", None), ("b2", "a1"), ("c3", "a1")],
                                 head="<<<<<<< HEAD\nb2\n=======\nc3\n>>>>>>> two\n")
        head = self.tmp / "migrations" / "HEAD"
        client = self.start()
        conflict = [d for d in wait_code(client, head, "head-file-mismatch")
                    if d["code"] == "head-file-mismatch"]
        self.assertIn("on head a1", conflict[0]["message"])

        # From the head file's own diagnostic: merge first, then the rebases; no rewrite
        # (writing both heads would only hide the fork).
        actions = self.code_actions(client, head, conflict)
        titles = [a["title"] for a in actions]
        self.assertEqual(titles[0], "Merge 2 heads into a new migration", titles)
        self.assertTrue(any(t.startswith("Rebase this branch onto") for t in titles), titles)
        self.assertFalse(any(t.startswith("Rewrite") for t in titles), titles)
        rebase = [a for a in actions if a["title"].startswith("Rebase this branch onto")][0]
        touched = [c["textDocument"]["uri"] for c in rebase["edit"]["documentChanges"]
                   if "textDocument" in c]
        self.assertIn(path_to_uri(head), touched)

        # From a migration's multiple-heads diagnostic: the same merge, with the head file.
        migration_diags = [d for d in wait_code(client, versions / "b2_m.py", "multiple-heads")
                           if d["code"] == "multiple-heads"]
        merge = self.code_actions(client, versions / "b2_m.py", migration_diags)[0]
        self.assertEqual(merge["title"], "Merge 2 heads into a new migration")
        changes = merge["edit"]["documentChanges"]
        self.assertEqual(changes[0]["kind"], "create")
        self.assertEqual(changes[-1]["textDocument"]["uri"], path_to_uri(head))
        changed, created, deleted = apply_workspace_edit(merge["edit"])
        new_rev = recorded(head)
        self.assertEqual(len(new_rev), 1)
        self.assertIn(f"Revision ID: {new_rev[0]}\n", created[0].read_text())
        tell_server(client, changed, created, deleted)
        wait_code(client, head, "head-file-mismatch", present=False)
        self.assertEqual(check(self.tmp), (0, []))



def init_project(root, revisions, head):
    """The layout the real `alembic init migrations` writes (alembic.ini in `root`, env.py,
    script.py.mako and versions/ in migrations/), with the head file in migrations/: the
    script directory, which is neither the config's directory nor a version location."""
    require_alembic(None)
    r = alembic(["init", "migrations"], cwd=root)
    assert r.returncode == 0, r
    versions = Path(root) / "migrations" / "versions"
    assert (Path(root) / "migrations" / "env.py").is_file() and versions.is_dir()
    (Path(root) / "pyproject.toml").write_text(SETTINGS)
    for rev, down in revisions:
        (versions / f"{rev}_m.py").write_text(migration(rev, down))
    (Path(root) / "migrations" / "HEAD").write_text(head)


def head_file_registration(glob):
    return lambda m: (m["method"] == "client/registerCapability" and any(
        r["id"] == "alembic-lsp/head-files"
        and [w["globPattern"] for w in r["registerOptions"]["watchers"]] == [glob]
        for r in m["params"]["registrations"]))


class HeadFileWatchedTest(TempDirTestCase):
    """A head file changed outside the editor (git merge writes its conflict there)
    changes the diagnostics without the client saying anything, in the `alembic init`
    layout whose script directory the server's own watcher did not follow; and a client
    that watches files for the server is asked to watch the head file, again when the
    setting moves it."""

    def test_own_watcher_sees_the_head_file_in_the_script_directory(self):
        init_project(self.tmp, [("a1", None), ("b2", "a1")], head="a1\n")
        head = self.tmp / "migrations" / "HEAD"
        capabilities = copy.deepcopy(CLIENT_CAPABILITIES)
        capabilities["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"] = False
        client = start_indexed(self, self.tmp, capabilities=capabilities)
        wait_code(client, head, "head-file-mismatch")
        client.clear_notifications()
        head.write_text("b2\n")  # on disk only: no didChangeWatchedFiles from the client
        wait_code(client, head, "head-file-mismatch", present=False)
        client.clear_notifications()
        head.write_text("<<<<<<< HEAD\nb2\n=======\nc3\n>>>>>>> other\n")
        found = [d for d in wait_code(client, head, "head-file-mismatch")
                 if d["code"] == "head-file-mismatch"]
        self.assertIn("conflict", found[0]["message"].lower())
        self.assertFalse(any(m["method"] == "client/registerCapability"
                             for m in client.server_requests))

    def test_client_is_asked_to_watch_the_head_file_and_follows_the_setting(self):
        init_project(self.tmp, [("a1", None), ("b2", "a1")], head="b2\n")
        client = start_indexed(self, self.tmp, capabilities=CLIENT_CAPABILITIES)
        client.wait_server_request(head_file_registration("**/migrations/HEAD"),
                                   what="registration of migrations/HEAD")
        (self.tmp / "pyproject.toml").write_text(SETTINGS.replace("HEAD", "HEADS"))
        tell_server(client, changed=[self.tmp / "pyproject.toml"])
        client.wait_server_request(lambda m: m["method"] == "client/unregisterCapability" and [
            (u["id"], u["method"]) for u in m["params"]["unregisterations"]] == [
            ("alembic-lsp/head-files", "workspace/didChangeWatchedFiles")],
            what="unregistration of the old head file")
        client.wait_server_request(head_file_registration("**/migrations/HEADS"),
                                   what="registration of migrations/HEADS")
        # HEADS does not exist yet: the finding sits on the setting, as before the move.
        wait_code(client, self.tmp / "pyproject.toml", "head-file-mismatch")



def client_kind(name):
    """The capabilities of three kinds of client: one that creates files through an edit
    (VS Code), one that edits but cannot create (the server reserves the name), one that
    applies no edit at all (the server writes)."""
    caps = copy.deepcopy(CLIENT_CAPABILITIES)
    if name != "creates":
        caps["workspace"]["workspaceEdit"]["resourceOperations"] = []
    if name == "writes-nothing":
        caps["workspace"]["applyEdit"] = False
    return caps


class CommandsUpdateTheHeadFileTest(TempDirTestCase):
    """alembic.newMigration and alembic.mergeHeads keep the head file right for every kind of
    client, and name it in their answer (alsoChanged) so a client that leaves edited files
    unsaved (VS Code) can save it with the migration."""

    def run_command(self, kind, command, argument):
        client = LspClient()
        self.addCleanup(client.kill)
        client.apply_edit_handler = lambda edit: (apply_workspace_edit(edit), {"applied": True})[1]
        client.initialize(self.tmp, capabilities=client_kind(kind))
        wait_indexed(client)
        result = client.request("workspace/executeCommand",
                                {"command": command, "arguments": [argument]})
        return client, result

    def test_new_migration(self):
        for kind in ("creates", "edits", "writes-nothing"):
            with self.subTest(kind=kind):
                root = self.tmp / kind
                root.mkdir()
                write_project(root, [("a1", None), ("b2", "a1")], head="b2\n")
                head = root / "migrations" / "HEAD"
                client, result = self.run_command(kind, "alembic.newMigration", {
                    "uri": path_to_uri(root / "alembic.ini"), "message": "add orders"})
                self.assertEqual(result["appliedBy"], "server" if kind == "writes-nothing" else "client")
                self.assertEqual([local_path(p) for p in result["alsoChanged"]], [str(head)])
                self.assertEqual(recorded(head), [result["revision"]])
                self.assertRegex(Path(local_path(result["path"])).read_text(), r"(?m)^down_revision\b.* = 'b2'$")
                tell_server(client, changed=[head, Path(local_path(result["path"]))])
                self.assertEqual(head_file_findings(root), (0, []))

    def test_merge_heads(self):
        for kind in ("creates", "edits", "writes-nothing"):
            with self.subTest(kind=kind):
                root = self.tmp / kind
                root.mkdir()
                versions = write_project(root, [("a1", None), ("b2", "a1"), ("c3", "a1")],
                                         head="<<<<<<< HEAD\nb2\n=======\nc3\n>>>>>>> two\n")
                head = root / "migrations" / "HEAD"
                client, result = self.run_command(kind, "alembic.mergeHeads",
                                                  {"uri": path_to_uri(versions / "b2_m.py")})
                self.assertEqual([local_path(p) for p in result["alsoChanged"]], [str(head)])
                self.assertEqual(recorded(head), [result["revision"]])
                self.assertEqual(head_file_findings(root), (0, []))

    def test_nothing_else_changed_without_the_setting(self):
        write_project(self.tmp, [("a1", None)], settings="")
        client, result = self.run_command("creates", "alembic.newMigration", {
            "uri": path_to_uri(self.tmp / "alembic.ini"), "message": "next"})
        self.assertEqual(result["alsoChanged"], [])
        self.assertFalse((self.tmp / "migrations" / "HEAD").exists())


if __name__ == "__main__":
    unittest.main()
