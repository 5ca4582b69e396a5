"""public results page: its links (hash, token, end date, visits) and the quotes shown on it

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=f'fk_{table}_{column}_{target}',
                                   ondelete=ondelete)


def upgrade():
    op.create_table(
        'public_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('token', sa.String(length=100), nullable=False),
        sa.Column('expires_on', sa.Date(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('visits', sa.Integer(), nullable=False),
        _fk('public_link', 'project_id', 'project', 'CASCADE'),
        _fk('public_link', 'created_by_id', 'user', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_public_link'),
        sa.UniqueConstraint('token_hash', name='uq_public_link_token_hash'),
    )
    op.create_index('ix_public_link_project', 'public_link', ['project_id', 'id'])
    op.create_table(
        'public_quote',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quote_id', sa.Integer(), nullable=False),
        sa.Column('quote_version', sa.Integer(), nullable=False),
        sa.Column('chosen_by_id', sa.Integer(), nullable=True),
        sa.Column('chosen_at', sa.DateTime(), nullable=False),
        _fk('public_quote', 'quote_id', 'quote', 'CASCADE'),
        _fk('public_quote', 'chosen_by_id', 'user', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_public_quote'),
        sa.UniqueConstraint('quote_id', name='uq_public_quote_quote_id'),
    )


def downgrade():
    op.drop_table('public_quote')
    op.drop_index('ix_public_link_project', table_name='public_link')
    op.drop_table('public_link')
