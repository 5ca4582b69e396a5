"""progress targets

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 17:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Fieldwork targets for the progress page: interviews per location and for the project.
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interview_target', sa.Integer(), nullable=True))
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interview_target', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_column('interview_target')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('interview_target')
