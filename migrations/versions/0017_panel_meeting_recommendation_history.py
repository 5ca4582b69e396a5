"""panel: recommendations taken away are kept (and can be put back); a meeting's agenda

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('deleted_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_recommendation_deleted_by_id_user', 'user', ['deleted_by_id'], ['id'],
                                    ondelete='SET NULL')
    with op.batch_alter_table('panel_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_agenda', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('meeting_opened_at', sa.DateTime(), nullable=True))


def downgrade():
    # The old schema cannot keep a taken-away recommendation: it goes, with its votes.
    op.execute("DELETE FROM recommendation WHERE deleted_at IS NOT NULL")
    with op.batch_alter_table('panel_state', schema=None) as batch_op:
        batch_op.drop_column('meeting_opened_at')
        batch_op.drop_column('meeting_agenda')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_constraint('fk_recommendation_deleted_by_id_user', type_='foreignkey')
        batch_op.drop_column('deleted_by_id')
        batch_op.drop_column('deleted_at')
