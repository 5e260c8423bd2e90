"""Paths, file names and arguments that are not ASCII, end to end.

A project made by the real `alembic init` in a directory named "projé Łódź 😀" (Latin-1,
Latin Extended and a character outside the BMP, which UTF-16 writes as two units), with
migrations that the real `alembic revision` wrote from non-ASCII messages: their file names
carry the message ("..._première_étape.py"). The CLI is given that path and that message
on its command line; the LSP client names the files by URIs that percent-encode them.

scripts/test-windows.sh runs this module against alembic-lsp.exe under wine, where nothing
of it is free: std::filesystem reads a std::string as the C locale's bytes and `main` gets
its arguments in the ANSI code page (platform/path_text.h, platform::arguments). On Linux
it guards the same answers."""

import json
import re
import shutil
import tempfile
import unittest
from pathlib import Path

from cli_support import alembic, native, posix_paths, require_alembic, run
from lsp_client import LspClient, path_to_uri, position_of, uri_to_path

DIRECTORY = "projé Łódź 😀"
MESSAGE = "Ünïcode Łódź 😀 ok"
HEAD_LINE = re.compile(r"^([0-9a-f]{12}) \(head\)$", re.M)


def heads_of(text):
    return sorted(HEAD_LINE.findall(text))


class NonAsciiProjectTest(unittest.TestCase):
    """Each test gets a fresh project: alembic init + two revisions from non-ASCII messages
    on two branches (two heads)."""

    @classmethod
    def setUpClass(cls):
        require_alembic(cls)

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-ascii-")).resolve()
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / DIRECTORY
        self.root.mkdir()
        self.alembic("init", "migrations")
        self.first = self.new_revision("première étape")
        self.second = self.new_revision("zweite Änderung", "--head", "base")
        self.versions = self.root / "migrations" / "versions"

    def alembic(self, *args):
        r = alembic(list(args), cwd=self.root)
        self.assertEqual(r.returncode, 0, f"alembic {' '.join(args)}: {r.stderr}")
        return r.stdout

    def new_revision(self, message, *extra):
        """The path of the migration the real `alembic revision -m MESSAGE` wrote."""
        out = self.alembic("revision", "-m", message, *extra)
        match = re.search(r"Generating (.*\.py)", out)
        self.assertIsNotNone(match, out)
        path = Path(match.group(1).strip())
        self.assertTrue(path.is_file(), path)
        # The file name keeps the message's letters: the test is about such names.
        self.assertRegex(path.name, r"[^\x00-\x7f]")
        return path

    def test_check_reports_the_files_by_their_names(self):
        r = run(["check", str(self.root), "--no-history", "--format", "json"], cwd=self.tmp)
        self.assertEqual(r.returncode, 1, r.stderr)
        [env] = json.loads(r.stdout)["environments"]
        self.assertEqual(sorted(env["heads"]), heads_of(self.alembic("heads")))
        heads = [d for d in env["diagnostics"] if d["code"] == "multiple-heads"]
        self.assertEqual(len(heads), 2, env["diagnostics"])
        # Each names the file of its head, relative to the working directory, with its line.
        named = {Path(posix_paths(d["path"])) for d in heads}
        self.assertEqual(named, {self.first.relative_to(self.tmp),
                                 self.second.relative_to(self.tmp)})
        for d in env["diagnostics"]:
            self.assertTrue((self.tmp / posix_paths(d["path"])).is_file(), d)
        # The text report: "projé Łódź 😀/migrations/versions/..._zweite_änderung.py:LINE:..."
        r = run(["check", DIRECTORY, "--no-history"], cwd=self.tmp)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(native(f"{DIRECTORY}/migrations/versions/"), r.stdout)
        self.assertTrue(self.first.name in r.stdout or self.second.name in r.stdout, r.stdout)

    def test_heads_equal_alembic(self):
        expected = heads_of(self.alembic("heads"))
        self.assertEqual(len(expected), 2)
        r = run(["heads", str(self.root)], cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(heads_of(r.stdout), expected)

    def test_revision_with_a_non_ascii_message_equals_alembic(self):
        # Alembic writes one in a copy; alembic-lsp writes the same message here.
        twin = self.tmp / "twin"
        shutil.copytree(self.root, twin)
        r = alembic(["revision", "-m", MESSAGE, "--head", heads_of(self.alembic("heads"))[0]],
                    cwd=twin)
        self.assertEqual(r.returncode, 0, r.stderr)
        theirs = Path(re.search(r"Generating (.*\.py)", r.stdout).group(1).strip())
        head = heads_of(self.alembic("heads"))[0]
        r = run(["revision", str(self.root), "-m", MESSAGE, "--head", head], cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        ours = Path(posix_paths(r.stdout.strip().splitlines()[-1]))
        ours = ours if ours.is_absolute() else self.tmp / ours
        self.assertTrue(ours.is_file(), (r.stdout, sorted(p.name for p in self.versions.iterdir())))
        their_rev, our_rev = theirs.name.split("_")[0], ours.name.split("_")[0]
        self.assertEqual(ours.name.replace(our_rev, "<REV>"), theirs.name.replace(their_rev, "<REV>"))
        text = ours.read_bytes().decode("utf-8")  # UTF-8, as Python reads it
        self.assertIn(MESSAGE, text)
        # The real Alembic reads the new file: its head replaced the one it built on.
        after = heads_of(self.alembic("heads"))
        self.assertIn(our_rev, after)
        self.assertNotIn(head, after)

    def test_merge_then_alembic_sees_one_head(self):
        r = run(["merge", str(self.root), "-m", "fusionné"], cwd=self.tmp)
        self.assertEqual(r.returncode, 0, r.stderr)
        written = Path(posix_paths(r.stdout.strip().splitlines()[-1]))
        written = written if written.is_absolute() else self.tmp / written
        self.assertTrue(written.is_file(), r.stdout)
        self.assertIn("fusionné", written.read_text(encoding="utf-8"))
        self.assertEqual(len(heads_of(self.alembic("heads"))), 1)

    def test_server_publishes_and_navigates_by_these_uris(self):
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(self.root)
        # The second migration (a new root) is a head: the multiple-heads warning is on it.
        text = client.open(self.second)
        diagnostics = client.wait_diagnostics(
            self.second, lambda d: any(x.get("code") == "multiple-heads" for x in d), timeout=60)
        self.assertTrue(diagnostics)
        # A third revision on the first: its down_revision leads to the first's file.
        third = self.new_revision("drittes Stück", "--head", self.first.name.split("_")[0])
        text = client.open(third)
        rev = self.first.name.split("_")[0]
        at = position_of(text, f"down_revision = '{rev}'", 0, len("down_revision = '") + 2)
        result = client.request("textDocument/definition", {
            "textDocument": {"uri": path_to_uri(third)}, "position": at})
        self.assertTrue(result, "no definition")
        target = result[0].get("targetUri") or result[0].get("uri")
        self.assertEqual(target, path_to_uri(self.first))
        self.assertEqual(Path(uri_to_path(target)).resolve(), self.first.resolve())
        client.shutdown()

    def test_log_file_under_a_non_ascii_directory(self):
        log = self.tmp / "journal é 😀" / "server.log"
        client = LspClient(["serve", "--log-file", str(log), "--log-level", "info"])
        self.addCleanup(client.kill)
        client.initialize(self.root)
        client.shutdown()
        self.assertEqual(sorted(p.name for p in self.tmp.iterdir()),
                         sorted(["journal é 😀", DIRECTORY]))
        self.assertIn("[info]", log.read_text(encoding="utf-8"))


if __name__ == "__main__":
    unittest.main()
