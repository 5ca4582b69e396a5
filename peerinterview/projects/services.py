from ..audit import record
from ..extensions import db
from ..models import Location, Membership, Project, Questionnaire, QuestionnaireVersion


def create_project(*, by, name, research_question, commissioner="", min_group_size=5,
                   review_open_answers=True, retention_date=None, consent_text, consent_text_en="") -> Project:
    """A new project, its empty draft questionnaire, and its creator as project staff."""
    project = Project(
        name=name.strip(), research_question=research_question.strip(),
        commissioner=(commissioner or "").strip(), min_group_size=min_group_size,
        review_open_answers=bool(review_open_answers), retention_date=retention_date,
        consent_text=consent_text.strip(), consent_translations=_consent_translations({}, consent_text_en),
    )
    db.session.add(project)
    db.session.flush()
    questionnaire = Questionnaire(project_id=project.id)
    questionnaire.versions.append(QuestionnaireVersion(number=1))
    db.session.add(questionnaire)
    db.session.add(Membership(user=by, project=project, is_staff=True))
    db.session.flush()
    record("project.create", user=by, project_id=project.id, obj=project)
    return project


def _consent_translations(translations: dict, english: str | None) -> dict:
    """The consent translations with the English text set (or removed when empty)."""
    translations = {k: v for k, v in (translations or {}).items() if k != "en"}
    if (english or "").strip():
        translations["en"] = english.strip()
    return translations


def update_project(project: Project, *, by, **fields) -> Project:
    consent_text = fields.pop("consent_text").strip()
    translations = dict(project.consent_translations or {})
    if "consent_text_en" in fields:
        translations = _consent_translations(translations, fields.pop("consent_text_en"))
    if consent_text != project.consent_text or translations != (project.consent_translations or {}):
        # Interviews store the consent version they were given under (in any language).
        project.consent_text = consent_text
        project.consent_translations = translations
        project.consent_version += 1
    gate_before = project.review_open_answers
    for name, value in fields.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    record("project.update", user=by, project_id=project.id, obj=project)
    if project.review_open_answers != gate_before:
        # Switching the check off lets the panel read unchecked texts: the logboek says who did.
        record("project.review_open_answers", user=by, project_id=project.id, obj=project,
               on=project.review_open_answers)
    return project


def add_location(project: Project, name: str, *, by) -> Location:
    location = Location(project_id=project.id, name=name.strip())
    db.session.add(location)
    db.session.flush()
    record("location.create", user=by, project_id=project.id, obj=location)
    return location


def location_exists(project: Project, name: str) -> bool:
    return any(loc.name.casefold() == name.strip().casefold() for loc in project.locations)
