"""add invoice pdf path

Revision ID: f0e1d2c3b4a5
Revises: 0007_add_invoices
Create Date: 2023-01-16 11:48:20.035571

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f0e1d2c3b4a5'
down_revision = '0007_add_invoices'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("invoices", sa.Column("pdf_path", sa.String(length=500), nullable=True))


def downgrade() -> None:
    op.drop_column("invoices", "pdf_path")
