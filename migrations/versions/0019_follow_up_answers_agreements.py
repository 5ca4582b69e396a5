"""follow-up: the municipality's answer per recommendation, agreements, milestones, history

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 20:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=f'fk_{table}_{column}_{target}',
                                   ondelete=ondelete)


def upgrade():
    _create_answer_and_agreement()
    _create_milestone_and_history()


def _create_answer_and_agreement():
    op.create_table(
        'recommendation_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('verdict', sa.String(length=12), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=False),
        sa.Column('reasons', sa.Text(), nullable=False),
        sa.Column('answered_on', sa.Date(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        _fk('recommendation_answer', 'recommendation_id', 'recommendation', 'CASCADE'),
        _fk('recommendation_answer', 'updated_by_id', 'user', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_recommendation_answer'),
        sa.UniqueConstraint('recommendation_id', name='uq_recommendation_answer_recommendation_id'),
    )
    op.create_table(
        'agreement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('what', sa.Text(), nullable=False),
        sa.Column('organisation', sa.String(length=200), nullable=False),
        sa.Column('person', sa.String(length=200), nullable=False),
        sa.Column('agreed_on', sa.Date(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        _fk('agreement', 'recommendation_id', 'recommendation', 'CASCADE'),
        _fk('agreement', 'created_by_id', 'user', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_agreement'),
    )
    op.create_index('ix_agreement_recommendation_id', 'agreement', ['recommendation_id'])


def _create_milestone_and_history():
    op.create_table(
        'agreement_milestone',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('happened_on', sa.Date(), nullable=False),
        sa.Column('text', sa.String(length=500), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('agreement_milestone', 'agreement_id', 'agreement', 'CASCADE'),
        _fk('agreement_milestone', 'created_by_id', 'user', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_agreement_milestone'),
    )
    op.create_index('ix_agreement_milestone_agreement_id', 'agreement_milestone', ['agreement_id'])
    op.create_table(
        'follow_up_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        _fk('follow_up_change', 'recommendation_id', 'recommendation', 'CASCADE'),
        _fk('follow_up_change', 'agreement_id', 'agreement', 'SET NULL'),
        _fk('follow_up_change', 'user_id', 'user', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_follow_up_change'),
    )
    op.create_index('ix_follow_up_change_recommendation', 'follow_up_change', ['recommendation_id', 'id'])


def downgrade():
    op.drop_index('ix_follow_up_change_recommendation', table_name='follow_up_change')
    op.drop_table('follow_up_change')
    op.drop_index('ix_agreement_milestone_agreement_id', table_name='agreement_milestone')
    op.drop_table('agreement_milestone')
    op.drop_index('ix_agreement_recommendation_id', table_name='agreement')
    op.drop_table('agreement')
    op.drop_table('recommendation_answer')
