"""The editor side of the soak test: open buffers changed the way VS Code sends changes
(one incremental didChange per keystroke, UTF-16 ranges, versions counting up), saves,
file operations on disk followed by the watched-files events a client sends, and
WorkspaceEdits applied as a client applies them."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "e2e"))
from lsp_client import LspClient, path_to_uri, uri_to_path  # noqa: E402
from edit_support import offset_of  # noqa: E402

from soak_project import files_under, watched  # noqa: E402


def position(text, index):
    """The LSP position (UTF-16 code units) of str index `index` in text."""
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return {"line": line, "character": len(text[start:index].encode("utf-16-le")) // 2}


class SoakClient(LspClient):
    """LspClient that keeps only the last diagnostics per file (an hour of notifications
    would otherwise pile up) and lets the caller wait for the next one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.published = {}  # path -> last diagnostics
        self.publishes = 0
        self.shown = []  # window/showMessage of type error or warning

    def fold(self):
        """Takes the notifications received so far into `published`; returns the count of
        publishDiagnostics seen. Call with self.cond held."""
        for n in self.notifications:
            if n["method"] == "textDocument/publishDiagnostics":
                self.published[uri_to_path(n["params"]["uri"])] = n["params"]["diagnostics"]
                self.publishes += 1
            elif n["method"] == "window/showMessage" and n["params"].get("type", 4) <= 2:
                self.shown.append(n["params"]["message"])
        self.notifications.clear()
        self.server_requests.clear()
        del self.stderr_lines[:-200]
        return self.publishes


class Buffer:
    def __init__(self, text, saved):
        self.text = text
        self.version = 1
        self.saved = saved  # the text last loaded or saved: the buffer is dirty when different

    @property
    def dirty(self):
        return self.text != self.saved


class Editor:
    def __init__(self, client, root):
        self.client = client
        self.root = Path(root)
        self.buffers = {}  # absolute path str -> Buffer
        self.events_sent = 0

    # -- documents ----------------------------------------------------------
    def open(self, path, text=None):
        path = str(path)
        disk = Path(path).read_text() if Path(path).exists() else ""
        text = disk if text is None else text
        self.buffers[path] = Buffer(text, disk)
        self.client.notify("textDocument/didOpen", {"textDocument": {
            "uri": path_to_uri(path), "languageId": "python", "version": 1, "text": text}})

    def close(self, path):
        del self.buffers[path]
        self.client.notify("textDocument/didClose", {"textDocument": {"uri": path_to_uri(path)}})

    def change(self, path, edits):
        """One didChange with `edits` [(start, end, new)] (str indexes into the current
        text, non-overlapping), sent last first so every range holds when it is applied."""
        buf = self.buffers[path]
        changes = []
        for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
            changes.append({"range": {"start": position(buf.text, start), "end": position(buf.text, end)},
                            "text": new})
            buf.text = buf.text[:start] + new + buf.text[end:]
        buf.version += 1
        self.client.notify("textDocument/didChange", {
            "textDocument": {"uri": path_to_uri(path), "version": buf.version},
            "contentChanges": changes})

    def type(self, path, index, text):
        """Types `text` at str index `index`, one didChange per character, none waited for."""
        for ch in text:
            self.change(path, [(index, index, ch)])
            index += len(ch)

    def replace(self, path, start, end, text):
        """Selects [start, end), deletes it, types text."""
        if end > start:
            self.change(path, [(start, end, "")])
        self.type(path, start, text)

    def save(self, path):
        buf = self.buffers[path]
        with self.disk_changes():
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(buf.text)
        buf.saved = buf.text
        self.client.notify("textDocument/didSave", {"textDocument": {"uri": path_to_uri(path)}})

    # -- the disk -------------------------------------------------------------
    def snapshot(self):
        return {full: (st.st_ino, st.st_mtime_ns, st.st_size)
                for full, st in files_under(self.root)}

    def disk_changes(self):
        return _DiskChanges(self)

    def tell(self, before, after):
        """didChangeWatchedFiles for what changed between two snapshots (watched globs only),
        then clean buffers whose file changed are reloaded, as editors do."""
        changes = []
        for p in sorted(set(before) | set(after)):
            if before.get(p) == after.get(p) or not watched(os.path.relpath(p, self.root)):
                continue
            kind = 3 if p not in after else (1 if p not in before else 2)
            changes.append({"uri": path_to_uri(p), "type": kind})
        if changes:
            self.client.notify("workspace/didChangeWatchedFiles", {"changes": changes})
            self.events_sent += len(changes)
        for p, buf in list(self.buffers.items()):
            if p in after and before.get(p) != after.get(p) and not buf.dirty:
                disk = Path(p).read_text(errors="replace")
                if disk != buf.text:
                    self.change(p, [(0, len(buf.text), disk)])
                buf.saved = disk

    # -- workspace edits ----------------------------------------------------------
    def apply(self, edit):
        """Applies a WorkspaceEdit as VS Code does: resource operations on disk (the file
        watcher reports them), text edits into buffers (a file not open is opened first;
        the result stays unsaved)."""
        with self.disk_changes():
            for change in edit.get("documentChanges", []):
                kind = change.get("kind")
                if kind == "create":
                    path = Path(uri_to_path(change["uri"]))
                    if path.exists() and not change.get("options", {}).get("overwrite"):
                        raise AssertionError(f"create of an existing file {path}")
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text("")
                elif kind == "rename":
                    old, new = uri_to_path(change["oldUri"]), uri_to_path(change["newUri"])
                    if Path(new).exists():
                        raise AssertionError(f"rename onto an existing file {new}")
                    if Path(old).exists():
                        os.rename(old, new)
                    if old in self.buffers:
                        buf = self.buffers[old]
                        self.close(old)
                        self.open(new, buf.text)
                elif kind is not None:
                    raise AssertionError(f"unexpected resource operation {kind}")
                else:
                    self._edit(uri_to_path(change["textDocument"]["uri"]), change["edits"])
            for uri, edits in edit.get("changes", {}).items():
                self._edit(uri_to_path(uri), edits)

    def _edit(self, path, edits):
        if path not in self.buffers:
            self.open(path)
        text = self.buffers[path].text
        self.change(path, [(offset_of(text, e["range"]["start"]), offset_of(text, e["range"]["end"]),
                            e["newText"]) for e in edits])


class _DiskChanges:
    """with editor.disk_changes(): ... sends the watched-file events for what the block did."""

    def __init__(self, editor):
        self.editor = editor

    def __enter__(self):
        self.before = self.editor.snapshot()

    def __exit__(self, *exc):
        self.editor.tell(self.before, self.editor.snapshot())
        return False


def wait_publish(client, seen, timeout):
    """Waits until more than `seen` publishDiagnostics arrived (True) or timeout (False)."""
    with client.cond:
        if client.fold() > seen:
            return True
        client.cond.wait(timeout)
        return client.fold() > seen

