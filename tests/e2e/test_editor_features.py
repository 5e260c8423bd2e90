"""Everyday editor features against the real binary over stdio: completion, document and
workspace symbols, code lens (and its alembic.showRevisions command), inlay hints, the
type hierarchy and pull diagnostics. Small projects are written by the tests; the
examples are used through private copies."""

import copy
import shutil
import tempfile
import unittest
from pathlib import Path

from lsp_client import (CLIENT_CAPABILITIES, LspClient, LspError, copy_example, native,
                        path_to_uri, position_of, uri_to_path)
from test_navigation import ALEMBIC_INI, migration

# A1 (base) ── B2 'add users' (label 'accounts') ── C3 'add orders'     (head)
#          └── D4 'add invoices'                                          (head)
# E5 'new feature' is the file being written: down_revision = None (a base, a head).
PROJECT = {
    "a1a1a1a1a1a1_initial.py": migration("a1a1a1a1a1a1", "None", "initial schema"),
    "b2b2b2b2b2b2_add_users.py": migration(
        "b2b2b2b2b2b2", "'a1a1a1a1a1a1'", "add users", "a1a1a1a1a1a1",
        "branch_labels = ('accounts',)"),
    "c3c3c3c3c3c3_add_orders.py": migration(
        "c3c3c3c3c3c3", "'b2b2b2b2b2b2'", "add orders", "b2b2b2b2b2b2"),
    "d4d4d4d4d4d4_add_invoices.py": migration(
        "d4d4d4d4d4d4", "'a1a1a1a1a1a1'", "add invoices", "a1a1a1a1a1a1"),
    "e5e5e5e5e5e5_new_feature.py": migration("e5e5e5e5e5e5", "None", "new feature"),
}


class TempProjectCase(unittest.TestCase):
    """A server on a project written from `files` into a temporary directory."""

    files = PROJECT
    capabilities = CLIENT_CAPABILITIES
    init_options = None

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-features-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.versions = self.root / "migrations" / "versions"
        self.versions.mkdir(parents=True)
        (self.root / "alembic.ini").write_text(ALEMBIC_INI)
        for name, text in self.files.items():
            (self.versions / name).write_text(text)
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.init_result = self.client.initialize(self.root, self.capabilities, self.init_options)
        self.wait_indexed()

    def wait_indexed(self):
        # Requests sent after this log line are answered from the installed index.
        self.client.wait_for(lambda n: n["method"] == "window/logMessage"
                             and "indexed" in n["params"]["message"], what="index")

    def file(self, name):
        return self.versions / name

    def uri(self, name):
        return path_to_uri(self.file(name))


class ExampleCase(unittest.TestCase):
    example = "clean"
    capabilities = CLIENT_CAPABILITIES

    def setUp(self):
        self.tmp, self.root = copy_example(self.example)
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.versions = self.root / "migrations" / "versions"
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.client.initialize(self.root, self.capabilities)
        # Requests sent after this log line are answered from the installed index.
        self.client.wait_for(lambda n: n["method"] == "window/logMessage"
                             and "indexed" in n["params"]["message"], what="index")

    def file(self, name):
        return next(self.versions.glob(name + "*.py"))

    def uri(self, name):
        return path_to_uri(self.file(name))


class CompletionTest(TempProjectCase):
    NAME = "e5e5e5e5e5e5_new_feature.py"

    def complete(self, line, cursor_after, name=None):
        """Opens the file with `down_revision = None` replaced by `line` and completes at
        the end of `cursor_after` (a piece of `line`)."""
        name = name or self.NAME
        text = self.file(name).read_text().replace("down_revision = None", line)
        self.client.open(self.file(name), text)
        position = position_of(text, cursor_after, 0, len(cursor_after))
        return text, self.client.request("textDocument/completion", {
            "textDocument": {"uri": self.uri(name)}, "position": position})

    def labels(self, result):
        return [i["label"] for i in result["items"]]

    def test_heads_first_then_every_other_id(self):
        _, result = self.complete("down_revision = ''", "down_revision = '")
        labels = self.labels(result)
        self.assertEqual(sorted(labels[:2]), ["c3c3c3c3c3c3", "d4d4d4d4d4d4"])
        self.assertEqual(labels[2:], ["a1a1a1a1a1a1", "b2b2b2b2b2b2"])
        self.assertNotIn("e5e5e5e5e5e5", labels)  # never its own parent
        self.assertNotIn("accounts", labels)      # labels are not accepted in down_revision
        # The client sorts by sortText: the same order.
        self.assertEqual([i["label"] for i in sorted(result["items"], key=lambda i: i["sortText"])],
                         labels)
        self.assertTrue(all(i["detail"].startswith("head") for i in result["items"][:2]))

    def test_never_itself_or_what_comes_after_it(self):
        # B2's child C3 (a head) would make a cycle: only D4 and E5 are heads to offer.
        _, result = self.complete("down_revision = ''", "down_revision = '",
                                  name="b2b2b2b2b2b2_add_users.py")
        labels = self.labels(result)
        self.assertEqual(sorted(labels[:2]), ["d4d4d4d4d4d4", "e5e5e5e5e5e5"])
        self.assertEqual(labels[2:], ["a1a1a1a1a1a1"])

    def test_detail_is_the_message_and_documentation_the_file(self):
        _, result = self.complete("down_revision = ''", "down_revision = '")
        item = next(i for i in result["items"] if i["label"] == "b2b2b2b2b2b2")
        self.assertEqual(item["detail"], "add users")
        self.assertEqual(item["documentation"], native("migrations/versions/b2b2b2b2b2b2_add_users.py"))

    def test_prefix_filters_and_the_edit_replaces_the_string_content(self):
        text, result = self.complete("down_revision = 'b2b'", "down_revision = 'b2")
        self.assertEqual(self.labels(result), ["b2b2b2b2b2b2"])
        edit = result["items"][0]["textEdit"]
        self.assertEqual(edit["newText"], "b2b2b2b2b2b2")
        start = position_of(text, "'b2b'", 0, 1)
        self.assertEqual(edit["range"], {"start": start,
                                         "end": {"line": start["line"], "character": start["character"] + 3}})

    def test_message_words_filter(self):
        _, result = self.complete("down_revision = 'orders'", "down_revision = 'orders")
        self.assertEqual(self.labels(result), ["c3c3c3c3c3c3"])
        item = result["items"][0]
        self.assertEqual(item["filterText"], "orders")  # kept by a client filtering on it
        self.assertEqual(item["textEdit"]["newText"], "c3c3c3c3c3c3")
        _, result = self.complete("down_revision = 'add in'", "down_revision = 'add in")
        self.assertEqual(self.labels(result), ["d4d4d4d4d4d4"])
        _, result = self.complete("down_revision = 'nothing'", "down_revision = 'nothing")
        self.assertEqual(self.labels(result), [])

    def test_bare_down_revision_inserts_a_quoted_id(self):
        text, result = self.complete("down_revision = ", "down_revision = ")
        self.assertEqual(len(result["items"]), 4)
        item = next(i for i in result["items"] if i["label"] == "a1a1a1a1a1a1")
        self.assertEqual(item["textEdit"]["newText"], "'a1a1a1a1a1a1'")  # the file's quotes
        at = position_of(text, "down_revision = ", 0, len("down_revision = "))
        self.assertEqual(item["textEdit"]["range"], {"start": at, "end": at})

    def test_none_is_replaced(self):
        text, result = self.complete("down_revision = None", "down_revision = No")
        self.assertEqual(len(result["items"]), 4)
        edit = result["items"][0]["textEdit"]
        start = position_of(text, "None")
        self.assertEqual(edit["range"], {"start": start, "end": {"line": start["line"],
                                                                 "character": start["character"] + 4}})

    def test_bare_word_is_a_prefix(self):
        _, result = self.complete("down_revision = d4", "down_revision = d4")
        self.assertEqual(self.labels(result), ["d4d4d4d4d4d4"])
        self.assertEqual(result["items"][0]["textEdit"]["newText"], "'d4d4d4d4d4d4'")

    def test_second_element_of_a_tuple(self):
        _, result = self.complete("down_revision = ('c3c3c3c3c3c3', 'd')",
                                  "down_revision = ('c3c3c3c3c3c3', 'd")
        self.assertEqual(self.labels(result), ["d4d4d4d4d4d4"])
        # A name the tuple already lists is not offered again; the one being typed is.
        _, result = self.complete("down_revision = ('c3c3c3c3c3c3', '')",
                                  "down_revision = ('c3c3c3c3c3c3', '")
        self.assertEqual(self.labels(result), ["d4d4d4d4d4d4", "a1a1a1a1a1a1", "b2b2b2b2b2b2"])
        _, result = self.complete("down_revision = ('c3c3c3c3c3c3', 'd4d4d4d4d4d4')",
                                  "down_revision = ('c3c3c3c3c3c3', 'd4")
        self.assertEqual(self.labels(result), ["d4d4d4d4d4d4"])

    def test_depends_on_offers_branch_labels_after_ids(self):
        _, result = self.complete("down_revision = None\ndepends_on = ''", "depends_on = '")
        labels = self.labels(result)
        self.assertEqual(labels[-1], "accounts")
        label = result["items"][-1]
        self.assertEqual(label["detail"], "branch label of b2b2b2b2b2b2: add users")
        self.assertEqual(label["kind"], 18)
        self.assertEqual(sorted(labels[:2]), ["c3c3c3c3c3c3", "d4d4d4d4d4d4"])
        _, result = self.complete("down_revision = None\ndepends_on = 'acc'", "depends_on = 'acc")
        self.assertEqual(self.labels(result), ["accounts"])

    def test_no_completion_outside_a_revision_slot(self):
        text = self.file(self.NAME).read_text()
        self.client.open(self.file(self.NAME), text)
        for needle in ("def upgrade", "revision = 'e5", "import op"):
            result = self.client.request("textDocument/completion", {
                "textDocument": {"uri": self.uri(self.NAME)},
                "position": position_of(text, needle, 0, len(needle))})
            self.assertIsNone(result, needle)

    def test_bad_documents(self):
        with self.assertRaises(LspError) as ctx:
            self.client.request("textDocument/completion", {
                "textDocument": {"uri": "untitled:1"}, "position": {"line": 0, "character": 0}})
        self.assertEqual(ctx.exception.code, -32602)
        outside = self.root / "notes.py"
        self.assertIsNone(self.client.request("textDocument/completion", {
            "textDocument": {"uri": path_to_uri(outside)}, "position": {"line": 0, "character": 0}}))
        # A position far past the end is clamped, never a crash.
        self.client.open(self.file(self.NAME))
        self.client.request("textDocument/completion", {
            "textDocument": {"uri": self.uri(self.NAME)}, "position": {"line": 999, "character": 999}})


class TangledCompletionTest(ExampleCase):
    example = "tangled"

    def test_heads_first_and_each_label_once(self):
        # The heads, as the multiple-heads diagnostic lists them.
        path = self.file("7d3e9f1a2b4c")
        [heads] = [d["data"]["revisions"] for d in self.client.wait_diagnostics(
            path, lambda ds: any(d["code"] == "multiple-heads" for d in ds))
            if d["code"] == "multiple-heads"]
        self.assertGreater(len(heads), 5)
        # c4d5e6f7a8b9 (an extra base and head itself) gets a third depends_on.
        merge = self.file("c4d5e6f7a8b9")
        text = merge.read_text().replace("'e6b1c8d2f7a3')", "'e6b1c8d2f7a3', '')")
        self.client.open(merge, text)
        result = self.client.request("textDocument/completion", {
            "textDocument": {"uri": path_to_uri(merge)},
            "position": position_of(text, "'e6b1c8d2f7a3', '", 0, len("'e6b1c8d2f7a3', '"))})
        labels = [i["label"] for i in result["items"]]
        # Neither itself nor the two heads its depends_on already names.
        listed = {"c4d5e6f7a8b9", "7d3e9f1a2b4c", "e6b1c8d2f7a3"}
        self.assertLessEqual(listed, set(heads))
        others = set(heads) - listed
        self.assertEqual(set(labels[:len(others)]), others)
        self.assertFalse(listed & set(labels))
        self.assertEqual(labels.count("billing"), 1)  # declared twice (a conflict), offered once
        self.assertEqual(labels[-1], "billing")
        self.assertEqual(len(labels), len(set(labels)))  # the duplicated 3a7c9e1b5d2f once


def long_history(count):
    """A line of `count` revisions r0000... plus a second head off the first one."""
    files = {}
    for i in range(count):
        rev = f"{i:012x}"
        down = "None" if i == 0 else f"'{i - 1:012x}'"
        files[f"{rev}_step_{i}.py"] = migration(rev, down, f"step {i}")
    files["ffffffffffff_side.py"] = migration("ffffffffffff", "'000000000000'", "side branch")
    return files


class CompletionLimitTest(TempProjectCase):
    files = long_history(260)

    def test_a_long_history_is_cut_after_the_heads(self):
        name = "ffffffffffff_side.py"
        text = self.file(name).read_text().replace("down_revision = '000000000000'",
                                                   "down_revision = ''")
        self.client.open(self.file(name), text)
        result = self.client.request("textDocument/completion", {
            "textDocument": {"uri": self.uri(name)},
            "position": position_of(text, "down_revision = '", 0, len("down_revision = '"))})
        labels = [i["label"] for i in result["items"]]
        self.assertTrue(result["isIncomplete"])
        self.assertEqual(len(labels), 200)
        self.assertEqual(labels[0], "000000000103")  # the one other head
        self.assertEqual(labels[1:4], ["000000000000", "000000000001", "000000000002"])
        # Typing narrows it down again: the head first, then the other ids in order.
        typed = text.replace("down_revision = ''", "down_revision = '00000000010'")
        self.client.open(self.file(name), typed, version=2)
        result = self.client.request("textDocument/completion", {
            "textDocument": {"uri": self.uri(name)},
            "position": position_of(typed, "'00000000010", 0, len("'00000000010"))})
        self.assertEqual([i["label"] for i in result["items"]],
                         ["000000000103", "000000000100", "000000000101", "000000000102"])


class DocumentSymbolTest(ExampleCase):
    example = "tangled"
    capabilities = copy.deepcopy(CLIENT_CAPABILITIES)
    capabilities["textDocument"]["documentSymbol"] = {"hierarchicalDocumentSymbolSupport": True}

    def test_revision_with_its_parents(self):
        path = self.file("8b0d2f4a6c1e")
        result = self.client.request("textDocument/documentSymbol",
                                     {"textDocument": {"uri": path_to_uri(path)}})
        self.assertEqual(len(result), 1)
        symbol = result[0]
        self.assertEqual(symbol["name"], "8b0d2f4a6c1e")
        self.assertEqual(symbol["detail"], "merge currency and pdf path")
        text = path.read_text()
        self.assertEqual(symbol["selectionRange"]["start"], position_of(text, "'8b0d2f4a6c1e'"))
        children = [(c["name"], c["detail"]) for c in symbol["children"]]
        self.assertEqual(children, [("6a8c0e2f4b1d", "down_revision: add currency to accounts"),
                                    ("f0e1d2c3b4a5", "down_revision: add invoice pdf path")])
        for child in symbol["children"]:
            self.assertLessEqual(symbol["range"]["start"]["line"], child["range"]["start"]["line"])
            self.assertGreaterEqual(symbol["range"]["end"]["line"], child["range"]["end"]["line"])

    def test_depends_on_labels_and_missing_parents(self):
        merge = self.client.request("textDocument/documentSymbol",
                                    {"textDocument": {"uri": self.uri("c4d5e6f7a8b9")}})[0]
        self.assertEqual([(c["name"], c["kind"]) for c in merge["children"]],
                         [("7d3e9f1a2b4c", 7), ("e6b1c8d2f7a3", 7)])
        self.assertTrue(merge["children"][0]["detail"].startswith("depends_on: "))
        broken = self.client.request("textDocument/documentSymbol",
                                     {"textDocument": {"uri": self.uri("d8a0c2e4f6b1")}})[0]
        self.assertEqual(broken["children"][0]["detail"], "down_revision (missing)")
        billing = self.client.request("textDocument/documentSymbol",
                                      {"textDocument": {"uri": self.uri("4c6e8a0b2d1f")}})[0]
        self.assertIn(("billing", "branch label"), [(c["name"], c["detail"]) for c in billing["children"]])

    def test_not_a_migration_or_unknown_file_has_none(self):
        for path in (self.versions / "migration_utils.py", self.root / "missing.py"):
            self.assertEqual(self.client.request("textDocument/documentSymbol",
                                                 {"textDocument": {"uri": path_to_uri(path)}}), [])


class FlatDocumentSymbolTest(ExampleCase):
    """A client without hierarchicalDocumentSymbolSupport gets SymbolInformation[]."""

    def test_flat_symbols(self):
        result = self.client.request("textDocument/documentSymbol",
                                     {"textDocument": {"uri": self.uri("47a0e5d3b9c6")}})
        self.assertEqual([(s["name"], s.get("containerName")) for s in result],
                         [("47a0e5d3b9c6", None), ("6d9a1f4e2c85", "47a0e5d3b9c6"),
                          ("e2c7b8046a1d", "47a0e5d3b9c6")])
        self.assertTrue(all(s["location"]["uri"] == self.uri("47a0e5d3b9c6") for s in result))


class WorkspaceSymbolTest(ExampleCase):
    example = "tangled"

    def query(self, q):
        return self.client.request("workspace/symbol", {"query": q})

    def test_by_id_prefix(self):
        result = self.query("8b0d")
        self.assertEqual([s["name"] for s in result], ["8b0d2f4a6c1e merge currency and pdf path"])
        self.assertEqual(uri_to_path(result[0]["location"]["uri"]),
                         str(self.file("8b0d2f4a6c1e").resolve()))
        self.assertEqual(result[0]["location"]["range"]["start"],
                         position_of(self.file("8b0d2f4a6c1e").read_text(), "'8b0d2f4a6c1e'"))

    def test_by_message_words_across_environments(self):
        result = self.query("audit events")
        names = sorted(s["name"].split()[0] for s in result)
        self.assertEqual(names, ["0a1b2c3d4e5f", "8e9f0a1b2c3d"])
        self.assertTrue(all("audit" in s["containerName"] for s in result), result)
        monolith = self.query("refund")
        self.assertEqual(sorted(s["name"].split()[0] for s in monolith),
                         ["3a7c9e1b5d2f", "3a7c9e1b5d2f", "d8a0c2e4f6b1"])  # a duplicated id twice

    def test_id_matches_come_before_message_matches(self):
        # "a" starts some ids and words of several messages ("add ...").
        result = self.query("a")
        kinds = ["id" if s["name"].lower().startswith("a") else "message" for s in result]
        self.assertIn("message", kinds)
        self.assertEqual(kinds, sorted(kinds))  # every "id" before every "message"

    def test_nothing_matches(self):
        self.assertEqual(self.query("zzzz nope"), [])


class CodeLensTest(ExampleCase):
    def lenses(self, name):
        return self.client.request("textDocument/codeLens", {"textDocument": {"uri": self.uri(name)}})

    def titles(self, name):
        return [lens["command"]["title"] for lens in self.lenses(name)]

    def test_titles(self):
        self.assertEqual(self.titles("3f2b9c1d7a4e"), ["base", "1 child"])
        self.assertEqual(self.titles("b5e07a3c9f12"), ["2 children"])   # branch point
        self.assertEqual(self.titles("47a0e5d3b9c6"), ["merge of 2", "1 child"])
        self.assertEqual(self.titles("c19f6b2a8e3d"), ["head"])

    def test_lens_sits_on_the_revision_line(self):
        text = self.file("c19f6b2a8e3d").read_text()
        lens = self.lenses("c19f6b2a8e3d")[0]
        self.assertEqual(lens["range"]["start"], position_of(text, "'c19f6b2a8e3d'"))
        # The command knows where its lens is (VS Code opens the peek there).
        self.assertEqual(lens["command"]["arguments"][0]["position"], lens["range"]["start"])

    def run_lens(self, lens):
        command = lens["command"]
        return self.client.request("workspace/executeCommand",
                                   {"command": command["command"], "arguments": command["arguments"]})

    def names(self, locations):
        return sorted(Path(uri_to_path(loc["uri"])).name[:12] for loc in locations)

    def test_commands_open_children_and_parents(self):
        branch = self.lenses("b5e07a3c9f12")[0]
        self.assertEqual(branch["command"]["command"], "alembic.showRevisions")
        self.assertEqual(self.names(self.run_lens(branch)), ["6d9a1f4e2c85", "e2c7b8046a1d"])
        merge = self.lenses("47a0e5d3b9c6")[0]
        self.assertEqual(self.names(self.run_lens(merge)), ["6d9a1f4e2c85", "e2c7b8046a1d"])
        head = self.lenses("c19f6b2a8e3d")[0]
        self.assertEqual(self.names(self.run_lens(head)), ["47a0e5d3b9c6"])

    def test_bad_command_arguments(self):
        for args in ([], [{"uri": "untitled:1", "revision": "x"}],
                     [{"uri": self.uri("c19f6b2a8e3d"), "revision": "nope"}],
                     [{"uri": self.uri("c19f6b2a8e3d"), "revision": "c19f6b2a8e3d", "which": "up"}]):
            with self.assertRaises(LspError) as ctx:
                self.client.request("workspace/executeCommand",
                                    {"command": "alembic.showRevisions", "arguments": args})
            self.assertEqual(ctx.exception.code, -32602, args)
        # Other commands still reach their own handler.
        with self.assertRaises(LspError) as ctx:
            self.client.request("workspace/executeCommand", {"command": "alembic.nope"})
        self.assertIn("alembic.nope", ctx.exception.error["message"])

    def test_no_lens_outside_migrations(self):
        self.assertEqual(self.client.request("textDocument/codeLens", {
            "textDocument": {"uri": path_to_uri(self.root / "migrations" / "env.py")}}), [])


class CapabilitiesTest(TempProjectCase):
    def test_capabilities(self):
        caps = self.init_result["capabilities"]
        self.assertIn("alembic.showRevisions", caps["executeCommandProvider"]["commands"])
        self.assertIn("alembic.mergeHeads", caps["executeCommandProvider"]["commands"])
        for provider in ("completionProvider", "documentSymbolProvider", "workspaceSymbolProvider",
                         "codeLensProvider", "inlayHintProvider", "typeHierarchyProvider"):
            self.assertIn(provider, caps)
        self.assertNotIn("diagnosticProvider", caps)  # push unless the client opts in


class ViewRefreshTest(TempProjectCase):
    """Lenses and hints tell facts about other files: when those change, the client is
    asked to request them again; edits that leave the history alone send nothing."""

    capabilities = copy.deepcopy(CLIENT_CAPABILITIES)
    capabilities["workspace"]["codeLens"] = {"refreshSupport": True}
    capabilities["workspace"]["inlayHint"] = {"refreshSupport": True}

    def refreshes(self):
        with self.client.cond:
            return [r["method"] for r in self.client.server_requests
                    if r["method"] in ("workspace/codeLens/refresh", "workspace/inlayHint/refresh")]

    def titles(self, name):
        return [lens["command"]["title"] for lens in self.client.request(
            "textDocument/codeLens", {"textDocument": {"uri": self.uri(name)}})]

    def test_refresh_only_when_the_history_changes(self):
        # The first index changed everything. (Any answer comes after the refresh requests
        # the server sent before it: the request is a sync point.)
        self.assertEqual(self.titles("a1a1a1a1a1a1_initial.py"), ["base", "2 children"])
        self.assertEqual(sorted(self.refreshes()),
                         ["workspace/codeLens/refresh", "workspace/inlayHint/refresh"])
        # An edit of upgrade() only: nothing to refresh (the request is a sync point).
        name = "e5e5e5e5e5e5_new_feature.py"
        text = self.file(name).read_text()
        self.client.open(self.file(name), text.replace("    pass", "    op.drop_table('x')", 1))
        self.titles(name)
        self.assertEqual(len(self.refreshes()), 2)
        # E5 becomes a third child of A1: the lens of A1 (another file) is stale.
        self.client.open(self.file(name), text.replace("down_revision = None",
                                                       "down_revision = 'a1a1a1a1a1a1'"), version=2)
        self.assertEqual(self.titles("a1a1a1a1a1a1_initial.py"), ["base", "3 children"])
        self.assertEqual(len(self.refreshes()), 4)

    def change(self, name, text, version):
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri(name), "version": version},
            "contentChanges": [{"text": text}]})

    def test_edits_refresh_only_what_they_touch(self):
        # Edits of one open file through didChange take the analysis' one-script path; the
        # server then compares only the revisions that edit touched.
        self.titles("a1a1a1a1a1a1_initial.py")
        name = "e5e5e5e5e5e5_new_feature.py"
        text = self.file(name).read_text()
        self.client.open(self.file(name), text)
        self.titles(name)
        start = len(self.refreshes())
        # E5 becomes C3's child: C3 (another file) is no longer a head.
        child = text.replace("down_revision = None", "down_revision = 'c3c3c3c3c3c3'")
        self.change(name, child, 2)
        self.assertEqual(self.titles("c3c3c3c3c3c3_add_orders.py"), ["1 child"])
        self.assertEqual(len(self.refreshes()), start + 2)
        # A depends_on changes no lens or hint: nothing to refresh.
        self.change(name, child.replace("def upgrade", "depends_on = 'd4d4d4d4d4d4'\n\ndef upgrade"), 3)
        self.titles(name)
        self.assertEqual(len(self.refreshes()), start + 2)
        # Its message shows in the hints of files naming it: refreshed.
        self.change(name, child.replace('"""new feature', '"""newer feature'), 4)
        self.titles(name)
        self.assertEqual(len(self.refreshes()), start + 4)
        # Back to a base: C3 is a head again.
        self.change(name, text, 5)
        self.assertEqual(self.titles("c3c3c3c3c3c3_add_orders.py"), ["head"])
        self.assertEqual(len(self.refreshes()), start + 6)


# Non-ASCII before the ids on the same line: positions must count UTF-16 code units.
UNICODE_PROJECT = {
    "a1a1a1a1a1a1_depot.py": migration("a1a1a1a1a1a1", "None", "créer le dépôt 😀",
                                       extra="branch_labels = ('dépôt😀',)"),
    "b2b2b2b2b2b2_next.py": migration("b2b2b2b2b2b2", "'a1a1a1a1a1a1'", "étape suivante",
                                      "a1a1a1a1a1a1"),
    "c3c3c3c3c3c3_uses.py": migration(
        "c3c3c3c3c3c3", "('b2b2b2b2b2b2', 'ffffffffffff')", "uses the label", "b2b2b2b2b2b2",
        "depends_on = ('dépôt😀', 'b2b2b2b2b2b2')"),
}


class InlayHintTest(TempProjectCase):
    files = UNICODE_PROJECT

    def wait_indexed(self):
        self.client.wait_diagnostics(self.file("c3c3c3c3c3c3_uses.py"),
                                     lambda ds: any(d["code"] == "missing-revision" for d in ds))

    def hints(self, name, range_=None):
        params = {"textDocument": {"uri": self.uri(name)}}
        if range_:
            params["range"] = range_
        else:
            params["range"] = {"start": {"line": 0, "character": 0},
                               "end": {"line": 10000, "character": 0}}
        return self.client.request("textDocument/inlayHint", params)

    def test_labels_and_utf16_positions(self):
        name = "c3c3c3c3c3c3_uses.py"
        text = self.file(name).read_text()
        got = [(h["label"], h["position"]) for h in self.hints(name)]
        label_end = position_of(text, "'dépôt😀'", 0, len("'dépôt😀'"))
        self.assertEqual(label_end["character"], len("depends_on = ('dépôt😀'") + 1)  # 😀: 2 units
        self.assertEqual(got, [
            ("étape suivante", position_of(text, "'b2b2b2b2b2b2'", 0, 14)),
            # 'ffffffffffff' is missing: no hint.
            ("créer le dépôt 😀", label_end),
            ("étape suivante", position_of(text, "'b2b2b2b2b2b2'", 1, 14)),
        ])
        self.assertTrue(all(h["paddingLeft"] for h in self.hints(name)))

    def test_only_the_requested_range(self):
        name = "c3c3c3c3c3c3_uses.py"
        text = self.file(name).read_text()
        line = position_of(text, "depends_on")["line"]
        hints = self.hints(name, {"start": {"line": line, "character": 0},
                                  "end": {"line": line, "character": 200}})
        self.assertEqual([h["label"] for h in hints], ["créer le dépôt 😀", "étape suivante"])

    def test_follows_the_open_document(self):
        name = "b2b2b2b2b2b2_next.py"
        text = self.file(name).read_text().replace("down_revision = 'a1a1a1a1a1a1'",
                                                   "down_revision = 'c3c3c3c3c3c3'")
        self.client.open(self.file(name), text)
        self.assertEqual([h["label"] for h in self.hints(name)], ["uses the label"])

    def test_no_hints_for_files_outside(self):
        self.assertEqual(self.client.request("textDocument/inlayHint", {
            "textDocument": {"uri": path_to_uri(self.root / "x.py")},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}}), [])


class TypeHierarchyTest(ExampleCase):
    example = "tangled"

    def prepare(self, name, needle, occurrence=0):
        path = self.file(name)
        return self.client.request("textDocument/prepareTypeHierarchy", {
            "textDocument": {"uri": path_to_uri(path)},
            "position": position_of(path.read_text(), needle, occurrence, 1)})

    def supertypes(self, item):
        return self.client.request("typeHierarchy/supertypes", {"item": item})

    def subtypes(self, item):
        return self.client.request("typeHierarchy/subtypes", {"item": item})

    def test_across_a_merge(self):
        [merge] = self.prepare("8b0d2f4a6c1e", "'8b0d2f4a6c1e'")
        self.assertEqual(merge["name"], "8b0d2f4a6c1e")
        self.assertEqual(merge["detail"], "merge currency and pdf path")
        parents = self.supertypes(merge)
        self.assertEqual(sorted(p["name"] for p in parents), ["6a8c0e2f4b1d", "f0e1d2c3b4a5"])
        children = self.subtypes(merge)
        self.assertEqual(sorted(c["name"] for c in children), ["7d3e9f1a2b4c", "e6b1c8d2f7a3"])
        # Walk on: the side branch's parent is the fork point, whose children join again.
        side = next(p for p in parents if p["name"] == "f0e1d2c3b4a5")
        self.assertEqual(uri_to_path(side["uri"]), str(self.file("f0e1d2c3b4a5").resolve()))
        [fork] = self.supertypes(side)
        self.assertEqual(fork["name"], "0007_add_invoices")
        self.assertEqual(sorted(c["name"] for c in self.subtypes(fork)),
                         ["2b6d8f0a1c3e", "f0e1d2c3b4a5"])

    def test_prepare_on_a_parent_name_and_elsewhere_in_the_file(self):
        [parent] = self.prepare("8b0d2f4a6c1e", "'6a8c0e2f4b1d'")
        self.assertEqual(parent["name"], "6a8c0e2f4b1d")
        [own] = self.prepare("8b0d2f4a6c1e", "def upgrade")
        self.assertEqual(own["name"], "8b0d2f4a6c1e")

    def test_duplicated_id_gives_every_copy(self):
        items = self.prepare("d8a0c2e4f6b1", "'d8a0c2e4f6b1'")
        [item] = items
        names = sorted(Path(uri_to_path(c["uri"])).name for c in self.subtypes(item))
        self.assertEqual(names, ["3a7c9e1b5d2f_add_refund_reason.py", "b9d1f3a5c7e0_add_refund_status.py"])

    def test_base_and_missing_parent_have_no_supertypes(self):
        [base] = self.prepare("1c9a7e5b3d20", "'1c9a7e5b3d20'")
        self.assertEqual(self.supertypes(base), [])
        [broken] = self.prepare("d8a0c2e4f6b1", "'d8a0c2e4f6b1'")
        self.assertEqual(self.supertypes(broken), [])  # '9f4e2d1c' is no revision

    def test_stale_or_foreign_items(self):
        with self.assertRaises(LspError):
            self.supertypes({"name": "x", "data": {"path": str(self.root / "gone.py"), "revision": "x"}})
        with self.assertRaises(LspError) as ctx:
            self.supertypes({"name": "x"})
        self.assertEqual(ctx.exception.code, -32602)
        self.assertIsNone(self.client.request("textDocument/prepareTypeHierarchy", {
            "textDocument": {"uri": path_to_uri(self.root / "x.py")},
            "position": {"line": 0, "character": 0}}))


class PullDiagnosticsTest(ExampleCase):
    example = "tangled"

    def setUp(self):
        super().setUp()
        self.name = "5e8f0a2b4c6d"  # missing-revision: 'a1b2c3d4e5f6_add_orders'
        self.pushed = self.client.wait_diagnostics(self.file(self.name), lambda ds: len(ds) > 0)

    def pull(self, name, previous=None):
        params = {"textDocument": {"uri": self.uri(name)}}
        if previous:
            params["previousResultId"] = previous
        return self.client.request("textDocument/diagnostic", params)

    def test_document_pull_equals_push_then_unchanged(self):
        report = self.pull(self.name)
        self.assertEqual(report["kind"], "full")
        self.assertEqual(report["items"], self.pushed)
        again = self.pull(self.name, report["resultId"])
        self.assertEqual(again, {"kind": "unchanged", "resultId": report["resultId"]})

    def test_after_a_fix_the_old_result_id_gets_the_new_diagnostics(self):
        report = self.pull(self.name)
        path = self.file(self.name)
        text = path.read_text().replace("'a1b2c3d4e5f6_add_orders'", "'a1b2c3d4e5f6'")
        self.client.clear_notifications()
        self.client.open(path, text)
        pushed = self.client.wait_diagnostics(
            path, lambda ds: not any(d["code"] == "missing-revision" for d in ds))
        fresh = self.pull(self.name, report["resultId"])
        self.assertEqual(fresh["kind"], "full")
        self.assertNotEqual(fresh["resultId"], report["resultId"])
        self.assertEqual(fresh["items"], pushed)

    def test_clean_file_is_an_empty_full_report(self):
        report = self.pull("9f4e2d1c0b8a")
        self.assertEqual((report["kind"], report["items"]), ("full", []))

    def test_workspace_pull_equals_every_push(self):
        result = self.client.request("workspace/diagnostic", {"previousResultIds": []})
        pulled = {item["uri"]: item for item in result["items"]}
        pushed_uris = {n["params"]["uri"] for n in self.client.notifications
                       if n["method"] == "textDocument/publishDiagnostics" and n["params"]["diagnostics"]}
        self.assertEqual(set(pulled), pushed_uris)
        for uri, item in pulled.items():
            self.assertEqual(item["kind"], "full")
            self.assertIsNone(item["version"])
            self.assertEqual(item["items"], self.client.diagnostics(uri_to_path(uri)), uri)
        # Sent back, every id is unchanged; an id held for a now clean file gets an empty report.
        clean = self.uri("9f4e2d1c0b8a")
        previous = [{"uri": uri, "value": item["resultId"]} for uri, item in pulled.items()]
        previous.append({"uri": clean, "value": "stale"})
        again = {i["uri"]: i for i in self.client.request(
            "workspace/diagnostic", {"previousResultIds": previous})["items"]}
        self.assertTrue(all(again[uri]["kind"] == "unchanged" for uri in pulled))
        self.assertEqual((again[clean]["kind"], again[clean]["items"]), ("full", []))

    def test_bad_uri(self):
        with self.assertRaises(LspError) as ctx:
            self.client.request("textDocument/diagnostic", {"textDocument": {"uri": "untitled:1"}})
        self.assertEqual(ctx.exception.code, -32602)


class BrokenFilesTest(ExampleCase):
    """Every feature on every file of the tangled example (conflict markers, a helper
    module, a non-hex id, a name that is no literal), at every line: an answer, never a crash."""

    example = "tangled"

    def test_every_feature_everywhere(self):
        files = sorted(self.root.rglob("*.py"))
        self.assertGreater(len(files), 20)
        for path in files:
            uri = path_to_uri(path)
            doc = {"textDocument": {"uri": uri}}
            lines = path.read_text(errors="replace").count("\n") + 2
            self.assertIsInstance(self.client.request("textDocument/documentSymbol", doc), list)
            self.assertIsInstance(self.client.request("textDocument/codeLens", doc), list)
            self.assertIsInstance(self.client.request("textDocument/inlayHint", dict(
                doc, range={"start": {"line": 0, "character": 0},
                            "end": {"line": lines, "character": 0}})), list)
            self.assertIn(self.client.request("textDocument/diagnostic", doc)["kind"], ("full",))
            for line in range(0, lines, 3):
                for character in (0, 17, 400):
                    at = dict(doc, position={"line": line, "character": character})
                    result = self.client.request("textDocument/completion", at)
                    self.assertTrue(result is None or isinstance(result["items"], list))
                    items = self.client.request("textDocument/prepareTypeHierarchy", at)
                    for item in items or []:
                        self.client.request("typeHierarchy/supertypes", {"item": item})
                        self.client.request("typeHierarchy/subtypes", {"item": item})
        self.assertIsNone(self.client.proc.poll())


class PullOnlyClientTest(TempProjectCase):
    """initializationOptions.pullDiagnostics: announced, refreshed, never pushed."""

    capabilities = copy.deepcopy(CLIENT_CAPABILITIES)
    capabilities["workspace"]["diagnostics"] = {"refreshSupport": True}
    capabilities["textDocument"]["diagnostic"] = {}
    init_options = {"pullDiagnostics": True}

    def refreshes(self):
        return [r for r in self.client.server_requests
                if r["method"] == "workspace/diagnostic/refresh"]

    def wait_indexed(self):
        # The first index changes the (pulled) diagnostics: the server asks for a refresh.
        with self.client.cond:
            self.client.cond.wait_for(self.refreshes, timeout=30)
        self.assertTrue(self.refreshes())

    def test_pull_only(self):
        caps = self.init_result["capabilities"]
        self.assertEqual(caps["diagnosticProvider"]["identifier"], "alembic")
        self.assertTrue(caps["diagnosticProvider"]["workspaceDiagnostics"])
        report = self.client.request("textDocument/diagnostic",
                                     {"textDocument": {"uri": self.uri("c3c3c3c3c3c3_add_orders.py")}})
        self.assertIn("multiple-heads", [d["code"] for d in report["items"]])
        self.assertFalse([n for n in self.client.notifications
                          if n["method"] == "textDocument/publishDiagnostics"])


if __name__ == "__main__":
    unittest.main()
