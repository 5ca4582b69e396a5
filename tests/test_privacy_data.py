"""Privacy over HTTP: erasure by respondent code (with confirmation, logged without content),
the logboek for staff (filters, read-only, NEN 7513 fields) and identifying details in open
answers, highlighted for staff and removable before the panel works with them."""
import re
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from peerinterview.audit import operation_of, record
from peerinterview.extensions import db
from peerinterview.models import Answer, AuditEvent, Coding, Interview, Quote, Theme, User

from .builders import html_of, interview_row, location_of, make_interview, plain_text
from .helpers import csrf_token


def answers_count(app, interview_id):
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Answer).where(Answer.interview_id == interview_id))
        db.session.remove()
    return n


# --- erasure by respondent code ------------------------------------------------------------------

def test_staff_erase_everything_of_one_respondent_after_confirming(app, world, login_as):
    keep = make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": "Blijft staan."}, completed=True)
    erase = make_interview(app, world.project_id, "anna", answers={"q1": "2", "q3": "Mijn naam is Kees."},
                           completed=True)
    code = interview_row(app, erase).respondent_code
    with app.app_context():
        answer = db.session.scalars(select(Answer).where(Answer.interview_id == erase, Answer.text.is_not(None))).one()
        theme = Theme(project_id=world.project_id, name="Namen")
        db.session.add(theme)
        db.session.flush()
        db.session.add(Coding(theme_id=theme.id, answer_id=answer.id, part="text"))
        db.session.add(Quote(project_id=world.project_id, answer_id=answer.id, part="text"))
        db.session.commit()
        db.session.remove()
    staff, post = login_as("staf")
    page = staff.get(f"/projects/{world.project_id}/wissen")
    assert "Gegevens van een deelnemer wissen" in plain_text(page)
    # Step 1: the code (typed in lower case, with spaces) shows what will go, nothing is erased yet.
    confirm = post(f"/projects/{world.project_id}/wissen", {"respondent_code": f" {code.lower()} "})
    assert confirm.status_code == 200
    text = plain_text(confirm)
    assert "Weet u het zeker?" in text and code in text and "De Haven" in text and "Antwoorden 2" in text
    assert confirm.headers["Cache-Control"] == "no-store"
    assert answers_count(app, erase) == 2
    # Without the tick box nothing happens either.
    refused = post(f"/projects/{world.project_id}/wissen", {"respondent_code": code, "step": "confirm"})
    assert refused.status_code == 422
    assert "Zet een vinkje als u zeker weet dat alles weg mag." in plain_text(refused)
    assert answers_count(app, erase) == 2
    done = post(f"/projects/{world.project_id}/wissen", {"respondent_code": code, "step": "confirm", "confirm": "y"})
    assert location_of(done) == f"/projects/{world.project_id}/wissen"
    assert "We hebben alles van deze deelnemer gewist: 2 antwoorden." in plain_text(staff.get(location_of(done)))
    with app.app_context():
        assert db.session.get(Interview, erase) is None
        assert db.session.get(Interview, keep) is not None
        assert db.session.scalar(select(func.count()).select_from(Coding)) == 0
        assert db.session.scalar(select(func.count()).select_from(Quote)) == 0
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.erase")).one()
        assert event.operation == "delete" and event.project_id == world.project_id
        assert event.detail == {"interview": erase, "answers_erased": 2}
        assert code not in str(event.detail) and "Kees" not in str(event.detail)
        db.session.remove()
    assert answers_count(app, keep) == 2


def test_an_unknown_code_is_a_field_error(world, login_as):
    _staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/wissen", {"respondent_code": "ZZZZZ"})
    assert response.status_code == 422
    assert "Er is geen interview met deze code in dit onderzoek. Controleer de code." in plain_text(response)
    empty = post(f"/projects/{world.project_id}/wissen", {"respondent_code": ""})
    assert empty.status_code == 422 and "Vul de code van de deelnemer in." in plain_text(empty)


def test_a_code_from_another_project_erases_nothing(app, world, login_as):
    interview = make_interview(app, world.project_id, "anna", answers={"q1": "1"}, completed=True)
    code = interview_row(app, interview).respondent_code
    _outsider, post = login_as("andere-staf")
    assert post(f"/projects/{world.project_id}/wissen", {"respondent_code": code, "step": "confirm",
                                                          "confirm": "y"}).status_code == 403
    response = post(f"/projects/{world.other_project_id}/wissen", {"respondent_code": code, "step": "confirm",
                                                                    "confirm": "y"})
    assert response.status_code == 422
    assert answers_count(app, interview) == 1


# --- the logboek ------------------------------------------------------------------------------------

def test_actions_are_classified_as_nen_7513_operations():
    assert operation_of("interview.read") == "read"
    assert operation_of("interview.start") == "create"
    assert operation_of("interview.withdraw") == "delete"
    assert operation_of("report.texts_update") == "change"
    assert operation_of("login.failed") == "login"
    assert operation_of("logout") == "login"
    assert operation_of("report.export") == "export"
    assert operation_of("report.pdf") == "print"
    assert operation_of("data.spss_export") == "export"


def test_every_entry_records_who_on_whose_behalf_what_when_and_from_where(app, world, login_as):
    staff, post = login_as("staf")
    with app.app_context():
        petra_id = db.session.scalar(select(User.id).where(User.username == "petra"))
        db.session.remove()
    before = datetime.utcnow() - timedelta(seconds=5)
    post(f"/accounts/{petra_id}/inlogkaarten", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login_card.card_create")).one()
        staf_id = db.session.scalar(select(User.id).where(User.username == "staf"))
        assert (event.user_id, event.on_behalf_of_id, event.operation, event.object_type, event.ip) == (
            staf_id, petra_id, "create", "logincard", "10.1.2.3")
        assert before <= event.at <= datetime.utcnow() + timedelta(seconds=5)  # naive UTC
        db.session.remove()


def test_staff_filter_the_logboek(app, world, login_as):
    interview = make_interview(app, world.project_id, "anna", answers={"q1": "1"}, completed=True)
    staff, _post = login_as("staf")
    staff.get(f"/interviews/{interview}/answers")  # a read of raw answers, logged
    page = staff.get("/logboek")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Wie deed wat, wanneer en van waar." in plain_text(page)
    assert {"interview.read", "interview.start", "login"} <= logged_actions(page)

    assert logged_actions(staff.get("/logboek?user=anna")) == {"interview.start", "interview.complete"}
    # Reading the logboek is itself a logged read.
    assert logged_actions(staff.get("/logboek?operation=read")) == {"interview.read", "audit_log.read"}
    assert logged_actions(staff.get(f"/logboek?object=interview:{interview}")) == {
        "interview.start", "interview.complete", "interview.read"}
    assert logged_actions(staff.get("/logboek?action=interview.")) == {
        "interview.start", "interview.complete", "interview.read"}
    assert logged_actions(staff.get(f"/logboek?project={world.project_id}&user=staf&operation=read")) == {
        "interview.read"}
    today = date.today()
    old = staff.get(f"/logboek?date_to={today - timedelta(days=2)}")
    assert "0 regels gevonden." in plain_text(old) and logged_actions(old) == set()
    window = f"date_from={today - timedelta(days=1)}&date_to={today + timedelta(days=1)}"
    assert "interview.read" in logged_actions(staff.get(f"/logboek?{window}"))
    # The columns: when (UTC), who, on whose behalf, kind, action, object, project, from where.
    # The action, the object and the project in words (the code stays on the cell for tools).
    row = re.search(r"<tr>\s*<td>[^<]+</td>\s*<td>staf</td>\s*<td>—</td>\s*<td>bekijken</td>\s*"
                    r'<td data-action="interview.read">Antwoorden van een interview bekeken</td>\s*'
                    r"<td>Interview [0-9a-f-]+</td>\s*"
                    r"<td>Onderzoek dagopvang</td>\s*"
                    r"<td>127.0.0.1</td>", html_of(staff.get("/logboek?operation=read")))
    assert row


def logged_actions(response) -> set[str]:
    return set(re.findall(r'<td data-action="([^"]+)">', html_of(response)))


def test_bad_filters_give_a_b1_error_not_a_crash(world, login_as):
    staff, _ = login_as("staf")
    for query in ("date_from=gisteren", "project=abc", "operation=hack", "page=-1", "date_to=9999-12-31",
                  "user=" + "x" * 500):
        response = staff.get(f"/logboek?{query}")
        assert response.status_code in (200, 422), query
    bad = staff.get("/logboek?date_from=gisteren")
    assert bad.status_code == 422 and "Er is iets niet goed" in plain_text(bad)


def test_staff_see_only_entries_of_their_own_projects(app, world, login_as):
    interview = make_interview(app, world.project_id, "anna", answers={"q1": "1"}, completed=True)
    outsider, _ = login_as("andere-staf")
    page = outsider.get("/logboek")
    text = plain_text(page)
    assert "interview.start" not in logged_actions(page) and interview not in text
    assert "login" in logged_actions(page)  # entries without a project (logins, accounts)


def test_nobody_changes_or_deletes_the_logboek_through_the_app(app, world, login_as):
    with app.app_context():
        record("test.entry", project_id=world.project_id)
        db.session.commit()
        before = db.session.scalar(select(func.count()).select_from(AuditEvent))
        db.session.remove()
    for rule in app.url_map.iter_rules():
        if "logboek" in rule.rule or rule.endpoint == "security.audit_log":
            assert rule.methods & {"POST", "PUT", "PATCH", "DELETE"} == set(), rule
    staff, post = login_as("staf")
    assert post("/logboek").status_code == 405
    assert staff.delete("/logboek").status_code == 405
    with app.app_context():
        after = db.session.scalar(select(func.count()).select_from(AuditEvent))
        db.session.remove()
    assert after >= before


def test_clients_cannot_read_the_logboek(world, login_as):
    for name in ("anna", "petra", "dirk"):
        client, _ = login_as(name)
        assert client.get("/logboek").status_code == 403


# --- identifying details in open answers ---------------------------------------------------------

def test_staff_see_identifying_details_marked_with_a_count(app, world, login_as):
    make_interview(app, world.project_id, "anna", completed=True, released=False,
                   answers={"q3": "Mijn begeleider Jan de Vries belt me op 06-12345678."})
    make_interview(app, world.project_id, "anna", completed=True, released=False,
                   answers={"q3": "Het eten is lekker."})
    staff, _ = login_as("staf")
    page = staff.get(f"/projects/{world.project_id}/herkenbare-details")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = html_of(page)
    assert re.search(r'<mark class="identifying identifying-name"[^>]*>Jan de Vries<span class="visually-hidden"> \(naam\)', html)
    assert re.search(r'<mark class="identifying identifying-phone"[^>]*>06-12345678', html)
    text = plain_text(page)
    assert "2 antwoorden wachten op controle." in text
    assert "Bij 1 daarvan vond de computer misschien herkenbare details." in text
    assert "2 details weghalen" in text
    assert "Het eten is lekker." in text
    only = plain_text(staff.get(f"/projects/{world.project_id}/herkenbare-details?alleen=gevonden"))
    assert "Het eten is lekker." not in only and "Jan de Vries" in only
    with app.app_context():
        read = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "open_answers.read")).first()
        assert read.operation == "read" and "Jan" not in str(read.detail)
        db.session.remove()


def test_answer_text_with_markup_is_escaped(app, world, login_as):
    make_interview(app, world.project_id, "anna", completed=True, released=False,
                   answers={"q3": "<script>alert(1)</script> Bel Sandra <b>nu</b>"})
    staff, _ = login_as("staf")
    html = html_of(staff.get(f"/projects/{world.project_id}/herkenbare-details"))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;nu&lt;/b&gt;" in html


def test_staff_remove_the_details_from_an_answer(app, world, login_as):
    interview = make_interview(app, world.project_id, "anna", completed=True,
                               answers={"q3": "Bel Sandra op 06-12345678, zij woont op de Kerkstraat 12."})
    with app.app_context():
        answer_id = db.session.scalars(select(Answer.id).where(Answer.interview_id == interview,
                                                               Answer.text.is_not(None))).one()
        db.session.remove()
    staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/herkenbare-details/{answer_id}", {"part": "text"})
    assert response.status_code == 303
    assert location_of(response).endswith(f"#answer-{answer_id}-text")
    with app.app_context():
        answer = db.session.get(Answer, answer_id)
        assert answer.text == "Bel [naam] op [telefoonnummer], zij woont op de [adres]."
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "answer.redact")).one()
        assert event.detail["details"]["phone"] == 1 and "Sandra" not in str(event.detail)
        db.session.remove()


def test_only_project_staff_see_and_redact(app, world, login_as):
    interview = make_interview(app, world.project_id, "anna", completed=True, answers={"q3": "Bel Sandra."})
    with app.app_context():
        answer_id = db.session.scalars(select(Answer.id).where(Answer.interview_id == interview,
                                                               Answer.text.is_not(None))).one()
        db.session.remove()
    for name in ("anna", "petra", "andere-staf"):
        client, post = login_as(name)
        assert client.get(f"/projects/{world.project_id}/herkenbare-details").status_code == 403
        assert post(f"/projects/{world.project_id}/herkenbare-details/{answer_id}", {"part": "text"}).status_code == 403
    with app.app_context():
        assert db.session.get(Answer, answer_id).text == "Bel Sandra."
        db.session.remove()


# --- control characters ---------------------------------------------------------------------------

def test_control_characters_in_a_form_are_refused_with_a_b1_page(app, world, login_as):
    _staff, post = login_as("staf")
    for bad in ("De\x00Haven", "bel\x07", "\x1b[31m"):
        response = post(f"/projects/{world.project_id}/locations", {"name": bad})
        assert response.status_code == 400
        assert "Het formulier was niet goed. Ga terug en probeer het opnieuw." in plain_text(response)
    # Tabs and line breaks are ordinary text.
    assert post(f"/projects/{world.project_id}/locations", {"name": "De\tKade"}).status_code in (302, 303)
    with app.app_context():
        from peerinterview.models import Location

        names = set(db.session.scalars(select(Location.name).where(Location.project_id == world.project_id)))
        db.session.remove()
    assert names == {"De Haven", "Het Anker", "De\tKade"}


def test_control_characters_in_a_query_string_are_refused(world, login_as):
    staff, _ = login_as("staf")
    response = staff.get("/logboek?user=%00anna")
    assert response.status_code == 400
    assert "Het formulier was niet goed." in plain_text(response)


def test_a_request_over_the_size_limit_gets_the_b1_413_page(app, world, login_as):
    _staff, post = login_as("staf")
    response = post(f"/projects/{world.project_id}/locations", {"name": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413
    assert "U stuurde te veel tekst of een te groot bestand." in plain_text(response)
    anonymous = app.test_client()
    token = csrf_token(anonymous, "/login")
    response = anonymous.post("/login", data={"csrf_token": token, "username": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413 and "Dit is te groot" in plain_text(response)


def test_staff_see_details_marked_on_the_open_answers_page_and_the_panel_does_not(app, world, login_as):
    from .builders import make_completed

    make_completed(app, world.project_id, "anna", [{"q3": "Bel Sandra op 06-12345678."}]
                   + [{"q3": "Het eten is lekker."} for _ in range(4)])
    url = f"/projects/{world.project_id}/results/q3/open-answers"
    staff, _ = login_as("staf")
    page = staff.get(url)
    assert page.status_code == 200
    html = html_of(page)
    assert '<mark class="identifying identifying-name">Sandra<span class="visually-hidden"> (naam)' in html
    assert '<mark class="identifying identifying-phone">06-12345678' in html
    assert "Op deze pagina: 2 mogelijk herkenbare details." in plain_text(page)
    assert f"/projects/{world.project_id}/herkenbare-details?toon=vrijgegeven&amp;alleen=gevonden" in html
    petra, _ = login_as("petra")
    panel = html_of(petra.get(url))
    assert "Bel Sandra op 06-12345678." in panel and "<mark" not in panel and "herkenbare" not in panel
