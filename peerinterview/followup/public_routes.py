"""The public results page. Project staff make it (a long random link, an optional end date,
after a warning they must tick), choose which approved quotes the public may read, print a
poster with its QR code and take the link back. Anyone with the link reads the page without a
login; it sets no cookie, is never cached or indexed and sends no referrer. A link that does not
work (unknown, taken back, past its end date, of a deleted project) answers with one and the
same 404 page."""
import segno
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import project_or_abort
from ..extensions import db
from ..models import Project
from ..panel.services import approved_quotes
from ..vocabulary import AGREEMENT_STATUS_LABELS, VERDICT_LABELS
from . import bp
from .forms import PublicQuotesForm, PublishForm, RevokeForm
from .public import (
    all_visits,
    count_visit,
    current_link,
    link_works,
    public_content,
    public_quote_ids,
    publish,
    revoke,
    set_public_quotes,
    working_link,
)

STAFF = ("staff",)


def public_url(link) -> str:
    return url_for("followup.public_page", token=link.token, _external=True)


def qr_code(url: str) -> str:
    """The link as an SVG data URI; big enough to scan from a poster on the wall."""
    return segno.make(url, error="m").svg_data_uri(scale=10, border=4, dark="#000", light="#fff")


def _quotes_form(project):
    """Every approved quote the panel may read, ticked when the public may read it too."""
    form = PublicQuotesForm(formdata=None, quotes=sorted(public_quote_ids(project.id)))
    form.quotes.choices = [(q.id, q.text) for q in approved_quotes(project.id)]
    return form


def _settings_page(project, *, publish_form=None, status=200):
    link = current_link(project.id)
    return render_template(
        "followup/public_settings.html", project=project, link=link, works=link_works(link),
        url=public_url(link) if link else None, visits=all_visits(project.id),
        publish_form=publish_form or PublishForm(formdata=None), revoke_form=RevokeForm(formdata=None),
        quotes_form=_quotes_form(project), content=public_content(project),
        verdicts=VERDICT_LABELS, statuses=AGREEMENT_STATUS_LABELS), status


@bp.get("/projects/<int:project_id>/public-page")
def public_settings(project_id):
    project = project_or_abort(project_id, *STAFF)
    g.no_store = True
    return _settings_page(project)


@bp.post("/projects/<int:project_id>/public-page/publish")
def publish_view(project_id):
    project = project_or_abort(project_id, *STAFF)
    form = PublishForm()
    if not form.validate_on_submit():
        g.no_store = True
        return _settings_page(project, publish_form=form, status=422)
    publish(project, expires_on=form.expires_on.data, by=current_user)
    db.session.commit()
    flash(_("De pagina staat online. Deel de link of print de poster."), "success")
    return redirect(url_for("followup.public_settings", project_id=project.id, _anchor="link"), 303)


@bp.post("/projects/<int:project_id>/public-page/revoke")
def revoke_view(project_id):
    project = project_or_abort(project_id, *STAFF)
    if RevokeForm().validate_on_submit() and revoke(project, by=current_user):
        db.session.commit()
        flash(_("De link werkt niet meer. Wie hem opent, ziet niets van het onderzoek."), "success")
    return redirect(url_for("followup.public_settings", project_id=project.id, _anchor="link"), 303)


@bp.post("/projects/<int:project_id>/public-page/quotes")
def public_quotes_view(project_id):
    project = project_or_abort(project_id, *STAFF)
    form = PublicQuotesForm()
    if form.validate_on_submit():
        set_public_quotes(project, set(form.quotes.data or []), by=current_user)
        db.session.commit()
        flash(_("Opgeslagen. Kijk hieronder wat iedereen ziet."), "success")
    return redirect(url_for("followup.public_settings", project_id=project.id, _anchor="quotes"), 303)


@bp.get("/projects/<int:project_id>/public-page/poster")
def public_poster(project_id):
    project = project_or_abort(project_id, *STAFF)
    g.no_store = True
    link = current_link(project.id)
    if not link_works(link):
        abort(404)
    url = public_url(link)
    return render_template("followup/public_poster.html", project=project, url=url, qr=qr_code(url))


# ---------------------------------------------------------------------------------------------
# The visitor (no login: hooks.PUBLIC_ENDPOINTS)

@bp.get("/r/<token>")
def public_page(token):
    # Never cached or indexed, no referrer to the outside, no cookie: hooks.public_page_headers.
    g.no_store = True
    g.public_page = True
    link = working_link(token)
    if link is None:
        return render_template("followup/public_gone.html"), 404
    count_visit(link)
    db.session.commit()
    project = db.session.get(Project, link.project_id)
    return render_template("followup/public_page.html", content=public_content(project),
                           verdicts=VERDICT_LABELS, statuses=AGREEMENT_STATUS_LABELS)
