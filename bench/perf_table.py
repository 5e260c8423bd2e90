#!/usr/bin/env python3
"""Prints the per-client table of docs/performance.md from one bench/run.py results file.

  bench/perf_table.py build-bench/results.json

One row per family, size and client profile: check against the cat floor, history edit
latency (client side) and settled median, the server's CPU per edit, keystroke latency and
RSS; then the targets as run.py judged them (met / all, and each miss).
"""
import argparse
import json


def row(result, name, s):
    floor, check = result["cat"]["median"], result["check"]["median"]
    return (f"| {result['family']} {result['count']:,} | {check / floor:.2f}x "
            f"({check:.3f} / {floor:.3f} s) | {name} | "
            f"{s['edit_p50_ms']:.2f} / {s['edit_p99_ms']:.2f} | {s['edit_settled_p50_ms']:.2f} | "
            f"{s['server_cpu_per_edit_p50_ms']:.2f} / {s['server_cpu_per_edit_p99_ms']:.2f} | "
            f"{s['body_p50_ms']:.2f} / {s['body_p99_ms']:.2f} | "
            f"{s['rss_after_100_edits_mb']:.1f} / {s['rss_after_all_edits_mb']:.1f} ({s['edits']} edits) |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results")
    data = json.load(open(ap.parse_args().results))
    m = data["machine"]
    print(f"<!-- {m['date']}, commit {m['git_head']} ({m['git_dirty_files']} files changed), "
          f"{m['nproc']} cores {m['cpu']} -->")
    print("| family / size | check / cat floor | client | history edit p50 / p99 ms | settled p50 "
          "| server CPU/edit p50 / p99 | keystroke p50 / p99 ms | RSS after 100 / all edits MB |")
    print("|---|---|---|---|---|---|---|---|")
    for result in sorted(data["results"], key=lambda r: (r["family"], r["count"])):
        for name, s in sorted(result.get("server", {}).items()):
            print(row(result, name, s))
    targets = data["targets"]
    met = [t for t in targets if t["met"]]
    print(f"\ntargets met: {len(met)} of {len(targets)}")
    for t in targets:
        if not t["met"]:
            print(f"- missed at {t['size']:,}: {t['target']}: {t['value']:.3f} {t['unit']}")
    for r in data["results"]:
        print(f"load {r['family']} {r['count']:,}: before {r['load_before'][0]:.2f}, "
              f"after {r['load_after'][0]:.2f}")


if __name__ == "__main__":
    main()
