"""The steps of setting up and running a project, each done or not, worked out from what is
stored (never ticked by hand): the project page shows them to staff as a checklist."""
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from flask_babel import force_locale, ngettext
from sqlalchemy import case, func, select

from ..design.builder.services import questionnaire_of
from ..extensions import db
from ..models import AuditEvent, Finding, Interview, LoginCard, Project, ReportText, Theme
from ..models.interviews import was_completed
from ..vocabulary import UI_LANGUAGES
from .forms import DEFAULT_CONSENT_TEXT


@dataclass
class Step:
    key: str
    title: str
    done: bool
    detail: str
    url: str
    link_text: str


def _people_step(project: Project) -> Step:
    interviewers = sum(1 for m in project.memberships if m.is_interviewer and not m.user.disabled)
    panel = sum(1 for m in project.memberships if m.is_panel and not m.user.disabled)
    detail = "{}, {}".format(ngettext("%(num)d interviewer", "%(num)d interviewers", interviewers),
                             ngettext("%(num)d panellid", "%(num)d panelleden", panel))
    return Step("people", _("Mensen en rollen"), interviewers > 0 and panel > 0, detail,
                url_for("projects.members", project_id=project.id), _("Naar Mensen"))


def _cards_step(project: Project) -> Step:
    # The municipality logs in with its own password: it gets no login card.
    clients = [m.user for m in project.memberships
               if not m.user.is_staff and not m.is_municipality and not m.user.disabled]
    with_card = set(db.session.scalars(
        select(LoginCard.user_id).where(LoginCard.user_id.in_([u.id for u in clients]),
                                        LoginCard.revoked_at.is_(None))).all()) if clients else set()
    if not clients:
        detail = _("Er doen nog geen cliënten mee.")
    else:
        detail = _("%(done)d van de %(total)d cliënten hebben een inlogkaart.", done=len(with_card),
                   total=len(clients))
    return Step("cards", _("Inlogkaarten geprint"), bool(clients) and len(with_card) == len(clients), detail,
                url_for("projects.members", project_id=project.id), _("Kaarten maken bij Mensen"))


def _interviews_step(project: Project) -> Step:
    shown = func.sum(case((was_completed(), 1), else_=0))
    completed, started = db.session.execute(
        select(func.coalesce(shown, 0), func.count()).select_from(Interview)
        .where(Interview.project_id == project.id)).one()
    detail = _("%(done)d klaar, %(total)d begonnen.", done=completed, total=started)
    return Step("interviews", _("Interviews lopen"), completed > 0, detail,
                url_for("pool.progress", project_id=project.id), _("Naar Voortgang"))


def _meeting_step(project: Project) -> Step:
    themes = db.session.scalar(select(func.count()).select_from(Theme).where(
        Theme.project_id == project.id, Theme.deleted_at.is_(None)))
    discussed = db.session.scalar(select(func.count(func.distinct(Finding.theme_id))).join(Theme).where(
        Theme.project_id == project.id, Theme.deleted_at.is_(None), Finding.text != ""))
    detail = "{}, {}".format(ngettext("%(num)d thema", "%(num)d thema's", themes),
                             ngettext("%(num)d besproken", "%(num)d besproken", discussed))
    return Step("meeting", _("Panel heeft besproken"), discussed > 0, detail,
                url_for("panel.board", project_id=project.id), _("Naar Samen bespreken"))


def _report_step(project: Project) -> Step:
    texts = db.session.get(ReportText, project.id)
    written = bool(texts and texts.summary.strip())
    printed = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.project_id == project.id, AuditEvent.action == "report.pdf")) > 0
    if printed:
        detail = _("De samenvatting is geschreven en het rapport is gedownload.") if written else \
            _("Het rapport is gedownload. De samenvatting is nog leeg.")
    else:
        detail = _("De samenvatting is geschreven.") if written else _("De samenvatting is nog leeg.")
    return Step("report", _("Rapport klaar"), written and printed, detail,
                url_for("report.show", project_id=project.id), _("Naar Rapport"))


def _default_consent_texts() -> set[str]:
    # A new project starts with the default text in the language of the person who made it.
    texts = set()
    for locale in UI_LANGUAGES:
        with force_locale(locale):
            texts.add(str(DEFAULT_CONSENT_TEXT).strip())
    return texts


def project_checklist(project: Project) -> list[Step]:
    """In the order the work is done."""
    open_locations = project.open_locations
    locations = Step(
        "locations", _("Locaties"), bool(open_locations),
        ngettext("%(num)d locatie", "%(num)d locaties", len(open_locations)),
        url_for("projects.show", project_id=project.id, _anchor="locaties"), _("Naar Locaties"))
    default_text = project.consent_text.strip() in _default_consent_texts()
    consent = Step(
        "consent", _("Tekst voor toestemming"), bool(project.consent_text.strip()),
        _("De standaardtekst. Lees hem na en pas hem aan als dat nodig is.") if default_text
        else _("Een eigen tekst (versie %(number)d).", number=project.consent_version),
        url_for("projects.edit", project_id=project.id, _anchor="consent_text"), _("Tekst bekijken"))
    questionnaire = questionnaire_of(project)
    frozen = questionnaire.latest_frozen
    questions = Step(
        "questionnaire", _("Vragenlijst vastgezet"), frozen is not None,
        _("Versie %(number)d is vastgezet.", number=frozen.number) if frozen
        else _("De vragenlijst is nog niet vastgezet."),
        url_for("design.questionnaire", project_id=project.id), _("Naar Vragenlijst"))
    return [locations, _people_step(project), consent, questions, _cards_step(project),
            _interviews_step(project), _meeting_step(project), _report_step(project)]
