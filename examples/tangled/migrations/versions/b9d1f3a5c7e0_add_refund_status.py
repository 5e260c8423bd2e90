"""add refund status

Revision ID: 3a7c9e1b5d2f
Revises: d8a0c2e4f6b1
Create Date: 2023-03-08 14:52:09.663120

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3a7c9e1b5d2f'
down_revision = 'd8a0c2e4f6b1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "refunds",
        sa.Column("status", sa.String(length=16), server_default="requested", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("refunds", "status")
