"""Hostile input against the real binary: broken framing and messages, strange documents,
strange file systems and huge or degenerate revision graphs. Each test expects a clear
error or a sensible answer, and then a server that still serves (a follow-up request is
answered) and exits cleanly, with no sanitizer report on stderr."""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
from pathlib import Path
from urllib.parse import quote

from lsp_client import BINARY, WINDOWS_URIS, LspClient, LspError, path_to_uri

# The chain of HugeGraphTest: 100,000 files; 20,000 for alembic-lsp.exe under wine
# (scripts/test-windows.sh), where `check` of one directory grows faster than the number of
# files (5,000: 2.6 s, 20,000: 23 s on an idle 2-core machine, against 0.06 s and 0.3 s for
# the Linux binary; perf puts 64% of it in wine 8's RtlAllocateHeap, whose search grows
# with the number of blocks alive); 100,000 were not done in 900 s (3.3 s on Linux), far
# past the test's limits (280 s for `check`).
CHAIN = 20_000 if WINDOWS_URIS else 100_000

# What a crash, a sanitizer or std::terminate leaves on stderr.
CRASH_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                 "WARNING: ThreadSanitizer", "ERROR: ThreadSanitizer", "DEADLYSIGNAL",
                 "terminate called", "Segmentation fault", "Assertion `", "double free",
                 "munmap_chunk", "free(): invalid", "corrupted")

INI = "[alembic]\nscript_location = migrations\n"


def migration(rev, down, extra=""):
    return f'"""m {rev}\n\nRevision ID: {rev}\nRevises: {down or ""}\n"""\n' \
           f"revision = {rev!r}\ndown_revision = {down!r}\n{extra}"


def make_project(root, files, ini=INI):
    """alembic.ini + migrations/versions/<name> for each (name, text or bytes)."""
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    (root / "alembic.ini").write_text(ini)
    for name, text in files.items():
        data = text if isinstance(text, bytes) else text.encode()
        (versions / name).write_bytes(data)
    return versions


def raw_uri(path):
    """The URI of a path as it is (path_to_uri resolves links, which loops or dangles here)."""
    return "file://" + quote(str(path))


def assert_no_crash_report(test, text, what="server"):
    for marker in CRASH_MARKERS:
        test.assertNotIn(marker, text, f"{what} stderr:\n{text[-4000:]}")


def check_json(root, timeout=240):
    """`alembic-lsp check --format json ROOT`: (exit code, parsed report, seconds)."""
    start = time.monotonic()
    run = subprocess.run([BINARY, "check", "--format", "json", str(root)], capture_output=True,
                         timeout=timeout)
    elapsed = time.monotonic() - start
    stderr = run.stderr.decode(errors="replace")
    if run.returncode < 0 or any(marker in stderr for marker in CRASH_MARKERS):
        raise AssertionError(f"check crashed (exit {run.returncode}):\n{stderr[-4000:]}")
    return run.returncode, json.loads(run.stdout), elapsed


class ServerCase(unittest.TestCase):
    """A server on a two-revision project; tearDown proves it still serves and exits 0."""

    files = {"a1_base.py": migration("a1", None), "b1_next.py": migration("b1", "a1")}
    expect_clean_exit = True

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-hostile-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.versions = make_project(self.root, self.files)
        self.prepare()
        self.client = LspClient()
        self.addCleanup(self.client.kill)
        self.client.initialize(self.root)
        self.wait_indexed()

    def prepare(self):
        """Changes to the tree before the server starts."""

    def tearDown(self):
        if self.expect_clean_exit and self.client.proc.poll() is None:
            self.assert_serving(timeout=20)
            self.assertEqual(self.client.shutdown(timeout=60), 0)
        self.assert_no_crash()

    def wait_indexed(self, timeout=120):
        deadline = time.monotonic() + timeout
        while True:
            result = self.client.request("alembic/graph", {}, timeout=min(timeout, 30))
            if result.get("indexed"):
                return result
            if time.monotonic() > deadline:
                self.fail("the workspace was never indexed")
            time.sleep(0.1)

    def assert_serving(self, timeout=60):
        """A real request gets a real answer: the server is alive and its state is sane."""
        self.assertIsNone(self.client.proc.poll(), "the server exited")
        result = self.client.request("alembic/graph", {}, timeout=timeout)
        self.assertIn("environments", result)
        with self.assertRaises(LspError) as ctx:
            self.client.request("alembic/noSuchMethod", {}, timeout=timeout)
        self.assertEqual(ctx.exception.code, -32601)
        return result

    def assert_no_crash(self):
        if self.client.proc.poll() is not None:
            # The process is gone: every report it wrote is read once stderr hits EOF.
            self.assertTrue(self.client.stderr_closed.wait(30),
                            "the server exited but its stderr never closed")
        assert_no_crash_report(self, "".join(self.client.stderr_lines))

    def null_id_error(self, timeout=30):
        """The next error reply with id null (framing and parse errors)."""
        resp = self.client.wait_response(None, timeout=timeout)
        self.assertIn("error", resp)
        self.assertIsInstance(resp["error"]["code"], int)
        self.assertTrue(resp["error"]["message"])
        return resp["error"]

    def any_reply(self, *ids, timeout=30):
        """The first reply to arrive among `ids` (None: an id-null error reply)."""
        deadline = time.monotonic() + timeout
        with self.client.cond:
            while not any(i in self.client.responses for i in ids):
                left = deadline - time.monotonic()
                self.assertGreater(left, 0, f"no reply to any of {ids}")
                self.client.cond.wait(left)
            return self.client.responses.pop(next(i for i in ids if i in self.client.responses))

    def frame(self, body):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    def raw(self, data):
        self.client.send_raw(data, headers=b"")


class FramingTest(ServerCase):
    def test_missing_content_length(self):
        body = json.dumps({"jsonrpc": "2.0", "id": 900, "method": "alembic/graph"}).encode()
        self.raw(b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body)
        self.assertIn("Content-Length", self.null_id_error()["message"])

    def test_non_numeric_and_negative_content_length(self):
        for value in (b"abc", b"-5", b"12abc", b"99999999999999999999999999", b""):
            self.raw(b"Content-Length: " + value + b"\r\n\r\n{}")
            self.assertEqual(self.null_id_error()["code"], -32600, value)
            self.assert_serving()

    def test_length_longer_than_the_body(self):
        body = json.dumps({"jsonrpc": "2.0", "id": 901, "method": "alembic/graph"}).encode()
        # The reader takes the next message's first bytes as the rest of this body, gets
        # no JSON, says so, then resynchronises on a later Content-Length header.
        self.raw(b"Content-Length: %d\r\n\r\n" % (len(body) + 30) + body)
        self.raw(self.frame({"jsonrpc": "2.0", "id": 902, "method": "alembic/graph"}))
        self.assertEqual(self.null_id_error()["code"], -32700)

    def test_length_shorter_than_the_body(self):
        body = json.dumps({"jsonrpc": "2.0", "id": 903, "method": "alembic/graph"}).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % (len(body) - 10) + body)
        self.assertEqual(self.null_id_error()["code"], -32700)

    def refuse_body_of(self, size, rid):
        limit = 64 << 20
        head = b'{"jsonrpc":"2.0","id":%d,"method":"alembic/graph","params":{"pad":"' % rid
        tail = b'"}}'
        pad = size - len(head) - len(tail)
        self.raw(b"Content-Length: %d\r\n\r\n" % size + head)
        chunk = b"x" * (1 << 20)
        sent = 0
        while sent < pad:
            n = min(len(chunk), pad - sent)
            self.raw(chunk[:n])
            sent += n
        self.raw(tail)
        resp = self.client.wait_response(rid, timeout=120)
        self.assertEqual(resp["error"]["code"], -32600)
        self.assertIn(str(limit), resp["error"]["message"])
        self.assert_serving()
        self.assertEqual(self.client.shutdown(timeout=60), 0)

    def test_100_mb_body_is_refused_and_the_next_message_served(self):
        self.refuse_body_of(100 << 20, 904)

    def test_70_mb_did_open_is_refused_and_shutdown_is_clean(self):
        """A document between the 64 MiB framing limit and 100 MB: a notification, so
        no reply; the refusal is logged and the server goes on."""
        text = "# padding\n" * (7 << 20)
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": path_to_uri(self.versions / "zz_big.py"), "languageId": "python",
            "version": 1, "text": text}})
        self.assert_serving(timeout=120)
        self.assertEqual(self.client.shutdown(timeout=60), 0)
        self.assertTrue(any(str(64 << 20) in line for line in self.client.stderr_lines),
                        self.client.stderr_lines[-10:])

    def test_not_json(self):
        for body in (b"{not json", b"", b"\xff\xfe", b'{"jsonrpc": "2.0", "id": 1,'):
            self.raw(self.frame(body))
            self.assertEqual(self.null_id_error()["code"], -32700, body)

    def test_numbers_too_large_for_a_double(self):
        # Valid JSON that no double holds: an error reply (or an answer), never a crash.
        for number in (b"1e400", b"-1e400", b"1" * 400):
            self.raw(self.frame(b'{"jsonrpc":"2.0","id":907,"method":"alembic/graph","params":{"x":'
                                + number + b"}}"))
            self.any_reply(907, None)
            self.assert_serving()

    def test_json_that_is_not_an_object(self):
        for body in (b"42", b'"text"', b"null", b"true", b"[]", b"[1, 2]"):
            self.raw(self.frame(body))
            self.assertEqual(self.null_id_error()["code"], -32600, body)

    def test_batch_is_refused(self):
        batch = [{"jsonrpc": "2.0", "id": 905, "method": "alembic/graph"},
                 {"jsonrpc": "2.0", "method": "initialized", "params": {}}]
        self.raw(self.frame(batch))
        self.assertEqual(self.null_id_error()["code"], -32600)
        self.assert_serving()
        self.assertNotIn(905, self.client.responses)

    def test_unknown_methods(self):
        for method in ("no/such", "$/noSuchRequest", "", "textDocument/hoverr"):
            with self.assertRaises(LspError) as ctx:
                self.client.request(method, {})
            self.assertEqual(ctx.exception.code, -32601, method)
        # Unknown notifications are ignored, $/ ones included.
        self.client.notify("no/such", {"x": 1})
        self.client.notify("$/setTrace", {"value": "verbose"})
        self.client.notify("$/noSuchNotification", None)

    def test_wrong_param_types(self):
        uri = path_to_uri(self.versions / "b1_next.py")
        cases = [
            ("textDocument/hover", {"textDocument": 42, "position": "x"}),
            ("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}}),
            ("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0.5, "character": 0}}),
            ("textDocument/definition", {"textDocument": {"uri": 7}, "position": {"line": 0, "character": 0}}),
            ("textDocument/definition", {"textDocument": {"uri": "not a uri"}, "position": {"line": 0, "character": 0}}),
            ("textDocument/references", {"textDocument": {"uri": uri}}),
            ("textDocument/codeAction", [1, 2, 3]),
            ("textDocument/hover", "a string"),
            ("workspace/executeCommand", {"command": 5}),
            ("alembic/graph", {"uri": ["a list"]}),
        ]
        for method, params in cases:
            rid = self.client.next_id
            self.client.next_id += 1
            self.client.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
            resp = self.client.wait_response(rid)
            if "error" in resp:
                self.assertIn(resp["error"]["code"], (-32602, -32600), (method, params, resp))
            self.assertIsNone(self.client.proc.poll())

    def test_ids_of_every_json_type(self):
        for rid in (0, -1, 2**63 - 1, "", "é 🎉", "12"):
            self.client.send({"jsonrpc": "2.0", "id": rid, "method": "alembic/noSuchMethod"})
            resp = self.client.wait_response(rid)
            self.assertEqual(resp["error"]["code"], -32601)
            self.assertIs(type(resp["id"]), type(rid))  # an id echoes with its type
        for rid in (1.5, True, False, None, {"a": 1}, [1]):
            self.client.send({"jsonrpc": "2.0", "id": rid, "method": "alembic/graph"})
            self.assertEqual(self.null_id_error()["code"], -32600, rid)
        # Integers outside int64: refused, or echoed exactly; never a wrong id.
        for rid in (2**63, 2**64 + 1, -(2**63) - 1):
            self.client.send({"jsonrpc": "2.0", "id": rid, "method": "alembic/noSuchMethod"})
            self.assertIn("error", self.any_reply(rid, None))

    def test_requests_after_shutdown(self):
        self.assertIsNone(self.client.request("shutdown"))
        for method in ("alembic/graph", "textDocument/hover", "shutdown", "initialize"):
            with self.assertRaises(LspError) as ctx:
                self.client.request(method, {})
            self.assertEqual(ctx.exception.code, -32600, method)
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": path_to_uri(self.versions / "x.py"), "languageId": "python", "version": 1, "text": ""}})
        self.client.notify("exit")
        self.assertEqual(self.client.proc.wait(30), 0)
        self.expect_clean_exit = False

    def test_eof_mid_body(self):
        self.raw(b"Content-Length: 100\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\"")
        self.client.proc.stdin.close()
        self.assertEqual(self.client.proc.wait(30), 1)
        self.expect_clean_exit = False

    def test_eof_mid_header(self):
        self.raw(b"Content-Length: 10\r\nContent-Ty")
        self.client.proc.stdin.close()
        self.assertEqual(self.client.proc.wait(30), 1)
        self.expect_clean_exit = False


class DocumentTest(ServerCase):
    def uri(self, name):
        return path_to_uri(self.versions / name)

    def open(self, name, text, version=1):
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.uri(name), "languageId": "python", "version": version, "text": text}})

    def hover(self, name, line, character, timeout=30):
        return self.client.request("textDocument/hover", {
            "textDocument": {"uri": self.uri(name)}, "position": {"line": line, "character": character}},
            timeout=timeout)

    def test_invalid_utf8_in_a_message_and_on_disk(self):
        # Raw invalid UTF-8 inside a JSON string: not valid JSON text; refused as such.
        body = (b'{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"'
                + self.uri("c1_bad.py").encode() + b'","languageId":"python","version":1,'
                b'"text":"revision = \'\xff\xfe\'\\n"}}}')
        self.raw(self.frame(body))
        self.null_id_error()
        # A lone surrogate escape: valid JSON syntax, not a valid string.
        self.raw(self.frame(b'{"jsonrpc":"2.0","id":906,"method":"alembic/noSuchMethod","params":{"t":"\\ud800"}}'))
        self.assertIn("error", self.any_reply(906, None))
        # On disk: the server reads it, reports it, and everything it sends is valid UTF-8
        # JSON (the client's json.loads would fail otherwise).
        bad = self.versions / "c1_bad.py"
        bad.write_bytes(b"\"\"\"\xff\xfe bad\n\nRevision ID: c1\xff\n\"\"\"\nrevision = 'a1'\n"
                        b"down_revision = '\xff\xc3'\n")
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": path_to_uri(bad), "type": 1}]})
        diags = self.client.wait_diagnostics(bad, lambda d: len(d) > 0)
        self.assertTrue(any(d["code"] == "duplicate-revision" for d in diags), diags)
        self.hover("c1_bad.py", 4, 12)

    def test_nul_bytes(self):
        text = "revision = 'c1\x00'\x00\ndown_revision = 'b1'\n\x00\x00def upgrade():\n    pass\x00\n"
        self.open("c1_nul.py", text)
        self.client.wait_diagnostics(self.versions / "c1_nul.py", lambda d: True)
        self.hover("c1_nul.py", 0, 12)
        self.hover("c1_nul.py", 2, 3)

    def test_ten_megabyte_migration(self):
        body = "".join(f"    op.execute('UPDATE t SET c = {i} WHERE id = {i}')  # é 🎉\n"
                       for i in range(170_000))
        text = migration("c1", "b1", "\n\ndef upgrade():\n" + body + "\n\ndef downgrade():\n    pass\n")
        self.assertGreater(len(text.encode()), 10_000_000)
        self.open("c1_huge.py", text)
        # Slow is allowed (especially under sanitizers); silence is not.
        hover = self.hover("c1_huge.py", 6, 18, timeout=240)
        self.assertIsNotNone(hover)
        self.assertIn("b1", json.dumps(hover))
        last = text.count("\n") - 2
        self.hover("c1_huge.py", last, 5, timeout=240)
        # An edit at the very end is applied incrementally and the server keeps up.
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri("c1_huge.py"), "version": 2},
            "contentChanges": [{"range": {"start": {"line": last + 10, "character": 0},
                                          "end": {"line": last + 10, "character": 0}},
                                "text": "# end\n"}]})
        self.hover("c1_huge.py", 6, 18, timeout=240)
        self.shutdown_cleanly()

    def shutdown_cleanly(self):
        """shutdown answered, exit 0 and nothing on stderr that a crash leaves."""
        self.assertEqual(self.client.shutdown(timeout=240), 0,
                         "".join(self.client.stderr_lines[-20:]))
        self.assert_no_crash()  # the process has exited: waits for its stderr to close
        self.assertTrue(any("server loop ended" in line for line in self.client.stderr_lines))

    def comment_lines(self, count):
        return 'revision = "abc"\ndown_revision = None\n' + "# padding\n" * count

    def test_many_comment_lines_then_shutdown_exits_0(self):
        """Issue 19: 65,536 and more module-level comments gave one tree-sitter node that
        many children; Debian's tree-sitter 0.20.7 then corrupted the heap and the server
        aborted at shutdown with munmap_chunk(): invalid pointer. (The issue's 5,242,880
        lines take minutes under the sanitizers; 70,000 is past the same limit.)"""
        self.open("zz_new.py", self.comment_lines(70_000))
        graph = self.assert_serving(timeout=240)
        ids = [r["id"] for e in graph["environments"] for r in e["revisions"]]
        self.assertIn("abc", ids)
        self.hover("zz_new.py", 0, 13, timeout=240)
        self.shutdown_cleanly()

    def test_comments_in_a_function_body(self):
        text = self.comment_lines(0) + "def upgrade():\n" + "    # c\n" * 70_000 + "    pass\n"
        self.open("zz_body.py", text)
        self.assert_serving(timeout=240)
        self.shutdown_cleanly()

    def test_full_text_change_to_many_lines_then_back(self):
        self.open("zz_new.py", self.comment_lines(10))
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri("zz_new.py"), "version": 2},
            "contentChanges": [{"text": self.comment_lines(70_000)}]})
        self.assert_serving(timeout=240)
        # An incremental edit inside the large text, then back to a small one.
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri("zz_new.py"), "version": 3},
            "contentChanges": [{"range": {"start": {"line": 1, "character": 16},
                                          "end": {"line": 1, "character": 20}},
                                "text": "'b1'"}]})
        diags = self.client.wait_diagnostics(self.versions / "zz_new.py", lambda d: True, timeout=240)
        self.assertIsInstance(diags, list)
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri("zz_new.py"), "version": 4},
            "contentChanges": [{"text": self.comment_lines(3)}]})
        self.assert_serving(timeout=240)
        self.shutdown_cleanly()

    def test_many_large_documents_open_at_once(self):
        for i in range(10):
            self.open(f"zz_{i}.py", self.comment_lines(70_000).replace("abc", f"abc{i}"))
        graph = self.assert_serving(timeout=240)
        ids = {r["id"] for e in graph["environments"] for r in e["revisions"]}
        self.assertTrue({f"abc{i}" for i in range(10)} <= ids, ids)
        for i in range(0, 10, 2):
            self.client.notify("textDocument/didClose", {"textDocument": {"uri": self.uri(f"zz_{i}.py")}})
        self.assert_serving(timeout=240)
        self.shutdown_cleanly()

    def test_one_line_of_50_mb(self):
        self.open("zz_line.py", self.comment_lines(0) + "# " + "x" * (50 << 20) + "\n")
        self.assert_serving(timeout=240)
        self.shutdown_cleanly()

    def test_deeply_nested_broken_assignment(self):
        """40,000 open brackets after `down_revision =` (each child of tree-sitter's ERROR
        node was fetched by index, O(n^2)): the file is read, the revision is known, its
        parent is reported unreadable with Python's nesting limit, and the server serves it."""
        text = "revision = 'c1'\ndown_revision = " + "(" * 40_000 + "\n"
        (self.versions / "c1_nested.py").write_text(text)
        code, report, _ = check_json(self.root, timeout=120)
        self.assertIn("c1", [r["id"] for r in report["environments"][0]["revisions"]])
        messages = [f["message"] for f in report["environments"][0]["diagnostics"]
                    if f["path"].endswith("c1_nested.py")]
        self.assertTrue(any("too many nested parentheses" in m for m in messages), messages)
        self.open("c1_nested.py", text)
        hover = self.hover("c1_nested.py", 0, 12, timeout=120)
        self.assertIn("c1", json.dumps(hover))

    def test_nesting_deeper_than_65535_does_not_crash(self):
        """tree-sitter 0.20.7 frees a subtree twice after recovering from more than 65,535
        unclosed brackets; such text must never reach it (Python refuses 200 already)."""
        deep = "(" * 70_000
        (self.versions / "c1_deep.py").write_text("revision = 'c1'\ndown_revision = " + deep + "\n")
        code, report, _ = check_json(self.root, timeout=240)
        self.assertIn("c1", [r["id"] for r in report["environments"][0]["revisions"]])
        # Opened in the editor the whole text is parsed, not only the assignments.
        self.open("c2_deep.py", "revision = 'c2'\ndown_revision = 'b1'\n\ndef upgrade():\n    x = "
                  + "[" * 70_000 + "\n")
        self.hover("c2_deep.py", 0, 12, timeout=240)
        # Its tree is freed when the text changes and when the document closes.
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri("c2_deep.py"), "version": 2},
            "contentChanges": [{"text": "revision = 'c2'\ndown_revision = 'b1'\n"}]})
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": self.uri("c2_deep.py")}})
        self.assert_serving()

    def test_positions_past_the_end(self):
        name = "b1_next.py"
        text = (self.versions / name).read_text()
        self.open(name, text)
        lines = text.count("\n")
        positions = [(0, 10_000), (lines, 0), (lines + 5, 3), (10**6, 10**6), (2**31 - 1, 2**31 - 1),
                     (2**32 + 5, 0), (5, 2**40)]
        for line, character in positions:
            for method in ("textDocument/hover", "textDocument/definition", "textDocument/references"):
                params = {"textDocument": {"uri": self.uri(name)},
                          "position": {"line": line, "character": character},
                          "context": {"includeDeclaration": True}}
                try:
                    self.client.request(method, params)
                except LspError as e:  # a refusal is fine; a crash or silence is not
                    self.assertEqual(e.code, -32602, (method, line, character))
        # Ranges past the end in a change clamp to the end of the text.
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri(name), "version": 2},
            "contentChanges": [{"range": {"start": {"line": 999, "character": 5},
                                          "end": {"line": 5, "character": 999}},
                                "text": "\nbranch_labels = ('x',)\n"}]})
        self.hover(name, 0, 0)

    def test_change_for_a_document_never_opened(self):
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri("never_opened.py"), "version": 3},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                          "end": {"line": 0, "character": 0}}, "text": "x"}]})
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri("b1_next.py"), "version": 3},
            "contentChanges": [{"text": "revision = 'zz'\n"}]})
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": self.uri("never_opened.py")}})
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": "file:///nowhere/x.py"}})
        self.client.notify("textDocument/didOpen", {"textDocument": {"uri": "untitled:Untitled-1",
                                                                     "languageId": "python", "version": 1,
                                                                     "text": "revision = 'u'\n"}})
        result = self.assert_serving()
        # b1 was never opened, so the change was ignored: the graph still has a1 and b1.
        ids = sorted(r["id"] for r in result["environments"][0]["revisions"])
        self.assertEqual(ids, ["a1", "b1"])

    def test_out_of_order_versions(self):
        name = "c1_new.py"
        self.open(name, migration("c1", "b1"), version=10)
        for version, text in ((5, migration("c1", "a1")), (10, migration("c1", None)), (-3, migration("c1", "b1")),
                              (None, migration("c2", "b1"))):
            self.client.notify("textDocument/didChange", {
                "textDocument": {"uri": self.uri(name), "version": version},
                "contentChanges": [{"text": text}]})
        self.open(name, migration("c3", "b1"), version=1)  # opened twice
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": self.uri(name)}})
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": self.uri(name)}})
        result = self.assert_serving()
        ids = sorted(r["id"] for r in result["environments"][0]["revisions"])
        self.assertEqual(ids, ["a1", "b1"])  # closed and never saved: gone

    def test_broken_content_changes(self):
        name = "b1_next.py"
        self.open(name, (self.versions / name).read_text())
        bad_changes = [
            [{"range": {"start": {"line": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}],
            [{"range": "whole", "text": "x"}],
            [{"text": 42}],
            [{}],
            "not a list",
            [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
              "text": "# ok\n"}, {"text": None}],
        ]
        for changes in bad_changes:
            self.client.notify("textDocument/didChange", {
                "textDocument": {"uri": self.uri(name), "version": 2}, "contentChanges": changes})
        self.hover(name, 0, 0)


class FileSystemTest(ServerCase):
    def wait_for_revision(self, client, rev, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            result = client.request("alembic/graph", {}, timeout=30)
            ids = sorted(r["id"] for e in result["environments"] for r in e["revisions"])
            if result.get("indexed") and rev in ids:
                return ids
            self.assertLess(time.monotonic(), deadline, f"{rev} never indexed")
            time.sleep(0.2)

    def ask_about(self, path):
        """Requests naming `path` are answered (with a result or an error), never hang."""
        for method in ("textDocument/hover", "textDocument/definition", "textDocument/references",
                       "textDocument/codeAction"):
            params = {"textDocument": {"uri": raw_uri(path)}, "position": {"line": 0, "character": 0},
                      "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                      "context": {"diagnostics": [], "includeDeclaration": True}}
            try:
                self.client.request(method, params, timeout=30)
            except LspError:
                pass

    def assert_fresh_server_and_check_agree(self, expected_ids):
        """A fresh server (the cold index, not the watcher) and `check` read the tree too."""
        other = LspClient()
        self.addCleanup(other.kill)
        other.initialize(self.root)
        self.assertEqual(self.wait_for_revision(other, expected_ids[-1]), expected_ids)
        self.assertEqual(other.shutdown(timeout=30), 0)
        assert_no_crash_report(self, "".join(other.stderr_lines))
        code, report, _ = check_json(self.root, timeout=60)
        self.assertEqual(sorted(r["id"] for r in report["environments"][0]["revisions"]), expected_ids)

    def test_unreadable_entries_do_not_block_or_crash(self):
        v = self.versions
        (v / "dir_x.py").mkdir()
        os.symlink(v / "nowhere.py", v / "dangling_x.py")
        os.symlink(v / "loop_b.py", v / "loop_a.py")
        os.symlink(v / "loop_a.py", v / "loop_b.py")
        os.symlink(v, v / "self_link")
        (v / "c1_ok.py").write_text(migration("c1", "b1"))
        names = ("dir_x.py", "dangling_x.py", "loop_a.py", "loop_b.py", "c1_ok.py")
        self.client.notify("workspace/didChangeWatchedFiles",
                           {"changes": [{"uri": raw_uri(v / n), "type": 1} for n in names]})
        self.assertEqual(self.wait_for_revision(self.client, "c1"), ["a1", "b1", "c1"])
        for n in names:
            self.ask_about(v / n)
        self.assert_fresh_server_and_check_agree(["a1", "b1", "c1"])

    def test_fifo_named_like_a_migration(self):
        """Opening a FIFO for reading blocks until a writer comes: it must never be opened."""
        v = self.versions
        os.mkfifo(v / "fifo_x.py")
        (v / "c1_ok.py").write_text(migration("c1", "b1"))
        self.client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": raw_uri(v / "fifo_x.py"), "type": 1}, {"uri": raw_uri(v / "c1_ok.py"), "type": 1}]})
        self.assertEqual(self.wait_for_revision(self.client, "c1"), ["a1", "b1", "c1"])
        self.ask_about(v / "fifo_x.py")
        self.assert_fresh_server_and_check_agree(["a1", "b1", "c1"])

    @unittest.skipIf(WINDOWS_URIS, "POSIX symlinks: wine shows them to alembic-lsp.exe as the "
                     "directories they point to, not as Windows links, so the loop has no end")
    def test_symlink_loop_in_a_recursive_version_location(self):
        ini = INI + "recursive_version_locations = true\n"
        (self.root / "alembic.ini").write_text(ini)
        sub = self.versions / "sub"
        sub.mkdir()
        (sub / "c1_deep.py").write_text(migration("c1", "b1"))
        os.symlink("..", sub / "up")              # versions/sub/up -> versions
        os.symlink(self.versions, sub / "again")  # absolute, same loop
        code, report, elapsed = check_json(self.root, timeout=60)
        env = report["environments"][0]
        # Alembic's os.walk does not follow directory links: each file is read once.
        self.assertEqual(sorted(r["id"] for r in env["revisions"]), ["a1", "b1", "c1"])
        self.assertEqual(env["heads"], ["c1"])
        other = LspClient()
        self.addCleanup(other.kill)
        other.initialize(self.root)
        deadline = time.monotonic() + 60
        while not (result := other.request("alembic/graph", {}, timeout=60)).get("indexed"):
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.1)
        self.assertEqual(sorted(r["id"] for r in result["environments"][0]["revisions"]), ["a1", "b1", "c1"])
        self.assertEqual(other.shutdown(timeout=30), 0)

    def test_files_deleted_while_being_read(self):
        """Best effort: files vanish while `check` and the server list and read them."""
        for i in range(2000):
            (self.versions / f"r{i:05d}_x.py").write_text(migration(f"r{i:05d}", f"r{i - 1:05d}" if i else "b1"))
        stop = threading.Event()

        def churn():
            i = 0
            while not stop.is_set():
                p = self.versions / f"r{i % 2000:05d}_x.py"
                try:
                    p.unlink()
                except FileNotFoundError:
                    p.write_text(migration(f"r{i % 2000:05d}", "b1"))
                i += 7
        worker = threading.Thread(target=churn)
        worker.start()
        try:
            for _ in range(5):
                check_json(self.root, timeout=120)
                self.client.notify("workspace/didChangeWatchedFiles", {"changes": [
                    {"uri": path_to_uri(self.versions / f"r{i:05d}_x.py"), "type": 2} for i in range(0, 2000, 50)]})
                self.assert_serving()
        finally:
            stop.set()
            worker.join()

    def test_names_with_spaces_and_non_ascii(self):
        name = "c1 añadir tabla 🎉 #1%.py"
        path = self.versions / name
        path.write_text(migration("c1", "b1"))
        (self.versions / "c2 copy.py").write_text(migration("c2", "b1"))  # second head
        uri = path_to_uri(path)
        self.assertIn("%20", uri)
        self.assertIn("%F0%9F%8E%89", uri)
        self.client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": uri, "type": 1}, {"uri": path_to_uri(self.versions / "c2 copy.py"), "type": 1}]})
        diags = self.client.wait_diagnostics(path, lambda d: any(x["code"] == "multiple-heads" for x in d))
        self.assertTrue(diags)
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": path.read_text()}})
        text = path.read_text()
        line = text.split("\n").index("down_revision = 'b1'")
        locations = self.client.request("textDocument/definition", {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": 18}})
        self.assertTrue(locations)
        self.assertEqual(locations[0].get("uri", locations[0].get("targetUri")),
                         path_to_uri(self.versions / "b1_next.py"))
        refs = self.client.request("textDocument/references", {
            "textDocument": {"uri": path_to_uri(self.versions / "b1_next.py")},
            "position": {"line": 5, "character": 12}, "context": {"includeDeclaration": True}})
        self.assertIn(uri, [r["uri"] for r in refs])
        # Lower-case escapes name the same file.
        lower = uri.replace("%F0%9F%8E%89", "%f0%9f%8e%89")
        self.client.request("textDocument/hover", {"textDocument": {"uri": lower},
                                                   "position": {"line": line, "character": 18}})
        code, report, _ = check_json(self.root)
        paths = [r["path"] for r in report["environments"][0]["revisions"]]
        self.assertTrue(any(p.endswith(name) for p in paths), paths)


class FifoFromTheStartTest(ServerCase):
    """A FIFO named like a migration present when the server starts, then named by requests."""

    def prepare(self):
        os.mkfifo(self.versions / "fifo_x.py")

    def test_requests_naming_the_fifo(self):
        FileSystemTest.ask_about(self, self.versions / "fifo_x.py")


def write_chain(versions, count, prefix="r"):
    """count migrations in one directory, each the child of the previous one."""
    versions.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        down = f"'{prefix}{i - 1}'" if i else "None"
        (versions / f"{prefix}{i}_step.py").write_text(f"revision = '{prefix}{i}'\ndown_revision = {down}\n")


class HugeGraphTest(unittest.TestCase):
    """Degenerate histories through `check --format json` (and the server for the largest)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-graphs-"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def project(self, name):
        root = self.tmp / name
        make_project(root, {})
        return root, root / "migrations" / "versions"

    def test_100k_files_in_one_directory_form_one_chain(self):
        """CHAIN files: 100,000, or 20,000 under wine (see CHAIN)."""
        root, versions = self.project("chain")
        write_chain(versions, CHAIN)
        code, report, elapsed = check_json(root, timeout=280)
        [env] = report["environments"]
        self.assertEqual(len(env["revisions"]), CHAIN)
        self.assertEqual(env["heads"], [f"r{CHAIN - 1}"])
        self.assertEqual(env["bases"], ["r0"])
        self.assertEqual(env["diagnostics"], [])
        self.assertEqual(code, 0)
        # The server indexes it too and answers meanwhile.
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(root)
        # Indexing 100,000 files (20,000 under wine) runs beside the protocol: a request
        # sent right away is answered before the index is done, and says so.
        first = client.request("alembic/graph", {}, timeout=60)
        self.assertFalse(first["indexed"])
        self.assertEqual(first["environments"], [])
        deadline = time.monotonic() + 240
        while True:
            result = client.request("alembic/graph", {}, timeout=240)
            if result.get("indexed"):
                break
            self.assertLess(time.monotonic(), deadline, f"{CHAIN} files never indexed")
            time.sleep(0.5)
        self.assertEqual(result["environments"][0]["heads"], [f"r{CHAIN - 1}"])
        self.assertEqual(client.shutdown(timeout=60), 0)
        assert_no_crash_report(self, "".join(client.stderr_lines))

    def test_10k_member_cycle(self):
        root, versions = self.project("cycle")
        n = 10_000
        for i in range(n):
            (versions / f"c{i}_x.py").write_text(f"revision = 'c{i}'\ndown_revision = 'c{(i - 1) % n}'\n")
        code, report, _ = check_json(root)
        [env] = report["environments"]
        self.assertEqual(code, 1)
        self.assertEqual(len(env["revisions"]), n)
        self.assertEqual(env["heads"], [])
        self.assertEqual(env["bases"], [])
        cycle = [d for d in env["diagnostics"] if d["code"] == "revision-cycle"]
        self.assertTrue(cycle)
        # Every member is named by the cycle findings, and each finding lies in a member.
        members = set()
        for d in cycle:
            members.update(d["revisions"])
        self.assertEqual(members, {f"c{i}" for i in range(n)})

    def test_merge_of_1000_parents(self):
        root, versions = self.project("merge")
        (versions / "base_x.py").write_text("revision = 'base'\ndown_revision = None\n")
        parents = [f"p{i}" for i in range(1000)]
        for p in parents:
            (versions / f"{p}_x.py").write_text(f"revision = '{p}'\ndown_revision = 'base'\n")
        (versions / "merge_x.py").write_text(
            "revision = 'merge'\ndown_revision = (\n" + "".join(f"    '{p}',\n" for p in parents) + ")\n")
        code, report, _ = check_json(root)
        [env] = report["environments"]
        self.assertEqual(code, 0, env["diagnostics"][:3])
        self.assertEqual(len(env["revisions"]), 1002)
        self.assertEqual(env["heads"], ["merge"])
        self.assertEqual(env["bases"], ["base"])
        self.assertEqual(env["merge_points"], ["merge"])
        self.assertEqual(sorted(env["branch_points"]["base"]), sorted(parents))
        merge = next(r for r in env["revisions"] if r["id"] == "merge")
        self.assertEqual(merge["down_revisions"], parents)  # in the order written
        self.assertEqual([d for d in env["diagnostics"] if d["severity"] == "error"], [])


if __name__ == "__main__":
    unittest.main()
