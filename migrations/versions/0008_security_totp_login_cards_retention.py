"""security: second factor, login cards, retention, audit fields

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 17:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'two_factor',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret_encrypted', sa.Text(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=True),
        sa.Column('last_step', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name='fk_two_factor_user_id_user', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name='pk_two_factor'),
    )
    op.create_table(
        'recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name='fk_recovery_code_user_id_user', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_recovery_code'),
    )
    op.create_index('ix_recovery_code_user_id', 'recovery_code', ['user_id'])
    op.create_table(
        'login_card',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name='fk_login_card_user_id_user', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name='fk_login_card_created_by_id_user',
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name='fk_login_card_revoked_by_id_user',
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_login_card'),
        sa.UniqueConstraint('token_hash', name='uq_login_card_token_hash'),
    )
    op.create_index('ix_login_card_user_id', 'login_card', ['user_id'])
    op.create_table(
        'retained_result',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('question_key', sa.String(length=40), nullable=False),
        sa.Column('question_text', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('asked', sa.Integer(), nullable=False),
        sa.Column('shown', sa.Boolean(), nullable=False),
        sa.Column('cells', sa.JSON(), nullable=False),
        sa.Column('frozen_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], name='fk_retained_result_project_id_project',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_retained_result'),
    )
    op.create_index('ix_retained_result_project_position', 'retained_result', ['project_id', 'position'])
    op.create_table(
        'retained_quote',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('themes', sa.JSON(), nullable=False),
        sa.Column('approved_at', sa.DateTime(), nullable=True),
        sa.Column('frozen_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['project.id'], name='fk_retained_quote_project_id_project',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_retained_quote'),
    )
    op.create_index('ix_retained_quote_project_id', 'retained_quote', ['project_id'])
    with op.batch_alter_table('project') as batch:
        batch.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('audit_event') as batch:
        batch.add_column(sa.Column('operation', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('on_behalf_of_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('ip', sa.String(length=45), nullable=True))
        batch.create_foreign_key('fk_audit_event_on_behalf_of_id_user', 'user', ['on_behalf_of_id'], ['id'],
                                 ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('audit_event') as batch:
        batch.drop_constraint('fk_audit_event_on_behalf_of_id_user', type_='foreignkey')
        batch.drop_column('ip')
        batch.drop_column('on_behalf_of_id')
        batch.drop_column('operation')
    with op.batch_alter_table('project') as batch:
        batch.drop_column('erased_at')
    op.drop_index('ix_retained_quote_project_id', table_name='retained_quote')
    op.drop_table('retained_quote')
    op.drop_index('ix_retained_result_project_position', table_name='retained_result')
    op.drop_table('retained_result')
    op.drop_index('ix_login_card_user_id', table_name='login_card')
    op.drop_table('login_card')
    op.drop_index('ix_recovery_code_user_id', table_name='recovery_code')
    op.drop_table('recovery_code')
    op.drop_table('two_factor')
