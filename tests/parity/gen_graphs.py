#!/usr/bin/env python3
"""Seeded generator of random, valid Alembic revision graphs written as Alembic projects.

Every graph is a pure function of its seed string, so a failing case can be rebuilt with
`gen_graphs.py --seed S --index I --out DIR`. The graphs are valid for Alembic (no missing
parents, no cycles, no duplicate ids, no label clashes) but vary everything a static reader
can trip over: id styles, branch points, merges of 2-9 parents, several labelled bases,
depends_on (by id or by branch label), several version locations, and the many ways a
migration file spells its four module-level variables.

The generator also knows the answers (heads, real heads, bases, branch points, merge
points); run_parity.py uses them only as a sanity check of the generator itself; the
reference answers always come from Alembic.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import re
import sys
from dataclasses import dataclass, field

NATO = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
        "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu"]
TABLES = ["users", "orders", "order_items", "products", "invoices", "payments", "addresses",
          "sessions", "audit_log", "tenants", "api_keys", "webhooks", "subscriptions",
          "coupons", "shipments", "warehouses", "inventory", "notifications", "roles",
          "permissions", "carts", "refunds", "reviews", "categories", "suppliers"]
COLUMNS = ["email_verified", "created_at", "updated_at", "deleted_at", "status", "currency",
           "external_ref", "notes", "locale", "timezone", "is_active", "priority", "score",
           "display_name", "tax_rate", "tracking_code", "retries", "last_seen_at"]
LABELS = ["core", "billing", "audit", "expand", "contract", "analytics", "search", "reports",
          "tenancy", "shipping", "catalog", "identity", "messaging", "legacy"]


@dataclass
class Rev:
    """One revision of a generated graph, before it is written as a file."""
    id: str
    down: list[str]
    depends: list[str] = field(default_factory=list)  # as written: ids or branch labels
    labels: list[str] = field(default_factory=list)
    message: str = ""
    kind: str = "table"  # body template: table, column, index, data, merge, empty
    table: str = "users"
    column: str = "status"
    lineage: int = 0  # index of the base this revision grew from (for version locations)


@dataclass
class Graph:
    seed: str
    revs: list[Rev]

    def by_id(self) -> dict[str, Rev]:
        return {r.id: r for r in self.revs}

    def label_owner(self) -> dict[str, str]:
        return {label: r.id for r in self.revs for label in r.labels}

    def resolved_depends(self, rev: Rev) -> list[str]:
        owners = self.label_owner()
        return [owners.get(d, d) for d in rev.depends]

    def heads(self) -> set[str]:
        parents = {d for r in self.revs for d in r.down}
        return {r.id for r in self.revs if r.id not in parents}

    def real_heads(self) -> set[str]:
        targets = {d for r in self.revs for d in r.down + self.resolved_depends(r)}
        return {r.id for r in self.revs if r.id not in targets}

    def bases(self) -> set[str]:
        return {r.id for r in self.revs if not r.down}

    def branch_points(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        for r in self.revs:
            for d in r.down:
                children.setdefault(d, []).append(r.id)
        return {k: sorted(v) for k, v in children.items() if len(v) > 1}

    def merge_points(self) -> set[str]:
        return {r.id for r in self.revs if len(r.down) > 1}


# ---------------------------------------------------------------------------------------
# The graph
# ---------------------------------------------------------------------------------------

class IdMaker:
    """Makes unique revision ids in one of the styles real projects use."""

    def __init__(self, rng: random.Random, style: str):
        self.rng = rng
        self.style = style
        self.counter = rng.choice([0, 0, 0, 7, 41, 63, 99])
        self.used: set[str] = set()

    def make(self, message: str) -> str:
        for attempt in range(1000):
            style = self.style
            if style == "mixed":
                style = self.rng.choice(["hex12", "hex12", "hex11", "digits", "custom",
                                         "numbered_slug"])
            self.counter += 1
            if style == "hex12":
                rid = "%012x" % self.rng.getrandbits(48)
            elif style == "hex11":
                rid = "%011x" % self.rng.getrandbits(44)
            elif style == "digits":
                rid = "%04d" % self.counter
            elif style == "custom":
                rid = "%s_%s" % (self.rng.choice(NATO), slug(message, 20).rstrip("_"))
            else:  # numbered_slug, like 0088_client_users_rls_from_bookings
                rid = "%04d_%s" % (self.counter, slug(message, 32).rstrip("_"))
            if attempt >= 5:
                # custom ids come from a small word list ("kilo_merge_heads"): number them
                # when the combinations run out, as people do
                rid = "%s_%d" % (rid, self.counter)
            if rid not in self.used:
                self.used.add(rid)
                return rid
        raise RuntimeError("cannot make a unique revision id")


def slug(message: str, limit: int = 40) -> str:
    """Alembic's file-name slug rule."""
    s = "_".join(re.findall(r"\w+", message)).lower()
    if len(s) > limit:
        s = s[:limit].rsplit("_", 1)[0] + "_"
    return s


def make_message(rng: random.Random, kind: str, table: str, column: str) -> str:
    if kind == "table":
        return rng.choice(["add %s table", "create %s", "Add %s table"]) % table
    if kind == "column":
        return rng.choice(["add %s to %s", "Add %s column to %s"]) % (column, table)
    if kind == "index":
        return "add index on %s.%s" % (table, column)
    if kind == "data":
        return rng.choice(["backfill %s.%s", "normalise %s %s values"]) % (table, column)
    if kind == "empty":
        return rng.choice(["empty message", "placeholder", "bump"])
    return "merge heads"


def generate_graph(seed: str) -> tuple[Graph, random.Random]:
    rng = random.Random(seed)
    style = rng.choices(["hex12", "digits", "custom", "mixed", "numbered_slug"],
                        weights=[55, 12, 10, 15, 8])[0]
    ids = IdMaker(rng, style)
    size = rng.choice([1, 2, 3, 5, 8, 12, 20, 30, 45, 60, 90, 140])
    n_bases = rng.choices([1, 2, 3, 4], weights=[60, 20, 12, 8])[0]
    revs: list[Rev] = []
    children: dict[str, int] = {}
    heads: list[str] = []
    free_labels = LABELS[:]
    rng.shuffle(free_labels)

    def add(down: list[str], kind: str | None = None, lineage: int = 0) -> Rev:
        if kind is None:
            kind = rng.choices(["table", "column", "index", "data", "empty"],
                               weights=[30, 35, 15, 15, 5])[0]
        table, column = rng.choice(TABLES), rng.choice(COLUMNS)
        message = make_message(rng, kind, table, column)
        rev = Rev(ids.make(message), list(down), message=message, kind=kind, table=table,
                  column=column, lineage=lineage)
        for d in down:
            children[d] = children.get(d, 0) + 1
            if d in heads:
                heads.remove(d)
        heads.append(rev.id)
        revs.append(rev)
        return rev

    def new_base(lineage: int) -> None:
        rev = add([], kind="table", lineage=lineage)
        if (n_bases > 1 or rng.random() < 0.3) and free_labels:
            rev.labels.append(free_labels.pop())
            if rng.random() < 0.1 and free_labels:
                rev.labels.append(free_labels.pop())
        # A later branch that starts from nothing but needs another branch's tables.
        if lineage > 0 and rng.random() < 0.3:
            add_depends(rev, len(revs) - 1)

    def add_depends(rev: Rev, limit: int) -> None:
        """depends_on to 1-2 earlier revisions (never an ancestor list, never itself)."""
        earlier = [r for r in revs[:limit] if r.id not in rev.down and r.id != rev.id]
        if not earlier:
            return
        open_heads = [r for r in earlier if r.id in heads]
        if open_heads and rng.random() < 0.3:
            earlier = open_heads  # depending on a head makes it an "effective head"
        for target in rng.sample(earlier, min(len(earlier), rng.choice([1, 1, 2]))):
            if target.labels and rng.random() < 0.35:
                name = rng.choice(target.labels)
            else:
                name = target.id
            if name not in rev.depends:
                rev.depends.append(name)

    bases_left = n_bases - 1
    new_base(0)
    while len(revs) < size:
        action = rng.choices(["extend", "branch", "fanout", "merge", "base"],
                             weights=[58, 12, 5, 18, 3 + 6 * bool(bases_left)])[0]
        if action == "extend":
            parent = rng.choice(heads)
            rev = add([parent], lineage=lineage_of(revs, parent))
        elif action == "branch":
            parent = rng.choice(revs)
            rev = add([parent.id], lineage=parent.lineage)
            if children.get(parent.id, 0) > 1 and rng.random() < 0.08 and free_labels:
                rev.labels.append(free_labels.pop())  # a named feature branch
        elif action == "fanout":
            parent = rng.choice(heads)
            for _ in range(rng.randint(2, 9)):
                add([parent], lineage=lineage_of(revs, parent))
            continue
        elif action == "merge":
            if len(heads) < 2:
                continue
            k = rng.randint(2, min(9, len(heads)))
            parents = rng.sample(heads, k)
            rev = add(parents, kind="merge", lineage=lineage_of(revs, parents[0]))
        else:
            if bases_left <= 0 and rng.random() < 0.8:
                continue
            bases_left -= 1
            new_base(n_bases - bases_left - 1)
            continue
        if rev.down and rng.random() < 0.1:
            add_depends(rev, len(revs) - 1)
    while bases_left > 0:
        bases_left -= 1
        new_base(n_bases - bases_left - 1)
    # Half the graphs end merged to one head, like a team that keeps CI green.
    if rng.random() < 0.5:
        while len(heads) > 1:
            k = rng.randint(2, min(9, len(heads)))
            parents = rng.sample(heads, k)
            add(parents, kind="merge", lineage=lineage_of(revs, parents[0]))
    return Graph(seed, revs), rng


def lineage_of(revs: list[Rev], rid: str) -> int:
    for r in revs:
        if r.id == rid:
            return r.lineage
    return 0


# ---------------------------------------------------------------------------------------
# Rendering one migration file
# ---------------------------------------------------------------------------------------

def quote(rng: random.Random, text: str, style: str) -> str:
    if style == "mixed":
        style = rng.choice(["'", '"'])
    if style in ("'''", '"""'):
        return "%s%s%s" % (style, text, style)
    return "%s%s%s" % (style, text, style)


def render_sequence(rng: random.Random, values: list[str], q: str, name: str,
                    allow_bare: bool) -> str:
    """A tuple/list in one of the spellings real files use (values non-empty)."""
    items = [quote(rng, v, q) for v in values]
    if len(items) == 1:
        form = rng.choices(["scalar", "tuple1", "list1", "concat", "tuple1_bare"],
                           weights=[84, 8, 4, 2, 2])[0]
        if form == "scalar":
            return items[0]
        if form == "tuple1":
            return "(%s,)" % items[0]
        if form == "list1":
            return "[%s]" % items[0]
        if form == "tuple1_bare" and allow_bare:
            return "%s," % items[0]
        if form == "concat" and len(values[0]) > 4:
            cut = rng.randint(1, len(values[0]) - 1)
            return "%s %s" % (quote(rng, values[0][:cut], q), quote(rng, values[0][cut:], q))
        return items[0]
    form = rng.choices(["tuple", "list", "bare", "multiline", "multiline_list"],
                       weights=[50, 15, 10 if allow_bare else 0, 20, 5])[0]
    if form == "tuple":
        return "(%s)" % ", ".join(items)
    if form == "list":
        return "[%s]" % ", ".join(items)
    if form == "bare":
        return ", ".join(items)
    open_, close = ("(", ")") if form == "multiline" else ("[", "]")
    body = "".join("    %s,%s\n" % (i, "  # from the %s branch" % rng.choice(LABELS)
                                       if rng.random() < 0.15 else "") for i in items)
    return "%s\n%s%s" % (open_, body, close)


def render_empty(rng: random.Random) -> str:
    return rng.choices(["None", "()", "[]"], weights=[86, 9, 5])[0]


@dataclass
class FileStyle:
    annotated: bool
    quote: str
    omit_optional: bool  # very old files: no branch_labels / depends_on lines at all
    import_first: bool   # an import above the docstring (the docstring is then no docstring)
    coding_line: bool    # `# -*- coding: utf-8 -*-` above the docstring (still a docstring)
    reassigned: bool     # `down_revision = None` first, the real value later (last one wins)
    legacy_no_revision: bool  # no `revision =` line: Alembic reads the hex file name


def render_file(rng: random.Random, graph: Graph, rev: Rev, create_date: str,
                fs: FileStyle) -> str:
    q = fs.quote
    lines: list[str] = []
    revises = ", ".join(rev.down)
    doc_q = rng.choice(['"""', '"""', '"""', "'''"])
    doc = ("%s%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: %s\n\n%s"
           % (doc_q, rev.message, rev.id, revises, create_date, doc_q))
    if fs.coding_line:
        lines.append("# -*- coding: utf-8 -*-")
    if fs.import_first:
        lines.append("import sqlalchemy as sa")
        lines.append(doc)
        lines.append("from alembic import op")
    else:
        lines.append(doc)
        lines.append("from alembic import op")
        lines.append("import sqlalchemy as sa")
    if fs.annotated:
        lines.append("from typing import Sequence, Union")
    if rev.kind == "data":
        lines.append("from sqlalchemy.sql import column, table")
    lines.append("")
    lines.append("")

    if rng.random() < 0.03 and rev.down:
        # a stale value left behind as a comment after a rebase
        lines.append("# down_revision = %s" % quote(rng, "deadbeef0000", "'"))
    pre_bound = None
    if rev.down and len(rev.down) == 1 and rng.random() < 0.02:
        pre_bound = "PARENT_REVISION"
        lines.append("%s = %s" % (pre_bound, quote(rng, rev.down[0], q)))
    lines.append("# revision identifiers, used by Alembic.")

    if fs.annotated:
        ann = {"revision": ": str",
               "down_revision": rng.choice([": Union[str, None]",
                                            ": Union[str, Sequence[str], None]",
                                            ": Union[str, tuple[str, ...], None]"]),
               "branch_labels": ": Union[str, Sequence[str], None]",
               "depends_on": ": Union[str, Sequence[str], None]"}
    else:
        ann = {k: "" for k in ("revision", "down_revision", "branch_labels", "depends_on")}

    if not fs.legacy_no_revision:
        lines.append("revision%s = %s" % (ann["revision"], quote(rng, rev.id, q)))
    if pre_bound:
        down = pre_bound
    elif rev.down:
        down = render_sequence(rng, rev.down, q, "down_revision", allow_bare=True)
    else:
        down = render_empty(rng)
    comment = "  # merge" if len(rev.down) > 1 and rng.random() < 0.2 else ""
    if fs.reassigned:
        # a conflict resolved by keeping both sides; Python (and Alembic) use the last
        lines.append("down_revision%s = None" % ann["down_revision"])
    lines.append("down_revision%s = %s%s" % (ann["down_revision"], down, comment))
    if rev.labels:
        lines.append("branch_labels%s = %s" % (
            ann["branch_labels"],
            render_sequence(rng, rev.labels, q, "branch_labels", allow_bare=False)))
    elif not fs.omit_optional:
        lines.append("branch_labels%s = None" % ann["branch_labels"])
    if rev.depends:
        lines.append("depends_on%s = %s" % (
            ann["depends_on"],
            render_sequence(rng, rev.depends, q, "depends_on", allow_bare=False)))
    elif not fs.omit_optional:
        lines.append("depends_on%s = None" % ann["depends_on"])
    lines.append("")
    lines.append("")
    lines.append(render_body(rng, rev))
    return "\n".join(lines)


def render_body(rng: random.Random, rev: Rev) -> str:
    t, c = rev.table, rev.column
    if rev.kind == "table":
        up = ("    op.create_table(\n"
              "        \"%s\",\n"
              "        sa.Column(\"id\", sa.Integer(), nullable=False),\n"
              "        sa.Column(\"%s\", sa.String(length=64), nullable=True),\n"
              "        sa.Column(\"created_at\", sa.DateTime(timezone=True),\n"
              "                  server_default=sa.text(\"now()\"), nullable=False),\n"
              "        sa.PrimaryKeyConstraint(\"id\"),\n"
              "    )\n"
              "    op.create_index(op.f(\"ix_%s_created_at\"), \"%s\", [\"created_at\"])"
              % (t, c, t, t))
        down = ("    op.drop_index(op.f(\"ix_%s_created_at\"), table_name=\"%s\")\n"
                "    op.drop_table(\"%s\")" % (t, t, t))
    elif rev.kind == "column":
        up = ("    with op.batch_alter_table(\"%s\") as batch_op:\n"
              "        batch_op.add_column(sa.Column(\"%s\", sa.Boolean(), nullable=True))"
              % (t, c))
        down = ("    with op.batch_alter_table(\"%s\") as batch_op:\n"
                "        batch_op.drop_column(\"%s\")" % (t, c))
    elif rev.kind == "index":
        up = "    op.create_index(\"ix_%s_%s\", \"%s\", [\"%s\"], unique=False)" % (t, c, t, c)
        down = "    op.drop_index(\"ix_%s_%s\", table_name=\"%s\")" % (t, c, t)
    elif rev.kind == "data":
        # Decoys: a local named `revision` and SQL that mentions down_revision.
        up = ("    rows = table(\"%s\", column(\"id\"), column(\"%s\"))\n"
              "    revision = op.get_bind().execute(sa.text(\"SELECT 1\")).scalar()\n"
              "    op.execute(\n"
              "        \"\"\"\n"
              "        UPDATE %s SET %s = NULL\n"
              "        WHERE %s = 'down_revision = \\'x\\''\n"
              "        \"\"\"\n"
              "    )\n"
              "    op.execute(rows.update().values(%s=None))\n"
              "    del revision" % (t, c, t, c, c, c))
        down = "    pass"
    else:
        up = down = "    pass"
    ret = " -> None" if rng.random() < 0.7 else ""
    return "def upgrade()%s:\n%s\n\n\ndef downgrade()%s:\n%s\n" % (ret, up, ret, down)


# ---------------------------------------------------------------------------------------
# Rendering the project
# ---------------------------------------------------------------------------------------

MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''

ENV_PY = '''"""Migration environment (generated for parity tests; never executed by the analyser)."""
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
target_metadata = None


def run_migrations_online() -> None:
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
'''


@dataclass
class Project:
    root: str
    ini: str
    script_location: str  # absolute
    version_dirs: list[str]  # absolute, in configured order (including missing ones)
    graph: Graph
    files: dict[str, str] = field(default_factory=dict)  # revision id -> path
    duplicates: dict[str, list[str]] = field(default_factory=dict)  # id -> every copy


def write_project(graph: Graph, rng: random.Random, root: str) -> Project:
    os.makedirs(root, exist_ok=True)
    script_rel = rng.choice(["migrations", "migrations", "alembic", "db/migrations"])
    script_abs = os.path.join(root, script_rel)
    os.makedirs(os.path.join(script_abs, "versions"), exist_ok=True)
    with open(os.path.join(script_abs, "script.py.mako"), "w") as f:
        f.write(MAKO)
    with open(os.path.join(script_abs, "env.py"), "w") as f:
        f.write(ENV_PY)
    if rng.random() < 0.3:
        with open(os.path.join(script_abs, "README"), "w") as f:
            f.write("Generic single-database configuration.\n")

    # Version locations: usually the default; sometimes one directory per lineage.
    n_lineages = 1 + max(r.lineage for r in graph.revs)
    multi = n_lineages > 1 and rng.random() < 0.5
    version_rels: list[str] = []
    ini_locations = None
    if multi:
        version_rels = ["%s/versions" % script_rel]
        for i in range(1, n_lineages):
            version_rels.append("%s/versions_%s" % (script_rel, i))
        if rng.random() < 0.2:
            version_rels.append("%s/versions_unused" % script_rel)  # listed, never created
        rendered = []
        for rel in version_rels:
            rendered.append(rng.choice(["%(here)s/" + rel, rel]))
        sep = rng.choice(["legacy_space", "legacy_comma", "space", "os", ":", ";"])
        if sep == "legacy_space":
            ini_locations = ("\n".join(["version_locations = " + " ".join(rendered)]))
        elif sep == "legacy_comma":
            ini_locations = "version_locations = " + ", ".join(rendered)
        elif sep == "space":
            ini_locations = ("version_locations = %s\nversion_path_separator = space"
                             % " ".join(rendered))
        elif sep == "os":
            ini_locations = ("version_locations = %s\nversion_path_separator = os"
                             % os.pathsep.join(rendered))
        else:
            ini_locations = ("version_locations = %s\nversion_path_separator = %s"
                             % (sep.join(rendered), sep))
    else:
        version_rels = ["%s/versions" % script_rel]
    version_dirs = [os.path.join(root, rel) for rel in version_rels]
    for d in version_dirs:
        if not d.endswith("versions_unused"):
            os.makedirs(d, exist_ok=True)

    template = rng.choices(["rev_slug", "dated", "rev_only"], weights=[70, 20, 10])[0]
    ini_template = {
        "rev_slug": "# file_template = %%(rev)s_%%(slug)s",
        "dated": "file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s",
        "rev_only": "file_template = %%(rev)s",
    }[template]
    script_value = rng.choice([script_rel, script_rel, "%(here)s/" + script_rel])
    ini = os.path.join(root, "alembic.ini")
    with open(ini, "w") as f:
        f.write("# A generic, single database configuration.\n\n[alembic]\n")
        f.write("# path to migration scripts\nscript_location = %s\n\n" % script_value)
        f.write("%s\n\n" % ini_template)
        f.write("prepend_sys_path = .\n\n")
        if ini_locations:
            f.write(ini_locations + "\n\n")
        else:
            f.write("# version_locations = %(here)s/bar:%(here)s/bat:migrations/versions\n\n")
        f.write("sqlalchemy.url = postgresql://app:app@localhost/app\n\n")
        f.write("[loggers]\nkeys = root\n\n[handlers]\nkeys = console\n\n"
                "[formatters]\nkeys = generic\n\n[logger_root]\nlevel = WARN\n"
                "handlers = console\n\n[handler_console]\nclass = StreamHandler\n"
                "args = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n\n"
                "[formatter_generic]\nformat = %%(levelname)-5.5s [%%(name)s] %%(message)s\n")

    project = Project(root, ini, script_abs, version_dirs, graph)
    start = datetime.datetime(2021, 1, 4, 9, 0, 0) + datetime.timedelta(
        days=rng.randint(0, 900))
    when = start
    crlf = rng.random() < 0.04  # a repository checked out with Windows line endings
    quote_style = rng.choices(["'", '"', "mixed", "'''", '"""'], weights=[40, 40, 12, 4, 4])[0]
    annotated_share = rng.choice([0.0, 0.0, 0.3, 1.0])
    used_names: set[str] = set()
    for rev in graph.revs:
        when += datetime.timedelta(hours=rng.randint(1, 200), seconds=rng.randint(0, 3599),
                                   microseconds=rng.randint(0, 999999))
        fs = FileStyle(
            annotated=rng.random() < annotated_share,
            quote=quote_style if rng.random() < 0.9 else rng.choice(["'", '"']),
            omit_optional=rng.random() < 0.05,
            import_first=rng.random() < 0.02,
            coding_line=rng.random() < 0.03,
            reassigned=rng.random() < 0.01,
            legacy_no_revision=(re.fullmatch(r"[0-9a-f]+", rev.id) is not None
                                and rng.random() < 0.01),
        )
        if fs.legacy_no_revision:
            name = "%s.py" % rev.id
        elif template == "dated":
            name = "%s-%s_%s.py" % (when.strftime("%Y_%m_%d_%H%M"), rev.id,
                                    slug(rev.message))
        elif template == "rev_only":
            name = "%s.py" % rev.id
        else:
            name = "%s_%s.py" % (rev.id, slug(rev.message))
        if rng.random() < 0.03 and not fs.legacy_no_revision:
            name = "%s_%s.py" % (rng.choice(NATO), slug(rev.message))  # renamed by hand
        if multi and rng.random() < 0.9:
            folder = version_dirs[min(rev.lineage, n_lineages - 1)]
        else:
            folder = version_dirs[0] if not multi else rng.choice(version_dirs[:n_lineages])
        path = os.path.join(folder, name)
        while path in used_names or os.path.exists(path):
            name = "x" + name
            path = os.path.join(folder, name)
        used_names.add(path)
        text = render_file(rng, graph, rev, str(when), fs)
        compile(text, path, "exec")  # the generator must never write invalid Python
        data = text.encode("utf-8")
        if crlf:
            data = data.replace(b"\n", b"\r\n")
        if rng.random() < 0.005:
            data = b"\xef\xbb\xbf" + data  # a UTF-8 byte order mark from a Windows editor
        with open(path, "wb") as f:
            f.write(data)
        project.files[rev.id] = path

    # Things that sit in real version directories and must be ignored.
    main_versions = version_dirs[0]
    if rng.random() < 0.25:
        open(os.path.join(main_versions, "__init__.py"), "w").close()
    if rng.random() < 0.15:
        with open(os.path.join(main_versions, "README.md"), "w") as f:
            f.write("# Migrations\n\nRun `alembic upgrade head`.\n")
    if rng.random() < 0.1:
        open(os.path.join(main_versions, ".keep"), "w").close()
    if rng.random() < 0.1 and graph.revs:
        victim = os.path.basename(project.files[graph.revs[-1].id])
        lock = os.path.join(main_versions, ".#" + victim)
        if rng.random() < 0.5:
            os.symlink("dev@laptop.41234:1700000000", lock)  # how Emacs writes them
        else:
            with open(lock, "w") as f:
                f.write("dev@laptop.41234:1700000000")
    if rng.random() < 0.08:
        with open(os.path.join(main_versions, "old_users_backup.py.bak"), "w") as f:
            f.write("revision = 'not_loaded'\ndown_revision = None\n")
    return project


def build(seed: str, root: str, duplicates: bool = False) -> Project:
    graph, rng = generate_graph(seed)
    project = write_project(graph, rng, root)
    if duplicates:
        add_duplicates(project, random.Random(seed + "/duplicates"))
    return project


def add_duplicates(project: Project, rng: random.Random) -> None:
    """Copy-pasted migrations: a new file whose `revision` was left as the original's.

    Alembic accepts the history (with a warning) and answers `heads` with every copy, so
    the parity test can still compare; only unlabelled revisions are copied (a copied
    branch label would be a label conflict, which Alembic refuses)."""
    if rng.random() < 0.4:
        return
    candidates = [r for r in project.graph.revs if not r.labels
                  and not re.fullmatch(r"[0-9a-f]+\.py", os.path.basename(project.files[r.id]))]
    for rev in rng.sample(candidates, min(len(candidates), rng.choice([1, 1, 2]))):
        original = project.files[rev.id]
        with open(original, "rb") as f:
            data = f.read()
        table, column = rng.choice(TABLES), rng.choice(COLUMNS)
        message = make_message(rng, "column", table, column)
        data = data.replace(rev.message.encode(), message.encode(), 1)
        name = "%012x_%s.py" % (rng.getrandbits(48), slug(message))
        copy = os.path.join(os.path.dirname(original), name)
        with open(copy, "wb") as f:
            f.write(data)
        project.duplicates.setdefault(rev.id, [original]).append(copy)


def graph_seed(seed: int, index: int) -> str:
    return "%d-%d" % (seed, index)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--index", type=int, default=None,
                    help="write only this graph (as run_parity.py numbers them)")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--duplicates", action="store_true",
                    help="as run_parity.py --duplicates: add copy-pasted migrations")
    args = ap.parse_args(argv)
    indexes = [args.index] if args.index is not None else range(args.count)
    for i in indexes:
        root = os.path.join(args.out, "graph_%04d" % i)
        project = build(graph_seed(args.seed, i), root, duplicates=args.duplicates)
        g = project.graph
        print("%s: %d revisions, %d heads, %d bases, %d branch points, %d merges"
              % (root, len(g.revs), len(g.heads()), len(g.bases()), len(g.branch_points()),
                 len(g.merge_points())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
