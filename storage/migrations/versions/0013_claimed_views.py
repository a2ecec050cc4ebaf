"""claimed views (one record per submitted modal); survey thresholds frozen per survey;
sealed anonymous answers waiting for release

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
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
    op.create_table(
        "survey_pending_answers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["surveys.id"],
            name=op.f("fk_survey_pending_answers_survey_id_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_pending_answers")),
    )
    op.create_index(
        op.f("ix_survey_pending_answers_survey_id"), "survey_pending_answers", ["survey_id"]
    )
    with op.batch_alter_table("surveys") as batch_op:
        batch_op.add_column(sa.Column("anonymity_min", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("comment_anonymity_min", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_index(op.f("ix_survey_pending_answers_survey_id"), table_name="survey_pending_answers")
    op.drop_table("survey_pending_answers")
    with op.batch_alter_table("surveys") as batch_op:
        batch_op.drop_column("comment_anonymity_min")
        batch_op.drop_column("anonymity_min")
    op.drop_index(op.f("ix_claimed_views_claimed_on"), table_name="claimed_views")
    op.drop_table("claimed_views")
