"""Sorting "ieder apart": staff start a round on a set of cards for two or more members; each
member sorts the cards on their own page; once all are done, the panel compares card by card
and decides together. Nobody sees another member's choices before everyone is done: the round's
page shows a member only their own choices, and the comparison is not there until then. Staff
may close a round early (the members who finished are compared) or stop it, each after a
confirmation page."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can, project_or_abort
from ..audit import record
from ..extensions import db
from . import bp
from .forms import CloseRoundForm, DecisionForm, FinishRoundForm, RoundCardForm, StartRoundForm, StopRoundForm
from .meeting import meeting_steps
from .routes import _undo_context
from .rounds import (
    COMPARE_PER_PAGE,
    ROUND_SIZE,
    ROUND_SORTERS,
    SORT_PER_PAGE,
    RoundEnded,
    TooFewFinished,
    card_sets,
    close_round,
    compare,
    compared_members,
    decide,
    finish,
    finished_members,
    is_compared,
    is_open,
    left_out_members,
    member_of,
    own_choices,
    page_of,
    page_with,
    project_rounds,
    round_cards,
    round_members_to_choose,
    round_of,
    sort_in_round,
    sorted_count,
    start_round,
    stop_round,
)
from .services import Conflict, cards_visible, find_card, live_themes, theme_of


def _set_label(key: str, question: str | None, count: int) -> str:
    if key == "unsorted":
        return _("De kaarten die nog in geen thema staan (%(num)d)", num=count)
    if key == "all":
        return _("Alle kaarten (%(num)d)", num=count)
    return _("De antwoorden op: %(question)s (%(num)d)", question=question, num=count)


def _round_name(key: str, question: str | None, cards: list, chosen: list, first: int) -> str:
    """Which cards, in words; with the part of the set when the round holds only some of them."""
    name = question or _set_label(key, None, len(cards))
    if len(chosen) == len(cards):
        return name
    return _("%(name)s: kaart %(first)d tot en met %(last)d", name=name, first=first, last=first + len(chosen) - 1)


def _start_form(project, form=None) -> tuple[StartRoundForm, dict]:
    form = form or StartRoundForm(formdata=None)
    sets = {key: (question, cards) for key, question, cards in card_sets(project.id)}
    form.cards.choices = [(key, _set_label(key, q, len(c))) for key, (q, c) in sets.items()]
    form.members.choices = [(u.id, u.display_name) for u in round_members_to_choose(project.id)]
    return form, sets


def _rounds_page(project, form=None, status=200):
    form, _sets = _start_form(project, form) if can(project.id, "staff") else (None, None)
    rounds = project_rounds(project.id)
    return render_template("panel/rounds.html", project=project, rounds=rounds, start_form=form,
                           is_compared=is_compared, member_of=member_of, cards_visible=cards_visible(project),
                           steps=meeting_steps(project)), status


@bp.get("/projects/<int:project_id>/rounds")
def rounds(project_id):
    project = project_or_abort(project_id, *ROUND_SORTERS)
    return _rounds_page(project)


@bp.post("/projects/<int:project_id>/rounds")
def start_round_view(project_id):
    project = project_or_abort(project_id, "staff")
    form, sets = _start_form(project, StartRoundForm())
    if form.validate_on_submit():
        allowed = {u.id: u for u in round_members_to_choose(project.id)}
        members = [allowed[i] for i in form.members.data or [] if i in allowed]
        if form.cards.data not in sets or not cards_visible(project):
            form.cards.errors.append(_("Kies welke kaarten ieder apart sorteert."))
        elif len(members) < 2:
            form.members.errors.append(_("Kies twee mensen of meer. Dan kun je hun keuzes vergelijken."))
        elif (form.first.data or 1) > len(sets[form.cards.data][1]):
            form.first.errors.append(_("Er zijn maar %(num)d kaarten. Kies een lager nummer.",
                                       num=len(sets[form.cards.data][1])))
        else:
            question, cards = sets[form.cards.data]
            first = form.first.data or 1
            chosen = cards[first - 1:first - 1 + (form.size.data or ROUND_SIZE)]
            name = _round_name(form.cards.data, question, cards, chosen, first)
            round_ = start_round(project, name, chosen, members, by=current_user)
            db.session.commit()
            flash(_("Ieder sorteert nu apart. Niemand ziet de keuzes van de anderen tot iedereen klaar is."),
                  "success")
            return redirect(url_for("panel.round_page", project_id=project.id, round_id=round_.id), 303)
    return _rounds_page(project, form, 422)


def _round_or_404(project, round_id):
    round_ = round_of(project.id, round_id)
    if round_ is None:
        abort(404)
    return round_


def _sort_context(round_, page: int) -> dict:
    cards = round_cards(round_)
    mine = own_choices(round_, current_user.id)
    return {"cards_page": page_of(cards, page, SORT_PER_PAGE), "mine": mine,
            "sorted_count": sorted_count(round_, cards, mine), "card_total": len(cards)}


def _compare_context(project, round_, page: int):
    all_rows, agreement = compare(round_)
    rows_page = page_of(all_rows, page, COMPARE_PER_PAGE)
    rows = rows_page.items
    forms = {row.card.key: DecisionForm(formdata=None, card=row.card.key,
                                        version=row.decision.version if row.decision else 0,
                                        themes=row.decision.theme_ids if row.decision else
                                        sorted(set.intersection(*[s for _n, s in row.choices]) if row.choices else []))
             for row in rows}
    themes = live_themes(project.id)
    for form in forms.values():
        form.themes.choices = [(t.id, t.name) for t in themes]
    return {"rows": rows, "rows_page": rows_page, "agreement": agreement, "decision_forms": forms,
            "compared_members": compared_members(round_), "left_out": left_out_members(round_),
            "show_alpha": can(project.id, "staff"),
            "alpha_text": (format_decimal(agreement.alpha, format="0.00") if agreement.alpha is not None
                           else _("niet te berekenen")),
            **_undo_context(project)}


@bp.get("/projects/<int:project_id>/rounds/<int:round_id>")
def round_page(project_id, round_id):
    project = project_or_abort(project_id, *ROUND_SORTERS)
    round_ = _round_or_404(project, round_id)
    g.no_store = True
    member = member_of(round_, current_user)
    themes = live_themes(project.id)
    page = request.args.get("page", 1, type=int)
    context = {"project": project, "round": round_, "member": member, "themes": themes,
               "theme_names": {t.id: t.name for t in themes}, "compared": is_compared(round_),
               "is_open": is_open(round_),
               "is_staff": can(project.id, "staff"), "per_page": SORT_PER_PAGE,
               "compare_per_page": COMPARE_PER_PAGE,
               "steps": meeting_steps(project), "finish_form": FinishRoundForm()}
    if context["compared"]:
        context.update(_compare_context(project, round_, page))
    elif context["is_open"] and member is not None and member.done_at is None:
        context.update(_sort_context(round_, page))
    record("panel.round_view", user=current_user, project_id=project.id, obj=round_)
    db.session.commit()
    return render_template("panel/round.html", **context)


def _member_or_403(round_):
    member = member_of(round_, current_user)
    if member is None:
        abort(403)
    return member


@bp.post("/projects/<int:project_id>/rounds/<int:round_id>/cards")
def round_card_view(project_id, round_id):
    project = project_or_abort(project_id, *ROUND_SORTERS)
    round_ = _round_or_404(project, round_id)
    member = _member_or_403(round_)
    back = url_for("panel.round_page", project_id=project.id, round_id=round_.id)
    form = RoundCardForm()
    card = find_card(project.id, form.card.data) if form.validate_on_submit() else None
    theme = theme_of(project.id, form.theme.data or 0) if card is not None else None
    if card is None or theme is None or card.stored_key not in (round_.cards or []):
        flash(_("Deze kaart of dit thema bestaat niet meer. Kies een andere."), "error")
        return redirect(back, 303)
    try:
        sort_in_round(round_, member, theme, card, add=form.action.data == "add")
    except RoundEnded:
        flash(_("Deze ronde is al afgesloten. Je keuzes veranderen niet meer."), "error")
        return redirect(back, 303)
    except Conflict:
        flash(_("Je was al klaar. Je keuzes veranderen niet meer."), "error")
        return redirect(back, 303)
    db.session.commit()
    # Back to the page with this card, at this card: the member keeps their place.
    back = url_for("panel.round_page", project_id=project.id, round_id=round_.id,
                   page=page_with(round_cards(round_), card.key, SORT_PER_PAGE))
    text = (_("Jouw keuze: de kaart staat in '%(name)s'.", name=theme.name) if form.action.data == "add"
            else _("Jouw keuze: de kaart staat niet meer in '%(name)s'.", name=theme.name))
    flash(text, "success")
    return redirect(f"{back}#card-{card.key}", 303)


@bp.post("/projects/<int:project_id>/rounds/<int:round_id>/done")
def finish_round_view(project_id, round_id):
    project = project_or_abort(project_id, *ROUND_SORTERS)
    round_ = _round_or_404(project, round_id)
    member = _member_or_403(round_)
    if FinishRoundForm().validate_on_submit():
        try:
            finish(round_, member, by=current_user)
        except RoundEnded:
            db.session.rollback()
            flash(_("Deze ronde is al afgesloten. Je keuzes tellen niet meer mee."), "error")
            return redirect(url_for("panel.round_page", project_id=project.id, round_id=round_.id), 303)
        db.session.commit()
        flash(_("Je bent klaar. Als iedereen klaar is, zien jullie waar jullie het eens zijn."), "success")
    return redirect(url_for("panel.round_page", project_id=project.id, round_id=round_.id), 303)


@bp.post("/projects/<int:project_id>/rounds/<int:round_id>/decide")
def decide_card_view(project_id, round_id):
    project = project_or_abort(project_id, *ROUND_SORTERS)
    round_ = _round_or_404(project, round_id)
    back = url_for("panel.round_page", project_id=project.id, round_id=round_.id)
    if round_.stopped_at is not None:
        flash(_("Deze ronde is gestopt. Jullie kiezen hier niet meer samen."), "error")
        return redirect(back, 303)
    if not is_compared(round_):
        flash(_("Nog niet iedereen is klaar. Daarna kunnen jullie samen kiezen."), "error")
        return redirect(back, 303)
    form = DecisionForm()
    card = find_card(project.id, form.card.data) if form.validate_on_submit() else None
    if card is None or card.stored_key not in (round_.cards or []):
        flash(_("Deze kaart bestaat niet meer. Kies een andere kaart."), "error")
        return redirect(back, 303)
    back = url_for("panel.round_page", project_id=project.id, round_id=round_.id,
                   page=page_with(round_cards(round_), card.key, COMPARE_PER_PAGE))
    live = {t.id: t for t in live_themes(project.id)}
    themes = [live[i] for i in dict.fromkeys(form.themes.data or []) if i in live]
    try:
        decide(round_, card, themes, version=form.version.data, by=current_user)
    except Conflict:
        db.session.rollback()
        flash(_("Iemand anders heeft net over deze kaart gekozen. Kijk wat er nu staat en kies opnieuw."), "error")
        return redirect(f"{back}#card-{card.key}", 303)
    db.session.commit()
    names = ", ".join(sorted(t.name for t in themes)) or _("geen thema")
    flash(_("Jullie keuze staat op het bord: %(names)s.", names=names), "success")
    return redirect(f"{back}#card-{card.key}", 303)


# ---------------------------------------------------------------------------------------------
# Staff end a round: close it early (compare who finished) or stop it

def _already_ended(project, round_):
    """Closing or stopping a round that was closed or stopped already: back to the round."""
    back = url_for("panel.round_page", project_id=project.id, round_id=round_.id)
    db.session.rollback()
    flash(_("Deze ronde is al afgesloten of gestopt."), "error")
    return redirect(back, 303)


def _end_page(project, round_, action: str, form=None, status=200):
    """The confirmation page before closing or stopping a round; with `form`, that form again
    with its errors (422). The close form always carries who has finished now: that is what the
    page shows, so that is what staff confirm."""
    if not is_open(round_):
        return _already_ended(project, round_)
    finished = finished_members(round_)
    if action == "close":
        form = form or CloseRoundForm(formdata=None)
        form.finished.data = sorted(m.user_id for m in finished)
    else:
        form = form or StopRoundForm(formdata=None)
    return render_template("panel/round_end.html", project=project, round=round_, action=action, form=form,
                           finished=finished, unfinished=[m for m in round_.members if m.done_at is None],
                           can_close=len(finished) >= 2, steps=meeting_steps(project)), status


@bp.get("/projects/<int:project_id>/rounds/<int:round_id>/close")
def close_round_page(project_id, round_id):
    project = project_or_abort(project_id, "staff")
    return _end_page(project, _round_or_404(project, round_id), "close")


@bp.post("/projects/<int:project_id>/rounds/<int:round_id>/close")
def close_round_view(project_id, round_id):
    project = project_or_abort(project_id, "staff")
    round_ = _round_or_404(project, round_id)
    form = CloseRoundForm()
    if not form.validate_on_submit():
        return _end_page(project, round_, "close", form, 422)
    again = url_for("panel.close_round_page", project_id=project.id, round_id=round_.id)
    try:
        close_round(round_, seen=set(form.finished.data), by=current_user)
    except RoundEnded:
        return _already_ended(project, round_)
    except Conflict:
        db.session.rollback()
        flash(_("Er is net iemand klaar. Kijk opnieuw wie klaar is."), "error")
        return redirect(again, 303)
    except TooFewFinished:
        db.session.rollback()
        flash(_("Minder dan twee mensen zijn klaar. Dan kun je niet vergelijken."), "error")
        return redirect(again, 303)
    db.session.commit()
    flash(_("De ronde is afgesloten. Jullie vergelijken de keuzes van wie klaar was."), "success")
    return redirect(url_for("panel.round_page", project_id=project.id, round_id=round_.id), 303)


@bp.get("/projects/<int:project_id>/rounds/<int:round_id>/stop")
def stop_round_page(project_id, round_id):
    project = project_or_abort(project_id, "staff")
    return _end_page(project, _round_or_404(project, round_id), "stop")


@bp.post("/projects/<int:project_id>/rounds/<int:round_id>/stop")
def stop_round_view(project_id, round_id):
    project = project_or_abort(project_id, "staff")
    round_ = _round_or_404(project, round_id)
    form = StopRoundForm()
    if not form.validate_on_submit():
        return _end_page(project, round_, "stop", form, 422)
    try:
        stop_round(round_, by=current_user)
    except RoundEnded:
        return _already_ended(project, round_)
    db.session.commit()
    flash(_("De ronde is gestopt. Op het bord is niets veranderd."), "success")
    return redirect(url_for("panel.round_page", project_id=project.id, round_id=round_.id), 303)
