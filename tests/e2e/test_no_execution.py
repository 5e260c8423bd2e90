"""Reading a project never runs its code, and writing a merge touches exactly one new
file, inside the version location, never over an existing one.

Every migration, env.py, script.py.mako and post-write hook below would leave a marker
file if Python, Mako or Alembic ran it; after the CLI commands and an editor session
none exists. A control run of the same migration with python3 shows that the markers
are real."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from cli_support import NO_GIT, NO_GIT_UNDER_WINE
from lsp_client import (BINARY, CLIENT_CAPABILITIES, WINDOWS_URIS, LspClient, LspError, local_path,
                        path_to_uri)

# Under wine (scripts/test-windows.sh) the POSIX symlinks these tests make are shown to the
# .exe as the files and directories they point to (no reparse points), so it cannot tell a
# link from a file there; Windows's own links are not what they test.
POSIX_LINKS = ("POSIX symlinks: wine shows them to alembic-lsp.exe as plain files and directories, "
               "not as Windows links")

SIDE_EFFECT = """\
import os, pathlib, subprocess
pathlib.Path({marker!r}).write_text("imported")
os.system("touch " + {marker!r} + ".system")
"""


def hostile_migration(rev, down, marker):
    return (f'"""{rev}\n\nRevision ID: {rev}\nRevises: {down or ""}\n"""\n'
            + SIDE_EFFECT.format(marker=marker)
            + f"revision = {rev!r}\ndown_revision = {down!r}\n"
            f"branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n"
            f"    open({marker + '.upgrade'!r}, 'w').close()\n\n\ndef downgrade():\n    pass\n")


# A template whose every construct would run code in Mako; Alembic's default is used instead.
HOSTILE_MAKO = """\
<%
    import os
    os.system("touch {marker}")
%>
${{__import__('os').system('touch {marker}.expr')}}
<%! import os; os.system("touch {marker}.module") %>
revision = ${{repr(up_revision)}}
down_revision = ${{repr(down_revision)}}
"""


def tree(root):
    """Every path under root (links not followed): files and links with size, mtime and
    link target; directories by name only."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            if p.is_symlink():
                out[str(p.relative_to(root))] = ("link", os.readlink(p))
            elif p.is_dir():
                out[str(p.relative_to(root))] = ("dir",)
            else:
                out[str(p.relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


class NoExecutionTest(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-noexec-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.markers = self.tmp / "markers"
        self.markers.mkdir()
        self.root = self.tmp / "proj"
        self.versions = self.root / "migrations" / "versions"
        self.versions.mkdir(parents=True)
        m = str(self.markers)
        (self.root / "alembic.ini").write_text(
            "[alembic]\nscript_location = migrations\nprepend_sys_path = .\n\n"
            "[post_write_hooks]\nhooks = evil\nevil.type = exec\nevil.executable = /bin/sh\n"
            f"evil.options = -c 'touch {m}/hook'\n")
        (self.root / "migrations" / "env.py").write_text(SIDE_EFFECT.format(marker=f"{m}/env"))
        (self.root / "migrations" / "script.py.mako").write_text(HOSTILE_MAKO.format(marker=f"{m}/mako"))
        (self.root / "migrations" / "__init__.py").write_text(SIDE_EFFECT.format(marker=f"{m}/package"))
        (self.versions / "__init__.py").write_text(SIDE_EFFECT.format(marker=f"{m}/versions_package"))
        (self.root / "conftest.py").write_text(SIDE_EFFECT.format(marker=f"{m}/conftest"))
        (self.root / "sitecustomize.py").write_text(SIDE_EFFECT.format(marker=f"{m}/sitecustomize"))
        for rev, down in (("a1a1a1a1a1a1", None), ("b2b2b2b2b2b2", "a1a1a1a1a1a1"), ("c3c3c3c3c3c3", "a1a1a1a1a1a1")):
            (self.versions / f"{rev}_step.py").write_text(hostile_migration(rev, down, f"{m}/{rev}"))

    def assert_nothing_ran(self):
        self.assertEqual(sorted(p.name for p in self.markers.iterdir()), [])
        caches = [str(p) for p in self.root.rglob("__pycache__")] + [str(p) for p in self.root.rglob("*.pyc")]
        self.assertEqual(caches, [])

    def run_cli(self, *args, cwd=None, ok=(0, 1)):
        run = subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=120,
                             cwd=cwd or self.root, env={**os.environ, "PYTHONPATH": str(self.root)})
        self.assertIn(run.returncode, ok, f"{args}: {run.stderr}")
        self.assertNotIn("Sanitizer", run.stderr)
        return run

    def test_cli_commands_run_nothing(self):
        for fmt in ("text", "json", "github", "sarif"):
            self.run_cli("check", "--format", fmt, str(self.root))
        self.run_cli("heads", str(self.root))
        self.run_cli("branches", str(self.root))
        self.run_cli("graph", str(self.root))
        before = set(tree(self.root))
        merge = self.run_cli("merge", str(self.root), "-m", "merge heads", ok=(0,))
        self.assertIn("default template", merge.stderr)  # the hostile template was not used
        new = set(tree(self.root)) - before
        self.assertEqual(len(new), 1, new)
        written = (self.root / new.pop()).read_text()
        self.assertIn("('b2b2b2b2b2b2', 'c3c3c3c3c3c3')", written)
        self.run_cli("check", str(self.root), ok=(0,))  # one head again
        self.assert_nothing_ran()

    @unittest.skipIf(NO_GIT, NO_GIT_UNDER_WINE)  # without git there is no repository to run
    def test_check_against_a_git_base_runs_no_repository_hook(self):
        self.assertIsNotNone(shutil.which("git"), "git is needed: apt-get install git")
        m = self.markers
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
        subprocess.run(git + ["init", "-q", str(self.root)], check=True)
        subprocess.run(git + ["-C", str(self.root), "add", "-A"], check=True)
        subprocess.run(git + ["-C", str(self.root), "commit", "-qm", "init", "--no-verify"], check=True)
        hook = self.tmp / "hook.sh"
        hook.write_text(f"#!/bin/sh\ntouch {m}/git-hook\n")
        hook.chmod(0o755)
        for key, value in (("core.fsmonitor", str(hook)), ("core.hooksPath", str(self.tmp)),
                           ("diff.external", str(hook)), ("core.pager", str(hook)),
                           ("filter.evil.smudge", str(hook)), ("filter.evil.clean", str(hook))):
            subprocess.run(["git", "-C", str(self.root), "config", key, value], check=True)
        (self.root / ".gitattributes").write_text("*.py filter=evil diff=evil\n")
        for name in ("post-checkout", "pre-commit", "fsmonitor-watchman", "reference-transaction"):
            (self.tmp / name).write_text(f"#!/bin/sh\ntouch {m}/{name}\n")
            (self.tmp / name).chmod(0o755)
        (self.versions / "d4d4d4d4d4d4_more.py").write_text(
            hostile_migration("d4d4d4d4d4d4", "b2b2b2b2b2b2", f"{m}/d4"))
        self.run_cli("check", "--base", "HEAD", str(self.root))
        self.run_cli("check", "--base", "HEAD", "--format", "json", str(self.root))
        self.assertEqual(sorted(p.name for p in m.iterdir()), [])

    def test_an_editor_session_runs_nothing(self):
        client = LspClient(cwd=self.root, env={**os.environ, "PYTHONPATH": str(self.root)})
        self.addCleanup(client.kill)
        caps = json.loads(json.dumps(CLIENT_CAPABILITIES))
        caps["workspace"]["applyEdit"] = False  # the server writes the merge itself
        caps["workspace"]["workspaceEdit"]["resourceOperations"] = []
        client.initialize(self.root, capabilities=caps)
        head = self.versions / "b2b2b2b2b2b2_step.py"
        client.wait_diagnostics(head, lambda d: any(x["code"] == "multiple-heads" for x in d), timeout=60)
        text = client.open(head)
        uri = path_to_uri(head)
        line = text.split("\n").index("down_revision = 'a1a1a1a1a1a1'")
        pos = {"line": line, "character": 20}
        client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": pos})
        client.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": pos})
        client.request("textDocument/references", {"textDocument": {"uri": uri}, "position": pos,
                                                   "context": {"includeDeclaration": True}})
        for name in ("env.py", "script.py.mako", "__init__.py"):
            path = self.root / "migrations" / name
            client.open(path)
            client.request("textDocument/hover", {"textDocument": {"uri": path_to_uri(path)},
                                                  "position": {"line": 1, "character": 3}})
        client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": path_to_uri(self.root / "migrations" / "env.py"), "type": 2},
            {"uri": path_to_uri(self.root / "alembic.ini"), "type": 2}]})
        client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        result = client.request("workspace/executeCommand", {
            "command": "alembic.mergeHeads", "arguments": [{"uri": uri}]}, timeout=60)
        self.assertEqual(result["appliedBy"], "server")
        self.assertEqual(Path(local_path(result["path"])).parent, self.versions.resolve())
        client.request("alembic/graph", {})
        self.assertEqual(client.shutdown(), 0)
        self.assert_nothing_ran()

    def test_control_the_markers_are_real(self):
        """Runs one migration and the env.py with python3, as Alembic would import them."""
        self.assert_nothing_ran()
        subprocess.run([sys.executable, str(self.versions / "a1a1a1a1a1a1_step.py")], check=True,
                       timeout=60, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        subprocess.run([sys.executable, str(self.root / "migrations" / "env.py")], check=True,
                       timeout=60, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
        self.assertEqual(sorted(p.name for p in self.markers.iterdir()),
                         ["a1a1a1a1a1a1", "a1a1a1a1a1a1.system", "env", "env.system"])


# ---- Writing a merge --------------------------------------------------------------------

def plain_migration(rev, down):
    return f"revision = {rev!r}\ndown_revision = {down!r}\n"


class SafeWritesTest(unittest.TestCase):
    """`alembic-lsp merge` and alembic.mergeHeads never overwrite and never write outside
    the version location, whatever the configuration asks for."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-writes-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.versions = self.root / "migrations" / "versions"
        self.versions.mkdir(parents=True)
        self.outside = self.tmp / "outside"
        self.outside.mkdir()
        for rev, down in (("a1", None), ("b2", "a1"), ("c3", "a1")):
            (self.versions / f"{rev}_step.py").write_text(plain_migration(rev, down))

    def config(self, extra=""):
        (self.root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n" + extra)

    def merge(self, *args):
        return subprocess.run([BINARY, "merge", str(self.root), *args], capture_output=True, text=True,
                              timeout=120)

    def assert_only_change(self, before, allowed=()):
        """The whole temporary tree is as before, except the `allowed` new paths."""
        after = tree(self.tmp)
        self.assertEqual({k: v for k, v in after.items() if k not in allowed}, before)

    def test_existing_file_is_never_overwritten(self):
        self.config()
        precious = self.versions / "ffff00000001_merge.py"
        precious.write_text("# precious, not a migration\n")
        before = tree(self.tmp)
        run = self.merge("--rev-id", "ffff00000001", "-m", "merge")
        self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
        self.assertIn("overwrite", run.stderr)
        self.assert_only_change(before)
        self.assertEqual(precious.read_text(), "# precious, not a migration\n")

    @unittest.skipIf(WINDOWS_URIS, POSIX_LINKS)
    def test_dangling_link_at_the_target_is_not_followed(self):
        self.config()
        target = self.outside / "created_through_link.py"
        os.symlink(target, self.versions / "ffff00000002_merge.py")
        before = tree(self.tmp)
        run = self.merge("--rev-id", "ffff00000002", "-m", "merge")
        self.assertNotEqual(run.returncode, 0, run.stdout)
        self.assertFalse(target.exists())
        self.assert_only_change(before)

    def test_templates_and_ids_that_point_outside_are_refused(self):
        cases = [
            ("file_template = ../../escaped_%%(rev)s\n", ()),
            (f"file_template = {self.outside}/absolute_%%(rev)s\n", ()),
            ("file_template = %%(rev)s/../../../escaped_%%(slug)s\n", ()),
            ("", ("--rev-id", "../../escaped")),
            ("", ("--rev-id", f"..{os.sep}..{os.sep}..{os.sep}outside{os.sep}x")),
            ("recursive_version_locations = true\nfile_template = ../%%(rev)s\n", ()),
        ]
        for extra, args in cases:
            with self.subTest(config=extra, args=args):
                self.config(extra)
                before = tree(self.tmp)
                run = self.merge("-m", "escape", *args)
                self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
                self.assert_only_change(before)

    @unittest.skipIf(WINDOWS_URIS, POSIX_LINKS)
    def test_subdirectory_link_leading_outside_is_not_written_through(self):
        # Alembic's os.walk does not follow links either, so such a file would not even load.
        self.config("recursive_version_locations = true\nfile_template = sub/%%(rev)s_%%(slug)s\n")
        os.symlink(self.outside, self.versions / "sub")
        before = tree(self.tmp)
        run = self.merge("--rev-id", "ffff00000003", "-m", "merge")
        self.assertEqual(sorted(os.listdir(self.outside)), [], run.stdout + run.stderr)
        if run.returncode == 0:  # written somewhere else inside the version location
            written = Path(run.stdout.strip())
            written = written if written.is_absolute() else self.root / written
            self.assertTrue(str(written.resolve()).startswith(str(self.versions.resolve()) + os.sep))
        else:
            self.assert_only_change(before)

    def test_a_successful_merge_adds_exactly_one_file(self):
        self.config()
        before = tree(self.tmp)
        run = self.merge("--rev-id", "ffff00000004", "-m", "merge")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assert_only_change(before, allowed={"proj/migrations/versions/ffff00000004_merge.py"})
        self.assertEqual(tree(self.tmp).keys() - before.keys(), {"proj/migrations/versions/ffff00000004_merge.py"})

    # -- the server, for a client that cannot apply edits ------------------------------------
    def server_merge(self):
        client = LspClient()
        self.addCleanup(client.kill)
        caps = json.loads(json.dumps(CLIENT_CAPABILITIES))
        caps["workspace"]["applyEdit"] = False
        caps["workspace"]["workspaceEdit"]["resourceOperations"] = []
        client.initialize(self.root, capabilities=caps)
        head = self.versions / "b2_step.py"
        client.wait_diagnostics(head, lambda d: any(x["code"] == "multiple-heads" for x in d), timeout=60)
        try:
            return client, client.request("workspace/executeCommand", {
                "command": "alembic.mergeHeads", "arguments": [{"uri": path_to_uri(head)}]}, timeout=60)
        except LspError as e:
            return client, e

    def test_server_never_overwrites(self):
        # A file_template without %(rev)s names the same file every time.
        self.config("file_template = merge_fixed\n")
        fixed = self.versions / "merge_fixed.py"
        for kind in ("file",) + (() if WINDOWS_URIS else ("dangling link",)):  # POSIX_LINKS
            with self.subTest(kind=kind):
                if kind == "file":
                    fixed.write_text("# precious\n")
                else:
                    fixed.unlink()
                    os.symlink(self.outside / "through_link.py", fixed)
                before = tree(self.tmp)
                client, result = self.server_merge()
                self.assertIsInstance(result, LspError, result)
                self.assertEqual(result.code, -32803)
                self.assert_only_change(before)
                self.assertEqual(client.shutdown(), 0)
        self.assertEqual(os.listdir(self.outside), [])

    def test_server_refuses_to_write_outside(self):
        for extra in ("file_template = ../../escaped_%%(rev)s\n",
                      f"file_template = {self.outside}/absolute_%%(rev)s\n"):
            with self.subTest(config=extra):
                self.config(extra)
                before = tree(self.tmp)
                client, result = self.server_merge()
                self.assertIsInstance(result, LspError, result)
                self.assertIn("outside", str(result))
                self.assert_only_change(before)
                self.assertEqual(client.shutdown(), 0)

    @unittest.skipIf(WINDOWS_URIS, POSIX_LINKS)
    def test_server_does_not_write_through_a_linked_subdirectory(self):
        self.config("recursive_version_locations = true\nfile_template = sub/%%(rev)s_%%(slug)s\n")
        os.symlink(self.outside, self.versions / "sub")
        client, result = self.server_merge()
        self.assertEqual(sorted(os.listdir(self.outside)), [], result)
        self.assertEqual(client.shutdown(), 0)


if __name__ == "__main__":
    unittest.main()
