"""a theme's description and colour (the codebook of a REFI-QDA export)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.String(length=300), server_default=sa.text("''"),
                                      nullable=False))
        batch_op.add_column(sa.Column('colour', sa.String(length=7), nullable=True))


def downgrade():
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.drop_column('colour')
        batch_op.drop_column('description')
