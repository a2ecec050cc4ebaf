"""feedback pending: anonymous feedback waits sealed for its project's daily release

Revision ID: 0110
Revises: 0050
"""

import sqlalchemy as sa
from alembic import op

revision = "0110"
down_revision = "0050"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_pending",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("release_on", sa.Date(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_feedback_pending_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_pending")),
    )
    op.create_index(op.f("ix_feedback_pending_project_id"), "feedback_pending", ["project_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_feedback_pending_project_id"), table_name="feedback_pending")
    op.drop_table("feedback_pending")
