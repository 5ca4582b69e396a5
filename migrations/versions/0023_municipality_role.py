"""the municipality's own role in a project

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 22:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_municipality', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    # A municipality account without its role is in the project with no role at all: it goes.
    membership = sa.table('membership', sa.column('is_municipality', sa.Boolean))
    op.get_bind().execute(sa.delete(membership).where(membership.c.is_municipality.is_(True)))
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_column('is_municipality')
