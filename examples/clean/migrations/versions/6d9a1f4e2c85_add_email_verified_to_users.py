"""add email_verified to users

Revision ID: 6d9a1f4e2c85
Revises: b5e07a3c9f12
Create Date: 2023-04-18 14:22:10.455672

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6d9a1f4e2c85'
down_revision = 'b5e07a3c9f12'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True),
    )
    # Accounts created before verification existed are treated as verified.
    op.execute("UPDATE users SET email_verified_at = created_at")


def downgrade() -> None:
    op.drop_column("users", "email_verified_at")
