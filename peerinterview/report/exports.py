"""Data exports for researchers: CSV, XLSX with a codebook, SPSS .sav, the codebook
alone, and the open answers with their themes.

One row per completed interview that counts in the results (withdrawn ones have no answers left
and are not exported), one column per question key, stable across questionnaire versions. Staff
may also export every completed interview, counted or not: the columns `review` (the review
state) and `counts` (1 = counts in the results) at the end of each row say which is which. A multiple-choice question
gets one 0/1 column per option (`q4_1`, `q4_2` …). The respondent code is the only identifier.

Codes, the same in every format and documented in the codebook:
  -1  "weet ik niet"        (Answer.special == "dont_know")
  -2  "wil ik niet zeggen"  (Answer.special == "refuse")
  -3  "niet gevraagd"       (skip logic hid the question, or the interview's version did not
                            have it)
  empty                     no answer given (system missing)
In SPSS the three codes are user-missing values with value labels. Open answers are text; they
carry the same codes as text ("-1").

Pure functions over the database: no Flask request objects. Labels come in through `labels`,
so the caller decides the language.
"""
import csv
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..counting import completed_interviews, counts_in_results
from ..extensions import db
from ..models import Answer, Interview, Location, Question, QuestionnaireVersion

DONT_KNOW, REFUSE, NOT_ASKED = -1, -2, -3
MISSING_CODES = {"dont_know": DONT_KNOW, "refuse": REFUSE, "not_asked": NOT_ASKED}
CHOICE_KINDS = ("single", "multi", "scale3", "scale5", "yesno")
ORDINAL_KINDS = ("scale3", "scale5")
NOT_EXPORTED_KINDS = ("info",)  # an information screen never gets an answer
# Interview.review_state as a number in the `review` column, the same in every format.
REVIEW_CODES = {"none": 1, "approved": 2, "issue": 3, "excluded": 4}


def exported_interviews(project, *, everything: bool = False):
    """SQL: the interviews an export holds: those that count, or with `everything` every
    completed interview (the `review` and `counts` columns then tell them apart)."""
    return completed_interviews(project) if everything else counts_in_results(project)


@dataclass
class Variable:
    name: str  # the column: the question key, or key_<option code> for a multiple choice
    label: str  # the question text (with the option for a multiple choice)
    kind: str  # the question kind, or "respondent" / "location" / "version" / "debrief" / "note"
    key: str = ""  # the question key ("" for the interview's own columns)
    value_labels: dict = field(default_factory=dict)  # code -> label (without the missing codes)
    is_text: bool = False
    has_missing_codes: bool = True

    @property
    def measure(self) -> str:
        if self.kind in ORDINAL_KINDS:
            return "ordinal"
        if self.kind in ("number", "version"):
            return "scale"
        return "nominal"


@dataclass
class Dataset:
    variables: list[Variable]
    rows: list[dict]  # variable name -> value (int, str or None)
    include_open: bool = True
    interview_ids: list[str] = field(default_factory=list)  # the interview of each row


def _frozen_versions(project):
    return db.session.scalars(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.frozen_at.is_not(None))
        .where(QuestionnaireVersion.questionnaire.has(project_id=project.id))
        .order_by(QuestionnaireVersion.number)
        .options(selectinload(QuestionnaireVersion.questions).selectinload(Question.choices))
    ).all()


def _spss_name(name: str) -> str:
    """A valid SPSS variable name: a letter first, then letters, digits and _ (at most 64)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if not name or not name[0].isalpha():
        name = "v_" + name
    return name[:64]


def _choice_codes(questions: list[Question]) -> tuple[dict[str, int], dict[int, str]]:
    """Choice value -> numeric code, and code -> label, over every version of one key.

    Choice values are "1", "2" … and are their own codes; any other value gets the next free
    number. The newest version's label wins."""
    codes: dict[str, int] = {}
    labels: dict[int, str] = {}
    others = []
    for question in questions:  # oldest first, so newer labels overwrite
        for choice in question.choices:
            if choice.value.isdigit() and int(choice.value) > 0:
                codes[choice.value] = int(choice.value)
                labels[int(choice.value)] = choice.label
            else:
                others.append(choice)
    for choice in others:
        if choice.value not in codes:
            codes[choice.value] = max(list(codes.values()) + [0]) + 1
        labels[codes[choice.value]] = choice.label
    return codes, dict(sorted(labels.items()))


@dataclass
class _Key:
    key: str
    question: Question  # newest wording
    versions: set  # version ids that hold the key
    codes: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)


def _question_keys(project) -> list[_Key]:
    by_key: dict[str, list[Question]] = {}
    order: dict[str, tuple[int, int]] = {}
    for version in _frozen_versions(project):
        for question in version.questions:
            if question.kind in NOT_EXPORTED_KINDS:
                continue
            by_key.setdefault(question.key, []).append(question)
            order[question.key] = (question.position, version.number)
    keys = []
    for key in sorted(by_key, key=lambda k: order[k]):
        questions = by_key[key]
        item = _Key(key=key, question=questions[-1], versions={q.version_id for q in questions})
        if item.question.kind in CHOICE_KINDS:
            item.codes, item.labels = _choice_codes(questions)
        keys.append(item)
    return keys


def _variables(project, labels: dict[str, str], include_open: bool):
    keys = _question_keys(project)
    locations = db.session.scalars(select(Location).where(Location.project_id == project.id)
                                   .order_by(Location.name)).all()
    location_codes = {location.id: n for n, location in enumerate(locations, 1)}

    variables = [
        Variable("respondent", labels["respondent"], "respondent", is_text=True, has_missing_codes=False),
        Variable("location", labels["location"], "location", has_missing_codes=False,
                 value_labels={location_codes[loc.id]: loc.name for loc in locations}),
        Variable("version", labels["version"], "version", has_missing_codes=False),
    ]
    for item in keys:
        question = item.question
        name = _spss_name(item.key)
        if question.kind == "multi":
            for value, code in sorted(item.codes.items(), key=lambda pair: pair[1]):
                variables.append(Variable(
                    f"{name}_{code}", f"{question.text} – {item.labels[code]}", "multi", key=item.key,
                    value_labels={0: labels["not_chosen"], 1: labels["chosen"]},
                ))
        elif question.kind in CHOICE_KINDS:
            variables.append(Variable(name, question.text, question.kind, key=item.key,
                                      value_labels=dict(item.labels)))
        elif question.kind == "number":
            variables.append(Variable(name, question.text, "number", key=item.key))
        elif question.kind == "open" and include_open:
            variables.append(Variable(name, question.text, "open", key=item.key, is_text=True))
        if include_open and question.follow_up and question.kind in CHOICE_KINDS:
            variables.append(Variable(f"{name}_note", labels["note"] % {"question": question.text}, "note",
                                      key=item.key, is_text=True))
    if include_open:
        variables.append(Variable("debrief_mood", labels["debrief_mood"], "debrief", is_text=True,
                                  has_missing_codes=False))
        variables.append(Variable("debrief_note", labels["debrief_note"], "debrief", is_text=True,
                                  has_missing_codes=False))
    variables.append(Variable("review", labels["review"], "review", has_missing_codes=False,
                              value_labels={code: labels["review_" + state] for state, code in REVIEW_CODES.items()}))
    variables.append(Variable("counts", labels["counts"], "counts", has_missing_codes=False,
                              value_labels={0: labels["counts_no"], 1: labels["counts_yes"]}))
    return keys, variables, location_codes


def questionnaire_variables(project, labels: dict[str, str], *, include_open: bool = True) -> list[Variable]:
    """The variables, without reading any answer (for the codebook alone)."""
    return _variables(project, labels, include_open)[1]


def build_dataset(project, labels: dict[str, str], *, include_open: bool = True, everything: bool = False) -> Dataset:
    """The data of every completed interview that counts (with `everything`: of every completed
    interview). `labels` names the interview's own columns (see services.export_labels)."""
    keys, variables, location_codes = _variables(project, labels, include_open)
    interviews = db.session.scalars(
        select(Interview).where(exported_interviews(project, everything=everything))
        .order_by(Interview.completed_at, Interview.respondent_code)
        .options(selectinload(Interview.version))
    ).all()
    counted = set(db.session.scalars(select(Interview.id).where(counts_in_results(project))))
    # Plain rows, not ORM objects: a large project has hundreds of thousands of answers.
    answers = {}
    for row in db.session.execute(
        select(Answer.interview_id, Question.key, Answer.value, Answer.text, Answer.special, Answer.note,
               Answer.asked)
        .join(Question, Question.id == Answer.question_id)
        .join(Interview, Interview.id == Answer.interview_id)
        .where(exported_interviews(project, everything=everything))
    ):
        answers[(row.interview_id, row.key)] = row

    rows = []
    for interview in interviews:
        row = {"respondent": interview.respondent_code,
               "location": location_codes.get(interview.location_id),
               "version": interview.version.number}
        for item in keys:
            _fill_answer(row, item, interview, answers.get((interview.id, item.key)), include_open)
        if include_open:
            row["debrief_mood"] = interview.debrief_mood or ""
            row["debrief_note"] = interview.debrief_text or ""
        row["review"] = REVIEW_CODES.get(interview.review_state)
        row["counts"] = int(interview.id in counted)
        rows.append(row)
    return Dataset(variables=variables, rows=rows, include_open=include_open,
                   interview_ids=[interview.id for interview in interviews])


def answer_state(item_versions: set, interview, answer) -> str:
    """"not_asked", "dont_know", "refuse", "answered" or "empty" (no answer given)."""
    if interview.version_id not in item_versions or (answer is not None and not answer.asked):
        return "not_asked"
    if answer is None:
        return "empty"
    if answer.special in ("dont_know", "refuse"):
        return answer.special
    if answer.value is None and answer.text is None:
        return "empty"
    return "answered"


def _fill_answer(row, item: _Key, interview, answer, include_open):
    question = item.question
    name = _spss_name(item.key)
    state = answer_state(item.versions, interview, answer)
    code = MISSING_CODES.get(state)
    if question.kind == "multi":
        chosen = set((answer.value or "").split(",")) if state == "answered" else set()
        for value, option_code in item.codes.items():
            column = f"{name}_{option_code}"
            row[column] = code if code is not None else (None if state == "empty" else int(value in chosen))
    elif question.kind in CHOICE_KINDS:
        if state == "answered":
            row[name] = item.codes.get(answer.value)
        else:
            row[name] = code
    elif question.kind == "number":
        if state == "answered":
            try:
                row[name] = int(answer.value)
            except (TypeError, ValueError):
                row[name] = None
        else:
            row[name] = code
    elif question.kind == "open" and include_open:
        if state == "answered":
            row[name] = answer.text or ""
        else:
            row[name] = str(code) if code is not None else ""
    if include_open and question.follow_up and question.kind in CHOICE_KINDS:
        row[f"{name}_note"] = (answer.note or "") if answer is not None and answer.asked else ""


# ---------------------------------------------------------------------------------------------
# The codebook

@dataclass
class Table:
    """Headers and rows: written as CSV or as a sheet."""
    headers: list[str]
    rows: list[list]


def codebook_table(dataset_or_variables, labels: dict[str, str]) -> Table:
    """One row per variable: name, question key, question text, type, values, missing codes.
    `labels` gives the headers, the kind names and the missing-code labels."""
    variables = getattr(dataset_or_variables, "variables", dataset_or_variables)
    # Written label first ("Weet ik niet (-1)"): a cell starting with "-" reads as a formula.
    missing_text = "; ".join(f"{labels['missing_' + state]} ({code})" for state, code in MISSING_CODES.items())
    rows = []
    for variable in variables:
        values = "; ".join(f"{code} = {label}" for code, label in variable.value_labels.items())
        if variable.kind == "number":
            values = labels["values_number"]
        elif variable.is_text:
            values = labels["values_text"]
        rows.append([variable.name, variable.key, variable.label, labels["kind_" + variable.kind],
                     values, missing_text if variable.has_missing_codes else "",
                     labels["empty_means"] if variable.has_missing_codes else ""])
    headers = [labels["h_name"], labels["h_key"], labels["h_label"], labels["h_kind"], labels["h_values"],
               labels["h_missing"], labels["h_empty"]]
    return Table(headers=headers, rows=rows)


# ---------------------------------------------------------------------------------------------
# Writers

def data_table(dataset: Dataset) -> Table:
    names = [v.name for v in dataset.variables]
    return Table(headers=names, rows=[[row.get(name) for name in names] for row in dataset.rows])


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows ë and é right; empty for no value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if value is None else _safe_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe_cell(value):
    # A text starting with = + - @ would be run as a formula by a spreadsheet (CSV/formula
    # injection); so would one after a tab or a carriage return, which some spreadsheets skip
    # (a tablet's text is stored as sent, untrimmed). Codes like "-1" are numbers, not
    # formulas; keep them.
    if isinstance(value, str) and value[:1] in ("=", "+", "@", "\t", "\r") or (
            isinstance(value, str) and value.startswith("-") and not re.fullmatch(r"-\d+", value)):
        return "'" + value
    return value


def to_xlsx(sheets: list[tuple[str, Table]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, table in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_safe_cell(value) for value in row])
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max((len(str(c.value)) for c in column[:200] if c.value is not None), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
            if width > 60:
                for c in column[1:]:
                    c.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_sav(dataset: Dataset, file_label: str, missing_labels: dict[str, str]) -> bytes:
    """SPSS .sav with variable labels, value labels and the missing codes as user-missing."""
    import pandas as pd  # pyreadstat writes from a data frame
    import pyreadstat

    columns = {}
    for variable in dataset.variables:
        values = [row.get(variable.name) for row in dataset.rows]
        if variable.is_text:
            columns[variable.name] = pd.Series(["" if v is None else str(v) for v in values], dtype=object)
        else:
            columns[variable.name] = pd.Series([float("nan") if v is None else float(v) for v in values],
                                               dtype="float64")
    frame = pd.DataFrame(columns)
    value_labels, missing = {}, {}
    for variable in dataset.variables:
        labels = {float(code): label for code, label in variable.value_labels.items()}
        if variable.has_missing_codes:
            codes = {float(code): missing_labels[state] for state, code in MISSING_CODES.items()}
            if variable.is_text:
                value_labels[variable.name] = {str(int(code)): label for code, label in codes.items()}
                missing[variable.name] = [str(code) for code in MISSING_CODES.values()]
                continue
            labels.update(codes)
            missing[variable.name] = list(MISSING_CODES.values())
        if labels:
            value_labels[variable.name] = labels
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.sav"
        pyreadstat.write_sav(
            frame, str(path), file_label=file_label[:64],
            column_labels={v.name: v.label[:256] for v in dataset.variables},
            variable_value_labels=value_labels, missing_ranges=missing,
            variable_measure={v.name: v.measure for v in dataset.variables},
        )
        return path.read_bytes()


# ---------------------------------------------------------------------------------------------
# Open answers and their themes

def open_answers_table(project, labels: dict[str, str], *, everything: bool = False) -> Table:
    """Every open answer and every "toelichting" of the completed interviews that count (with
    `everything`: of every completed interview, with its review state), with the themes the
    panel sorted it into (when the panel has any)."""
    rows_query = (
        select(Interview.respondent_code, Location.name, Question.key, Question.text, Answer.id,
               Answer.text, Answer.note, Interview.review_state)
        .join(Interview, Interview.id == Answer.interview_id)
        .join(Location, Location.id == Interview.location_id)
        .join(Question, Question.id == Answer.question_id)
        .where(exported_interviews(project, everything=everything), Answer.asked.is_(True))
        .where(Answer.text.is_not(None) | Answer.note.is_not(None))
        .order_by(Question.key, Interview.respondent_code)
    )
    themes = themes_by_answer(project)
    rows = []
    for code, location, key, question_text, answer_id, text, note, state in db.session.execute(rows_query).all():
        review = labels["review_" + state]
        if text is not None:
            rows.append([code, location, key, question_text, labels["kind_open"], text,
                         "; ".join(themes.get((answer_id, "text"), [])), review])
        if note:
            rows.append([code, location, key, question_text, labels["kind_note"], note,
                         "; ".join(themes.get((answer_id, "note"), [])), review])
    headers = [labels["respondent"], labels["location"], labels["h_key"], labels["h_label"], labels["h_kind"],
               labels["h_text"], labels["h_themes"], labels["review"]]
    return Table(headers=headers, rows=rows)


def answer_changes_table(project, labels: dict[str, str], *, include_open: bool = True,
                         everything: bool = False) -> Table:
    """Every change to an answer after its interview was finished (models/review.py), of the
    interviews in the export: when, by whom (the role, never a name), the old and the new answer
    in the export's codes, and why. Without open answers, the texts are left out here too."""
    from ..models.review import AnswerChange

    rows = []
    for code, key, kind, change in db.session.execute(
        select(Interview.respondent_code, Question.key, Question.kind, AnswerChange)
        .join(Interview, Interview.id == AnswerChange.interview_id)
        .join(Question, Question.id == AnswerChange.question_id)
        .where(exported_interviews(project, everything=everything))
        .order_by(Interview.respondent_code, AnswerChange.id)
    ).all():
        redaction = change.kind == "redaction"
        old = labels["not_kept"] if redaction else _change_value(change.old_value, change.old_text,
                                                                  change.old_special, kind, include_open, labels)
        new = _change_value(change.new_value, change.new_text, change.new_special, kind, include_open, labels)
        reason = "" if redaction else (change.reason if include_open else labels["left_out"])
        rows.append([code, key, change.at.replace(microsecond=0).isoformat(sep=" "),
                     labels["by_redaction" if redaction else "by_interviewer"], old, new, reason])
    headers = [labels["respondent"], labels["h_key"], labels["h_when"], labels["h_who"], labels["h_old"],
               labels["h_new"], labels["h_reason"]]
    return Table(headers=headers, rows=rows)


def _change_value(value, text, special, kind, include_open, labels):
    if special:
        return MISSING_CODES[special]
    if text is not None:
        return text if include_open else labels["left_out"]
    return "" if value is None else value


def themes_by_answer(project) -> dict[tuple[int, str], list[str]]:
    """(answer id, part) -> names of the live themes the panel sorted that card into."""
    try:
        from ..models.panel import Coding, Theme
    except ImportError:  # the panel area is not there (yet)
        return {}
    result: dict[tuple[int, str], list[str]] = {}
    query = (select(Coding.answer_id, Coding.part, Theme.name).join(Theme, Theme.id == Coding.theme_id)
             .where(Theme.project_id == project.id, Theme.deleted_at.is_(None)).order_by(Theme.name))
    for answer_id, part, name in db.session.execute(query).all():
        result.setdefault((answer_id, part), []).append(name)
    return result
