"""Helpers for the command-line tests: running the binary and Debian's Alembic, and
writing small Alembic projects and git repositories."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

BINARY = os.environ.get("ALEMBIC_LSP_BINARY", "alembic-lsp")
SOURCE_DIR = Path(os.environ.get("ALEMBIC_SOURCE_DIR", Path(__file__).resolve().parents[2]))
# The first python3 on PATH may lack Alembic; Debian's has 1.8.1.
ALEMBIC_PYTHON = os.environ.get("ALEMBIC_LSP_PYTHON", "/usr/bin/python3")
ALEMBIC_TEMPLATE = None
# scripts/test-windows.sh runs the e2e tests against alembic-lsp.exe under wine: paths the
# binary prints are Windows paths ('\\' between the parts).
WINDOWS = os.environ.get("ALEMBIC_LSP_WINDOWS_URIS") == "1"
# Git for the binary under test. Under wine (scripts/test-windows.sh) ALEMBIC_LSP_WINE_GIT
# says what git.exe wine's PATH has: "none" (the default: Git for Windows is not on this
# machine, Debian packages only) or "standin" (test-windows.sh --git-standin:
# tests/windows/git-standin.c, a STAND-IN for Git for Windows that runs Debian's git behind
# wine; it proves the .exe's side, finding git.exe, CreateProcessW, pipes, exit codes and the
# parsing of git's answers, not Git for Windows itself).
WINE_GIT = os.environ.get("ALEMBIC_LSP_WINE_GIT", "none") if WINDOWS else None
# The binary under test has no git: tests of git's answers assert their absence instead.
NO_GIT = WINDOWS and WINE_GIT != "standin"
NO_GIT_UNDER_WINE = ("needs git: alembic-lsp.exe runs under wine without git.exe here "
                     "(scripts/test-windows.sh --git-standin runs it with a stand-in); the "
                     "answers without git are tested instead")


def without_git(env):
    """`env` in which the binary under test finds no git: an empty PATH; under wine, no
    WINEPATH (where scripts/test-windows.sh --git-standin puts its git.exe) and the Unix
    PATH kept (the .exe's PATH is wine's, and tests/windows/alembic-lsp-wine.sh needs bash)."""
    env = {k: v for k, v in env.items() if k != "WINEPATH"}
    if not WINDOWS:
        env["PATH"] = str(Path(tempfile.gettempdir()) / "alembic-lsp-no-such-dir")
    return env


def wine_launcher(path):
    """Under wine: writes at `path` a script that runs alembic-lsp.exe as BINARY does, with
    the prefix, the .exe and (with --git-standin) WINEPATH of this run written into it, for
    tests that run the binary in an environment of their own (a CI recipe's, a hook's).
    Returns `path`."""
    names = ("WINEPREFIX", "WINEDEBUG", "WINEDLLOVERRIDES", "WINEPATH", "ALEMBIC_LSP_EXE")
    lines = ["#!/bin/sh"] + [f"export {n}='{os.environ[n]}'" for n in names if n in os.environ]
    if "WINEPATH" not in os.environ:
        lines.append("unset WINEPATH")
    lines.append(f"exec '{Path(BINARY).resolve()}' \"$@\"")
    Path(path).write_text("\n".join(lines) + "\n")
    Path(path).chmod(0o755)
    return Path(path)


def posix_paths(text):
    """Output of the binary under test with its Windows paths (wine's drive "Z:\\tmp\\x",
    "alembic\\versions\\a.py") written as this machine's ("/tmp/x", "alembic/versions/a.py"),
    to compare with what Alembic prints on Linux."""
    if not WINDOWS:
        return text
    return re.sub(r"(?<![A-Za-z])[Zz]:\\", "/", text).replace("\\", "/")


def native(path):
    """`path` ("a/b.py") with the separators the binary under test prints."""
    return str(path).replace("/", "\\") if WINDOWS else str(path)


def alembic_available():
    """(True, version) or (False, why)."""
    try:
        r = subprocess.run([ALEMBIC_PYTHON, "-c", "import alembic, os; print(alembic.__version__);"
                            "print(os.path.dirname(alembic.__file__))"],
                           capture_output=True, text=True, timeout=60)
    except OSError as e:
        return False, f"{ALEMBIC_PYTHON}: {e}"
    if r.returncode != 0:
        return False, r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "import failed"
    version, package = r.stdout.split()
    global ALEMBIC_TEMPLATE
    ALEMBIC_TEMPLATE = Path(package) / "templates" / "generic" / "script.py.mako"
    return True, version


def require_alembic(test_case_class):
    ok, detail = alembic_available()
    if not ok:
        raise AssertionError(
            f"these tests compare with Alembic, which {ALEMBIC_PYTHON} cannot import ({detail}); "
            "install Debian's python3-alembic or set ALEMBIC_LSP_PYTHON to a Python that has it")
    return detail


def run(args, cwd=None, env=None):
    return subprocess.run([BINARY] + list(args), cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


# The newer Alembics the layout tests also compare with: unpacked beside the system's by
# scripts/fetch-alembic-versions.sh into ALEMBIC_LSP_ALEMBIC_VERSIONS (ctest sets it to
# build/alembic-versions and runs the fetch as a fixture first).
NEWER_ALEMBICS = ("1.13.2", "1.18.4")
ALEMBIC_VERSIONS_DIR = os.environ.get("ALEMBIC_LSP_ALEMBIC_VERSIONS") or str(
    Path(BINARY).resolve().parents[1] / "alembic-versions")


def alembic_env(version=None, base=None):
    """The environment that runs Alembic `version` (None: the system's, 1.8.1)."""
    env = dict(base if base is not None else os.environ, PYTHONDONTWRITEBYTECODE="1")
    if version is not None:
        env["PYTHONPATH"] = str(Path(ALEMBIC_VERSIONS_DIR) / version)
    return env


def require_alembic_versions():
    """Every Alembic the layout tests compare with, as (label, version) pairs; fails (never
    skips) naming what to run when a newer one is not unpacked or does not import."""
    require_alembic(None)
    out = [("1.8.1", None)]
    for version in NEWER_ALEMBICS:
        r = subprocess.run([ALEMBIC_PYTHON, "-c", "import alembic; print(alembic.__version__)"],
                           capture_output=True, text=True, timeout=60, env=alembic_env(version))
        if r.returncode != 0 or r.stdout.strip() != version:
            raise AssertionError(
                f"Alembic {version} is not importable from {ALEMBIC_VERSIONS_DIR}/{version} "
                f"({(r.stderr.strip().splitlines() or [r.stdout.strip()])[-1]}); run "
                f"scripts/fetch-alembic-versions.sh {ALEMBIC_VERSIONS_DIR}")
        out.append((version, version))
    return out


def alembic(args, cwd, version=None):
    """Runs `alembic ARGS` in `cwd` with Alembic `version` (None: the system's 1.8.1)."""
    return subprocess.run([ALEMBIC_PYTHON, "-m", "alembic"] + list(args), cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=alembic_env(version))


def migration(rev, down, labels=None, depends=None, message=None):
    """A migration in the Alembic 1.8 template style."""
    message = message or f"add {rev}"
    revises = "" if down is None else (down if isinstance(down, str) else ", ".join(down))
    return (f'"""{message}\n\nRevision ID: {rev}\nRevises: {revises}\n'
            f'Create Date: 2024-01-01 00:00:00.000000\n\n"""\n'
            "from alembic import op\nimport sqlalchemy as sa\n\n\n"
            "# revision identifiers, used by Alembic.\n"
            f"revision = {rev!r}\n"
            f"down_revision = {down if down is None else (repr(down) if isinstance(down, str) else repr(tuple(down)))}\n"
            f"branch_labels = {labels!r}\n"
            f"depends_on = {depends!r}\n\n\n"
            "def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n")


def migration_with_operations(rev, down, upgrade, downgrade="    pass"):
    """A short migration with these upgrade() and downgrade() bodies (indented source)."""
    return (f'"""{rev}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n'
            f"revision = {rev!r}\ndown_revision = {down!r}\n\n\n"
            f"def upgrade():\n{upgrade}\n\n\ndef downgrade():\n{downgrade}\n")


def make_project(root, revisions, ini_extra=""):
    """An Alembic project at `root`: alembic.ini (script_location = alembic), Alembic's
    own generic script.py.mako, and one file per (rev, down, labels, depends, message)."""
    root = Path(root)
    (root / "alembic" / "versions").mkdir(parents=True, exist_ok=True)
    (root / "alembic.ini").write_text("[alembic]\nscript_location = alembic\n" + ini_extra)
    if ALEMBIC_TEMPLATE is None:
        alembic_available()
    shutil.copy(ALEMBIC_TEMPLATE, root / "alembic" / "script.py.mako")
    for spec in revisions:
        rev = spec[0]
        (root / "alembic" / "versions" / f"{rev}_m.py").write_text(migration(*spec))
    return root


class TempDirTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="alembic-lsp-cli-")).resolve()
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)


class GitRepo:
    """A throwaway repository; identity and branch name are given on each command."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q")

    def git(self, *args):
        r = subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                            "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                           cwd=self.path, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {r.stderr}")
        return r.stdout

    def commit(self, message):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
