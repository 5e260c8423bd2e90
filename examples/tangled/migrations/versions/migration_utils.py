"""Helpers shared by several migrations (imported as `from migration_utils import ...`)."""
import sqlalchemy as sa
from alembic import op


def add_timestamps(table_name: str) -> None:
    """Adds created_at/updated_at columns with database-side defaults."""
    op.add_column(
        table_name,
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.add_column(
        table_name,
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )


def drop_timestamps(table_name: str) -> None:
    op.drop_column(table_name, "updated_at")
    op.drop_column(table_name, "created_at")
