"""claimed views (one record per submitted modal); survey thresholds frozen per survey

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claimed_views",
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("view_id", sa.String(length=64), nullable=False),
        sa.Column("view_hash", sa.String(length=128), nullable=False),
        sa.Column("claimed_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "view_id", "view_hash", name=op.f("pk_claimed_views")),
    )
    op.create_index(op.f("ix_claimed_views_claimed_on"), "claimed_views", ["claimed_on"])
    with op.batch_alter_table("surveys") as batch_op:
        batch_op.add_column(sa.Column("anonymity_min", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("comment_anonymity_min", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("surveys") as batch_op:
        batch_op.drop_column("comment_anonymity_min")
        batch_op.drop_column("anonymity_min")
    op.drop_index(op.f("ix_claimed_views_claimed_on"), table_name="claimed_views")
    op.drop_table("claimed_views")
