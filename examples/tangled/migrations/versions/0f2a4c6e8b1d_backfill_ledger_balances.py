"""backfill ledger balances

Revision ID: 0f2a4c6e8b1d
Revises: 4c6e8a0b2d1f
Create Date: 2023-04-20 11:29:03.581937

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0f2a4c6e8b1d'
down_revision = '4c6e8a0b2d1f'
branch_labels = None
depends_on = None


def upgrade() -> None:
<<<<<<< HEAD
    op.execute(
        "INSERT INTO ledger_entries (account_id, amount_cents) "
        "SELECT id, balance_cents FROM accounts WHERE balance_cents <> 0"
    )
=======
    op.execute(
        "INSERT INTO ledger_entries (account_id, amount_cents, booked_at) "
        "SELECT id, balance_cents, now() FROM accounts"
    )
>>>>>>> feature/ledger-booked-at


def downgrade() -> None:
    op.execute("DELETE FROM ledger_entries")
