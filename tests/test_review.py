"""The review of a completed interview before pooling: who may review (and who may not), the
history of every step, the interviewer's answer and corrections with their reasons."""
import pytest
from sqlalchemy import select, update

from peerinterview.extensions import db
from peerinterview.models import Answer, AuditEvent, Interview, Project, Quote
from peerinterview.models.review import AnswerChange, InterviewReview

from .builders import answers_of, html_of, hidden_value, interview_row, make_interview, plain_text


def _completed(app, world, username="anna", **answers):
    return make_interview(app, world.project_id, username, completed=True,
                          answers=answers or {"q1": "1", "q2": "4", "q3": "Meer rust."})


def _review(post, interview_id, state, note="", seen=None, client=None):
    if seen is None:
        seen = hidden_value(client.get(f"/interviews/{interview_id}/answers"), "seen")
    return post(f"/interviews/{interview_id}/review", {"state": state, "note": note, "seen": seen})


def _history(app, interview_id):
    with app.app_context():
        rows = [(r.kind, r.old_state, r.new_state, r.note, r.user.username if r.user else None)
                for r in db.session.scalars(select(InterviewReview).where(InterviewReview.interview_id == interview_id)
                                            .order_by(InterviewReview.id))]
        db.session.remove()
    return rows


def _set_project(app, world, **values):
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        for name, value in values.items():
            setattr(project, name, value)
        db.session.commit()
        db.session.remove()


def test_staff_mark_an_interview_and_every_step_is_kept_and_logged(app, world, login_as):
    interview_id = _completed(app, world)
    client, post = login_as("staf")
    page = client.get(f"/interviews/{interview_id}/answers")
    assert "Nog niet nagekeken" in plain_text(page)
    response = _review(post, interview_id, "approved", client=client)
    assert response.status_code == 303
    assert "Goedgekeurd" in plain_text(client.get(response.headers["Location"]))
    response = _review(post, interview_id, "issue", note="Vraag 2 lijkt verkeerd gekozen.", client=client)
    assert response.status_code == 303
    assert interview_row(app, interview_id).review_state == "issue"
    assert _history(app, interview_id) == [
        ("review", "none", "approved", None, "staf"),
        ("review", "approved", "issue", "Vraag 2 lijkt verkeerd gekozen.", "staf"),
    ]
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.review")
                                    .order_by(AuditEvent.id)).all()
        assert [(e.detail["old"], e.detail["new"], e.object_id) for e in events] == [
            ("none", "approved", interview_id), ("approved", "issue", interview_id)]
        assert all("verkeerd" not in str(e.detail) for e in events)  # never the note in the logboek
        db.session.remove()
    text = plain_text(client.get(f"/interviews/{interview_id}/answers"))
    assert "van Nog niet nagekeken naar Goedgekeurd" in text
    assert "Vraag 2 lijkt verkeerd gekozen." in text


@pytest.mark.parametrize("state, message", [("issue", "Schrijf wat er niet klopt."),
                                            ("excluded", "Schrijf waarom het interview niet meetelt.")])
def test_a_note_is_required_for_issue_and_excluded(app, world, login_as, state, message):
    interview_id = _completed(app, world)
    client, post = login_as("staf")
    response = _review(post, interview_id, state, note="   ", client=client)
    assert response.status_code == 422
    assert "Fout:" in html_of(response).split("</title>")[0]
    assert message in plain_text(response)
    assert interview_row(app, interview_id).review_state == "none"
    assert _history(app, interview_id) == []


def test_a_stale_form_does_not_overwrite_a_decision_made_meanwhile(app, world, login_as):
    interview_id = _completed(app, world)
    staff, post_staff = login_as("staf")
    seen = hidden_value(staff.get(f"/interviews/{interview_id}/answers"), "seen")
    assert _review(post_staff, interview_id, "excluded", note="Dubbel afgenomen.", seen=seen).status_code == 303
    # The same page, opened before that decision, now says "goedgekeurd".
    response = _review(post_staff, interview_id, "approved", seen=seen)
    assert response.status_code == 422
    assert "Er is net iets veranderd bij dit interview." in plain_text(response)
    assert interview_row(app, interview_id).review_state == "excluded"
    assert len(_history(app, interview_id)) == 1


def test_who_may_not_review(app, world, login_as, make_user):
    interview_id = _completed(app, world)
    make_user("gemeente", project_id=world.project_id, roles=("municipality",))
    for name in ("petra", "dirk", "andere-staf", "bram", "anna", "gemeente"):
        client, post = login_as(name)
        response = post(f"/interviews/{interview_id}/review", {"state": "excluded", "note": "Weg ermee.", "seen": "0"})
        assert response.status_code == 403, name
    assert interview_row(app, interview_id).review_state == "none"
    anonymous = app.test_client()
    response = anonymous.post(f"/interviews/{interview_id}/review", data={"state": "approved", "seen": "0"})
    assert response.status_code in (302, 303, 400, 401, 403)
    assert interview_row(app, interview_id).review_state == "none"


def test_an_interview_still_in_progress_is_not_reviewed(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "1"})
    client, post = login_as("staf")
    response = post(f"/interviews/{interview_id}/review", {"state": "approved", "seen": "0"})
    assert response.status_code == 303
    assert "Dit interview is niet klaar." in plain_text(client.get(response.headers["Location"]))
    assert interview_row(app, interview_id).review_state == "none" and _history(app, interview_id) == []


def test_the_second_interviewer_reviews_only_when_the_project_allows_and_never_their_own(app, world, login_as):
    annas = _completed(app, world, "anna")
    brams = _completed(app, world, "bram")
    bram, post = login_as("bram")
    assert bram.get(f"/interviews/{annas}/answers").status_code == 403
    _set_project(app, world, second_interviewer_may_review=True)
    page = bram.get(f"/interviews/{annas}/answers")
    assert page.status_code == 200 and "Wat vind je van dit interview?" in plain_text(page)
    assert _review(post, annas, "approved", client=bram).status_code == 303
    assert interview_row(app, annas).review_state == "approved"
    # His own interview: he reads its answers, but never reviews it.
    # Not an interview still in progress: there is nothing to review yet.
    open_one = make_interview(app, world.project_id, "anna", answers={"q1": "2"})
    assert bram.get(f"/interviews/{open_one}/answers").status_code == 403
    own = bram.get(f"/interviews/{brams}/answers")
    assert own.status_code == 200 and "Wat vind je van dit interview?" not in plain_text(own)
    assert post(f"/interviews/{brams}/review", {"state": "approved", "seen": "0"}).status_code == 403
    # Nor as the second interviewer of anna's next interview.
    with app.app_context():
        second = db.session.get(Interview, _completed(app, world, "anna"))
        second.second_interviewer_id = db.session.scalar(
            select(Interview.interviewer_id).where(Interview.id == brams))
        db.session.commit()
        second_id = second.id
        db.session.remove()
    assert post(f"/interviews/{second_id}/review", {"state": "approved", "seen": "0"}).status_code == 403


def test_staff_who_took_the_interview_do_not_review_it(app, world, login_as):
    with app.app_context():
        from peerinterview.accounts.services import find_user, set_membership

        set_membership(user=find_user("staf"), project_id=world.project_id, roles={"interviewer"},
                       by=find_user("staf"))
        db.session.commit()
        db.session.remove()
    own = _completed(app, world, "staf")
    client, post = login_as("staf")
    assert post(f"/interviews/{own}/review", {"state": "approved", "seen": "0"}).status_code == 403


def test_the_interviewer_sees_the_note_answers_and_corrects_an_answer_with_a_reason(app, world, login_as):
    interview_id = _completed(app, world)
    staff, post_staff = login_as("staf")
    _review(post_staff, interview_id, "issue", note="Klopt vraag 1 wel?", client=staff)
    anna, post = login_as("anna")
    page = anna.get(f"/interviews/{interview_id}/answers")
    text = plain_text(page)
    assert "Klopt iets niet" in text and "Klopt vraag 1 wel?" in text
    q1 = world.question_ids[0]
    change_url = f"/interviews/{interview_id}/answers/{q1}/change"
    assert change_url in html_of(page)
    # The reason is required.
    response = post(change_url, {"answer": "3", "reason": ""})
    assert response.status_code == 422
    assert "Schrijf waarom je dit antwoord verandert." in plain_text(response)
    assert next(a for a in answers_of(app, interview_id) if a.question_id == q1).value == "1"
    response = post(change_url, {"answer": "3", "reason": "Verkeerd aangetikt."})
    assert response.status_code == 303
    assert next(a for a in answers_of(app, interview_id) if a.question_id == q1).value == "3"
    response = post(f"/interviews/{interview_id}/review/reply", {"reply": "Ik heb vraag 1 verbeterd."})
    assert response.status_code == 303
    assert _history(app, interview_id)[-1] == ("reply", "issue", "issue", "Ik heb vraag 1 verbeterd.", "anna")
    with app.app_context():
        change = db.session.scalars(select(AnswerChange)).one()
        assert (change.old_value, change.new_value, change.reason, change.user.username, change.kind) == (
            "1", "3", "Verkeerd aangetikt.", "anna", "interviewer")
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == interview_id)).all()
        assert "interview.answer_change" in actions and "interview.review_reply" in actions
        db.session.remove()
    # Staff see the change (old, new, who, why) and the reply.
    text = plain_text(staff.get(f"/interviews/{interview_id}/answers"))
    assert "Veranderde antwoorden" in text
    assert "Elke dag" in text and "Bijna nooit" in text and "Verkeerd aangetikt." in text
    assert "Ik heb vraag 1 verbeterd." in text


def test_an_open_text_changed_after_review_goes_back_to_the_staff_check(app, world, login_as):
    interview_id = _completed(app, world)
    staff, post_staff = login_as("staf")
    _review(post_staff, interview_id, "issue", note="Er staat een naam in vraag 3.", client=staff)
    anna, post = login_as("anna")
    q3 = world.question_ids[2]
    response = post(f"/interviews/{interview_id}/answers/{q3}/change",
                    {"text": "Meer rust in de zaal.", "reason": "Naam weggehaald."})
    assert response.status_code == 303
    answer = next(a for a in answers_of(app, interview_id) if a.question_id == q3)
    assert (answer.text, answer.review) == ("Meer rust in de zaal.", "pending")


def test_corrections_only_while_something_is_wrong_and_only_by_the_interviewer(app, world, login_as):
    interview_id = _completed(app, world)
    q1 = world.question_ids[0]
    url = f"/interviews/{interview_id}/answers/{q1}/change"
    anna, post = login_as("anna")
    # Not reviewed, or approved: no corrections, no reply (back to the answers, with why).
    assert anna.get(url).status_code == 303
    response = post(url, {"answer": "3", "reason": "Zomaar."})
    assert response.status_code == 303
    assert "Er is nu niets na te kijken." in plain_text(anna.get(response.headers["Location"]))
    assert post(f"/interviews/{interview_id}/review/reply", {"reply": "Hallo"}).status_code == 303
    assert _history(app, interview_id) == []
    staff, post_staff = login_as("staf")
    _review(post_staff, interview_id, "issue", note="Kijk vraag 1 na.", client=staff)
    # Staff, another interviewer, panel, other project's staff: none of them corrects.
    for name in ("staf", "bram", "petra", "andere-staf"):
        client, post_other = login_as(name)
        assert post_other(url, {"answer": "3", "reason": "Ik weet het beter."}).status_code == 403, name
        assert post_other(f"/interviews/{interview_id}/review/reply", {"reply": "Ja"}).status_code == 403, name
    # A question of another version is not found.
    assert post(f"/interviews/{interview_id}/answers/999999/change", {"answer": "3", "reason": "x"}).status_code == 404
    assert next(a for a in answers_of(app, interview_id) if a.question_id == q1).value == "1"
    # Once staff approve it, the corrections stop.
    _review(post_staff, interview_id, "approved", client=staff)
    assert post(url, {"answer": "3", "reason": "Toch nog."}).status_code == 303
    assert next(a for a in answers_of(app, interview_id) if a.question_id == q1).value == "1"
    with app.app_context():
        assert db.session.scalar(select(AnswerChange.id)) is None
        db.session.remove()


def test_the_interviewer_does_not_see_the_review_form(app, world, login_as):
    interview_id = _completed(app, world)
    anna, _post = login_as("anna")
    text = plain_text(anna.get(f"/interviews/{interview_id}/answers"))
    assert "Wat vind je van dit interview?" not in text


def test_the_project_settings_hold_the_counting_rule_and_the_second_reviewer(app, world, login_as):
    client, post = login_as("staf")
    page = client.get(f"/projects/{world.project_id}/edit")
    assert page.status_code == 200
    text = plain_text(page)
    assert "Welke interviews tellen mee in de uitkomsten?" in text and "Tweede interviewer mag ook nakijken" in text
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        data = {"name": project.name, "research_question": project.research_question, "commissioner": "",
                "min_group_size": "5", "review_open_answers": "y", "consent_text": project.consent_text,
                "count_rule": "approved_only", "second_interviewer_may_review": "y"}
        db.session.remove()
    response = post(f"/projects/{world.project_id}/edit", data)
    assert response.status_code == 303, plain_text(response)[:800]
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        assert (project.count_rule, project.second_interviewer_may_review) == ("approved_only", True)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "project.count_rule")) is not None
        db.session.remove()
    data["count_rule"] = "everything"
    assert post(f"/projects/{world.project_id}/edit", data).status_code == 422


def test_lists_say_the_review_and_offer_a_second_interviewer_what_to_review(app, world, login_as):
    annas = _completed(app, world, "anna")
    staff, post_staff = login_as("staf")
    _review(post_staff, annas, "issue", note="Kijk vraag 2 na.", client=staff)
    anna, _post = login_as("anna")
    assert "Klopt iets niet" in plain_text(anna.get(f"/projects/{world.project_id}/interviews"))
    bram, _post = login_as("bram")
    assert "Nakijken" not in plain_text(bram.get(f"/projects/{world.project_id}/interviews"))
    _set_project(app, world, second_interviewer_may_review=True)
    page = bram.get(f"/projects/{world.project_id}/interviews")
    assert "Nakijken" in plain_text(page) and f"/interviews/{annas}/answers" in html_of(page)
    # anna's own list never offers her own interviews to review.
    assert "Nakijken" not in plain_text(anna.get(f"/projects/{world.project_id}/interviews"))


# ---------------------------------------------------------------------------------------------
# One rule decides what counts, on every surface

KEPT = [f"Gewoon antwoord nummer {n}." for n in range(6)]
LEFT_OUT = [f"Uitgesloten zin nummer {n}." for n in range(5)]


def _xlsx_text(data: bytes) -> str:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                    for cell in row if cell is not None)


def _sav_rows(data: bytes, tmp_path) -> int:
    import pyreadstat

    path = tmp_path / "data.sav"
    path.write_bytes(data)
    frame, _meta = pyreadstat.read_sav(str(path), output_format="dict")
    return len(next(iter(frame.values())))


def _surfaces(app, world, tmp_path, rec_id, public_path) -> dict[str, str]:
    """The text of every place that shows results, as each role that may see it sees it."""
    staff, _post = login_as_of(app, "staf")
    panel, _post = login_as_of(app, "petra")
    municipality, _post = login_as_of(app, "gemma")
    base = f"/projects/{world.project_id}"
    texts = {}
    for name, client, url in [
        ("results", staff, f"{base}/results"), ("results, panel", panel, f"{base}/results"),
        ("open answers", panel, f"{base}/results/q3/open-answers"),
        ("breakdown", staff, f"{base}/results/q1/breakdown?by=location"),
        ("themes board", panel, f"{base}/themes"), ("themes overview", panel, f"{base}/themes/overview"),
        ("quotes", panel, f"{base}/quotes"), ("slides", panel, f"{base}/present"),
        ("report", staff, f"{base}/report"), ("summary", staff, f"{base}/report/summary"),
        ("story", panel, f"{base}/follow-up/{rec_id}/story"),
        ("municipality", municipality, f"{base}/follow-up"),
        ("municipality story", municipality, f"{base}/follow-up/{rec_id}/story"),
        ("progress", staff, f"{base}/progress"),
        ("data.csv", staff, f"{base}/exports/data.csv"),
        ("open-answers.csv", staff, f"{base}/exports/open-answers.csv"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        texts[name] = response.get_data(as_text=True) if name.endswith(".csv") else plain_text(response)
    for name in ("data.xlsx", "open-answers.xlsx"):
        texts[name] = _xlsx_text(staff.get(f"{base}/exports/{name}").data)
    texts["data.sav rows"] = str(_sav_rows(staff.get(f"{base}/exports/data.sav").data, tmp_path))
    texts["public page"] = plain_text(app.test_client().get(public_path))
    with app.app_context():
        from peerinterview.report.context import report_context

        project = db.session.get(Project, world.project_id)
        context = report_context(project)
        texts["report context"] = repr(context)
        texts["report n"] = str(context["report"].method.interviews)
        db.session.remove()
    return texts


def login_as_of(app, username):
    from .helpers import Poster, login

    client = app.test_client()
    login(client, username)
    return client, Poster(client)


def test_an_excluded_interview_counts_nowhere(app, world, login_as, make_user, tmp_path):
    from .test_followup import _theme_with_cards
    from .test_public_page import _publish

    make_user("gemma", project_id=world.project_id, roles=("municipality",))
    rec_id = _theme_with_cards(app, world, KEPT + LEFT_OUT, approve=(KEPT[0], LEFT_OUT[0]))
    with app.app_context():
        left_out = db.session.scalars(select(Interview.id).join(Answer).where(Answer.text.in_(LEFT_OUT))).all()
        quote_ids = [str(q) for q in db.session.scalars(select(Quote.id).where(Quote.status == "approved"))]
        # The left-out people all come "Bijna nooit": a group of five, big enough to be shown.
        db.session.execute(update(Answer).where(Answer.interview_id.in_(left_out),
                                                Answer.question_id == world.question_ids[0]).values(value="3"))
        db.session.commit()
        db.session.remove()
    staff, post = login_as("staf")
    assert post(f"/projects/{world.project_id}/public-page/quotes", data={"quotes": quote_ids}).status_code == 303
    public_path = _publish(app, post, world)

    before = _surfaces(app, world, tmp_path, rec_id, public_path)
    # The test can see them: before the review, the left-out answers are on the pages that show texts.
    for name in ("results", "open answers", "themes board", "quotes", "report", "open-answers.csv",
                 "open-answers.xlsx", "public page", "data.csv", "data.xlsx"):
        assert LEFT_OUT[0] in before[name], name
    assert "Bijna nooit" in before["results"] and before["report n"] == "11" and before["data.sav rows"] == "11"
    assert "11 mensen vertelden hierover." in before["story"]

    # One through the page, the other four as the same service does it.
    _review(post, left_out[0], "excluded", note="Twee keer hetzelfde interview.", client=staff)
    with app.app_context():
        from peerinterview.accounts.services import find_user
        from peerinterview.interview.review import set_review

        for interview_id in left_out[1:]:
            set_review(db.session.get(Interview, interview_id), state="excluded", note="Dubbel.", seen=0,
                       by=find_user("staf"))
        db.session.commit()
        db.session.remove()

    after = _surfaces(app, world, tmp_path, rec_id, public_path)
    for name, text in after.items():
        for sentence in LEFT_OUT:
            assert sentence not in text, (name, sentence)
    for name in ("results", "open answers", "themes board", "report", "open-answers.csv", "public page"):
        assert KEPT[0] in after[name] or KEPT[1] in after[name], name
    assert after["report n"] == "6" and after["data.sav rows"] == "6"
    assert "6 mensen vertelden hierover." in after["story"] and "11 mensen" not in after["story"]
    assert "6 mensen vertelden hierover." in after["municipality story"]
    with app.app_context():
        from peerinterview.pool.disclosure import margin_plan
        from peerinterview.pool.services import pooled_results
        from peerinterview.panel.services import project_cards, theme_overview

        project = db.session.get(Project, world.project_id)
        assert margin_plan(project).total == 6
        q1 = next(r for r in pooled_results(project, {}, "") if r.question.key == "q1")
        assert {c.key: c.count for c in q1.cells}.get("3") == 0
        assert not {card.interview_id for card in project_cards(world.project_id)} & set(left_out)
        assert [(s.cards, s.people) for s in theme_overview(project)] == [(6, 6)]
        db.session.remove()


def test_only_approved_counts_under_the_strict_rule_and_small_groups_stay_hidden(app, world, login_as):
    ids = [_completed(app, world, "anna", q1="1", q3=f"Tekst {n}.") for n in range(6)]
    _set_project(app, world, count_rule="approved_only")
    with app.app_context():
        from peerinterview.pool.disclosure import margin_plan

        project = db.session.get(Project, world.project_id)
        assert margin_plan(project).total == 0
        db.session.remove()
    staff, post = login_as("staf")
    for interview_id in ids[:4]:
        _review(post, interview_id, "approved", client=staff)
    results = plain_text(staff.get(f"/projects/{world.project_id}/results"))
    # Four approved: fewer than five, so nothing is shown, not even through the counts.
    assert "Tekst 0." not in results
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        plan = margin_plan(project)
        assert plan.total == 4 and not plan.shown
        db.session.remove()
    _review(post, ids[4], "approved", client=staff)
    results = plain_text(staff.get(f"/projects/{world.project_id}/results"))
    assert "Tekst 0." in results and "Tekst 5." not in results


# Where a completed interview may still be selected without the counting rule, and why.
FIELDWORK_COUNTS = {
    # How many interviews were held and are in progress: the project's checklist and its page
    # report the fieldwork, not the results.
    "peerinterview/projects/checklist.py": 1,
    "peerinterview/projects/routes.py": 1,
    # The rule itself.
    "peerinterview/counting.py": 2,
    # The card table also gives the cards that are never shown (they move with their themes);
    # the cards shown are filtered with the rule.
    "peerinterview/panel/services.py": 1,
}


@pytest.mark.database_independent
def test_results_select_completed_interviews_only_through_the_counting_rule():
    """Every query for results goes through counting.counts_in_results: a new query that
    filters completed interviews by hand would count an excluded interview again."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found = {}
    for path in (root / "peerinterview").rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.split("/")[1] in ("interview", "security", "models"):
            continue  # taking interviews, erasure and retention work on every interview
        hits = len(re.findall(r'status == "completed"|was_completed\(\)', path.read_text(encoding="utf-8")))
        if hits:
            found[relative] = hits
    assert found == FIELDWORK_COUNTS


def test_the_pages_say_how_many_interviews_count_and_staff_see_why(app, world, login_as):
    ids = [_completed(app, world, "anna", q1="1", q3=f"Tekst {n}.") for n in range(7)]
    staff, post = login_as("staf")
    base = f"/projects/{world.project_id}"
    assert "Alle 7 interviews tellen mee." in plain_text(staff.get(f"{base}/results"))
    _review(post, ids[0], "excluded", note="De persoon was jonger dan 18.", client=staff)
    for url in (f"{base}/results", f"{base}/report", f"{base}/progress", f"{base}/exports", f"{base}/themes/overview"):
        page = staff.get(url)
        assert "6 van de 7 interviews tellen mee." in plain_text(page), url
        assert f"{base}/interviews#niet-meetellen" in html_of(page), url
    panel, _post = login_as("petra")
    page = panel.get(f"{base}/results")
    assert "6 van de 7 interviews tellen mee." in plain_text(page)
    assert "#niet-meetellen" not in html_of(page)  # the reasons are for staff
    text = plain_text(staff.get(f"{base}/interviews"))
    assert "1 interview telt niet mee" in text and "De persoon was jonger dan 18." in text
    _set_project(app, world, count_rule="approved_only")
    _review(post, ids[1], "approved", client=staff)
    text = plain_text(staff.get(f"{base}/results"))
    assert "1 van de 7 interviews telt mee. Alleen goedgekeurde interviews tellen mee." in text


def test_a_redaction_after_the_interview_is_kept_in_the_history_without_the_removed_details(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", completed=True,
                                  answers={"q1": "1", "q3": "Bel Sandra op 06-12345678."})
    with app.app_context():
        answer_id = db.session.scalars(select(Answer.id).where(Answer.interview_id == interview_id,
                                                               Answer.text.is_not(None))).one()
        db.session.remove()
    staff, post = login_as("staf")
    assert post(f"/projects/{world.project_id}/herkenbare-details/{answer_id}", {"part": "text"}).status_code == 303
    with app.app_context():
        change = db.session.scalars(select(AnswerChange)).one()
        assert (change.kind, change.old_text, change.new_text, change.user.username) == (
            "redaction", None, "Bel [naam] op [telefoonnummer].", "staf")
        db.session.remove()
    page = staff.get(f"/interviews/{interview_id}/answers")
    text = plain_text(page)
    assert "Veranderde antwoorden" in text and "Herkenbare gegevens weggehaald door de begeleider." in text
    assert "Sandra" not in text and "06-12345678" not in text


def test_exports_can_include_the_answer_history_and_stay_staff_only(app, world, login_as):
    import csv
    import io

    interview_id = _completed(app, world)
    staff, post_staff = login_as("staf")
    _review(post_staff, interview_id, "issue", note="Kijk vraag 1 en 3 na.", client=staff)
    anna, post = login_as("anna")
    q1, _q2, q3 = world.question_ids
    post(f"/interviews/{interview_id}/answers/{q1}/change", {"answer": "3", "reason": "Verkeerd aangetikt."})
    post(f"/interviews/{interview_id}/answers/{q3}/change", {"text": "Meer rust in de zaal.", "reason": "Beter verstaan."})
    base = f"/projects/{world.project_id}/exports"
    assert "Zet ook de veranderde antwoorden erin" in plain_text(staff.get(base))
    response = staff.get(f"{base}/answer-changes.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Code van de deelnemer", "Vraagcode", "Wanneer", "Door wie", "Was", "Werd", "Waarom"]
    assert [r[1] for r in rows[1:]] == ["q1", "q3"]
    assert rows[1][3:] == ["De interviewer", "1", "3", "Verkeerd aangetikt."]
    assert rows[2][4:] == ["Meer rust.", "Meer rust in de zaal.", "Beter verstaan."]
    assert "Anna" not in response.data.decode("utf-8-sig")  # roles, never names
    # Without open answers: no texts, and no reasons (they may quote one).
    rows = list(csv.reader(io.StringIO(staff.get(f"{base}/answer-changes.csv?leave_out=1").data.decode("utf-8-sig"))))
    assert rows[2][4:] == ["Weggelaten", "Weggelaten", "Weggelaten"]
    # The Excel file gets the sheet only when asked.
    from openpyxl import load_workbook

    plain = load_workbook(io.BytesIO(staff.get(f"{base}/data.xlsx").data), read_only=True)
    assert "Veranderde antwoorden" not in plain.sheetnames
    book = load_workbook(io.BytesIO(staff.get(f"{base}/data.xlsx?history=1").data), read_only=True)
    assert "Veranderde antwoorden" in book.sheetnames
    sheet_rows = list(book["Veranderde antwoorden"].iter_rows(values_only=True))
    assert len(sheet_rows) == 3 and sheet_rows[1][-1] == "Verkeerd aangetikt."
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.answer_changes")).first()
        assert event is not None and event.detail["rows"] == 2
        db.session.remove()
    for name in ("anna", "petra", "andere-staf"):
        client, _post = login_as(name)
        assert client.get(f"{base}/answer-changes.csv").status_code == 403, name


def test_withdrawal_and_the_retention_run_take_the_review_texts_and_the_answer_history(app, world, login_as):
    first, second = _completed(app, world), _completed(app, world)
    staff, post_staff = login_as("staf")
    anna, post = login_as("anna")
    for interview_id in (first, second):
        _review(post_staff, interview_id, "issue", note="Vraag 3 noemt Sandra.", client=staff)
        post(f"/interviews/{interview_id}/answers/{world.question_ids[2]}/change",
             {"text": "Meer rust, zonder namen.", "reason": "Sandra weggehaald."})
        post(f"/interviews/{interview_id}/review/reply", {"reply": "Sandra staat er niet meer in."})
    code = interview_row(app, first).respondent_code
    assert post_staff(f"/projects/{world.project_id}/interviews/withdraw",
                      {"respondent_code": code, "confirm": "yes"}).status_code == 303

    def left(interview_id):
        with app.app_context():
            notes = [r.note for r in db.session.scalars(
                select(InterviewReview).where(InterviewReview.interview_id == interview_id))]
            changes = db.session.scalars(select(AnswerChange).where(AnswerChange.interview_id == interview_id)).all()
            db.session.remove()
        return notes, len(changes)

    assert left(first) == ([None, None], 0)  # who and when stay, what they wrote goes
    assert left(second)[1] == 1
    with app.app_context():
        from peerinterview.security.retention import purge_project

        from datetime import date

        project = db.session.get(Project, world.project_id)
        project.retention_date = date(2026, 1, 1)
        purge_project(project, special_labels={}, no_answer_label="",
                      open_label="", not_asked_label="")
        db.session.commit()
        db.session.remove()
    assert left(second) == ([None, None], 0)
    assert interview_row(app, second).review_state == "issue"


def test_an_answer_of_the_interviewer_that_came_in_meanwhile_is_seen_before_a_decision(app, world, login_as):
    interview_id = _completed(app, world)
    staff, post_staff = login_as("staf")
    _review(post_staff, interview_id, "issue", note="Kijk vraag 2 na.", client=staff)
    seen = hidden_value(staff.get(f"/interviews/{interview_id}/answers"), "seen")
    anna, post = login_as("anna")
    assert post(f"/interviews/{interview_id}/review/reply", {"reply": "Het klopt toch niet."}).status_code == 303
    response = _review(post_staff, interview_id, "approved", seen=seen)
    assert response.status_code == 422
    text = plain_text(response)
    assert "Er is net iets veranderd bij dit interview." in text and "Het klopt toch niet." in text
    assert interview_row(app, interview_id).review_state == "issue"
    # Now the page shows the answer: the same choice goes through.
    assert _review(post_staff, interview_id, "approved", client=staff).status_code == 303


def _staff_and_panel_lists(staff, panel, base, round_url) -> dict[str, str]:
    """The text of the staff check (all, waiting), the project page, the board, a round, the
    start of a new round and every file of the REFI-QDA project."""
    import io
    import zipfile

    qdpx = zipfile.ZipFile(io.BytesIO(staff.get(f"{base}/exports/refi-qda/project.qdpx").data))
    return {"check, all": plain_text(staff.get(f"{base}/herkenbare-details?toon=alle")),
            "check, waiting": plain_text(staff.get(f"{base}/herkenbare-details?toon=wacht")),
            "project page": plain_text(staff.get(base)),
            "board": plain_text(panel.get(f"{base}/themes")),
            "round": plain_text(panel.get(round_url)),
            "new round": plain_text(staff.get(f"{base}/rounds")),
            "qdpx": " ".join(qdpx.read(name).decode("utf-8", "replace") for name in qdpx.namelist())}


def test_texts_of_an_excluded_interview_leave_the_staff_check_and_every_panel_list(app, world, login_as, make_user):
    """The staff check of open texts, its counts, the panel's "wacht op controle", a round's cards
    and the REFI-QDA project leave out an interview that does not count. (Results, cards, quotes,
    the public page and the other exports: test_an_excluded_interview_counts_nowhere.)"""
    kept = [_completed(app, world, "anna", q1="1", q3=text) for text in KEPT]
    released = make_interview(app, world.project_id, "anna", completed=True,
                              answers={"q1": "1", "q3": LEFT_OUT[0]})
    waiting = make_interview(app, world.project_id, "anna", completed=True, released=False,
                             answers={"q1": "1", "q3": LEFT_OUT[1]})
    make_interview(app, world.project_id, "anna", completed=True, released=False, answers={"q1": "1", "q3": KEPT[0]})
    make_user("sam", project_id=world.project_id, roles=("panel",))
    staff, post = login_as("staf")
    petra, _petra_post = login_as("petra")
    base = f"/projects/{world.project_id}"
    with app.app_context():
        from peerinterview.accounts.services import find_user

        members = [find_user("petra").id, find_user("sam").id]
        db.session.remove()
    response = post(f"{base}/rounds", {"cards": "all", "members": members})
    assert response.status_code == 303
    round_url = response.headers["Location"]

    def lists():
        return _staff_and_panel_lists(staff, petra, base, round_url)

    before = lists()
    assert LEFT_OUT[0] in before["check, all"] and LEFT_OUT[1] in before["check, waiting"]
    assert "Alle (9)" in before["check, all"] and "Wachten op controle (2)" in before["check, all"]
    assert LEFT_OUT[0] in before["round"] and LEFT_OUT[0] in before["qdpx"]
    assert "2 antwoorden wachten op controle." in before["project page"]
    assert "2 open antwoorden wachten nog op controle" in before["board"]
    assert "Alle kaarten (7)" in before["new round"]
    for interview_id in (released, waiting):
        assert _review(post, interview_id, "excluded", note="Dubbel.", client=staff).status_code == 303
    after = lists()
    for name, text in after.items():
        assert LEFT_OUT[0] not in text and LEFT_OUT[1] not in text, name
    assert KEPT[0] in after["check, waiting"] and KEPT[0] in after["check, all"] and KEPT[0] in after["round"]
    assert "Alle (7)" in after["check, all"] and "Wachten op controle (1)" in after["check, all"]
    assert "1 antwoord wacht op controle." in after["project page"]
    assert "1 open antwoord wacht nog op controle" in after["board"]
    assert "Alle kaarten (6)" in after["new round"]
    # Nor can staff act on such a text by its id: it is not in the check.
    with app.app_context():
        answer_id = db.session.scalars(select(Answer.id).where(Answer.text == LEFT_OUT[1])).one()
        db.session.remove()
    response = post(f"{base}/herkenbare-details/{answer_id}/vrijgeven", {"seen": "x"})
    assert response.status_code == 404
    assert len(kept) == len(KEPT)


# ---------------------------------------------------------------------------------------------
# The staff list by review state, and exports that say per interview how it was reviewed

def _codes(app, ids) -> list[str]:
    with app.app_context():
        codes = [db.session.get(Interview, i).respondent_code for i in ids]
        db.session.remove()
    return codes


def _listed(response) -> str:
    """The plain text of the staff's table of all interviews (not the other lists on the page)."""
    text = plain_text(response)
    return text[text.index("Alle interviews"):text.index("Een interview intrekken")]


@pytest.fixture
def reviewed(app, world, login_as):
    """Three approved, one "klopt iets niet", one "niet meetellen", one not reviewed, and one
    interview in progress. {state: [interview ids]}."""
    ids = {state: [_completed(app, world, "anna", q1="1", q3=f"Tekst {state} {n}.") for n in range(count)]
           for state, count in (("approved", 3), ("issue", 1), ("excluded", 1), ("none", 1))}
    ids["in_progress"] = [make_interview(app, world.project_id, "anna", answers={"q1": "1"})]
    staff, post = login_as("staf")
    for state in ("approved", "issue", "excluded"):
        for interview_id in ids[state]:
            note = "" if state == "approved" else "Kijk dit na."
            assert _review(post, interview_id, state, note=note, client=staff).status_code == 303
    return ids


def test_staff_filter_their_list_by_review_state_with_counts_and_pages(app, world, login_as, reviewed, monkeypatch):
    staff, _post = login_as("staf")
    base = f"/projects/{world.project_id}/interviews"
    page = _listed(staff.get(base))
    for words in ("Alle (7)", "Nog niet nagekeken (1)", "Goedgekeurd (3)", "Klopt iets niet (1)", "Niet meetellen (1)"):
        assert words in page, words
    assert all(code in page for code in _codes(app, [i for ids in reviewed.values() for i in ids]))
    for param, state in (("goedgekeurd", "approved"), ("klopt-iets-niet", "issue"),
                         ("niet-meetellen", "excluded"), ("nog-niet", "none")):
        listed = _listed(staff.get(f"{base}?nakijken={param}"))
        others = [i for s, ids in reviewed.items() if s != state for i in ids]
        assert all(code in listed for code in _codes(app, reviewed[state])), param
        assert not any(code in listed for code in _codes(app, others)), param
    assert staff.get(f"{base}?nakijken=onzin").status_code == 404
    # Pages keep the filter.
    monkeypatch.setattr("peerinterview.interview.review.STAFF_LIST_PER_PAGE", 2)
    response = staff.get(f"{base}?nakijken=goedgekeurd")
    assert "Pagina 1 van 2" in plain_text(response)
    assert "nakijken=goedgekeurd&amp;page=2" in html_of(response)
    listed = _listed(staff.get(f"{base}?nakijken=goedgekeurd&page=2"))
    assert sum(code in listed for code in _codes(app, reviewed["approved"])) == 1
    assert "Pagina 2 van 2" in listed
    # An interviewer sees only their own list, unfiltered and without the counts; others nothing.
    anna, _post = login_as("anna")
    text = plain_text(anna.get(f"{base}?nakijken=goedgekeurd"))
    assert "Goedgekeurd (3)" not in text and "Alle (7)" not in text
    assert all(code in text for code in _codes(app, reviewed["excluded"] + reviewed["none"]))
    for name in ("petra", "andere-staf"):
        client, _post = login_as(name)
        assert client.get(f"{base}?nakijken=goedgekeurd").status_code == 403, name
    assert app.test_client().get(f"{base}?nakijken=goedgekeurd").status_code == 302


def test_exports_say_the_review_state_and_hold_only_what_counts_unless_asked(app, world, login_as, reviewed):
    import csv
    import io

    staff, _post = login_as("staf")
    base = f"/projects/{world.project_id}/exports"
    page = plain_text(staff.get(base))
    assert "Alleen wat meetelt (5 interviews)" in page and "Alle interviews die klaar zijn (6 interviews)" in page

    def rows(name):
        response = staff.get(f"{base}/{name}")
        assert response.status_code == 200
        return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))

    by_code = {row["respondent"]: row for row in rows("data.csv")}
    excluded, = _codes(app, reviewed["excluded"])
    assert excluded not in by_code and len(by_code) == 5
    assert {by_code[c]["review"] for c in _codes(app, reviewed["approved"])} == {"2"}
    assert by_code[_codes(app, reviewed["issue"])[0]]["review"] == "3"
    assert by_code[_codes(app, reviewed["none"])[0]]["review"] == "1"
    assert {row["counts"] for row in by_code.values()} == {"1"}
    everything = {row["respondent"]: row for row in rows("data.csv?interviews=all")}
    assert len(everything) == 6 and (everything[excluded]["review"], everything[excluded]["counts"]) == ("4", "0")
    assert everything[excluded]["q3"] == "Tekst excluded 0."
    texts = rows("open-answers.csv?interviews=all")
    assert {(r["Tekst"], r["Nakijken"]) for r in texts} >= {("Tekst excluded 0.", "Niet meetellen"),
                                                           ("Tekst none 0.", "Nog niet nagekeken")}
    assert "Tekst excluded 0." not in {r["Tekst"] for r in rows("open-answers.csv")}
    # The codebook explains both columns; the SPSS file has the same rows.
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(staff.get(f"{base}/data.xlsx?interviews=all").data), read_only=True)
    codebook = {row[0]: row for row in book["Codeboek"].iter_rows(values_only=True)}
    assert "4 = Niet meetellen" in codebook["review"][4] and "1 = Ja" in codebook["counts"][4]
    assert len(list(book["Gegevens"].iter_rows(values_only=True))) == 7
    response = staff.get(f"{base}/data.csv?interviews=all")
    assert "alle-interviews" in response.headers["Content-Disposition"]
    with app.app_context():
        details = [e.detail["interviews"] for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export.data").order_by(AuditEvent.id))]
        db.session.remove()
    assert details == ["counted", "all", "all", "all"]
    for name in ("anna", "petra", "andere-staf"):
        client, _post = login_as(name)
        assert client.get(f"{base}/data.csv?interviews=all").status_code == 403, name
    assert app.test_client().get(f"{base}/data.csv?interviews=all").status_code == 302
