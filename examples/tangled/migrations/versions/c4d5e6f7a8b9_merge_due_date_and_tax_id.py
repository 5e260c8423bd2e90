"""merge due date and tax id

Revision ID: c4d5e6f7a8b9
Revises: 
Create Date: 2023-02-08 16:24:39.504113

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
# `alembic revision` refused ("Multiple heads are present"), so this was made with
# `--head base --depends-on 7d3e9f1a2b4c --depends-on e6b1c8d2f7a3`: it merges nothing.
revision = 'c4d5e6f7a8b9'
down_revision = None
branch_labels = None
depends_on = ('7d3e9f1a2b4c', 'e6b1c8d2f7a3')


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
