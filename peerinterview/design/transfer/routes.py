"""The questionnaire as a file, a copy or a starter list (the builder's "Versies" part).

Staff and designers of the project may export, import, copy and start from a starter list.
A file with problems is refused whole: the page lists every problem and nothing changes."""
import re

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...access import project_or_abort
from ...errors import Refused
from ...extensions import db
from ...models import QuestionnaireVersion
from .. import bp
from ..builder.services import questionnaire_of
from .document import (
    MAX_FILE_BYTES,
    MAX_SHOWN_PROBLEMS,
    ImportRefused,
    Problem,
    check_document,
    dump_json,
    parse_json,
)
from .forms import CopyForm, ImportForm, StarterForm
from .services import (
    STARTERS,
    document_of,
    import_document,
    record_export,
    starter_document,
    version_to_copy,
    versions_to_copy,
)
from .xlsform import read_xlsform, write_xlsform

EDITORS = ("staff", "designer")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _copy_choices(project) -> list[tuple[int, str]]:
    choices = []
    for other, version in versions_to_copy(current_user, project.id):
        state = _("vastgezet") if version.is_frozen else _("nog aan te passen")
        count = ngettext("%(num)d vraag", "%(num)d vragen", len(version.questions))
        choices.append((version.id, _("%(project)s – versie %(number)s (%(state)s, %(count)s)",
                                      project=other.name, number=version.number, state=state, count=count)))
    return choices


def _render(project, *, import_form=None, copy_form=None, starter_form=None, problems=None, failed=None,
            status=200):
    questionnaire = questionnaire_of(project)
    copy_form = copy_form or CopyForm()
    copy_form.source.choices = _copy_choices(project)
    shown = list(problems or [])[:MAX_SHOWN_PROBLEMS]
    return render_template(
        "design/transfer/index.html", project=project, questionnaire=questionnaire,
        draft=questionnaire.draft, versions=list(reversed(questionnaire.versions)),
        import_form=import_form or ImportForm(), copy_form=copy_form, starter_form=starter_form or StarterForm(),
        starters=STARTERS, problems=shown, hidden_problems=len(problems or []) - len(shown),
        form=failed, max_kb=MAX_FILE_BYTES // 1024,
    ), status


@bp.get("/projects/<int:project_id>/questionnaire/transfer")
def transfer(project_id):
    project = project_or_abort(project_id, *EDITORS)
    return _render(project)


def _version_or_404(project, number) -> QuestionnaireVersion:
    version = next((v for v in questionnaire_of(project).versions if v.number == number), None)
    if version is None:
        abort(404)
    return version


def _file_name(project, version, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", project.name.casefold()).strip("-")[:40] or "onderzoek"
    return f"vragenlijst-{slug}-versie-{version.number}.{extension}"


def _download(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _export(project_id, number, file_format: str, write, mimetype: str, extension: str) -> Response:
    """One version as a file download; the export is logged."""
    project = project_or_abort(project_id, *EDITORS)
    version = _version_or_404(project, number)
    data = write(document_of(version, project))
    record_export(version, project, file_format=file_format, by=current_user)
    db.session.commit()
    return _download(data, mimetype, _file_name(project, version, extension))


@bp.get("/projects/<int:project_id>/questionnaire/versions/<int:number>/export.json")
def export_json(project_id, number):
    return _export(project_id, number, "json", dump_json, "application/json", "json")


@bp.get("/projects/<int:project_id>/questionnaire/versions/<int:number>/export.xlsx")
def export_xlsform(project_id, number):
    return _export(project_id, number, "xlsform", write_xlsform, XLSX_TYPE, "xlsx")


def _read_upload(storage) -> dict:
    """The checked document of an uploaded file, or ImportRefused."""
    name = (storage.filename or "").casefold()
    data = storage.read(MAX_FILE_BYTES + 1)
    if name.endswith(".json"):
        return parse_json(data)
    if name.endswith(".xlsx"):
        return read_xlsform(data)
    if name.endswith((".xls", ".ods", ".csv")):
        raise ImportRefused([Problem("", _("Dit soort bestand kunnen we niet lezen. Sla de XLSForm in Excel op als .xlsx "
                                           "(Excel-werkmap)."))])
    raise ImportRefused([Problem("", _("Kies een .json-bestand of een .xlsx-bestand."))])


def _import(project, document, mode, source, failed_form, **forms):
    """Import a checked document and go back to the questionnaire. Should a builder rule still
    refuse a question the file check let through, nothing is changed."""
    try:
        result = import_document(project, document, mode=mode, by=current_user, source=source)
    except Refused:
        db.session.rollback()
        problems = [Problem("", _("Het overzetten is niet gelukt. Er is niets veranderd."))]
        return _render(project, problems=problems, failed=failed_form, status=422, **forms)
    added = ngettext("%(num)d vraag staat nu in versie %(version)s.", "%(num)d vragen staan nu in versie %(version)s.",
                     result["added"], version=result["draft"].number)
    db.session.commit()
    flash(added, "success")
    if result["rekeyed"]:
        flash(ngettext("%(num)d vraag kreeg een nieuwe sleutel, omdat de oude al in de lijst stond.",
                       "%(num)d vragen kregen een nieuwe sleutel, omdat de oude al in de lijst stonden.",
                       result["rekeyed"]), "success")
    return redirect(url_for("design.questionnaire", project_id=project.id, _anchor="vragen"), 303)


@bp.post("/projects/<int:project_id>/questionnaire/import")
def import_questionnaire(project_id):
    project = project_or_abort(project_id, *EDITORS)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(project, import_form=form, failed=form, status=422)
    try:
        document = _read_upload(form.file.data)
    except ImportRefused as refused:
        form.file.errors = [ngettext("Er is %(num)d probleem met het bestand. Er is niets veranderd.",
                                     "Er zijn %(num)d problemen met het bestand. Er is niets veranderd.",
                                     len(refused.problems))]
        return _render(project, import_form=form, problems=refused.problems, failed=form, status=422)
    file_format = "json" if form.file.data.filename.casefold().endswith(".json") else "xlsform"
    return _import(project, document, form.import_mode.data,
                   {"source": "file", "format": file_format}, form, import_form=form)


@bp.post("/projects/<int:project_id>/questionnaire/copy")
def copy_questionnaire(project_id):
    project = project_or_abort(project_id, *EDITORS)
    form = CopyForm()
    form.source.choices = _copy_choices(project)
    found = version_to_copy(current_user, project.id, form.source.data) if form.source.data else None
    if not form.validate_on_submit() or found is None:
        if form.source.data is None or found is None:
            form.source.errors = list(form.source.errors) + [_("Kies een vragenlijst uit de lijst.")]
        return _render(project, copy_form=form, failed=form, status=422)
    other, version = found
    try:
        document = check_document(document_of(version, other))
    except ImportRefused as refused:
        return _render(project, copy_form=form, problems=refused.problems, failed=form, status=422)
    return _import(project, document, form.copy_mode.data,
                   {"source": "copy", "from_project_id": other.id, "from_version": version.number},
                   form, copy_form=form)


@bp.post("/projects/<int:project_id>/questionnaire/starter")
def start_from_starter(project_id):
    project = project_or_abort(project_id, *EDITORS)
    form = StarterForm()
    if not form.validate_on_submit():
        return _render(project, starter_form=form, failed=form, status=422)
    document = starter_document(form.starter.data)
    return _import(project, document, form.starter_mode.data,
                   {"source": "starter", "starter": form.starter.data}, form, starter_form=form)
