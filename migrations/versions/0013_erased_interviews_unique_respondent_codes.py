"""erased interviews, one interview per respondent code

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 10:00:00

Interviews of projects that the retention run has already erased get the status "erased".
A respondent code names exactly one interview of its project: a unique index on
(project_id, respondent_code), leaving out the empty codes of erased interviews. Codes came
from a form field before, so old data may hold a code twice: the interview that got the code
first keeps it, every later one gets a new code, and the logboek says which interviews were
renumbered (never the codes themselves: the logboek holds no respondent codes).

No table is rebuilt: on SQLite that would drop the interview table, and with foreign keys on
the answers would go with it.
"""
import secrets
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# The alphabet and length of interview/services.py (no 0/O, 1/I/L); copied, so this migration
# stays as it is when the app changes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 5

interview = sa.table(
    'interview',
    sa.column('id', sa.String), sa.column('project_id', sa.Integer), sa.column('respondent_code', sa.String),
    sa.column('status', sa.String), sa.column('started_at', sa.DateTime),
)
project = sa.table('project', sa.column('id', sa.Integer), sa.column('erased_at', sa.DateTime))
audit_event = sa.table(
    'audit_event',
    sa.column('at', sa.DateTime), sa.column('project_id', sa.Integer), sa.column('action', sa.String),
    sa.column('object_type', sa.String), sa.column('object_id', sa.String), sa.column('detail', sa.JSON),
    sa.column('operation', sa.String),
)


def _renumber_duplicate_codes(connection) -> None:
    duplicates = connection.execute(
        sa.select(interview.c.project_id, interview.c.respondent_code)
        .where(interview.c.respondent_code != '')
        .group_by(interview.c.project_id, interview.c.respondent_code)
        .having(sa.func.count() > 1)
    ).all()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for project_id, code in duplicates:
        used = set(connection.execute(
            sa.select(interview.c.respondent_code).where(interview.c.project_id == project_id)).scalars())
        later = connection.execute(
            sa.select(interview.c.id).where(interview.c.project_id == project_id,
                                            interview.c.respondent_code == code)
            .order_by(interview.c.started_at, interview.c.id)
        ).scalars().all()[1:]
        for interview_id in later:
            new = code
            while new in used:
                new = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            used.add(new)
            connection.execute(interview.update().where(interview.c.id == interview_id)
                               .values(respondent_code=new))
            connection.execute(audit_event.insert().values(
                at=now, project_id=project_id, action='interview.code_renumber', object_type='interview',
                object_id=interview_id, operation='change',
                detail={'reason': 'another interview of the project had the same respondent code'},
            ))


def upgrade():
    connection = op.get_bind()
    erased_projects = sa.select(project.c.id).where(project.c.erased_at.is_not(None))
    connection.execute(interview.update()
                       .where(interview.c.project_id.in_(erased_projects),
                              interview.c.status.in_(('in_progress', 'completed')))
                       .values(status='erased', respondent_code=''))
    _renumber_duplicate_codes(connection)
    op.drop_index('ix_interview_respondent_code', table_name='interview')
    op.create_index('uq_interview_project_id_respondent_code', 'interview', ['project_id', 'respondent_code'],
                    unique=True, sqlite_where=sa.text("respondent_code <> ''"),
                    postgresql_where=sa.text("respondent_code <> ''"))


def downgrade():
    op.drop_index('uq_interview_project_id_respondent_code', table_name='interview')
    op.create_index('ix_interview_respondent_code', 'interview', ['respondent_code'], unique=False)
    # Before this revision an erased interview kept its status; the renumbered codes stay.
    op.execute("UPDATE interview SET status = CASE WHEN completed_at IS NULL THEN 'in_progress' "
               "ELSE 'completed' END WHERE status = 'erased'")
