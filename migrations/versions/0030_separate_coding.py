"""sorting "ieder apart": coding rounds, each member's own codings, and the panel's decisions

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 02:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'coding_round',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('cards', sa.JSON(), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=True),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['started_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_coding_round_project_id', 'coding_round', ['project_id'])
    op.create_table(
        'coding_round_member',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('done_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['round_id'], ['coding_round.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id', 'user_id'),
    )
    op.create_table(
        'round_coding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('part', sa.String(length=8), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['coding_round.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id', 'user_id', 'theme_id', 'answer_id', 'part'),
    )
    op.create_index('ix_round_coding_round_user', 'round_coding', ['round_id', 'user_id'])
    op.create_index('ix_round_coding_answer_id', 'round_coding', ['answer_id'])
    _create_decisions()


def _create_decisions():
    op.create_table(
        'coding_decision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('part', sa.String(length=8), nullable=False),
        sa.Column('theme_ids', sa.JSON(), nullable=False),
        sa.Column('added_theme_ids', sa.JSON(), nullable=False),
        sa.Column('participants', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['coding_round.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('round_id', 'answer_id', 'part'),
    )
    op.create_index('ix_coding_decision_answer_id', 'coding_decision', ['answer_id'])


def downgrade():
    op.drop_index('ix_coding_decision_answer_id', table_name='coding_decision')
    op.drop_table('coding_decision')
    op.drop_index('ix_round_coding_answer_id', table_name='round_coding')
    op.drop_index('ix_round_coding_round_user', table_name='round_coding')
    op.drop_table('round_coding')
    op.drop_table('coding_round_member')
    op.drop_index('ix_coding_round_project_id', table_name='coding_round')
    op.drop_table('coding_round')
