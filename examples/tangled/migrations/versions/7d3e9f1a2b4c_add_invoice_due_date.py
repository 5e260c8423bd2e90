"""add invoice due date

Revision ID: 7d3e9f1a2b4c
Revises: 8b0d2f4a6c1e
Create Date: 2023-02-06 14:11:58.290316

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3e9f1a2b4c'
down_revision = '8b0d2f4a6c1e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("invoices", sa.Column("due_on", sa.Date(), nullable=True))
    op.execute("UPDATE invoices SET due_on = issued_on + INTERVAL '30 days'")
    op.alter_column("invoices", "due_on", nullable=False)


def downgrade() -> None:
    op.drop_column("invoices", "due_on")
