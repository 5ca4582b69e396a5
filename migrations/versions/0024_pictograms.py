"""a pictogram with a question and with each answer option

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 23:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('picture', sa.String(length=16), server_default=sa.text("''"), nullable=False))
    with op.batch_alter_table('choice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('picture', sa.String(length=16), server_default=sa.text("''"), nullable=False))


def downgrade():
    with op.batch_alter_table('choice', schema=None) as batch_op:
        batch_op.drop_column('picture')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('picture')
