"""partition audit events

Revision ID: 8e9f0a1b2c3d
Revises: 5b6c7d8e9f0a
Create Date: 2023-03-06 11:37:19.054896

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8e9f0a1b2c3d'
down_revision = '5b6c7d8e9f0a'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE audit_events_2023 PARTITION OF audit_events
        FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE audit_events_2023")
