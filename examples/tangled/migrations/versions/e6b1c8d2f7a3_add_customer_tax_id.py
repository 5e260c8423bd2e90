"""add customer tax id

Revision ID: e6b1c8d2f7a3
Revises: 8b0d2f4a6c1e
Create Date: 2023-02-07 10:36:04.151847

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e6b1c8d2f7a3'
down_revision = '8b0d2f4a6c1e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customers", sa.Column("tax_id", sa.String(length=32), nullable=True))
    op.create_index("ix_customers_tax_id", "customers", ["tax_id"])


def downgrade() -> None:
    op.drop_index("ix_customers_tax_id", table_name="customers")
    op.drop_column("customers", "tax_id")
