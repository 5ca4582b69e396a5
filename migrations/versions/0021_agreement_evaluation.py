"""an agreement has an evaluation date; the panel's evaluations of an agreement

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def _fk(table, column, target, ondelete):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=f'fk_{table}_{column}_{target}',
                                   ondelete=ondelete)


def upgrade():
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluate_on', sa.Date(), nullable=True))
    op.create_table(
        'agreement_evaluation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agreement_id', sa.Integer(), nullable=False),
        sa.Column('planned_on', sa.Date(), nullable=True),
        sa.Column('evaluated_on', sa.Date(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('what_changed', sa.Text(), nullable=False),
        sa.Column('still_to_do', sa.Text(), nullable=False),
        sa.Column('participants', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('agreement_evaluation', 'agreement_id', 'agreement', 'CASCADE'),
        _fk('agreement_evaluation', 'created_by_id', 'user', 'SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_agreement_evaluation'),
    )
    op.create_index('ix_agreement_evaluation_agreement_id', 'agreement_evaluation', ['agreement_id'])


def downgrade():
    op.drop_index('ix_agreement_evaluation_agreement_id', table_name='agreement_evaluation')
    op.drop_table('agreement_evaluation')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_column('evaluate_on')
