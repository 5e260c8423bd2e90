#!/usr/bin/env python3
"""A short LSP session against an alembic-lsp started by any command line, over its
stdin/stdout: initialize, diagnostics, definition, the merge code action, shutdown, exit.

Used where the e2e suite cannot go: the server runs inside a bare Debian root (chroot,
no Python in there: this client stays outside and talks through the pipes), under
qemu-aarch64-static, or from a wheel installed in a fresh venv.

  lsp_smoke.py --project DIR [--inside DIR] -- COMMAND [ARG...]

DIR is examples/tangled as this script sees it; --inside is the same directory as the
server sees it (inside the chroot), by default DIR. Exit 0 and one "ok" line when every
step answered as expected; otherwise the step, what came and the server's stderr.
Standard library only."""

import argparse
import json
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

TIMEOUT = float(os.environ.get("LSP_SMOKE_TIMEOUT", "60"))  # qemu is slow on a loaded machine
CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    "workspace": {"applyEdit": True, "workspaceEdit": {"documentChanges": True,
                  "resourceOperations": ["create"]}, "workspaceFolders": True, "configuration": True},
    "textDocument": {
        "publishDiagnostics": {"relatedInformation": True},
        "definition": {"linkSupport": False},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix"]}}},
    },
}


class Failure(Exception):
    pass


class Session:
    def __init__(self, command):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.inbox = queue.Queue()
        self.stderr = []
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length)))

    def send(self, message):
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def next_message(self, what):
        try:
            msg = self.inbox.get(timeout=TIMEOUT)
        except queue.Empty:
            raise Failure(f"no answer within {TIMEOUT:.0f} s while waiting for {what}")
        if msg is None:
            raise Failure(f"the server closed its output while waiting for {what}")
        if "id" in msg and "method" in msg:  # a request from the server: answer it plainly
            result = [{}] * len(msg["params"]["items"]) if msg["method"] == "workspace/configuration" else None
            self.send({"id": msg["id"], "result": result})
        return msg

    def request(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"id": rid, "method": method} | ({} if params is None else {"params": params}))
        while True:
            msg = self.next_message(method)
            if msg.get("id") == rid and "method" not in msg:
                if "error" in msg:
                    raise Failure(f"{method} failed: {msg['error']}")
                return msg.get("result")

    def notify(self, method, params=None):
        self.send({"method": method} | ({} if params is None else {"params": params}))

    def wait_diagnostics(self, uri, predicate):
        while True:
            msg = self.next_message(f"diagnostics on {uri}")
            if (msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri
                    and predicate(msg["params"]["diagnostics"])):
                return msg["params"]["diagnostics"]


def uri(path):
    return "file://" + quote(str(path))


def position_of(path, needle):
    """The position just inside the first `needle` of a file (past its opening quote)."""
    for number, line in enumerate(Path(path).read_text().splitlines()):
        column = line.find(needle)
        if column >= 0:
            return {"line": number, "character": column + 1}
    raise Failure(f"{needle!r} is not in {path}")


def run(command, outside, inside):
    versions_out = outside / "migrations" / "versions"
    versions_in = inside / "migrations" / "versions"
    head = "7d3e9f1a2b4c_add_invoice_due_date.py"  # one of the heads of examples/tangled
    child = "a1b2c3d4e5f6_add_orders.py"           # down_revision = '1c9a7e5b3d20'
    session = Session(command)
    try:
        init = session.request("initialize", {
            "processId": os.getpid(), "clientInfo": {"name": "lsp-smoke", "version": "1"},
            "rootUri": uri(inside), "workspaceFolders": [{"uri": uri(inside), "name": inside.name}],
            "capabilities": CAPABILITIES})
        info = init.get("serverInfo", {})
        if info.get("name") != "alembic-lsp":
            raise Failure(f"initialize: serverInfo is {info}")
        session.notify("initialized", {})

        heads = session.wait_diagnostics(uri(versions_in / head),
                                         lambda ds: any(d.get("code") == "multiple-heads" for d in ds))
        heads = [d for d in heads if d.get("code") == "multiple-heads"]

        target = session.request("textDocument/definition", {
            "textDocument": {"uri": uri(versions_in / child)},
            "position": position_of(versions_out / child, "'1c9a7e5b3d20'")})
        targets = target if isinstance(target, list) else [target]
        if not any(t and t.get("uri") == uri(versions_in / "1c9a7e5b3d20_initial_schema.py") for t in targets):
            raise Failure(f"definition of '1c9a7e5b3d20' answered {target}")

        actions = session.request("textDocument/codeAction", {
            "textDocument": {"uri": uri(versions_in / head)}, "range": heads[0]["range"],
            "context": {"diagnostics": heads, "triggerKind": 1}}) or []
        merges = [a for a in actions if re.match(r"Merge \d+ heads into a new migration", a.get("title", ""))]
        if not merges:
            raise Failure(f"no merge action among {[a.get('title') for a in actions]}")

        if session.request("shutdown", None) is not None:
            raise Failure("shutdown answered something else than null")
        session.notify("exit")
        code = session.proc.wait(timeout=TIMEOUT)
        if code != 0:
            raise Failure(f"exit code {code} after shutdown/exit")
        return (f"ok: {info.get('name')} {info.get('version')}: {len(heads)} multiple-heads diagnostics, "
                f"definition -> 1c9a7e5b3d20, '{merges[0]['title']}', clean exit")
    except Failure as failure:
        session.proc.kill()
        session.proc.wait()
        stderr = b"".join(session.stderr).decode(errors="replace")[-2000:]
        raise Failure(f"{failure}\n--- server stderr ---\n{stderr}") from None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", required=True, type=Path)
    parser.add_argument("--inside", type=Path)
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    try:
        print(run(args.command, args.project.resolve(), args.inside or args.project.resolve()))
    except Failure as failure:
        print(f"lsp_smoke: FAILED: {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
