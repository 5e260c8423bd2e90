#!/usr/bin/env python3
"""Parity test: alembic-lsp's `check --format json` against real Alembic.

For each seeded random valid graph (gen_graphs.py) this asks Alembic, in-process,
`heads`, `heads --resolve-dependencies`, `branches` and ScriptDirectory.get_bases(), asks
the binary `check --format json <project>`, and compares:
  heads, real_heads, bases, branch points and their children, merge points,
  and every revision's down_revisions / depends_on / branch_labels / message / path;
  plus the binary's contract: exit 0 or 1 (1 exactly when an error diagnostic exists),
  valid JSON of the documented shape, and no error diagnostic other than multiple-heads
  on a graph Alembic accepts.
With --duplicates some graphs also get copy-pasted migrations that keep the original's
revision id; Alembic warns and still answers `heads`, and whatever it fails on is skipped.
One line per mismatch, then `parity: N passed, M failed`. Exit 1 on any failure.

Rebuild a failing graph with: gen_graphs.py --seed S --index I [--duplicates] --out DIR
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # Alembic imports every migration; keep the dirs clean

import alembic_ref  # noqa: E402

alembic_ref.ensure_alembic_importable()

import gen_graphs  # noqa: E402

ALLOWED_ERRORS_ON_VALID_GRAPHS = {"multiple-heads"}


class Case:
    def __init__(self, seed: int, index: int, root: str):
        self.seed, self.index, self.root = seed, index, root
        self.problems: list[str] = []

    def fail(self, field: str, detail: str) -> None:
        self.problems.append("MISMATCH seed=%d index=%d graph=%s %s: %s"
                             % (self.seed, self.index, self.root, field, detail))



def has_module_docstring(path):
    """Whether Python sees a module docstring in this file (ast, no import)."""
    import ast
    try:
        with open(path, "rb") as f:
            return ast.get_docstring(ast.parse(f.read()), clean=False) is not None
    except (OSError, SyntaxError, ValueError):
        return True

def run_binary(binary: str, project: str, timeout: float) -> tuple[int, str, str]:
    proc = subprocess.run([binary, "check", "--format", "json", project],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout)
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"))


def compare_sets(case: Case, field: str, alembic: list[str], engine) -> None:
    """Same ids, each as many times (Alembic lists a duplicated id once per copy)."""
    if not isinstance(engine, list) or not all(isinstance(x, str) for x in engine):
        case.fail(field, "engine value is not a list of strings: %r" % (engine,))
        return
    if sorted(alembic) != sorted(engine):
        a, e = Counter(alembic), Counter(engine)
        case.fail(field, "alembic=%s engine=%s (only alembic: %s; only engine: %s)"
                  % (sorted(alembic), sorted(engine), sorted((a - e).elements()),
                     sorted((e - a).elements())))


def check_shape(case: Case, doc) -> dict | None:
    """The documented JSON shape; returns the single environment or None."""
    if not isinstance(doc, dict) or not isinstance(doc.get("tool"), dict) \
            or doc["tool"].get("name") != "alembic-lsp" \
            or not isinstance(doc.get("environments"), list):
        case.fail("json", "top level is not {tool: {name: alembic-lsp, ...}, environments: [...]}")
        return None
    envs = doc["environments"]
    if len(envs) != 1:
        case.fail("environments", "expected exactly 1 environment, got %d: %s"
                  % (len(envs), [e.get("name") for e in envs if isinstance(e, dict)]))
        return None
    env = envs[0]
    for key, kind in (("name", str), ("version_locations", list), ("revisions", list),
                      ("heads", list), ("bases", list), ("branch_points", dict),
                      ("merge_points", list), ("diagnostics", list)):
        if not isinstance(env.get(key), kind):
            case.fail("json", "environment key %r missing or not a %s" % (key, kind.__name__))
            return None
    if "config" not in env:
        case.fail("json", "environment key 'config' missing")
    return env


def compare(case: Case, ref: dict, env: dict, rc: int, copies: dict[str, int] | None = None,
            allowed_errors: set[str] = ALLOWED_ERRORS_ON_VALID_GRAPHS) -> None:
    """Compares what Alembic answered (fields it could not answer are None and skipped).
    `copies`: how many files define each duplicated id (default: one each)."""
    copies = copies or {}
    if ref["heads"] is not None:
        compare_sets(case, "heads", ref["heads"], env["heads"])
    if "real_heads" not in env:
        case.fail("json", "environment key 'real_heads' missing")
    elif ref["real_heads"] is not None:
        compare_sets(case, "real_heads", ref["real_heads"], env["real_heads"])
    compare_sets(case, "bases", ref["bases"], env["bases"])
    if ref["branch_points"] is not None:
        compare_sets(case, "branch_points", list(ref["branch_points"]),
                     list(env["branch_points"]))
        for point, children in ref["branch_points"].items():
            if point in env["branch_points"]:
                compare_sets(case, "branch_points[%s]" % point, children,
                             env["branch_points"][point])
    compare_sets(case, "merge_points", ref["merge_points"], env["merge_points"])

    engine_revs: dict[str, list[dict]] = {}
    for rev in env["revisions"]:
        if not isinstance(rev, dict) or not isinstance(rev.get("id"), str):
            case.fail("revisions", "revision entry without a string id: %r" % (rev,))
            return
        engine_revs.setdefault(rev["id"], []).append(rev)
    compare_sets(case, "revision ids", list(ref["revisions"]), list(engine_revs))
    for rid, want in ref["revisions"].items():
        entries = engine_revs.get(rid)
        if not entries:
            continue
        if len(entries) != copies.get(rid, 1):
            case.fail("revision %s" % rid, "listed %d times, defined in %d file(s)"
                      % (len(entries), copies.get(rid, 1)))
        # Alembic's map holds the last loaded copy: compare with the entry of that file.
        same_file = [g for g in entries if isinstance(g.get("path"), str)
                     and os.path.realpath(g["path"]) == want["path"]]
        if not same_file:
            case.fail("revision %s path" % rid, "alembic=%r engine=%r"
                      % (want["path"], [g.get("path") for g in entries]))
            continue
        got = same_file[0]
        if got.get("down_revisions") != want["down_revisions"]:  # order as written
            case.fail("revision %s down_revisions" % rid, "alembic=%r engine=%r"
                      % (want["down_revisions"], got.get("down_revisions")))
        # depends_on may be reported as written (ids or branch labels) or resolved to ids
        # the way Alembic resolves it; either must be exact and in order.
        if got.get("depends_on") not in (want["depends_on"], want["resolved_depends_on"]):
            case.fail("revision %s depends_on" % rid,
                      "alembic as written=%r, resolved=%r; engine=%r"
                      % (want["depends_on"], want["resolved_depends_on"], got.get("depends_on")))
        if sorted(got.get("branch_labels") or []) != sorted(want["branch_labels"]):
            case.fail("revision %s branch_labels" % rid, "alembic=%r engine=%r"
                      % (want["branch_labels"], got.get("branch_labels")))
        # alembic-lsp also reads a docstring header placed after an import (real files do
        # that); Python's __doc__, and so Alembic's message, is then empty. Only compare
        # when the string really is the module docstring.
        if has_module_docstring(want["path"]) and got.get("message") != want["message"]:
            case.fail("revision %s message" % rid,
                      "alembic=%r engine=%r" % (want["message"], got.get("message")))

    errors = []
    for d in env["diagnostics"]:
        if not isinstance(d, dict) or not isinstance(d.get("code"), str):
            case.fail("json", "diagnostic without a code: %r" % (d,))
            continue
        if d.get("severity") == "error":
            errors.append(d)
            # An unlabelled second history is also why there are several heads: with
            # more than one head (by Alembic's count) unexpected-base is a true finding.
            several_heads = len(set(ref.get("heads") or [])) > 1
            allowed = allowed_errors | ({"unexpected-base"} if several_heads else set())
            if d["code"] not in allowed:
                case.fail("diagnostics", "error %s on a graph Alembic accepts: %s (%s:%s)"
                          % (d["code"], d.get("message"), d.get("path"), d.get("line")))
    if rc != (1 if errors else 0):
        case.fail("exit code", "got %d with %d error diagnostic(s)" % (rc, len(errors)))


def check_generator(case: Case, project, ref: dict) -> None:
    """The generator's own answers must agree with Alembic, or the test tests nothing."""
    g = project.graph
    for field, mine in (("heads", g.heads()), ("real_heads", g.real_heads()),
                        ("bases", g.bases()), ("merge_points", g.merge_points()),
                        ("branch_points", set(g.branch_points()))):
        theirs = ref[field]
        if set(theirs) != set(mine):
            case.fail("generator-vs-alembic " + field,
                      "alembic=%s generator=%s" % (sorted(theirs), sorted(mine)))
    if ref["warnings"]:
        case.fail("generator-vs-alembic warnings", "; ".join(ref["warnings"]))


def run_case(args, index: int, root: str) -> Case:
    case = Case(args.seed, index, root)
    project = gen_graphs.build(gen_graphs.graph_seed(args.seed, index), root,
                               duplicates=args.duplicates)
    try:
        ref = alembic_ref.facts(project.ini, tolerate_errors=bool(project.duplicates))
    except Exception as e:  # the generator wrote something Alembic rejects
        case.fail("alembic-error", "%s: %s" % (type(e).__name__, e))
        return case
    if project.duplicates:
        expected = {"Revision %s is present more than once" % rid for rid in project.duplicates}
        for w in ref["warnings"]:
            if w not in expected:
                case.fail("alembic warning", w)
    else:
        check_generator(case, project, ref)
    try:
        rc, out, err = run_binary(args.binary, root, args.timeout)
    except subprocess.TimeoutExpired:
        case.fail("binary", "timed out after %ss" % args.timeout)
        return case
    except OSError as e:  # vanished or not executable (e.g. rebuilt while we run)
        case.fail("binary", "cannot run %s: %s" % (args.binary, e))
        return case
    if rc < 0 or rc not in (0, 1):
        case.fail("binary", "exit code %d (crash or usage/IO error); stderr: %s"
                  % (rc, err.strip()[-500:]))
        return case
    try:
        doc = json.loads(out)
    except ValueError as e:
        case.fail("json", "invalid JSON (%s); stdout starts %r; stderr: %s"
                  % (e, out[:200], err.strip()[-300:]))
        return case
    env = check_shape(case, doc)
    if env is not None:
        copies = {rid: len(paths) for rid, paths in project.duplicates.items()}
        allowed = ALLOWED_ERRORS_ON_VALID_GRAPHS | ({"duplicate-revision"} if copies else set())
        compare(case, ref, env, rc, copies, allowed)
    return case


def main() -> int:
    ap = argparse.ArgumentParser(description="alembic-lsp vs Alembic parity test")
    ap.add_argument("--binary", required=True, help="path to the alembic-lsp executable")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", metavar="DIR",
                    help="write every graph under DIR and keep them all "
                         "(default: a temp dir that keeps only failing graphs)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per binary run")
    ap.add_argument("--only", type=int, default=None, help="run just this graph index")
    ap.add_argument("--duplicates", action="store_true",
                    help="also copy-paste some migrations without changing their revision id "
                         "(Alembic warns but answers; commands it fails on are skipped)")
    args = ap.parse_args()

    if not (os.path.isfile(args.binary) and os.access(args.binary, os.X_OK)):
        print("error: binary %s is not an executable file" % args.binary)
        print("parity: 0 passed, %d failed" % (1 if args.only is not None else args.count))
        return 1
    args.binary = os.path.abspath(args.binary)
    indexes = [args.only] if args.only is not None else range(args.count)
    passed, failed = alembic_ref.run_cases(args.keep, "alembic-parity-", "graph_%04d", indexes,
                                           lambda index, root: run_case(args, index, root))
    print("parity (Alembic %s): %d passed, %d failed" % (alembic_ref.version(), passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
