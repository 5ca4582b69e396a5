"""Themes with a description and a colour; the REFI-QDA exchange: the project (.qdpx) and the
codebook (.qdc) as downloads for staff, validated against the published schemas and read back
by a second, independent reader; a codebook imported as the starting themes of a project."""
import re

import pytest
from sqlalchemy import select

from peerinterview.extensions import db
from peerinterview.models import AuditEvent
from peerinterview.models.panel import PanelAction, Theme

from .builders import html_of, plain_text
from .test_panel import cards, make_theme  # noqa: F401  (cards is a fixture)


def theme_url(world, theme_id, tail=""):
    return f"/projects/{world.project_id}/themes/{theme_id}{tail}"


def events(app, action) -> int:
    with app.app_context():
        found = len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())
        db.session.remove()
    return found


# ---------------------------------------------------------------------------------------------
# A theme's description and colour

def test_the_panel_gives_a_theme_a_description_and_a_colour(app, world, login_as):
    petra, post = login_as("petra")
    theme_id = make_theme(post, world, "Rust")
    page = petra.get(theme_url(world, theme_id))
    assert "Naam, uitleg en kleur" in plain_text(page)
    response = post(theme_url(world, theme_id, "/name"), {
        "name": "Rust", "description": "Alles over rust en stilte in huis.", "colour": "#0072B2",
        "version": "1"})
    assert response.status_code == 303
    text = plain_text(petra.get(theme_url(world, theme_id)))
    assert "Kleur: Blauw" in text and "Alles over rust en stilte in huis." in text
    # The board shows the colour next to the name (never the colour alone).
    board = html_of(petra.get(f"/projects/{world.project_id}/themes"))
    assert re.search(r'theme-colour-0072b2" aria-hidden="true"></span><span class="theme-name">Rust<', board)
    with app.app_context():
        theme = db.session.get(Theme, theme_id)
        assert (theme.description, theme.colour, theme.version) == ("Alles over rust en stilte in huis.",
                                                                     "#0072B2", 2)
        # Only a new name is a step that "Maak ongedaan" takes back.
        assert db.session.scalars(select(PanelAction.kind)).all() == ["create"]
        db.session.remove()
    assert events(app, "panel.theme_details") == 1
    # No colour again, and the description emptied.
    assert post(theme_url(world, theme_id, "/name"), {"name": "Rust", "description": "", "colour": "",
                                                      "version": "2"}).status_code == 303
    with app.app_context():
        theme = db.session.get(Theme, theme_id)
        assert (theme.description, theme.colour) == ("", None)
        db.session.remove()


@pytest.mark.parametrize("fields, message", [
    ({"colour": "#123456"}, "Kies een kleur uit de lijst."),
    ({"colour": "red"}, "Kies een kleur uit de lijst."),
    ({"description": "x" * 301}, "Schrijf hier niet meer dan 300 tekens."),
])
def test_a_colour_outside_the_palette_or_a_long_description_is_refused_in_b1(app, world, login_as, fields,
                                                                               message):
    _petra, post = login_as("petra")
    theme_id = make_theme(post, world, "Rust")
    response = post(theme_url(world, theme_id, "/name"), {"name": "Rust", "version": "1", **fields})
    assert response.status_code == 422
    text = plain_text(response)
    assert "Er is iets niet goed" in text and message in text
    with app.app_context():
        theme = db.session.get(Theme, theme_id)
        assert (theme.description, theme.colour, theme.version) == ("", None, 1)
        db.session.remove()


def test_theme_details_are_only_for_the_project_s_panel_and_staff(app, world, login_as):
    _petra, post = login_as("petra")
    theme_id = make_theme(post, world, "Rust")
    for username in ("anna", "dirk"):
        _client, attacker = login_as(username)
        response = attacker(theme_url(world, theme_id, "/name"), {
            "name": "Gekaapt", "description": "x", "colour": "#D55E00", "version": "1"})
        assert response.status_code in (403, 404), username
    with app.app_context():
        assert db.session.get(Theme, theme_id).name == "Rust"
        db.session.remove()
