#!/usr/bin/env python3
"""Seeded broken Alembic histories: a valid generated project (gen_graphs.py) with one or
more breaks of each kind alembic-lsp reports as an error, alone and combined.

Each break knows the file its finding belongs on and the keys (ids, a label, a file name,
an attribute) that both Alembic's error and the finding's message quote. Only the broken
files are rewritten (in one plain style); every other file keeps gen_graphs' varied spellings.

    gen_broken.py --seed S --index I --out DIR   # rebuild one case of broken_parity.py
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen_graphs  # noqa: E402

KINDS = ["missing-revision", "revision-cycle", "branch-label-conflict", "duplicate-revision",
         "invalid-revision-id", "missing-down-revision", "not-a-migration",
         "empty-down-revision"]  # the last is an error only since Alembic 1.12.1
HELPER_NAMES = ["helpers.py", "migration_utils.py", "utils.py", "common.py", "_shared.py"]


@dataclass
class Break:
    kind: str
    path: str            # the file the finding is reported on
    keys: list[str]      # quoted by Alembic's error and by the finding's message
    variant: str = ""
    alembic_loads: bool = False  # a break Alembic does not notice (see attached_cycle)
    also: list[str] = field(default_factory=list)  # other files the finding may be on


@dataclass
class BrokenProject:
    project: gen_graphs.Project
    breaks: list[Break] = field(default_factory=list)


def plain_file(rid: str, down, labels: list[str], depends: list[str], message: str,
               down_name: str = "down_revision") -> str:
    """A migration in `alembic revision`'s plain style; down=... leaves down_revision out."""
    def seq(values: list[str]) -> str:
        return "(%s)" % "".join("%r, " % v for v in values)
    lines = ['"""%s' % message, "", "Revision ID: %s" % rid,
             "Revises: %s" % (", ".join(down) if isinstance(down, list) else ""), '"""',
             "from alembic import op", "import sqlalchemy as sa", "", "",
             "# revision identifiers, used by Alembic.", "revision = %r" % rid]
    if down is not Ellipsis:
        value = "None" if not down else (repr(down[0]) if len(down) == 1 else seq(down))
        lines.append("%s = %s" % (down_name, value))
    lines.append("branch_labels = %s" % (seq(labels) if labels else "None"))
    lines.append("depends_on = %s" % (seq(depends) if depends else "None"))
    lines += ["", "", "def upgrade() -> None:", "    op.execute(\"SELECT 1\")", "", "",
              "def downgrade() -> None:", "    pass", ""]
    return "\n".join(lines)


def rewrite(project: gen_graphs.Project, rev: gen_graphs.Rev, **overrides) -> str:
    values = dict(rid=rev.id, down=list(rev.down), labels=list(rev.labels),
                  depends=list(rev.depends), message=rev.message)
    values.update(overrides)
    path = project.files[rev.id]
    with open(path, "w") as f:
        f.write(plain_file(**values))
    return path


def descendants(graph: gen_graphs.Graph, rid: str) -> list[str]:
    children: dict[str, list[str]] = {}
    for r in graph.revs:
        for d in r.down:
            children.setdefault(d, []).append(r.id)
    seen, todo = [], list(children.get(rid, []))
    while todo:
        c = todo.pop()
        if c not in seen:
            seen.append(c)
            todo.extend(children.get(c, []))
    return seen


def attached_cycle(graph: gen_graphs.Graph) -> bool:
    """Whether every revision is both below a head and above a base (through down_revision).

    Alembic finds cycles only as revisions outside that space (RevisionMap._detect_cycles),
    so a cycle that a merge joins to the rest of the history loads without an error
    (measured with 1.8.1, 1.13.2 and 1.18.4: `heads`, `branches`, `history` all answer)."""
    parents = {r.id: list(r.down) for r in graph.revs}
    children: dict[str, list[str]] = {}
    for r in graph.revs:
        for d in r.down:
            children.setdefault(d, []).append(r.id)
    heads = [r.id for r in graph.revs if r.id not in children]
    bases = [r.id for r in graph.revs if not r.down]

    def reach(start: list[str], step: dict[str, list[str]]) -> set[str]:
        seen, todo = set(start), list(start)
        while todo:
            for n in step.get(todo.pop(), []):
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return seen
    if not heads or not bases:
        return False
    return reach(heads, parents) & reach(bases, children) == set(parents)


def referenced(graph: gen_graphs.Graph, rid: str) -> bool:
    return any(rid in r.down or rid in r.depends for r in graph.revs)


def legacy_file(project: gen_graphs.Project, rid: str) -> bool:
    return re.fullmatch(r"[0-9a-f]+\.py", os.path.basename(project.files[rid])) is not None


class Breaker:
    def __init__(self, project: gen_graphs.Project, rng: random.Random):
        self.project, self.rng, self.graph = project, rng, project.graph
        self.used: set[str] = set()  # revisions a break already rewrote or relies on

    def pick(self, candidates):
        candidates = [r for r in candidates if r.id not in self.used
                      and not legacy_file(self.project, r.id)]
        if not candidates:
            return None
        rev = self.rng.choice(candidates)
        self.used.add(rev.id)
        return rev

    def ids(self) -> set[str]:
        return {r.id for r in self.graph.revs}

    def missing_revision(self) -> Break | None:
        rev = self.pick([r for r in self.graph.revs if r.down])
        if rev is None:
            return None
        j = self.rng.randrange(len(rev.down))
        parent = rev.down[j]
        prefix = parent[:8]
        unique_prefix = len(parent) > 9 and sum(i.startswith(prefix) for i in self.ids()) == 1
        if unique_prefix and self.rng.random() < 0.5:
            missing, variant = prefix, "prefix"  # a shortened id: the finding suggests it
        else:
            missing, variant = "%012x" % self.rng.getrandbits(48), "unknown"
            while missing in self.ids():
                missing = "%012x" % self.rng.getrandbits(48)
        down = list(rev.down)
        down[j] = missing
        return Break("missing-revision", rewrite(self.project, rev, down=down), [missing], variant)

    def revision_cycle(self) -> Break | None:
        if self.rng.random() < 0.25:
            rev = self.pick(self.graph.revs)
            if rev is None:
                return None
            return Break("revision-cycle", rewrite(self.project, rev, down=[rev.id]), [rev.id],
                         "self-loop")
        with_desc = [r for r in self.graph.revs if r.down
                     and [d for d in descendants(self.graph, r.id) if d not in self.used]]
        rev = self.pick(with_desc)
        if rev is None:
            return None
        target = self.rng.choice([d for d in descendants(self.graph, rev.id) if d not in self.used])
        down = list(rev.down)
        down[self.rng.randrange(len(down))] = target
        if len(set(down)) != len(down):
            down = [target]
        rev.down = down
        attached = attached_cycle(self.graph)
        return Break("revision-cycle", rewrite(self.project, rev, down=down), [rev.id, target],
                     "attached-cycle" if attached else "cycle", alembic_loads=attached)

    def branch_label_conflict(self) -> Break | None:
        labelled = [r for r in self.graph.revs if r.labels and r.id not in self.used]
        rev = self.pick([r for r in self.graph.revs if not r.labels])
        if rev is None:
            return None
        if self.rng.random() < 0.2:
            other = self.rng.choice([r for r in self.graph.revs if r.id != rev.id] or [rev])
            if other.id == rev.id:
                return None
            label, variant = other.id, "label-is-an-id"
        elif labelled:
            other = self.rng.choice(labelled)
            label, variant = self.rng.choice(other.labels), "label-reused"
        else:
            other = self.pick(self.graph.revs)
            if other is None:
                return None
            label, variant = "shared", "label-twice"
            other.labels = ["shared"]
            rewrite(self.project, other)
        rev.labels = [label]
        # Reported where Alembic meets the second declaration: either file.
        return Break("branch-label-conflict", rewrite(self.project, rev), [label], variant,
                     also=[self.project.files[other.id]])

    def duplicate_revision(self) -> Break | None:
        rev = self.pick([r for r in self.graph.revs if not r.labels])
        if rev is None:
            return None
        original = self.project.files[rev.id]
        copy = os.path.join(os.path.dirname(original),
                            "%012x_copy_of_%s" % (self.rng.getrandbits(48),
                                                  os.path.basename(original)))
        shutil.copyfile(original, copy)
        return Break("duplicate-revision", copy, [rev.id], "copy")

    def invalid_revision_id(self) -> Break | None:
        rev = self.pick([r for r in self.graph.revs
                         if not r.labels and not referenced(self.graph, r.id)])
        if rev is None:
            return None
        char = self.rng.choice(["-", "@", "+", ":"])  # ':' only since Alembic 1.17.1
        bad = rev.id + char + self.rng.choice(["v2", "fix", "1"])
        return Break("invalid-revision-id", rewrite(self.project, rev, rid=bad), [bad], char)

    def missing_down_revision(self) -> Break | None:
        rev = self.pick(self.graph.revs)
        if rev is None:
            return None
        if rev.down and self.rng.random() < 0.4:
            return Break("missing-down-revision",
                         rewrite(self.project, rev, down_name="down_revison"),
                         ["down_revision"], "misspelled")
        return Break("missing-down-revision", rewrite(self.project, rev, down=...),
                     ["down_revision"], "absent")

    def empty_down_revision(self) -> Break | None:
        rev = self.pick([r for r in self.graph.revs if r.down])
        if rev is None:
            return None
        path = rewrite(self.project, rev, down=[""])
        return Break("empty-down-revision", path, [""], "empty-string")

    def not_a_migration(self) -> Break | None:
        folder = self.project.version_dirs[0]
        name = self.rng.choice(HELPER_NAMES)
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return None
        with open(path, "w") as f:
            f.write('"""Helpers shared by the migrations."""\nimport sqlalchemy as sa\n\n\n'
                    "def utcnow():\n    return sa.func.now()\n")
        return Break("not-a-migration", path, [name], "helper")


def build_broken(seed: str, root: str) -> BrokenProject:
    """A valid project of at least 4 revisions, then 1 (60%) or 2-3 breaks of distinct kinds."""
    rng = random.Random(seed + "/broken")
    for attempt in range(50):
        graph, grng = gen_graphs.generate_graph("%s/%d" % (seed, attempt))
        if 4 <= len(graph.revs) <= 60:
            break
    if os.path.exists(root):
        shutil.rmtree(root)
    project = gen_graphs.write_project(graph, grng, root)
    broken = BrokenProject(project)
    n = 1 if rng.random() < 0.6 else rng.choice([2, 2, 3])
    kinds = rng.sample(KINDS, len(KINDS))  # in this order until n breaks are made
    breaker = Breaker(project, rng)
    for kind in kinds:
        if len(broken.breaks) == n:
            break
        made = getattr(breaker, kind.replace("-", "_"))()
        if made is not None:
            broken.breaks.append(made)
    return broken


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--index", type=int, default=0)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    root = os.path.join(args.out, "broken_%04d" % args.index)
    broken = build_broken(gen_graphs.graph_seed(args.seed, args.index), root)
    for b in broken.breaks:
        print("%s (%s): %s quoting %s" % (b.kind, b.variant, b.path, b.keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
