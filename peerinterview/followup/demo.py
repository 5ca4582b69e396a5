"""Demo data for the follow-up: the municipality's answer to the demo recommendation and three
agreements in different states, with milestones, and the public results page with its quote.
Two agreements were to be looked back on already: one the panel evaluated, one it did not yet
(so the reminder shows right away). Called from peerinterview/demo.py after the
panel's demo data."""
from datetime import date, timedelta

from ..extensions import db
from ..models import User
from ..panel.services import approved_quotes, ranked_recommendations
from ..report.services import report_texts
from .public import publish, set_public_quotes
from .services import add_agreement, add_evaluation, add_milestone, save_answer, set_status

# (what, organisation, person, place, days until it should be done, status, milestones as
# (days ago, text), days until the panel looks back together). The dates are relative to
# today, so the demo always looks recent.
DEMO_AGREEMENTS = (
    ("In De Haven komt een stille kamer met zachte stoelen.", "Stichting De Haven", "de teamleider", "De Haven",
     60, "halfway", ((40, "De kamer is gekozen: de oude kantoorkamer."), (10, "De kamer is geverfd.")), -3),
    ("Na tien uur 's avonds gaat de muziek in de huiskamer uit.", "Stichting De Haven", "", "De Haven",
     -20, "done", ((30, "Afgesproken met de medewerkers."), (21, "Het hangt op een bord bij de deur.")), -7),
    ("De nachtopvang kijkt of er ook een stille hoek kan komen.", "Het Anker", "de locatiemanager", "Het Anker",
     120, "not_started", ((5, "Het Anker zoekt een plek."),), 140),
)
# The panel's evaluation of the second agreement (the music), a few days after its date.
DEMO_EVALUATION = {"score": 4, "participants": 5,
                   "what_changed": "Het is 's avonds rustiger. Mensen slapen beter. Soms staat de muziek nog aan.",
                   "still_to_do": "Een medewerker zet om tien uur de muziek uit. Ook in het weekend."}


def create_demo_follow_up(project, *, staff: User, municipality: User) -> None:
    """The municipality's account gives its answer; staff keep the agreements. The caller commits."""
    ranked = ranked_recommendations(project.id)
    if not ranked:
        return
    recommendation = ranked[0].recommendation
    today = date.today()
    save_answer(recommendation, verdict="accepted", organisation="Gemeente Voorbeeldstad",
                reasons="Rust is belangrijk voor iedereen. We maken samen met de opvang een plan.",
                answered_on=today - timedelta(days=50), version=0, by=municipality)
    for what, organisation, person, place, due_in, status, milestones, evaluate_in in DEMO_AGREEMENTS:
        agreement = add_agreement(recommendation, what=what, agreed_on=today - timedelta(days=45),
                                  organisation=organisation, person=person, due_on=today + timedelta(days=due_in),
                                  place=place, evaluate_on=today + timedelta(days=evaluate_in), by=staff)
        for days_ago, text in milestones:
            add_milestone(agreement, happened_on=today - timedelta(days=days_ago), text=text, by=staff)
        if status != "not_started":
            set_status(agreement, status=status, progress=None, version=agreement.version, by=staff)
        if status == "done":
            add_evaluation(agreement, evaluated_on=today - timedelta(days=5), version=agreement.version, by=staff,
                           **DEMO_EVALUATION)


DEMO_RESPONDENT_SUMMARY = (
    "We spraken met 40 bezoekers van de dagopvang en de nachtopvang. De meeste mensen voelen zich "
    "er welkom. Veel mensen willen meer rust in de avond. Het panel gaf daarom adviezen aan de gemeente."
)

# The same in easy-read Dutch (makkelijk lezen): one idea a line, a blank line between blocks.
DEMO_EASY_READ = (
    "We spraken met 40 mensen.\n"
    "Ze komen in de dagopvang of de nachtopvang.\n"
    "\n"
    "De meeste mensen voelen zich welkom.\n"
    "Veel mensen willen meer rust in de avond.\n"
    "\n"
    "Het panel gaf daarom adviezen aan de gemeente.\n"
    "Er komt een stille kamer.\n"
    "Na tien uur gaat de muziek uit."
)


def create_demo_public_page(project, *, staff: User):
    """The public results page of the demo project: the text for the people who took part (also
    in easy-read Dutch), the approved quote made public too, and a link without an end date. The
    caller commits."""
    texts = report_texts(project)
    if not (texts.respondent_summary or "").strip():
        texts.respondent_summary = DEMO_RESPONDENT_SUMMARY
        db.session.add(texts)
    if not (texts.easy_read or "").strip():
        texts.easy_read = DEMO_EASY_READ
        db.session.add(texts)
    set_public_quotes(project, {quote.id for quote in approved_quotes(project.id)}, by=staff)
    return publish(project, expires_on=None, by=staff)
