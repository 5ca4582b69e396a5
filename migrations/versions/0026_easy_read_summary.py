"""an easy-read (A2) text next to the respondents' summary

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_text', schema=None) as batch_op:
        batch_op.add_column(sa.Column('easy_read', sa.Text(), server_default=sa.text("''"), nullable=False))


def downgrade():
    with op.batch_alter_table('report_text', schema=None) as batch_op:
        batch_op.drop_column('easy_read')
