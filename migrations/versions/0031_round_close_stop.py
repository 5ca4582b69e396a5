"""sorting "ieder apart": staff close a round early or stop it

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('coding_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('stopped_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('ended_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_coding_round_ended_by_id_user', 'user', ['ended_by_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('coding_round', schema=None) as batch_op:
        batch_op.drop_constraint('fk_coding_round_ended_by_id_user', type_='foreignkey')
        batch_op.drop_column('ended_by_id')
        batch_op.drop_column('stopped_at')
        batch_op.drop_column('closed_at')
