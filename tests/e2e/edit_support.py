"""Applying a server's WorkspaceEdit to disk the way an editor does (text edits, then
file renames), telling the server what changed, and asking Alembic itself about the
result. Shared by the rename and quick-fix end-to-end tests."""

import subprocess
import textwrap
import time
from pathlib import Path

from lsp_client import LspClient, path_to_uri, uri_to_path

ALEMBIC_PYTHON = "/usr/bin/python3"  # Debian's python3 with python3-alembic


def offset_of(text, position):
    """The str index of an LSP position (characters counted in UTF-16 code units)."""
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[:position["line"]])
    line = lines[position["line"]] if position["line"] < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= position["character"]:
            return offset + i
        units += 2 if ord(ch) > 0xFFFF else 1
    return offset + len(line)


def apply_text_edits(text, edits):
    spans = [(offset_of(text, e["range"]["start"]), offset_of(text, e["range"]["end"]), e["newText"])
             for e in edits]
    spans.sort(key=lambda s: (s[0], s[1]))
    for (s1, e1, _), (s2, _, _) in zip(spans, spans[1:]):
        assert e1 <= s2, f"overlapping edits at {s1}-{e1} and {s2}"
    for start, end, new in reversed(spans):
        text = text[:start] + new + text[end:]
    return text


def apply_workspace_edit(edit):
    """Applies a WorkspaceEdit to disk. Returns (changed, created, deleted) paths."""
    changed, created, deleted = [], [], []
    for change in edit.get("documentChanges", []):
        kind = change.get("kind")
        if kind == "rename":
            old, new = Path(uri_to_path(change["oldUri"])), Path(uri_to_path(change["newUri"]))
            assert not new.exists(), f"{new} exists"
            old.rename(new)
            deleted.append(old)
            created.append(new)
        elif kind == "create":
            path = Path(uri_to_path(change["uri"]))
            assert not path.exists(), f"{path} exists"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
            created.append(path)
        elif kind is not None:
            raise AssertionError(f"unexpected resource operation {kind}")
        else:
            path = Path(uri_to_path(change["textDocument"]["uri"]))
            path.write_text(apply_text_edits(path.read_text(), change["edits"]))
            if path not in created:
                changed.append(path)
    for uri, edits in edit.get("changes", {}).items():
        path = Path(uri_to_path(uri))
        path.write_text(apply_text_edits(path.read_text(), edits))
        changed.append(path)
    return changed, created, deleted


def tell_server(client, changed=(), created=(), deleted=()):
    """didChangeWatchedFiles for what an edit did on disk."""
    changes = ([{"uri": path_to_uri(p), "type": 1} for p in created]
               + [{"uri": path_to_uri(p), "type": 2} for p in changed]
               + [{"uri": path_to_uri(p), "type": 3} for p in deleted])
    if changes:
        client.notify("workspace/didChangeWatchedFiles", {"changes": changes})


def apply_and_tell(client, edit):
    changed, created, deleted = apply_workspace_edit(edit)
    tell_server(client, changed, created, deleted)
    return changed, created, deleted


def wait_indexed(client, timeout=60):
    """Waits until the server has installed its first index (alembic/graph says so)."""
    deadline = time.time() + timeout
    while not client.request("alembic/graph", {})["indexed"]:
        if time.time() > deadline:
            raise TimeoutError("the server never finished indexing")
        time.sleep(0.05)


def start_indexed(test, root, **initialize):
    """A server for `test` (killed at its end) on `root`, initialized (with `initialize`'s
    capabilities / init_options) and done with its first index."""
    client = LspClient()
    test.addCleanup(client.kill)
    client.initialize(root, **initialize)
    wait_indexed(client)
    return client


def alembic(root, *args, config="alembic.ini"):
    """Runs Debian's Alembic in `root`; returns the CompletedProcess."""
    return subprocess.run([ALEMBIC_PYTHON, "-m", "alembic", "-c", config, *args], cwd=root,
                          capture_output=True, text=True, timeout=120)


def alembic_heads(root, config="alembic.ini"):
    """The revision ids `alembic heads` prints, or raises with Alembic's output."""
    done = alembic(root, "heads", config=config)
    if done.returncode != 0:
        raise AssertionError(f"alembic heads failed:\n{done.stdout}\n{done.stderr}")
    return sorted(line.split()[0] for line in done.stdout.splitlines() if line.strip())


def migration(rev, down, message):
    """A migration as `alembic revision` writes it (generic template)."""
    return textwrap.dedent(f'''\
        """{message}

        Revision ID: {rev}
        Revises: {down or ""}
        Create Date: 2024-03-01 10:00:00.000000

        """
        from alembic import op
        import sqlalchemy as sa


        # revision identifiers, used by Alembic.
        revision = '{rev}'
        down_revision = {repr(down)}
        branch_labels = None
        depends_on = None


        def upgrade():
            pass


        def downgrade():
            pass
        ''')
