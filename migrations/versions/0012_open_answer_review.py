"""open answer review: the staff check before the panel reads open texts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

WAITING = sa.text("review = 'pending' AND (text IS NOT NULL OR note IS NOT NULL)")


def upgrade():
    # Existing projects get the check too, and every open text they hold waits for it: nothing
    # already typed reaches the panel unchecked.
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_open_answers', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review', sa.String(length=10), server_default='pending', nullable=False))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('review_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('identifying_found', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('redacted_digests', sa.Text(), nullable=True))
        batch_op.create_foreign_key('fk_answer_reviewed_by_id_user', 'user', ['reviewed_by_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_index('ix_answer_waiting', ['interview_id'], unique=False,
                              sqlite_where=WAITING, postgresql_where=WAITING)


def downgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_waiting', sqlite_where=WAITING, postgresql_where=WAITING)
        batch_op.drop_constraint('fk_answer_reviewed_by_id_user', type_='foreignkey')
        batch_op.drop_column('redacted_digests')
        batch_op.drop_column('identifying_found')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('review')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('review_open_answers')
