"""queued outbox: messages written with the change they tell about (no job run), with
their project, kind, content and queue time

Revision ID: 0050
Revises: 0030
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0050'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('project_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('payload', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.alter_column('run_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index('ix_outbox_queued', ['status', 'project_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_project_id_projects'), 'projects', ['project_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_project_id_projects'), type_='foreignkey')
        batch_op.drop_index('ix_outbox_queued')
        batch_op.alter_column('run_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('created_at')
        batch_op.drop_column('payload')
        batch_op.drop_column('kind')
        batch_op.drop_column('project_id')
