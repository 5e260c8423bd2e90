"""add order discounts

Revision ID: 5e8f0a2b4c6d
Revises: a1b2c3d4e5f6_add_orders
Create Date: 2023-03-01 12:07:15.845502

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e8f0a2b4c6d'
down_revision = 'a1b2c3d4e5f6_add_orders'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "orders",
        sa.Column("discount_cents", sa.BigInteger(), server_default="0", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("orders", "discount_cents")
