"""short explanations of hard words in a question

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 23:35:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    json_doc = sa.JSON().with_variant(postgresql.JSONB(), 'postgresql')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('word_explanations', json_doc, server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('word_explanations')
