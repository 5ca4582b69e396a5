"""follow-up seen per user, panel meetings with attendance, volunteers' appreciation

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 21:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=f'fk_{table}_{column}_{target}',
                                   ondelete=ondelete)


def upgrade():
    op.create_table(
        'follow_up_seen',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('seen_at', sa.DateTime(), nullable=False),
        _fk('follow_up_seen', 'user_id', 'user', 'CASCADE'),
        _fk('follow_up_seen', 'project_id', 'project', 'CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'project_id', name='pk_follow_up_seen'),
    )
    op.create_table(
        'panel_meeting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('attendees', sa.Integer(), nullable=True),
        _fk('panel_meeting', 'project_id', 'project', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_panel_meeting'),
    )
    op.create_index('ix_panel_meeting_project_id', 'panel_meeting', ['project_id'])
    _create_appreciation()


def _create_appreciation():
    op.create_table(
        'appreciation_round',
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('opened_at', sa.DateTime(), nullable=False),
        sa.Column('opened_by_id', sa.Integer(), nullable=True),
        _fk('appreciation_round', 'project_id', 'project', 'CASCADE'),
        _fk('appreciation_round', 'opened_by_id', 'user', 'SET NULL'),
        sa.PrimaryKeyConstraint('project_id', name='pk_appreciation_round'),
    )
    op.create_table(
        'appreciation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('mark', sa.Integer(), nullable=True),
        sa.Column('valued', sa.Text(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=False),
        _fk('appreciation', 'project_id', 'project', 'CASCADE'),
        _fk('appreciation', 'user_id', 'user', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_appreciation'),
        sa.UniqueConstraint('project_id', 'user_id', name='uq_appreciation_project_id_user_id'),
    )
    op.create_index('ix_appreciation_project_id', 'appreciation', ['project_id'])


def downgrade():
    op.drop_index('ix_appreciation_project_id', table_name='appreciation')
    op.drop_table('appreciation')
    op.drop_table('appreciation_round')
    op.drop_index('ix_panel_meeting_project_id', table_name='panel_meeting')
    op.drop_table('panel_meeting')
    op.drop_table('follow_up_seen')
