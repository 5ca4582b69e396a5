"""Told when it changes, and the process as part of the result, over HTTP: a panel member sees
what changed in the follow-up since their last visit (not the changes they made themself, never
another project's); the project page shows the next date to watch and who took part as counts
and ranges without names; volunteers give a mark and a sentence, reported without names and with
the average hidden under five answers."""
import re
from datetime import timedelta

from sqlalchemy import func, select

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.localize import local_today
from peerinterview.models import Appreciation, PanelMeeting, Project, Proposal, ProposalComment, ProposalVote
from peerinterview.panel.meeting import open_meeting

from .builders import demo_login, html_of, make_interview, plain_text
from .test_followup import AGREEMENT, ANSWER, _add_agreement, _agreement_version, _base

NEW = "Nieuw sinds uw laatste bezoek"


def test_a_change_by_staff_is_new_for_the_panel_member_until_she_opens_the_follow_up(world, recs, login_as,
                                                                                    make_user):
    make_user("sam", staff=True, project_id=world.project_id, roles=("staff", "panel"))
    _client, post = login_as("sam")
    assert post(f"{_base(world)}/follow-up/{recs['ours']}/answer", data=ANSWER).status_code == 303
    _add_agreement(post, world, recs["ours"])
    # Staff of the other project change theirs: never shown in this project's news.
    _c, other_post = login_as("andere-staf")
    response = other_post(f"{_base(world, world.other_project_id)}/follow-up/{recs['theirs']}/agreements",
                          data={**AGREEMENT, "what": "Geheime afspraak van een ander."})
    assert response.status_code == 303

    petra, _petra_post = login_as("petra")
    home = plain_text(petra.get("/"))
    assert NEW in home
    assert "De gemeente heeft geantwoord: Ja, dat gaan we doen" in home
    assert "Er is een nieuwe afspraak. Een stille kamer in De Haven." in home
    assert "Geheime afspraak" not in home and "Geheim advies" not in home
    # Who made the change sees nothing new: they know already.
    sam, _sam_post = login_as("sam")
    assert NEW not in plain_text(sam.get("/"))

    assert petra.get(f"{_base(world)}/follow-up").status_code == 200
    assert NEW not in plain_text(petra.get("/"))
    # A later change is new again; opening the agreement's own page clears it too.
    agreement_id = _add_agreement(post, world, recs["ours"], what="Een tweede afspraak.")
    home = plain_text(petra.get("/"))
    assert NEW in home and "Een tweede afspraak." in home and "Een stille kamer" not in home
    petra.get(f"{_base(world)}/agreements/{agreement_id}")
    assert NEW not in plain_text(petra.get("/"))


def test_an_interviewer_is_told_too_and_a_link_leads_to_the_page(world, recs, login_as):
    _client, post = login_as("staf")
    agreement_id = _add_agreement(post, world, recs["ours"])
    post(f"{_base(world)}/agreements/{agreement_id}/milestones", data={"happened_on": "2026-04-15",
                                                                      "text": "De kamer is geverfd."})
    anna, _anna_post = login_as("anna")
    page = html_of(anna.get("/"))
    assert "Er is iets gebeurd." in page and "De kamer is geverfd." in page
    assert f'href="/projects/{world.project_id}/agreements/{agreement_id}"' in page


def test_the_project_page_shows_the_nearest_open_due_date(app, world, recs, login_as):
    _client, post = login_as("staf")
    with app.test_request_context():
        today = local_today()
    _add_agreement(post, world, recs["ours"], what="Al voorbij.", due_on=(today - timedelta(days=3)).isoformat())
    done = _add_agreement(post, world, recs["ours"], what="Al klaar.", due_on=(today + timedelta(days=2)).isoformat())
    post(f"{_base(world)}/agreements/{done}/status",
         data={"status": "done", "progress": "", "version": _agreement_version(app, done)})
    _add_agreement(post, world, recs["ours"], what="Later.", due_on=(today + timedelta(days=90)).isoformat())
    _add_agreement(post, world, recs["ours"], what="Eerst dit.", due_on=(today + timedelta(days=10)).isoformat())
    petra, _p = login_as("petra")
    page = plain_text(petra.get(f"{_base(world)}"))
    assert "Volgende datum om op te letten:" in page
    assert "Dan moet deze afspraak klaar zijn: Eerst dit." in page
    assert "Al klaar." not in page and "Al voorbij." not in page and "Later." not in page
    # A day on which the panel is to look back comes first when it is nearer.
    _add_agreement(post, world, recs["ours"], what="Samen terugkijken.",
                   due_on=(today + timedelta(days=60)).isoformat(), evaluate_on=(today + timedelta(days=4)).isoformat())
    page = plain_text(petra.get(f"{_base(world)}"))
    assert "Dan kijkt het panel samen of deze afspraak gelukt is: Samen terugkijken." in page
    assert "Eerst dit." not in page
    # The other project's staff never see this project's date.
    other, _o = login_as("andere-staf")
    assert other.get(f"{_base(world)}").status_code == 403


def _section(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def test_who_took_part_is_counts_and_a_range_without_names(app, world, login_as):
    for username, count in (("anna", 3), ("bram", 1)):
        for _i in range(count):
            make_interview(app, world.project_id, username, answers={"q1": "Elke dag"}, completed=True)
    make_interview(app, world.project_id, "anna", answers={"q1": "Soms"})  # not finished: not counted
    with app.app_context():
        dirk, staf = find_user("dirk"), find_user("staf")
        proposal = Proposal(project_id=world.project_id, kind="new", text="Nieuwe vraag?", created_by_id=staf.id)
        db.session.add(proposal)
        db.session.flush()
        db.session.add_all([ProposalComment(proposal_id=proposal.id, user_id=dirk.id, text="Goed idee."),
                            ProposalVote(proposal_id=proposal.id, user_id=dirk.id, in_favour=True),
                            ProposalVote(proposal_id=proposal.id, user_id=staf.id, in_favour=True)])
        open_meeting(world.project_id, themes=[], questions=["q1"], first_slide="start", by=staf)
        db.session.commit()
        db.session.remove()
    client, post = login_as("staf")
    # The facilitator closes the meeting and fills in how many came: a number from 0 to 500.
    for wrong in ("veel", "-1", "501"):
        response = post(f"{_base(world)}/meeting/close", data={"attendees": wrong})
        assert response.status_code == 422 and "Er is iets niet goed" in plain_text(response)
    assert post(f"{_base(world)}/meeting/close", data={"attendees": "4"}).status_code == 303
    with app.app_context():
        meetings = db.session.scalars(select(PanelMeeting)).all()
        assert [(m.project_id, m.attendees, m.closed_at is not None) for m in meetings] == [(world.project_id, 4, True)]
        db.session.remove()

    for reader in ("staf", "petra"):
        page = plain_text(login_as(reader)[0].get(_base(world)))
        part = _section(page, "Wie deed er mee?", "Locaties")
        assert "1 cliënt dacht mee over de vragen." in part  # dirk; staff do not count
        assert "4 interviews gehouden, door 2 interviewers." in part
        assert "Iedere interviewer deed er tussen 1 en 3." in part
        assert "Het panel kwam 1 keer bij elkaar. Er waren steeds 4 panelleden." in part
        for name in ("Anna", "Bram", "Dirk", "Petra", "Staf", "anna", "bram"):
            assert name not in part
    report = plain_text(client.get(f"{_base(world)}/report"))
    part = _section(report, "Wie deed er mee? Cliënten", "Wat we hoorden" if "Wat we hoorden" in report else "Bijlage")
    assert "Iedere interviewer deed er tussen 1 en 3." in part and "Anna" not in part


def test_one_interviewer_gets_no_range_it_would_be_their_own_number(app, world, login_as):
    for _i in range(2):
        make_interview(app, world.project_id, "anna", answers={"q1": "Soms"}, completed=True)
    part = _section(plain_text(login_as("staf")[0].get(_base(world))), "Wie deed er mee?", "Locaties")
    assert "2 interviews gehouden, door 1 interviewer." in part and "tussen" not in part


def _volunteer(make_user, world, name):
    return make_user(name, project_id=world.project_id, roles=("interviewer",))


def test_the_appreciation_is_asked_when_staff_switch_it_on_and_validated(app, world, login_as):
    petra, petra_post = login_as("petra")
    assert "Wat vond je van het meedoen?" not in plain_text(petra.get("/"))
    assert petra.get(f"{_base(world)}/appreciation").status_code == 404  # not switched on
    # Only project staff switch it on; a volunteer cannot.
    assert petra_post(f"{_base(world)}/appreciation/round", data={"switch_on": "ja"}).status_code == 403
    assert login_as("andere-staf")[1](f"{_base(world)}/appreciation/round", data={"switch_on": "ja"}).status_code == 403
    _staff, staff_post = login_as("staf")
    assert staff_post(f"{_base(world)}/appreciation/round", data={"switch_on": "ja"}).status_code == 303

    home = plain_text(petra.get("/"))
    assert "Wat vond je van het meedoen?" in home and "Je naam staat er niet bij." in home
    # Staff (also when on the panel) and other projects' people are not asked.
    assert login_as("staf")[0].get(f"{_base(world)}/appreciation").status_code == 403
    assert login_as("andere-staf")[0].get(f"{_base(world)}/appreciation").status_code == 403
    for wrong in ({"mark": "0"}, {"mark": "11"}, {"mark": "acht"}, {}, {"mark": "8", "valued": "x" * 301}):
        response = petra_post(f"{_base(world)}/appreciation", data=wrong)
        assert response.status_code == 422 and "Er is iets niet goed" in plain_text(response)
    assert petra_post(f"{_base(world)}/appreciation", data={"mark": "8", "valued": "Samen praten."}).status_code == 303
    assert "Wat vond je van het meedoen?" not in plain_text(petra.get("/"))
    # One answer per volunteer: answering again changes it.
    page = html_of(petra.get(f"{_base(world)}/appreciation"))
    assert re.search(r'<input[^>]*checked[^>]*value="8"|<input[^>]*value="8"[^>]*checked', page) and "Samen praten." in page
    assert petra_post(f"{_base(world)}/appreciation", data={"mark": "6", "valued": "Koffie."}).status_code == 303
    # Dismissing: not asked again, and no mark counted.
    _anna, anna_post = login_as("anna")
    assert anna_post(f"{_base(world)}/appreciation/dismiss").status_code == 303
    assert "Wat vond je van het meedoen?" not in plain_text(login_as("anna")[0].get("/"))
    with app.app_context():
        rows = db.session.execute(select(Appreciation.mark, Appreciation.valued)
                                  .order_by(Appreciation.id)).all()
        db.session.remove()
    assert [tuple(r) for r in rows] == [(6, "Koffie."), (None, "")]


def test_the_average_shows_from_five_answers_and_the_report_names_nobody(app, world, login_as, make_user):
    staff, staff_post = login_as("staf")
    staff_post(f"{_base(world)}/appreciation/round", data={"switch_on": "ja"})
    names = ["petra", "anna", "bram", "dirk"]
    answers = [("9", "Zo werd ik gehoord."), ("7", "Alle koffie."), ("6", ""), ("8", "Meedenken over vragen.")]
    for name, (mark, valued) in zip(names, answers):
        assert login_as(name)[1](f"{_base(world)}/appreciation", data={"mark": mark, "valued": valued}).status_code == 303
    page = plain_text(staff.get(_base(world)))
    assert "Gemiddeld cijfer: nog te weinig antwoorden." in page and "Gemiddeld cijfer: 7" not in page
    _volunteer(make_user, world, "wubbe")
    login_as("wubbe")[1](f"{_base(world)}/appreciation", data={"mark": "10", "valued": "Bijzonder."})
    page = plain_text(staff.get(_base(world)))
    assert "Gemiddeld cijfer: 8,0 (5 vrijwilligers gaven een cijfer)" in page, page[page.find("Gemiddeld"):][:300]
    report_html = html_of(staff.get(f"{_base(world)}/report"))
    report = plain_text(staff.get(f"{_base(world)}/report"))
    assert "Gemiddeld cijfer: 8,0" in report
    # The sentences in alphabetical order, not in the order they were given.
    sentences = ["Alle koffie.", "Bijzonder.", "Meedenken over vragen.", "Zo werd ik gehoord."]
    positions = [report.index(s) for s in sentences]
    assert positions == sorted(positions)
    for name in ("petra", "anna", "bram", "dirk", "wubbe"):
        assert not re.search(rf"\b{name}\b", report, re.I) and f"/{name}" not in report_html
    # A panel member does not see the answers on the project page.
    assert "Gemiddeld cijfer" not in plain_text(login_as("petra")[0].get(_base(world)))


def test_the_average_is_hidden_on_the_report_of_a_project_with_too_few(app, world, login_as):
    staff, staff_post = login_as("staf")
    staff_post(f"{_base(world)}/appreciation/round", data={"switch_on": "ja"})
    login_as("petra")[1](f"{_base(world)}/appreciation", data={"mark": "2", "valued": ""})
    report = plain_text(staff.get(f"{_base(world)}/report"))
    assert "Gemiddeld cijfer: nog te weinig antwoorden." in report and "Gemiddeld cijfer: 2" not in report
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Appreciation)) == 1
        assert db.session.get(Project, world.project_id) is not None
        db.session.remove()


def test_the_demo_panel_member_has_news_and_is_asked_and_staff_see_too_few_answers(app):
    client, project_id = demo_login(app, "demo-panel")
    home = plain_text(client.get("/"))
    assert NEW in home and "Er is een nieuwe afspraak." in home and "En nog 7 dingen." in home
    assert "Het panel keek samen terug op een afspraak." in home
    assert "Wat vond je van het meedoen?" in home
    client.get(f"/projects/{project_id}/follow-up")
    assert NEW not in plain_text(client.get("/"))
    page = plain_text(client.get(f"/projects/{project_id}"))
    assert "Volgende datum om op te letten:" in page
    assert "Het panel kwam 2 keer bij elkaar. Er waren 4 tot 5 panelleden per keer." in page
    staff, _project_id = demo_login(app, "demo-staf")
    page = plain_text(staff.get(f"/projects/{project_id}"))
    assert "Gemiddeld cijfer: nog te weinig antwoorden." in page
    assert "Ik mocht zelf de vragen stellen." in page


def test_the_report_pdf_tells_who_took_part_without_names(app):
    from .test_report import pdf_text

    staff, project_id = demo_login(app, "demo-staf")
    _reader, text = pdf_text(staff.get(f"/projects/{project_id}/report.pdf").data)
    flat = " ".join(text.split())
    assert "Wie deed er mee?" in flat
    assert "40 interviews gehouden, door 1 interviewer." in flat and "Iedere interviewer deed er" not in flat
    assert "Het panel kwam 2 keer bij elkaar. Er waren 4 tot 5 panelleden per keer." in flat
    assert "Gemiddeld cijfer: nog te weinig antwoorden." in flat
    assert "Ik mocht zelf de vragen stellen." in flat
    for name in ("Ahmed", "Petra", "Sanne"):
        assert name not in flat
