"""A panel member attacks the promises of the panel's pages by combining what they can see and
do: they choose which cards go into a theme, so any count over a theme is a count over a set
they pick. Counts that change when they add one card tell them something about the one person
who wrote it."""
import re

import pytest
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.models import Answer, Recommendation

from .builders import make_interview, plain_text
from .test_panel import add, make_theme

PER_LOCATION = 11  # enough that a theme of five people per location shows every location


@pytest.fixture
def two_full_locations(app, world):
    """Eleven completed interviews with an open answer at each of the two locations.
    Returns {location index: [card keys]}."""
    keys = {0: [], 1: []}
    for index in (0, 1):
        for i in range(PER_LOCATION):
            interview_id = make_interview(app, world.project_id, "anna", answers={"q3": f"Tekst {index}-{i}"},
                                          completed=True, location_id=world.location_ids[index])
            with app.app_context():
                answer_id = db.session.scalar(select(Answer.id).where(Answer.interview_id == interview_id,
                                                                      Answer.text.is_not(None)))
                db.session.remove()
            keys[index].append(f"{answer_id}-text")
    return keys


def _location_lines(text: str) -> dict[str, str]:
    """What a page says per location ("De Haven: 5 mensen", "Het Anker: niet getoond")."""
    return dict(re.findall(r"(De Haven|Het Anker): (\d+ (?:persoon|mensen)|niet getoond)", text))


def test_adding_one_card_to_a_theme_never_tells_the_panel_where_its_writer_was(
        app, world, two_full_locations, login_as):
    """The attacker makes a theme of ten cards, reads its pages, adds the card they want to know
    about and reads them again. With people per location on the page the one location whose
    number went up is where the writer of that card was interviewed: a group of one."""
    petra, post = login_as("petra")
    theme = make_theme(post, world, "Proef")
    for key in two_full_locations[0][:5] + two_full_locations[1][:5]:
        assert add(post, world, theme, key).status_code == 303
    target = two_full_locations[1][5]
    assert post(f"/projects/{world.project_id}/themes/{theme}/recommendations",
                {"text": "Meer rust in de avond."}).status_code == 303
    with app.app_context():
        recommendation = db.session.scalar(select(Recommendation.id).where(Recommendation.theme_id == theme))
        db.session.remove()
    pages = [f"/projects/{world.project_id}/themes/{theme}",
             f"/projects/{world.project_id}/themes/{theme}/discuss",
             f"/projects/{world.project_id}/themes/overview",
             f"/projects/{world.project_id}/follow-up/{recommendation}",
             f"/projects/{world.project_id}/follow-up/{recommendation}/story"]
    before = {page: plain_text(petra.get(page)) for page in pages}
    assert add(post, world, theme, target).status_code == 303
    after = {page: plain_text(petra.get(page)) for page in pages}
    for page in pages:
        assert "Proef" in after[page], page  # the attacker reads the theme's page itself
        assert _location_lines(before[page]) == _location_lines(after[page]) == {}, page

    # Staff read every answer with its location anyway: they still see the people per location.
    staff, _post = login_as("staf")
    text = plain_text(staff.get(f"/projects/{world.project_id}/themes/{theme}"))
    assert _location_lines(text) == {"De Haven": "5 mensen", "Het Anker": "6 mensen"}


def test_the_slides_never_show_people_per_location_of_a_theme(app, world, two_full_locations, login_as):
    """The slides are shown to the whole panel, also when staff open them on the big screen."""
    staff, move = login_as("staf")
    theme = make_theme(move, world, "Proef")
    for key in two_full_locations[0][:5] + two_full_locations[1][:6]:
        assert add(move, world, theme, key).status_code == 303
    assert move(f"/projects/{world.project_id}/present", {"slide": f"t:{theme}"}).status_code == 303
    for client in (staff, login_as("petra")[0]):
        text = plain_text(client.get(f"/projects/{world.project_id}/present"))
        assert "Proef" in text and "11 kaarten" in text
        assert _location_lines(text) == {}
