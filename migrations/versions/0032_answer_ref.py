"""a random reference per answer: the panel's card keys and the order of open answers

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 09:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None

BATCH = 5000


def _backfill(connection):
    """A fresh random reference for every answer (secrets, as the model's default), a batch at a
    time: a big project has a great many answers."""
    answer = sa.table('answer', sa.column('id', sa.Integer), sa.column('ref', sa.String))
    last = 0
    while True:
        ids = connection.execute(sa.select(answer.c.id).where(answer.c.id > last)
                                 .order_by(answer.c.id).limit(BATCH)).scalars().all()
        if not ids:
            return
        connection.execute(answer.update().where(answer.c.id == sa.bindparam('answer_id'))
                           .values(ref=sa.bindparam('new_ref')),
                           [{'answer_id': i, 'new_ref': secrets.token_hex(8)} for i in ids])
        last = ids[-1]


def upgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ref', sa.String(length=16), nullable=True))
    _backfill(op.get_bind())
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.alter_column('ref', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_answer_ref'), ['ref'])
        batch_op.drop_index('ix_answer_question_id_id')
        batch_op.create_index('ix_answer_question_ref', ['question_id', 'ref'], unique=False)


def downgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_question_ref')
        batch_op.create_index('ix_answer_question_id_id', ['question_id', 'id'], unique=False)
        batch_op.drop_constraint(batch_op.f('uq_answer_ref'), type_='unique')
        batch_op.drop_column('ref')
