#!/usr/bin/env python3
"""Summarises `perf script -F tid,ip,sym` output (recorded with --call-graph dwarf).

  perf script -i perf.data -F tid,ip,sym > samples.txt
  bench/perf_summary.py samples.txt                       # inclusive and self tops
  bench/perf_summary.py samples.txt --under publish_diagnostics   # what a frame spends on

Inclusive: share of samples whose stack holds the function. --under FRAME: among the
samples whose stack holds a frame matching FRAME, the functions directly below it
(its callees, inclusive) and the leaf functions (self time).
"""

import argparse
import collections
import re
import sys


def samples(path):
    frames = []
    with open(path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if frames:
                    yield frames
                frames = []
                continue
            if not line[0].isspace():
                if frames:
                    yield frames
                frames = []
                continue
            parts = line.strip().split(None, 1)
            name = parts[1] if len(parts) > 1 else parts[0]
            name = re.sub(r"\s*\(inlined\)$", "", name)
            name = re.sub(r"\+0x[0-9a-f]+$", "", name)
            frames.append(short(name))
    if frames:
        yield frames


def short(name):
    """Drops template arguments and parameter lists: enough to tell functions apart."""
    out, depth = [], 0
    for c in name:
        if c in "<(":
            depth += 1
        elif c in ">)" and depth:
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)[:140] or name[:140]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("script")
    ap.add_argument("--under", help="regex of a frame to break down")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()

    total = 0
    inclusive = collections.Counter()
    leaf = collections.Counter()
    below = collections.Counter()
    below_leaf = collections.Counter()
    matched = 0
    pattern = re.compile(args.under) if args.under else None
    for frames in samples(args.script):
        total += 1
        leaf[frames[0]] += 1
        for name in set(frames):
            inclusive[name] += 1
        if pattern:
            # frames are leaf first; the outermost match wins (recursion)
            idx = [i for i, n in enumerate(frames) if pattern.search(n)]
            if idx:
                i = idx[-1]
                matched += 1
                below[frames[i - 1] if i > 0 else "(self)"] += 1
                below_leaf[frames[0]] += 1
    if not total:
        sys.exit("no samples")

    def show(title, counter, base):
        print("\n%s (%d samples)" % (title, base))
        for name, n in counter.most_common(args.top):
            print("  %6.2f%%  %s" % (100.0 * n / base, name))

    if pattern:
        print("%d of %d samples (%.1f%%) under /%s/" % (matched, total, 100.0 * matched / total, args.under))
        show("callees of the frame, inclusive", below, max(matched, 1))
        show("leaf functions under the frame", below_leaf, max(matched, 1))
    else:
        show("inclusive", inclusive, total)
        show("self", leaf, total)


if __name__ == "__main__":
    main()
