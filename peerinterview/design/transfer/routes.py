"""The questionnaire as a file, a copy or a starter list (the builder's "Versies" part).

Staff and designers of the project may export, import, copy and start from a starter list.
A file with problems is refused whole: the page lists every problem and nothing changes."""
import re

from flask import Response, abort, flash, redirect, render_template, request, url_for
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
from .forms import CopyForm, ImportForm, StarterForm, XlsformConfirmForm
from .pending import TokenRefused, make_token, read_token
from .services import (
    STARTERS,
    document_of,
    import_document,
    record_export,
    starter_document,
    version_to_copy,
    versions_to_copy,
)
from .xlsform import write_xlsform
from .xlsform_import import BASE_LANGUAGE as DUTCH
from .xlsform_import import language_options, plan_import
from .xlsform_read import survey_tree

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


def _read_upload(storage) -> tuple[str, object]:
    """("json", the checked document) or ("xlsform", pyxform's survey tree) of an uploaded
    file, or ImportRefused."""
    name = (storage.filename or "").casefold()
    data = storage.read(MAX_FILE_BYTES + 1)
    if name.endswith(".json"):
        return "json", parse_json(data)
    if name.endswith(".xlsx"):
        return "xlsform", survey_tree(data)
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


def _refused_file(project, form, problems):
    form.file.errors = [ngettext("Er is %(num)d probleem met het bestand. Er is niets veranderd.",
                                 "Er zijn %(num)d problemen met het bestand. Er is niets veranderd.",
                                 len(problems))]
    return _render(project, import_form=form, problems=problems, failed=form, status=422)


@bp.post("/projects/<int:project_id>/questionnaire/import")
def import_questionnaire(project_id):
    """A JSON file is read in at once; an XLSForm first shows what comes over (the preview)."""
    project = project_or_abort(project_id, *EDITORS)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(project, import_form=form, failed=form, status=422)
    try:
        file_format, read = _read_upload(form.file.data)
        if file_format == "xlsform":
            plan = plan_import(read)
            token = make_token(read, user_id=current_user.id, project_id=project.id,
                               file_name=form.file.data.filename or "")
    except ImportRefused as refused:
        return _refused_file(project, form, refused.problems)
    except TokenRefused:
        return _refused_file(project, form, [Problem("", _("Dit formulier is te groot om eerst te laten zien. "
                                                            "Maak het kleiner, of deel het in stukken."))])
    if file_format == "json":
        return _import(project, read, form.import_mode.data, {"source": "file", "format": "json"}, form,
                       import_form=form)
    confirm = XlsformConfirmForm(formdata=None, token=token, import_mode=form.import_mode.data,
                                 language=_language_value(plan))
    return _preview(project, plan, confirm, form.file.data.filename or "")


def _language_value(plan) -> str | None:
    """The preview's language choice: none yet when the form's texts have no language."""
    return None if plan.needs_language else f"{plan.column}|{plan.language}"


def _preview(project, plan, form, file_name: str, status=200):
    form.language.choices = language_options(plan.columns)
    draft = questionnaire_of(project).draft
    return render_template("design/transfer/preview.html", project=project, plan=plan, form=form,
                           file_name=file_name, draft=draft, dutch=DUTCH), status


@bp.post("/projects/<int:project_id>/questionnaire/import/xlsform")
def confirm_xlsform(project_id):
    """The preview's buttons: "Andere taal" shows the preview in the chosen language again,
    "Overnemen" saves. A token of another user or project, or a changed one, is refused."""
    project = project_or_abort(project_id, *EDITORS)
    form = XlsformConfirmForm()
    try:
        tree, file_name = read_token(form.token.data or "", user_id=current_user.id, project_id=project.id)
    except TokenRefused:
        flash(_("Dit voorbeeld is verlopen of klopt niet. Lees het bestand opnieuw in. Er is niets veranderd."),
              "error")
        return redirect(url_for("design.transfer", project_id=project.id), 303)
    column, _sep, language = (form.language.data or "").partition("|")
    try:
        plan = plan_import(tree, column or None, language or None)
    except ImportRefused as refused:
        return _render(project, problems=refused.problems, status=422)
    form.language.choices = language_options(plan.columns)
    valid = form.validate_on_submit() and form.language.data in {value for value, _label in form.language.choices}
    if not valid:
        if form.language.data not in {value for value, _label in form.language.choices}:
            form.language.errors = list(form.language.errors) + [_("Kies de taal van de teksten.")]
        return _preview(project, plan, form, file_name, status=422)
    if request.form.get("action") != "confirm":
        return _preview(project, plan, form, file_name)
    response = _import(project, plan.document, form.import_mode.data,
                       {"source": "file", "format": "xlsform", "left_out": len(plan.left_out)}, form)
    if plan.dutch_to_write and response.status_code == 303:
        flash(ngettext("De tekst van %(num)d vraag is nog niet in het Nederlands. Schrijf die tekst zelf.",
                       "De teksten van %(num)d vragen zijn nog niet in het Nederlands. Schrijf die teksten zelf.",
                       plan.dutch_to_write), "success")
    return response


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
