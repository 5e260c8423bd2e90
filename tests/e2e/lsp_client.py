"""A small LSP client for end-to-end tests: starts the real binary and talks to it
over stdio exactly as an editor does (Content-Length framing, JSON-RPC 2.0)."""

import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

BINARY = os.environ.get("ALEMBIC_LSP_BINARY", "alembic-lsp")
SOURCE_DIR = Path(os.environ.get("ALEMBIC_SOURCE_DIR", Path(__file__).resolve().parents[2]))

# The capabilities VS Code's client sends, trimmed to what matters to this server.
CLIENT_CAPABILITIES = {
    "general": {"positionEncodings": ["utf-16"]},
    "workspace": {
        "applyEdit": True,
        "workspaceEdit": {"documentChanges": True, "resourceOperations": ["create", "rename", "delete"]},
        "didChangeWatchedFiles": {"dynamicRegistration": True, "relativePatternSupport": True},
        "workspaceFolders": True,
        "configuration": True,
        "executeCommand": {"dynamicRegistration": True},
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": True, "didSave": True},
        "publishDiagnostics": {"relatedInformation": True, "codeDescriptionSupport": True,
                               "versionSupport": False},
        "definition": {"linkSupport": True},
        "references": {},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
            "", "quickfix", "refactor", "source"]}}, "isPreferredSupport": True,
            "resolveSupport": {"properties": ["edit"]}},
    },
    "window": {"workDoneProgress": True},
}


# ALEMBIC_LSP_WINDOWS_URIS=1 (scripts/test-windows.sh, the .exe under wine): URIs are
# written as VS Code writes them on Windows, for the drive Z: that wine maps to "/"
# ("/tmp/p/a.py" <-> "file:///z%3A/tmp/p/a.py"), so the server sees Windows-form URIs.
WINDOWS_URIS = os.environ.get("ALEMBIC_LSP_WINDOWS_URIS") == "1"


def path_to_uri(path):
    if WINDOWS_URIS:
        return "file:///z%3A" + quote(str(Path(path).resolve()))
    return "file://" + quote(str(Path(path).resolve()))


def uri_to_path(uri):
    path = unquote(urlparse(uri).path)
    if WINDOWS_URIS and len(path) >= 3 and path[0] == "/" and path[2] == ":":
        assert path[1] in "zZ", f"a URI on a drive other than wine's Z: ({uri})"
        path = path[3:]
    return path


def native(path):
    """A path ("migrations/versions/a.py") as the server under test writes it: with '\\'
    between the parts under wine (the .exe prints Windows paths)."""
    return str(path).replace("/", "\\") if WINDOWS_URIS else str(path)


def local_path(path):
    """A path the server reported ("Z:\\tmp\\p\\a.py" or "migrations\\a.py" under wine) as a
    path on this machine ("/tmp/p/a.py", "migrations/a.py")."""
    if not WINDOWS_URIS:
        return path
    path = str(path).replace("\\", "/")
    if len(path) >= 3 and path[1] == ":" and path[2] == "/":
        assert path[0] in "zZ", f"a path on a drive other than wine's Z: ({path})"
        path = path[2:]
    return path


def local_paths(value, keys=("path", "config")):
    """`value` (a JSON answer) with local_path applied to the strings under `keys`."""
    if isinstance(value, list):
        return [local_paths(v, keys) for v in value]
    if isinstance(value, dict):
        return {k: local_path(v) if k in keys and isinstance(v, str) else local_paths(v, keys)
                for k, v in value.items()}
    return value


class LspError(Exception):
    def __init__(self, error):
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.code = error.get("code")
        self.error = error


class LspClient:
    def __init__(self, args=None, cwd=None, env=None):
        self.proc = subprocess.Popen(
            [BINARY] + (args or []), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.next_id = 1
        self.responses = {}
        self.notifications = []
        self.server_requests = []
        self.cond = threading.Condition()
        self.closed = False
        self.stderr_lines = []
        self.apply_edit_handler = None
        threading.Thread(target=self._read_loop, daemon=True).start()
        self.stderr_closed = threading.Event()  # set when the server's stderr hits EOF
        threading.Thread(target=self._stderr_loop, daemon=True).start()

    # -- wire ---------------------------------------------------------------
    def send_raw(self, body: bytes, headers=None):
        head = headers if headers is not None else f"Content-Length: {len(body)}\r\n\r\n".encode()
        try:
            self.proc.stdin.write(head + body)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            if not self.closed and self.proc.poll() is None:
                raise

    def send(self, message):
        self.send_raw(json.dumps(message).encode())

    def _read_message(self):
        headers = {}
        while True:
            line = self.proc.stdout.readline()
            if not line:
                return None
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers["content-length"])
        body = b""
        while len(body) < length:
            chunk = self.proc.stdout.read(length - len(body))
            if not chunk:
                return None
            body += chunk
        return json.loads(body)

    def _read_loop(self):
        while True:
            msg = self._read_message()
            if msg is None:
                break
            with self.cond:
                if "method" in msg and "id" in msg:
                    self.server_requests.append(msg)
                    self._answer_server_request(msg)
                elif "method" in msg:
                    self.notifications.append(msg)
                else:
                    self.responses[msg.get("id")] = msg
                self.cond.notify_all()
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def _stderr_loop(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line.decode(errors="replace"))
        self.stderr_closed.set()

    def _answer_server_request(self, msg):
        result = None
        if msg["method"] == "workspace/applyEdit" and self.apply_edit_handler:
            result = self.apply_edit_handler(msg["params"]["edit"])
        elif msg["method"] == "workspace/applyEdit":
            result = {"applied": True}
        elif msg["method"] == "workspace/configuration":
            result = [None for _ in msg["params"]["items"]]
        self.send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    # -- requests -----------------------------------------------------------
    def request_async(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params or {}})
        return rid

    def wait_response(self, rid, timeout=30):
        deadline = time.time() + timeout
        with self.cond:
            while rid not in self.responses:
                if self.closed:
                    raise RuntimeError(f"server closed before answering request {rid}; stderr:\n"
                                       + "".join(self.stderr_lines[-20:]))
                left = deadline - time.time()
                if left <= 0:
                    raise TimeoutError(f"no response to request {rid}")
                self.cond.wait(left)
            return self.responses.pop(rid)

    def request(self, method, params=None, timeout=30):
        resp = self.wait_response(self.request_async(method, params), timeout)
        if "error" in resp:
            raise LspError(resp["error"])
        return resp.get("result")

    def notify(self, method, params=None):
        self.send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def wait_for(self, predicate, timeout=30, what="notification"):
        """Waits for a notification satisfying predicate; returns it (searching all seen)."""
        return self._wait_in(self.notifications, predicate, timeout, what)

    def wait_server_request(self, predicate, timeout=30, what="request from the server"):
        """Waits for a request from the server satisfying predicate (searching all seen)."""
        return self._wait_in(self.server_requests, predicate, timeout, what)

    def _wait_in(self, messages, predicate, timeout, what):
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for m in messages:
                    if predicate(m):
                        return m
                if self.closed:
                    raise RuntimeError(f"server closed while waiting for {what}")
                left = deadline - time.time()
                if left <= 0:
                    raise TimeoutError(f"timed out waiting for {what}")
                self.cond.wait(left)

    # -- LSP helpers --------------------------------------------------------
    def initialize(self, root, capabilities=None, init_options=None, folders=True):
        params = {
            # Under wine a Linux process id names no Windows process: none is sent.
            "processId": None if WINDOWS_URIS else os.getpid(),
            "clientInfo": {"name": "e2e-tests", "version": "1"},
            "rootUri": path_to_uri(root),
            "capabilities": capabilities if capabilities is not None else CLIENT_CAPABILITIES,
        }
        if folders:
            params["workspaceFolders"] = [{"uri": path_to_uri(root), "name": Path(root).name}]
        if init_options is not None:
            params["initializationOptions"] = init_options
        result = self.request("initialize", params)
        self.notify("initialized", {})
        return result

    def diagnostics(self, path):
        """The latest publishDiagnostics for a file, or None."""
        uri = path_to_uri(path)
        with self.cond:
            for n in reversed(self.notifications):
                if n["method"] == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri:
                    return n["params"]["diagnostics"]
        return None

    def clear_notifications(self):
        with self.cond:
            self.notifications.clear()

    def wait_diagnostics(self, path, predicate, timeout=30):
        uri = path_to_uri(path)

        def match(n):
            return (n["method"] == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri
                    and predicate(n["params"]["diagnostics"]))
        return self.wait_for(match, timeout, f"diagnostics on {path}")["params"]["diagnostics"]

    def open(self, path, text=None, version=1):
        text = Path(path).read_text() if text is None else text
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": path_to_uri(path), "languageId": "python", "version": version, "text": text}})
        return text

    def shutdown(self, timeout=10):
        self.request("shutdown")
        self.notify("exit")
        return self.proc.wait(timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except (BrokenPipeError, ValueError, OSError):
                pass


def copy_example(name):
    """A private copy of an example project, removed by the caller's cleanup."""
    tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-e2e-"))
    dest = tmp / name
    shutil.copytree(SOURCE_DIR / "examples" / name, dest)
    return tmp, dest


def position_of(text, needle, occurrence=0, offset=0):
    """The LSP (UTF-16) position of the n-th occurrence of needle in text."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    line_start = text.rfind("\n", 0, index) + 1
    character = len(text[line_start:index].encode("utf-16-le")) // 2
    return {"line": line, "character": character}


class ServerTestCase(unittest.TestCase):
    """Starts one server per test on a private copy of an example."""

    example = "tangled"

    def setUp(self):
        self.tmp, self.root = copy_example(self.example)
        self.client = LspClient()
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.addCleanup(self.client.kill)
