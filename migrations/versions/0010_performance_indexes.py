"""performance indexes (empty on purpose)

This revision was reserved for indexes of the speed work on the autosave and the results, made
before that work began. It turned out to need no schema change: the indexes the per-question
counts and the first open answers rely on (ix_answer_question_value, ix_answer_question_id_id)
already came with 0001 and 0003, and the rest of the gain was in code. The revision stays, empty:
0011 revises it, a database upgraded while it was the newest has it as its current revision, and
the migration tests step back to it (the schema just before the administrator role of 0011).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 17:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    pass  # nothing to change: see the docstring


def downgrade():
    pass  # nothing to undo
