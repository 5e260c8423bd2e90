"""Lifecycle and protocol errors against the real binary over stdio."""

import json
import os
import time
import unittest

from lsp_client import WINDOWS_URIS, LspClient, LspError, ServerTestCase, path_to_uri


class LifecycleTest(ServerTestCase):
    def test_request_before_initialize_is_refused(self):
        with self.assertRaises(LspError) as ctx:
            self.client.request("textDocument/hover", {
                "textDocument": {"uri": path_to_uri(self.root / "alembic.ini")},
                "position": {"line": 0, "character": 0}})
        self.assertEqual(ctx.exception.code, -32002)

    def test_initialize_announces_capabilities(self):
        result = self.client.initialize(self.root)
        caps = result["capabilities"]
        self.assertEqual(caps["positionEncoding"], "utf-16")
        self.assertEqual(caps["textDocumentSync"]["change"], 2)
        self.assertTrue(caps["definitionProvider"])
        self.assertIn("alembic.mergeHeads", caps["executeCommandProvider"]["commands"])
        self.assertEqual(result["serverInfo"]["name"], "alembic-lsp")

    def test_utf8_offered_is_chosen(self):
        caps = {"general": {"positionEncodings": ["utf-8", "utf-16"]}}
        result = self.client.initialize(self.root, capabilities=caps)
        self.assertEqual(result["capabilities"]["positionEncoding"], "utf-8")

    def test_second_initialize_is_invalid(self):
        self.client.initialize(self.root)
        with self.assertRaises(LspError) as ctx:
            self.client.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        self.assertEqual(ctx.exception.code, -32600)

    def test_shutdown_then_exit_gives_zero(self):
        self.client.initialize(self.root)
        self.assertEqual(self.client.shutdown(), 0)

    def test_exit_without_shutdown_gives_one(self):
        self.client.initialize(self.root)
        self.client.notify("exit")
        self.assertEqual(self.client.proc.wait(10), 1)

    def test_requests_after_shutdown_are_invalid(self):
        self.client.initialize(self.root)
        self.client.request("shutdown")
        with self.assertRaises(LspError) as ctx:
            self.client.request("textDocument/hover", {
                "textDocument": {"uri": path_to_uri(self.root / "alembic.ini")},
                "position": {"line": 0, "character": 0}})
        self.assertEqual(ctx.exception.code, -32600)
        self.client.notify("exit")
        self.assertEqual(self.client.proc.wait(10), 0)

    def test_stdin_closed_ends_the_server(self):
        self.client.initialize(self.root)
        self.client.proc.stdin.close()
        self.assertEqual(self.client.proc.wait(10), 1)

    def test_unknown_method_and_bad_messages_keep_the_server_alive(self):
        self.client.initialize(self.root)
        with self.assertRaises(LspError) as ctx:
            self.client.request("alembic/noSuchMethod", {})
        self.assertEqual(ctx.exception.code, -32601)
        # Not JSON at all: an error reply with id null, then the server goes on.
        self.client.send_raw(b"{not json")
        # Wrong parameter types.
        with self.assertRaises(LspError) as ctx:
            self.client.request("textDocument/definition", {"textDocument": 42, "position": "x"})
        self.assertEqual(ctx.exception.code, -32602)
        self.client.wait_response(None, timeout=10)  # the parse error reply
        self.assertEqual(self.client.shutdown(), 0)

    def test_client_process_death_ends_the_server(self):
        import subprocess
        sleeper = subprocess.Popen(["sleep", "60"])
        try:
            params = {"processId": sleeper.pid, "rootUri": path_to_uri(self.root), "capabilities": {}}
            self.client.request("initialize", params)
            self.client.notify("initialized", {})
            sleeper.kill()
            sleeper.wait()
            self.assertEqual(self.client.proc.wait(15), 1)
        finally:
            if sleeper.poll() is None:
                sleeper.kill()


class TcpTest(unittest.TestCase):
    def test_listen_serves_one_client_over_tcp(self):
        import re
        import socket
        import subprocess
        from lsp_client import BINARY, copy_example
        import shutil
        tmp, root = copy_example("clean")
        self.addCleanup(shutil.rmtree, tmp, ignore_errors=True)
        proc = subprocess.Popen([BINARY, "--listen", "0"], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        line = proc.stderr.readline().decode()
        port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.addCleanup(sock.close)
        stream = sock.makefile("rwb")

        def send(msg):
            body = json.dumps(msg).encode()
            stream.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            stream.flush()

        def receive():
            length = None
            while True:
                header = stream.readline().strip()
                if not header:
                    break
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":")[1])
            return json.loads(stream.read(length))

        send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
              "params": {"processId": None, "rootUri": path_to_uri(root), "capabilities": {}}})
        reply = receive()
        while "id" not in reply or reply.get("id") != 1:
            reply = receive()
        self.assertEqual(reply["result"]["serverInfo"]["name"], "alembic-lsp")
        send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        while True:
            reply = receive()
            if reply.get("id") == 2:
                break
        send({"jsonrpc": "2.0", "method": "exit"})
        self.assertEqual(proc.wait(10), 0)
        # stdout stays empty: the protocol went over the socket, logs to stderr.
        self.assertEqual(proc.stdout.read(), b"")


class DiagnosticsTest(ServerTestCase):
    def versions(self):
        return self.root / "migrations" / "versions"

    def test_diagnostics_appear_for_files_never_opened(self):
        self.client.initialize(self.root)
        dup = self.versions() / "b9d1f3a5c7e0_add_refund_status.py"
        diags = self.client.wait_diagnostics(dup, lambda d: any(x["code"] == "duplicate-revision" for x in d))
        d = next(x for x in diags if x["code"] == "duplicate-revision")
        self.assertEqual(d["source"], "alembic")
        self.assertEqual(d["severity"], 1)
        # The range is exactly the revision string on line 13 (0-based 12).
        self.assertEqual(d["range"]["start"]["line"], 12)
        related = d["relatedInformation"]
        self.assertTrue(any(r["location"]["uri"].endswith("3a7c9e1b5d2f_add_refund_reason.py") for r in related))

    def test_opening_a_file_resends_its_diagnostics(self):
        # Some clients (eglot) drop diagnostics of files not open when they arrived.
        self.client.initialize(self.root)
        target = self.versions() / "5e8f0a2b4c6d_add_order_discounts.py"
        self.client.wait_diagnostics(target, lambda d: any(x["code"] == "missing-revision" for x in d))
        self.client.clear_notifications()
        self.client.open(target)
        diags = self.client.wait_diagnostics(target, lambda d: any(x["code"] == "missing-revision" for x in d))
        self.assertEqual(next(x for x in diags if x["code"] == "missing-revision")["range"]["start"]["line"], 13)

    def test_typing_a_second_head_and_fixing_it(self):
        self.client.initialize(self.root)
        audit = self.root / "services" / "audit" / "migrations" / "versions"
        # The audit environment has a single head; wait for the index.
        head_file = audit / "0a1b2c3d4e5f_create_audit_events.py"
        self.client.wait_diagnostics(audit / "5b6c7d8e9f0a_add_actor_column.py",
                                     lambda d: any(x["code"] == "revision-cycle" for x in d))
        new_file = audit / "ffff00001111_second_head.py"
        text = ('"""second head\n\nRevision ID: ffff00001111\nRevises: 0a1b2c3d4e5f\n"""\n'
                'revision = "ffff00001111"\ndown_revision = "0a1b2c3d4e5f"\n')
        self.client.open(new_file, text)
        # Nothing yet: ffff00001111 is a child of the head, so still one head.
        # Now edit its parent to None: a second base and head appear.
        line = 6
        start = text.split("\n")[line].index('"0a1b2c3d4e5f"')
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(new_file), "version": 2},
            "contentChanges": [{"range": {"start": {"line": line, "character": start},
                                          "end": {"line": line, "character": start + 14}},
                                "text": "None"}]})
        self.client.wait_diagnostics(new_file, lambda d: any(x["code"] == "multiple-heads" for x in d))
        self.client.wait_diagnostics(head_file, lambda d: any(x["code"] == "multiple-heads" for x in d))
        # Undo: the multiple-heads diagnostics clear on both files.
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(new_file), "version": 3},
            "contentChanges": [{"range": {"start": {"line": line, "character": start},
                                          "end": {"line": line, "character": start + 4}},
                                "text": '"0a1b2c3d4e5f"'}]})
        self.client.wait_diagnostics(new_file, lambda d: not any(x["code"] == "multiple-heads" for x in d))
        self.client.wait_diagnostics(head_file, lambda d: not any(x["code"] == "multiple-heads" for x in d))
        # Closing the never-saved file removes it from the graph.
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": path_to_uri(new_file)}})
        self.assertEqual(self.client.shutdown(), 0)

    @unittest.skipUnless(WINDOWS_URIS, "file names compare without case on Windows only: on "
                         "Linux another case names another file (run by scripts/test-windows.sh)")
    def test_a_file_opened_under_another_case_is_the_same_migration(self):
        self.client.initialize(self.root)
        target = self.versions() / "5e8f0a2b4c6d_add_order_discounts.py"
        self.client.wait_diagnostics(target, lambda d: any(x["code"] == "missing-revision" for x in d))
        # The editor names the file in another case (directories and name): the same file
        # on Windows. Its text, with down_revision mended, is that migration's text now.
        other = self.root / "MIGRATIONS" / "Versions" / "5E8F0A2B4C6D_Add_Order_Discounts.py"
        text = target.read_text().replace("'a1b2c3d4e5f6_add_orders'", "'a1b2c3d4e5f6'")
        self.client.open(other, text)
        diags = self.client.wait_diagnostics(
            target, lambda d: not any(x["code"] == "missing-revision" for x in d))
        # One migration, not two defining 5e8f0a2b4c6d.
        self.assertFalse([x for x in diags if x["code"] == "duplicate-revision"], diags)
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": path_to_uri(other)}})
        # Closed: the disk's text (the missing revision) is back.
        self.client.wait_diagnostics(target, lambda d: any(x["code"] == "missing-revision" for x in d))
        self.assertEqual(self.client.shutdown(), 0)

    def test_file_created_on_disk_is_picked_up_without_client_watching(self):
        caps = {"workspace": {}, "textDocument": {"publishDiagnostics": {}}}
        self.client.initialize(self.root, capabilities=caps)
        audit = self.root / "services" / "audit" / "migrations" / "versions"
        head_file = audit / "0a1b2c3d4e5f_create_audit_events.py"
        self.client.wait_diagnostics(audit / "5b6c7d8e9f0a_add_actor_column.py",
                                     lambda d: any(x["code"] == "revision-cycle" for x in d))
        (audit / "eeee00001111_other_base.py").write_text(
            'revision = "eeee00001111"\ndown_revision = None\n')
        self.client.wait_diagnostics(head_file, lambda d: any(x["code"] == "multiple-heads" for x in d))
        os.remove(audit / "eeee00001111_other_base.py")
        self.client.wait_diagnostics(head_file, lambda d: not any(x["code"] == "multiple-heads" for x in d))
        self.assertEqual(self.client.shutdown(), 0)


class GraphRequestTest(ServerTestCase):
    def test_graph_of_the_tangled_example(self):
        self.client.initialize(self.root)
        versions = self.root / "migrations" / "versions"
        self.client.wait_diagnostics(versions / "b9d1f3a5c7e0_add_refund_status.py",
                                     lambda d: any(x["code"] == "duplicate-revision" for x in d))
        uri = path_to_uri(versions / "b9d1f3a5c7e0_add_refund_status.py")
        result = self.client.request("alembic/graph", {"uri": uri})
        self.assertTrue(result["indexed"])
        [env] = result["environments"]
        by_id = {}
        for r in env["revisions"]:
            by_id.setdefault(r["id"], []).append(r)
        self.assertEqual(len(by_id["3a7c9e1b5d2f"]), 2)
        self.assertTrue(all(r["duplicate"] for r in by_id["3a7c9e1b5d2f"]))
        self.assertTrue(by_id["8b0d2f4a6c1e"][0]["is_merge"])
        self.assertIn("7d3e9f1a2b4c", env["heads"])
        missing = {m["id"]: m["referenced_by"] for m in env["missing"]}
        self.assertEqual(missing.get("9f4e2d1c"), ["d8a0c2e4f6b1"])
        # Without a uri: every environment, the audit service included.
        names = [e["name"] for e in self.client.request("alembic/graph", {})["environments"]]
        self.assertEqual(len(names), 2)
        # The ini section Alembic reads, for `alembic -n SECTION` in the editors.
        self.assertEqual(env["section"], "alembic")

    def test_graph_names_the_ini_section_of_each_environment(self):
        # One alembic.ini, two sections, two script locations (`alembic -n core ...`).
        for name in ("main", "core"):
            (self.root / name / "versions").mkdir(parents=True)
            (self.root / name / "versions" / f"{name}1_first.py").write_text(
                f'revision = "{name}1"\ndown_revision = None\n')
        (self.root / "alembic.ini").write_text(
            "[alembic]\nscript_location = main\n\n[core]\nscript_location = core\n")
        self.client.initialize(self.root)
        deadline = time.monotonic() + 30
        while not (result := self.client.request("alembic/graph", {}))["indexed"] and time.monotonic() < deadline:
            time.sleep(0.1)
        envs = result["environments"]
        sections = {e["revisions"][0]["id"]: e["section"] for e in envs if e["revisions"]}
        self.assertEqual(sections.get("main1"), "alembic")
        self.assertEqual(sections.get("core1"), "core")


if __name__ == "__main__":
    unittest.main()
