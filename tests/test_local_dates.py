"""Dates, times and the B1 advice follow the reader's language: local time in Amsterdam (the
database keeps UTC), day before month in Dutch and in English, and the checker's advice in
English for the English UI. A template may not print a date the way Python writes it."""
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import render_template_string
from flask_babel import force_locale
from sqlalchemy import update

from peerinterview.accounts.services import find_user
from peerinterview.audit import record
from peerinterview.extensions import db
from peerinterview.localize import b1_advice, format_date, format_datetime, format_time
from peerinterview.models import AuditEvent, Interview, Project, User
from peerinterview.plainlanguage import check
from peerinterview.security.cards import create_card

from .builders import html_of, make_interview, plain_text

ROOT = Path(__file__).resolve().parent.parent
HX = {"HX-Request": "true"}
# 23:30 UTC on 15 January is 00:30 on 16 January in Amsterdam (winter time, UTC+1); 22:30 UTC
# on 1 July is 00:30 on 2 July (summer time, UTC+2).
WINTER_NIGHT = datetime(2025, 1, 15, 23, 30)
SUMMER_NIGHT = datetime(2025, 7, 1, 22, 30)
# Every kind of advice the checker gives, an officialese one with two alternatives.
HARD_TEXT = (
    "Indien u het toestemmingsformulier in verband met de privacy tekent, dient u dit geanonimiseerd te retourneren. "
    "De brief wordt door de gemeentelijke dienstverlening aan alle bewoners van de dagopvang verstuurd "
    "zodra het onderzoek volledig is afgerond."
)


def set_locale(app, username, locale):
    with app.app_context():
        db.session.execute(update(User).where(User.username == username).values(locale=locale))
        db.session.commit()
        db.session.remove()


def set_started(app, interview_id, moment):
    with app.app_context():
        db.session.execute(update(Interview).where(Interview.id == interview_id)
                           .values(started_at=moment, completed_at=moment))
        db.session.commit()
        db.session.remove()


# --- formatting itself ---------------------------------------------------------------------------

@pytest.mark.parametrize("locale, expected_datetime, expected_date, expected_time", [
    ("nl", "16-01-2025, 00:30", "16 januari 2025", "00:30"),
    ("en", "16/01/2025, 00:30", "16 January 2025", "00:30"),
])
def test_a_utc_moment_is_shown_in_amsterdam_time_for_the_language(app, locale, expected_datetime,
                                                                  expected_date, expected_time):
    with app.test_request_context(), force_locale(locale):
        assert format_datetime(WINTER_NIGHT, "short") == expected_datetime
        assert format_date(WINTER_NIGHT, "long") == expected_date
        assert format_time(WINTER_NIGHT, "short") == expected_time
        # Summer time: two hours ahead.
        assert format_time(SUMMER_NIGHT, "short") == "00:30"
        assert format_date(SUMMER_NIGHT, "short") == ("02-07-2025" if locale == "nl" else "02/07/2025")
        # A date (no time of day) is never moved.
        assert format_date(date(2025, 1, 15), "long") == expected_date.replace("16", "15")
        assert format_datetime(None) == "" and format_date(None) == ""


def test_english_dates_are_not_american(app):
    with app.test_request_context(), force_locale("en"):
        shown = format_datetime(datetime(2025, 3, 4, 13, 5), "short")
    assert shown == "04/03/2025, 14:05"  # 4 March, 24-hour clock; not "3/4/25, 2:05 PM"
    assert "PM" not in shown


# --- pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("locale, expected", [("nl", "16-01-2025, 00:30"), ("en", "16/01/2025, 00:30")])
def test_interview_list_and_answers_show_local_time(app, world, login_as, locale, expected):
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "1"}, completed=True)
    set_started(app, interview_id, WINTER_NIGHT)
    set_locale(app, "anna", locale)
    client, _post = login_as("anna")
    listing = plain_text(client.get(f"/projects/{world.project_id}/interviews"))
    assert expected in listing
    assert "23:30" not in listing and "2025-01-15" not in listing
    # The answers page speaks the interview's language (Dutch here), in local time too.
    answers = plain_text(client.get(f"/interviews/{interview_id}/answers"))
    assert "16-01-2025, 00:30" in answers and "23:30" not in answers


def test_report_period_is_in_local_dates(app, world, login_as):
    interview_id = make_interview(app, world.project_id, "anna", answers={"q1": "1"}, completed=True)
    set_started(app, interview_id, WINTER_NIGHT)
    client, _post = login_as("staf")
    text = plain_text(client.get(f"/projects/{world.project_id}/report"))
    assert "Van 16 januari 2025 tot en met 16 januari 2025" in text
    set_locale(app, "staf", "en")
    client, _post = login_as("staf")
    text = plain_text(client.get(f"/projects/{world.project_id}/report"))
    assert "From 16 January 2025 to 16 January 2025" in text
    assert "January 16" not in text


def test_logboek_shows_local_time_and_filters_by_local_date(app, world, login_as):
    with app.app_context():
        staff = find_user("staf")
        record("project.update", user=staff, project_id=world.project_id, note="nacht")
        db.session.commit()
        db.session.execute(update(AuditEvent).where(AuditEvent.action == "project.update").values(at=WINTER_NIGHT))
        db.session.commit()
        db.session.remove()
    client, _post = login_as("staf")
    page = client.get("/logboek", query_string={"action": "project.update"})
    text = plain_text(page)
    assert "16 jan 2025, 00:30:00" in text
    assert "UTC" not in text and "2025-01-15 23:30" not in text
    # 00:30 on the 16th in Amsterdam belongs to the 16th, not to the 15th (its UTC date).
    on_16th = plain_text(client.get("/logboek", query_string={"action": "project.update", "date_from": "2025-01-16",
                                                              "date_to": "2025-01-16"}))
    assert "1 regel gevonden." in on_16th
    on_15th = plain_text(client.get("/logboek", query_string={"action": "project.update", "date_from": "2025-01-15",
                                                              "date_to": "2025-01-15"}))
    assert "0 regels gevonden." in on_15th
    # The earliest date a form can hold does not break the filter.
    assert client.get("/logboek", query_string={"date_from": "0001-01-01"}).status_code == 200


def test_login_cards_show_local_time_without_utc(app, world, login_as, make_user):
    make_user("kees", project_id=world.project_id, roles=("interviewer",))
    with app.app_context():
        card, _token = create_card(find_user("kees"), by=find_user("staf"))
        card.created_at = WINTER_NIGHT
        db.session.commit()
        user_id = find_user("kees").id
        db.session.remove()
    client, _post = login_as("staf")
    text = plain_text(client.get(f"/accounts/{user_id}/inlogkaarten"))
    assert "16-01-2025, 00:30" in text
    assert "UTC" not in text and "15-01-2025 23:30" not in text


@pytest.mark.parametrize("locale, expected", [("nl", "31 december 2026"), ("en", "31 December 2026")])
def test_project_page_writes_the_retention_date_for_the_language(app, world, login_as, locale, expected):
    with app.app_context():
        db.session.execute(update(Project).where(Project.id == world.project_id)
                           .values(retention_date=date(2026, 12, 31)))
        db.session.commit()
        db.session.remove()
    set_locale(app, "staf", locale)
    client, _post = login_as("staf")
    text = plain_text(client.get(f"/projects/{world.project_id}"))
    assert expected in text and "2026-12-31" not in text


# --- the B1 advice in the reader's language ---------------------------------------------------------

def test_english_ui_gives_the_b1_advice_in_english(app, draft_project, login_as):
    set_locale(app, "staf", "en")
    _client, post = login_as("staf")
    response = post(f"/projects/{draft_project}/questionnaire/advice",
                    {"advice_for": "text", "text": HARD_TEXT}, headers=HX)
    assert response.status_code == 200
    text = plain_text(response)
    # The advice speaks English; the words it suggests are Dutch, for the Dutch text.
    assert "Official-letter word: Indien Write 'Als' instead of 'Indien'." in text
    assert "Write 'moet' instead of 'dient ... te'." in text
    assert "Few people know the word 'geanonimiseerd'." in text
    assert "Make it two sentences. This sentence has" in text
    assert "doesn't say who does it" in text
    assert "'toestemmingsformulier' is a long word" in text
    # Two alternatives are joined in English too.
    assert " or " in re.search(r"Write ('[^']+' or '[^']+') instead of 'in verband met'", text).group(1)
    for dutch in ("Schrijf", "Maak er twee zinnen van", "Weinig mensen", "zegt niet wie het doet", "' of '"):
        assert dutch not in text
    # The advice is English, so it is not marked as Dutch; the quoted words from the text are.
    assert '<span lang="nl">' not in html_of(response)
    assert '<q lang="nl">Indien</q>' in html_of(response)


def test_dutch_advice_in_the_app_is_the_checkers_own_text(app):
    """The app translates the checker's messages; in Dutch it must read exactly as the checker
    (and `flask b1-check`) writes it."""
    report = check(HARD_TEXT)
    assert {f.kind for f in report.flags} == {"long_sentence", "long_word", "rare_word", "hard_word", "officialese",
                                              "passive"}
    with app.test_request_context(), force_locale("nl"):
        for flag in report.flags:
            assert b1_advice(flag) == flag.suggestion
    with app.test_request_context(), force_locale("en"):
        english = [b1_advice(flag) for flag in report.flags]
    assert not any(a == f.suggestion for a, f in zip(english, report.flags))


# --- no raw dates in templates -------------------------------------------------------------------

def test_a_template_that_prints_a_raw_datetime_fails(app):
    with app.test_request_context():
        with pytest.raises(TypeError, match="raw datetime"):
            render_template_string("<p>{{ moment }}</p>", moment=WINTER_NIGHT)
        with pytest.raises(TypeError, match="raw date"):
            render_template_string("<p>{{ day }}</p>", day=date(2025, 1, 15))
        assert render_template_string("{{ moment|datetimeformat('short') }}", moment=WINTER_NIGHT) == "16-01-2025, 00:30"


# A date attribute of a model (…_at, …_date, event.at, method.first/last, updated_at) inside {{ }}.
_DATE_NAME = re.compile(r"\b[\w.]*?(?:_at|_date|\.at|method\.first|method\.last|\bday)\b(?!\s*\()")
_FILTERED = re.compile(r"\s*\|\s*(?:dateformat|datetimeformat|timeformat)\b")
_CONDITION = re.compile(r"(?:\bif|\bnot|\band|\bor)\s+$")


def _raw_date_uses(source: str) -> list[str]:
    problems = []
    for bad in ("strftime(", "isoformat(", "|string", "| string"):
        for m in re.finditer(re.escape(bad), source):
            line = source[:m.start()].count("\n") + 1
            snippet = source[max(0, m.start() - 40):m.end() + 20]
            if bad.endswith("string") and not _DATE_NAME.search(snippet.split("|")[0][-40:]):
                continue  # |string on a number or a choice value
            problems.append(f"line {line}: {snippet.strip()}")
    for expression in re.finditer(r"\{\{(.*?)\}\}", source, re.S):
        body = expression.group(1)
        for m in _DATE_NAME.finditer(body):
            if _FILTERED.match(body, m.end()) or _CONDITION.search(body[:m.start()]):
                continue
            if m.group().startswith("form."):
                continue  # a form field renders its own <input type="date">
            line = source[:expression.start()].count("\n") + 1
            problems.append(f"line {line}: {{{{{body.strip()}}}}}")
    return problems


def test_no_template_prints_a_date_without_a_date_filter():
    problems = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        problems += [f"{path.relative_to(ROOT)} {p}" for p in _raw_date_uses(path.read_text(encoding="utf-8"))]
    assert not problems, (
        "Show dates with |dateformat, |datetimeformat or |timeformat (local time, the reader's "
        "language), never with strftime, isoformat or |string:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("source", [
    "{{ card.created_at.strftime('%d-%m-%Y') }}",
    "{{ _('Gewist op %(date)s', date=project.erased_at) }}",
    "{{ project.retention_date|string }}",
    "<td>{{ event.at }}</td>",
])
def test_the_template_check_catches_raw_dates(source):
    assert _raw_date_uses(source)


@pytest.mark.parametrize("source", [
    "{{ interview.started_at|datetimeformat('short') }}",
    "{{ _('Gemaakt op %(date)s', date=report.made_at|dateformat('long')) }}",
    "{{ _('Klaar') if interview.debriefed_at else '' }}",
    "{{ mouths.get(value|string) }}",
])
def test_the_template_check_lets_formatted_dates_pass(source):
    assert not _raw_date_uses(source)


def test_progress_counts_an_interview_on_the_local_day_it_happened(app, world, login_as):
    night = make_interview(app, world.project_id, "anna", answers={"q1": "1"}, completed=True)
    set_started(app, night, WINTER_NIGHT)  # 00:30 on Thursday 16 January in Amsterdam
    evening = make_interview(app, world.project_id, "anna", answers={"q1": "1"}, completed=True)
    set_started(app, evening, datetime(2025, 1, 15, 20, 0))  # 21:00 on Wednesday 15 January
    client, _post = login_as("staf")
    text = plain_text(client.get(f"/projects/{world.project_id}/progress"))
    days = text[text.index("Per dag"):text.index("Per interviewer")]
    assert "donderdag 16 januari 1 0 0" in days
    assert "woensdag 15 januari 1 0 0" in days
