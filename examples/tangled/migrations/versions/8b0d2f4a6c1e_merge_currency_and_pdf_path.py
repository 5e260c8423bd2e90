"""merge currency and pdf path

Revision ID: 8b0d2f4a6c1e
Revises: 6a8c0e2f4b1d, f0e1d2c3b4a5
Create Date: 2023-01-18 09:02:44.718260

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8b0d2f4a6c1e'
down_revision = '6a8c0e2f4b1d', 'f0e1d2c3b4a5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
