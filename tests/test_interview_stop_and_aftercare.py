"""The aftercare flag is saved as it is ticked and on the way out, staff see new flags first and
who dealt with them; "Stoppen mag altijd" is a real stop (reason optional, the person decides
whether the answers are kept or erased, its own status); staff close interviews left open."""
import re
from datetime import timedelta

from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.models import AuditEvent, Interview

from .builders import answers_of, html_of, interview_row, location_of, plain_text, start_interview_http

HTMX = {"HX-Request": "true"}


def q(interview_id, number):
    return f"/interviews/{interview_id}/questions/{number}"


def finished(client, post, world):
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    post(q(interview_id, 1), {"answer": "1", "action": "next"})
    assert location_of(post(f"/interviews/{interview_id}/overview")) == f"/interviews/{interview_id}/done"
    return interview_id


def events(app, action):
    with app.app_context():
        rows = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
        db.session.remove()
    return rows


# --- the aftercare flag --------------------------------------------------------------------------

def test_ticking_the_flag_saves_it_at_once(app, world, anna):
    client, post = anna
    interview_id = finished(client, post, world)
    response = post(f"/interviews/{interview_id}/follow-up", {"follow_up_needed": "y"}, headers=HTMX)
    assert response.status_code == 200
    assert "Opgeslagen. De begeleider ziet dat er nazorg nodig is." in plain_text(response)
    row = interview_row(app, interview_id)
    assert row.follow_up_needed and row.follow_up_flagged_at is not None
    # The interviewer then taps the big button without "Opslaan": the flag is still there.
    assert interview_row(app, interview_id).follow_up_needed
    assert [e.detail.get("follow_up_needed") for e in events(app, "interview.follow_up")] == [True]


def test_leaving_with_the_big_button_saves_what_is_filled_in(app, world, anna):
    client, post = anna
    interview_id = finished(client, post, world)
    # Without JavaScript: the ticked box goes with "Nieuw interview beginnen" (the button posts the form).
    html = html_of(client.get(f"/interviews/{interview_id}/done"))
    assert 'form="debrief-form" name="then" value="new"' in html
    response = post(f"/interviews/{interview_id}/debrief", {"follow_up_needed": "y", "then": "new"})
    assert location_of(response) == f"/projects/{world.project_id}/interviews/new"
    row = interview_row(app, interview_id)
    assert row.follow_up_needed and row.debrief_mood is None
    # Nothing filled in: just go on, nothing written.
    other = finished(client, post, world)
    response = post(f"/interviews/{other}/debrief", {"then": "list"})
    assert location_of(response) == f"/projects/{world.project_id}/interviews"
    assert interview_row(app, other).debriefed_at is None


def test_only_the_interviewer_sets_the_flag(app, world, anna, login_as):
    client, post = anna
    interview_id = finished(client, post, world)
    _bram, bram_post = login_as("bram")
    assert bram_post(f"/interviews/{interview_id}/follow-up", {"follow_up_needed": "y"}).status_code == 403
    _staff, staff_post = login_as("staf")
    assert staff_post(f"/interviews/{interview_id}/follow-up", {"follow_up_needed": "y"}).status_code == 403
    assert not interview_row(app, interview_id).follow_up_needed


def test_staff_see_new_flags_first_and_who_dealt_with_them(app, world, anna, login_as):
    client, post = anna
    first, second = finished(client, post, world), finished(client, post, world)
    post(f"/interviews/{first}/follow-up", {"follow_up_needed": "y"})
    post(f"/interviews/{second}/follow-up", {"follow_up_needed": "y"})
    with app.app_context():  # the first flag is older
        row = db.session.get(Interview, first)
        row.follow_up_flagged_at -= timedelta(hours=3)
        db.session.commit()
        db.session.remove()
    codes = [interview_row(app, i).respondent_code for i in (first, second)]
    staff, staff_post = login_as("staf")
    text = plain_text(staff.get(f"/projects/{world.project_id}/interviews"))
    assert "2 interviews hebben nazorg nodig." in text
    assert text.index(f"Code: {codes[1]}") < text.index(f"Code: {codes[0]}")  # newest first
    response = staff_post(f"/projects/{world.project_id}/interviews/follow-up",
                          {"interview_id": second, "action": "done"})
    assert response.status_code == 303
    row = interview_row(app, second)
    assert row.follow_up_done_at is not None
    text = plain_text(staff.get(f"/projects/{world.project_id}/interviews"))
    assert "1 interview heeft nazorg nodig." in text
    assert "Afgehandeld door Staf op" in text
    assert len(events(app, "interview.follow_up_done")) == 1
    # An interviewer cannot mark aftercare as done, nor staff of another project.
    _c, anna_post = anna
    assert anna_post(f"/projects/{world.project_id}/interviews/follow-up",
                     {"interview_id": first, "action": "done"}).status_code == 403
    _o, other_post = login_as("andere-staf")
    assert other_post(f"/projects/{world.other_project_id}/interviews/follow-up",
                      {"interview_id": first, "action": "done"}).status_code == 404
    assert interview_row(app, first).follow_up_done_at is None


# --- stopping ------------------------------------------------------------------------------------

def test_every_interview_screen_offers_the_stop(app, world, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    for url in (q(interview_id, 1), f"/interviews/{interview_id}/overview"):
        assert f'href="/interviews/{interview_id}/stop' in html_of(client.get(url))
    page = client.get(f"/interviews/{interview_id}/stop?back=2")
    text = plain_text(page)
    assert "Wat wil de persoon met de antwoorden tot nu toe?" in text
    assert "Waarom stopt het interview? (mag leeg blijven)" in text
    assert f'href="/interviews/{interview_id}/questions/2"' in html_of(page)


def test_stop_needs_the_persons_choice_about_the_answers(app, world, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    response = post(f"/interviews/{interview_id}/stop", {"reason": "tired"})
    assert response.status_code == 422
    assert "Vraag wat de persoon wil met de antwoorden." in plain_text(response)
    assert interview_row(app, interview_id).status == "in_progress"


def test_stop_keeping_the_answers(app, world, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    post(q(interview_id, 1), {"answer": "2", "action": "next"})
    response = post(f"/interviews/{interview_id}/stop", {"keep_answers": "keep", "reason": "tired"})
    assert location_of(response) == f"/interviews/{interview_id}/done"
    row = interview_row(app, interview_id)
    assert (row.status, row.stop_reason) == ("completed", "tired")
    assert row.stopped_at is not None and row.completed_at is not None
    assert [a.value for a in answers_of(app, interview_id) if a.value] == ["2"]
    text = plain_text(client.get(f"/interviews/{interview_id}/done"))
    assert "Het interview is gestopt. De antwoorden tot nu toe zijn bewaard." in text
    assert "Er is nazorg nodig." in text  # the debrief and its flag, also after a stop
    listing = plain_text(client.get(f"/projects/{world.project_id}/interviews"))
    assert re.search(r"Gestopt\s*, antwoorden bewaard\. De persoon is moe\.", listing), listing
    assert "Nog bezig" not in listing, listing
    # A second stop (double tap) changes nothing.
    post(f"/interviews/{interview_id}/stop", {"keep_answers": "erase"})
    assert interview_row(app, interview_id).status == "completed"
    assert len(events(app, "interview.stop")) == 1


def test_stop_erasing_the_answers_takes_no_answer_any_more(app, world, anna):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    post(q(interview_id, 1), {"answer": "2", "action": "next"})
    post(q(interview_id, 3), {"text": "Meer koffie", "action": "save"})
    response = post(f"/interviews/{interview_id}/stop", {"keep_answers": "erase"})
    assert location_of(response) == f"/interviews/{interview_id}/done"
    row = interview_row(app, interview_id)
    assert (row.status, row.stop_reason) == ("stopped", None)
    assert answers_of(app, interview_id) == []
    # A late autosave from the tablet stores nothing.
    response = post(q(interview_id, 1), {"answer": "1", "action": "save"}, headers=HTMX)
    assert answers_of(app, interview_id) == []
    # The aftercare flag still works after a stop.
    assert post(f"/interviews/{interview_id}/follow-up", {"follow_up_needed": "y"}).status_code == 303
    assert interview_row(app, interview_id).follow_up_needed
    details = events(app, "interview.stop")[0].detail
    assert details == {"reason": None, "answers_kept": False, "answers_erased": 2}


def test_only_the_interviewer_stops(app, world, anna, login_as):
    client, post = anna
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    _b, bram_post = login_as("bram")
    assert bram_post(f"/interviews/{interview_id}/stop", {"keep_answers": "erase"}).status_code == 403
    _s, staff_post = login_as("staf")
    assert staff_post(f"/interviews/{interview_id}/stop", {"keep_answers": "erase"}).status_code == 403
    assert interview_row(app, interview_id).status == "in_progress"


def test_staff_see_and_close_interviews_left_open(app, world, anna, login_as):
    client, post = anna
    stale = start_interview_http(client, post, world.project_id, world.location_ids[0])
    post(q(stale, 1), {"answer": "3", "action": "next"})
    fresh = start_interview_http(client, post, world.project_id, world.location_ids[0])
    with app.app_context():
        from peerinterview.models import Answer

        db.session.get(Interview, stale).started_at -= timedelta(hours=13)
        for answer in db.session.scalars(select(Answer).where(Answer.interview_id == stale)):
            answer.saved_at -= timedelta(hours=13)
        db.session.commit()
        db.session.remove()
    stale_code, fresh_code = (interview_row(app, i).respondent_code for i in (stale, fresh))
    staff, staff_post = login_as("staf")
    text = plain_text(staff.get(f"/projects/{world.project_id}/interviews"))
    section = text[text.index("Interviews die open bleven"):text.index("Alle interviews")]
    assert f"Code: {stale_code}" in section and f"Code: {fresh_code}" not in section
    # One still in use is not staff's to close.
    staff_post(f"/projects/{world.project_id}/interviews/close", {"interview_id": fresh, "keep_answers": "keep"})
    assert interview_row(app, fresh).status == "in_progress"
    response = staff_post(f"/projects/{world.project_id}/interviews/close",
                          {"interview_id": stale, "keep_answers": "keep"})
    assert response.status_code == 303
    row = interview_row(app, stale)
    assert (row.status, row.stop_reason) == ("completed", "left_open")
    assert [a.value for a in answers_of(app, stale) if a.value] == ["3"]
    assert "Gesloten door de begeleider." in plain_text(staff.get(f"/projects/{world.project_id}/interviews"))
    # Interviewers cannot close interviews for staff.
    _c, anna_post = anna
    assert anna_post(f"/projects/{world.project_id}/interviews/close",
                     {"interview_id": fresh, "keep_answers": "erase"}).status_code == 403
