"""question types sections translations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 17:45:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# JSONB on PostgreSQL, like the models (JSON_DOC): plain json has no "=" operator.
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    # Question kinds multi / scale3 / yesno / number / info need no schema change (kind is a string).
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('section_title', sa.String(length=200), server_default=sa.text("''"), nullable=False))
        batch_op.add_column(sa.Column('min_value', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_value', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('translations', JSON_DOC, server_default='{}', nullable=False))

    with op.batch_alter_table('choice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', JSON_DOC, server_default='{}', nullable=False))

    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', JSON_DOC, server_default='["nl", "en"]', nullable=False))


def downgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_column('languages')

    with op.batch_alter_table('choice', schema=None) as batch_op:
        batch_op.drop_column('translations')

    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('translations')
        batch_op.drop_column('max_value')
        batch_op.drop_column('min_value')
        batch_op.drop_column('section_title')
