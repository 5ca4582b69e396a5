
from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can, project_or_abort
from ..audit import record
from ..counting import tally
from ..downloads import file_response, pdf_response, project_slug
from ..extensions import db, htmx
from ..panel.services import live_themes
from ..plainlanguage import check
from ..plainlanguage.a2 import check_a2
from ..vocabulary import A2_FLAG_KINDS, B1_FLAG_KINDS, B1_LABELS, REVIEW_STATE_LABELS
from . import bp, exports, refi_export
from . import pdf as pdf_module
from .context import report_context, summary_context
from .forms import ReportTextsForm
from .services import (
    TEXT_FIELDS,
    easy_read_blocks,
    merge_report_texts,
    report_fingerprint,
    report_texts,
    save_report_texts,
)

REPORT_ROLES = ("staff", "panel")


# ---------------------------------------------------------------------------------------------
# The report

@bp.get("/projects/<int:project_id>/report")
def show(project_id):
    project = project_or_abort(project_id, *REPORT_ROLES)
    return render_template("report/show.html", pdf=False, is_staff=can(project.id, "staff"),
                           **report_context(project))


EASY_READ = "easy_read"


def _advice(name: str, text: str):
    """The easy-read text gets the stricter A2 advice per line; every other text the B1 advice."""
    return check_a2(text) if name == EASY_READ else check(text)


@bp.route("/projects/<int:project_id>/report/texts", methods=["GET", "POST"])
def edit_texts(project_id):
    project = project_or_abort(project_id, *REPORT_ROLES)
    texts = report_texts(project)
    form = ReportTextsForm(obj=texts)
    if request.method == "GET":
        form.seen.data = report_fingerprint(texts)
    status = 200
    others = {}
    if form.validate_on_submit():
        if form.advice_for.data in TEXT_FIELDS and htmx and not htmx.boosted:
            name = form.advice_for.data
            return render_template("report/_advice.html", name=name, text=getattr(form, name).data or "",
                                   advice=_advice(name, getattr(form, name).data or ""), b1_labels=B1_LABELS,
                                   b1_kinds=B1_FLAG_KINDS, a2_kinds=A2_FLAG_KINDS,
                                   label=getattr(form, name).label.text)
        if form.save.data or not form.check.data:
            to_write, others = merge_report_texts(project, form.seen.data, {
                name: getattr(form, name).data for name in TEXT_FIELDS})
            if not others:
                changed = save_report_texts(project, by=current_user, **to_write)
                db.session.commit()
                flash(_("De teksten zijn opgeslagen.") if changed else _("Er was niets veranderd."), "success")
                return redirect(url_for("report.edit_texts", project_id=project.id), code=303)
            # Someone else changed a text this person changed too: nothing is saved. The page
            # comes back with this person's texts, the other's text beside each conflict, and
            # the stored texts as its new starting point (so saving again is a choice made here).
            for name in TEXT_FIELDS:
                if name in others:
                    getattr(form, name).errors = [_("Iemand anders heeft deze tekst net ook veranderd. "
                                                    "Jouw tekst is nog niet opgeslagen: hij staat hieronder. "
                                                    "Maak er één tekst van en sla hem opnieuw op.")]
                elif name not in to_write:
                    getattr(form, name).data = getattr(texts, name)  # the other's change, not undone
            form.seen.data = report_fingerprint(texts)
            status = 409
    elif form.errors:
        status = 422
    advice = {name: _advice(name, getattr(form, name).data or "") for name in TEXT_FIELDS}
    return render_template("report/edit_texts.html", project=project, form=form, advice=advice, others=others,
                           b1_labels=B1_LABELS, b1_kinds=B1_FLAG_KINDS, a2_kinds=A2_FLAG_KINDS), status


@bp.get("/projects/<int:project_id>/report.pdf")
def pdf(project_id):
    project = project_or_abort(project_id, *REPORT_ROLES)
    return pdf_response(project, pdf_module.report_pdf, "report.pdf", f"rapport-{project_slug(project)}.pdf")


@bp.get("/projects/<int:project_id>/report/summary")
def summary(project_id):
    project = project_or_abort(project_id, *REPORT_ROLES)
    return render_template("report/summary.html", pdf=False, **summary_context(project))


@bp.get("/projects/<int:project_id>/report/summary.pdf")
def summary_pdf(project_id):
    project = project_or_abort(project_id, *REPORT_ROLES)
    return pdf_response(project, pdf_module.summary_pdf, "report.summary_pdf",
                         f"dit-hebben-we-gehoord-{project_slug(project)}.pdf")


@bp.get("/projects/<int:project_id>/report/easy-read")
def easy_read(project_id):
    project = project_or_abort(project_id, *REPORT_ROLES)
    texts = report_texts(project)
    return render_template("report/easy_read.html", project=project, title=texts.title or project.name,
                           blocks=easy_read_blocks(texts.easy_read), pdf=False)


@bp.get("/projects/<int:project_id>/report/easy-read.pdf")
def easy_read_pdf(project_id):
    project = project_or_abort(project_id, *REPORT_ROLES)
    if not easy_read_blocks(report_texts(project).easy_read):
        # Nothing written yet: the page says so and links to where it is written.
        return redirect(url_for("report.easy_read", project_id=project.id), code=303)
    return pdf_response(project, pdf_module.easy_read_pdf, "report.easy_read_pdf",
                        f"makkelijk-lezen-{project_slug(project)}.pdf")


# ---------------------------------------------------------------------------------------------
# Exports: staff only, each one logged (what and how many rows, never content)

def export_labels() -> dict[str, str]:
    return {
        "respondent": _("Code van de deelnemer"), "location": _("Locatie"), "version": _("Versie van de vragenlijst"),
        "debrief_mood": _("Terugblik: hoe ging het"), "debrief_note": _("Terugblik: notitie"),
        "note": _("Uitleg bij: %(question)s"), "chosen": _("Gekozen"), "not_chosen": _("Niet gekozen"),
        "missing_dont_know": _("Weet ik niet"), "missing_refuse": _("Wil ik niet zeggen"),
        "missing_not_asked": _("Niet gevraagd"),
        "empty_means": _("Leeg: geen antwoord gegeven"),
        "values_number": _("Een heel getal"), "values_text": _("Tekst"),
        "kind_single": _("Eén keuze"), "kind_multi": _("Meer keuzes (0 = niet gekozen, 1 = gekozen)"),
        "kind_scale3": _("Schaal van 3"), "kind_scale5": _("Schaal van 5"), "kind_yesno": _("Ja of nee"),
        "kind_number": _("Getal"), "kind_open": _("Open antwoord"), "kind_note": _("Uitleg"),
        "kind_respondent": _("Code"), "kind_location": _("Locatie"), "kind_version": _("Versie"),
        "kind_debrief": _("Terugblik"),
        "h_name": _("Variabele"), "h_key": _("Vraagcode"), "h_label": _("Vraag"), "h_kind": _("Soort"),
        "h_values": _("Waarden"), "h_missing": _("Ontbrekend"), "h_empty": _("Leeg"),
        "h_text": _("Tekst"), "h_themes": _("Thema's"),
        "h_when": _("Wanneer"), "h_who": _("Door wie"), "h_old": _("Was"), "h_new": _("Werd"), "h_reason": _("Waarom"),
        "by_interviewer": _("De interviewer"), "by_redaction": _("Begeleider: herkenbare gegevens weggehaald"),
        "not_kept": _("Niet bewaard"), "left_out": _("Weggelaten"),
        "review": _("Nakijken"), "kind_review": _("Nakijken"),
        **{"review_" + state: str(label) for state, label in REVIEW_STATE_LABELS.items()},
        "counts": _("Telt mee in de uitkomsten"), "kind_counts": _("Telt mee"),
        "counts_yes": _("Ja"), "counts_no": _("Nee"),
    }


def _missing_labels(labels):
    return {state: labels["missing_" + state] for state in exports.MISSING_CODES}


EXPORTS = ("data.csv", "data.xlsx", "data.sav", "codebook.xlsx", "codebook.csv", "open-answers.csv",
           "open-answers.xlsx", "answer-changes.csv")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/projects/<int:project_id>/exports")
def exports_page(project_id):
    project = project_or_abort(project_id, "staff")
    return render_template("report/exports.html", project=project, codes=exports.MISSING_CODES,
                           review_codes=exports.REVIEW_CODES, review_labels=REVIEW_STATE_LABELS,
                           has_themes=bool(live_themes(project.id)), tally=tally(project))


@bp.get("/projects/<int:project_id>/exports/<name>")
def download(project_id, name):
    project = project_or_abort(project_id, "staff")
    if name not in EXPORTS:
        abort(404)
    include_open = request.args.get("leave_out") != "1"
    # Every completed interview, with its review state, instead of only those that count.
    everything = request.args.get("interviews") == "all"
    what, fmt = name.rsplit(".", 1)
    data, rows, include_open = _export_file(project, what, fmt, include_open=include_open, everything=everything)
    detail = {"file": name, "open_answers": include_open, "interviews": "all" if everything else "counted"}
    if rows is not None:
        detail["rows"] = rows
    record("export." + what.replace("-", "_"), user=current_user, project_id=project.id, obj=project, **detail)
    db.session.commit()
    mimetype = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE, "sav": "application/x-spss-sav"}[fmt]
    suffix = ("" if include_open else "-zonder-open-antwoorden") + ("-alle-interviews" if everything else "")
    return file_response(data, f"{project_slug(project)}-{what}{suffix}.{fmt}", mimetype)


def _export_file(project, what: str, fmt: str, *, include_open: bool, everything: bool):
    """(the file's bytes, its number of rows or None, whether open answers are in it)."""
    labels = export_labels()
    if what == "data":
        dataset = exports.build_dataset(project, labels, include_open=include_open, everything=everything)
        if fmt == "csv":
            return exports.to_csv(exports.data_table(dataset)), len(dataset.rows), include_open
        if fmt == "sav":
            return exports.to_sav(dataset, project.name, _missing_labels(labels)), len(dataset.rows), include_open
        sheets = [(_("Gegevens"), exports.data_table(dataset)), (_("Codeboek"), exports.codebook_table(dataset, labels))]
        if request.args.get("history") == "1":
            sheets.append((_("Veranderde antwoorden"), exports.answer_changes_table(
                project, labels, include_open=include_open, everything=everything)))
        return exports.to_xlsx(sheets), len(dataset.rows), include_open
    if what == "answer-changes":
        table = exports.answer_changes_table(project, labels, include_open=include_open, everything=everything)
        return exports.to_csv(table), len(table.rows), include_open
    if what == "codebook":
        table = exports.codebook_table(exports.questionnaire_variables(project, labels, include_open=include_open),
                                       labels)
        return (exports.to_csv(table) if fmt == "csv" else exports.to_xlsx([(_("Codeboek"), table)])), None, include_open
    table = exports.open_answers_table(project, labels, everything=everything)
    data = exports.to_csv(table) if fmt == "csv" else exports.to_xlsx([(_("Open antwoorden"), table)])
    return data, len(table.rows), True


# ---------------------------------------------------------------------------------------------
# REFI-QDA: the project for ATLAS.ti, MAXQDA, NVivo, QualCoder …, and the themes as a codebook

REFI_FILES = {"project.qdpx": ("export.refi_project", "application/zip"),
              "codebook.qdc": ("export.refi_codebook", "application/xml")}


def refi_labels() -> dict[str, str]:
    """The words in a REFI-QDA file, in the language of the page it is downloaded from."""
    return {
        **export_labels(),
        "user_staff": _("Begeleider %(num)d"), "user_panel": _("Panellid %(num)d"),
        "case": _("Deelnemer %(num)d"), "source": _("%(case)s, tekst %(num)d"),
        "answer_about": _("Antwoord op: %(question)s"), "note_about": _("Uitleg bij: %(question)s"),
        "quote": _("Citaat"),
        "quote_about": _("Goedgekeurd citaat. De tekst kan korter of anders zijn, zodat niemand te herkennen is."),
        "project_about": _("Uit PeerInterview: de open antwoorden die het panel mag lezen, met de thema's. "
                           "Bij de deelnemers staan alleen antwoorden die minstens %(min)d mensen delen."),
        "left_out": _("Weggelaten, omdat een groep anders te klein is: %(names)s."),
    }


@bp.get("/projects/<int:project_id>/exports/refi-qda/<refi_file>")
def refi_download(project_id, refi_file):
    project = project_or_abort(project_id, "staff")
    if refi_file not in REFI_FILES:
        abort(404)
    action, mimetype = REFI_FILES[refi_file]
    if refi_file == "codebook.qdc":
        data = refi_export.refi_codebook(project)
        if data is None:
            flash(_("Er zijn nog geen thema's. Het codeboek kan pas als er een thema is."), "info")
            return redirect(url_for("report.exports_page", project_id=project.id), code=303)
        detail = {"file": refi_file}
    else:
        data, detail = refi_export.refi_project(project, refi_labels())
        detail["file"] = refi_file
    record(action, user=current_user, project_id=project.id, obj=project, **detail)
    db.session.commit()
    return file_response(data, f"{project_slug(project)}.{refi_file.rsplit('.', 1)[1]}", mimetype)
