"""What a REFI-QDA export holds, gathered from the database (the files are written by the pure
package `refi_qda`).

- **Codebook**: the live themes, with description and colour.
- **Sources**: every card the panel may read (open_answer_gate.py; the same cards as the board,
  and none while the board shows none), its text as stored: staff redactions are already in
  it. Each card's themes are codings of one selection that covers the whole text, with who
  sorted it and when. Other kinds of text (transcripts) join as more sources of the same case:
  add a function like `_card_sources` and list its sources in `refi_project`.
- **Notes**: each approved quote, in its approved (possibly shortened or redacted) wording,
  linked from its card's selection.
- **Cases**: one per interview with a card, named "Deelnemer 1", "Deelnemer 2" … in an order
  that says nothing (the order of their GUIDs). The respondent code is not in the file, so it
  cannot be joined to the other exports.
- **Variables**: the location and the answers to closed questions, as the other exports code
  them, in words. A variable is left out when it would make a group of cases smaller than the
  project's minimum: taken in questionnaire order, a variable is kept only if every combination
  of the kept variables' values is shared by 0 or at least `min_group_size` cases. Nobody can
  then pick out fewer people than the rule allows by the answers next to a text. The file's
  description names the variables left out.
- **Users**: only the people who sorted a card in the file, as "Begeleider 1" or "Panellid 1":
  the panel members are clients too, and a researcher needs to tell coders apart, not know
  their names. The logboek keeps who made the export.

GUIDs are UUID version 5 in a namespace derived from SECRET_KEY and the project, so a second
export gives every theme, case and text the same GUID (another program can match them up),
while nobody can work back from a GUID to an interview id.
"""
import hashlib
import hmac
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Membership
from ..models.panel import Coding, Theme
from ..panel.services import approved_quotes, cards_visible, live_themes, project_cards
from ..refi_qda import project as qde
from ..refi_qda.codebook import Code, codebook_document
from . import exports


def guid_maker(project):
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, f"peerinterview refi-qda project {project.id}".encode(), hashlib.sha256).digest()
    namespace = uuid.UUID(bytes=digest[:16])
    return lambda name: str(uuid.uuid5(namespace, name))


def _codes(project, guid) -> list[Code]:
    return [Code(guid(f"theme:{theme.id}"), theme.name, theme.description or "", theme.colour)
            for theme in live_themes(project.id)]


def refi_codebook(project) -> bytes | None:
    """The .qdc of the project's themes; None when there is no theme (the schema wants one)."""
    codes = _codes(project, guid_maker(project))
    return codebook_document(codes) if codes else None


def _codings(project, cards) -> dict[tuple[int, str], list[Coding]]:
    keys = {(card.answer_id, card.part) for card in cards}
    found = defaultdict(list)
    answer_ids = sorted({answer_id for answer_id, _part in keys})
    for start in range(0, len(answer_ids), 5000):
        for coding in db.session.scalars(
            select(Coding).join(Theme, Theme.id == Coding.theme_id)
            .where(Theme.project_id == project.id, Theme.deleted_at.is_(None),
                   Coding.answer_id.in_(answer_ids[start:start + 5000]))
            .order_by(Coding.id)
        ):
            if (coding.answer_id, coding.part) in keys:
                found[(coding.answer_id, coding.part)].append(coding)
    return found


def _users(project, codings, guid, labels) -> dict[int, qde.User]:
    """The people who sorted an exported card, by a role and a number, never by name."""
    user_ids = sorted({c.added_by_id for cs in codings.values() for c in cs if c.added_by_id})
    staff = set(db.session.scalars(select(Membership.user_id).where(
        Membership.project_id == project.id, Membership.is_staff.is_(True), Membership.user_id.in_(user_ids))))
    numbers = Counter()
    users = {}
    for user_id in user_ids:
        role = "user_staff" if user_id in staff else "user_panel"
        numbers[role] += 1
        users[user_id] = qde.User(guid(f"user:{user_id}"), labels[role] % {"num": numbers[role]})
    return users


def _cases(interview_ids, guid, labels) -> dict[str, qde.Case]:
    guids = sorted((guid(f"interview:{interview_id}"), interview_id) for interview_id in interview_ids)
    return {interview_id: qde.Case(case_guid, labels["case"] % {"num": n})
            for n, (case_guid, interview_id) in enumerate(guids, 1)}


def _value(variable, code, labels):
    """An export code in words (the IntegerValue of a number); None: no value to write."""
    missing = {number: labels["missing_" + state] for state, number in exports.MISSING_CODES.items()}
    if code is None:
        return None
    if variable.kind == "number":
        return None if code in missing else code
    if code in missing:
        return missing[code]
    if variable.kind == "multi":
        return labels["chosen"] if code == 1 else labels["not_chosen"]
    return variable.value_labels.get(code, str(code))


def _variables(project, labels, guid, interview_ids):
    """(variables, {interview id: [(variable, value)]}): the location and the closed questions
    of the exported cases, as the other exports code them (not the version: it is never shown;
    not the review state: only interviews that count are exported)."""
    dataset = exports.build_dataset(project, labels, include_open=False)
    wanted = set(interview_ids)
    rows = {i: row for i, row in zip(dataset.interview_ids, dataset.rows, strict=True) if i in wanted}
    variables, values = [], defaultdict(list)
    for variable in dataset.variables:
        if variable.kind in ("respondent", "version", "review", "counts"):
            continue
        written = qde.Variable(guid(f"variable:{variable.name}"), variable.label,
                               "Integer" if variable.kind == "number" else "Text", variable.name)
        variables.append(written)
        for interview_id, row in rows.items():
            value = _value(variable, row.get(variable.name), labels)
            if value is not None:
                values[interview_id].append((written, value))
    return variables, values


def protected_variables(variables, values, case_ids, min_size: int):
    """(kept, left out): in order, a variable is kept only if every combination of the kept
    variables' values is shared by at least `min_size` of the cases (absent counts as a value)."""
    kept, left_out = [], []
    classes = {case: () for case in case_ids}
    by_case = {case: {variable.guid: value for variable, value in values.get(case, [])} for case in case_ids}
    for variable in variables:
        trial = {case: key + (by_case[case].get(variable.guid),) for case, key in classes.items()}
        if trial and all(size >= min_size for size in Counter(trial.values()).values()):
            kept.append(variable)
            classes = trial
        else:
            left_out.append(variable)
    return kept, left_out


def _card_sources(cards, cases, codings, users, quotes, guid, labels):
    sources, notes = [], []
    for card in cards:
        key = card.stored_key  # staff only: the export names the participant anyway
        case = cases[card.interview_id]
        note_guids = []
        quote = quotes.get((card.answer_id, card.part))
        if quote is not None:
            note = qde.Note(guid(f"quote:{quote.id}"), labels["quote"], quote.text or "", labels["quote_about"])
            notes.append(note)
            note_guids.append(note.guid)
        codings_here = [qde.Coding(guid(f"coding:{c.id}"), guid(f"theme:{c.theme_id}"),
                                   users[c.added_by_id].guid if c.added_by_id in users else None, c.added_at)
                        for c in codings.get((card.answer_id, card.part), [])]
        about = labels["note_about" if card.part == "note" else "answer_about"] % {"question": card.question}
        source = qde.Source(guid(f"card:{key}"), guid(f"selection:{key}"),
                            labels["source"] % {"case": case.name, "num": len(case.source_guids) + 1},
                            card.text, about, codings_here, note_guids)
        case.source_guids.append(source.guid)
        sources.append(source)
    return sources, notes


def refi_project(project, labels) -> tuple[bytes, dict]:
    """The .qdpx of the project, and what is in it (counts for the logboek)."""
    guid = guid_maker(project)
    cards = project_cards(project.id) if cards_visible(project) else []
    codings = _codings(project, cards)
    users = _users(project, codings, guid, labels)
    cases = _cases({card.interview_id for card in cards}, guid, labels)
    quotes = {(q.answer_id, q.part): q for q in approved_quotes(project.id)}
    sources, notes = _card_sources(cards, cases, codings, users, quotes, guid, labels)
    variables, values = _variables(project, labels, guid, list(cases))
    kept, left_out = protected_variables(variables, values, list(cases), project.min_group_size)
    kept_guids = {variable.guid for variable in kept}
    for interview_id, case in cases.items():
        case.values = [(v, value) for v, value in values.get(interview_id, []) if v.guid in kept_guids]
    description = labels["project_about"] % {"min": project.min_group_size}
    if left_out:
        description += " " + labels["left_out"] % {"names": "; ".join(v.name for v in left_out)}
    document = qde.Project(
        name=project.name, created_at=datetime.now(UTC), description=description, users=list(users.values()),
        codes=_codes(project, guid), variables=kept, cases=sorted(cases.values(), key=lambda c: c.guid),
        sources=sources, notes=notes)
    return qde.qdpx(document), {"sources": len(sources), "cases": len(cases), "codings": sum(
        len(s.codings) for s in sources), "variables": len(kept), "variables_left_out": len(left_out)}
