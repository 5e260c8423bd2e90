#!/usr/bin/env python3
"""Edit cost as a function of project size, from a bench/run.py results file:
writes a Markdown table and a plot (matplotlib: Debian's python3-matplotlib).

    bench/plot_edit_cost.py build-bench/results.json [--out bench/edit-cost]

writes bench/edit-cost.md and bench/edit-cost.png: per family and client profile, the
history edit's p50 and p99 latency (didChange to its diagnostics), the server's CPU time
per edit (p50) and a keystroke in upgrade() (p99), at each size measured.
"""
import argparse
import json
import sys
from pathlib import Path


def series(results):
    """(family, profile) -> [(size, server result)] in size order."""
    out = {}
    for row in results["results"]:
        for name, s in (row.get("server") or {}).items():
            out.setdefault((row["family"], name), []).append((row["count"], s))
    for v in out.values():
        v.sort(key=lambda x: x[0])
    return out


def table(results, data):
    m = results["machine"]
    lines = ["# Edit cost against project size", "",
             "From `bench/run.py` (%s, binary built from %s%s; %d cores, %s). Load during the run: %s." % (
                 m.get("date", "?"), m.get("git_head", "?"),
                 ", %s" % results["label"] if results.get("label") else "", m.get("nproc", 0), m.get("cpu", "?"),
                 "; ".join("%s %d: %s" % (r["family"], r["count"], r.get("uptime", "").split("load average:")[-1].strip())
                           for r in results["results"])),
             "",
             "Latencies in ms, measured in the client; CPU is the server's own time per edit.",
             "",
             "| family | client | size | edit p50 | edit p99 | settled p50 | CPU/edit p50 | keystroke p99 | flat? (p50 at largest / smallest) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for (family, profile), points in sorted(data.items()):
        ratio = points[-1][1]["edit_p50_ms"] / points[0][1]["edit_p50_ms"] if len(points) > 1 else None
        for k, (size, s) in enumerate(points):
            lines.append("| %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s |" % (
                family, profile, format(size, ","), s["edit_p50_ms"], s["edit_p99_ms"], s["edit_settled_p50_ms"],
                s.get("server_cpu_per_edit_p50_ms") or 0.0, s.get("body_p99_ms") or 0.0,
                ("%.2fx" % ratio) if (ratio is not None and k == len(points) - 1) else ""))
    memory = [r for r in results["results"] if r.get("memory")]
    if memory:
        lines += ["", "Memory over one session of history edits (the memory session of `bench/run.py`):", "",
                  "| family | size | client | edits | RSS after index MB | after warm-up MB | after last edit MB | growth MB |",
                  "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
        for r in memory:
            mem = r["memory"]
            lines.append("| %s | %s | %s | %s (warm-up %d) | %.1f | %.1f | %.1f | %+.2f |" % (
                r["family"], format(r["count"], ","), mem["profile"], format(mem["edits"], ","), mem["warmup_edits"],
                mem["rss_after_index_mb"], mem["rss_after_warmup_mb"], mem["rss_after_all_edits_mb"],
                mem["rss_after_all_edits_mb"] - mem["rss_after_warmup_mb"]))
    return "\n".join(lines) + "\n"


def plot(data, path):
    try:
        import matplotlib
    except ImportError:
        raise SystemExit("plot_edit_cost.py: matplotlib is missing (Debian: apt-get install python3-matplotlib; "
                         "run with /usr/bin/python3)")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), sharey=False)
    for (family, profile), points in sorted(data.items()):
        sizes = [p[0] for p in points]
        label = "%s / %s" % (family, profile)
        line, = axes[0].plot(sizes, [p[1]["edit_p50_ms"] for p in points], marker="o", label=label + " p50")
        axes[0].plot(sizes, [p[1]["edit_p99_ms"] for p in points], marker="x", linestyle="--",
                     color=line.get_color(), label=label + " p99")
        axes[1].plot(sizes, [p[1].get("server_cpu_per_edit_p50_ms") or 0 for p in points], marker="o",
                     color=line.get_color(), label=label)
    axes[0].set_title("history edit: didChange to its diagnostics")
    axes[1].set_title("server CPU time per edit (p50)")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("migrations in the project")
        ax.set_ylabel("ms")
        ax.grid(True, which="both", alpha=0.3)
        ax.set_ylim(bottom=0)
    axes[0].legend(fontsize=6, ncol=1)
    axes[1].legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "edit-cost"),
                    help="path without extension: .md and .png are written")
    args = ap.parse_args(argv)
    results = json.loads(Path(args.results).read_text())
    data = series(results)
    if not data:
        raise SystemExit("no server results in %s" % args.results)
    Path(args.out + ".md").write_text(table(results, data))
    plot(data, args.out + ".png")
    print("wrote %s.md and %s.png" % (args.out, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
