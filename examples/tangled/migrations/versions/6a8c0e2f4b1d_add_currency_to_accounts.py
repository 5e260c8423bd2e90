"""add currency to accounts

Revision ID: 6a8c0e2f4b1d
Revises: 0007_add_invoices
Create Date: 2022-12-14 17:19:33.912804

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
# Rebased onto the invoice number sequence before merging; only the code was updated.
revision = '6a8c0e2f4b1d'
down_revision = '2b6d8f0a1c3e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "accounts",
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("accounts", "currency")
