// The examples of the operation codes (not-null-without-default onwards, in Code order):
// finding_examples.cpp joins them after the history codes' examples. Internal to it.
#pragma once

#include <array>

#include "analysis/finding_examples.h"

namespace alembic::examples {

inline constexpr std::array<FindingExample, 9> kOperationExamples = {{
    // not-null-without-default
    {R"ex(=== migrations/versions/1000aaaa0001_create_orders.py
from alembic import op
import sqlalchemy as sa

revision = "1000aaaa0001"
down_revision = None


def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("orders")
=== migrations/versions/2000bbbb0002_add_discount.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.add_column("orders", sa.Column("discount", sa.Integer(), nullable=False))


def downgrade():
    op.drop_column("orders", "discount")
)ex",
     R"ex(=== migrations/versions/2000bbbb0002_add_discount.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.add_column(
        "orders",
        sa.Column("discount", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade():
    op.drop_column("orders", "discount")
)ex"},
    // index-not-concurrent
    {R"ex(=== alembic.ini
[alembic]
script_location = migrations
sqlalchemy.url = postgresql://localhost/shop
=== migrations/versions/1000aaaa0001_create_orders.py
from alembic import op
import sqlalchemy as sa

revision = "1000aaaa0001"
down_revision = None


def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("orders")
=== migrations/versions/2000bbbb0002_index_orders.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.create_index("ix_orders_id", "orders", ["id"])


def downgrade():
    op.drop_index("ix_orders_id", table_name="orders")
)ex",
     R"ex(=== migrations/versions/2000bbbb0002_index_orders.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index("ix_orders_id", "orders", ["id"], postgresql_concurrently=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index("ix_orders_id", table_name="orders", postgresql_concurrently=True)
)ex"},
    // concurrently-in-transaction
    {R"ex(=== migrations/versions/1000aaaa0001_create_orders.py
from alembic import op
import sqlalchemy as sa

revision = "1000aaaa0001"
down_revision = None


def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("orders")
=== migrations/versions/2000bbbb0002_index_orders.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.create_index("ix_orders_id", "orders", ["id"], postgresql_concurrently=True)


def downgrade():
    op.drop_index("ix_orders_id", table_name="orders")
)ex",
     R"ex(=== migrations/versions/2000bbbb0002_index_orders.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    with op.get_context().autocommit_block():
        op.create_index("ix_orders_id", "orders", ["id"], postgresql_concurrently=True)


def downgrade():
    op.drop_index("ix_orders_id", table_name="orders")
)ex"},
    // column-type-change
    {R"ex(=== migrations/versions/1000aaaa0001_create_orders.py
from alembic import op
import sqlalchemy as sa

revision = "1000aaaa0001"
down_revision = None


def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("orders")
=== migrations/versions/2000bbbb0002_widen_id.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.alter_column("orders", "id", type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade():
    op.alter_column("orders", "id", type_=sa.Integer(), existing_type=sa.BigInteger())
)ex",
     R"ex(=== migrations/versions/2000bbbb0002_widen_id.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.add_column("orders", sa.Column("big_id", sa.BigInteger(), nullable=True))


def downgrade():
    op.drop_column("orders", "big_id")
)ex"},
    // rename-table-or-column
    {R"ex(=== migrations/versions/1000aaaa0001_create_orders.py
from alembic import op
import sqlalchemy as sa

revision = "1000aaaa0001"
down_revision = None


def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("orders")
=== migrations/versions/2000bbbb0002_rename_orders.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.rename_table("orders", "purchases")


def downgrade():
    op.rename_table("purchases", "orders")
)ex",
     R"ex(=== pyproject.toml
[tool.alembic-lsp]
ignore = ["rename-table-or-column"]
)ex"},
    // drop-table-or-column
    {R"ex(=== migrations/versions/1000aaaa0001_create_orders.py
from alembic import op
import sqlalchemy as sa

revision = "1000aaaa0001"
down_revision = None


def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("orders")
=== migrations/versions/2000bbbb0002_drop_orders.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.drop_table("orders")


def downgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True))
)ex",
     R"ex(=== pyproject.toml
[tool.alembic-lsp]
ignore = ["drop-table-or-column"]
)ex"},
    // irreversible-downgrade
    {R"ex(=== migrations/versions/1000aaaa0001_create_orders.py
from alembic import op
import sqlalchemy as sa

revision = "1000aaaa0001"
down_revision = None


def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("orders")
=== migrations/versions/2000bbbb0002_add_note.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))


def downgrade():
    pass
)ex",
     R"ex(=== migrations/versions/2000bbbb0002_add_note.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))


def downgrade():
    op.drop_column("orders", "note")
)ex"},
    // downgrade-not-inverse
    {R"ex(=== migrations/versions/1000aaaa0001_create_orders.py
from alembic import op
import sqlalchemy as sa

revision = "1000aaaa0001"
down_revision = None


def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("orders")
=== migrations/versions/2000bbbb0002_add_notes.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))
    op.add_column("orders", sa.Column("memo", sa.Text(), nullable=True))


def downgrade():
    op.drop_column("orders", "note")
)ex",
     R"ex(=== migrations/versions/2000bbbb0002_add_notes.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))
    op.add_column("orders", sa.Column("memo", sa.Text(), nullable=True))


def downgrade():
    op.drop_column("orders", "memo")
    op.drop_column("orders", "note")
)ex"},
    // branch-conflict
    {R"ex(=== migrations/versions/1000aaaa0001_create_orders.py
from alembic import op
import sqlalchemy as sa

revision = "1000aaaa0001"
down_revision = None


def upgrade():
    op.create_table("orders", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("orders")
=== migrations/versions/2000bbbb0002_add_discount.py
from alembic import op
import sqlalchemy as sa

revision = "2000bbbb0002"
down_revision = "1000aaaa0001"


def upgrade():
    op.add_column("orders", sa.Column("discount", sa.Integer(), nullable=True))


def downgrade():
    op.drop_column("orders", "discount")
=== migrations/versions/3000cccc0003_add_coupon.py
from alembic import op
import sqlalchemy as sa

revision = "3000cccc0003"
down_revision = "1000aaaa0001"


def upgrade():
    op.add_column("orders", sa.Column("coupon", sa.Text(), nullable=True))


def downgrade():
    op.drop_column("orders", "coupon")
)ex",
     R"ex(=== migrations/versions/3000cccc0003_add_coupon.py
from alembic import op
import sqlalchemy as sa

revision = "3000cccc0003"
down_revision = "2000bbbb0002"


def upgrade():
    op.add_column("orders", sa.Column("coupon", sa.Text(), nullable=True))


def downgrade():
    op.drop_column("orders", "coupon")
)ex"},
}};

}  // namespace alembic::examples
