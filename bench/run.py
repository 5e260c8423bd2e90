#!/usr/bin/env python3
"""Benchmarks alembic-lsp against Alembic itself on synthetic projects.

One command: `bench/run.py` (1,000 and 10,000 migrations) or `bench/run.py --full`
(adds 100,000). For each size it measures, side by side:

  cat      the floor: `find versions -name '*.py' -print0 | xargs -0 cat >/dev/null`
  check    `alembic-lsp check PROJECT` (cold process, page cache warm, as in CI)
  alembic  `/usr/bin/python3 -m alembic heads` (Alembic's own .pyc warm: one untimed run first)
  server   the language server over stdio: initialize -> the first publishDiagnostics
           and -> diagnostics on both head files (the project gets a second head for
           this part), then didChange latency of one file whose down_revision flips
           between its parent and None (one more base and head, then back), measured
           client-side from the write of didChange to the last publishDiagnostics it
           causes; the server's CPU time per edit (all its threads, from
           /proc/PID/task/*/schedstat); peak RSS (VmHWM) and RSS after the first 100
           edits and after the last one.

Prints a table, compares with the project's targets and writes JSON results
(default: build-bench/results.json, outside git).
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import gen_project  # noqa: E402

ALEMBIC = ["/usr/bin/python3", "-m", "alembic"]

# --- measuring processes ------------------------------------------------------------------

def timed_run(argv, cwd=None, shell=False):
    """Runs a command to completion: wall and CPU seconds, max RSS (MB), rc, output tails.
    CPU and RSS come from wait4(), so they cover the command and its reaped children."""
    import tempfile
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, shell=shell, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024.0,
                "rc": proc.returncode, "stdout": out.read().decode(errors="replace")[-4000:],
                "stderr": err.read().decode(errors="replace")[-4000:]}


def measured(argv, runs, cwd=None, shell=False):
    """`runs` timed runs: median and first wall time, median CPU time, peak RSS."""
    results = [timed_run(argv, cwd=cwd, shell=shell) for _ in range(runs)]
    walls = [r["wall"] for r in results]
    return {
        "median": statistics.median(walls),
        "first": walls[0],
        "runs": walls,
        "cpu_median": statistics.median(r["cpu"] for r in results),
        "maxrss_mb": max(r["maxrss_mb"] for r in results),
        "rc": results[-1]["rc"],
        "stdout": results[-1]["stdout"][-2000:],
        "stderr": results[-1]["stderr"][-2000:],
    }


from lsp_client import percentile  # noqa: E402
from server_bench import run_server, summarize  # noqa: E402
import client_profiles  # noqa: E402


# --- driver -------------------------------------------------------------------------------

def ensure_project(workdir, count, seed, regen, family="default"):
    project = workdir / ("project-%d" % count if family == "default" else "project-%s-%d" % (family, count))
    manifest_path = project / "bench-manifest.json"
    stamp = _generator_stamp()
    if not regen and manifest_path.exists():
        m = json.loads(manifest_path.read_text())
        if m.get("count") == count and m.get("seed") == seed and m.get("generator") == stamp:
            return project, m
    t = time.perf_counter()
    m = gen_project.generate(count, project, seed, family=family)
    m["generator"] = stamp
    manifest_path.write_text(json.dumps(m, indent=2) + "\n")
    print("  generated %s in %.1fs (%.1f MB)" % (project, time.perf_counter() - t, m["bytes"] / 1e6), flush=True)
    return project, m


def _generator_stamp():
    import hashlib
    return hashlib.sha1((HERE / "gen_project.py").read_bytes()).hexdigest()[:12]


def machine():
    model = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    def git(*a):
        try:
            return subprocess.run(["git", "-C", str(REPO), *a], capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "git_head": git("rev-parse", "--short", "HEAD"),
            "git_dirty_files": len([l for l in git("status", "--porcelain", "--untracked-files=no").splitlines() if l]),
            "python": platform.python_version(), "date": datetime.datetime.now().isoformat(timespec="seconds")}


def warm_up_alembic(workdir, seed):
    """One untimed `alembic heads` on a small project: Alembic's own modules get compiled
    (and cached) without paying for a large project twice."""
    project, _ = ensure_project(workdir, 60, seed, False)
    r = timed_run(ALEMBIC + ["-c", str(project / "alembic.ini"), "heads"], cwd=project)
    if r["rc"] != 0:
        raise SystemExit("alembic heads failed (is python3-alembic installed?):\n" + r["stderr"][-3000:])


def interleaved(commands, runs):
    """`runs` rounds of every command in turn (so that a change of load hits all of them
    alike): per command, what measured() gives."""
    results = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, (argv, shell) in commands:
            results[name].append(timed_run(argv, shell=shell))
    out = {}
    for name, rs in results.items():
        walls = [r["wall"] for r in rs]
        out[name] = {"median": statistics.median(walls), "first": walls[0], "runs": walls,
                     "cpu_median": statistics.median(r["cpu"] for r in rs),
                     "maxrss_mb": max(r["maxrss_mb"] for r in rs), "rc": rs[-1]["rc"],
                     "stdout": rs[-1]["stdout"][-2000:], "stderr": rs[-1]["stderr"][-2000:]}
    return out


def merge_server_runs(runs, latency_edits):
    """One profile's repeated runs as one result: latencies over all runs' edits, memory
    and start-up figures from the last run (each run's kept under "runs")."""
    out = dict(runs[-1])
    raw = {k: [v for r in runs for v in r["raw"][k]] for k in ("edit", "settled", "cpu_ns", "body")}
    lat = [v for r in runs for v in r["raw"]["edit"][:latency_edits // len(runs)]]
    settled = [v for r in runs for v in r["raw"]["settled"][:latency_edits // len(runs)]]
    cpu = [v for r in runs for v in r["raw"]["cpu_ns"][:latency_edits // len(runs)]]
    summarize(out, lat, settled, cpu, len(lat))
    out["edit_all_p50_ms"] = percentile(raw["edit"], 50) * 1000.0
    out["edit_all_p99_ms"] = percentile(raw["edit"], 99) * 1000.0
    if raw["body"]:
        out["body_p50_ms"] = percentile(raw["body"], 50) * 1000.0
        out["body_p99_ms"] = percentile(raw["body"], 99) * 1000.0
        out["body_edits"] = len(raw["body"])
    out["edits"] = sum(r["edits"] for r in runs)
    out["repeats"] = len(runs)
    out["head_diagnostics_s"] = statistics.median(r["head_diagnostics_s"] for r in runs)
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    out["runs"] = [{k: v for k, v in r.items() if k != "raw"} for r in runs]
    out.pop("raw", None)
    return out


def bench_size(args, count, family, profiles):
    row = {"count": count, "family": family, "load_before": os.getloadavg(), "uptime": _uptime()}
    project, m = ensure_project(Path(args.workdir), count, args.seed, args.regen, family)
    row["bytes"] = m["bytes"]
    row["branch_labels"] = m.get("branch_labels")
    row["depends_on"] = m.get("depends_on")
    versions = project / "migrations" / "versions"

    if not args.skip_check:
        print("  cat floor and alembic-lsp check, interleaved", flush=True)
        got = interleaved([("cat", ("find '%s' -name '*.py' -print0 | xargs -0 cat > /dev/null" % versions, True)),
                           ("check", ([args.binary, "check", str(project)], False))], args.runs)
        row["cat"], row["check"] = got["cat"], got["check"]
        if row["check"]["rc"] != 0:
            raise SystemExit("check exited %d on a single-head project:\n%s%s" % (
                row["check"]["rc"], row["check"]["stdout"], row["check"]["stderr"]))
        if not args.skip_alembic and (not args.alembic_sizes or count in _sizes(args.alembic_sizes)):
            runs = args.alembic_runs or (1 if count >= 100000 else args.runs)
            print("  alembic heads (%d runs)" % runs, flush=True)
            warm_up_alembic(Path(args.workdir), args.seed)
            heads_cmd = ALEMBIC + ["-c", str(project / "alembic.ini"), "heads"]
            row["alembic"] = measured(heads_cmd, runs, cwd=project)
            if row["alembic"]["rc"] != 0:
                raise SystemExit("alembic heads failed:\n" + row["alembic"]["stderr"][-3000:])
            got = row["alembic"]["stdout"].split()
            if not got or got[0] != m["heads"][0]:
                raise SystemExit("alembic heads printed %r, expected %s" % (row["alembic"]["stdout"], m["heads"]))
    if not args.skip_server and profiles:
        edits = args.edits if args.edits else 10000
        repeats = max(1, args.repeats)
        per_run = edits // repeats
        per_run += per_run % 2  # an even number leaves the file as it was
        body_edits = args.body_edits if args.body_edits >= 0 else 1000
        log_dir = Path(args.workdir) / ("logs-%s-%d" % (family, count))
        log_dir.mkdir(parents=True, exist_ok=True)
        runs = {p.name: [] for p in profiles}
        for rep in range(repeats):
            for profile in profiles:  # interleaved: each profile once per round
                print("  server, %s, round %d/%d (%d edits)" % (profile.summary(), rep + 1, repeats, per_run),
                      flush=True)
                perf = log_dir / ("perf-%s.data" % profile.name) if args.perf_edits else None
                runs[profile.name].append(run_server(
                    args.binary, project, m, profile, per_run, args.latency_edits // repeats,
                    body_edits // repeats, log_dir, args.timeout, args.edit_kind, perf,
                    shlex.split(args.server_wrapper)))
        row["server"] = {name: merge_server_runs(rs, args.latency_edits) for name, rs in runs.items()}
    if not args.skip_server and args.memory_edits > 0 and count in _sizes(args.memory_sizes):
        # One long session of the most demanding client: RSS after the warm-up edits
        # against RSS after all of them (the latency sessions split their edits).
        profile = next((p for p in client_profiles.load_profiles([args.memory_profile])), None)
        log_dir = Path(args.workdir) / ("logs-%s-%d" % (family, count))
        log_dir.mkdir(parents=True, exist_ok=True)
        print("  memory: %s, one session of %d edits" % (profile.summary(), args.memory_edits), flush=True)
        r = run_server(args.binary, project, m, profile, args.memory_edits, args.latency_edits, 0, log_dir,
                       args.timeout, args.edit_kind, None, shlex.split(args.server_wrapper),
                       rss_checkpoints=(args.memory_warmup, args.memory_edits))
        row["memory"] = {"profile": profile.name, "edits": args.memory_edits, "warmup_edits": args.memory_warmup,
                         "rss_after_index_mb": r["rss_after_index_mb"],
                         "rss_after_warmup_mb": r["rss_checkpoints_mb"].get(args.memory_warmup),
                         "rss_after_all_edits_mb": r["rss_checkpoints_mb"].get(args.memory_edits),
                         "peak_rss_mb": r["peak_rss_mb"], "edit_p50_ms": r["edit_p50_ms"],
                         "server_cpu_per_edit_p50_ms": r.get("server_cpu_per_edit_p50_ms")}
    row["load_after"] = os.getloadavg()
    row["uptime_after"] = _uptime()
    return row


def _uptime():
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def _sizes(text):
    return [int(x) for x in text.split(",") if x]


def memory_growth(s):
    """MB gained from the 100th edit to the last."""
    return s["rss_after_all_edits_mb"] - s["rss_after_100_edits_mb"]


def memory_session_growth(r):
    """MB gained in the memory session from the end of the warm-up to its last edit."""
    m = r["memory"]
    return m["rss_after_all_edits_mb"] - m["rss_after_warmup_mb"]


GENERAL_TARGETS = [
    # (size, label, value getter, target, "le"/"ge", unit)
    (10000, "check vs alembic heads", lambda r: r["alembic"]["median"] / r["check"]["median"], 30, "ge", "x faster"),
    (10000, "check vs cat floor", lambda r: r["check"]["median"] / r["cat"]["median"], 1.5, "le", "x the floor"),
    (100000, "check vs cat floor", lambda r: r["check"]["median"] / r["cat"]["median"], 1.5, "le", "x the floor"),
    (100000, "check", lambda r: r["check"]["median"], 3, "le", "s"),
    (10000, "memory over 10,000 edits (one session, after warm-up to last)", memory_session_growth, 2, "le", "MB"),
    (100000, "memory over 10,000 edits (one session, after warm-up to last)", memory_session_growth, 2, "le", "MB"),
]
PROFILE_TARGETS = [
    (10000, "history edit p50", lambda s: s["edit_p50_ms"], 1, "le", "ms"),
    (10000, "history edit p99", lambda s: s["edit_p99_ms"], 5, "le", "ms"),
    (100000, "history edit p50", lambda s: s["edit_p50_ms"], 2, "le", "ms"),
    (100000, "history edit p99", lambda s: s["edit_p99_ms"], 10, "le", "ms"),
    (100000, "keystroke in upgrade() p99", lambda s: s["body_p99_ms"], 1, "le", "ms"),
    (10000, "memory growth 100th to last edit", lambda s: memory_growth(s), 2, "le", "MB"),
    (100000, "memory growth 100th to last edit", lambda s: memory_growth(s), 2, "le", "MB"),
    (100000, "server first diagnostics", lambda s: s["head_diagnostics_s"], 4, "le", "s"),
    (100000, "server peak RSS", lambda s: s["peak_rss_mb"], 400, "le", "MB"),
]


def _verdict(size, what, get, target, op, unit, subject):
    try:
        value = get(subject)
    except (KeyError, TypeError, ZeroDivisionError):
        return None
    if value is None:
        return None
    ok = value >= target if op == "ge" else value <= target
    margin = (value / target if op == "ge" else target / value) if value else float("inf")
    return {"size": size, "target": "%s %s %g %s" % (what, ">=" if op == "ge" else "<=", target, unit),
            "value": value, "unit": unit, "met": ok, "margin": margin}


def evaluate(rows):
    verdicts = []
    for row in rows:
        for size, label, get, target, op, unit in GENERAL_TARGETS:
            if row["count"] == size:
                v = _verdict(size, "%s: %s" % (row["family"], label), get, target, op, unit, row)
                if v:
                    verdicts.append(v)
        for name, s in (row.get("server") or {}).items():
            for size, label, get, target, op, unit in PROFILE_TARGETS:
                if row["count"] == size:
                    v = _verdict(size, "%s, %s: %s" % (row["family"], name, label), get, target, op, unit, s)
                    if v:
                        verdicts.append(v)
    return verdicts


def fmt(v, spec="%.3f"):
    return "-" if v is None else spec % v


def print_table(rows, verdicts):
    print()
    head = ["", *["%s %d" % (r["family"], r["count"]) for r in rows]]
    lines = []

    def add(label, get, spec="%.3f"):
        vals = []
        for r in rows:
            try:
                v = get(r)
                vals.append(fmt(v, spec) if not isinstance(v, tuple) else spec % v)
            except (KeyError, TypeError):
                vals.append("-")
        if any(v != "-" for v in vals):
            lines.append([label, *vals])

    add("project MB", lambda r: r["bytes"] / 1e6, "%.1f")
    add("branch labels / depends_on", lambda r: (r["branch_labels"], r["depends_on"]), "%d / %d")
    add("cat floor s (median)", lambda r: r["cat"]["median"])
    add("check s (median of runs)", lambda r: r["check"]["median"])
    add("check s (first run)", lambda r: r["check"]["first"])
    add("check CPU s (user+sys)", lambda r: r["check"]["cpu_median"])
    add("check max RSS MB", lambda r: r["check"]["maxrss_mb"], "%.1f")
    add("check / cat floor", lambda r: r["check"]["median"] / r["cat"]["median"], "%.2fx")
    add("alembic heads s (median)", lambda r: r["alembic"]["median"])
    add("check speed-up vs alembic", lambda r: r["alembic"]["median"] / r["check"]["median"], "%.1fx")
    profiles = []
    for r in rows:
        for name in r.get("server") or {}:
            if name not in profiles:
                profiles.append(name)
    for name in profiles:
        def S(r, name=name):
            return r["server"][name]
        lines.append(["-- client: %s" % name, *[""] * len(rows)])
        add("  initialize to heads' diags s", lambda r: S(r)["head_diagnostics_s"], "%.2f")
        add("  history edit p50/p99 ms", lambda r: (S(r)["edit_p50_ms"], S(r)["edit_p99_ms"]), "%.2f/%.2f")
        add("  ... to settled p50/p99 ms", lambda r: (S(r)["edit_settled_p50_ms"], S(r)["edit_settled_p99_ms"]),
            "%.2f/%.2f")
        add("  server CPU/edit p50/p99 ms", lambda r: (S(r)["server_cpu_per_edit_p50_ms"],
                                                   S(r)["server_cpu_per_edit_p99_ms"]), "%.2f/%.2f")
        add("  keystroke p50/p99 ms", lambda r: (S(r)["body_p50_ms"], S(r)["body_p99_ms"]), "%.2f/%.2f")
        add("  refreshes per edit", lambda r: S(r)["refreshes_per_edit"], "%.1f")
        add("  RSS idx/100/all edits MB", lambda r: (S(r)["rss_after_index_mb"], S(r)["rss_after_100_edits_mb"],
                                                 S(r)["rss_after_all_edits_mb"]), "%.0f/%.0f/%.0f")
        add("  edits (latency over)", lambda r: (S(r)["edits"], S(r)["edit_latency_edits"]), "%d (%d)")
    add("memory session: edits", lambda r: r["memory"]["edits"], "%d")
    add("  RSS idx/warm-up/last edit MB", lambda r: (r["memory"]["rss_after_index_mb"],
                                                  r["memory"]["rss_after_warmup_mb"],
                                                  r["memory"]["rss_after_all_edits_mb"]), "%.1f/%.1f/%.1f")
    add("load avg before/after", lambda r: (r["load_before"][0], r["load_after"][0]), "%.1f/%.1f")
    widths = [max(len(str(x[i])) for x in [head] + lines) for i in range(len(head))]
    for line in [head] + lines:
        print("  ".join(str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(line)))
    if verdicts:
        print()
        for v in verdicts:
            print("%-6s %6d  %-62s %10.3f %-11s margin %.2fx" % (
                "MET" if v["met"] else "MISSED", v["size"], v["target"], v["value"], v["unit"], v["margin"]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated migration counts")
    ap.add_argument("--full", action="store_true", help="add 100,000 migrations")
    ap.add_argument("--binary", default=str(REPO / "build-bench" / "server" / "alembic-lsp"))
    ap.add_argument("--workdir", default="/tmp/alembic-lsp-bench", help="where projects and logs go")
    ap.add_argument("--out", default=str(REPO / "build-bench" / "results.json"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    ap.add_argument("--edits", type=int, default=0, help="history edits per client profile (default 10,000)")
    ap.add_argument("--alembic-runs", type=int, default=0,
                    help="timed alembic heads runs (default --runs; 1 at 100,000 migrations)")
    ap.add_argument("--latency-edits", type=int, default=2000, help="edits the latency figures cover")
    ap.add_argument("--body-edits", type=int, default=-1,
                    help="keystrokes in upgrade() per client profile (default 1,000)")
    ap.add_argument("--families", default="default,labelled",
                    help="project families (bench/gen_project.py --family): default, labelled")
    ap.add_argument("--profiles", default="",
                    help="client profiles (bench/clients/*.json, +pull variants); default: all")
    ap.add_argument("--repeats", type=int, default=2,
                    help="server sessions per profile, interleaved across profiles; edits split among them")
    ap.add_argument("--edit-kind", choices=("rebase", "base"), default="rebase",
                    help="history edit: rebase (the head's parent flips to a mid-history revision and back) "
                         "or base (a down_revision flips to None and back)")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--regen", action="store_true", help="regenerate projects even if present")
    ap.add_argument("--label", default="", help="free text saved with the results (e.g. which commit built the binary)")
    ap.add_argument("--skip-alembic", action="store_true")
    ap.add_argument("--alembic-sizes", default="",
                    help="sizes at which alembic heads runs (default: every size; it takes ~10 min at 100,000)")
    ap.add_argument("--memory-edits", type=int, default=10000,
                    help="edits of the memory session (0: none): one session of the --memory-profile client")
    ap.add_argument("--memory-warmup", type=int, default=100, help="edits before the memory session's first RSS")
    ap.add_argument("--memory-sizes", default="10000,100000", help="sizes at which the memory session runs")
    ap.add_argument("--memory-profile", default="vscode-1.100.3", help="client profile of the memory session")
    ap.add_argument("--skip-server", action="store_true")
    ap.add_argument("--server-wrapper", default="",
                    help="command the server runs under, e.g. \"valgrind --tool=callgrind "
                         "--toggle-collect='*register_text_sync*'\" (figures then are not for reporting)")
    ap.add_argument("--skip-check", action="store_true", help="skip cat, check and alembic (server only)")
    ap.add_argument("--perf-edits", action="store_true",
                    help="perf record the server during the edits (WORKDIR/logs-N/perf-edits.data; "
                         "latencies then include the sampling overhead)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.full and 100000 not in sizes:
        sizes.append(100000)
    if not os.access(args.binary, os.X_OK):
        ap.error("no binary at %s (build it: see bench/README.md)" % args.binary)

    info = machine()
    profiles = client_profiles.load_profiles([n for n in args.profiles.split(",") if n])
    if not profiles and not args.skip_server:
        ap.error("no client profiles in bench/clients (run bench/clients/capture.sh)")
    print("alembic-lsp bench: %s, %d cores (%s), load %.1f" % (args.binary, info["nproc"], info["cpu"],
                                                             os.getloadavg()[0]), flush=True)
    print("client profiles: %s" % ", ".join(p.summary() for p in profiles), flush=True)
    rows = []
    for family in [f for f in args.families.split(",") if f]:
        for count in sizes:
            print("%s, %d migrations" % (family, count), flush=True)
            rows.append(bench_size(args, count, family, profiles))
    verdicts = evaluate(rows)
    print_table(rows, verdicts)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": info, "binary": args.binary, "label": args.label, "results": rows,
                               "targets": verdicts},
                              indent=2) + "\n")
    print("\nwrote %s" % out)
    return 0 if all(v["met"] for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
