"""add actor column

Revision ID: 5b6c7d8e9f0a
Revises: d2e3f4a5b6c7
Create Date: 2023-02-20 14:03:51.886402

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
# Moved after the retention policy "so that it runs last" (this made a cycle).
revision = '5b6c7d8e9f0a'
down_revision = 'd2e3f4a5b6c7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("actor", sa.String(length=200), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_events", "actor")
