"""create billing reports

Revision ID: a7c9e1f3b5d0
Revises: 
Create Date: 2023-04-11 15:45:18.930475

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c9e1f3b5d0'
down_revision = None
branch_labels = ('billing',)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "billing_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("billing_reports")
