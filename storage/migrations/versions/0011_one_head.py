"""one head: the per-domain branches joined; migrations are linear from here

Revision ID: 0011
Revises: 0003, 0004, 0006, 0007, 0008, 0009, 0010
"""

revision = "0011"
down_revision = ("0003", "0004", "0006", "0007", "0008", "0009", "0010")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
