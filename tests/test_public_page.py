"""The public results page over HTTP: project staff make the link (after ticking the warning),
choose which approved quotes are public, print the poster and take the link back; a visitor
without a login reads exactly what is approved, gets no cookie, and every link that does not
work gives the same 404 page. Other roles and other projects' staff are refused."""
import hashlib
import re
from datetime import date, timedelta

from sqlalchemy import select, update

from peerinterview.extensions import db
from peerinterview.models import AuditEvent, PublicLink, Quote, ReportText

from .builders import html_of, plain_text
from .test_followup import ANSWER, _add_agreement, _base, _theme_with_cards

SECRET = "Mijn buurman heet Jan en hij drinkt te veel."
APPROVED = "Ik wil een stille kamer."
PUBLISH = {"understood": "y", "expires_on": ""}


def _settings(world):
    return f"{_base(world)}/public-page"


def _publish(app, post, world, **extra) -> str:
    """Publish as staff; the path of the new link."""
    response = post(f"{_settings(world)}/publish", data={**PUBLISH, **extra})
    assert response.status_code == 303, html_of(response)
    with app.app_context():
        link = db.session.scalars(select(PublicLink).where(PublicLink.project_id == world.project_id,
                                                           PublicLink.revoked_at.is_(None))).one()
        path = f"/r/{link.token}"
        db.session.remove()
    return path


def _quote_id(text) -> int:
    quote_id = db.session.scalars(select(Quote.id).where(Quote.text == text)).one()
    db.session.remove()
    return quote_id


def _visitor(app):
    return app.test_client()


def test_staff_publish_after_the_warning_and_a_visitor_sees_only_what_is_approved(app, world, login_as):
    texts = [SECRET, APPROVED, "Ook goedgekeurd, maar niet voor iedereen."]
    rec = _theme_with_cards(app, world, texts, approve=(APPROVED, texts[2]))
    staf, post = login_as("staf")
    post(f"{_base(world)}/follow-up/{rec}/answer", data=ANSWER)
    agreement_id = _add_agreement(post, world, rec)
    post(f"{_base(world)}/agreements/{agreement_id}/milestones", data={"happened_on": "2026-04-15",
                                                                       "text": "De kamer is geverfd."})
    with app.app_context():
        db.session.add(ReportText(project_id=world.project_id, title="", question="", summary="", method_notes="",
                                  respondent_summary="Veel mensen willen meer rust in de avond."))
        db.session.commit()
        approved_id = _quote_id(APPROVED)

    # The settings page: the warning, the tick box and the preview of exactly what the public sees.
    page = plain_text(staf.get(_settings(world)))
    assert "Iedereen met deze link kan dit zien. Zet er niets op dat niet iedereen mag lezen." in page
    assert "Zo ziet iedereen de pagina" in page and "Maak een stille kamer." in page
    assert APPROVED in page  # as a choice: approved, not yet public
    assert SECRET not in page

    # Without the tick: 422 with the error summary, and no link.
    response = post(f"{_settings(world)}/publish", data={"expires_on": ""})
    assert response.status_code == 422
    assert "Zet een vinkje als je de waarschuwing gelezen hebt." in plain_text(response)
    assert "Fout:" in html_of(response).split("</title>")[0]
    with app.app_context():
        assert db.session.scalars(select(PublicLink)).all() == []
        db.session.remove()

    assert post(f"{_settings(world)}/quotes", data={"quotes": [str(approved_id)]}).status_code == 303
    path = _publish(app, post, world)
    assert len(path.split("/r/")[1]) >= 43  # token_urlsafe(32)

    visitor = _visitor(app)
    response = visitor.get(path)
    assert response.status_code == 200
    text = plain_text(response)
    assert "Dit hebben we gehoord" in text and "Veel mensen willen meer rust in de avond." in text
    assert "Maak een stille kamer." in text and "Ja, dat gaan we doen" in text
    assert "Een stille kamer in De Haven." in text and "Nog niet begonnen" in text
    assert "De kamer is geverfd." in text
    assert APPROVED in text
    assert SECRET not in text and texts[2] not in text
    # No number of people (see the test about subtracting below).
    assert "3 mensen" not in text and "vertelden hierover" not in text
    assert 'data-read-aloud="#public-text"' in html_of(response)
    # Nothing of the app's logged-in frame: no login link, no forms, no htmx.
    assert "<form" not in html_of(response) and "htmx" not in html_of(response)


def test_the_public_page_sets_no_cookie_and_sends_the_privacy_headers(app, world, login_as):
    _staf, post = login_as("staf")
    path = _publish(app, post, world)
    for url in (path, "/r/" + "x" * 43):
        response = _visitor(app).get(url, headers={"Accept-Language": "en"})
        assert "Set-Cookie" not in response.headers, url
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "noindex" in response.headers["X-Robots-Tag"]
        assert response.headers["Cache-Control"] == "no-store"
        # Everything from this server: no third party in the CSP or the page.
        assert "https://" not in response.headers["Content-Security-Policy"]
        assert not re.search(r'(src|href)="https?://', html_of(response))


def test_the_counter_counts_visits_and_staff_see_it(app, world, login_as):
    staf, post = login_as("staf")
    path = _publish(app, post, world)
    with app.app_context():
        events = len(db.session.scalars(select(AuditEvent)).all())
        db.session.remove()
    for _ in range(3):
        assert _visitor(app).get(path).status_code == 200
    with app.app_context():
        link = db.session.scalars(select(PublicLink)).one()
        assert link.visits == 3
        # The visitor is in no log: not their address, not their browser.
        assert len(db.session.scalars(select(AuditEvent)).all()) == events
        db.session.remove()
    assert "De pagina is 3 keer bekeken." in plain_text(staf.get(_settings(world)))


def _gone(response):
    assert response.status_code == 404
    text = plain_text(response)
    assert "Deze link werkt niet (meer)." in text
    return text


def test_revoked_expired_unknown_and_replaced_links_give_the_same_404(app, world, login_as):
    _theme_with_cards(app, world, ["Een tekst."])
    staf, post = login_as("staf")
    first = _publish(app, post, world)
    second = _publish(app, post, world)  # a new link: the old one stops working
    assert first != second
    visitor = _visitor(app)
    assert visitor.get(second).status_code == 200
    unknown = _gone(visitor.get("/r/" + "A" * 43))
    assert _gone(visitor.get(first)) == unknown
    # A token that is only its hash, or too long, is no way in either.
    with app.app_context():
        stored = db.session.scalars(select(PublicLink.token_hash)).first()
        db.session.remove()
    assert _gone(visitor.get("/r/" + stored)) == unknown
    assert _gone(visitor.get("/r/" + "B" * 300)) == unknown

    # Expired: the end date has passed.
    with app.app_context():
        db.session.execute(update(PublicLink).values(expires_on=date.today() - timedelta(days=2)))
        db.session.commit()
    assert _gone(visitor.get(second)) == unknown
    assert "De einddatum is voorbij." in plain_text(staf.get(_settings(world)))

    # Revoked.
    third = _publish(app, post, world, expires_on=(date.today() + timedelta(days=30)).isoformat())
    assert visitor.get(third).status_code == 200
    assert "Deze link werkt tot en met" in plain_text(staf.get(_settings(world)))
    assert post(f"{_settings(world)}/revoke").status_code == 303
    assert _gone(visitor.get(third)) == unknown
    assert staf.get(f"{_settings(world)}/poster").status_code == 404
    assert "Er is nu geen link." in plain_text(staf.get(_settings(world)))


def test_an_end_date_in_the_past_is_refused(app, world, login_as):
    _staf, post = login_as("staf")
    response = post(f"{_settings(world)}/publish",
                    data={**PUBLISH, "expires_on": (date.today() - timedelta(days=2)).isoformat()})
    assert response.status_code == 422
    assert "Kies vandaag of een dag later." in plain_text(response)


def test_a_deleted_project_takes_its_link_with_it(app, world, login_as):
    from peerinterview.models import Project

    _staf, post = login_as("staf")
    path = _publish(app, post, world)
    with app.app_context():
        db.session.delete(db.session.get(Project, world.project_id))
        db.session.commit()
        assert db.session.scalars(select(PublicLink)).all() == []
        db.session.remove()
    _gone(_visitor(app).get(path))


def test_the_link_is_found_by_its_hash_and_the_path_has_no_project_id(app, world, login_as):
    _staf, post = login_as("staf")
    path = _publish(app, post, world)
    with app.app_context():
        link = db.session.scalars(select(PublicLink)).one()
        assert link.token_hash == hashlib.sha256(link.token.encode()).hexdigest()
        db.session.remove()
    assert path == f"/r/{link.token}" and "projects" not in path


def test_a_quote_taken_back_or_of_a_withdrawn_interview_leaves_the_public_page(app, world, login_as):
    rec = _theme_with_cards(app, world, [APPROVED, "Tweede uitspraak voor iedereen."],
                            approve=(APPROVED, "Tweede uitspraak voor iedereen."))
    assert rec
    _staf, post = login_as("staf")
    with app.app_context():
        first, second = _quote_id(APPROVED), _quote_id("Tweede uitspraak voor iedereen.")
    path = _publish(app, post, world)
    post(f"{_settings(world)}/quotes", data={"quotes": [str(first), str(second)]})
    text = plain_text(_visitor(app).get(path))
    assert APPROVED in text and "Tweede uitspraak voor iedereen." in text

    # Staff reopen the first quote: it waits for approval again and leaves the public page.
    decide = f"{_base(world)}/quotes/{first}"
    assert post(decide, {f"q{first}-action": "reopen", f"q{first}-version": "1"}).status_code == 303
    # Approved again (even with the same words): not public until staff choose it again.
    post(decide, {f"q{first}-action": "approve", f"q{first}-version": "2", f"q{first}-text": APPROVED})
    with app.app_context():
        assert db.session.get(Quote, first).status == "approved"
        db.session.remove()
    text = plain_text(_visitor(app).get(path))
    assert APPROVED not in text and "Tweede uitspraak voor iedereen." in text

    # The interview of the second quote is erased (its answers, and the quote, go with it).
    with app.app_context():
        quote = db.session.get(Quote, second)
        db.session.delete(quote.answer.interview)
        db.session.commit()
        assert db.session.get(Quote, second) is None
        db.session.remove()
    assert "Tweede uitspraak voor iedereen." not in plain_text(_visitor(app).get(path))


def test_a_quote_id_of_another_project_or_not_approved_cannot_be_made_public(app, world, login_as):
    _theme_with_cards(app, world, [SECRET])  # proposed, not approved
    _staf, post = login_as("staf")
    with app.app_context():
        secret_id = db.session.scalars(select(Quote.id)).one()
        db.session.remove()
    path = _publish(app, post, world)
    assert post(f"{_settings(world)}/quotes", data={"quotes": [str(secret_id)]}).status_code == 303
    assert SECRET not in plain_text(_visitor(app).get(path))


def test_the_public_page_gives_no_number_of_people_that_an_interviewer_could_subtract_from(app, world, login_as):
    """Six people mentioned the theme: enough for the panel's pages. All six were Anna's
    interviews, and Anna can open the public link like anyone: "6 people" would tell her that
    nobody else did. The page gives no number at all, in no form."""
    _theme_with_cards(app, world, [f"Meer rust, zegt persoon {n}." for n in range(6)])
    _staf, post = login_as("staf")
    path = _publish(app, post, world)
    text = plain_text(_visitor(app).get(path))
    assert "Thema: Rust." in text
    assert not re.search(r"\d+\s+(mensen|persoon|personen)", text), text
    assert "vertelde" not in text and "vertelden" not in text
    # The panel still sees the number where it is allowed.
    client, _post = login_as("petra")
    assert "6 mensen vertelden hierover." in plain_text(client.get(f"{_base(world)}/follow-up/{_first_rec(app, world)}/story"))


def _first_rec(app, world):
    from peerinterview.models import Recommendation, Theme

    with app.app_context():
        rec_id = db.session.scalar(select(Recommendation.id).join(Theme).where(Theme.project_id == world.project_id))
        db.session.remove()
    return rec_id


def test_panel_interviewers_and_other_staff_cannot_make_or_see_the_settings(app, world, login_as):
    _staf, staf_post = login_as("staf")
    path = _publish(app, staf_post, world)
    settings = _settings(world)
    for who in ("petra", "anna", "dirk", "andere-staf"):
        client, post = login_as(who)
        assert client.get(settings).status_code == 403, who
        assert client.get(f"{settings}/poster").status_code == 403, who
        assert post(f"{settings}/publish", data=PUBLISH).status_code == 403, who
        assert post(f"{settings}/revoke").status_code == 403, who
        assert post(f"{settings}/quotes", data={"quotes": []}).status_code == 403, who
    # Staff of another project, on their own project's pages, cannot reach this link either.
    other, other_post = login_as("andere-staf")
    assert other.get(f"/projects/{world.other_project_id}/public-page").status_code == 200
    assert other_post(f"/projects/{world.other_project_id}/public-page/revoke").status_code == 303
    assert _visitor(app).get(path).status_code == 200
    # A logged-out visitor is sent to the login page, never to the settings.
    response = _visitor(app).get(settings)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _visitor(app).get("/projects/999999/public-page").status_code == 302


def test_the_poster_has_a_qr_code_of_the_link(app, world, login_as):
    staf, post = login_as("staf")
    path = _publish(app, post, world)
    response = staf.get(f"{_settings(world)}/poster")
    assert response.status_code == 200
    html = html_of(response)
    assert 'src="data:image/svg+xml' in html and path in html
    assert "Scan de code met je telefoon" in plain_text(response)


def test_the_demo_has_a_public_page_and_flask_demo_prints_its_link(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    path = re.search(r"Openbare pagina, zonder inloggen: (/r/[\w-]+)", result.output).group(1)
    response = _visitor(app).get(path)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    text = plain_text(response)
    assert "Veel mensen willen meer rust in de avond." in text
    assert "Maak een stille kamer waar mensen tot rust kunnen komen." in text
    assert "Half klaar" in text and "De kamer is geverfd." in text
    with app.app_context():
        quote = db.session.scalars(select(Quote).where(Quote.status == "approved")).first()
        assert quote is not None
        quote_text = quote.text
        db.session.remove()
    assert quote_text in text
    # Run again: nothing new, and the same link is printed.
    again = app.test_cli_runner().invoke(args=["demo"])
    assert path in again.output
