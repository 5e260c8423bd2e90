"""merge email verification and order status index

Revision ID: 47a0e5d3b9c6
Revises: 6d9a1f4e2c85, e2c7b8046a1d
Create Date: 2023-04-21 10:03:17.664385

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '47a0e5d3b9c6'
down_revision = ('6d9a1f4e2c85', 'e2c7b8046a1d')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
