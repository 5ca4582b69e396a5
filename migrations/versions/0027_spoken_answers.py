"""spoken answers: a per-question switch, a separate consent for recordings, encrypted recordings

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allow_spoken', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recording_consent_version', sa.Integer(), nullable=True))
    op.create_table(
        'spoken_recording',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('interview_id', sa.String(length=36), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.String(length=64), nullable=False),
        sa.Column('chunks_total', sa.Integer(), nullable=False),
        sa.Column('duration_ms', sa.Integer(), nullable=False),
        sa.Column('mime', sa.String(length=60), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('completed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['interview_id'], ['interview.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('interview_id', 'question_id', 'client_id'),
    )
    op.create_table(
        'spoken_chunk',
        sa.Column('recording_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('iv', sa.LargeBinary(), nullable=False),
        sa.Column('opener', sa.LargeBinary(), nullable=False),
        sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['recording_id'], ['spoken_recording.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('recording_id', 'position'),
    )


def downgrade():
    op.drop_table('spoken_chunk')
    op.drop_table('spoken_recording')
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_column('recording_consent_version')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('allow_spoken')
