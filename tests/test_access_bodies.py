"""Staff reach only their projects, also through ids that travel in a form body rather than in
the URL (the access matrix in tests/access_areas/ walks the URL ids): the staff of another
project post this project's card keys, quote and theme ids into their own project's forms, and
a `next=` after logging in points at this project. Nothing of this project changes or shows."""
from sqlalchemy import func, select

from peerinterview.extensions import db
from peerinterview.models import Coding, Quote

from .builders import html_of, location_of
from .helpers import PASSWORD, csrf_token
from .test_panel import TEXTS, board_url, cards, make_theme  # noqa: F401  (cards: a fixture)


def _count(app, model):
    with app.app_context():
        number = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
    return number


def test_card_keys_of_another_project_do_nothing_in_ones_own(app, world, cards, login_as):  # noqa: F811
    petra, petra_post = login_as("petra")
    rust = make_theme(petra_post, world, "Geheim thema")
    assert petra_post(f"/projects/{world.project_id}/themes/{rust}/cards", {"card": cards[TEXTS[0]]}).status_code == 303
    before = (_count(app, Coding), _count(app, Quote))
    other, post = login_as("andere-staf")
    response = post(f"/projects/{world.other_project_id}/themes", {"name": "Van mij"})
    assert response.status_code == 303
    mine = int(location_of(response).split("theme=")[1].split("&")[0])
    key = cards[TEXTS[0]]
    attempts = [
        (f"/projects/{world.other_project_id}/themes/{mine}/cards", {"card": key}),
        (f"/projects/{world.other_project_id}/themes/{mine}/cards/remove", {"card": key}),
        (f"/projects/{world.other_project_id}/quotes", {"card": key}),
        (f"/projects/{world.other_project_id}/themes/{mine}/split", {"cards": key, "name": "Gestolen"}),
        (f"/projects/{world.other_project_id}/themes/{mine}/merge", {"other": rust}),
    ]
    for url, data in attempts:
        response = post(url, data)
        assert response.status_code in (303, 404, 422), (url, response.status_code)
        page = html_of(other.get(location_of(response))) if response.status_code == 303 else html_of(response)
        assert TEXTS[0] not in page and "Geheim thema" not in page, url
    assert (_count(app, Coding), _count(app, Quote)) == before
    # Their own board shows nothing of this project.
    board = html_of(other.get(f"/projects/{world.other_project_id}/themes"))
    assert TEXTS[0] not in board and "Geheim thema" not in board
    assert TEXTS[0] in html_of(petra.get(board_url(world, theme=rust)))


def test_next_after_logging_in_to_another_project_is_refused_there(app, world):
    client = app.test_client()
    token = csrf_token(client, f"/login?next=/projects/{world.project_id}/report/texts")
    response = client.post(f"/login?next=/projects/{world.project_id}/report/texts",
                           data={"username": "andere-staf", "password": PASSWORD, "csrf_token": token,
                                 "next": f"/projects/{world.project_id}/report/texts"})
    assert response.status_code == 303
    assert client.get(location_of(response)).status_code == 403
