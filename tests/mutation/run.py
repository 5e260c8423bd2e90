#!/usr/bin/env python3
"""Mutation pass over analysis/: do the unit tests notice a planted one-line bug?

Each mutant in mutants.json (beside this script) names a file, an exact text that occurs
exactly once in it, and its replacement. The script copies the repository's tracked files
into a scratch tree (never touching the real sources), configures one build directory there
(reused between runs, so with ccache only what a mutant changes is rebuilt), checks that the
unmutated tree passes, then for each mutant: writes the mutated file, rebuilds the analysis
unit tests, runs them (each executable under a time limit) and restores the file. A mutant
is killed when a test fails, crashes or times out, survived when every test passes, and
invalid when it does not compile (not counted in the score). A mutant whose entry says why it
is `equivalent` (the code behaves the same) is expected to survive and is not counted either.

    tests/mutation/run.py                      # every mutant, unit tests
    tests/mutation/run.py --only findings-self-prefix graph-merge-point
    tests/mutation/run.py --e2e test_quick_fixes  # also run these e2e modules (slower)
    tests/mutation/run.py --check              # the list still applies (ctest: mutation_list)

By hand only: one to five minutes per mutant on 2 shared cores (builds run niced).
"""
import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MUTANTS = HERE / "mutants.json"


def load_mutants(path=MUTANTS):
    """(mutants, focus): focus maps a file to the unit tests tried first."""
    data = json.loads(path.read_text())
    mutants = data["mutants"]
    ids = [m["id"] for m in mutants]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SystemExit(f"{path}: mutant ids used twice: {', '.join(dupes)}")
    return mutants, data.get("focus", {})


def check_list(root, mutants, focus):
    """Every pattern occurs exactly once in its file, under analysis/, and changes it;
    every focus test exists."""
    problems = []
    for file, tests in focus.items():
        for t in tests:
            if not (root / "tests" / "unit" / f"{t}.cpp").is_file():
                problems.append(f"focus of {file}: no tests/unit/{t}.cpp")
    for m in mutants:
        where = f"mutant {m['id']} ({m['file']})"
        if not m["file"].startswith("analysis/"):
            problems.append(f"{where}: only analysis/ sources are mutated")
            continue
        path = root / m["file"]
        if not path.is_file():
            problems.append(f"{where}: file not found")
            continue
        count = path.read_text().count(m["find"])
        if count != 1:
            problems.append(f"{where}: pattern found {count} times, expected once: {m['find']!r}")
        if m["find"] == m["replace"]:
            problems.append(f"{where}: the replacement is the pattern itself")
        if not m.get("why"):
            problems.append(f"{where}: no 'why' (what bug it plants)")
    return problems


def sync_tree(dest):
    """Copies the tracked files (and the working tree's versions of them) into dest/src,
    rewriting only files whose content changed, so the build there stays incremental."""
    files = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], check=True,
                           capture_output=True).stdout.decode().split("\0")
    src = dest / "src"
    for rel in filter(None, files):
        a, b = REPO / rel, src / rel
        if not a.is_file() or a.is_symlink():
            continue
        data = a.read_bytes()
        if b.is_file() and b.read_bytes() == data:
            continue
        b.parent.mkdir(parents=True, exist_ok=True)
        b.write_bytes(data)
        shutil.copymode(a, b)
    return src


def unit_targets(src):
    return sorted(p.stem for p in (src / "tests" / "unit").glob("analysis_*_test.cpp"))


def nice(cmd):
    return ["nice", "-n", "19"] + cmd


def build(build_dir, targets, log):
    result = subprocess.run(nice(["cmake", "--build", str(build_dir), "-j2", "--target"] + targets),
                            capture_output=True, text=True)
    log.write(result.stdout + result.stderr)
    return result.returncode == 0, result.stdout + result.stderr


def run_tests(build_dir, targets, e2e, src, timeout):
    """Returns None when everything passes, else (test, reason)."""
    for t in targets:
        exe = build_dir / "tests" / t
        try:
            r = subprocess.run(nice([str(exe), "--gtest_brief=1"]), capture_output=True, text=True,
                               timeout=timeout, cwd=build_dir)
        except subprocess.TimeoutExpired:
            return t, f"timed out after {timeout} s"
        if r.returncode != 0:
            failed = [l.split("]", 1)[1].strip() for l in r.stdout.splitlines() if l.startswith("[  FAILED  ]")]
            return t, (", ".join(dict.fromkeys(failed))[:300] or f"exit {r.returncode}")
    for module in e2e:
        env = dict(os.environ, ALEMBIC_LSP_BINARY=str(build_dir / "server" / "alembic-lsp"),
                   ALEMBIC_SOURCE_DIR=str(src), PYTHONDONTWRITEBYTECODE="1")
        try:
            r = subprocess.run(nice([sys.executable, "-m", "unittest", module]), capture_output=True,
                               text=True, timeout=timeout * 5, cwd=src / "tests" / "e2e", env=env)
        except subprocess.TimeoutExpired:
            return module, "timed out"
        if r.returncode != 0:
            return module, r.stderr.strip().splitlines()[-1][:300]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/alembic-lsp-mutation"),
                    help="scratch tree and build directory (kept between runs)")
    ap.add_argument("--only", nargs="*",
                    help="mutant ids to run, in this order (default: all, in the list's order)")
    ap.add_argument("--e2e", nargs="*", default=[], help="e2e modules to run too, e.g. test_quick_fixes")
    ap.add_argument("--timeout", type=int, default=120, help="seconds per test executable")
    ap.add_argument("--check", action="store_true", help="only check that every mutant applies")
    ap.add_argument("--focus-only", action="store_true",
                    help="run only each file's own tests (quicker; a survivor is then 'survived "
                         "focus', not checked against the other tests)")
    ap.add_argument("--tests", nargs="*",
                    help="only these analysis unit tests are built and run (quicker on a loaded "
                         "machine; a survivor then survived only these)")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()

    mutants, focus = load_mutants()
    problems = check_list(REPO, mutants, focus)
    if args.check:
        for p in problems:
            print(p)
        print(f"{len(mutants)} mutants, {len(problems)} problems")
        return 1 if problems else 0
    if problems:
        raise SystemExit("the mutant list does not apply:\n" + "\n".join(problems))
    if args.only:
        unknown = set(args.only) - {m["id"] for m in mutants}
        if unknown:
            raise SystemExit(f"unknown mutant ids: {', '.join(sorted(unknown))}")
        by_id = {m["id"]: m for m in mutants}
        mutants = [by_id[i] for i in dict.fromkeys(args.only)]  # in the order given

    args.work.mkdir(parents=True, exist_ok=True)
    src = sync_tree(args.work)
    build_dir = args.work / "build"
    env = dict(os.environ)
    env.setdefault("CMAKE_CXX_COMPILER_LAUNCHER", "ccache")
    env.setdefault("CMAKE_C_COMPILER_LAUNCHER", "ccache")
    subprocess.run(["cmake", "-S", str(src), "-B", str(build_dir), "-G", "Ninja",
                    "-DCMAKE_BUILD_TYPE=RelWithDebInfo", "-DALEMBIC_LSP_TESTS=ON"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    targets = unit_targets(src)
    if args.tests:
        unknown = set(args.tests) - set(targets)
        if unknown:
            raise SystemExit(f"unknown unit tests: {', '.join(sorted(unknown))}")
        targets = sorted(set(args.tests))
    build_targets = targets + (["alembic-lsp"] if args.e2e else [])
    log = open(args.work / "build.log", "w")

    print(f"baseline: building {len(build_targets)} targets in {build_dir}", flush=True)
    ok, out = build(build_dir, build_targets, log)
    if not ok:
        raise SystemExit("the unmutated tree does not build:\n" + out[-3000:])
    failure = run_tests(build_dir, targets, args.e2e, src, args.timeout)
    if failure:
        raise SystemExit(f"the unmutated tree fails {failure[0]}: {failure[1]}")

    results = []
    for n, m in enumerate(mutants, 1):
        path = src / m["file"]
        original = path.read_text()
        start = time.monotonic()
        path.write_text(original.replace(m["find"], m["replace"], 1))
        try:
            # The file's own tests first (cheap: only they are relinked); a mutant they miss
            # then meets every analysis unit test (and the e2e modules asked for).
            first = [t for t in focus.get(m["file"], []) if t in targets]
            rest = [t for t in targets if t not in first]
            status, by = "survived", "focus tests only" if args.focus_only and first else ""
            stages = ((1, first or targets, []),) if args.focus_only else ((1, first, []), (2, rest, args.e2e))
            for stage, stage_targets, e2e in stages:
                if not stage_targets and not e2e:
                    continue
                ok, out = build(build_dir, stage_targets + (["alembic-lsp"] if e2e else []), log)
                if not ok:
                    status, by = "invalid", "does not compile"
                    break
                failure = run_tests(build_dir, stage_targets, e2e, src, args.timeout)
                if failure:
                    status, by = "killed", f"{failure[0]}: {failure[1]}"
                    break
        finally:
            path.write_text(original)
        if m.get("equivalent"):
            # Argued harmless in the list: surviving is expected, being killed means the
            # argument is wrong.
            status = "equivalent" if status == "survived" else f"{status} (listed as equivalent!)"
        results.append({"id": m["id"], "file": m["file"], "status": status, "by": by,
                        "seconds": round(time.monotonic() - start)})
        print(f"[{n}/{len(mutants)}] {status:8} {m['id']:32} {by}", flush=True)

    killed = sum(r["status"] == "killed" for r in results)
    survived = [r for r in results if r["status"] == "survived"]
    invalid = sum(r["status"] == "invalid" for r in results)
    equivalent = [r for r in results if r["status"] == "equivalent"]
    wrong = [r for r in results if "listed as equivalent" in r["status"]]
    counted = killed + len(survived)
    score = 100.0 * killed / counted if counted else 0.0
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    print(f"\nmutation score {score:.0f}%: {killed} killed, {len(survived)} survived, "
          f"{len(equivalent)} equivalent (not counted), {invalid} invalid "
          f"({datetime.date.today()}, commit {commit})")
    for r in survived:
        m = next(x for x in mutants if x["id"] == r["id"])
        print(f"  survived {r['id']}: {m['why']}")
    if args.json:
        args.json.write_text(json.dumps({"commit": commit, "date": str(datetime.date.today()),
                                         "score": score, "unit_tests": targets, "e2e": args.e2e,
                                         "results": results}, indent=1) + "\n")
    for r in equivalent:
        m = next(x for x in mutants if x["id"] == r["id"])
        print(f"  equivalent {r['id']}: {m['equivalent']}")
    for r in wrong:
        print(f"  {r['id']} is listed as equivalent but was killed: correct mutants.json")
    return 1 if survived or wrong else 0


if __name__ == "__main__":
    sys.exit(main())
