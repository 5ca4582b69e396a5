from ..audit import record
from ..extensions import db
from ..models import Location, Membership, Project, Questionnaire, QuestionnaireVersion
from ..models.base import utcnow


def create_project(*, by, name, research_question, commissioner="", min_group_size=5,
                   review_open_answers=True, count_rule="not_excluded", second_interviewer_may_review=False,
                   retention_date=None, consent_text, consent_text_en="") -> Project:
    """A new project, its empty draft questionnaire, and its creator as project staff."""
    project = Project(
        name=name.strip(), research_question=research_question.strip(),
        commissioner=(commissioner or "").strip(), min_group_size=min_group_size,
        review_open_answers=bool(review_open_answers), retention_date=retention_date,
        count_rule=count_rule or "not_excluded", second_interviewer_may_review=bool(second_interviewer_may_review),
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
    rule_before = (project.count_rule, project.second_interviewer_may_review)
    for name, value in fields.items():
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    record("project.update", user=by, project_id=project.id, obj=project)
    if project.review_open_answers != gate_before:
        # Switching the check off lets the panel read unchecked texts: the logboek says who did.
        record("project.review_open_answers", user=by, project_id=project.id, obj=project,
               on=project.review_open_answers)
    if (project.count_rule, project.second_interviewer_may_review) != rule_before:
        # What counts in every result changes: the logboek says who changed it.
        record("project.count_rule", user=by, project_id=project.id, obj=project, rule=project.count_rule,
               second_interviewer_may_review=project.second_interviewer_may_review)
    return project


def add_location(project: Project, name: str, *, by) -> Location:
    location = Location(project_id=project.id, name=name.strip())
    db.session.add(location)
    db.session.flush()
    record("location.create", user=by, project_id=project.id, obj=location)
    return location


def location_exists(project: Project, name: str, *, other_than: Location | None = None) -> bool:
    return any(loc.name.casefold() == name.strip().casefold() for loc in project.locations if loc is not other_than)


def rename_location(location: Location, name: str, *, by) -> Location:
    """Interviews point at the location, so they show the new name too."""
    before = location.name
    location.name = name.strip()
    db.session.flush()
    record("location.rename", user=by, project_id=location.project_id, obj=location, before=before,
           after=location.name)
    return location


def set_location_archived(location: Location, archived: bool, *, by) -> Location:
    """Archived: no longer offered for new interviews. Interviews held there keep it, and it stays
    in the results and the progress page."""
    if archived == (location.archived_at is not None):
        return location
    location.archived_at = utcnow() if archived else None
    db.session.flush()
    record("location.archive" if archived else "location.restore", user=by, project_id=location.project_id,
           obj=location)
    return location


def removed_roles(user, project_id: int, roles: set[str]) -> set[str]:
    """The roles `user` has in the project now that `roles` would take away."""
    return user.roles_in(project_id) - set(roles)


def last_staff_would_leave(project: Project, user, roles: set[str]) -> bool:
    """A project always keeps one begeleider: nobody else could manage it."""
    if "staff" in roles or "staff" not in user.roles_in(project.id):
        return False
    return not any(m.is_staff for m in project.memberships if m.user_id != user.id)
