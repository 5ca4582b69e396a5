"""review of completed interviews before pooling, the project's counting rule, and the history
of changes to answers after an interview was finished

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('count_rule', sa.String(length=20), server_default='not_excluded',
                                      nullable=False))
        batch_op.add_column(sa.Column('second_interviewer_may_review', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_state', sa.String(length=20), server_default='none', nullable=False))
    op.create_table(
        'interview_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('interview_id', sa.String(length=36), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('old_state', sa.String(length=20), nullable=False),
        sa.Column('new_state', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['interview_id'], ['interview.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_interview_review_interview', 'interview_review', ['interview_id', 'id'], unique=False)
    op.create_table(
        'answer_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('interview_id', sa.String(length=36), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('old_value', sa.String(length=64), nullable=True),
        sa.Column('old_text', sa.Text(), nullable=True),
        sa.Column('old_special', sa.String(length=16), nullable=True),
        sa.Column('new_value', sa.String(length=64), nullable=True),
        sa.Column('new_text', sa.Text(), nullable=True),
        sa.Column('new_special', sa.String(length=16), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['interview_id'], ['interview.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_answer_change_interview', 'answer_change', ['interview_id', 'id'], unique=False)
    op.create_index(op.f('ix_answer_change_answer_id'), 'answer_change', ['answer_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_answer_change_answer_id'), table_name='answer_change')
    op.drop_index('ix_answer_change_interview', table_name='answer_change')
    op.drop_table('answer_change')
    op.drop_index('ix_interview_review_interview', table_name='interview_review')
    op.drop_table('interview_review')
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_column('review_state')
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('second_interviewer_may_review')
        batch_op.drop_column('count_rule')
