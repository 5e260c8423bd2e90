"""The language server's "New migration on head X": the source code action (a WorkspaceEdit
creating the file, then alembic.showMigration, which sends window/showDocument) and the
command alembic.newMigration (planned when run, created through workspace/applyEdit, or by
the server itself for a client that cannot apply edits, then shown). The project is made
by Debian's real `alembic init` and `alembic revision`; the file the server creates must
be what `alembic revision --head X -m MSG` writes, apart from the id and the date."""

import copy
import re
import shutil
import tempfile
import time
import unittest
from pathlib import Path

from cli_support import alembic, require_alembic
from edit_support import apply_workspace_edit, tell_server, wait_indexed
from lsp_client import CLIENT_CAPABILITIES, LspClient, LspError, local_path, path_to_uri, uri_to_path

BASE, LEFT, RIGHT = "1a2b3c4d5e6f", "2b3c4d5e6f70", "3c4d5e6f7081"
KIND = "source.alembic.newMigration"


def capabilities(show_document=True, apply_edit=True, create=True):
    caps = copy.deepcopy(CLIENT_CAPABILITIES)
    if show_document:
        caps["window"]["showDocument"] = {"support": True}
    caps["workspace"]["applyEdit"] = apply_edit
    if not create:
        caps["workspace"]["workspaceEdit"]["resourceOperations"] = []
    return caps


def normalised(path):
    text = path.read_text()
    rev = re.search(r"^revision = '([0-9a-f]{12})'$", text, re.M).group(1)
    text = re.sub(r"^Create Date: .*$", "Create Date: <DATE>", text.replace(rev, "<REV>"), flags=re.M)
    return path.name.replace(rev, "<REV>"), text


class NewMigrationTest(unittest.TestCase):
    caps = capabilities()

    @classmethod
    def setUpClass(cls):
        require_alembic(cls)
        cls.template = Path(tempfile.mkdtemp(prefix="alembic-lsp-newmig-")).resolve()
        steps = [("init", "-t", "generic", "migrations"),
                 ("revision", "-m", "base", "--rev-id", BASE),
                 ("revision", "-m", "left side", "--rev-id", LEFT),
                 ("revision", "-m", "right side", "--rev-id", RIGHT, "--head", BASE, "--splice")]
        for step in steps:
            r = alembic(list(step), cls.template)
            if r.returncode != 0:
                raise AssertionError(f"alembic {step} failed: {r.stderr}")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.template, ignore_errors=True)

    def setUp(self):
        self.root = Path(tempfile.mkdtemp(prefix="alembic-lsp-newmig-")).resolve() / "p"
        shutil.copytree(self.template, self.root)
        self.addCleanup(shutil.rmtree, self.root.parent, ignore_errors=True)
        self.versions = self.root / "migrations" / "versions"
        self.file = {rev: next(self.versions.glob(f"{rev}_*.py")) for rev in (BASE, LEFT, RIGHT)}
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.client.initialize(self.root, capabilities=self.caps)
        wait_indexed(self.client)

    def code_actions(self, path, only=("source",)):
        context = {"diagnostics": [], "triggerKind": 1}
        if only is not None:
            context["only"] = list(only)
        return self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(path)},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": context})

    def new_migration_actions(self, path, only=("source",)):
        return [a for a in self.code_actions(path, only) if a.get("kind") == KIND]

    def shown(self, timeout=30):
        """The uris of the window/showDocument requests the server sent so far (waits up to
        `timeout` for the first)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.client.cond:
                found = [r["params"] for r in self.client.server_requests
                         if r["method"] == "window/showDocument"]
            if found or timeout == 0:
                return found
            time.sleep(0.05)
        return []

    def alembic_writes(self, head, message=None):
        """What the real `alembic revision --head HEAD [-m MESSAGE]` writes in a copy."""
        copy_root = self.root.parent / f"alembic-{len(list(self.root.parent.iterdir()))}"
        shutil.copytree(self.template, copy_root)
        versions = copy_root / "migrations" / "versions"
        before = set(versions.glob("*.py"))
        args = ["revision", "--head", head] + (["-m", message] if message is not None else [])
        r = alembic(args, copy_root)
        self.assertEqual(r.returncode, 0, r.stderr)
        (new,) = set(versions.glob("*.py")) - before
        return normalised(new)

    # -- the code action ----------------------------------------------------
    def test_action_in_a_head_file_creates_what_alembic_writes_and_shows_it(self):
        actions = self.new_migration_actions(self.file[LEFT])
        self.assertEqual([a["title"] for a in actions], [f"New migration on head {LEFT}"])
        action = actions[0]
        create, fill = action["edit"]["documentChanges"]
        self.assertEqual(create["kind"], "create")
        self.assertFalse(create.get("options", {}).get("overwrite", False))
        target = Path(uri_to_path(create["uri"]))
        self.assertEqual(target.parent, self.versions)
        self.assertFalse(target.exists())
        _, created, _ = apply_workspace_edit(action["edit"])
        self.assertEqual(created, [target])
        self.assertEqual(normalised(target), self.alembic_writes(LEFT))
        # The action's command then asks the client to show the file.
        self.assertEqual(action["command"]["command"], "alembic.showMigration")
        result = self.client.request("workspace/executeCommand", {
            "command": action["command"]["command"], "arguments": action["command"]["arguments"]})
        self.assertEqual(result["shown"], True)
        self.assertEqual([p["uri"] for p in self.shown()], [path_to_uri(target)])
        # Told of the file, the server sees it as the head of that branch.
        tell_server(self.client, created=[target])
        deadline = time.time() + 30
        while True:
            env = self.client.request("alembic/graph", {})["environments"][0]
            if len(env["revisions"]) == 4:
                break
            self.assertLess(time.time(), deadline, env)
            time.sleep(0.05)
        self.assertEqual(len(env["heads"]), 2)
        self.assertNotIn(LEFT, env["heads"])

    def test_one_action_per_head_elsewhere_and_kind_filtering(self):
        actions = self.new_migration_actions(self.file[BASE])
        self.assertEqual(sorted(a["title"] for a in actions),
                         sorted(f"New migration on head {h}" for h in (LEFT, RIGHT)))
        targets = {a["edit"]["documentChanges"][0]["uri"] for a in actions}
        self.assertEqual(len(targets), 2)  # each its own fresh id
        self.assertEqual(len(self.new_migration_actions(self.file[BASE], only=None)), 2)
        self.assertEqual(len(self.new_migration_actions(self.file[BASE], only=[KIND])), 2)
        self.assertEqual(self.new_migration_actions(self.file[BASE], only=["quickfix"]), [])
        self.assertEqual(self.new_migration_actions(self.root / "migrations" / "env.py"), [])

    # -- the command ----------------------------------------------------------
    def test_command_with_several_heads_needs_a_head(self):
        with self.assertRaises(LspError) as raised:
            self.client.request("workspace/executeCommand", {
                "command": "alembic.newMigration",
                "arguments": [{"uri": path_to_uri(self.file[BASE]), "message": "x"}]})
        message = str(raised.exception)
        for needle in ("2 heads", f"{LEFT} (left side)", f"{RIGHT} (right side)"):
            self.assertIn(needle, message)
        self.assertEqual(len(list(self.versions.glob("*.py"))), 3)
        with self.assertRaises(LspError) as raised:
            self.client.request("workspace/executeCommand", {
                "command": "alembic.newMigration",
                "arguments": [{"uri": path_to_uri(self.file[BASE]), "head": BASE}]})
        self.assertIn("is not a head revision", str(raised.exception))

    def test_command_creates_through_the_client_then_shows(self):
        self.client.apply_edit_handler = lambda edit: (apply_workspace_edit(edit), {"applied": True})[1]
        result = self.client.request("workspace/executeCommand", {
            "command": "alembic.newMigration",
            "arguments": [{"uri": path_to_uri(self.root / "alembic.ini"), "head": RIGHT,
                           "message": "add email to users"}]})
        self.assertEqual(result["appliedBy"], "client")
        self.assertEqual(result["parent"], RIGHT)
        path = Path(local_path(result["path"]))
        self.assertTrue(path.name.endswith("_add_email_to_users.py"), path)
        self.assertEqual(normalised(path), self.alembic_writes(RIGHT, "add email to users"))
        self.assertEqual([p["uri"] for p in self.shown()], [path_to_uri(path)])
        self.assertEqual(result["uri"], path_to_uri(path))

    def test_refused_edit_shows_nothing_and_says_why(self):
        self.client.apply_edit_handler = lambda edit: {"applied": False, "failureReason": "no"}
        result = self.client.request("workspace/executeCommand", {
            "command": "alembic.newMigration",
            "arguments": [{"uri": path_to_uri(self.file[LEFT]), "head": LEFT}]})
        self.client.wait_for(lambda n: n["method"] == "window/showMessage", what="showMessage")
        self.assertFalse(Path(local_path(result["path"])).exists())
        self.assertEqual(self.shown(timeout=0), [])


class NewMigrationWithoutApplyEditTest(NewMigrationTest):
    """A client that applies no edits and shows no documents: the server writes the file
    (never over an existing one) and answers its path for the client to open."""

    caps = capabilities(show_document=False, apply_edit=False, create=False)

    def test_command_creates_through_the_client_then_shows(self):
        result = self.client.request("workspace/executeCommand", {
            "command": "alembic.newMigration",
            "arguments": [{"uri": path_to_uri(self.file[LEFT]), "head": LEFT, "message": "m"}]})
        self.assertEqual(result["appliedBy"], "server")
        self.assertEqual(normalised(Path(local_path(result["path"]))), self.alembic_writes(LEFT, "m"))
        self.assertEqual(self.shown(timeout=0), [])

    def test_action_in_a_head_file_creates_what_alembic_writes_and_shows_it(self):
        # Without create support the action is the command, planned when run.
        (action,) = self.new_migration_actions(self.file[LEFT])
        self.assertNotIn("edit", action)
        self.assertEqual(action["command"]["command"], "alembic.newMigration")
        result = self.client.request("workspace/executeCommand", {
            "command": "alembic.newMigration", "arguments": action["command"]["arguments"]})
        self.assertEqual(normalised(Path(local_path(result["path"]))), self.alembic_writes(LEFT))

    def test_one_action_per_head_elsewhere_and_kind_filtering(self):
        self.assertEqual(len(self.new_migration_actions(self.file[BASE])), 2)

    test_refused_edit_shows_nothing_and_says_why = None


if __name__ == "__main__":
    unittest.main()
