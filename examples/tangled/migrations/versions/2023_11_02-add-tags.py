"""add tags

Revision ID: 2023-11-02-add-tags
Revises: e1f3a5c7b9d2
Create Date: 2023-11-02 13:58:47.120669

"""
from alembic import op
import sqlalchemy as sa

from migration_utils import add_timestamps, drop_timestamps


# revision identifiers, used by Alembic.
revision = '2023-11-02-add-tags'
down_revision = 'e1f3a5c7b9d2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=64), nullable=False, unique=True),
    )
    add_timestamps("tags")


def downgrade() -> None:
    drop_timestamps("tags")
    op.drop_table("tags")
