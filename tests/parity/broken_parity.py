#!/usr/bin/env python3
"""Broken histories against real Alembic, then the quick fixes Alembic must accept.

For each seeded broken project (gen_broken.py: missing-revision, revision-cycle,
branch-label-conflict, duplicate-revision, invalid-revision-id, missing-down-revision,
not-a-migration; alone and combined):
  1. Alembic (the one this process imports: ALEMBIC_LSP_ALEMBIC_PATH picks a newer one)
     fails loading it with the error class of one of the breaks, quoting that break's key
     (a duplicate only warns: "Revision X is present more than once");
  2. `check --format json` reports every break as its finding, on the break's file, with
     the key in the message, and exits 1;
  3. through the server, as an editor does (tests/e2e/lsp_client.py: didOpen,
     textDocument/codeAction, codeAction/resolve, the WorkspaceEdit applied to disk,
     didChangeWatchedFiles), the preferred quick fix of each error finding is applied (the
     first fix offered when none is preferred) until no error finding with a fix is left;
  4. Alembic then loads the project, and `check` agrees with it on everything
     run_parity.py compares.
The project pins the Alembic under test in requirements.txt, so the findings follow the
version that is really run.

One line per problem, then `broken: N passed, M failed`. Exit 1 on any failure.
CI runs a fixed seed and a modest count; a longer run by hand:
    broken_parity.py --binary build/alembic-lsp --count 500 --seed 7
Rebuild a case with: gen_broken.py --seed S --index I --out DIR
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))
sys.dont_write_bytecode = True

import alembic_ref  # noqa: E402

alembic_ref.ensure_alembic_importable()

import gen_broken  # noqa: E402
import gen_graphs  # noqa: E402
import run_parity  # noqa: E402

# What Alembic raises (class name) for each kind of break, and how its text quotes the key.
ALEMBIC_ERRORS = {
    "missing-revision": ("KeyError",),
    "revision-cycle": ("CycleDetected", "LoopDetected", "DependencyCycleDetected"),
    "branch-label-conflict": ("RevisionError",),
    "invalid-revision-id": ("RevisionError",),
    "missing-down-revision": ("AttributeError",),
    "not-a-migration": ("CommandError",),
    "empty-down-revision": ("KeyError",),
}
MAX_ROUNDS = 12


def version_tuple() -> tuple[int, ...]:
    return tuple(int(x) for x in alembic_ref.version().split(".")[:3])


def alembic_fails_on(b) -> bool:
    """Whether the Alembic under test refuses this break (measured per version)."""
    if b.kind == "duplicate-revision" or b.alembic_loads:
        return False
    if b.kind == "invalid-revision-id" and b.variant == ":":
        return version_tuple() >= (1, 17, 1)
    if b.kind == "empty-down-revision":
        return version_tuple() >= (1, 12, 1)
    return True


def is_error(b) -> bool:
    """Whether the finding of this break is an error for the pinned Alembic."""
    if b.kind == "empty-down-revision" or (b.kind == "invalid-revision-id" and b.variant == ":"):
        return alembic_fails_on(b)
    return True


# Findings that mean Alembic refuses the history (revision-cycle only when Alembic can see
# it, duplicate-revision never: Alembic warns and loads).
REFUSED_BY_ALEMBIC = {"missing-revision", "branch-label-conflict", "invalid-revision-id",
                      "missing-down-revision", "not-a-migration", "empty-down-revision"}


def quoted_by_alembic(kind: str, key: str, text: str) -> bool:
    if kind in ("missing-revision", "empty-down-revision"):
        return text == repr(key)  # KeyError's str() is the repr of the missing key
    if kind == "revision-cycle":
        inside = text[text.find("(") + 1:text.rfind(")")]
        return key in [s.strip() for s in inside.split(",")]
    if kind == "branch-label-conflict":
        return ("Branch name '%s'" % key) in text
    if kind == "invalid-revision-id":
        return ("revision identifier '%s'" % key) in text
    if kind == "missing-down-revision":
        return ("has no attribute '%s'" % key) in text
    if kind == "not-a-migration":
        return ("from filename %s" % key) in text
    return False


class Case(run_parity.Case):
    pass


def alembic_loads(ini: str):
    """(None, warnings) when Alembic loads the history, else (exception, [])."""
    try:
        _, warns = alembic_ref.run_command(ini, ["heads"])
        return None, warns
    except alembic_ref.AlembicError as e:
        return e.__cause__, []


def check_alembic_fails(case: Case, broken) -> None:
    error, warns = alembic_loads(broken.project.ini)
    failing = [b for b in broken.breaks if alembic_fails_on(b)]
    if error is None:
        if failing:
            case.fail("alembic", "Alembic %s loaded a history broken by %s"
                      % (alembic_ref.version(), [(b.kind, b.keys) for b in failing]))
        for b in broken.breaks:
            if b.kind == "duplicate-revision" and \
                    "Revision %s is present more than once" % b.keys[0] not in warns:
                case.fail("alembic", "no duplicate warning for %s: %s" % (b.keys[0], warns))
        return
    name, text = type(error).__name__, str(error)
    if not any(name in ALEMBIC_ERRORS[b.kind] and
               all(quoted_by_alembic(b.kind, k, text) for k in b.keys) for b in failing):
        case.fail("alembic", "Alembic %s failed with %s: %s, which matches none of %s"
                  % (alembic_ref.version(), name, text,
                     [(b.kind, b.keys) for b in broken.breaks]))


def run_check(binary: str, root: str) -> tuple[int, dict | None, str]:
    proc = subprocess.run([binary, "check", "--format", "json", root], capture_output=True,
                          timeout=120)
    try:
        return proc.returncode, json.loads(proc.stdout), proc.stderr.decode(errors="replace")
    except ValueError:
        return proc.returncode, None, proc.stderr.decode(errors="replace")


def error_diagnostics(doc: dict) -> list[dict]:
    return [d for env in doc.get("environments", []) for d in env.get("diagnostics", [])
            if d.get("severity") == "error"]


def check_findings(case: Case, broken, binary: str) -> None:
    rc, doc, err = run_check(binary, broken.project.root)
    if doc is None:
        case.fail("check", "exit %d, no JSON; stderr: %s" % (rc, err[-300:]))
        return
    errors = error_diagnostics(doc)
    if rc != (1 if errors else 0):
        case.fail("check", "exit %d with %d error finding(s)" % (rc, len(errors)))
    if not errors and any(is_error(b) for b in broken.breaks):
        case.fail("check", "no error finding on a history broken by %s"
                  % [(b.kind, b.keys) for b in broken.breaks])
    diags = [d for env in doc.get("environments", []) for d in env.get("diagnostics", [])]
    cycle = any(b.kind == "revision-cycle" for b in broken.breaks)
    for b in broken.breaks:
        if cycle and b.kind == "branch-label-conflict":
            continue  # labels propagate along an order a cycle does not have: not checked
        where = {os.path.realpath(p) for p in [b.path] + b.also}
        hits = [d for d in diags if d.get("code") == b.kind and d.get("path")
                and os.path.realpath(d["path"]) in where]
        if not hits:
            case.fail("finding", "no %s on %s (%s); findings there: %s"
                      % (b.kind, b.path, b.variant,
                         [(d.get("code"), d.get("message")) for d in diags
                          if d.get("path") and os.path.realpath(d["path"])
                          == os.path.realpath(b.path)]))
            continue
        if not any(all(k in (d.get("message") or "") for k in b.keys) for d in hits):
            case.fail("finding", "%s on %s does not quote %s: %s"
                      % (b.kind, b.path, b.keys, [d.get("message") for d in hits]))
        # The project pins the Alembic under test: what it refuses is an error, what it
        # still loads (':' before 1.17.1, '' before 1.12.1) a warning.
        if b.kind == "empty-down-revision" or (b.kind == "invalid-revision-id"
                                               and b.variant == ":"):
            want = "error" if alembic_fails_on(b) else "warning"
            if not any(d.get("severity") == want for d in hits):
                case.fail("finding", "%s on %s with Alembic %s pinned: expected %s, got %s"
                          % (b.kind, b.path, alembic_ref.version(), want,
                             [(d.get("severity"), d.get("message")) for d in hits]))


def check_version_shown(case: Case, broken, binary: str, client, lsp) -> None:
    """The pinned Alembic, and where it was read, in `check`'s summaries and in hover."""
    want = "%s (from requirements.txt: alembic==%s)" % ((alembic_ref.version(),) * 2)
    root = broken.project.root
    text = subprocess.run([binary, "check", root], capture_output=True, text=True, timeout=120)
    if "\n  alembic: %s\n" % want not in text.stdout:
        case.fail("check text", "no `alembic: %s` line in: %s" % (want, text.stdout[-400:]))
    rc, doc, err = run_check(binary, root)
    shown = [e.get("alembic") for e in (doc or {}).get("environments", [])]
    expect = {"version": alembic_ref.version(), "source": "requirements.txt",
              "requirement": "alembic==%s" % alembic_ref.version()}
    if not shown or any(a != expect for a in shown):
        case.fail("check json", "alembic %r, expected %r" % (shown, expect))
    spot = None
    for rev in broken.project.graph.revs:
        path = broken.project.files[rev.id]
        if not os.path.exists(path):
            continue
        source = lsp_text(path)
        for i, text in enumerate(source.split("\n")):
            if text.startswith("revision") and rev.id in text:
                spot = (path, source, i, text.index(rev.id) + 1)
                break
        if spot:
            break
    if spot is None:
        case.fail("hover", "no revision line to hover on")
        return
    path, source, line, col = spot
    client.open(path, source)
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": lsp.path_to_uri(path)},
        "position": {"line": line, "character": col}})
    client.notify("textDocument/didClose", {"textDocument": {"uri": lsp.path_to_uri(path)}})
    value = (hover or {}).get("contents", {}).get("value", "")
    if want.replace("(", "").replace(")", "") not in value.replace("\\", "").replace(
            "(", "").replace(")", ""):
        case.fail("hover", "hover on %s does not say %s: %r" % (path, want, value[-300:]))


def fix_round(client, lsp, edit_support, diag: dict, case: Case) -> bool:
    """Applies the preferred quick fix of one `check` diagnostic through the server."""
    path = diag["path"]
    text = lsp_text(path)
    client.open(path, text)
    try:
        lsp_diags = client.wait_diagnostics(
            path, lambda ds: any(d.get("code") == diag["code"] for d in ds), timeout=30)
    except TimeoutError:
        case.fail("server", "no %s published on %s" % (diag["code"], path))
        return False
    target = [d for d in lsp_diags if d.get("code") == diag["code"]
              and d["range"]["start"]["line"] == diag["line"] - 1] or \
        [d for d in lsp_diags if d.get("code") == diag["code"]]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": lsp.path_to_uri(path)}, "range": target[0]["range"],
        "context": {"diagnostics": [target[0]], "only": ["quickfix"]}}) or []
    actions = [a for a in actions if a.get("kind") == "quickfix"]
    client.notify("textDocument/didClose", {"textDocument": {"uri": lsp.path_to_uri(path)}})
    if not actions:
        return False
    chosen = next((a for a in actions if a.get("isPreferred")), actions[0])
    if "edit" not in chosen:
        chosen = client.request("codeAction/resolve", chosen)
    if "edit" not in chosen:
        case.fail("server", "quick fix %r has no edit after resolve" % chosen.get("title"))
        return False
    edit_support.apply_and_tell(client, chosen["edit"])
    case.applied.append("%s: %s" % (diag["code"], chosen.get("title")))
    return True


def lsp_text(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def fix_and_reload(case: Case, broken, binary: str) -> None:
    os.environ["ALEMBIC_LSP_BINARY"] = binary
    import edit_support
    import lsp_client as lsp
    root = broken.project.root
    client = lsp.LspClient(cwd=root)
    unfixable: dict[tuple, int] = {}
    try:
        client.initialize(root)
        edit_support.wait_indexed(client)
        check_version_shown(case, broken, binary, client, lsp)
        for _ in range(MAX_ROUNDS):
            rc, doc, err = run_check(binary, root)
            if doc is None:
                case.fail("check", "no JSON after fixes; stderr: %s" % err[-300:])
                return
            todo = [d for d in error_diagnostics(doc) if d.get("code") != "multiple-heads"
                    and (d.get("code"), d.get("path"), d.get("line")) not in unfixable]
            if not todo:
                break
            d = todo[0]
            client.clear_notifications()
            if not fix_round(client, lsp, edit_support, d, case):
                unfixable[(d.get("code"), d.get("path"), d.get("line"))] = 1
    finally:
        try:
            client.shutdown()
        except Exception:  # noqa: BLE001 - a dead server is reported by the checks below
            client.kill()
    rc, doc, err = run_check(binary, root)
    if doc is None:
        case.fail("check", "no JSON after fixes; stderr: %s" % err[-300:])
        return
    left = [d for d in error_diagnostics(doc) if d.get("code") not in ("multiple-heads",
                                                                        "unexpected-base")]
    if left:
        # No quick fix for these (e.g. a missing parent in the middle of a line of
        # history: no head can take its place without a cycle). `check` must still agree
        # with Alembic: what it calls refused, Alembic refuses.
        case.unfixed.extend(d.get("code") for d in left)
        error, _ = alembic_loads(broken.project.ini)
        refused = [d for d in left if d.get("code") in REFUSED_BY_ALEMBIC]
        if error is None and refused:
            case.fail("check-vs-alembic", "after %s, check reports %s but Alembic %s loads it"
                      % (case.applied, [(d.get("code"), d.get("message")) for d in refused],
                         alembic_ref.version()))
        return
    try:
        ref = alembic_ref.facts(broken.project.ini, tolerate_errors=False)
    except Exception as e:  # noqa: BLE001
        case.fail("alembic-after-fixes", "Alembic %s still fails after %s: %s"
                  % (alembic_ref.version(), case.applied, e))
        return
    env = run_parity.check_shape(case, doc)
    if env is not None:
        run_parity.compare(case, ref, env, rc, allowed_errors={"multiple-heads"})


def run_case(args, index: int, root: str) -> Case:
    case = Case(args.seed, index, root)
    case.applied = []
    case.unfixed = []
    broken = gen_broken.build_broken(gen_graphs.graph_seed(args.seed, index), root)
    with open(os.path.join(root, "requirements.txt"), "w") as f:
        f.write("SQLAlchemy>=1.4\nalembic==%s\n" % alembic_ref.version())
    if not broken.breaks:
        case.fail("generator", "no break could be made")
        return case
    check_alembic_fails(case, broken)
    check_findings(case, broken, args.binary)
    if not case.problems:
        fix_and_reload(case, broken, args.binary)
    return case


def main() -> int:
    ap = argparse.ArgumentParser(description="broken histories: alembic-lsp vs Alembic")
    ap.add_argument("--binary", required=True)
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", metavar="DIR", help="write and keep every case under DIR")
    ap.add_argument("--only", type=int, default=None)
    args = ap.parse_args()
    if not (os.path.isfile(args.binary) and os.access(args.binary, os.X_OK)):
        print("error: binary %s is not an executable file" % args.binary)
        return 1
    args.binary = os.path.abspath(args.binary)
    unfixed: dict[str, int] = {}

    def count_unfixed(case) -> None:
        for code in getattr(case, "unfixed", []):
            unfixed[code] = unfixed.get(code, 0) + 1

    indexes = [args.only] if args.only is not None else range(args.count)
    passed, failed = alembic_ref.run_cases(args.keep, "alembic-broken-", "broken_%04d", indexes,
                                           lambda index, root: run_case(args, index, root),
                                           count_unfixed)
    if unfixed:
        print("no quick fix offered (left for the user; Alembic agreed): %s"
              % ", ".join("%s: %d" % kv for kv in sorted(unfixed.items())))
    print("broken (Alembic %s): %d passed, %d failed" % (alembic_ref.version(), passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
