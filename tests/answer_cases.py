"""One table of answer cases, run against the three readers of an answer on a question page:

* the server's form path: answer_from_form() after validate() and settle_both(), through real
  posts of the question page (no JavaScript) and of the autosave (tests/test_answer_cases.py);
* the sync: the answer the tablet reads is opened by /sync (_checked_answer) and stored
  (tests/test_answer_cases.py);
* readAnswer() of static/js/offline/answer.js on a real question page in Chromium, filled in
  as a person does (tests/browser/test_answer_cases_browser.py).

Every runner walks the whole table and checks that it did: a case cannot be left out of one.

A case says what is filled in on the page (`steps`, in the order a person does it: the page's
own script lets a later choice clear an earlier one) and what each side makes of it:

* an answer {value, text, special} (and `note` on a page with a follow-up field);
* INVALID: the server answers 422 with a message at the field; readAnswer() marks the answer
  `invalid`, so the tablet never queues it (the server's check shows the message);
* REFUSED: the input guard refuses the whole post (400), before the form is read.

`expect` is what all sides agree on; `server` / `browser` record, with `why`, where one side
does something else today. The sync stores what the browser reads (the tablet sends exactly
that), so its expectation is the browser's.
"""
from dataclasses import dataclass, field

INVALID = "invalid"
REFUSED = "refused"


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    choices: tuple = ()
    follow_up: bool = False
    allow_dont_know: bool = True
    allow_refuse: bool = True
    min_value: int | None = None
    max_value: int | None = None


# One questionnaire with a question of every kind (and the settings that change how an answer
# is read). Their order is the order of the interview's screens.
QUESTIONS: dict[str, QuestionSpec] = {
    "single": QuestionSpec("single", "Hoe vaak komt u hier?", ("Elke dag", "Soms", "Bijna nooit"), follow_up=True),
    "scale3": QuestionSpec("scale3", "Hoe is de soep?"),
    "scale5": QuestionSpec("scale5", "Hoe voelt u zich hier?"),
    "yesno": QuestionSpec("yesno", "Komt u morgen weer?", allow_refuse=False),
    "multi": QuestionSpec("multi", "Wat eet u graag?", ("Fruit", "Soep", "Brood")),
    "number": QuestionSpec("number", "Hoe oud bent u?", min_value=16, max_value=110),
    "count": QuestionSpec("number", "Hoeveel nachten sliep u buiten?", min_value=0),
    "open": QuestionSpec("open", "Wat kan beter?"),
    "open_plain": QuestionSpec("open", "Wilt u nog iets zeggen?", allow_dont_know=False, allow_refuse=False),
    "info": QuestionSpec("info", "Nu gaan we praten over het eten."),
}


def has_note_field(spec: QuestionSpec) -> bool:
    """Whether the page of this question has the follow-up field (answer_form_class)."""
    return spec.follow_up and spec.kind in ("single", "multi", "scale3", "scale5", "yesno")


def answer(value=None, text=None, special=None, **note) -> dict:
    return {"value": value, "text": text, "special": special, **note}


@dataclass(frozen=True)
class Case:
    id: str
    question: str  # a key of QUESTIONS
    steps: tuple  # ((field name, value), ...): a radio button or box to choose, or a text to type
    expect: object = None  # what every side makes of it, unless `server` / `browser` say otherwise
    server: object = None
    browser: object = None
    why: str = ""  # why `server` and `browser` differ
    # The page holds these fields without the events a person's choices fire (a state the page's
    # own script never lets a person make): readAnswer() must still read it right.
    without_events: bool = False
    expected: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self):
        spec = QUESTIONS[self.question]
        for side in ("server", "browser"):
            given = getattr(self, side)
            given = self.expect if given is None else given
            if isinstance(given, dict):
                given = dict(given)
                # A page with a follow-up field always sends its note; another page sends none.
                if has_note_field(spec):
                    given.setdefault("note", None)
                else:
                    assert "note" not in given, self.id
            self.expected[side] = given

    @property
    def spec(self) -> QuestionSpec:
        return QUESTIONS[self.question]

    @property
    def server_expects(self):
        return self.expected["server"]

    @property
    def browser_expects(self):
        return self.expected["browser"]


DONT_KNOW, REFUSE = "special:dont_know", "special:refuse"
BOTH_WITHOUT_JS = ("Without JavaScript the server cannot tell which part was chosen last; when both are new it "
                   "keeps the real answer (AnswerForm.settle_both). On the page, interview-screen.js clears the "
                   "other part as soon as one is chosen, so the last choice wins.")
CONTROL_CHARACTERS = ("The input guard refuses a post with a control character (400); readAnswer() leaves the "
                      "character out, so one pasted character cannot block the whole offline queue.")

CASES: tuple[Case, ...] = (
    # One choice (radio buttons; "Weet ik niet" / "Wil ik niet zeggen" are buttons of the same group).
    Case("single-choice", "single", (("answer", "2"),), answer(value="2")),
    Case("single-dont-know", "single", (("answer", DONT_KNOW),), answer(special="dont_know")),
    Case("single-refuse", "single", (("answer", REFUSE),), answer(special="refuse")),
    Case("single-changed-choice", "single", (("answer", "1"), ("answer", "3")), answer(value="3")),
    Case("single-with-note", "single", (("answer", "1"), ("note", "  Elke ochtend koffie  ")),
         answer(value="1", note="Elke ochtend koffie")),
    Case("single-note-only", "single", (("note", "Wil liever niet kiezen"),), answer(note="Wil liever niet kiezen")),
    Case("single-note-whitespace", "single", (("answer", "2"), ("note", "  \n  ")), answer(value="2")),
    Case("single-note-control-character", "single", (("answer", "3"), ("note", "Koffie\x07 en thee")),
         server=REFUSED, browser=answer(value="3", note="Koffie en thee"), why=CONTROL_CHARACTERS),
    Case("single-empty", "single", (), answer()),
    # The smiley scales and yes/no: fixed choices "1", "2", ...
    Case("scale3-smiley", "scale3", (("answer", "3"),), answer(value="3")),
    Case("scale5-smiley", "scale5", (("answer", "1"),), answer(value="1")),
    Case("scale5-dont-know", "scale5", (("answer", DONT_KNOW),), answer(special="dont_know")),
    Case("yesno-yes", "yesno", (("answer", "1"),), answer(value="1")),
    Case("yesno-dont-know", "yesno", (("answer", DONT_KNOW),), answer(special="dont_know")),
    Case("yesno-empty", "yesno", (), answer()),
    # Multiple choice: boxes, in the order of the choices whatever the order of ticking.
    Case("multi-two", "multi", (("answer", "3"), ("answer", "1")), answer(value="1,3")),
    Case("multi-one", "multi", (("answer", "2"),), answer(value="2")),
    Case("multi-dont-know", "multi", (("special", DONT_KNOW),), answer(special="dont_know")),
    Case("multi-refuse", "multi", (("special", REFUSE),), answer(special="refuse")),
    Case("multi-special-then-box", "multi", (("special", REFUSE), ("answer", "2")), answer(value="2")),
    Case("multi-box-then-special", "multi", (("answer", "2"), ("special", REFUSE)),
         server=answer(value="2"), browser=answer(special="refuse"), why=BOTH_WITHOUT_JS),
    Case("multi-box-and-special-in-the-page", "multi", (("answer", "2"), ("special", REFUSE)),
         answer(value="2"), without_events=True),
    Case("multi-empty", "multi", (), answer()),
    # A whole number within 16..110.
    Case("number-in-range", "number", (("number", "67"),), answer(value="67")),
    Case("number-lowest", "number", (("number", "16"),), answer(value="16")),
    Case("number-highest", "number", (("number", "110"),), answer(value="110")),
    Case("number-below-range", "number", (("number", "15"),), INVALID),
    Case("number-above-range", "number", (("number", "111"),), INVALID),
    Case("number-not-whole", "number", (("number", "16.5"),), INVALID),
    Case("number-with-exponent", "number", (("number", "1e2"),), INVALID),
    Case("number-dont-know", "number", (("special", DONT_KNOW),), answer(special="dont_know")),
    Case("number-special-then-number", "number", (("special", DONT_KNOW), ("number", "30")), answer(value="30")),
    Case("number-then-special", "number", (("number", "30"), ("special", DONT_KNOW)),
         server=answer(value="30"), browser=answer(special="dont_know"), why=BOTH_WITHOUT_JS),
    Case("number-and-special-in-the-page", "number", (("number", "30"), ("special", DONT_KNOW)),
         answer(value="30"), without_events=True),
    Case("number-empty", "number", (), answer()),
    # A number with only a lower bound (0 or more).
    Case("count-zero", "count", (("number", "0"),), answer(value="0")),
    Case("count-negative", "count", (("number", "-1"),), INVALID),
    Case("count-nine-digits", "count", (("number", "999999999"),), answer(value="999999999")),
    Case("count-ten-digits", "count", (("number", "1000000000"),), INVALID),
    # Open text: the words as typed, without the spaces around them.
    Case("open-text", "open", (("text", "  Meer groente op tafel  "),), answer(text="Meer groente op tafel")),
    Case("open-lines", "open", (("text", "Meer groente.\nEn soep."),), answer(text="Meer groente.\nEn soep.")),
    Case("open-whitespace", "open", (("text", "   \n\t  "),), answer()),
    Case("open-refuse", "open", (("special", REFUSE),), answer(special="refuse")),
    Case("open-special-then-text", "open", (("special", DONT_KNOW), ("text", "Soep")), answer(text="Soep")),
    Case("open-text-then-special", "open", (("text", "Soep"), ("special", DONT_KNOW)),
         server=answer(text="Soep"), browser=answer(special="dont_know"), why=BOTH_WITHOUT_JS),
    Case("open-control-character", "open", (("text", "Soep\x07 is lekker\x00"),),
         server=REFUSED, browser=answer(text="Soep is lekker"), why=CONTROL_CHARACTERS),
    Case("open-empty", "open", (), answer()),
    # Open text without "Weet ik niet" and "Wil ik niet zeggen".
    Case("open-plain-text", "open_plain", (("text", "Dank u wel"),), answer(text="Dank u wel")),
    Case("open-plain-empty", "open_plain", (), answer()),
    # An information screen has no field and never an answer.
    Case("info-screen", "info", (), answer()),
)

CASE_IDS = tuple(case.id for case in CASES)


def build_answer_project(app) -> dict:
    """A project with the questionnaire of QUESTIONS (frozen), a location and the interviewer
    "ilse": {"project_id", "numbers": {question key: screen number}}. Call outside an app context."""
    from peerinterview.design.builder.services import add_question, freeze_version, questionnaire_of
    from peerinterview.extensions import db
    from peerinterview.projects.services import add_location, create_project

    from .helpers import make_user_now

    with app.app_context():
        staff = make_user_now("sam", staff=True)
        project = create_project(by=staff, name="Antwoorden lezen", research_question="Wat vinden bezoekers?",
                                 consent_text="Meedoen is vrijwillig.")
        add_location(project, "De Haven", by=staff)
        make_user_now("ilse", project=project, roles={"interviewer"}, by=staff)
        version = questionnaire_of(project).draft
        numbers = {}
        for key, spec in QUESTIONS.items():
            question = add_question(
                version, kind=spec.kind, text=spec.text, choice_labels=list(spec.choices) or None,
                follow_up=spec.follow_up, allow_dont_know=spec.allow_dont_know, allow_refuse=spec.allow_refuse,
                min_value=spec.min_value, max_value=spec.max_value, by=staff)
            numbers[key] = question.position
        freeze_version(version, by=staff)
        db.session.commit()
        built = {"project_id": project.id, "numbers": numbers}
        db.session.remove()
    return built


def stored_answer(app, interview_id, question_key, number) -> dict:
    """The stored answer to the question at screen `number`, as the table writes it (no row is
    the empty answer); `note` only for a page with a follow-up field."""
    from sqlalchemy import select

    from peerinterview.extensions import db
    from peerinterview.models import Answer, Question

    with app.app_context():
        row = db.session.execute(
            select(Answer.value, Answer.text, Answer.special, Answer.note)
            .join(Question, Question.id == Answer.question_id)
            .where(Answer.interview_id == interview_id, Question.position == number)).first()
        db.session.remove()
    value, text, special, note = row if row is not None else (None, None, None, None)
    got = answer(value=value, text=text, special=special)
    if has_note_field(QUESTIONS[question_key]):
        got["note"] = note
    return got


def forget_answers(app, interview_id) -> None:
    """Every case starts on a question without a stored answer (settle_both reads the stored one)."""
    from sqlalchemy import delete

    from peerinterview.extensions import db
    from peerinterview.models import Answer

    with app.app_context():
        db.session.execute(delete(Answer).where(Answer.interview_id == interview_id))
        db.session.commit()
        db.session.remove()
