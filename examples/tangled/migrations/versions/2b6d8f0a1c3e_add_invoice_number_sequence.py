"""add invoice number sequence

Revision ID: 2b6d8f0a1c3e
Revises: 0007_add_invoices
Create Date: 2023-01-09 08:55:12.640527

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "2b6d8f0a1c3e"
down_revision: Union[str, None] = "0007_add_invoices"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE invoice_number_seq START 1000")
    op.add_column(
        "invoices",
        sa.Column(
            "number",
            sa.BigInteger(),
            server_default=sa.text("nextval('invoice_number_seq')"),
            nullable=False,
        ),
    )
    op.create_unique_constraint("uq_invoices_number", "invoices", ["number"])


def downgrade() -> None:
    op.drop_constraint("uq_invoices_number", "invoices", type_="unique")
    op.drop_column("invoices", "number")
    op.execute("DROP SEQUENCE invoice_number_seq")
