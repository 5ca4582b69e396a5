"""Questionnaires in and out: a version as a plain document (design/transfer/document.py), a checked
document into the draft, copies from another project and the built-in starter lists.

Services flush; the view commits. Questions are made with the builder's own services
(add_question, add_condition, delete_question), so their history sees them too."""
import json
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ...audit import record
from ...extensions import db
from ...models import Membership, Project, QuestionnaireVersion
from ..builder.history import next_free_key
from ..builder.services import (
    LIST_KINDS,
    PICTURE_KINDS,
    add_condition,
    add_question,
    delete_question,
    new_draft,
    questionnaire_of,
)
from .document import (
    BASE_LANGUAGE,
    FORMAT,
    FORMAT_VERSION,
    check_document,
    rekey_for_append,
)

STARTER_DIR = Path(__file__).parent / "starters"
# name of the file in starters/ → its title and what it is for (UI text).
STARTERS = {
    "dagopvang": (_l("Dagopvang"), _l("Voor bezoekers van een dagopvang of inloophuis.")),
    "beschermd_wonen": (_l("Beschermd wonen"), _l("Voor bewoners van een huis met begeleiding.")),
    "ambulante_begeleiding": (_l("Ambulante begeleiding"),
                              _l("Voor mensen die thuis wonen en begeleiding krijgen.")),
}
MODES = ("append", "replace")


# ---------------------------------------------------------------------------------------------
# Out

def document_of(version: QuestionnaireVersion, project: Project) -> dict:
    """Every field of every question of a version, as the JSON file keeps it."""
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "title": project.name,
        "version": version.number,
        "languages": list(project.languages or [BASE_LANGUAGE]),
        "questions": [
            {
                "key": q.key, "kind": q.kind, "section_title": q.section_title or "", "text": q.text,
                "help_text": q.help_text or "", "required": q.required, "allow_dont_know": q.allow_dont_know,
                "allow_refuse": q.allow_refuse, "follow_up": q.follow_up, "allow_spoken": q.allow_spoken,
                "min_value": q.min_value, "max_value": q.max_value,
                "choices": [{"value": c.value, "label": c.label, "translations": dict(c.translations or {}),
                             "picture": c.picture or ""}
                            for c in q.choices],
                "conditions": [{"question": c.source.key, "values": [str(v) for v in c.values]}
                               for c in q.conditions],
                "translations": {code: dict(texts) for code, texts in (q.translations or {}).items()},
                "picture": q.picture or "",
                **({"word_explanations": {code: [dict(entry) for entry in entries]
                                          for code, entries in q.word_explanations.items()}}
                   if q.word_explanations else {}),
            }
            for q in version.questions
        ],
    }


def record_export(version: QuestionnaireVersion, project: Project, *, file_format: str, by) -> None:
    record("questionnaire.export", user=by, project_id=project.id, obj=version, number=version.number,
           format=file_format, questions=len(version.questions))


# ---------------------------------------------------------------------------------------------
# In

def import_document(project: Project, document: dict, *, mode: str, by, source: dict) -> dict:
    """Put the questions of a checked document into the project's draft (made if there is none;
    a frozen version never changes). mode "replace": the draft's questions go first;
    "append": they stay, and imported keys that clash get a new key.

    Returns {"draft": version, "added": n, "rekeyed": n}. `source` says in the audit log where
    the questions came from (a file, a copy, a starter list)."""
    if mode not in MODES:
        raise ValueError(mode)
    questionnaire = questionnaire_of(project)
    draft = questionnaire.draft or new_draft(questionnaire, by=by)
    removed = 0
    rekeyed = 0
    if mode == "replace":
        # Later questions first: a condition only points back, so no condition is left dangling.
        for question in reversed(list(draft.questions)):
            delete_question(question, by=by)
            removed += 1
        db.session.flush()
    else:
        taken = {q.key for q in draft.questions}
        # New keys start past every key this questionnaire ever used (also deleted ones: history and undo).
        document, rekeyed = rekey_for_append(document, taken, int(next_free_key(questionnaire)[1:]))
    made = {}
    for spec in document["questions"]:
        question = add_question(
            draft, kind=spec["kind"], text=spec["text"], help_text=spec["help_text"], required=spec["required"],
            choice_labels=[c["label"] for c in spec["choices"]] if spec["kind"] in LIST_KINDS else None,
            follow_up=spec["follow_up"], allow_dont_know=spec["allow_dont_know"], allow_refuse=spec["allow_refuse"],
            allow_spoken=spec.get("allow_spoken", False),
            section_title=spec["section_title"], min_value=spec["min_value"], max_value=spec["max_value"],
            translations=spec["translations"], word_explanations=spec.get("word_explanations"),
            choice_translations=_choice_translations(spec) if spec["kind"] in LIST_KINDS else None,
            # The file's key and answer values stay, so results pool with the versions they came from.
            key=spec["key"],
            choice_values=[c["value"] for c in spec["choices"]] if spec["kind"] in LIST_KINDS else None,
            by=by,
        )
        _put_pictures(question, spec)
        made[spec["key"]] = question
        for condition in spec["conditions"]:
            add_condition(question, made[condition["question"]], condition["values"], by=by)
    record("questionnaire.import", user=by, project_id=project.id, obj=draft, number=draft.number, mode=mode,
           added=len(made), removed=removed, rekeyed=rekeyed, **source)
    return {"draft": draft, "added": len(made), "rekeyed": rekeyed}


def _put_pictures(question, spec: dict) -> None:
    """The checked file's pictures (document.py refused unknown ones); part of the import's audit
    event, not one event per picture."""
    question.picture = spec.get("picture", "")
    if question.kind in PICTURE_KINDS:
        for choice, choice_spec in zip(question.choices, spec["choices"]):
            choice.picture = choice_spec.get("picture", "")


def _choice_translations(spec: dict) -> dict:
    languages = {code for choice in spec["choices"] for code in choice["translations"]}
    return {code: [choice["translations"].get(code, "") for choice in spec["choices"]] for code in sorted(languages)}


# ---------------------------------------------------------------------------------------------
# Copies and starter lists

def versions_to_copy(user, project_id: int) -> list[tuple[Project, QuestionnaireVersion]]:
    """The versions with questions of the other projects where `user` is staff or designer."""
    memberships = (db.session.query(Membership)
                   .filter(Membership.user_id == user.id, Membership.project_id != project_id)
                   .filter((Membership.is_staff.is_(True)) | (Membership.is_designer.is_(True)))
                   .all())
    found = []
    for membership in sorted(memberships, key=lambda m: m.project.name.casefold()):
        questionnaire = questionnaire_of(membership.project)
        for version in reversed(questionnaire.versions):
            if version.questions:
                found.append((membership.project, version))
    return found


def version_to_copy(user, project_id: int, version_id: int):
    """(project, version) if `user` may copy that version into project `project_id`, else None."""
    return next(((p, v) for p, v in versions_to_copy(user, project_id) if v.id == version_id), None)


def starter_document(name: str) -> dict:
    """A starter list, checked like any file (a broken starter file fails loudly in the tests)."""
    if name not in STARTERS:
        raise KeyError(name)
    return check_document(json.loads((STARTER_DIR / f"{name}.json").read_text(encoding="utf-8")))
