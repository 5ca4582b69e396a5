"""Pictures with questions and answers, over HTTP: the vendored OpenMoji subset and its search,
the designer's pictures page (search without and with htmx, pick, take away), what is refused
(unknown pictures, answers of another question, scales, another project's question, a frozen
version, logged-out visitors), and the pictures on the interview screen, its offline copy and
the panel's results."""
import json
import re

import pytest
from sqlalchemy import select

from peerinterview import pictograms
from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import freeze_version, new_draft, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import AuditEvent, Choice, Project, Question

from .builders import html_of, location_of, make_completed, plain_text, start_interview_http
from .test_design import add, question_ids

HX = {"HX-Request": "true"}
BUS, APPLE, THUMBS_UP, THUMBS_DOWN, HOUSE = "1F68C", "1F34E", "1F44D", "1F44E", "1F3E0"


def pictures_url(project_id, question_id, **query):
    url = f"/projects/{project_id}/questionnaire/questions/{question_id}/pictures"
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def pictures_of(app, question_id):
    """(question picture, [answer pictures in order])."""
    with app.app_context():
        question = db.session.get(Question, question_id)
        found = (question.picture, [c.picture for c in question.choices])
        db.session.remove()
    return found


@pytest.fixture
def single(draft_project, login_as):
    """dirk (designer) and a single-choice and a scale question in his project's draft."""
    client, post = login_as("dirk")
    assert add(post, draft_project, kind="single", text="Hoe komt u hier?", choices="Met de bus\nLopend").status_code == 303
    assert add(post, draft_project, kind="scale5", text="Hoe voelt u zich?").status_code == 303
    return client, post, question_ids(client.application, draft_project)


# --- the vendored set -----------------------------------------------------------------------

def render_picture(app, code, class_="pictogram"):
    with app.app_context():
        return str(app.jinja_env.get_template("macros/pictogram.html").module.pictogram(code, class_))


def test_the_vendored_subset_has_its_licence_version_and_small_safe_pictures(app):
    folder = pictograms.FOLDER
    assert folder.name == f"openmoji-{pictograms.OPENMOJI_VERSION}"
    assert "Attribution-ShareAlike 4.0" in (folder / "LICENSE.txt").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in (folder / "README.txt").read_text(encoding="utf-8")
    catalogue = json.loads((folder / "pictograms.json").read_text(encoding="utf-8"))
    subset = [line.split()[0] for line in (folder.parents[3] / "scripts" / "openmoji_subset.txt")
              .read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    assert list(catalogue) == subset and len(subset) >= 300
    pictures = {code: render_picture(app, code) for code in catalogue}
    sizes = sorted(len(svg) for svg in pictures.values())
    assert sizes[len(sizes) // 2] < 2000  # optimised: the median picture is small
    for code, entry in catalogue.items():
        assert entry["nl"] and entry["en"], code
        # Inline many times on one page under a strict CSP: no ids, no style, no script, no links.
        svg = pictures[code]
        # Every shape and every attribute of the file is written (none lost on the way).
        def count(nodes):
            return sum(1 + len(attributes) + count(children) for _tag, attributes, children in nodes)
        assert svg.count('="') + svg.count("<") - svg.count("</") == count(entry["svg"]) + 4 + 1, code
        for forbidden in (" id=", "style", "<script", "href", "\n"):
            assert forbidden not in svg, (code, forbidden)


def test_a_changed_vendored_file_cannot_put_script_on_a_page(app, monkeypatch):
    """The file holds shapes as data; the app writes the SVG, escapes every value and leaves out
    what is no shape or presentation attribute."""
    evil = {"nl": "kwaad", "en": "evil", "svg": [
        ["script", {}, [["path", {"d": "M0"}, []]]],
        ["path", {"onload": "alert(1)", "d": 'M0"/><script>alert(2)</script>', "xlink:href": "x"}, []],
        ["g", {"fill": "red"}, [["foreignObject", {}, []], ["circle", {"r": "1"}, []]]],
    ]}
    monkeypatch.setattr(pictograms, "_catalogue", lambda: {"EVIL": evil})
    pictograms.shapes.cache_clear()
    try:
        svg = render_picture(app, "EVIL")
    finally:
        pictograms.shapes.cache_clear()
    assert "<script" not in svg and "onload" not in svg and "href" not in svg and "foreignObject" not in svg
    assert '<path d="M0&#34;/&gt;&lt;script&gt;alert(2)&lt;/script&gt;"/>' in svg
    assert '<g fill="red"><circle r="1"/></g>' in svg


def test_search_finds_dutch_and_english_words_best_first(app):
    assert pictograms.search("bus")[0].code == BUS
    assert APPLE in [p.code for p in pictograms.search("appel")]
    assert APPLE in [p.code for p in pictograms.search("Apple")]
    assert pictograms.search("ei")[0].code == "1F95A"  # the whole word before "reis" or "bein"
    assert [p.code for p in pictograms.search("duim ja")] == [THUMBS_UP]  # every word must match
    assert pictograms.search("qqqxyz") == []
    assert len(pictograms.search("")) == pictograms.SEARCH_LIMIT
    assert render_picture(app, "not-a-code") == "" and render_picture(app, "") == ""
    svg = render_picture(app, BUS)
    assert svg.startswith('<svg class="pictogram" viewBox="0 0 72 72" aria-hidden="true" focusable="false">')


# --- the designer's pictures page -------------------------------------------------------------

def test_designer_searches_picks_and_takes_away_pictures(app, draft_project, single):
    client, post, (question_id, _scale_id) = single
    page = client.get(pictures_url(draft_project, question_id))
    assert page.status_code == 200
    assert "Kies een plaatje : Hoe komt u hier?" in plain_text(page)
    assert "Kies een plaatje : Met de bus" in plain_text(page)
    # Without JavaScript: a GET search for the question's place, then a button per picture.
    page = client.get(pictures_url(draft_project, question_id, voor="vraag", zoek="bus"))
    assert page.status_code == 200 and 'id="zoek-plaatje"' in html_of(page)
    assert f'name="picture" value="{BUS}"' in html_of(page)
    response = post(pictures_url(draft_project, question_id), {"target": "vraag", "picture": BUS})
    assert response.status_code == 303
    assert location_of(response).endswith("#plek-vraag")
    with app.app_context():
        choice_id = db.session.scalars(select(Choice.id).where(Choice.question_id == question_id)
                                       .order_by(Choice.position)).first()
    response = post(pictures_url(draft_project, question_id), {"target": str(choice_id), "picture": BUS})
    assert response.status_code == 303
    assert pictures_of(app, question_id) == (BUS, [BUS, ""])
    page = client.get(pictures_url(draft_project, question_id))
    assert "Plaatje: bus," not in plain_text(page) and "Plaatje: bus" in plain_text(page) and "Plaatje weghalen : Met de bus" in plain_text(page)
    # The question list shows them too.
    assert html_of(client.get(f"/projects/{draft_project}/questionnaire")).count('class="pictogram"') == 2
    # The question's history says which picture came, in words (the picture itself is hidden from
    # screen readers).
    with app.app_context():
        key = db.session.get(Question, question_id).key
    history = client.get(f"/projects/{draft_project}/questionnaire/history/{key}")
    assert "Plaatje bij de vraag" in plain_text(history) and "bus" in plain_text(history)
    # Taking one away; the other stays.
    assert post(pictures_url(draft_project, question_id), {"target": "vraag", "picture": ""}).status_code == 303
    assert pictures_of(app, question_id) == ("", [BUS, ""])
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "question.picture")
                                    .order_by(AuditEvent.id)).all()
        assert [(e.user_id, e.detail["answer"], e.detail["picture"]) for e in events] == [
            (find_user("dirk").id, None, BUS), (find_user("dirk").id, "1", BUS), (find_user("dirk").id, None, None)]


def test_live_results_are_only_the_list_of_pictures(draft_project, single):
    client, _post, (question_id, _scale_id) = single
    response = client.get(pictures_url(draft_project, question_id, voor="vraag", zoek="apple"), headers=HX)
    assert response.status_code == 200
    fragment = html_of(response)
    assert "<main" not in fragment and fragment.lstrip().startswith('<div id="picture-results">')
    assert f'value="{APPLE}"' in fragment and 'name="csrf_token"' in fragment
    # The count goes into the live region that stays on the page.
    assert re.search(r'<span id="picture-count" hx-swap-oob="innerHTML">\d+ plaatjes? gevonden</span>', fragment)
    empty = client.get(pictures_url(draft_project, question_id, voor="vraag", zoek="qqqxyz"), headers=HX)
    assert "Geen plaatje gevonden. Probeer een ander woord." in plain_text(empty)


@pytest.mark.parametrize("data, message", [
    ({"target": "vraag", "picture": "1F4A9-not"}, "Dit plaatje kennen we niet. Kies een plaatje uit de lijst."),
    ({"target": "vraag", "picture": "<svg onload=alert(1)>"}, "Dit plaatje kennen we niet."),
    ({"target": "999999", "picture": BUS}, "Kies de vraag of een van de antwoorden."),
    ({"target": "", "picture": BUS}, "Kies de vraag of een van de antwoorden."),
])
def test_unknown_pictures_and_places_are_refused_with_the_error_summary(app, draft_project, single, data, message):
    _client, post, (question_id, _scale_id) = single
    response = post(pictures_url(draft_project, question_id), data)
    assert response.status_code == 422
    assert 'class="error-summary"' in html_of(response) and message in plain_text(response)
    assert "onload" not in html_of(response)
    assert pictures_of(app, question_id) == ("", ["", ""])


def test_answers_of_another_question_and_of_a_scale_get_no_picture(app, draft_project, single):
    _client, post, (question_id, scale_id) = single
    with app.app_context():
        scale_choice = db.session.scalars(select(Choice.id).where(Choice.question_id == scale_id)).first()
    # Another question's answer, through this question's page.
    response = post(pictures_url(draft_project, question_id), {"target": str(scale_choice), "picture": BUS})
    assert response.status_code == 422
    # A scale keeps its smileys: its answers have no place for a picture; the question itself may.
    response = post(pictures_url(draft_project, scale_id), {"target": str(scale_choice), "picture": BUS})
    assert response.status_code == 422
    assert post(pictures_url(draft_project, scale_id), {"target": "vraag", "picture": HOUSE}).status_code == 303
    assert pictures_of(app, scale_id)[1] == ["", "", "", "", ""]
    assert pictures_of(app, question_id) == ("", ["", ""])


def test_another_projects_question_a_frozen_version_and_visitors_are_refused(app, world, draft_project, single,
                                                                             login_as):
    _client, _post, (question_id, _scale_id) = single
    # dirk designs both projects: the world's frozen question through his draft project's URL.
    dirk_client, dirk_post = login_as("dirk")
    frozen = world.question_ids[0]
    assert dirk_client.get(pictures_url(draft_project, frozen)).status_code == 404
    assert dirk_post(pictures_url(draft_project, frozen), {"target": "vraag", "picture": BUS}).status_code == 404
    # The world's own project: its version is frozen, so nothing changes there.
    assert dirk_post(pictures_url(world.project_id, frozen), {"target": "vraag", "picture": BUS}).status_code == 409
    # Staff of another project, an interviewer and the panel: not their questionnaire.
    for name in ("andere-staf", "anna", "petra"):
        client, post = login_as(name)
        assert client.get(pictures_url(draft_project, question_id)).status_code in (403, 404), name
        assert post(pictures_url(draft_project, question_id), {"target": "vraag", "picture": BUS}).status_code in (403, 404)
    visitor = app.test_client()
    assert visitor.get(pictures_url(draft_project, question_id)).status_code in (302, 303)
    assert pictures_of(app, question_id) == ("", ["", ""]) and pictures_of(app, frozen)[0] == ""


def test_a_new_version_keeps_the_pictures(app, draft_project, single):
    _client, post, (question_id, _scale_id) = single
    with app.app_context():
        choice_id = db.session.scalars(select(Choice.id).where(Choice.question_id == question_id)
                                       .order_by(Choice.position.desc())).first()
    assert post(pictures_url(draft_project, question_id), {"target": str(choice_id), "picture": APPLE}).status_code == 303
    with app.app_context():
        project = db.session.get(Project, draft_project)
        freeze_version(questionnaire_of(project).draft, by=find_user("staf"))
        draft = new_draft(questionnaire_of(project), by=find_user("staf"))
        db.session.commit()
        assert [c.picture for c in draft.questions[0].choices] == ["", APPLE]
        db.session.remove()


# --- the interview screen, its offline copy and the results ----------------------------------

@pytest.fixture
def world_with_pictures(app, world):
    """The world's frozen question 1 ("Hoe vaak komt u hier?") with a picture and pictures with
    two of its three answers, as the builder had put them before the version was frozen."""
    with app.app_context():
        question = db.session.get(Question, world.question_ids[0])
        question.picture = HOUSE
        question.choices[0].picture, question.choices[1].picture = THUMBS_UP, THUMBS_DOWN
        db.session.commit()
        db.session.remove()
    return world


def _options(page):
    return re.search(r'<div class="answer-options[^"]*">.*?</div>\s*(?=<div class="answer-options|</fieldset)',
                     page, re.S).group(0)


def test_the_interview_screen_and_its_offline_copy_show_the_answers_as_picture_cards(world_with_pictures, login_as):
    world = world_with_pictures
    client, post = login_as("anna")
    interview_id = start_interview_http(client, post, world.project_id, world.location_ids[0])
    for headers in ({}, {"X-PeerInterview-Offline-Copy": "1"}):
        response = client.get(f"/interviews/{interview_id}/questions/1", headers=headers)
        assert response.status_code == 200
        page = html_of(response)
        options = _options(page)
        assert 'class="answer-options  single picture-grid"' in options
        # The picture above the words; the words always there; the picture hidden from screen readers.
        cards = re.findall(r"<label for=\"answer-\d\">(.*?)</label>", options, re.S)
        assert len(cards) == 3
        assert re.match(r'\s*<svg class="pictogram option-picture"[^>]*aria-hidden="true"', cards[0])
        assert "Elke dag" in cards[0] and "Soms" in cards[1] and "Bijna nooit" in cards[2]
        assert "<svg" not in cards[2]  # an answer without a picture is a card with words only
        assert '<div class="question-picture"><svg class="pictogram"' in page
        assert page.count('aria-hidden="true" focusable="false"><circle') + page.count("<svg class=\"pictogram") >= 3
    # The scale keeps its smileys, no picture grid.
    page = html_of(client.get(f"/interviews/{interview_id}/questions/2"))
    assert "picture-grid" not in page and "smiley" in page


def test_the_panels_results_show_the_same_pictures(app, world_with_pictures, login_as):
    world = world_with_pictures
    make_completed(app, world.project_id, "anna", [{"q1": "1"}] * 6 + [{"q1": "2"}] * 5)
    petra, _ = login_as("petra")
    page = html_of(petra.get(f"/projects/{world.project_id}/results"))
    section = re.search(r'<section class="card result" aria-labelledby="result-q1">(.*?)</section>', page, re.S).group(1)
    bars = re.findall(r'<span class="answer-bar-text">(.*?)</span>', section, re.S)
    assert 'class="pictogram result-picture"' in bars[0] and "Elke dag" in bars[0]
    assert 'class="pictogram result-picture"' in bars[1] and "Soms" in bars[1]
    assert "<svg" not in bars[2]
    assert '<div class="question-picture">' in section
    assert "style=" not in section


# --- export and import ------------------------------------------------------------------------

def test_the_json_file_carries_the_pictures_and_an_unknown_one_is_refused(app, world, draft_project, single,
                                                                          login_as):
    from .test_transfer import exported, upload

    _client, dirk_post, (question_id, _scale_id) = single
    with app.app_context():
        choice_id = db.session.scalars(select(Choice.id).where(Choice.question_id == question_id)
                                       .order_by(Choice.position)).first()
    for target, picture in (("vraag", HOUSE), (str(choice_id), BUS)):
        assert dirk_post(pictures_url(draft_project, question_id), {"target": target, "picture": picture}).status_code == 303
    staff, post = login_as("staf")
    document = json.loads(exported(staff, draft_project, 1))
    assert document["questions"][0]["picture"] == HOUSE
    assert [c["picture"] for c in document["questions"][0]["choices"]] == [BUS, ""]
    # Into the world's project (a new draft): the pictures come along.
    assert upload(post, world.project_id, json.dumps(document).encode(), "lijst.json").status_code == 303
    with app.app_context():
        draft = questionnaire_of(db.session.get(Project, world.project_id)).draft
        imported = draft.questions[0]
        assert (imported.picture, [c.picture for c in imported.choices]) == (HOUSE, [BUS, ""])
        db.session.remove()
    # A file with a picture the app does not have is refused whole, with the problem in words.
    document["questions"][0]["choices"][1]["picture"] = "<script>"
    response = upload(post, world.project_id, json.dumps(document).encode(), "lijst.json")
    assert response.status_code == 422
    assert "Het plaatje <script> kennen we niet." in plain_text(response) and "<script>" not in html_of(response)
