// Two realistic migrations shared by the parser property tests and the parser
// micro-benchmark (bench/parser_micro.cpp): Alembic 1.8's template output and an annotated
// migration in the newer template's style.
#pragma once

namespace alembic::testing {

inline const char* const kTemplate18 = R"PY("""add account table

Revision ID: 1975ea83b712
Revises: 0064_prev
Create Date: 2011-11-08 11:40:27.089406

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1975ea83b712'
down_revision = '0064_prev'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'account',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(50), nullable=False),
        sa.Column('description', sa.Unicode(200)),
    )
    op.execute("""
        INSERT INTO account (name) VALUES ('it''s "quoted"')
    """)


def downgrade():
    op.drop_table('account')
)PY";

inline const char* const kAnnotated = R"PY(from __future__ import annotations
"""merge heads

Revision ID: c0ffee000001
Revises: aaa111, bbb222
Create Date: 2024-05-01 09:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from myapp.db import cli

BASE = "aaa111"
OTHER: str = 'bbb' "222"

# revision identifiers, used by Alembic.
revision: str = "c0ffee000001"
down_revision: Union[str, Sequence[str], None] = (
    BASE,  # the first parent
    OTHER,
)
branch_labels: Union[str, Sequence[str], None] = (cli.EXPAND_BRANCH,)
depends_on: Union[str, Sequence[str], None] = ["dep_1", r'dep\2']

STATUS = sa.Enum("new", "old", name="status")


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        revision = "not this one"
        op.execute(f"SELECT '{revision}'")
    pass


def downgrade() -> None:
    pass
)PY";

}  // namespace alembic::testing
