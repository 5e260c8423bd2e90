"""The "Merge heads" code action and the alembic.mergeHeads command against the real
binary: the edit is applied the way an editor would, the server is told about the new
file, and the result is checked by the server's diagnostics, by `alembic-lsp check`,
and (when Alembic is installed) by Alembic itself."""

import ast
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from edit_support import migration, offset_of
from lsp_client import BINARY, CLIENT_CAPABILITIES, LspClient, local_path, path_to_uri, uri_to_path

ALEMBIC_INI = """\
[alembic]
script_location = migrations
"""

# Alembic 1.8's generic template.
SCRIPT_MAKO = '''\
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''


# a1 ─┬─ b2   two PRs, two heads
#     └─ c3
FILES = {
    "a1a1a1a1a1a1_initial.py": migration("a1a1a1a1a1a1", None, "initial"),
    "b2b2b2b2b2b2_add_users.py": migration("b2b2b2b2b2b2", "a1a1a1a1a1a1", "add users"),
    "c3c3c3c3c3c3_add_orders.py": migration("c3c3c3c3c3c3", "a1a1a1a1a1a1", "add orders"),
}


def write_project(root):
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "alembic.ini").write_text(ALEMBIC_INI)
    (root / "migrations" / "script.py.mako").write_text(SCRIPT_MAKO)
    for name, text in FILES.items():
        (versions / name).write_text(text)
    return versions


def alembic_python():
    """A Python interpreter that can import alembic, or None."""
    for candidate in (sys.executable, "python3", "/usr/bin/python3"):
        try:
            if subprocess.run([candidate, "-c", "import alembic"], capture_output=True,
                              timeout=60).returncode == 0:
                return candidate
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


def apply_text_edits(text, edits):
    spans = [(offset_of(text, e["range"]["start"]), offset_of(text, e["range"]["end"]), e["newText"])
             for e in edits]
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def apply_workspace_edit(edit):
    """Applies a WorkspaceEdit to disk as an editor would; returns ApplyWorkspaceEditResult."""
    for change in edit.get("documentChanges", []):
        path = Path(uri_to_path(change.get("uri") or change["textDocument"]["uri"]))
        if change.get("kind") == "create":
            options = change.get("options", {})
            if path.exists() and not options.get("overwrite"):
                if options.get("ignoreIfExists"):
                    continue
                return {"applied": False, "failureReason": f"{path} exists"}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
        elif "kind" in change:
            return {"applied": False, "failureReason": f"unsupported {change['kind']}"}
        else:
            path.write_text(apply_text_edits(path.read_text(), change["edits"]))
    for uri, edits in edit.get("changes", {}).items():
        path = Path(uri_to_path(uri))
        path.write_text(apply_text_edits(path.read_text(), edits))
    return {"applied": True}


def has_multiple_heads(diagnostics):
    return any(d.get("code") == "multiple-heads" for d in diagnostics)


class MergeActionTest(unittest.TestCase):
    capabilities = CLIENT_CAPABILITIES

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-merge-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.versions = write_project(self.root)
        self.head_b = self.versions / "b2b2b2b2b2b2_add_users.py"
        self.head_c = self.versions / "c3c3c3c3c3c3_add_orders.py"
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.client.initialize(self.root, capabilities=self.capabilities)
        self.heads_diagnostics = [d for d in self.client.wait_diagnostics(self.head_b, has_multiple_heads)
                                  if d.get("code") == "multiple-heads"]

    # -- helpers ------------------------------------------------------------
    def code_actions(self, path, diagnostics=(), only=None, rng=None):
        context = {"diagnostics": list(diagnostics), "triggerKind": 1}
        if only is not None:
            context["only"] = only
        if rng is None:
            rng = diagnostics[0]["range"] if diagnostics else {
                "start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
        actions = self.client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(path)}, "range": rng, "context": context})
        # The "New migration on head X" actions are test_new_migration.py's subject.
        return [a for a in actions if a.get("kind") != "source.alembic.newMigration"]

    def tell_created(self, path):
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(path), "type": 1}]})

    def assert_merged(self, new_file, revision):
        """Diagnostics clear, `check` and Alembic see one head: the new revision."""
        for head in (self.head_b, self.head_c):
            self.client.wait_diagnostics(head, lambda ds: not has_multiple_heads(ds))
        report = subprocess.run([BINARY, "check", "--format", "json", str(self.root)],
                                capture_output=True, text=True, timeout=120)
        env = json.loads(report.stdout)["environments"][0]
        self.assertEqual(env["heads"], [revision], report.stdout)
        self.assertEqual(env["merge_points"], [revision])
        errors = [d for d in env["diagnostics"] if d["severity"] == "error"]
        self.assertEqual(errors, [], report.stdout)
        parsed = [r for r in env["revisions"] if r["id"] == revision][0]
        self.assertEqual(parsed["down_revisions"], ["b2b2b2b2b2b2", "c3c3c3c3c3c3"])
        self.assertEqual(Path(local_path(parsed["path"])).name, new_file.name)

        python = alembic_python()
        if python is None:
            return
        heads = subprocess.run([python, "-m", "alembic", "-c", str(self.root / "alembic.ini"), "heads"],
                               cwd=self.root, capture_output=True, text=True, timeout=120)
        self.assertEqual(heads.returncode, 0, heads.stderr)
        self.assertEqual(heads.stdout.split(), [revision, "(head)"], heads.stdout)

    def assert_same_as_alembic_merge(self, new_file, revision):
        """Real `alembic merge -m "merge heads" --rev-id <id> heads` on a fresh copy writes
        the same file name and the same text, but for the creation time."""
        python = alembic_python()
        if python is None:
            return
        other = self.tmp / "reference"
        write_project(other)
        run = subprocess.run([python, "-m", "alembic", "-c", str(other / "alembic.ini"), "merge",
                              "-m", "merge heads", "--rev-id", revision, "heads"],
                             cwd=other, capture_output=True, text=True, timeout=120)
        self.assertEqual(run.returncode, 0, run.stderr)
        expected = other / "migrations" / "versions" / new_file.name
        self.assertTrue(expected.exists(), list((other / "migrations" / "versions").iterdir()))

        # Before 1.10 Alembic loads files in os.listdir order, so its `heads` order (and so
        # the parents' order) depends on the file system; from 1.10 on it sorts, as we do.
        version = subprocess.run([python, "-c", "import alembic; print(alembic.__version__)"],
                                 capture_output=True, text=True, timeout=60).stdout.strip()
        unsorted_listing = tuple(int(p) for p in version.split(".")[:2]) < (1, 10)

        def normalised(text):
            lines = []
            for line in text.splitlines():
                if line.startswith("Create Date:"):
                    continue
                if unsorted_listing and line.startswith("Revises: "):
                    line = "Revises: " + ", ".join(sorted(line[9:].split(", ")))
                if unsorted_listing and line.startswith("down_revision = ("):
                    line = "down_revision = " + repr(tuple(sorted(ast.literal_eval(line[16:]))))
                lines.append(line)
            return lines
        self.assertEqual(normalised(new_file.read_text()), normalised(expected.read_text()))

    # -- tests ----------------------------------------------------------------
    def test_quickfix_on_the_multiple_heads_diagnostic(self):
        actions = self.code_actions(self.head_b, self.heads_diagnostics)
        quickfixes = [a for a in actions if a.get("kind") == "quickfix"]
        # The merge first, then the rebase beside it (see test_quick_fixes.RebaseTest).
        self.assertEqual(len(quickfixes), 2, actions)
        self.assertTrue(quickfixes[1]["title"].startswith("Rebase this branch onto c3c3c3c3c3c3"))
        fix = quickfixes[0]
        self.assertEqual(fix["title"], "Merge 2 heads into a new migration")
        self.assertTrue(fix["isPreferred"])
        self.assertEqual(fix["diagnostics"], self.heads_diagnostics)

        create, text_edit = fix["edit"]["documentChanges"]
        self.assertEqual(create["kind"], "create")
        self.assertEqual(create["options"], {"overwrite": False, "ignoreIfExists": False})
        self.assertEqual(text_edit["textDocument"], {"uri": create["uri"], "version": None})
        self.assertEqual(text_edit["edits"][0]["range"], {
            "start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}})
        new_file = Path(uri_to_path(create["uri"]))
        self.assertEqual(new_file.parent, self.versions.resolve())
        self.assertFalse(new_file.exists())
        revision = new_file.name.split("_")[0]
        self.assertRegex(revision, r"^[0-9a-f]{12}$")
        self.assertEqual(new_file.name, f"{revision}_merge_heads.py")
        content = text_edit["edits"][0]["newText"]
        self.assertIn("down_revision = ('b2b2b2b2b2b2', 'c3c3c3c3c3c3')", content)
        self.assertIn("Revises: b2b2b2b2b2b2, c3c3c3c3c3c3", content)

        self.assertEqual(apply_workspace_edit(fix["edit"]), {"applied": True})
        self.tell_created(new_file)
        self.assert_merged(new_file, revision)
        self.assert_same_as_alembic_merge(new_file, revision)
        # One head now: nothing more to offer.
        self.assertEqual(self.code_actions(self.head_b, only=["source"]), [])

    def test_source_action_anywhere_and_only_filtering(self):
        actions = self.code_actions(self.versions / "a1a1a1a1a1a1_initial.py", only=["source"])
        self.assertEqual([a["kind"] for a in actions], ["source.alembic.mergeHeads"])
        self.assertIn("documentChanges", actions[0]["edit"])
        self.assertNotIn("isPreferred", actions[0])
        self.assertEqual(self.code_actions(self.head_b, only=["quickfix"]), [])
        self.assertEqual(self.code_actions(self.head_b, self.heads_diagnostics, only=["refactor"]), [])
        kinds = [a["kind"] for a in self.code_actions(self.head_b, self.heads_diagnostics)]
        self.assertEqual(kinds, ["quickfix", "quickfix", "source.alembic.mergeHeads"])

    def test_each_action_names_a_fresh_file(self):
        first = self.code_actions(self.head_b, only=["source"])[0]
        self.assertEqual(apply_workspace_edit(first["edit"]), {"applied": True})
        created = Path(uri_to_path(first["edit"]["documentChanges"][0]["uri"]))
        # Not yet told: the server still sees two heads, yet must not reuse the name.
        second = self.code_actions(self.head_b, only=["source"])[0]
        self.assertNotEqual(second["edit"]["documentChanges"][0]["uri"], path_to_uri(created))


def capabilities_without_create():
    caps = copy.deepcopy(CLIENT_CAPABILITIES)
    caps["workspace"]["workspaceEdit"]["resourceOperations"] = []
    return caps


class MergeCommandTest(MergeActionTest):
    """A client that edits documents but cannot create files gets the command; the server
    reserves the file name and asks the client to fill it through workspace/applyEdit."""

    capabilities = capabilities_without_create()

    def test_quickfix_on_the_multiple_heads_diagnostic(self):
        actions = self.code_actions(self.head_b, self.heads_diagnostics)
        fix = [a for a in actions if a.get("kind") == "quickfix"][0]
        self.assertNotIn("edit", fix)
        self.assertEqual(fix["command"]["command"], "alembic.mergeHeads")
        self.assertEqual(fix["command"]["arguments"], [{"uri": path_to_uri(self.head_b)}])

        applied = []

        def on_apply(edit):
            applied.append(edit)
            return apply_workspace_edit(edit)
        self.client.apply_edit_handler = on_apply
        result = self.client.request("workspace/executeCommand", {
            "command": fix["command"]["command"], "arguments": fix["command"]["arguments"]})
        new_file = Path(local_path(result["path"]))
        self.assertEqual(result["appliedBy"], "client")
        self.assertEqual(result["parents"], ["b2b2b2b2b2b2", "c3c3c3c3c3c3"])
        # The applyEdit request came before the reply, so it has been answered already.
        self.assertEqual(len(applied), 1)
        self.assertNotIn("kind", applied[0]["documentChanges"][0])  # no CreateFile
        self.assertIn(f"revision = '{result['revision']}'", new_file.read_text())
        self.tell_created(new_file)
        self.assert_merged(new_file, result["revision"])

    def test_source_action_anywhere_and_only_filtering(self):
        actions = self.code_actions(self.head_c, only=["source"])
        self.assertEqual(actions[0]["kind"], "source.alembic.mergeHeads")
        self.assertEqual(actions[0]["command"]["command"], "alembic.mergeHeads")

    def test_refused_edit_leaves_no_file(self):
        self.client.apply_edit_handler = lambda edit: {"applied": False, "failureReason": "no"}
        result = self.client.request("workspace/executeCommand", {
            "command": "alembic.mergeHeads", "arguments": [{"uri": path_to_uri(self.head_b)}]})
        self.client.wait_for(lambda n: n["method"] == "window/showMessage", what="showMessage")
        self.assertFalse(Path(local_path(result["path"])).exists())

    test_each_action_names_a_fresh_file = None


class MergeWithoutApplyEditTest(unittest.TestCase):
    """A client that cannot apply edits at all: the server writes the file itself."""

    def test_server_writes_the_file(self):
        tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-merge-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        root = tmp / "proj"
        versions = write_project(root)
        head_b = versions / "b2b2b2b2b2b2_add_users.py"
        client = LspClient()
        self.addCleanup(client.kill)
        caps = capabilities_without_create()
        caps["workspace"]["applyEdit"] = False
        del caps["textDocument"]["codeAction"]["codeActionLiteralSupport"]
        client.initialize(root, capabilities=caps)
        client.wait_diagnostics(head_b, has_multiple_heads)

        # No CodeAction literals: plain Command objects.
        commands = client.request("textDocument/codeAction", {
            "textDocument": {"uri": path_to_uri(head_b)},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []}})
        self.assertEqual(len(commands), 1)
        self.assertEqual(commands[0]["command"], "alembic.mergeHeads")

        result = client.request("workspace/executeCommand", {
            "command": "alembic.mergeHeads", "arguments": commands[0]["arguments"]})
        self.assertEqual(result["appliedBy"], "server")
        new_file = Path(local_path(result["path"]))
        self.assertTrue(new_file.exists())
        self.assertEqual(new_file.parent, versions.resolve())
        self.assertIn(f"revision = '{result['revision']}'", new_file.read_text())
        self.assertEqual([p.name for p in versions.iterdir() if p.name.startswith(".")], [])
        # The server knows at once: no watcher event needed.
        client.wait_diagnostics(head_b, lambda ds: not has_multiple_heads(ds))

    def test_unknown_command_is_invalid(self):
        tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-merge-"))
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        write_project(tmp / "proj")
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(tmp / "proj")
        from lsp_client import LspError
        with self.assertRaises(LspError) as ctx:
            client.request("workspace/executeCommand", {"command": "alembic.nope", "arguments": []})
        self.assertEqual(ctx.exception.code, -32602)


if __name__ == "__main__":
    unittest.main()
