"""Edits that change nothing the analysis reads publish nothing; edits that move or change
what it reads publish exactly the new state."""
import unittest

from lsp_client import ServerTestCase, local_path, path_to_uri, position_of


class IncrementalEditTest(ServerTestCase):
    example = "clean"

    def setUp(self):
        super().setUp()
        self.client.initialize(self.root)
        self.client.wait_for(lambda n: n["method"] == "window/logMessage"
                             and "indexed" in n["params"]["message"], what="indexing")
        self.versions = self.root / "migrations" / "versions"
        self.head = self.head_file()
        self.text = self.client.open(self.head)
        self.version = 1
        self.sync()

    def head_file(self):
        graph = self.client.request("alembic/graph", {})
        [env] = graph["environments"]
        [head] = [r for r in env["revisions"] if r["is_head"]]
        return local_path(head["path"])

    def sync(self):
        """Every notification caused by earlier messages has arrived after this returns."""
        self.client.request("alembic/graph", {})

    def change(self, start, end, text):
        self.version += 1
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(self.head), "version": self.version},
            "contentChanges": [{"range": {"start": start, "end": end}, "text": text}]})

    def published(self):
        return [n for n in self.client.notifications
                if n["method"] == "textDocument/publishDiagnostics"]

    def type_after_def_upgrade(self, text):
        """Types `text` key by key at the end of the `def upgrade()` line."""
        at = position_of(self.text, "def upgrade()")
        body = {"line": at["line"], "character": len(self.text.splitlines()[at["line"]])}
        for ch in text:
            self.change(body, body, ch)
            body = ({"line": body["line"] + 1, "character": 0} if ch == "\n"
                    else {"line": body["line"], "character": body["character"] + 1})
        return body

    def test_typing_in_upgrade_publishes_nothing(self):
        self.client.clear_notifications()
        self.type_after_def_upgrade("\n    x = 1  # typing (a comment's ')' and \"\n")
        self.sync()
        self.assertEqual(self.published(), [])

    def test_an_unclosed_bracket_in_upgrade_is_published_until_it_is_closed(self):
        self.client.clear_notifications()
        end = self.type_after_def_upgrade("\n    op.execute(sa.text('SELECT 1')")
        got = self.client.wait_diagnostics(self.head, lambda d: d)
        self.assertEqual([d["code"] for d in got], ["syntax-error"], got)
        self.assertIn("'(' was never closed", got[0]["message"])
        opener = position_of(self.text, "def upgrade()")["line"] + 1
        self.assertEqual(got[0]["range"]["start"], {"line": opener, "character": len("    op.execute")})
        self.client.clear_notifications()
        self.change(end, end, ")")
        self.client.wait_diagnostics(self.head, lambda d: d == [])

    def test_a_second_head_is_published_and_its_removal_clears_it(self):
        at = position_of(self.text, "down_revision")
        line_end = {"line": at["line"], "character": len(self.text.splitlines()[at["line"]])}
        self.client.clear_notifications()
        # Point the head at the base: its old parent becomes a second head.
        self.change(at, line_end, "down_revision = None  # detached")
        got = self.client.wait_diagnostics(self.head, lambda d: d)
        self.assertTrue({"unexpected-base", "multiple-heads"} & {d["code"] for d in got}, got)
        self.client.clear_notifications()
        self.change(at, {"line": at["line"], "character": len("down_revision = None  # detached")},
                    self.text.splitlines()[at["line"]])
        self.client.wait_diagnostics(self.head, lambda d: d == [])

    def test_an_edit_that_changes_no_finding_publishes_nothing(self):
        # Two files with diagnostics (the detached head's unexpected-base / multiple-heads).
        at = position_of(self.text, "down_revision")
        line_end = {"line": at["line"], "character": len(self.text.splitlines()[at["line"]])}
        self.change(at, line_end, "down_revision = None  # detached")
        self.client.wait_diagnostics(self.head, lambda d: d)
        self.sync()
        self.client.clear_notifications()
        # The docstring's message is read by the analysis (the graph is redone) but changes
        # no finding, in this file or any other: nothing is sent again.
        first = self.text.splitlines()[0]
        self.change({"line": 0, "character": 0}, {"line": 0, "character": len(first)},
                    first + " (renamed)")
        self.sync()
        self.assertEqual(self.published(), [])

    def test_lines_inserted_above_move_the_diagnostics(self):
        # A stale header gives a diagnostic on the docstring's Revision ID line.
        rid = position_of(self.text, "Revision ID: ")
        rid_end = {"line": rid["line"], "character": len(self.text.splitlines()[rid["line"]])}
        self.change(rid, rid_end, "Revision ID: deadbeef0000")
        first = self.client.wait_diagnostics(self.head, lambda d: d)
        line = first[0]["range"]["start"]["line"]
        self.client.clear_notifications()
        top = {"line": 0, "character": 0}
        self.change(top, top, "# one\n# two\n")
        moved = self.client.wait_diagnostics(self.head, lambda d: d)
        self.assertEqual(moved[0]["range"]["start"]["line"], line + 2)
        self.assertEqual(moved[0]["code"], first[0]["code"])


if __name__ == "__main__":
    unittest.main()
