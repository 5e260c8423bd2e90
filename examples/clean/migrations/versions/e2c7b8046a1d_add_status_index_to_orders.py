"""add status index to orders

Revision ID: e2c7b8046a1d
Revises: b5e07a3c9f12
Create Date: 2023-04-19 09:48:31.201958

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2c7b8046a1d'
down_revision = 'b5e07a3c9f12'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_orders_status_placed_at",
        "orders",
        ["status", "placed_at"],
        unique=False,
        postgresql_where=sa.text("status <> 'delivered'"),
    )


def downgrade() -> None:
    op.drop_index("ix_orders_status_placed_at", table_name="orders")
