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
from .helpers import card_key_of
from .test_panel import add, make_theme, remove
from .test_report import pdf_text


def _cards_at(app, world, sizes) -> dict[int, list[str]]:
    """Completed interviews with an open answer: sizes[i] of them at location i.
    Returns {location index: [card keys]}."""
    keys = {}
    for index, size in enumerate(sizes):
        keys[index] = []
        for i in range(size):
            interview_id = make_interview(app, world.project_id, "anna", answers={"q3": f"Tekst {index}-{i}"},
                                          completed=True, location_id=world.location_ids[index])
            with app.app_context():
                key = card_key_of(db.session.scalars(select(Answer).where(Answer.interview_id == interview_id,
                                                                          Answer.text.is_not(None))).one())
                db.session.remove()
            keys[index].append(key)
    return keys


@pytest.fixture
def two_full_locations(app, world):
    """Eleven at each location: a theme of five people per location shows every location."""
    return _cards_at(app, world, (11, 11))


def _recommendation_on(app, post, world, theme) -> int:
    assert post(f"/projects/{world.project_id}/themes/{theme}/recommendations",
                {"text": "Meer rust in de avond."}).status_code == 303
    with app.app_context():
        recommendation = db.session.scalar(select(Recommendation.id).where(Recommendation.theme_id == theme))
        db.session.remove()
    return recommendation


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
    recommendation = _recommendation_on(app, post, world, theme)
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


def _people_line(text: str) -> str:
    return re.search(r"De kaarten komen van \d+ (?:persoon|mensen)|Aantal mensen: niet getoond", text).group(0)


def test_whether_a_themes_people_are_shown_never_depends_on_where_a_new_cards_writer_was(
        app, world, login_as):
    """Without numbers per location the attacker watches whether "Aantal mensen" turns into
    "niet getoond" when one card goes in. Decided together with the people per location, it
    does for a card from one location and not for one from the other: 7 of 12 at De Haven and
    6 of 9 at Het Anker, one more from Het Anker leaves 2 there outside the theme, which is
    protected by hiding the people."""
    keys = _cards_at(app, world, (12, 9))
    petra, post = login_as("petra")
    theme = make_theme(post, world, "Proef")
    for key in keys[0][:7] + keys[1][:6]:
        assert add(post, world, theme, key).status_code == 303
    recommendation = _recommendation_on(app, post, world, theme)
    url = f"/projects/{world.project_id}/themes/{theme}"
    follow_up = f"/projects/{world.project_id}/follow-up/{recommendation}"
    seen = {}
    for index in (0, 1):
        card = keys[index][-1]
        assert add(post, world, theme, card).status_code == 303
        seen[index] = {page: _people_line(plain_text(petra.get(page)))
                       for page in (url, f"{url}/discuss", f"/projects/{world.project_id}/themes/overview",
                                    follow_up)}
        seen[index]["story"] = re.search(r"\d+ mensen vertelden hierover|Hoeveel mensen dit zeiden: niet getoond",
                                         plain_text(petra.get(f"{follow_up}/story"))).group(0)
        _reader, text = pdf_text(petra.get(f"/projects/{world.project_id}/follow-up/report.pdf").data)
        seen[index]["pdf"] = re.search(r"\d+ mensen vertelden hierover|Hoeveel mensen dit zeiden: niet getoond",
                                       " ".join(text.split())).group(0)
        assert remove(post, world, theme, card).status_code == 303
    assert seen[0] == seen[1]
    assert set(seen[0].values()) == {"De kaarten komen van 14 mensen", "14 mensen vertelden hierover"}


@pytest.mark.parametrize("here", ["/\\evil.example", "/\\/evil.example", "/.\\evil.example"])
def test_the_changed_notice_never_links_off_site_for_a_backslash(world, login_as, here):
    """A link sent to a panel member opens the board's "someone changed something" notice with
    its own `here`: a browser reads a backslash as a slash, so "/\\evil.example" would lead to
    another site. (Redirects are safe: Werkzeug writes the backslash as %5C there.)"""
    from urllib.parse import quote

    petra, _post = login_as("petra")
    notice = petra.get(f"/projects/{world.project_id}/themes/changes?since=-1&view=notice&here={quote(here)}")
    assert notice.status_code == 200
    href = re.search(r'<a href="([^"]*)"', notice.get_data(as_text=True)).group(1)
    assert "\\" not in href and href.startswith("/projects/")
