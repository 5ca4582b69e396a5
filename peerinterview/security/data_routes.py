"""Personal data: the logboek viewer, erasure by respondent code, the results kept after the
retention date, and the `purge-expired` command. The check of open answers is in review_routes.py."""
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ..access import project_or_abort, staff_required
from ..audit import OPERATIONS, record
from ..extensions import db
from ..interview.services import normalized_code
from ..models import Project, RetainedQuote, RetainedResult
from ..privacy.identifying import find_identifying, segments
from ..vocabulary import SPECIAL_LABELS
from . import auditlog, bp, erasure, retention
from .event_words import EVENT_WORDS, event_words, object_words
from .forms import AuditFilterForm, RespondentCodeForm

OPERATION_LABELS = {
    "create": _l("maken"), "read": _l("bekijken"), "change": _l("veranderen"), "delete": _l("wissen"),
    "export": _l("downloaden"), "print": _l("printen"), "login": _l("inloggen"),
}
KIND_LABELS = {
    "name": _l("naam"), "phone": _l("telefoonnummer"), "email": _l("e-mailadres"),
    "address": _l("adres"), "place": _l("plaats"),
}


# --- the logboek --------------------------------------------------------------------------------
@bp.get("/logboek")
@staff_required
def audit_log():
    form = AuditFilterForm(request.args)
    form.operation.choices = [("", _("Alle soorten"))] + [(op, str(OPERATION_LABELS[op])) for op in OPERATIONS]
    form.action.choices = [("", _("Alle handelingen"))] + sorted(
        ((code, str(words)) for code, words in EVENT_WORDS.items()), key=lambda choice: choice[1].casefold())
    if request.args and not form.validate():
        return render_template("security/audit_log.html", form=form, rows=[], total=0, page=1, pages=1,
                               labels=OPERATION_LABELS, **_plain_words([])), 422
    kind, ident = auditlog.parse_object(form.object.data or "")
    filters = auditlog.AuditFilters(
        username=form.user.data or "", operation=form.operation.data or "", action=form.action.data or "",
        object_type=kind, object_id=ident, project_id=form.project.data, date_from=form.date_from.data,
        date_to=form.date_to.data)
    page = form.page.data or 1
    rows, total = auditlog.search(current_user, filters, page, zone=str(get_timezone()))
    pages = max(1, -(-total // auditlog.PER_PAGE))
    # Reading the logboek is itself logged (NEN 7513): the filters, which hold no content.
    record("audit_log.read", user=current_user, page=page,
           filters={k: str(v) for k, v in vars(filters).items() if v})
    db.session.commit()
    g.no_store = True
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("security/audit_log.html", form=form, rows=rows, total=total, page=page,
                           pages=pages, labels=OPERATION_LABELS, args=args, **_plain_words(rows))


def _plain_words(rows) -> dict:
    """Words instead of codes: what happened, to what, in which project (by name). The rows are
    all of projects the reader may see, so their names are no news to them."""
    project_ids = {event.project_id for event, _user, _behalf in rows if event.project_id}
    names = dict(db.session.execute(select(Project.id, Project.name).where(Project.id.in_(project_ids))).all()) \
        if project_ids else {}
    return {"event_words": event_words, "object_words": object_words, "project_names": names}


# --- erasure by respondent code ------------------------------------------------------------------
@bp.route("/projects/<int:project_id>/wissen", methods=["GET", "POST"])
def erase_respondent(project_id):
    project = project_or_abort(project_id, "staff")
    form = RespondentCodeForm()
    found = None
    if form.validate_on_submit():
        code = normalized_code(form.respondent_code.data)  # "k7m 2q" is K7M2Q
        found = erasure.preview(project, code)
        if found is None:
            form.respondent_code.errors.append(
                _("Er is geen interview met deze code in dit onderzoek. Controleer de code."))
        elif form.step.data == "confirm" and form.confirm.data:
            erased = erasure.erase_respondent(project, code, by=current_user._get_current_object())
            db.session.commit()
            flash(ngettext("We hebben alles van deze deelnemer gewist: %(num)d antwoord.",
                           "We hebben alles van deze deelnemer gewist: %(num)d antwoorden.", erased), "success")
            return redirect(url_for("security.erase_respondent", project_id=project.id), 303)
        elif form.step.data == "confirm":
            form.confirm.errors.append(_("Zet een vinkje als u zeker weet dat alles weg mag."))
        else:
            # Step 2: show what will go, and ask to confirm.
            g.no_store = True
            form.step.data = "confirm"
            form.respondent_code.data = code
            return render_template("security/erase_confirm.html", project=project, form=form, found=found)
        if found is not None:
            g.no_store = True
            return render_template("security/erase_confirm.html", project=project, form=form, found=found), 422
    return render_template("security/erase.html", project=project, form=form), 422 if form.errors else 200


# --- after the retention date --------------------------------------------------------------------
@bp.get("/projects/<int:project_id>/bewaarde-uitkomsten")
def retained_results(project_id):
    project = project_or_abort(project_id, "staff", "panel")
    results = db.session.scalars(select(RetainedResult).where(RetainedResult.project_id == project.id)
                                 .order_by(RetainedResult.position)).all()
    quotes = db.session.scalars(select(RetainedQuote).where(RetainedQuote.project_id == project.id)
                                .order_by(RetainedQuote.id)).all()
    return render_template("security/retained_results.html", project=project, results=results, quotes=quotes)


def _labels() -> dict:
    return {"special_labels": {key: str(label) for key, label in SPECIAL_LABELS.items()},
            "no_answer_label": _("Geen antwoord gegeven"), "open_label": _("Open antwoorden"),
            "not_asked_label": _("Kregen de vraag niet")}


@bp.cli.command("purge-expired")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Treat this date (YYYY-MM-DD) as today, e.g. to check what would go.")
def purge_expired_command(today):
    """Wis de ruwe gegevens van onderzoeken waarvan de bewaardatum voorbij is."""
    day = today.date() if today else datetime.now(ZoneInfo("Europe/Amsterdam")).date()
    reports = retention.purge_expired(day, **_labels())
    if not reports:
        click.echo(_("Geen onderzoeken om te wissen."))
    for report in reports:
        click.echo(_("Gewist: %(name)s (%(answers)d antwoorden, %(interviews)d interviews).",
                     name=report.project_name, answers=report.answers, interviews=report.interviews))


# Helpers for other pages that show open answers to staff (pool/open_answers.html).
@bp.app_template_global()
def identifying_segments(text: str):
    return segments(text or "")


@bp.app_template_global()
def identifying_count(texts) -> int:
    return sum(len(find_identifying(text or "")) for text in texts)


@bp.app_template_global()
def identifying_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
