"""create shipping addresses

Revision ID: c19f6b2a8e3d
Revises: 47a0e5d3b9c6
Create Date: 2023-05-02 15:31:49.118027

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c19f6b2a8e3d'
down_revision = '47a0e5d3b9c6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shipping_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("line1", sa.String(length=200), nullable=False),
        sa.Column("line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("postal_code", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.add_column(
        "orders",
        sa.Column("shipping_address_id", sa.Integer(), nullable=True),
    )
    op.create_foreign_key(
        "fk_orders_shipping_address_id",
        "orders",
        "shipping_addresses",
        ["shipping_address_id"],
        ["id"],
    )


def downgrade() -> None:
    op.drop_constraint("fk_orders_shipping_address_id", "orders", type_="foreignkey")
    op.drop_column("orders", "shipping_address_id")
    op.drop_table("shipping_addresses")
