"""Files people download (the report, its summary, the follow-up report, the exports): one way to
name them, send them and say so when this computer cannot make a PDF."""
import re

from flask import g, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from .audit import record
from .extensions import db

# A token from the page's script, so it can tell when the download has arrived (downloads.js).
WAIT_TOKEN = re.compile(r"^[a-z0-9]{1,32}$")


def project_slug(project) -> str:
    """The project's name as it goes into a file name."""
    return re.sub(r"[^a-z0-9]+", "-", project.name.lower()).strip("-")[:40] or f"onderzoek-{project.id}"


def file_response(data: bytes, filename: str, mimetype: str):
    response = make_response(data)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    g.no_store = True  # personal data: not kept in any cache
    token = request.args.get("wait", "")
    if WAIT_TOKEN.match(token):
        # Tells the waiting page that the file has arrived; holds nothing but the token.
        response.set_cookie(f"download-{token}", "done", max_age=120, samesite="Strict",
                            secure=request.is_secure, httponly=False)
    return response


def pdf_response(project, make, action: str, filename: str):
    """The PDF from `make(project)`, logged as `action`; a B1 page (503) when this computer cannot
    make PDFs (WeasyPrint needs the Pango library, which is only loaded here)."""
    try:
        data = make(project)
    except OSError:
        return render_template(
            "errors/error.html", code=503, title=_("Een PDF maken lukt hier niet"),
            message=_("Op deze computer ontbreekt een onderdeel om PDF's te maken. Print de pagina, "
                      "of vraag de beheerder om Pango te installeren."),
        ), 503
    record(action, user=current_user, project_id=project.id, obj=project)
    db.session.commit()
    return file_response(data, filename, "application/pdf")
