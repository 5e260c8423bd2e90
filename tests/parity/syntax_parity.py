#!/usr/bin/env python3
"""Parity test: the syntax errors `check` reports outside the lines it reads, against
Python's own compiler.

gen_graphs.py writes seeded projects; every migration's upgrade()/downgrade() gets some
valid code that looks broken (brackets and quotes inside strings and comments, triple
quotes, f-strings, continuations), then most files get one to three random edits there:
a bracket or quote deleted, inserted or swapped, a line deleted or duplicated. Python
compiles each file (compile(), nothing is run) and the binary checks the project:
  - a file Python compiles gets no syntax-error diagnostic;
  - a file Python refuses with a tokenizer error (unterminated string, bracket never
    closed, mismatched or unmatched, nesting too deep) gets exactly one syntax-error
    diagnostic, with Python's message, on Python's line;
  - a file Python refuses for another reason is not compared (the engine reads only
    the statements it needs, so it does not see every syntax error); nor is one where
    Python's parser stopped first and named a bracket still open ("'(' was never
    closed") while the engine reports a tokenizer error further on.
One line per mismatch, then counts. Exit 1 on any mismatch, or if a kind of case never
came up (the generator would be broken).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

import gen_graphs  # noqa: E402

TOKENIZER_ERRORS = re.compile(
    r"^(unterminated (triple-quoted )?string literal \(detected at line \d+\)"
    r"|'[(\[{]' was never closed"
    r"|closing parenthesis '[)\]}]' does not match opening parenthesis '[(\[{]'( on line \d+)?"
    r"|unmatched '[)\]}]'"
    r"|too many nested parentheses)$")

KINDS = ("unterminated triple-quoted", "unterminated string", "never closed", "does not match",
         "unmatched", "too many nested")

# Valid code that a naive bracket or quote counter would get wrong.
DECOYS = [
    "    op.execute(\"UPDATE t SET note = ')' WHERE a = '(' \")  # it's a ( comment \"\n",
    "    op.execute('''\n        SELECT \"[\" || '{' FROM t -- ) ]\n    ''')\n",
    "    label = f\"{'x'}(\" + r'\\(' + rb\"\\\"[\".decode()\n",
    "    opts = {\n        'a': [1, 2,  # ] }\n              3],\n    }\n",
    "    note = 'first \\\n        second'\n",
    "    total = (1 +\\\n             2)\n",
    "    doc = \"\"\"a \"quoted\" ''' word\"\"\"\n",
]

EDIT_CHARS = "()[]{}'\""


def decorate(text: str, rng: random.Random) -> tuple[str, int]:
    """Adds decoys at the top of upgrade(); returns the text and where the body starts."""
    at = text.find("def upgrade(")
    at = text.find("\n", at) + 1
    decoys = "".join(rng.sample(DECOYS, rng.randint(1, 3)))
    return text[:at] + decoys + text[at:], at


def mutate(text: str, start: int, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.65:
            spots = [i for i in range(start, len(text)) if text[i] in EDIT_CHARS]
            if not spots:
                continue
            i = rng.choice(spots)
            if kind < 0.3:
                text = text[:i] + text[i + 1:]  # delete
            elif kind < 0.5:
                text = text[:i] + rng.choice(EDIT_CHARS) + text[i + 1:]  # swap
            else:
                text = text[:i] + rng.choice(EDIT_CHARS) + text[i:]  # insert before
        elif kind < 0.8:
            i = rng.randrange(start, len(text))
            text = text[:i] + rng.choice(EDIT_CHARS) + text[i:]  # insert anywhere
        else:
            lines = text[start:].split("\n")
            j = rng.randrange(len(lines))
            if kind < 0.9:
                del lines[j]
            else:
                lines.insert(j, lines[j])
            text = text[:start] + "\n".join(lines)
    return text


def python_verdict(path: str) -> tuple[str, int] | None:
    """None if Python compiles the file, else (message, line)."""
    with open(path, "rb") as f:
        source = f.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning on `"id"()` and the like
            compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as e:
        return (e.msg, e.lineno or 0)
    except ValueError as e:  # NUL bytes and the like: not generated here
        return (str(e), 0)
    return None


def run_case(binary: str, seed: int, index: int, root: str, counts: dict) -> list[str]:
    problems: list[str] = []
    project = gen_graphs.build(gen_graphs.graph_seed(seed, index), root)
    rng = random.Random("%d/%d/syntax" % (seed, index))
    verdicts: dict[str, tuple[str, int] | None] = {}
    for path in project.files.values():
        with open(path, encoding="utf-8") as f:
            text = f.read()
        text, body = decorate(text, rng)
        if rng.random() < 0.8:
            text = mutate(text, body, rng)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        verdicts[os.path.realpath(path)] = python_verdict(path)

    proc = subprocess.run([binary, "check", "--format", "json", root],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if proc.returncode not in (0, 1):
        return ["seed=%d index=%d: check exited %d: %s"
                % (seed, index, proc.returncode, proc.stderr.decode(errors="replace")[-500:])]
    doc = json.loads(proc.stdout)
    reported: dict[str, list[dict]] = {}
    for env in doc["environments"]:
        for d in env["diagnostics"]:
            if d.get("code") == "syntax-error":
                reported.setdefault(os.path.realpath(d["path"]), []).append(d)

    for path, verdict in sorted(verdicts.items()):
        mine = reported.get(path, [])
        where = "seed=%d index=%d %s" % (seed, index, path)
        if verdict is None:
            counts["compiles"] += 1
            if mine:
                problems.append("%s: Python compiles it, engine reports %s"
                                % (where, [(d["message"], d["line"]) for d in mine]))
            continue
        message, line = verdict
        if not TOKENIZER_ERRORS.match(message):
            counts["other"] += 1
            continue
        got = [(d["message"], d["line"]) for d in mine]
        if message.endswith("was never closed") and len(mine) == 1 and mine[0]["line"] > line:
            # Python's parser failed before its tokenizer reached the engine's (later)
            # error, and Python names the bracket still open instead: a parser error.
            counts["parser error named as an open bracket"] += 1
            continue
        kind = next(k for k in KINDS if k in message)
        counts[kind] = counts.get(kind, 0) + 1
        counts["tokenizer"] += 1
        if len(mine) != 1 or ("Syntax error: %s." % message) not in mine[0]["message"] \
                or mine[0]["line"] != line:
            problems.append("%s: Python says %r on line %d, engine reports %s"
                            % (where, message, line, got))
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--count", type=int, default=40, help="projects to generate")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the projects (prints where)")
    args = ap.parse_args()

    counts = {"compiles": 0, "other": 0, "tokenizer": 0, "parser error named as an open bracket": 0}
    problems: list[str] = []
    base = tempfile.mkdtemp(prefix="alembic-lsp-syntax-")
    try:
        for index in range(args.count):
            problems += run_case(args.binary, args.seed, index, os.path.join(base, "p%d" % index), counts)
    finally:
        if args.keep:
            print("projects kept in", base)
        else:
            shutil.rmtree(base, ignore_errors=True)
    for p in problems:
        print("MISMATCH", p)
    print("syntax parity: %d files compile, %d tokenizer errors compared, %d other errors skipped "
          "(%d of them parser errors named as an open bracket); %d mismatches"
          % (counts["compiles"], counts["tokenizer"],
             counts["other"] + counts["parser error named as an open bracket"],
             counts["parser error named as an open bracket"], len(problems)))
    print("  compared, by kind:", {k: v for k, v in sorted(counts.items()) if k in KINDS})
    if counts["compiles"] == 0 or counts["tokenizer"] == 0:
        print("the generator made no file of some kind: broken generator")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
