"""The soak test's world: a generated 1,000-revision Alembic project inside a real git
repository with a few branches, a mirror of what the server should see (the disk with the
open buffers' unsaved text written over it), and the diagnostics a fresh
`alembic-lsp check --format json` gives for that mirror, in the shape the server publishes."""

import datetime
import hashlib
import json
import os
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "bench"))
import gen_project  # noqa: E402  (the benchmarks' generator: alembic init + years of revisions)

SEVERITIES = {"error": 1, "warning": 2, "info": 3, "hint": 4}
# The globs the server registers for workspace/didChangeWatchedFiles (a client sends
# events for matching files only).
WATCHED_SUFFIXES = (".py", "/alembic.ini", "/pyproject.toml", "/script.py.mako")


def watched(rel):
    return ("/" + rel).endswith(WATCHED_SUFFIXES)


def git(root, *args, check=True):
    r = subprocess.run(["git", "-c", "user.name=Soak", "-c", "user.email=soak@example.com",
                        "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false",
                        "-c", "core.hooksPath=/dev/null", *args],
                       cwd=root, capture_output=True, text=True, timeout=120)
    if check and r.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed ({r.returncode}): {r.stderr}")
    return r


def make_project(root, revisions, seed):
    """The generated project, committed on `main`, and branches a team leaves behind:
    `feature/audit` (two more migrations, one more head), `cleanup` (two migrations
    deleted and one renamed: missing parents whose git history is known) and
    `release/1.0` (an older state, fewer revisions). Returns {branch: commit}."""
    manifest = gen_project.generate(revisions, root, seed, extra_heads=2)
    versions = Path(root) / "migrations" / "versions"
    git(root, "init", "-q")
    files = sorted(versions.iterdir())
    # Two commits on main, so the log has depth: most of the history, then the rest.
    keep_back = files[-40:]
    git(root, "add", "alembic.ini", "migrations/env.py", "migrations/script.py.mako",
        "migrations/README")
    git(root, "add", *[str(f.relative_to(root)) for f in files if f not in keep_back])
    git(root, "commit", "-q", "-m", "import the schema history")
    git(root, "tag", "v0.9")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the last quarter's migrations")

    git(root, "checkout", "-q", "-b", "feature/audit")
    head = manifest["heads"][0]
    for i, (rid, down) in enumerate((("a0d17a0d17a0", head), ("a0d17b0d17b0", manifest["edit"]["parent"]))):
        text = gen_project.render(gen_project.Revision(rid, down, f"audit step {i}"), False,
                                  datetime.datetime(2024, 5, 1, 10, i), random.Random(i))
        (versions / f"{rid}_audit_step_{i}.py").write_text(text)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "audit tables")

    git(root, "checkout", "-q", "main")
    git(root, "checkout", "-q", "-b", "cleanup")
    gone = [Path(manifest["branch"]["parent_path"]), Path(manifest["edit"]["parent_path"])]
    for p in gone:
        git(root, "rm", "-q", str(p.relative_to(root)))
    moved = Path(manifest["edit"]["path"])
    git(root, "mv", str(moved.relative_to(root)), str(moved.with_name("renamed_" + moved.name).relative_to(root)))
    git(root, "commit", "-q", "-m", "drop two migrations, rename one")

    git(root, "checkout", "-q", "main")
    git(root, "branch", "release/1.0", "v0.9")
    branches = ["main", "feature/audit", "cleanup", "release/1.0"]
    return {b: git(root, "rev-parse", b).stdout.strip() for b in branches}


def files_under(root):
    """(path, stat) of every file under root but .git (a file gone meanwhile is left out)."""
    root = str(root)
    for dirpath, dirnames, filenames in os.walk(root):
        if dirpath == root and ".git" in dirnames:
            dirnames.remove(".git")
        for name in filenames:
            full = os.path.join(dirpath, name)
            try:
                st = os.stat(full)
            except FileNotFoundError:
                continue
            yield full, st


def effective_state(root, buffers, cache):
    """{relative path: bytes} of every file under root but .git, with the open buffers'
    text written over the disk. `cache` keeps file contents by stat, across calls."""
    state = {}
    root = str(root)
    cut = len(root) + 1
    for full, st in files_under(root):
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        hit = cache.get(full)
        if hit is None or hit[0] != key:
            with open(full, "rb") as f:
                hit = (key, f.read())
            cache[full] = hit
        state[full[cut:]] = hit[1]
    for path, text in buffers.items():
        state[path[cut:] if path.startswith(root + "/") else os.path.relpath(path, root)] = text.encode()
    return state


class Mirror:
    """A directory kept equal to an effective state, with `.git` pointing at the real
    repository (check reads history from commits and refs only, never the work tree)."""

    def __init__(self, path, real_root):
        self.path = Path(path)
        self.path.mkdir(parents=True)
        (self.path / ".git").write_text(f"gitdir: {Path(real_root).resolve() / '.git'}\n")
        self.files = {}  # relative path -> sha1 of what is written

    def sync(self, state):
        for rel in list(self.files):
            if rel not in state:
                (self.path / rel).unlink()
                del self.files[rel]
        for rel, data in state.items():
            digest = hashlib.sha1(data).digest()
            if self.files.get(rel) == digest:
                continue
            target = self.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            self.files[rel] = digest


def utf16_column(line_bytes, byte_column):
    return len(line_bytes[:byte_column].decode("utf-8", errors="replace").encode("utf-16-le")) // 2


# The unsafe-operation codes (analysis/finding_rules.h): the server reports them on open
# migrations only (the default `lint = "open"`), `check` on every migration under --lint all.
OPERATION_CODES = {"not-null-without-default", "index-not-concurrent", "concurrently-in-transaction",
                   "column-type-change", "rename-table-or-column", "drop-table-or-column",
                   "irreversible-downgrade", "downgrade-not-inverse"}


def check_diagnostics(binary, mirror, state, env=None, open_paths=None):
    """What `alembic-lsp check --format json --lint all` says about the mirror, as
    {relative path: sorted [diagnostic key]} (see diagnostic_key): the operation findings
    only for `open_paths` (relative), as the server shows them."""
    open_paths = set(open_paths or ())
    r = subprocess.run([binary, "check", "--format", "json", "--lint", "all", "."], cwd=mirror.path,
                       capture_output=True, text=True, timeout=300, env=env)
    if r.returncode not in (0, 1):
        raise AssertionError(f"check exited {r.returncode}: {r.stderr[-2000:]}")
    report = json.loads(r.stdout)
    mirror_prefix = str(mirror.path.resolve()) + "/"
    out = {}
    for environment in report["environments"]:
        for d in environment["diagnostics"]:
            rel = d["path"][len(mirror_prefix):] if d["path"].startswith(mirror_prefix) else d["path"]
            if d["code"] in OPERATION_CODES and rel not in open_paths:
                continue
            lines = state.get(rel, b"").split(b"\n")

            def pos(line, column):
                text = lines[line - 1] if 0 < line <= len(lines) else b""
                return (line - 1, utf16_column(text, column - 1))
            message = d["message"]
            h = d.get("history")
            # What the server appends (HistoryLookups::annotate), when history::worth_reporting.
            if h and not ("suggestion" in d and h["fate"] == "not-found" and not h["refs"]
                          and not h["shallow"]):
                message += " Git history: " + h["summary"] + "."
            key = (pos(d["line"], d["column"]), pos(d["end_line"], d["end_column"]),
                   SEVERITIES[d["severity"]], d["code"], message, tuple(d["revisions"]),
                   d.get("suggestion"))
            out.setdefault(rel, []).append(key)
    return {rel: sorted(keys) for rel, keys in out.items()}


def server_diagnostics(published, root):
    """The server's last publishDiagnostics per file, in the same shape."""
    out = {}
    prefix = str(Path(root).resolve()) + "/"
    for path, diagnostics in published.items():
        if not diagnostics:
            continue
        rel = path[len(prefix):] if path.startswith(prefix) else path
        keys = []
        for d in diagnostics:
            r = d["range"]
            data = d.get("data") or {}
            keys.append(((r["start"]["line"], r["start"]["character"]),
                         (r["end"]["line"], r["end"]["character"]), d.get("severity"),
                         # The editor gets the first sentence and the detail on two lines;
                         # check's JSON message joins them with a space.
                         d.get("code"), d["message"].replace("\n", " "),
                         tuple(data.get("revisions", [])),
                         data.get("suggestion")))
        out[rel] = sorted(keys)
    return out


def describe_difference(expected, actual, limit=12):
    lines = []
    for rel in sorted(set(expected) | set(actual)):
        want, got = expected.get(rel, []), actual.get(rel, [])
        if want == got:
            continue
        missing = [k for k in want if k not in got]
        extra = [k for k in got if k not in want]
        lines.append(f"  {rel}:")
        lines += [f"    - check only : {k}" for k in missing[:limit]]
        lines += [f"    + server only: {k}" for k in extra[:limit]]
        if len(lines) > 6 * limit:
            lines.append("  ...")
            break
    return "\n".join(lines)
