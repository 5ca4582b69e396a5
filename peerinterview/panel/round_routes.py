"""Sorting "ieder apart": staff start a round on a set of cards for two or more members; each
member sorts the cards on their own page; once all are done, the panel compares card by card
and decides together. Nobody sees another member's choices before everyone is done: the round's
page shows a member only their own choices, and the comparison is not there until then."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can, project_or_abort
from ..audit import record
from ..extensions import db
from . import bp
from .forms import DecisionForm, FinishRoundForm, RoundCardForm, StartRoundForm
from .meeting import meeting_steps
from .routes import _undo_context
from .rounds import (
    ROUND_SORTERS,
    card_sets,
    compare,
    decide,
    finish,
    is_compared,
    member_of,
    own_choices,
    project_rounds,
    round_cards,
    round_members_to_choose,
    round_of,
    sort_in_round,
    start_round,
)
from .services import Conflict, cards_visible, find_card, live_themes, theme_of


def _set_label(key: str, question: str | None, count: int) -> str:
    if key == "unsorted":
        return _("De kaarten die nog in geen thema staan (%(num)d)", num=count)
    if key == "all":
        return _("Alle kaarten (%(num)d)", num=count)
    return _("De antwoorden op: %(question)s (%(num)d)", question=question, num=count)


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
        else:
            question, cards = sets[form.cards.data]
            name = question or _set_label(form.cards.data, None, len(cards))
            round_ = start_round(project, name, cards, members, by=current_user)
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


def _compare_context(project, round_):
    rows, agreement = compare(round_)
    forms = {row.card.key: DecisionForm(formdata=None, card=row.card.key,
                                        version=row.decision.version if row.decision else 0,
                                        themes=row.decision.theme_ids if row.decision else
                                        sorted(set.intersection(*[s for _n, s in row.choices]) if row.choices else []))
             for row in rows}
    themes = live_themes(project.id)
    for form in forms.values():
        form.themes.choices = [(t.id, t.name) for t in themes]
    return {"rows": rows, "agreement": agreement, "decision_forms": forms,
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
    context = {"project": project, "round": round_, "member": member, "themes": themes,
               "theme_names": {t.id: t.name for t in themes}, "compared": is_compared(round_),
               "steps": meeting_steps(project), "finish_form": FinishRoundForm()}
    if context["compared"]:
        context.update(_compare_context(project, round_))
    elif member is not None and member.done_at is None:
        context.update(cards=round_cards(round_), mine=own_choices(round_, current_user.id))
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
    if card is None or theme is None or card.key not in (round_.cards or []):
        flash(_("Deze kaart of dit thema bestaat niet meer. Kies een andere."), "error")
        return redirect(back, 303)
    try:
        sort_in_round(round_, member, theme, card, add=form.action.data == "add")
    except Conflict:
        flash(_("Je was al klaar. Je keuzes veranderen niet meer."), "error")
        return redirect(back, 303)
    db.session.commit()
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
        finish(round_, member, by=current_user)
        db.session.commit()
        flash(_("Je bent klaar. Als iedereen klaar is, zien jullie waar jullie het eens zijn."), "success")
    return redirect(url_for("panel.round_page", project_id=project.id, round_id=round_.id), 303)


@bp.post("/projects/<int:project_id>/rounds/<int:round_id>/decide")
def decide_card_view(project_id, round_id):
    project = project_or_abort(project_id, *ROUND_SORTERS)
    round_ = _round_or_404(project, round_id)
    back = url_for("panel.round_page", project_id=project.id, round_id=round_.id)
    if not is_compared(round_):
        flash(_("Nog niet iedereen is klaar. Daarna kunnen jullie samen kiezen."), "error")
        return redirect(back, 303)
    form = DecisionForm()
    card = find_card(project.id, form.card.data) if form.validate_on_submit() else None
    if card is None or card.key not in (round_.cards or []):
        flash(_("Deze kaart bestaat niet meer. Kies een andere kaart."), "error")
        return redirect(back, 303)
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
