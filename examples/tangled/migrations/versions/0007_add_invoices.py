"""add invoices

Revision ID: 0007_add_invoices
Revises: 9f4e2d1c0b8a
Create Date: 2022-11-21 13:27:45.006318

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
# The invoicing team numbered its revisions by hand for a while.
revision = '0007_add_invoices'
down_revision = '9f4e2d1c0b8a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("invoices")
