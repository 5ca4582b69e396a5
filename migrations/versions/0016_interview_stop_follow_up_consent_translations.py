"""interviews: a stop with its reason, the aftercare flag's handling; consent text translations

Revision ID: 0016
Revises: 0015
Create Date: 2027-01-10 12:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# JSONB on PostgreSQL, like the models (JSON_DOC).
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stopped_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('stop_reason', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('stopped_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('follow_up_flagged_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('follow_up_done_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('follow_up_done_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_interview_stopped_by_id_user'), 'user',
                                    ['stopped_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_interview_follow_up_done_by_id_user'), 'user',
                                    ['follow_up_done_by_id'], ['id'], ondelete='SET NULL')
    # A flag set before this column existed counts as set when its debrief was saved.
    op.execute("UPDATE interview SET follow_up_flagged_at = debriefed_at WHERE follow_up_needed")
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_translations', JSON_DOC, server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('consent_translations')
    # A stopped interview without answers was "withdrawn" in the old schema's words.
    op.execute("UPDATE interview SET status = 'withdrawn', withdrawn_at = stopped_at WHERE status = 'stopped'")
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_interview_follow_up_done_by_id_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_interview_stopped_by_id_user'), type_='foreignkey')
        batch_op.drop_column('follow_up_done_by_id')
        batch_op.drop_column('follow_up_done_at')
        batch_op.drop_column('follow_up_flagged_at')
        batch_op.drop_column('stopped_by_id')
        batch_op.drop_column('stop_reason')
        batch_op.drop_column('stopped_at')
