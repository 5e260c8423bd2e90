"""Real Alembic, run in-process, as the reference for the parity tests.

Alembic's `Config` binds `sys.stdout` as a default argument when alembic.config is imported,
so `contextlib.redirect_stdout` does NOT capture what `alembic heads` prints (checked with
1.8.1: the output goes to the real terminal and the redirected buffer stays empty). We
therefore run the real command-line code (`CommandLine` parses the same argv and
`run_cmd` calls the same command function) and only hand the `Config` our own buffer.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import warnings

CANDIDATE_PYTHONS = ["/usr/bin/python3", "/usr/local/bin/python3"]


def ensure_alembic_importable() -> None:
    """Re-executes this script under a Python that has Alembic, if this one has not.

    The python3 first on PATH can be a pyenv or venv build without Alembic while the
    distribution's python3 has it; set ALEMBIC_PYTHON to choose explicitly.
    ALEMBIC_LSP_ALEMBIC_PATH=DIR runs the Alembic unpacked in DIR (scripts/
    fetch-alembic-versions.sh) instead of the system's; it is a failure if that one is not
    the Alembic that gets imported.
    """
    extra = os.environ.get("ALEMBIC_LSP_ALEMBIC_PATH")
    if extra:
        if not os.path.isfile(os.path.join(extra, "alembic", "__init__.py")):
            sys.exit("error: ALEMBIC_LSP_ALEMBIC_PATH=%s holds no alembic package; run "
                     "scripts/fetch-alembic-versions.sh %s" % (extra, extra))
        sys.path.insert(0, os.path.abspath(extra))
    try:
        import alembic  # noqa: F401
    except ImportError:
        alembic = None
    if alembic is not None:
        expect = os.environ.get("ALEMBIC_LSP_ALEMBIC_EXPECT")
        if expect and version() != expect:
            sys.exit("error: Alembic %s imported from %s, expected %s"
                     % (version(), alembic.__file__, expect))
        if extra and not os.path.realpath(alembic.__file__).startswith(
                os.path.realpath(extra) + os.sep):
            sys.exit("error: imported %s, not the Alembic in %s" % (alembic.__file__, extra))
        return
    if os.environ.get("ALEMBIC_PARITY_REEXEC"):
        sys.exit("error: no Python with Alembic found (tried %s); set ALEMBIC_PYTHON"
                 % sys.executable)
    wanted = os.environ.get("ALEMBIC_PYTHON")
    for candidate in ([wanted] if wanted else []) + CANDIDATE_PYTHONS:
        if candidate and os.path.exists(candidate) and \
                os.path.realpath(candidate) != os.path.realpath(sys.executable):
            os.environ["ALEMBIC_PARITY_REEXEC"] = "1"
            os.execv(candidate, [candidate] + sys.argv)
    sys.exit("error: Alembic is not importable from %s; set ALEMBIC_PYTHON" % sys.executable)


def version() -> str:
    """The version of the Alembic this process runs (e.g. "1.13.2")."""
    import alembic
    return alembic.__version__.split(".dev")[0]


# Alembic 1.16+ warns about how the ini spells its separators (every command, every
# project written in the older style); these say nothing about the history.
CONFIG_STYLE_WARNINGS = ("No path_separator found in configuration",
                         "The version_path_separator configuration parameter is deprecated")


class AlembicError(Exception):
    """Alembic failed on a project (a traceback or a CommandError)."""


def run_command(ini: str, argv: list[str]) -> tuple[str, list[str]]:
    """Runs `alembic -c INI <argv>` in-process from the ini's directory (as a user would);
    returns (stdout text, warning messages)."""
    from alembic.config import CommandLine, Config

    cwd = os.getcwd()
    saved_path = sys.path[:]
    buf = io.StringIO()
    os.chdir(os.path.dirname(os.path.abspath(ini)))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cl = CommandLine(prog="alembic")
            options = cl.parser.parse_args(["--raiseerr", "-c", os.path.abspath(ini)] + argv)
            if hasattr(cl, "_inis_from_config"):  # 1.16+: -c may name an ini and a toml
                toml, ini_file = cl._inis_from_config(options)
                cfg = Config(file_=ini_file, toml_file=toml, ini_section=options.name,
                             cmd_opts=options, stdout=buf)
            else:
                cfg = Config(file_=options.config, ini_section=options.name, cmd_opts=options,
                             stdout=buf)
            try:
                cl.run_cmd(cfg, options)
            except Exception as e:  # KeyError, CycleDetected, CommandError ...
                raise AlembicError("%s: %s" % (type(e).__name__, e)) from e
        return buf.getvalue(), [str(w.message) for w in caught
                                if not str(w.message).startswith(CONFIG_STYLE_WARNINGS)]
    finally:
        os.chdir(cwd)
        sys.path[:] = saved_path


def parse_heads(text: str) -> list[str]:
    """`alembic heads` prints one `id (labels) (head)` / `(effective head)` line per head."""
    return [line.split()[0] for line in text.splitlines() if line.strip()]


def parse_branches(text: str) -> dict[str, list[str]]:
    """`alembic branches` prints `id (labels) (branchpoint)` then one indented
    `-> child (labels) ...` line per child, then a blank line."""
    points: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if line[0].isspace():
            stripped = line.strip()
            if not stripped.startswith("-> ") or current is None:
                raise ValueError("unexpected `alembic branches` line: %r" % line)
            points[current].append(stripped[3:].split()[0])
        else:
            current = line.split()[0]
            if "(branchpoint)" not in line:
                raise ValueError("unexpected `alembic branches` line: %r" % line)
            points[current] = []
    return points


def script_directory(ini: str):
    """ScriptDirectory for an ini, with the revision map loaded (from the ini's dir)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cwd = os.getcwd()
    saved_path = sys.path[:]
    os.chdir(os.path.dirname(os.path.abspath(ini)))
    try:
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            script = ScriptDirectory.from_config(Config(os.path.abspath(ini)))
            script.revision_map._revision_map  # load now, while in the right directory
        return script
    finally:
        os.chdir(cwd)
        sys.path[:] = saved_path


def facts(ini: str, tolerate_errors: bool = False) -> dict:
    """Everything the parity test compares, as Alembic answers it.

    With tolerate_errors, a command Alembic fails on (e.g. `branches` over duplicated ids)
    gives None for its fields and its error in "errors"; otherwise it raises AlembicError.
    """
    warns: list[str] = []
    errors: dict[str, str] = {}

    def command(argv: list[str]):
        try:
            text, w = run_command(ini, argv)
        except AlembicError as e:
            if not tolerate_errors:
                raise
            errors[" ".join(argv)] = str(e)
            return None
        warns.extend(w)
        return text

    heads_text = command(["heads"])
    real_text = command(["heads", "--resolve-dependencies"])
    branches_text = command(["branches"])
    script = script_directory(ini)
    rmap = script.revision_map
    revisions = {}
    for key, rev in rmap._revision_map.items():
        if rev is None or key != rev.revision:
            continue  # None/() sentinels and branch-label keys
        revisions[rev.revision] = {
            "down_revisions": list(rev._versioned_down_revisions),
            "depends_on": list(_to_list(rev.dependencies)),
            "resolved_depends_on": list(rev._resolved_dependencies),
            "branch_labels": list(rev._orig_branch_labels),
            "message": rev.doc,
            "path": os.path.realpath(rev.path),
        }
    return {
        "heads": None if heads_text is None else parse_heads(heads_text),
        "real_heads": None if real_text is None else parse_heads(real_text),
        "bases": list(script.get_bases()),
        "branch_points": None if branches_text is None else parse_branches(branches_text),
        "merge_points": sorted(r for r, v in revisions.items() if len(v["down_revisions"]) > 1),
        "revisions": revisions,
        "warnings": warns,
        "errors": errors,
        "raw": {"heads": heads_text, "heads --resolve-dependencies": real_text,
                "branches": branches_text},
    }


def _to_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def run_cases(keep: str | None, prefix: str, folder: str, indexes, run_case,
              on_case=None) -> tuple[int, int]:
    """Runs `run_case(index, root)` for each index, each case in its own folder `folder % index`
    under a work directory (`keep`, kept whole, or a temp directory named `prefix`...). Prints
    the problems of each failing case; removes passing cases unless kept, and the work directory
    when nothing failed. `on_case(case)` sees every case. Returns (passed, failed)."""
    work = os.path.abspath(keep) if keep else tempfile.mkdtemp(prefix=prefix)
    os.makedirs(work, exist_ok=True)
    passed = failed = 0
    for index in indexes:
        root = os.path.join(work, folder % index)
        if os.path.exists(root):
            shutil.rmtree(root)
        case = run_case(index, root)
        if on_case:
            on_case(case)
        if case.problems:
            failed += 1
            for line in case.problems:
                print(line, flush=True)
        else:
            passed += 1
            if not keep:
                shutil.rmtree(root)
    if failed and not keep:
        print("failing cases kept in %s" % work)
    elif not keep:
        shutil.rmtree(work, ignore_errors=True)
    return passed, failed
