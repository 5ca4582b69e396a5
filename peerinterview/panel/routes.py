"""Samen bespreken: the panel sorts open answers into themes, picks quotes, answers the four
dialogue questions per theme and votes on recommendations; the facilitator presents.

Panel members and project staff sort and discuss; only staff approve quotes and move slides.
Every action is a plain form (POST, then a redirect); htmx only swaps the changed part."""
from flask import (
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select

from ..access import can, project_or_abort
from ..audit import record
from ..counting import tally
from ..extensions import db, htmx
from ..models import Recommendation, User
from ..models.panel import DIALOGUE_QUESTIONS, Quote, Theme
from ..open_answer_gate import readable_answer_ids
from ..refi_qda.codebook import CodebookError
from ..safe_redirect import local_path_or
from ..security.review import panel_waiting_count, untyped_recordings_count
from ..vocabulary import DIALOGUE_LABELS, PRIORITY_LABELS
from . import bp
from .codebook_import import CODEBOOK_ERRORS, codebook_from_upload
from .forms import (
    DIALOGUE_HINTS,
    QUOTE_STATUS_LABELS,
    CardForm,
    CloseMeetingForm,
    CodebookImportForm,
    FindingsForm,
    MeetingForm,
    MergeForm,
    PresentForm,
    QuoteDecisionForm,
    RecommendationForm,
    RenameForm,
    SplitForm,
    ThemeForm,
    UndoForm,
    VoteForm,
)
from .meeting import (
    answered_questions,
    close_meeting,
    meeting_agenda,
    meeting_steps,
    open_meeting,
)
from .presentation import (
    question_choices,
    slide_content,
    slide_keys,
    slide_titles,
    themes_to_show,
)
from .redaction import highlighted, suggest_redaction
from .services import (
    Conflict,
    add_card,
    add_recommendation,
    approved_quotes,
    board_page,
    board_version,
    cards_visible,
    create_theme,
    decide_quote,
    delete_recommendation,
    delete_theme,
    find_card,
    find_stored_card,
    findings_of,
    import_codebook,
    last_action,
    live_themes,
    may_remove_recommendation,
    merge_themes,
    presentation_state,
    project_quotes,
    propose_quote,
    quote_source_text,
    ranked_recommendations,
    remove_card,
    removed_recommendations,
    rename_theme,
    reopen_quote,
    restore_recommendation,
    save_finding,
    sees_theme_locations,
    show_slide,
    split_theme,
    theme_cards,
    theme_of,
    theme_overview,
    undo_last,
    vote,
)

SORTERS = ("panel", "staff")
CARDS_PER_PAGE = 40
SHOW_OPTIONS = ("all", "unsorted", "theme")


def _fragment_request() -> bool:
    return bool(htmx) and not htmx.boosted


def _sees_locations(project) -> bool:
    return sees_theme_locations(current_user.roles_in(project.id))


def _theme_or_404(project, theme_id):
    theme = theme_of(project.id, theme_id)
    if theme is None:
        abort(404)
    return theme


def _theme_name(theme_id) -> str:
    theme = db.session.get(Theme, theme_id) if theme_id else None
    return theme.name if theme is not None else _("(thema bestaat niet meer)")


def _card_words(project, payload) -> str:
    """The first words of the card an action moved, if it was one card the panel may read."""
    keys = payload.get("cards") or []
    if len(keys) != 1:
        return ""
    card = find_stored_card(project.id, keys[0])
    if card is None:
        return ""
    words = " ".join(card.text.split())
    return words if len(words) <= 60 else words[:57].rstrip() + "…"


def _action_text(project, action) -> str:
    """What undoing `action` takes back, in words that name the theme (and the card): the undo
    button never says less than what it will do."""
    payload = action.payload or {}
    name = _theme_name(payload.get("theme_id"))
    cards = len(payload.get("cards") or [])
    words = _card_words(project, payload)
    if action.kind == "create":
        return _("Thema '%(name)s' gemaakt", name=name)
    if action.kind == "rename":
        return _("Naam '%(old)s' veranderd in '%(new)s'", old=payload.get("old", ""), new=payload.get("new", ""))
    if action.kind in ("add", "remove"):
        if words:
            text = (_("Kaart in '%(name)s' gezet: “%(words)s”", name=name, words=words) if action.kind == "add"
                    else _("Kaart uit '%(name)s' gehaald: “%(words)s”", name=name, words=words))
        else:
            text = (_("Kaart in '%(name)s' gezet", name=name) if action.kind == "add"
                    else _("Kaart uit '%(name)s' gehaald", name=name))
        return text
    if action.kind == "merge":
        return _("'%(source)s' samengevoegd met '%(name)s'", source=_theme_name(payload.get("source_id")), name=name)
    if action.kind == "split":
        return ngettext("%(num)d kaart naar het nieuwe thema '%(name)s' gezet",
                        "%(num)d kaarten naar het nieuwe thema '%(name)s' gezet", cards, name=name)
    if action.kind == "delete":
        return _("Thema '%(name)s' weggegooid", name=name)
    if action.kind == "decide":
        return (_("Samen gekozen voor de kaart: “%(words)s”", words=words) if words
                else _("Samen gekozen voor een kaart"))
    return action.kind


def _undo_context(project) -> dict:
    """What 'Maak ongedaan' offers this person: their last action on the board, and its text."""
    action = last_action(project.id, current_user)
    return {"undo_action": action, "undo_text": _action_text(project, action) if action else None,
            "undo_form": UndoForm(formdata=None, action=action.id if action else None)}


# ---------------------------------------------------------------------------------------------
# The board: themes and cards

def _board_args():
    show = request.args.get("show", "all")
    if show not in SHOW_OPTIONS:
        show = "all"
    return request.args.get("theme", type=int), show, max(request.args.get("page", 1, type=int), 1)


def _board_context(project, active_id, show, page):
    # The version first: a board newer than its version is only fetched once more, but a
    # version newer than its board would hide a change until the next one.
    version = board_version(project.id)
    themes = live_themes(project.id)
    active = next((t for t in themes if t.id == active_id), None)
    visible = cards_visible(project)
    if visible:
        board = board_page(project.id, show=show, active_id=active.id if active else None, page=page,
                           per_page=CARDS_PER_PAGE)
        shown, counts, page, pages = board.cards, board.counts, board.page, board.pages
    else:
        shown, counts, page, pages = [], {"all": 0, "unsorted": 0, "theme": 0}, 1, 1
    summaries = {s.theme.id: s for s in theme_overview(project, themes, by_location=_sees_locations(project))}
    return {
        "project": project, "themes": themes, "summaries": summaries, "active": active, "show": show,
        "page": page, "pages": pages, "cards": shown, "counts": counts, "cards_visible": visible,
        "theme_names": {t.id: t.name for t in themes}, "version": version,
        "card_form": CardForm(), "quote_statuses": QUOTE_STATUS_LABELS,
        "import_form": CodebookImportForm() if not themes and can(project.id, "staff") else None,
        # The undo button sits in the board, so every swap of the board (a tap on a card, a
        # poll) brings it up to date: it is there after a tap and names the step it undoes.
        **_undo_context(project),
    }


@bp.get("/projects/<int:project_id>/themes")
def board(project_id):
    project = project_or_abort(project_id, *SORTERS)
    g.no_store = True
    active_id, show, page = _board_args()
    context = _board_context(project, active_id, show, page)
    if not _fragment_request():  # a tap that swaps the board is not a new read
        record("panel.cards_view", user=current_user, project_id=project.id)
        db.session.commit()
    return render_template("panel/board.html", theme_form=ThemeForm(),
                           waiting=panel_waiting_count(project),
                           untyped=untyped_recordings_count(project), steps=meeting_steps(project), **context)


@bp.get("/projects/<int:project_id>/themes/changes")
def board_changes(project_id):
    """Polled every few seconds. Unchanged: 204 (or 304 for a matching If-None-Match), which
    costs one primary-key read; changed: the board (or, on other pages, a notice)."""
    project = project_or_abort(project_id, *SORTERS)
    g.no_store = True
    version = board_version(project.id)
    etag = f'W/"board-{project.id}-{version}"'
    if request.headers.get("If-None-Match") == etag:
        response = make_response("", 304)
        response.headers["ETag"] = etag
        return response
    if request.args.get("since", type=int) == version:
        response = make_response("", 204)
        response.headers["ETag"] = etag
        return response
    if request.args.get("view") == "notice":
        here = local_path_or(request.args.get("here"), url_for("panel.board", project_id=project.id))
        response = make_response(render_template("panel/_changed_notice.html", here=here), 200)
    else:
        active_id, show, page = _board_args()
        board = render_block("panel/board.html", "board", **_board_context(project, active_id, show, page))
        response = make_response(board + render_template("panel/_board_status.html"), 200)
    response.headers["ETag"] = etag
    return response


@bp.post("/projects/<int:project_id>/themes")
def create_theme_view(project_id):
    project = project_or_abort(project_id, *SORTERS)
    form = ThemeForm()
    if not form.validate_on_submit():
        active_id, show, page = _board_args()
        context = _board_context(project, active_id, show, page)
        return render_template("panel/board.html", theme_form=form, steps=meeting_steps(project),
                               **context), 422
    theme = create_theme(project, form.name.data, by=current_user)
    db.session.commit()
    flash(_("Het thema '%(name)s' is gemaakt. Zet er nu kaarten in.", name=theme.name), "success")
    return redirect(url_for("panel.board", project_id=project.id, theme=theme.id, show="unsorted"), 303)


@bp.post("/projects/<int:project_id>/themes/import")
def import_codebook_view(project_id):
    """A codebook (.qdc) as the first themes: staff only, and only while there is no theme."""
    project = project_or_abort(project_id, "staff")
    form = CodebookImportForm()
    if live_themes(project.id):
        flash(_("Er zijn al thema's. Een codeboek kan alleen als er nog geen thema is."), "error")
        return redirect(url_for("panel.board", project_id=project.id), 303)
    if form.validate_on_submit():
        try:
            codes = codebook_from_upload(form.codebook.data)
        except CodebookError as error:
            form.codebook.errors.append(CODEBOOK_ERRORS[error.reason])
        else:
            themes = import_codebook(project, codes, by=current_user)
            db.session.commit()
            flash(ngettext("%(num)d thema uit het codeboek gehaald.", "%(num)d thema's uit het codeboek gehaald.",
                           len(themes)), "success")
            return redirect(url_for("panel.board", project_id=project.id), 303)
    context = _board_context(project, None, "all", 1)
    context["import_form"] = form
    return render_template("panel/board.html", theme_form=ThemeForm(), steps=meeting_steps(project),
                           waiting=panel_waiting_count(project), **context), 422


@bp.post("/projects/<int:project_id>/themes/undo")
def undo(project_id):
    project = project_or_abort(project_id, *SORTERS)
    form = UndoForm()
    back = _back(project, theme_of(project.id, request.args.get("theme", type=int) or 0))
    if not form.validate_on_submit():
        return redirect(back, 303)
    latest = last_action(project.id, current_user)
    if latest is not None and form.action.data is not None and form.action.data != latest.id:
        # The button named another step than the one that would be undone now: undo nothing.
        flash(_("Er is niets ongedaan gemaakt. Je laatste stap is nu: %(what)s. Wil je die ongedaan maken? "
                "Kies dan nog een keer 'Maak ongedaan'.", what=_action_text(project, latest)), "info")
        return redirect(back, 303)
    text = _action_text(project, latest) if latest is not None else None
    try:
        action = undo_last(project.id, by=current_user)
    except Conflict:
        db.session.commit()  # nothing changed but the undo being used up
        flash(_("Dit kan niet meer ongedaan. Iemand anders heeft het thema daarna veranderd."), "error")
    else:
        db.session.commit()
        if action is None:
            flash(_("Er is niets om ongedaan te maken."), "info")
        else:
            flash(_("Ongedaan gemaakt: %(what)s.", what=text), "success")
    return redirect(back, 303)


def _back(project, theme=None):
    """Back to where the form was: the board (keeping its choices) or the theme's page."""
    if request.args.get("back") == "theme" and theme is not None:
        return url_for("panel.theme", project_id=project.id, theme_id=theme.id)
    if request.args.get("round", type=int):  # undo from a round's comparison: back to it
        return url_for("panel.round_page", project_id=project.id, round_id=request.args.get("round", type=int))
    args = {k: request.args[k] for k in ("theme", "show", "page") if request.args.get(k)}
    return url_for("panel.board", project_id=project.id, **args)


def _after_card_action(project, theme):
    """A tap on a card's button with htmx gets the board in the same response, with its
    message: no redirect, so the message never waits in the session cookie, where a second
    quick tap (another request with its own copy of the cookie) could overwrite it. Without
    JavaScript, or from a theme's page: 303 back to where the form was."""
    if _fragment_request() and request.args.get("back") != "theme":
        return board(project.id)
    return redirect(_back(project, theme), 303)


def _card_or_422(project, form):
    if not form.validate_on_submit():
        return None
    return find_card(project.id, form.card.data)


def _card_gone(project, theme):
    flash(_("Deze kaart bestaat niet meer. Kies een andere kaart."), "error")
    return redirect(_back(project, theme), 303)


def _change_card(project_id, theme_id, change, changed_text: str, unchanged_text: str):
    """Put the posted card in the theme or take it out; the texts name the theme as %(name)s."""
    project = project_or_abort(project_id, *SORTERS)
    theme = _theme_or_404(project, theme_id)
    card = _card_or_422(project, CardForm())
    if card is None:
        return _card_gone(project, theme)
    changed = change(theme, card, by=current_user)
    db.session.commit()
    flash((changed_text if changed else unchanged_text) % {"name": theme.name}, "success")
    return _after_card_action(project, theme)


@bp.post("/projects/<int:project_id>/themes/<int:theme_id>/cards")
def add_card_view(project_id, theme_id):
    return _change_card(project_id, theme_id, add_card, _("De kaart staat nu in '%(name)s'."),
                        _("De kaart stond al in '%(name)s'."))


@bp.post("/projects/<int:project_id>/themes/<int:theme_id>/cards/remove")
def remove_card_view(project_id, theme_id):
    return _change_card(project_id, theme_id, remove_card, _("De kaart is uit '%(name)s' gehaald."),
                        _("De kaart stond al niet meer in '%(name)s'."))


# ---------------------------------------------------------------------------------------------
# One theme: its cards, counts, and rename / merge / split / delete

def _theme_page(project, theme, *, rename_form=None, merge_form=None, split_form=None, status=200,
                conflict_name=None):
    version = board_version(project.id)
    themes = live_themes(project.id)
    others = [t for t in themes if t.id != theme.id]
    merge_form = merge_form or MergeForm()
    merge_form.other.choices = [(t.id, t.name) for t in others]
    rename_form = rename_form or RenameForm(name=theme.name, description=theme.description,
                                            colour=theme.colour or "", version=theme.version)
    split_form = split_form or SplitForm()
    cards = theme_cards(theme) if cards_visible(project) else []
    summary = theme_overview(project, [theme], by_location=_sees_locations(project))[0]
    errors = next((f for f in (rename_form, merge_form, split_form) if f.errors), None)
    return render_template(
        "panel/theme.html", project=project, theme=theme, cards=cards, summary=summary, others=others,
        rename_form=rename_form, merge_form=merge_form, split_form=split_form, error_form=errors,
        card_form=CardForm(), quote_statuses=QUOTE_STATUS_LABELS, conflict_name=conflict_name,
        version=version, steps=meeting_steps(project), **_undo_context(project),
    ), status


@bp.get("/projects/<int:project_id>/themes/<int:theme_id>")
def theme(project_id, theme_id):
    project = project_or_abort(project_id, *SORTERS)
    g.no_store = True
    theme = _theme_or_404(project, theme_id)
    record("panel.cards_view", user=current_user, project_id=project.id, obj=theme)
    db.session.commit()
    return _theme_page(project, theme)


@bp.post("/projects/<int:project_id>/themes/<int:theme_id>/name")
def rename_theme_view(project_id, theme_id):
    project = project_or_abort(project_id, *SORTERS)
    theme = _theme_or_404(project, theme_id)
    form = RenameForm()
    if not form.validate_on_submit():
        return _theme_page(project, theme, rename_form=form, status=422)
    try:
        rename_theme(theme, form.name.data, version=form.version.data, by=current_user,
                     description=form.description.data or "", colour=form.colour.data or "")
    except Conflict as conflict:
        db.session.rollback()
        theme = _theme_or_404(project, theme_id)
        form = RenameForm(formdata=None, name=form.name.data, description=form.description.data,
                          colour=form.colour.data, version=theme.version)
        return _theme_page(project, theme, rename_form=form, status=409, conflict_name=conflict.current)
    db.session.commit()
    flash(_("Het thema '%(name)s' is opgeslagen.", name=theme.name), "success")
    return redirect(url_for("panel.theme", project_id=project.id, theme_id=theme.id), 303)


@bp.post("/projects/<int:project_id>/themes/<int:theme_id>/merge")
def merge_theme_view(project_id, theme_id):
    project = project_or_abort(project_id, *SORTERS)
    theme = _theme_or_404(project, theme_id)
    form = MergeForm()
    form.other.choices = [(t.id, t.name) for t in live_themes(project.id) if t.id != theme.id]
    valid = form.validate_on_submit()
    if valid and form.other.data not in {value for value, _label in form.other.choices}:
        form.other.errors = [_("Kies een ander thema.")]
        valid = False
    if not valid:
        return _theme_page(project, theme, merge_form=form, status=422)
    source = _theme_or_404(project, form.other.data)
    name = source.name
    merge_themes(theme, source, by=current_user)
    db.session.commit()
    flash(_("'%(source)s' is samengevoegd met '%(target)s'.", source=name, target=theme.name), "success")
    return redirect(url_for("panel.theme", project_id=project.id, theme_id=theme.id), 303)


@bp.post("/projects/<int:project_id>/themes/<int:theme_id>/split")
def split_theme_view(project_id, theme_id):
    project = project_or_abort(project_id, *SORTERS)
    theme = _theme_or_404(project, theme_id)
    form = SplitForm()
    cards = {c.key: c for c in theme_cards(theme)}
    form.cards.choices = [(key, key) for key in cards]
    if not form.validate_on_submit():
        return _theme_page(project, theme, split_form=form, status=422)
    new = split_theme(theme, [cards[key] for key in form.cards.data], form.name.data, by=current_user)
    db.session.commit()
    flash(ngettext("%(num)d kaart staat nu in het nieuwe thema '%(name)s'.",
                   "%(num)d kaarten staan nu in het nieuwe thema '%(name)s'.", len(form.cards.data), name=new.name),
          "success")
    return redirect(url_for("panel.theme", project_id=project.id, theme_id=new.id), 303)


@bp.post("/projects/<int:project_id>/themes/<int:theme_id>/delete")
def delete_theme_view(project_id, theme_id):
    project = project_or_abort(project_id, *SORTERS)
    theme = _theme_or_404(project, theme_id)
    delete_theme(theme, by=current_user)
    db.session.commit()
    flash(_("Het thema '%(name)s' is weggegooid. Vergissing? Kies dan 'Maak ongedaan'.", name=theme.name),
          "success")
    return redirect(url_for("panel.board", project_id=project.id), 303)


# ---------------------------------------------------------------------------------------------
# Quotes

@bp.post("/projects/<int:project_id>/quotes")
def propose_quote_view(project_id):
    project = project_or_abort(project_id, *SORTERS)
    form = CardForm()
    card = _card_or_422(project, form)
    theme = theme_of(project.id, request.args.get("theme", type=int) or 0)
    if card is None:
        return _card_gone(project, theme)
    propose_quote(project, card, by=current_user)
    db.session.commit()
    flash(_("De kaart is voorgesteld als citaat. Een begeleider kijkt ernaar."), "success")
    return _after_card_action(project, theme)


@bp.get("/projects/<int:project_id>/quotes")
def quotes(project_id):
    project = project_or_abort(project_id, *SORTERS)
    g.no_store = True
    record("panel.quotes_view", user=current_user, project_id=project.id)
    db.session.commit()
    return _quotes_page(project)


def _quotes_page(project, *, forms=None, status=200, conflict=None, kept_text=None):
    is_staff = can(project.id, "staff")
    quotes = {state: project_quotes(project.id, state) for state in ("proposed", "approved", "rejected")}
    # The panel sees a quote only while its answer may be read (open_answer_gate.py): an answer
    # that changed after its release waits for the check again. Staff, who decide, see them all.
    readable = readable_answer_ids(project, [q.answer_id for listed in quotes.values() for q in listed])
    if not is_staff:
        quotes = {state: [q for q in listed if q.answer_id in readable] for state, listed in quotes.items()}
    proposed = quotes["proposed"]
    forms = forms or {}
    for quote in proposed:
        if quote.id not in forms:
            forms[quote.id] = QuoteDecisionForm(prefix=f"q{quote.id}", formdata=None,
                                                text=quote_source_text(quote), version=quote.version)
    error_form = next((f for f in forms.values() if f.errors), None)
    return render_template(
        "panel/quotes.html", project=project, proposed=proposed, forms=forms, is_staff=is_staff,
        approved=quotes["approved"], rejected=quotes["rejected"], readable=readable,
        highlighted=highlighted, source_text=quote_source_text, error_form=error_form, conflict=conflict,
        kept_text=kept_text,
        steps=meeting_steps(project),
    ), status


def _quote_conflict(project, quote_id=None, text=None):
    """Someone else decided this quote meanwhile: the page as it is now, 409. The wording this
    person typed is not lost: still in the quote's box when the quote waits again (with the
    version it has now, so approving it is a choice made on this page), beside the message
    otherwise."""
    db.session.rollback()
    text = (text or "").strip()
    forms, kept = None, None
    quote = db.session.get(Quote, quote_id) if text else None
    if quote is not None and text != (quote_source_text(quote) or "").strip():  # typed, not as shown
        if quote.status == "proposed":
            forms = {quote.id: QuoteDecisionForm(prefix=f"q{quote.id}", formdata=None, text=text,
                                                 version=quote.version)}
        else:
            kept = text
    return _quotes_page(project, forms=forms, status=409, kept_text=kept, conflict=_(
        "Iemand anders heeft dit citaat net beoordeeld. Kijk hieronder hoe het nu staat."))


@bp.post("/projects/<int:project_id>/quotes/<int:quote_id>")
def decide_quote_view(project_id, quote_id):
    project = project_or_abort(project_id, "staff")
    quote = db.session.get(Quote, quote_id)
    if quote is None or quote.project_id != project.id:
        abort(404)
    form = QuoteDecisionForm(prefix=f"q{quote.id}")
    if not form.validate_on_submit():
        return _quotes_page(project, forms={quote.id: form}, status=422)
    if form.action.data == "suggest":
        # Fill the box with the text minus the highlighted details; nothing is saved yet.
        form.text.data = suggest_redaction(quote_source_text(quote))
        return _quotes_page(project, forms={quote.id: form})
    if form.action.data == "reopen":
        try:
            reopen_quote(quote, version=form.version.data, by=current_user)
        except Conflict:
            return _quote_conflict(project)
        db.session.commit()
        flash(_("Het citaat wacht weer op goedkeuring. Het komt niet in het rapport."), "success")
        return redirect(url_for("panel.quotes", project_id=project.id), 303)
    if form.action.data == "approve" and not (form.text.data or "").strip():
        form.text.errors = [_("Vul de tekst van het citaat in.")]
        return _quotes_page(project, forms={quote.id: form}, status=422)
    try:
        decide_quote(quote, approve=form.action.data == "approve", text=form.text.data,
                     version=form.version.data, by=current_user)
    except Conflict:
        return _quote_conflict(project, quote.id, form.text.data)
    db.session.commit()
    flash(_("Het citaat is goedgekeurd.") if form.action.data == "approve"
          else _("Het citaat is afgewezen. Vergissing? Kies 'Zet terug bij voorgesteld' onder Afgewezen."),
          "success")
    return redirect(url_for("panel.quotes", project_id=project.id), 303)


# ---------------------------------------------------------------------------------------------
# Discussing a theme: the four dialogue questions, and recommendations with votes

def _findings_form(theme, *, texts=None, versions=None, seen=None) -> FindingsForm:
    """The four boxes filled from what is stored, or with `texts` (what this person typed) and
    `versions` where given: a page shown again never replaces typed text by stored text."""
    findings = findings_of(theme.id)
    texts, versions = texts or {}, versions or {}
    data = {}
    for question in DIALOGUE_QUESTIONS:
        stored = findings.get(question)
        data[question] = {
            "text": texts.get(question, stored.text if stored else ""),
            "version": versions.get(question, stored.version if stored else 0),
        }
    return FindingsForm(formdata=None, data={**data, "seen": seen})


def _label_findings(form: FindingsForm) -> FindingsForm:
    for question in DIALOGUE_QUESTIONS:
        form[question].text.label.text = DIALOGUE_LABELS[question]
        form[question].text.description = DIALOGUE_HINTS[question]
    return form


class _FieldsWithErrors:
    """The four boxes as a flat list of fields, for the error summary (which lists fields)."""

    def __init__(self, *forms):
        self.fields = [field for form in forms for entry in form for field in
                       (entry if entry.type == "FormField" else [entry])]

    @property
    def errors(self):
        return [field.errors for field in self.fields if field.errors]

    def __iter__(self):
        return iter(self.fields)


def _discuss_page(project, theme, *, findings_form=None, recommendation_form=None, status=200, conflicts=None,
                  saved=()):
    version = board_version(project.id)
    findings = findings_of(theme.id)
    findings_form = _label_findings(findings_form or _findings_form(theme, seen=version))
    recommendation_form = recommendation_form or RecommendationForm()
    error_form = _FieldsWithErrors(findings_form, recommendation_form)
    is_staff = can(project.id, "staff")
    removed = removed_recommendations(theme.id)
    just_removed = next((r for r in removed if r.id == request.args.get("removed", type=int)), None)
    return render_template(
        "panel/discuss.html", project=project, theme=theme, findings=findings, findings_form=findings_form,
        labels=DIALOGUE_LABELS, hints=DIALOGUE_HINTS, questions=DIALOGUE_QUESTIONS, saved=set(saved),
        recommendation_form=recommendation_form, error_form=error_form if error_form.errors else None,
        conflicts=conflicts or {},
        ranked=ranked_recommendations(project.id, theme.id, user=current_user), priorities=PRIORITY_LABELS,
        quotes=approved_quotes(project.id, theme.id), summary=theme_overview(project, [theme], by_location=_sees_locations(project))[0],
        vote_form=VoteForm(), version=version, is_staff=is_staff, removed=removed, just_removed=just_removed,
        may_remove=lambda r: may_remove_recommendation(r, current_user, is_staff=is_staff),
        people=_names_of({r.deleted_by_id for r in removed}), steps=meeting_steps(project),
    ), status


def _names_of(user_ids) -> dict:
    ids = [i for i in user_ids if i]
    if not ids:
        return {}
    return {user.id: user.display_name for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


@bp.get("/projects/<int:project_id>/themes/<int:theme_id>/discuss")
def discuss(project_id, theme_id):
    project = project_or_abort(project_id, *SORTERS)
    g.no_store = True
    return _discuss_page(project, _theme_or_404(project, theme_id))


def _save_one(theme, question, entry) -> tuple[str, object]:
    """Save one box unless it says what is stored already. ("saved" | "same", the finding) or
    ("conflict", the stored finding): someone else saved this box after the writer started."""
    stored = findings_of(theme.id).get(question)
    text = (entry.text.data or "").strip()
    if text == ((stored.text if stored else "") or "").strip():
        return "same", stored
    try:
        return "saved", save_finding(theme, question, text, version=entry.version.data, by=current_user)
    except Conflict as conflict:
        return "conflict", conflict.current


@bp.post("/projects/<int:project_id>/themes/<int:theme_id>/findings")
def save_findings_view(project_id, theme_id):
    """'Alles opslaan': every box at once. A box someone else changed in between is not saved;
    its text stays in the box, with what the other person wrote above it."""
    project = project_or_abort(project_id, *SORTERS)
    theme = _theme_or_404(project, theme_id)
    form = FindingsForm()
    if not form.validate_on_submit():
        return _discuss_page(project, theme, findings_form=form, status=422)
    texts, versions, conflicts, saved = {}, {}, {}, []
    for question in DIALOGUE_QUESTIONS:
        entry = form[question]
        outcome, finding = _save_one(theme, question, entry)
        texts[question] = entry.text.data or ""
        versions[question] = finding.version if finding is not None else 0
        if outcome == "conflict":
            conflicts[question] = finding.text
        elif outcome == "saved":
            saved.append(question)
    db.session.commit()
    if conflicts:
        return _discuss_page(project, theme, findings_form=_findings_form(theme, texts=texts, versions=versions),
                             status=409, conflicts=conflicts, saved=saved)
    flash(_("Alles is opgeslagen.") if saved else _("Er was niets veranderd. Alles stond al opgeslagen."),
          "success")
    return redirect(url_for("panel.discuss", project_id=project.id, theme_id=theme.id, _anchor="findings"), 303)


@bp.post("/projects/<int:project_id>/themes/<int:theme_id>/findings/<dialogue>")
def save_finding_view(project_id, theme_id, dialogue):
    """One box saves itself while it is typed in (htmx). The answer is the box's save status
    (with the version to send next time), and the page's change poll moved past this save."""
    project = project_or_abort(project_id, *SORTERS)
    theme = _theme_or_404(project, theme_id)
    if dialogue not in DIALOGUE_QUESTIONS:
        abort(404)
    form = FindingsForm()
    form.validate_on_submit()
    if form.csrf_token.errors:
        abort(400)
    entry = form[dialogue]
    before = board_version(project.id)
    outcome, finding, conflict_text = "invalid", None, None
    if not entry.errors:
        outcome, finding = _save_one(theme, dialogue, entry)
        if outcome == "conflict":
            conflict_text = finding.text
    db.session.commit()
    if not _fragment_request():
        if outcome == "invalid":
            # The other boxes as stored (this request may carry this box only), this one as typed.
            shown = _findings_form(theme, texts={dialogue: entry.text.data or ""},
                                   versions={dialogue: entry.version.data or 0})
            shown[dialogue].text.errors = list(entry.text.errors)
            shown[dialogue].version.errors = list(entry.version.errors)
            return _discuss_page(project, theme, findings_form=shown, status=422)
        if outcome == "conflict":
            return _discuss_page(project, theme, status=409, conflicts={dialogue: conflict_text},
                                 findings_form=_findings_form(theme, texts={dialogue: entry.text.data or ""},
                                                              versions={dialogue: finding.version}))
        flash(_("Opgeslagen: %(question)s", question=DIALOGUE_LABELS[dialogue]), "success")
        return redirect(url_for("panel.discuss", project_id=project.id, theme_id=theme.id,
                                _anchor=f"finding-{dialogue}"), 303)
    after = board_version(project.id)
    # Only this save happened since the page knew the board: the poll need not announce it.
    seen = after if form.seen.data == before else form.seen.data
    version = finding.version if finding is not None else entry.version.data
    response = make_response(render_template(
        "panel/_finding_state.html", question=dialogue, version=version, outcome=outcome,
        errors=entry.text.errors, conflict_text=conflict_text, label=DIALOGUE_LABELS[dialogue],
        project=project, poll_version=seen, seen=seen,
        here_path=url_for("panel.discuss", project_id=project.id, theme_id=theme.id)), 200)
    response.headers["Vary"] = "HX-Request"
    return response


@bp.post("/projects/<int:project_id>/themes/<int:theme_id>/recommendations")
def add_recommendation_view(project_id, theme_id):
    project = project_or_abort(project_id, *SORTERS)
    theme = _theme_or_404(project, theme_id)
    form = RecommendationForm()
    if not form.validate_on_submit():
        return _discuss_page(project, theme, recommendation_form=form, status=422)
    add_recommendation(theme, form.text.data, by=current_user)
    db.session.commit()
    flash(_("De aanbeveling is toegevoegd. Stem nu hoe belangrijk die is."), "success")
    return redirect(url_for("panel.discuss", project_id=project.id, theme_id=theme.id,
                            _anchor="recommendations"), 303)


def _recommendation_or_404(project, recommendation_id, *, removed: bool | None = False) -> Recommendation:
    """A recommendation of a live theme of this project: a live one, one that was taken away
    (`removed=True`), or either (`removed=None`)."""
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None or theme_of(project.id, recommendation.theme_id) is None:
        abort(404)
    if removed is not None and (recommendation.deleted_at is not None) != removed:
        abort(404)
    return recommendation


@bp.post("/projects/<int:project_id>/recommendations/<int:recommendation_id>/vote")
def vote_view(project_id, recommendation_id):
    project = project_or_abort(project_id, *SORTERS)
    recommendation = _recommendation_or_404(project, recommendation_id)
    form = VoteForm()
    back = (url_for("panel.recommendations", project_id=project.id) if request.args.get("back") == "list"
            else url_for("panel.discuss", project_id=project.id, theme_id=recommendation.theme_id,
                         _anchor="recommendations"))
    if not form.validate_on_submit():
        flash(_("Kies hoe belangrijk het is."), "error")
        return redirect(back, 303)
    vote(recommendation, form.priority.data, by=current_user)
    db.session.commit()
    # The label is written for the middle of a sentence; after the colon it starts one.
    chosen = str(PRIORITY_LABELS[form.priority.data]).capitalize()
    flash(_("Je stem is opgeslagen: %(priority)s.", priority=chosen), "success")
    return redirect(back, 303)


def _may_remove_or_403(project, recommendation):
    if not may_remove_recommendation(recommendation, current_user, is_staff=can(project.id, "staff")):
        abort(403)


@bp.post("/projects/<int:project_id>/recommendations/<int:recommendation_id>/delete")
def delete_recommendation_view(project_id, recommendation_id):
    """The person who wrote it, or staff, may take a recommendation away. It is kept (with its
    votes) and can be put back; the page offers that right away."""
    project = project_or_abort(project_id, *SORTERS)
    recommendation = _recommendation_or_404(project, recommendation_id, removed=None)
    _may_remove_or_403(project, recommendation)
    if recommendation.deleted_at is not None:  # taken away already (a second tap)
        return redirect(url_for("panel.discuss", project_id=project.id, theme_id=recommendation.theme_id,
                                removed=recommendation.id, _anchor="recommendations"), 303)
    delete_recommendation(recommendation, by=current_user)
    db.session.commit()
    return redirect(url_for("panel.discuss", project_id=project.id, theme_id=recommendation.theme_id,
                            removed=recommendation.id, _anchor="recommendations"), 303)


@bp.post("/projects/<int:project_id>/recommendations/<int:recommendation_id>/restore")
def restore_recommendation_view(project_id, recommendation_id):
    project = project_or_abort(project_id, *SORTERS)
    recommendation = _recommendation_or_404(project, recommendation_id, removed=None)
    _may_remove_or_403(project, recommendation)
    if recommendation.deleted_at is None:
        abort(404)
    restore_recommendation(recommendation, by=current_user)
    db.session.commit()
    flash(_("De aanbeveling staat er weer, met haar stemmen."), "success")
    return redirect(url_for("panel.discuss", project_id=project.id, theme_id=recommendation.theme_id,
                            _anchor="recommendations"), 303)


@bp.get("/projects/<int:project_id>/themes/overview")
def overview(project_id):
    """The themes to discuss, each with a clear 'Bespreek dit thema'. Empty themes are not in it
    (the page says how many there are and where to find them)."""
    project = project_or_abort(project_id, *SORTERS)
    g.no_store = True
    version = board_version(project.id)
    themes = live_themes(project.id)
    shown = themes_to_show(project)
    summaries = theme_overview(project, shown, by_location=_sees_locations(project)) if shown else []
    agenda = meeting_agenda(project.id)
    return render_template("panel/overview.html", project=project, summaries=summaries, tally=tally(project),
                           empty=len(themes) - len(shown), answered=answered_questions([t.id for t in shown]),
                           total_questions=len(DIALOGUE_QUESTIONS), version=version,
                           on_agenda=set(agenda.get("themes", [])) if agenda else None,
                           steps=meeting_steps(project))


@bp.get("/projects/<int:project_id>/recommendations")
def recommendations(project_id):
    project = project_or_abort(project_id, *SORTERS)
    g.no_store = True
    version = board_version(project.id)
    themes = {t.id: t for t in live_themes(project.id)}
    return render_template("panel/recommendations.html", project=project, themes=themes,
                           ranked=ranked_recommendations(project.id, user=current_user),
                           priorities=PRIORITY_LABELS, vote_form=VoteForm(), version=version,
                           steps=meeting_steps(project))


# ---------------------------------------------------------------------------------------------
# Presentation mode

def _present_context(project):
    slide, slide_version = presentation_state(project.id)
    titles = slide_titles(project)
    keys = [key for key, _title in titles]
    if slide not in keys:
        slide = keys[0]
    index = keys.index(slide)
    return {
        "project": project, "slide": slide_content(project, slide), "slide_key": slide,
        "slide_version": slide_version, "number": index + 1, "total": len(keys),
        "previous": keys[index - 1] if index > 0 else None,
        "next": keys[index + 1] if index + 1 < len(keys) else None,
        "titles": titles, "is_facilitator": can(project.id, "staff"), "present_form": PresentForm(),
        "labels": DIALOGUE_LABELS, "priorities": PRIORITY_LABELS, "agenda": meeting_agenda(project.id),
    }


def _meeting_form(project, form=None) -> MeetingForm:
    form = form or MeetingForm(formdata=None)
    themes = themes_to_show(project)
    form.themes.choices = [(t.id, t.name) for t in themes]
    form.questions.choices = question_choices(project)
    if form.themes.data is None:
        form.themes.data = [t.id for t in themes]
    if form.questions.data is None:
        form.questions.data = []
    return form


@bp.get("/projects/<int:project_id>/present")
def present(project_id):
    project = project_or_abort(project_id, *SORTERS)
    g.no_store = True
    return render_template("panel/present.html", meeting_form=_meeting_form(project),
                           close_form=CloseMeetingForm(), **_present_context(project))


@bp.post("/projects/<int:project_id>/meeting")
def open_meeting_view(project_id):
    """The facilitator opens today's meeting: the tablets that follow go through its agenda."""
    project = project_or_abort(project_id, "staff")
    form = _meeting_form(project, MeetingForm())
    if form.validate_on_submit():
        themes = [i for i in form.themes.data if i in {value for value, _label in form.themes.choices}]
        questions = [k for k in form.questions.data if k in {value for value, _label in form.questions.choices}]
        if not themes and not questions:
            form.themes.errors = [_("Kies minstens één thema of één vraag.")]
        else:
            open_meeting(project.id, themes=themes, questions=questions, first_slide="start", by=current_user)
            db.session.commit()
            flash(_("De bijeenkomst is open. Alle tablets volgen nu dit scherm."), "success")
            return redirect(url_for("panel.present", project_id=project.id), 303)
    return render_template("panel/present.html", meeting_form=form, close_form=CloseMeetingForm(), form=form,
                           **_present_context(project)), 422


@bp.post("/projects/<int:project_id>/meeting/close")
def close_meeting_view(project_id):
    project = project_or_abort(project_id, "staff")
    form = CloseMeetingForm()
    if form.validate_on_submit():
        close_meeting(project.id, by=current_user, attendees=form.attendees.data)
        db.session.commit()
        flash(_("De bijeenkomst is gesloten. De dia's laten weer alles zien."), "success")
    elif form.errors.keys() - {"csrf_token"}:
        return render_template("panel/present.html", meeting_form=_meeting_form(project), close_form=form, form=form,
                               **_present_context(project)), 422
    return redirect(url_for("panel.present", project_id=project.id), 303)


@bp.get("/projects/<int:project_id>/present/slide")
def present_slide(project_id):
    """Polled by the tablets that follow: 204 while the slide stays the same."""
    project = project_or_abort(project_id, *SORTERS)
    g.no_store = True
    _slide, slide_version = presentation_state(project.id)
    if request.args.get("v", type=int) == slide_version:
        return make_response("", 204)
    return render_block("panel/present.html", "slide", **_present_context(project))


@bp.post("/projects/<int:project_id>/present")
def present_move(project_id):
    project = project_or_abort(project_id, "staff")
    form = PresentForm()
    if not form.validate_on_submit() or form.slide.data not in slide_keys(project):
        flash(_("Deze dia staat niet op de agenda van vandaag. Kies een andere.")
              if meeting_agenda(project.id) is not None and form.slide.data
              else _("Deze dia bestaat niet meer. Kies een andere."), "error")
        return redirect(url_for("panel.present", project_id=project.id), 303)
    show_slide(project.id, form.slide.data, by=current_user)
    db.session.commit()
    return redirect(url_for("panel.present", project_id=project.id), 303)
