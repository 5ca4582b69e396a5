"""One way through the interview screens for a real interview and for practice ("Oefenen").

A real interview stores every answer in the database. A practice interview runs on the same
frozen questionnaire and the same screens, but keeps its answers in the Flask session only and
stores nothing else: no Interview, no Answer, no logboek entry.
"""
from dataclasses import dataclass

from flask import session, url_for

from ..extensions import db
from ..models import QuestionnaireVersion
from .services import answer_rows, complete_interview, save_answer

PRACTICE_KEY = "practice"
# The session is a cookie (about 4 kB at most): practice keeps only the start of long texts.
PRACTICE_TEXT_LIMIT = 300
PRACTICE_TEXT_BUDGET = 1500


@dataclass
class PracticeAnswer:
    value: str | None = None
    text: str | None = None
    special: str | None = None
    note: str | None = None


class RealFlow:
    practice = False

    def __init__(self, interview):
        self.interview = interview
        self.project = interview.project
        self.version = interview.version
        self.respondent_code = interview.respondent_code
        self.language = interview.language

    def rows(self, question=None):
        return answer_rows(self.interview, question)

    def save(self, question, given: dict, **note) -> None:
        save_answer(self.interview, question, **given, **note)
        db.session.commit()

    def finish(self, *, by) -> None:
        complete_interview(self.interview, by=by)
        db.session.commit()

    def done_url(self) -> str:
        return url_for("interview.done", interview_id=self.interview.id)

    def question_url(self, number: int) -> str:
        return url_for("interview.question", interview_id=self.interview.id, number=number)

    def overview_url(self) -> str:
        return url_for("interview.overview", interview_id=self.interview.id)


class PracticeFlow:
    practice = True

    def __init__(self, project, state: dict):
        self.project = project
        self.state = state
        self.version = db.session.get(QuestionnaireVersion, state["version_id"])
        self.respondent_code = state["code"]
        self.language = state["language"]

    @classmethod
    def start(cls, project, version, *, code: str, language: str) -> "PracticeFlow":
        state = {"project_id": project.id, "version_id": version.id, "code": code,
                 "language": language, "answers": {}}
        session[PRACTICE_KEY] = state
        return cls(project, state)

    @classmethod
    def current(cls, project) -> "PracticeFlow | None":
        state = session.get(PRACTICE_KEY)
        if not state or state.get("project_id") != project.id or "answers" not in state:
            return None
        flow = cls(project, state)
        return flow if flow.version is not None else None

    def rows(self, question=None):
        return {int(qid): PracticeAnswer(*row) for qid, row in self.state["answers"].items()}

    def save(self, question, given: dict, **note) -> None:
        answers = dict(self.state["answers"])
        old = answers.get(str(question.id), [None, None, None, None])
        row = [given["value"], given["text"], given["special"], note.get("note", old[3])]
        answers[str(question.id)] = [_short(part) if i in (1, 3) else part for i, part in enumerate(row)]
        _keep_within_budget(answers)
        self.state["answers"] = answers
        session[PRACTICE_KEY] = self.state  # reassigned, so the session cookie is written again

    def finish(self, *, by=None) -> None:
        """Throw every practice answer away; keep only what the last screen needs (nothing is
        stored, so nobody is recorded as having finished it)."""
        session[PRACTICE_KEY] = {"project_id": self.project.id, "language": self.language, "finished": True}

    def done_url(self) -> str:
        return url_for("interview.practice_done", project_id=self.project.id)

    def question_url(self, number: int) -> str:
        return url_for("interview.practice_question", project_id=self.project.id, number=number)

    def overview_url(self) -> str:
        return url_for("interview.practice_overview", project_id=self.project.id)


def practice_language(project_id) -> str | None:
    state = session.get(PRACTICE_KEY)
    if state and state.get("project_id") == project_id:
        return state.get("language")
    return None


def _short(text):
    if not text:
        return text or None
    text = text.strip()
    return text if len(text) <= PRACTICE_TEXT_LIMIT else text[:PRACTICE_TEXT_LIMIT] + "…"


def _keep_within_budget(answers: dict) -> None:
    used = 0
    for row in answers.values():
        for i in (1, 3):
            if row[i]:
                room = max(PRACTICE_TEXT_BUDGET - used, 0)
                if len(row[i]) > room:
                    row[i] = row[i][:room] + "…"
                used += len(row[i])
