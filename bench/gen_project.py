#!/usr/bin/env python3
"""Writes a synthetic Alembic project of N migrations for benchmarks.

The project looks like what `alembic init` and years of `alembic revision` leave
behind: alembic.ini, migrations/env.py, migrations/script.py.mako and
migrations/versions/<rev>_<slug>.py files of 1.5-4 KB each (docstring header,
imports, `op.*` calls in upgrade() and downgrade()), some in the older plain style
and some in the annotated style of Alembic >= 1.13 templates. The history is mostly
linear with branch points closed by merge revisions, a few `depends_on` edges and
one branch label on the base, and ends in a single head (so `alembic-lsp check`
exits 0), unless --heads asks for more.

Everything is derived from --seed, so the same arguments give the same bytes.
A manifest, bench-manifest.json, is written next to alembic.ini: the head, and two
linear revisions the benchmark edits (their paths and parents).

Two families (--family):
  default   as above: 1.5-4 KB files, one branch label, about 2% of revisions with depends_on
  labelled  larger files (3.5-4.5 KB), a branch label on the first revision of about one
            branch line in eight (48 per 10,000 revisions at seed 1, each carried by every
            revision after it), and about 4% of revisions with depends_on (433): the shape of a
            long-lived project with named feature branches

usage: gen_project.py --count 10000 --out /tmp/proj-10k [--seed 1] [--heads 1] [--family labelled]
"""

import argparse
import datetime
import json
import os
import random
import shutil
import sys
from pathlib import Path

ALEMBIC_INI = """\
# A generic, single-database configuration.

[alembic]
# path to migration scripts
script_location = migrations

# template used to generate migration file names
# file_template = %%(rev)s_%%(slug)s

# sys.path path, will be prepended to sys.path if present.
prepend_sys_path = .

# max length of characters to apply to the "slug" field
# truncate_slug_length = 40

version_path_separator = os  # Use os.pathsep. Default configuration used for new projects.

sqlalchemy.url = postgresql+psycopg2://bench:bench@localhost:5432/bench


[post_write_hooks]

# Logging configuration
[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %%(levelname)-5.5s [%%(name)s] %%(message)s
datefmt = %%H:%%M:%%S
"""

ENV_PY = '''\
from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

# add your model's MetaData object here
# for 'autogenerate' support
target_metadata = None


def run_migrations_offline() -> None:
    """Run migrations in 'offline' mode."""
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run migrations in 'online' mode."""
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

SCRIPT_MAKO = '''\
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: Union[str, None] = ${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''

WORDS = ("user account order invoice payment product customer address shipment "
         "warehouse stock price discount coupon session token audit event tenant "
         "project task comment tag category review rating message channel member "
         "role permission report subscription plan feature webhook").split()
COLUMN_TYPES = ("sa.Integer()", "sa.BigInteger()", "sa.String(length=255)",
                "sa.String(length=64)", "sa.Text()", "sa.Boolean()",
                "sa.DateTime(timezone=True)", "sa.Numeric(precision=12, scale=2)",
                "sa.Date()", "postgresql.JSONB(astext_type=sa.Text())", "postgresql.UUID(as_uuid=True)")


class Revision:
    __slots__ = ("id", "down", "depends_on", "branch_labels", "message", "children", "kind")

    def __init__(self, rid, down, message, kind="linear"):
        self.id = rid
        self.down = down            # None, a str, or a tuple of str (merge)
        self.depends_on = None      # None, a str, or a list of str
        self.branch_labels = None   # None or a tuple of str
        self.message = message
        self.children = 0
        self.kind = kind


def parents(rev):
    if rev.down is None:
        return ()
    return rev.down if isinstance(rev.down, tuple) else (rev.down,)


FAMILIES = {
    # file size range (bytes), P(label on a branch line's first revision),
    # P(depends_on on a line revision), P(depends_on on a linear revision)
    "default": {"size": (1500, 3800), "label": 0.0, "line_dep": 0.3, "old_dep": 1 / 150},
    "labelled": {"size": (3500, 4500), "label": 0.12, "line_dep": 0.3, "old_dep": 1 / 55},
}


def build_history(count, extra_heads, rng, family="default"):
    """The revision graph: a list in creation order."""
    shape = FAMILIES[family]
    ids = set()

    def new_id():
        while True:
            rid = "%012x" % rng.getrandbits(48)
            if rid not in ids:
                ids.add(rid)
                return rid

    def message():
        verb = rng.choice(("add", "create", "drop", "alter", "backfill", "index", "rename", "extend"))
        return "%s %s %s" % (verb, rng.choice(WORDS), rng.choice(("table", "column", "columns", "index",
                                                                   "constraint", "defaults", "fields")))

    revs = []
    by_id = {}

    def add(down, msg=None, kind="linear"):
        rev = Revision(new_id(), down, msg or message(), kind)
        for p in parents(rev):
            by_id[p].children += 1
        revs.append(rev)
        by_id[rev.id] = rev
        return rev

    root = add(None, "initial schema", "base")
    root.branch_labels = ("core",)
    tip = root
    # Reserve room for the unmerged side branches asked for with --heads.
    budget = count - (extra_heads - 1 if extra_heads > 1 else 0)
    while len(revs) < budget:
        left = budget - len(revs)
        if left >= 8 and rng.random() < 1 / 30:
            # A branch point, two or three lines of work, and the merge that closes them.
            n_lines = 3 if rng.random() < 0.2 else 2
            line_lengths = [rng.randint(1, 5) for _ in range(n_lines)]
            while sum(line_lengths) + 1 > left:
                line_lengths[line_lengths.index(max(line_lengths))] -= 1
            if min(line_lengths) < 1:
                tip = add(tip.id)
                continue
            branch_point = tip
            line_tips = []
            first_line = []
            for k, length in enumerate(line_lengths):
                cur = branch_point
                for step in range(length):
                    cur = add(cur.id)
                    if step == 0 and k > 0 and shape["label"] and rng.random() < shape["label"]:
                        cur.branch_labels = ("feature_%s_%d" % (rng.choice(WORDS), len(revs)),)
                    if k == 0:
                        first_line.append(cur)
                    elif first_line and rng.random() < shape["line_dep"]:
                        # Work on one line that needs a revision of another line.
                        cur.depends_on = rng.choice(first_line).id
                line_tips.append(cur.id)
            tip = add(tuple(line_tips), "merge " + " and ".join(t[:6] for t in line_tips), "merge")
        else:
            rev = add(tip.id)
            if len(revs) > 20 and rng.random() < shape["old_dep"]:
                # A dependency on an older revision of the same history.
                older = [revs[i].id for i in rng.sample(range(len(revs) - 2), k=2)]
                rev.depends_on = older[0] if rng.random() < 0.6 else older
            tip = rev
    # Side branches left open: each is one more head.
    for _ in range(extra_heads - 1):
        base = rng.choice(revs[len(revs) // 2:])
        add(base.id, "side branch " + message())
    return revs, by_id


# --- file contents --------------------------------------------------------------------

def slug(message):
    s = "".join(c if c.isalnum() else "_" for c in message.lower())
    s = "_".join(p for p in s.split("_") if p)
    return s[:40].rstrip("_") if len(s) > 40 else s


def comma_n(down):
    if down is None:
        return ""
    return ", ".join(down) if isinstance(down, tuple) else down


def column_lines(rng, n, indent):
    lines = []
    for i in range(n):
        name = "%s_%s" % (rng.choice(WORDS), rng.choice(("id", "name", "at", "count", "flag", "code", "ref", "value")))
        nullable = "True" if rng.random() < 0.5 else "False"
        extra = ""
        if rng.random() < 0.15:
            extra = ', server_default=sa.text("now()")'
        lines.append('%ssa.Column("%s", %s, nullable=%s%s),' % (indent, name, rng.choice(COLUMN_TYPES), nullable, extra))
    return lines


def operation(rng, table):
    """One upgrade operation and its downgrade, as lists of lines (4-space indented)."""
    kind = rng.random()
    if kind < 0.25:
        cols = column_lines(rng, rng.randint(3, 9), " " * 8)
        up = ["    op.create_table(", '        "%s",' % table,
              '        sa.Column("id", sa.Integer(), nullable=False),'] + cols + [
              '        sa.PrimaryKeyConstraint("id"),', "    )"]
        down = ['    op.drop_table("%s")' % table]
    elif kind < 0.5:
        col = column_lines(rng, 1, "")[0].rstrip(",")
        name = col.split('"')[1]
        up = ['    op.add_column("%s", %s)' % (table, col)]
        down = ['    op.drop_column("%s", "%s")' % (table, name)]
    elif kind < 0.65:
        col = "%s_%s" % (rng.choice(WORDS), rng.choice(("id", "at", "code")))
        ix = "ix_%s_%s" % (table, col)
        up = ['    op.create_index(op.f("%s"), "%s", ["%s"], unique=%s)' % (ix, table, col, rng.random() < 0.2)]
        down = ['    op.drop_index(op.f("%s"), table_name="%s")' % (ix, table)]
    elif kind < 0.78:
        other = rng.choice(WORDS) + "s"
        fk = "fk_%s_%s_id_%s" % (table, other[:-1], other)
        up = ["    op.create_foreign_key(", '        "%s",' % fk, '        "%s",' % table, '        "%s",' % other,
              '        ["%s_id"],' % other[:-1], '        ["id"],', '        ondelete="CASCADE",', "    )"]
        down = ['    op.drop_constraint("%s", "%s", type_="foreignkey")' % (fk, table)]
    elif kind < 0.9:
        col = "%s_%s" % (rng.choice(WORDS), rng.choice(("name", "code", "value")))
        up = ["    op.alter_column(", '        "%s",' % table, '        "%s",' % col,
              "        existing_type=sa.String(length=64),", "        type_=sa.String(length=255),",
              "        existing_nullable=True,", "    )"]
        down = ["    op.alter_column(", '        "%s",' % table, '        "%s",' % col,
                "        existing_type=sa.String(length=255),", "        type_=sa.String(length=64),",
                "        existing_nullable=True,", "    )"]
    else:
        col = "%s_%s" % (rng.choice(WORDS), "flag")
        up = ["    # Backfill before the NOT NULL constraint below.",
              "    op.execute(", '        sa.text(', '            "UPDATE %s SET %s = false WHERE %s IS NULL"' % (table, col, col),
              "        )", "    )",
              '    op.alter_column("%s", "%s", nullable=False)' % (table, col)]
        down = ['    op.alter_column("%s", "%s", nullable=True)' % (table, col)]
    return up, down


def render(rev, annotated, create_date, rng, size_range=(1500, 3800)):
    if rev.kind == "merge":
        body_up, body_down = ["    pass"], ["    pass"]
        imports = ""
    else:
        target = rng.randint(*size_range)
        ups, downs = [], []
        size = 700  # header, imports and function lines
        table = rng.choice(WORDS) + "s"
        while size < target:
            up, down = operation(rng, table)
            ups.extend(up)
            downs[:0] = down
            size += sum(len(line) + 1 for line in up + down)
            if rng.random() < 0.3:
                table = rng.choice(WORDS) + "s"
        body_up = ["    # ### commands auto generated by Alembic - please adjust! ###"] + ups + ["    # ### end Alembic commands ###"]
        body_down = ["    # ### commands auto generated by Alembic - please adjust! ###"] + downs + ["    # ### end Alembic commands ###"]
        imports = "from sqlalchemy.dialects import postgresql\n"

    out = ['"""%s' % rev.message, "", "Revision ID: %s" % rev.id, "Revises: %s" % comma_n(rev.down),
           "Create Date: %s" % create_date, "", '"""']
    if annotated:
        out += ["from typing import Sequence, Union", ""]
    out += ["from alembic import op", "import sqlalchemy as sa", imports, "# revision identifiers, used by Alembic."]
    values = (repr(rev.id), repr(rev.down), repr(rev.branch_labels), repr(rev.depends_on))
    if annotated:
        out += ["revision: str = %s" % values[0],
                "down_revision: Union[str, None] = %s" % values[1],
                "branch_labels: Union[str, Sequence[str], None] = %s" % values[2],
                "depends_on: Union[str, Sequence[str], None] = %s" % values[3]]
    else:
        out += ["revision = %s" % values[0], "down_revision = %s" % values[1],
                "branch_labels = %s" % values[2], "depends_on = %s" % values[3]]
    out += ["", "", "def upgrade() -> None:"] + body_up + ["", "", "def downgrade() -> None:"] + body_down
    return "\n".join(out) + "\n"


def pick_linear_pair(revs, by_id, start, rng):
    """A linear revision (one parent, one child) whose parent is linear with exactly
    this one child: retargeting or cutting its down_revision makes the parent a head."""
    order = list(range(start, len(revs) - 1))
    rng.shuffle(order)
    for i in order:
        rev = revs[i]
        if rev.kind != "linear" or rev.depends_on or rev.children != 1 or not isinstance(rev.down, str):
            continue
        parent = by_id[rev.down]
        if parent.kind != "linear" or parent.children != 1 or not isinstance(parent.down, str):
            continue
        return rev, parent
    raise SystemExit("no linear pair found; use a larger --count")


def generate(count, out, seed, extra_heads=1, annotated_share=0.3, family="default"):
    rng = random.Random(seed)
    revs, by_id = build_history(count, extra_heads, rng, family)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    versions = out / "migrations" / "versions"
    versions.mkdir(parents=True)
    (out / "alembic.ini").write_text(ALEMBIC_INI)
    (out / "migrations" / "env.py").write_text(ENV_PY)
    (out / "migrations" / "script.py.mako").write_text(SCRIPT_MAKO)
    (out / "migrations" / "README").write_text("Generic single-database configuration.\n")

    date = datetime.datetime(2016, 1, 4, 9, 0, 0, 123456)
    paths = {}
    total_bytes = 0
    for rev in revs:
        date += datetime.timedelta(seconds=rng.randint(600, 4 * 3600), microseconds=rng.randint(0, 999999))
        # Projects switch templates at some point; a share of files sits on either side.
        text = render(rev, rng.random() < annotated_share, date, rng, FAMILIES[family]["size"])
        name = "%s_%s.py" % (rev.id, slug(rev.message))
        (versions / name).write_text(text)
        paths[rev.id] = str(versions / name)
        total_bytes += len(text)

    heads = [r.id for r in revs if r.children == 0]
    branch_rev, branch_parent = pick_linear_pair(revs, by_id, len(revs) // 3, rng)
    while True:
        edit_rev, edit_parent = pick_linear_pair(revs, by_id, len(revs) // 2, rng)
        if {edit_rev.id, edit_parent.id}.isdisjoint({branch_rev.id, branch_parent.id, branch_parent.down}):
            break
    manifest = {
        "count": len(revs),
        "seed": seed,
        "bytes": total_bytes,
        "heads": heads,
        "head_paths": [paths[h] for h in heads],
        "merges": sum(1 for r in revs if r.kind == "merge"),
        "depends_on": sum(1 for r in revs if r.depends_on),
        "branch_labels": sum(1 for r in revs if r.branch_labels),
        "family": family,
        # Retarget branch["path"]'s down_revision from parent to grandparent: parent becomes a head.
        "branch": {"path": paths[branch_rev.id], "revision": branch_rev.id, "parent": branch_parent.id,
                   "parent_path": paths[branch_parent.id], "grandparent": branch_parent.down},
        # Set edit["path"]'s down_revision to None and back: one more base and one more head.
        "edit": {"path": paths[edit_rev.id], "revision": edit_rev.id, "parent": edit_rev.down,
                 "parent_path": paths[edit_parent.id]},
    }
    (out / "bench-manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, required=True, help="number of migration files")
    ap.add_argument("--out", required=True, help="project directory (replaced if it exists)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--heads", type=int, default=1, help="heads at the end (default 1)")
    ap.add_argument("--annotated-share", type=float, default=0.3,
                    help="share of files in the annotated (Alembic >= 1.13) style")
    ap.add_argument("--family", choices=sorted(FAMILIES), default="default",
                    help="default, or labelled: larger files, many branch labels and depends_on")
    args = ap.parse_args(argv)
    if args.count < 50:
        ap.error("--count must be at least 50")
    m = generate(args.count, args.out, args.seed, args.heads, args.annotated_share, args.family)
    print("%s: %d migrations, %.1f MB, %d merges, %d with depends_on, %d branch labels, heads %s" % (
        args.out, m["count"], m["bytes"] / 1e6, m["merges"], m["depends_on"], m["branch_labels"],
        ", ".join(m["heads"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
