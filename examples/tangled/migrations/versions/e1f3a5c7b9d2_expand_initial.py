"""expand initial

Revision ID: e1f3a5c7b9d2
Revises: 1c9a7e5b3d20
Create Date: 2023-05-02 08:17:26.374051

"""
from alembic import op
import sqlalchemy as sa

from ledger.db.migration import cli


# revision identifiers, used by Alembic.
revision = 'e1f3a5c7b9d2'
down_revision = '1c9a7e5b3d20'
branch_labels = (cli.EXPAND_BRANCH,)
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
