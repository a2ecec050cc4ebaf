"""payloads: JSON too long for a button value or private_metadata, carried by id

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa
import storage.types


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('payloads',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payloads'))
    )
    with op.batch_alter_table('payloads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payloads_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('payloads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payloads_expires_at'))
    op.drop_table('payloads')
