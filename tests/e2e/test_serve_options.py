"""`serve --log-file / --log-level` and `$/cancelRequest` over the wire."""
import json
import re
import shutil
import tempfile
import unittest
from pathlib import Path

from cli_support import migration, run
from lsp_client import LspClient, path_to_uri

LEVEL = re.compile(r"^\[[^]]+\] \[(trace|debug|info|warning|error|critical)\] ")


def levels(text):
    return {m.group(1) for line in text.splitlines() if (m := LEVEL.match(line))}


class ServeCase(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-serve-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.root = self.tmp / "proj"
        self.versions = self.root / "migrations" / "versions"
        self.versions.mkdir(parents=True)
        (self.root / "alembic.ini").write_text("[alembic]\nscript_location = migrations\n")
        (self.versions / "a1_m.py").write_text(migration("a1", None))
        (self.versions / "b1_m.py").write_text(migration("b1", "a1"))

    def session(self, args):
        """A short real session: initialize, index, a request, an invalid message, shutdown."""
        client = LspClient(args)
        self.addCleanup(client.kill)
        client.initialize(self.root)
        client.wait_for(lambda n: n["method"] == "window/logMessage"
                        and "indexed" in n["params"]["message"], what="indexing")
        client.send_raw(b"{not json")  # logged as a warning
        self.assertEqual(client.request("alembic/graph", {})["environments"][0]["heads"], ["b1"])
        self.assertEqual(client.shutdown(), 0)
        self.assertTrue(client.stderr_closed.wait(30))
        return client


class LogOptionsTest(ServeCase):
    def test_log_file_takes_the_logs_at_the_chosen_level(self):
        expected = {
            "trace": {"trace", "debug", "info", "warning"},
            "debug": {"debug", "info", "warning"},
            "info": {"info", "warning"},
            "warn": {"warning"},
            "error": set(),
            "off": set(),
        }
        for level, wanted in expected.items():
            with self.subTest(level=level):
                log = self.tmp / f"{level}.log"
                client = self.session(["serve", "--log-file", str(log), "--log-level", level])
                text = log.read_text() if log.exists() else ""
                self.assertEqual(levels(text), wanted, text[-2000:])
                # The logs went to the file: nothing of them on stderr.
                self.assertEqual([l for l in client.stderr_lines if LEVEL.match(l)], [])
                if level == "trace":
                    self.assertIn('"method":"initialize"', text.replace(" ", ""))

    def test_default_level_is_info_on_stderr(self):
        client = self.session(["serve"])
        stderr = "".join(client.stderr_lines)
        self.assertEqual(levels(stderr), {"info", "warning"}, stderr[-2000:])

    def test_log_file_is_appended_to(self):
        log = self.tmp / "kept.log"
        log.write_text("a line written before\n")
        self.session(["serve", "--log-file", str(log), "--log-level", "info"])
        text = log.read_text()
        self.assertTrue(text.startswith("a line written before\n"), text[:200])
        self.assertIn("[info]", text)

    def test_unusable_log_file_is_a_clear_error(self):
        blocker = self.tmp / "a-file"
        blocker.write_text("")
        for path in (self.tmp, blocker / "sub" / "x.log"):
            with self.subTest(path=path):
                r = run(["serve", "--log-file", str(path)])
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(f"cannot log to '{path}'", r.stderr)
                self.assertEqual(r.stdout, "")  # stdout is the protocol's only
        r = run(["serve", "--log-level", "loud"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown --log-level 'loud'", r.stderr)
        r = run(["serve", "--log-file"])
        self.assertEqual(r.returncode, 2)
        self.assertIn("--log-file", r.stderr)


class CancelRequestTest(ServeCase):
    """Requests run on the server's loop thread in order: one sent while the loop is busy
    (here parsing a ~10 MB migration just opened) waits in the queue, and a $/cancelRequest
    for it, read meanwhile by the reader thread, answers it with RequestCancelled."""

    def test_cancelled_request_gets_32800_and_the_server_stays_healthy(self):
        client = LspClient()
        self.addCleanup(client.kill)
        client.initialize(self.root)
        client.wait_for(lambda n: n["method"] == "window/logMessage"
                        and "indexed" in n["params"]["message"], what="indexing")
        big = self.versions / "c1_big.py"
        body = "".join(f"    op.execute('UPDATE t SET c = {i}')\n" for i in range(250_000))
        text = migration("c1", "b1").replace("def upgrade():\n    pass", "def upgrade():\n" + body)
        uri = path_to_uri(big)
        hover = {"textDocument": {"uri": uri}, "position": {"line": 13, "character": 17}}
        open_note = {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": text}}}
        rid = 9001
        request = {"jsonrpc": "2.0", "id": rid, "method": "textDocument/hover", "params": hover}
        cancel = {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": rid}}
        # One write: the reader thread reads all three while the loop parses the file.
        frames = b"".join(f"Content-Length: {len(b)}\r\n\r\n".encode() + b
                          for b in (json.dumps(m).encode() for m in (open_note, request, cancel)))
        client.send_raw(frames, headers=b"")
        reply = client.wait_response(rid, timeout=240)
        self.assertNotIn("result", reply)
        self.assertEqual(reply["error"]["code"], -32800, reply)  # RequestCancelled
        self.assertIn("textDocument/hover", reply["error"]["message"])
        # Healthy: the same request again gets a real answer, about the file just opened.
        answer = client.request("textDocument/hover", hover, timeout=240)
        self.assertIn("b1", json.dumps(answer))
        # Cancelling what was answered already, or an id never used, changes nothing.
        client.notify("$/cancelRequest", {"id": rid})
        client.notify("$/cancelRequest", {"id": 123456})
        client.notify("$/cancelRequest", {"id": None})
        graph = client.request("alembic/graph", {}, timeout=60)
        self.assertEqual(graph["environments"][0]["heads"], ["c1"])
        self.assertEqual(client.shutdown(timeout=60), 0)
        self.assertTrue(client.stderr_closed.wait(30))
        self.assertNotIn("AddressSanitizer", "".join(client.stderr_lines))


if __name__ == "__main__":
    unittest.main()
