#!/usr/bin/env python3
"""The bundled examples say what they promise (examples/README.md).

examples/clean: `check --format json` exits 0 with one head and no error or warning, and
real Alembic agrees on everything run_parity.py compares (its `alembic heads` prints
exactly the head of our JSON).
examples/tangled: exits 1 and reports each finding of EXPECTED at its file and line, and
no error or warning that the table does not list for that file. Ignored files (the
versions dir's __init__.py, README.md and the editor lock file) yield no revision and no
diagnostic.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

import alembic_ref  # noqa: E402

alembic_ref.ensure_alembic_importable()

import run_parity  # noqa: E402

MAIN = "migrations/versions/"
AUDIT = "services/audit/migrations/versions/"

# (code, file relative to examples/tangled, 1-based line, extra checks on the diagnostic)
EXPECTED = [
    ("multiple-heads", None, None, {}),  # graph-wide; where it is reported is the engine's call
    ("missing-revision", MAIN + "5e8f0a2b4c6d_add_order_discounts.py", 14,
     {"suggestion": "a1b2c3d4e5f6"}),  # a file name instead of an id
    ("missing-revision", MAIN + "d8a0c2e4f6b1_add_payment_refunds.py", 14,
     {"suggestion": "9f4e2d1c0b8a"}),  # a prefix of exactly one id
    ("duplicate-revision", MAIN + "3a7c9e1b5d2f_add_refund_reason.py", 13, {}),
    ("duplicate-revision", MAIN + "b9d1f3a5c7e0_add_refund_status.py", 13, {}),
    ("header-mismatch", MAIN + "6a8c0e2f4b1d_add_currency_to_accounts.py", 4, {}),
    ("unexpected-base", MAIN + "c4d5e6f7a8b9_merge_due_date_and_tax_id.py", 16, {}),
    ("branch-label-conflict", MAIN + "a7c9e1f3b5d0_create_billing_reports.py", 15, {}),
    ("unresolved-value", MAIN + "e1f3a5c7b9d2_expand_initial.py", 17, {}),
    ("syntax-error", MAIN + "0f2a4c6e8b1d_backfill_ledger_balances.py", 20, {}),
    ("not-a-migration", MAIN + "migration_utils.py", 1, {}),
    ("invalid-revision-id", MAIN + "2023_11_02-add-tags.py", 15, {}),
    ("missing-down-revision", MAIN + "c2e4a6b8d0f1_seed_currencies.py", 13, {}),
    ("empty-down-revision", MAIN + "b3d5f7a9c1e0_add_fx_rates.py", 15, {}),
    # Alembic < 1.12.1 reads '' as None: an unlabelled second base.
    ("unexpected-base", MAIN + "b3d5f7a9c1e0_add_fx_rates.py", 15, {}),
    ("revision-cycle", AUDIT + "5b6c7d8e9f0a_add_actor_column.py", 15, {}),
    ("revision-cycle", AUDIT + "8e9f0a1b2c3d_partition_audit_events.py", 14, {}),
    ("revision-cycle", AUDIT + "d2e3f4a5b6c7_add_retention_policy.py", 14, {}),
]

IGNORED = [MAIN + "__init__.py", MAIN + "README.md",
           MAIN + ".#0f2a4c6e8b1d_backfill_ledger_balances.py"]


def run_check(binary: str, project: str) -> tuple[int, dict | None, str]:
    proc = subprocess.run([binary, "check", "--format", "json", project],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    out = proc.stdout.decode("utf-8", "replace")
    try:
        return proc.returncode, json.loads(out), proc.stderr.decode("utf-8", "replace")
    except ValueError:
        return proc.returncode, None, "invalid JSON: %r; stderr: %s" % (
            out[:300], proc.stderr.decode("utf-8", "replace")[-300:])


def rel(path: str, root: str) -> str:
    return os.path.relpath(os.path.realpath(path), os.path.realpath(root))


def check_clean(binary: str, root: str, failures: list[str]) -> None:
    rc, doc, err = run_check(binary, root)
    if doc is None:
        failures.append("clean: %s" % err)
        return
    if rc != 0:
        failures.append("clean: exit code %d, expected 0" % rc)
    case = run_parity.Case(0, 0, root)
    env = run_parity.check_shape(case, doc)
    if env is None:
        failures.extend("clean: " + p for p in case.problems)
        return
    if env.get("alembic") != {"version": "newest", "source": None, "requirement": None}:
        failures.append("clean: no pin, so the newest Alembic; JSON says %r" % env.get("alembic"))
    if len(env["heads"]) != 1:
        failures.append("clean: expected one head, got %s" % env["heads"])
    for d in env["diagnostics"]:
        if d.get("severity") in ("error", "warning"):
            failures.append("clean: unexpected %s %s at %s:%s: %s" % (
                d.get("severity"), d.get("code"), d.get("path"), d.get("line"),
                d.get("message")))
    ini = os.path.join(root, "alembic.ini")
    heads_text, warns = alembic_ref.run_command(ini, ["heads"])
    alembic_heads = alembic_ref.parse_heads(heads_text)
    if alembic_heads != env["heads"]:
        failures.append("clean: `alembic heads` printed %r, our JSON says %r"
                        % (heads_text, env["heads"]))
    if warns:
        failures.append("clean: Alembic warned: %s" % "; ".join(warns))
    ref = alembic_ref.facts(ini)
    run_parity.compare(case, ref, env, rc)
    failures.extend("clean: " + p for p in case.problems)


def check_tangled(binary: str, root: str, failures: list[str]) -> None:
    rc, doc, err = run_check(binary, root)
    if doc is None:
        failures.append("tangled: %s" % err)
        return
    if rc != 1:
        failures.append("tangled: exit code %d, expected 1" % rc)
    envs = doc.get("environments") or []
    if len(envs) != 2:
        failures.append("tangled: expected 2 environments (migrations, services/audit), got %s"
                        % [e.get("name") for e in envs])
    for e in envs:  # the pin in requirements.txt decides which Alembic the findings describe
        want = {"version": "1.8.1", "source": "requirements.txt", "requirement": "alembic==1.8.1"}
        if e.get("alembic") != want:
            failures.append("tangled: environment %s alembic is %r, expected %r"
                            % (e.get("name"), e.get("alembic"), want))
    diagnostics = [d for e in envs for d in e.get("diagnostics", [])]
    for d in diagnostics:
        d["_rel"] = rel(d["path"], root) if isinstance(d.get("path"), str) else None

    for code, path, line, extra in EXPECTED:
        found = [d for d in diagnostics if d.get("code") == code
                 and (path is None or d["_rel"] == path)
                 and (line is None or d.get("line") == line)]
        if not found:
            near = ["%s:%s %s" % (d["_rel"], d.get("line"), d.get("code")) for d in diagnostics
                    if d.get("code") == code or (path and d["_rel"] == path)]
            failures.append("tangled: missing %s at %s:%s (engine has: %s)"
                            % (code, path, line, ", ".join(near) or "nothing"))
            continue
        for key, want in extra.items():
            if not any(d.get(key) == want for d in found):
                failures.append("tangled: %s at %s:%s: expected %s %r, got %r"
                                % (code, path, line, key, want, [d.get(key) for d in found]))

    allowed = {(code, path) for code, path, _, _ in EXPECTED}
    for d in diagnostics:
        if d.get("severity") not in ("error", "warning"):
            continue
        if (d.get("code"), d["_rel"]) in allowed or (d.get("code"), None) in allowed:
            continue
        failures.append("tangled: unexpected %s %s at %s:%s: %s" % (
            d.get("severity"), d.get("code"), d["_rel"], d.get("line"), d.get("message")))

    revision_paths = {rel(r["path"], root) for e in envs for r in e.get("revisions", [])
                      if isinstance(r.get("path"), str)}
    for path in IGNORED:
        if path in revision_paths or any(d["_rel"] == path for d in diagnostics):
            failures.append("tangled: %s must be ignored like Alembic ignores it" % path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--examples", default=os.path.join(HERE, "..", "..", "examples"))
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    examples = os.path.abspath(args.examples)
    failures: list[str] = []
    check_clean(binary, os.path.join(examples, "clean"), failures)
    check_tangled(binary, os.path.join(examples, "tangled"), failures)
    for f in failures:
        print(f)
    print("examples: %s" % ("ok" if not failures else "%d problem(s)" % len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
