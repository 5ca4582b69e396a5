"""administrator role, account creator, account notices

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_admin', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_user_created_by_id_user', 'user', ['created_by_id'], ['id'],
                                    ondelete='SET NULL')
    op.create_table(
        'account_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('by_name', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('seen_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name='fk_account_notice_user_id_user', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['by_id'], ['user.id'], name='fk_account_notice_by_id_user', ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_account_notice'),
    )
    op.create_index('ix_account_notice_user_id', 'account_notice', ['user_id'])

    connection = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('is_staff', sa.Boolean),
                    sa.column('disabled', sa.Boolean), sa.column('is_admin', sa.Boolean),
                    sa.column('created_by_id', sa.Integer))
    event = sa.table('audit_event', sa.column('id', sa.Integer), sa.column('action', sa.String),
                     sa.column('user_id', sa.Integer), sa.column('object_type', sa.String),
                     sa.column('object_id', sa.String))
    # Until now every staff member could manage every account. One administrator must exist:
    # the oldest staff account that is switched on. More are made in the app or with
    # `flask create-staff --admin`.
    first_staff = connection.execute(
        sa.select(user.c.id).where(user.c.is_staff.is_(True), user.c.disabled.is_(False))
        .order_by(user.c.id).limit(1)).scalar()
    if first_staff is not None:
        connection.execute(sa.update(user).where(user.c.id == first_staff).values(is_admin=True))
    # Who made each account, from the logboek: the maker keeps managing an account that is in
    # no project yet.
    made = connection.execute(
        sa.select(event.c.object_id, event.c.user_id)
        .where(event.c.action == 'user.create', event.c.object_type == 'user', event.c.user_id.is_not(None))
        .order_by(event.c.id)).all()
    for object_id, creator_id in made:
        if object_id.isdigit() and int(object_id) != creator_id:
            connection.execute(sa.update(user).where(user.c.id == int(object_id), user.c.created_by_id.is_(None))
                               .values(created_by_id=creator_id))


def downgrade():
    op.drop_index('ix_account_notice_user_id', table_name='account_notice')
    op.drop_table('account_notice')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint('fk_user_created_by_id_user', type_='foreignkey')
        batch_op.drop_column('created_by_id')
        batch_op.drop_column('is_admin')
