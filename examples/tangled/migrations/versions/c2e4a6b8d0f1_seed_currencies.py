"""seed currencies

Revision ID: c2e4a6b8d0f1
Revises: 6a8c0e2f4b1d
Create Date: 2023-06-12 09:13:35.402286

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2e4a6b8d0f1'
down_revison = '6a8c0e2f4b1d'
branch_labels = None
depends_on = None

currencies = sa.table("currencies", sa.column("code", sa.String), sa.column("name", sa.String))


def upgrade() -> None:
    op.create_table(
        "currencies",
        sa.Column("code", sa.String(length=3), primary_key=True),
        sa.Column("name", sa.String(length=64), nullable=False),
    )
    op.bulk_insert(
        currencies,
        [
            {"code": "EUR", "name": "Euro"},
            {"code": "USD", "name": "US Dollar"},
            {"code": "GBP", "name": "Pound Sterling"},
        ],
    )


def downgrade() -> None:
    op.drop_table("currencies")
