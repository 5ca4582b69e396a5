"""The consent text is translated like the questions; the start page says which texts an
interview in the chosen language would still show in Dutch; "Versie vastzetten" asks first and
lists the missing translations."""
from peerinterview.extensions import db
from peerinterview.models import Project

from .builders import html_of, location_of, plain_text
from .test_question_types import types_version  # noqa: F401 (fixture)


def edit_data(**overrides):
    data = {"name": "Onderzoek dagopvang", "research_question": "Wat vinden bezoekers?", "commissioner": "",
            "min_group_size": "5", "review_open_answers": "y", "retention_date": "",
            "consent_text": "Meedoen is vrijwillig.", "consent_text_en": ""}
    data.update(overrides)
    return data


def project_row(app, project_id):
    with app.app_context():
        project = db.session.get(Project, project_id)
        row = (project.consent_text, dict(project.consent_translations), project.consent_version)
        db.session.remove()
    return row


def test_staff_translate_the_consent_text(app, world, login_as):
    client, post = login_as("staf")
    assert 'name="consent_text_en"' in html_of(client.get(f"/projects/{world.project_id}/edit"))
    response = post(f"/projects/{world.project_id}/edit", edit_data(consent_text_en="Taking part is voluntary."))
    assert response.status_code == 303
    text, translations, version = project_row(app, world.project_id)
    assert translations == {"en": "Taking part is voluntary."} and version == 2
    assert "Taking part is voluntary." in html_of(client.get(f"/projects/{world.project_id}/edit"))
    # Saving again unchanged keeps the version; emptying it removes the translation.
    post(f"/projects/{world.project_id}/edit", edit_data(consent_text_en="Taking part is voluntary."))
    assert project_row(app, world.project_id)[2] == 2
    post(f"/projects/{world.project_id}/edit", edit_data(consent_text_en=""))
    assert project_row(app, world.project_id)[1:] == ({}, 3)


def test_start_page_says_what_an_english_interview_misses(app, world, types_version, login_as):  # noqa: F811
    client, post = login_as("anna")
    page = client.get(f"/projects/{world.project_id}/interviews/new")
    text = plain_text(page)
    assert "Nog niet vertaald in het Engels:" in text
    assert "de tekst voor toestemming" in text
    # Version 2: 8 questions; only "Wat eet u graag?" (4) and "Hoe oud bent u?" (5) are translated.
    assert "6 van de 8 vragen: vraag 1, 2, 3, 6, 7, 8" in text
    assert "1 uitleg tussen de vragen" in text and "2 titels van delen" in text
    assert 'data-for-language="en"' in html_of(page)
    # With the consent translated, that line goes, and the English text is on the page.
    _s, staff_post = login_as("staf")
    staff_post(f"/projects/{world.project_id}/edit", edit_data(consent_text_en="Taking part is voluntary."))
    page = client.get(f"/projects/{world.project_id}/interviews/new")
    assert "de tekst voor toestemming" not in plain_text(page)
    assert 'lang="en" data-consent-language="en"' in html_of(page)
    assert "Taking part is voluntary." in plain_text(page)


def test_freezing_asks_first_and_lists_missing_translations(app, world, draft_project, login_as):
    client, post = login_as("staf")
    post(f"/projects/{draft_project}/questionnaire/questions", {"kind": "single", "text": "Komt u graag?",
                                                               "choices": "Ja\nNee"})
    response = post(f"/projects/{draft_project}/questionnaire/freeze")
    assert response.status_code == 200
    text = plain_text(response)
    assert "Versie 1 vastzetten?" in text
    assert "Nog niet vertaald in het Engels:" in text and "1 van de 1 vragen: vraag 1" in text
    assert 'name="confirmed" value="yes"' in html_of(response)
    with app.app_context():
        from peerinterview.design.builder.services import questionnaire_of

        assert questionnaire_of(db.session.get(Project, draft_project)).latest_frozen is None
        db.session.remove()
    response = post(f"/projects/{draft_project}/questionnaire/freeze", {"confirmed": "yes"})
    assert location_of(response) == f"/projects/{draft_project}/questionnaire"
    with app.app_context():
        from peerinterview.design.builder.services import questionnaire_of

        assert questionnaire_of(db.session.get(Project, draft_project)).latest_frozen is not None
        db.session.remove()
