"""retained results: the number of people asked may be hidden

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-06 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('retained_result', schema=None) as batch_op:
        batch_op.alter_column('asked', existing_type=sa.Integer(), nullable=True)


def downgrade():
    # A hidden number was stored as NULL; the old schema cannot say "hidden", so keep the row
    # and store 0 people asked for it (its cells still say what was hidden).
    op.execute("UPDATE retained_result SET asked = 0 WHERE asked IS NULL")
    with op.batch_alter_table('retained_result', schema=None) as batch_op:
        batch_op.alter_column('asked', existing_type=sa.Integer(), nullable=False)
