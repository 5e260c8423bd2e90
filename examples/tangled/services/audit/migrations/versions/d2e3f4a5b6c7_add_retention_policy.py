"""add retention policy

Revision ID: d2e3f4a5b6c7
Revises: 8e9f0a1b2c3d
Create Date: 2023-03-27 16:50:08.471539

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2e3f4a5b6c7'
down_revision = '8e9f0a1b2c3d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_retention",
        sa.Column("action", sa.String(length=64), primary_key=True),
        sa.Column("keep_days", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_retention")
