"""Sorting "ieder apart" over HTTP: staff start a round on a set of cards; each member sorts the
same cards on their own, and nobody (not the others, not the board, not a fragment) sees a
member's choices before everyone is done; then the comparison card by card, the agreement
figure (and Krippendorff's alpha for staff), the panel's decision on the shared board, with
who took part, undo, stale versions, and attackers with real roles."""
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import AuditEvent
from peerinterview.models.panel import Coding, CodingDecision, CodingRound, PanelAction, RoundCoding
from peerinterview.panel.agreement import agreed_cards, binary_units, nominal_alpha

from .builders import count_rows, demo_login, html_of, location_of, plain_text
from .test_panel import NOTE, TEXTS, board_url, make_cards, make_theme, themes_of
from .worlds import world_from_snapshot


@pytest.fixture
def card_keys(app, world):
    """The cards of tests/test_panel.py (the same snapshot): {text: card key}."""
    return world_from_snapshot(app, "panel_cards", lambda: make_cards(app, world), on="world")


def rounds_url(world, *rest):
    return "/".join([f"/projects/{world.project_id}/rounds", *map(str, rest)])


def user_id(app, name) -> int:
    with app.app_context():
        found = find_user(name).id
        db.session.remove()
    return found


@pytest.fixture
def sam(world, make_user):
    """A second panel member of the world's project."""
    return make_user("sam", project_id=world.project_id, roles=("panel",))


@pytest.fixture
def started(app, world, card_keys, sam, login_as):
    """Themes Rust and Eten; a round on the unsorted cards (all seven) for petra and sam."""
    _staf, staf_post = login_as("staf")
    rust, eten = make_theme(staf_post, world, "Rust"), make_theme(staf_post, world, "Eten")
    response = staf_post(rounds_url(world), {"cards": "unsorted",
                                             "members": [user_id(app, "petra"), user_id(app, "sam")]})
    assert response.status_code == 303, html_of(response)[:3000]
    round_id = int(re.search(r"/rounds/(\d+)", location_of(response)).group(1))
    return {"round": round_id, "rust": rust, "eten": eten}


def sort(post, world, started, key, theme, action="add"):
    return post(rounds_url(world, started["round"], "cards"),
                {"card": key, "theme": started[theme], "action": action})


def card_block(response, key) -> str:
    """The plain text of one card's item on a round's page."""
    match = re.search(rf'<li[^>]*id="card-{key}".*?</li>', html_of(response), re.S)
    assert match, key
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def sort_both(app, world, card_keys, started, login_as):
    """petra and sam sort: the first card both in Rust, the second petra in Rust and sam in
    Eten, the rest in no theme; then both say they are done."""
    _petra, petra_post = login_as("petra")
    _sam, sam_post = login_as("sam")
    assert sort(petra_post, world, started, card_keys[TEXTS[0]], "rust").status_code == 303
    assert sort(sam_post, world, started, card_keys[TEXTS[0]], "rust").status_code == 303
    sort(petra_post, world, started, card_keys[TEXTS[1]], "rust")
    sort(sam_post, world, started, card_keys[TEXTS[1]], "eten")
    for post in (petra_post, sam_post):
        assert post(rounds_url(world, started["round"], "done")).status_code == 303


# --- Krippendorff's alpha against the worked examples of Krippendorff (2011) -------------------

def test_alpha_matches_krippendorffs_worked_examples():
    """Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Examples A, B, C."""
    # A: binary data, two observers, no missing values: alpha = 0.095.
    a = [[0, 1], [1, 1], [0, 1], [0, 0], [0, 0], [0, 1], [0, 0], [0, 0], [1, 0], [0, 0]]
    assert round(nominal_alpha(a), 3) == 0.095
    # B: nominal data, two observers, no missing values: alpha = 0.692.
    b = list(zip("aabbdcccedda", "babbbcccedd" + "d"))
    assert round(nominal_alpha(b), 3) == 0.692
    # C: nominal data, four observers, missing values: alpha = 0.743.
    n = None
    observers = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
                 [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
    assert round(nominal_alpha([list(unit) for unit in zip(*observers)]), 3) == 0.743


def test_alpha_is_one_for_full_agreement_and_undefined_without_variation():
    assert nominal_alpha([[1, 1], [0, 0], [1, 1]]) == 1.0
    assert nominal_alpha([[0, 0], [0, 0]]) is None
    assert nominal_alpha([[1], [0]]) is None  # one value per unit: nothing to compare


def test_each_card_and_theme_is_a_binary_unit():
    choices = {"1-text": [{7}, {7}], "2-text": [{7}, {8}], "3-text": [set(), set()]}
    assert binary_units(choices, [7, 8]) == [[1, 1], [0, 0], [1, 0], [0, 1], [0, 0], [0, 0]]
    assert agreed_cards(choices) == 2


# --- starting a round ---------------------------------------------------------------------------

def test_only_staff_start_a_round_and_only_with_members_of_the_panel(app, world, card_keys, sam, login_as):
    _petra, petra_post = login_as("petra")
    petra_id, sam_id, anna_id = (user_id(app, n) for n in ("petra", "sam", "anna"))
    assert petra_post(rounds_url(world), {"cards": "all", "members": [petra_id, sam_id]}).status_code == 403
    staf, staf_post = login_as("staf")
    page = plain_text(staf.get(rounds_url(world)))
    assert "Begin een nieuwe ronde" in page and "Alle kaarten (7)" in page and "Sam" in page
    assert "Anna" not in page  # an interviewer is not on the panel
    # An interviewer smuggled in does not count: one member is too few.
    response = staf_post(rounds_url(world), {"cards": "all", "members": [petra_id, anna_id]})
    assert response.status_code == 422
    assert "Kies twee mensen of meer." in plain_text(response)
    response = staf_post(rounds_url(world), {"cards": "nonsense", "members": [petra_id, sam_id]})
    assert response.status_code == 422
    assert count_rows(app, CodingRound) == 0
    response = staf_post(rounds_url(world), {"cards": "question-1", "members": [petra_id, sam_id]})
    assert response.status_code == 303
    with app.app_context():
        round_ = db.session.scalars(select(CodingRound)).one()
        assert round_.name == "Wat kan beter?" and len(round_.cards) == 6
        assert [m.name for m in round_.members] == ["Petra", "Sam"]
        db.session.remove()
    assert count_rows(app, AuditEvent, AuditEvent.action == "panel.round_start") == 1


# --- sorting apart --------------------------------------------------------------------------------

def test_each_member_sees_only_their_own_choices_and_the_board_none(app, world, card_keys, started, login_as):
    petra, petra_post = login_as("petra")
    sam, sam_post = login_as("sam")
    key = card_keys[TEXTS[0]]
    response = sort(petra_post, world, started, key, "rust")
    assert "Jouw keuze: de kaart staat in 'Rust'." in plain_text(petra.get(location_of(response)))
    sort(sam_post, world, started, key, "eten")
    assert "Jij koos: Rust" in card_block(petra.get(rounds_url(world, started["round"])), key)
    assert "Jij koos: Eten" in card_block(sam.get(rounds_url(world, started["round"])), key)
    # Kept apart from the shared board: no coding, and no page or fragment shows the choices.
    assert count_rows(app, Coding) == 0 and themes_of(app, key) == set()
    for client in (petra, sam):
        board = plain_text(client.get(board_url(world)))
        assert "Nog zonder thema (7)" in board and "In: Rust" not in board and "In: Eten" not in board
        fragment = client.get(f"/projects/{world.project_id}/themes/changes", headers={"HX-Request": "true"})
        assert "In: Rust" not in plain_text(fragment) and "In: Eten" not in plain_text(fragment)
        theme_page = plain_text(client.get(f"/projects/{world.project_id}/themes/{started['rust']}"))
        assert TEXTS[0] not in theme_page
        overview = plain_text(client.get(f"/projects/{world.project_id}/themes/overview"))
        assert "1 kaart" not in overview
        # The results and the report know no round: a theme with no card on the board is left out.
        for path in ("report", "results"):
            response = client.get(f"/projects/{world.project_id}/{path}")
            assert response.status_code == 200, path
            assert "Rust" not in plain_text(response) and "Eten" not in plain_text(response), path
    # Taking it out again is only for yourself too.
    sort(petra_post, world, started, key, "rust", action="remove")
    assert "Nog geen thema" in card_block(petra.get(rounds_url(world, started["round"])), key)
    assert "Jij koos: Eten" in card_block(sam.get(rounds_url(world, started["round"])), key)


def test_nobody_sees_the_choices_before_everyone_is_done(app, world, card_keys, started, login_as):
    petra, petra_post = login_as("petra")
    sam, sam_post = login_as("sam")
    sort(petra_post, world, started, card_keys[TEXTS[0]], "rust")
    sort(sam_post, world, started, card_keys[TEXTS[0]], "eten")
    assert petra_post(rounds_url(world, started["round"], "done")).status_code == 303
    staf, _staf_post = login_as("staf")
    for client in (petra, staf):  # done, and not in the round: only who is done
        assert "Sam: nog bezig" in plain_text(client.get(rounds_url(world, started["round"])))
        html = html_of(client.get(rounds_url(world, started["round"])))  # petra's own messages shown
        assert "Eten" not in html and "Rust" not in html and "koos" not in html
        assert TEXTS[0] not in html
    assert "Jij koos: Rust" not in html_of(sam.get(rounds_url(world, started["round"])))
    # Deciding before everyone is done changes nothing.
    response = petra_post(rounds_url(world, started["round"], "decide"),
                          {"card": card_keys[TEXTS[0]], "themes": [started["eten"]], "version": 0})
    assert response.status_code == 303
    assert "Nog niet iedereen is klaar." in plain_text(petra.get(location_of(response)))
    assert count_rows(app, Coding) == 0 and count_rows(app, CodingDecision) == 0
    # Once done, a member's choices are fixed.
    response = sort(petra_post, world, started, card_keys[TEXTS[2]], "eten")
    assert "Je was al klaar." in plain_text(petra.get(location_of(response)))
    assert count_rows(app, RoundCoding, RoundCoding.user_id == user_id(app, "petra")) == 1


def test_attackers_cannot_sort_finish_or_read_a_round(app, world, card_keys, started, login_as, make_user,
                                                      draft_project):
    _petra, petra_post = login_as("petra")
    sort(petra_post, world, started, card_keys[TEXTS[0]], "rust")
    # A panel member who is not in the round may look at the round, but not sort or finish in it.
    make_user("kees", project_id=world.project_id, roles=("panel",))
    kees, kees_post = login_as("kees")
    assert sort(kees_post, world, started, card_keys[TEXTS[0]], "eten").status_code == 403
    assert kees_post(rounds_url(world, started["round"], "done")).status_code == 403
    assert "Rust" not in html_of(kees.get(rounds_url(world, started["round"])))
    # Interviewers, a designer, staff of another project and the logged-out: nothing.
    for name in ("anna", "dirk", "andere-staf", None):
        client, post = login_as(name) if name else (app.test_client(), None)
        for path in (rounds_url(world), rounds_url(world, started["round"])):
            response = client.get(path)
            assert response.status_code in (302, 403), (name, path)
            assert TEXTS[0] not in html_of(response) and "Rust" not in html_of(response)
        if post:
            assert sort(post, world, started, card_keys[TEXTS[0]], "eten").status_code == 403
            assert post(rounds_url(world, started["round"], "done")).status_code == 403
            assert post(rounds_url(world, started["round"], "decide"),
                        {"card": card_keys[TEXTS[0]], "version": 0}).status_code == 403
    # Another project's ids: staf is staff of the draft project too, the round is not in it.
    staf, staf_post = login_as("staf")
    other = f"/projects/{draft_project}/rounds/{started['round']}"
    assert staf.get(other).status_code == 404
    assert staf_post(other + "/cards", {"card": card_keys[TEXTS[0]], "theme": started["rust"],
                                        "action": "add"}).status_code == 404
    # A card outside the round's set, and a theme of no theme: refused with a message.
    _sam, sam_post = login_as("sam")
    assert sort(sam_post, world, started, "999999-text", "rust").status_code == 303
    sam_post(rounds_url(world, started["round"], "cards"), {"card": card_keys[TEXTS[1]], "theme": 999999,
                                                            "action": "add"})
    assert count_rows(app, RoundCoding) == 1


def test_a_card_sorted_after_the_round_began_is_not_in_it(app, world, card_keys, sam, login_as):
    _staf, staf_post = login_as("staf")
    rust = make_theme(staf_post, world, "Rust")
    staf_post(f"/projects/{world.project_id}/themes/{rust}/cards", {"card": card_keys[TEXTS[5]]})
    staf_post(rounds_url(world), {"cards": "unsorted", "members": [user_id(app, "petra"), user_id(app, "sam")]})
    petra, petra_post = login_as("petra")
    round_id = count_rows(app, CodingRound) and db_round_id(app)
    response = petra_post(rounds_url(world, round_id, "cards"),
                          {"card": card_keys[TEXTS[5]], "theme": rust, "action": "add"})
    assert "bestaat niet meer" in plain_text(petra.get(location_of(response)))
    assert TEXTS[5] not in plain_text(petra.get(rounds_url(world, round_id)))
    assert count_rows(app, RoundCoding) == 0


def db_round_id(app) -> int:
    with app.app_context():
        found = db.session.scalar(select(CodingRound.id))
        db.session.remove()
    return found


# --- comparing and deciding -----------------------------------------------------------------------

def test_comparison_shows_agreement_card_by_card_and_alpha_for_staff(app, world, card_keys, started, login_as):
    sort_both(app, world, card_keys, started, login_as)
    petra, _ = login_as("petra")
    page = petra.get(rounds_url(world, started["round"]))
    text = plain_text(page)
    assert "Jullie waren het bij 6 van de 7 kaarten eens." in text
    assert "Jullie kozen allebei: Rust" in card_block(page, card_keys[TEXTS[0]])
    assert "Petra koos: Rust, Sam koos: Eten" in card_block(page, card_keys[TEXTS[1]])
    assert "Jullie kozen allebei: geen thema" in card_block(page, card_keys[NOTE])
    assert "Krippendorff" not in text  # the figure for staff and researchers
    staf, _ = login_as("staf")
    # 14 units (7 cards x 2 themes): 12 agree, 2 differ (one 1-0, one 0-1); n1 = 4, n0 = 24, n = 28:
    # alpha = 1 - (n - 1) * 4 / (2 * n0 * n1) = 1 - 27 * 4 / 192 = 0.4375.
    assert "Krippendorffs alfa: 0,44." in plain_text(staf.get(rounds_url(world, started["round"])))


def test_the_panel_decides_a_card_onto_the_board_with_who_took_part(app, world, card_keys, started, login_as):
    sort_both(app, world, card_keys, started, login_as)
    petra, petra_post = login_as("petra")
    _sam, sam_post = login_as("sam")
    key = card_keys[TEXTS[1]]
    response = petra_post(rounds_url(world, started["round"], "decide"),
                          {"card": key, "themes": [started["rust"], started["eten"]], "version": 0})
    assert response.status_code == 303
    page = petra.get(location_of(response))
    assert "Jullie keuze staat op het bord: Eten, Rust." in plain_text(page)
    assert "Samen gekozen: Eten, Rust." in card_block(page, key)
    assert themes_of(app, key) == {"Rust", "Eten"}
    # On the board now, so the report names the theme (what the test of apart sorting relies on).
    assert "Rust" in plain_text(petra.get(f"/projects/{world.project_id}/report"))
    with app.app_context():
        decision = db.session.scalars(select(CodingDecision)).one()
        assert decision.participants == ["Petra", "Sam"]
        assert decision.decided_by_id == find_user("petra").id and decision.version == 1
        db.session.remove()
    # sam decided on what the page showed before petra's decision: refused, nothing changes.
    response = sam_post(rounds_url(world, started["round"], "decide"),
                        {"card": key, "themes": [started["eten"]], "version": 0})
    assert "Iemand anders heeft net over deze kaart gekozen." in plain_text(_sam.get(location_of(response)))
    assert themes_of(app, key) == {"Rust", "Eten"}
    # With the version seen: the decision changes, and what it added and no longer wants goes.
    sam_post(rounds_url(world, started["round"], "decide"), {"card": key, "themes": [started["eten"]], "version": 1})
    assert themes_of(app, key) == {"Eten"}
    # Undo takes back sam's decision: the card is open again, only what the decision added goes.
    with app.app_context():
        action = db.session.scalars(select(PanelAction).where(PanelAction.kind == "decide")
                                    .order_by(PanelAction.id.desc())).first().id
        db.session.remove()
    response = sam_post(f"/projects/{world.project_id}/themes/undo?round={started['round']}", {"action": action})
    assert location_of(response) == rounds_url(world, started["round"])
    assert "Ongedaan gemaakt: Samen gekozen voor de kaart" in plain_text(_sam.get(location_of(response)))
    assert count_rows(app, CodingDecision) == 0
    assert themes_of(app, key) == {"Eten"}  # petra's decision had put it there first


def test_a_decision_keeps_what_others_sorted_on_the_board(app, world, card_keys, started, login_as):
    sort_both(app, world, card_keys, started, login_as)
    _staf, staf_post = login_as("staf")
    key = card_keys[TEXTS[0]]
    staf_post(f"/projects/{world.project_id}/themes/{started['eten']}/cards", {"card": key})
    staf_post(rounds_url(world, started["round"], "decide"), {"card": key, "themes": [started["rust"]], "version": 0})
    staf_post(rounds_url(world, started["round"], "decide"), {"card": key, "themes": [], "version": 1})
    # The board's own coding (Eten) stays; the decision's own (Rust) went when it was changed.
    assert themes_of(app, key) == {"Eten"}


# --- demo -----------------------------------------------------------------------------------------

def test_the_demo_has_a_finished_round_with_a_comparison_and_a_decision(app):
    client, project_id = demo_login(app, "demo-panel")
    page = client.get(f"/projects/{project_id}/rounds")
    assert "Iedereen is klaar. Jullie kunnen vergelijken." in plain_text(page)
    link = re.search(rf'href="(/projects/{project_id}/rounds/\d+)"', html_of(page)).group(1)
    text = plain_text(client.get(link))
    figure = re.search(r"Jullie waren het bij (\d+) van de (\d+) kaarten eens.", text)
    assert figure and 0 < int(figure.group(1)) < int(figure.group(2))
    assert "Jullie kozen allebei:" in text and " koos: " in text and "Samen gekozen:" in text
    with app.app_context():
        decision = db.session.scalars(select(CodingDecision)).one()
        assert len(decision.participants) == 2
        db.session.remove()


# --- staff end a round: closing early, stopping ---------------------------------------------------

def close_form(app, round_id, *names) -> dict:
    """What the confirmation page sends: who had finished when staff looked."""
    return {"finished": ",".join(str(i) for i in sorted(user_id(app, n) for n in names))}


def round_row(app, round_id) -> SimpleNamespace:
    """The round's end and who finished (name -> done), read fresh from the database."""
    with app.app_context():
        round_ = db.session.get(CodingRound, round_id)
        row = SimpleNamespace(closed_at=round_.closed_at, stopped_at=round_.stopped_at,
                              done={m.name: m.done_at is not None for m in round_.members})
        db.session.remove()
    return row


@pytest.fixture
def three(app, world, card_keys, sam, login_as):
    """A round on the unsorted cards for petra, sam and staf: petra and staf sort the first card
    in Rust, sam in Eten; petra and staf say they are done, sam never comes back."""
    _staf, staf_post = login_as("staf")
    rust, eten = make_theme(staf_post, world, "Rust"), make_theme(staf_post, world, "Eten")
    response = staf_post(rounds_url(world), {"cards": "unsorted", "members": [
        user_id(app, "petra"), user_id(app, "sam"), user_id(app, "staf")]})
    started = {"round": int(re.search(r"/rounds/(\d+)", location_of(response)).group(1)), "rust": rust, "eten": eten}
    _petra, petra_post = login_as("petra")
    _sam, sam_post = login_as("sam")
    sort(petra_post, world, started, card_keys[TEXTS[0]], "rust")
    sort(staf_post, world, started, card_keys[TEXTS[0]], "rust")
    sort(sam_post, world, started, card_keys[TEXTS[0]], "eten")
    assert petra_post(rounds_url(world, started["round"], "done")).status_code == 303
    return started


def test_only_project_staff_close_or_stop_a_round(app, world, card_keys, three, login_as, draft_project):
    round_id = three["round"]
    _staf, staf_post = login_as("staf")
    assert staf_post(rounds_url(world, round_id, "done")).status_code == 303
    for name in ("petra", "sam", "anna", "dirk", "andere-staf", None):
        client, post = login_as(name) if name else (app.test_client(), None)
        for what in ("close", "stop"):
            response = client.get(rounds_url(world, round_id, what))
            assert response.status_code in (302, 403), (name, what)
            assert "Klaar" not in plain_text(response)
            if post:
                data = close_form(app, round_id, "petra", "staf") if what == "close" else {}
                assert post(rounds_url(world, round_id, what), data).status_code == 403, (name, what)
    # Staff of this project, with another project's id: 404.
    staf, staf_post = login_as("staf")
    assert staf.get(f"/projects/{draft_project}/rounds/{round_id}/close").status_code == 404
    assert staf_post(f"/projects/{draft_project}/rounds/{round_id}/stop").status_code == 404
    # A member who is not staff sees no way to end the round either.
    petra, _ = login_as("petra")
    assert "Sluit de ronde af" not in plain_text(petra.get(rounds_url(world, round_id)))
    round_ = round_row(app, round_id)
    assert round_.closed_at is None and round_.stopped_at is None
    assert count_rows(app, AuditEvent, AuditEvent.action.in_(("panel.round_close", "panel.round_stop"))) == 0


def test_staff_close_a_round_early_and_only_who_finished_is_compared(app, world, card_keys, three, login_as):
    round_id = three["round"]
    staf, staf_post = login_as("staf")
    assert "Sluit de ronde af" in plain_text(staf.get(rounds_url(world, round_id)))
    page = plain_text(staf.get(rounds_url(world, round_id, "close")))
    assert "Ronde nu afsluiten?" in page and "Klaar Petra" in page and "Nog bezig Sam, Staf" in page
    # Staf finishes after the page was shown: the confirmed page is stale, nothing closes.
    stale = close_form(app, round_id, "petra")
    assert staf_post(rounds_url(world, round_id, "done")).status_code == 303
    response = staf_post(rounds_url(world, round_id, "close"), stale)
    assert location_of(response) == rounds_url(world, round_id, "close")
    assert "Er is net iemand klaar." in plain_text(staf.get(location_of(response)))
    assert round_row(app, round_id).closed_at is None
    # Nonsense for who had finished is refused: the confirmation page again, with the error.
    response = staf_post(rounds_url(world, round_id, "close"), {"finished": "²,x,-1," + "9" * 40})
    assert response.status_code == 422 and round_row(app, round_id).closed_at is None
    response = staf_post(rounds_url(world, round_id, "close"), close_form(app, round_id, "petra", "staf"))
    assert response.status_code == 303 and location_of(response) == rounds_url(world, round_id)
    text = plain_text(staf.get(location_of(response)))
    assert "De ronde is afgesloten." in text
    assert "Wie sorteerde: Petra, Staf" in text
    assert "Sam was nog niet klaar. Die keuzes tellen niet mee." in text
    # Sam's choice (Eten) is in no card and in no figure: petra and staf agree on all 7 cards.
    assert "Jullie waren het bij 7 van de 7 kaarten eens." in text
    block = card_block(staf.get(rounds_url(world, round_id)), card_keys[TEXTS[0]])
    assert "Jullie kozen allebei: Rust" in block and "Sam" not in block
    assert count_rows(app, AuditEvent, AuditEvent.action == "panel.round_close") == 1
    # Sam comes back too late: no sorting, no "klaar", sam's choices stay out.
    sam, sam_post = login_as("sam")
    response = sort(sam_post, world, three, card_keys[TEXTS[1]], "eten")
    assert "Deze ronde is al afgesloten." in plain_text(sam.get(location_of(response)))
    response = sam_post(rounds_url(world, round_id, "done"))
    assert "Deze ronde is al afgesloten." in plain_text(sam.get(location_of(response)))
    assert round_row(app, round_id).done == {"Petra": True, "Sam": False, "Staf": True}
    assert count_rows(app, RoundCoding, RoundCoding.user_id == user_id(app, "sam")) == 1
    # Closing again, or stopping a compared round: refused, the comparison stays.
    for what, data in (("close", close_form(app, round_id, "petra", "staf")), ("stop", {})):
        response = staf_post(rounds_url(world, round_id, what), data)
        assert "al afgesloten of gestopt" in plain_text(staf.get(location_of(response)))
        assert "al afgesloten of gestopt" in plain_text(staf.get(staf.get(rounds_url(world, round_id, what))
                                                                  .headers["Location"]))
    assert round_row(app, round_id).stopped_at is None
    # The panel's decision names who took part: the two who finished.
    response = sam_post(rounds_url(world, round_id, "decide"),
                        {"card": card_keys[TEXTS[0]], "themes": [three["rust"]], "version": 0})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(CodingDecision)).one().participants == ["Petra", "Staf"]
        db.session.remove()
    assert "Eerder afgesloten." in plain_text(staf.get(rounds_url(world)))


def hidden_list(response) -> str:
    """The list of who had finished that a confirmation page sends along."""
    return re.search(r'<input[^>]*name="finished"[^>]*value="([^"]*)"', html_of(response)).group(1)


TAMPERED_LISTS = [None, "", " ", ",", "x", "²", "-1", "1,,2", "1;2", " 1", "1.0", "0x1f", "9" * 12, "١",
                  "<script>alert(1)</script>"]


def test_a_list_of_who_finished_that_is_no_list_of_ids_is_refused_with_the_page_again(
        app, world, card_keys, three, login_as):
    round_id = three["round"]
    staf, staf_post = login_as("staf")
    assert staf_post(rounds_url(world, round_id, "done")).status_code == 303
    for tampered in TAMPERED_LISTS:
        response = staf_post(rounds_url(world, round_id, "close"), {} if tampered is None else {"finished": tampered})
        assert response.status_code == 422, (tampered, html_of(response)[:2000])
        html, text = html_of(response), plain_text(response)
        assert re.search(r"<title>Fout: Ronde afsluiten", html), tampered
        assert "Er is iets niet goed" in text and "We weten niet meer wie er klaar was." in text
        assert 'href="#finished"' in html and 'id="finished"' in html
        assert "<script>alert" not in html
        # The page again shows who has finished now, and its form carries that.
        assert "Klaar Petra, Staf" in text and "Ja, sluit de ronde af" in text
        assert hidden_list(response) == close_form(app, round_id, "petra", "staf")["finished"]
        assert round_row(app, round_id).closed_at is None
    assert count_rows(app, AuditEvent, AuditEvent.action == "panel.round_close") == 0
    # Confirming the page shown again closes the round.
    response = staf_post(rounds_url(world, round_id, "close"), {"finished": hidden_list(response)})
    assert response.status_code == 303 and round_row(app, round_id).closed_at is not None
    # An invalid close of a round that has ended already: the round, which says so.
    response = staf_post(rounds_url(world, round_id, "close"), {"finished": "x"})
    assert location_of(response) == rounds_url(world, round_id)
    assert "al afgesloten of gestopt" in plain_text(staf.get(location_of(response)))


def test_a_list_of_who_finished_with_other_people_is_refused_as_changed(app, world, card_keys, three, login_as):
    """Ids that are numbers but not who finished (another project's staff, a member still busy,
    someone twice or missing): "Er is net iemand klaar.", back to the page, nothing closes."""
    round_id = three["round"]
    staf, staf_post = login_as("staf")
    assert staf_post(rounds_url(world, round_id, "done")).status_code == 303
    petra, sam, me, other = (user_id(app, n) for n in ("petra", "sam", "staf", "andere-staf"))
    for ids in ([petra, other], [petra, me, other], [petra, me, sam], [petra], [other], [0], [petra, petra]):
        response = staf_post(rounds_url(world, round_id, "close"), {"finished": ",".join(map(str, ids))})
        assert response.status_code == 303 and location_of(response) == rounds_url(world, round_id, "close"), ids
        assert "Er is net iemand klaar." in plain_text(staf.get(location_of(response)))
        assert round_row(app, round_id).closed_at is None
    assert count_rows(app, AuditEvent, AuditEvent.action == "panel.round_close") == 0
    # The same people in another order, or twice, are the same people.
    response = staf_post(rounds_url(world, round_id, "close"), {"finished": f"{me},{petra},{me}"})
    assert response.status_code == 303 and location_of(response) == rounds_url(world, round_id)
    assert round_row(app, round_id).closed_at is not None


def test_a_round_with_fewer_than_two_finished_is_stopped_not_compared(app, world, card_keys, three, login_as):
    round_id = three["round"]
    staf, staf_post = login_as("staf")
    page = plain_text(staf.get(rounds_url(world, round_id, "close")))
    assert "Minder dan twee mensen zijn klaar. Dan kun je niet vergelijken." in page
    assert "Ja, sluit de ronde af" not in page and "Stop de ronde" in page
    response = staf_post(rounds_url(world, round_id, "close"), close_form(app, round_id, "petra"))
    assert "Minder dan twee mensen zijn klaar." in plain_text(staf.get(location_of(response)))
    assert round_row(app, round_id).closed_at is None
    page = plain_text(staf.get(rounds_url(world, round_id, "stop")))
    assert "Ronde stoppen?" in page and "Op het bord verandert niets." in page
    # A stop without the form's token is refused.
    response = staf.post(rounds_url(world, round_id, "stop"))
    assert response.status_code in (303, 400) and round_row(app, round_id).stopped_at is None
    response = staf_post(rounds_url(world, round_id, "stop"))
    assert response.status_code == 303 and location_of(response) == rounds_url(world, round_id)
    text = plain_text(staf.get(location_of(response)))
    assert "De ronde is gestopt. Op het bord is niets veranderd." in text
    assert "Deze ronde is gestopt." in text and "Sluit de ronde af" not in text and "Rust" not in text
    assert count_rows(app, AuditEvent, AuditEvent.action == "panel.round_stop") == 1
    # The board stays as it was; nobody sorts, finishes, compares or decides any more.
    assert count_rows(app, Coding) == 0
    sam, sam_post = login_as("sam")
    response = sort(sam_post, world, three, card_keys[TEXTS[1]], "eten")
    assert "Deze ronde is al afgesloten." in plain_text(sam.get(location_of(response)))
    sam_post(rounds_url(world, round_id, "done"))
    response = sam_post(rounds_url(world, round_id, "decide"),
                        {"card": card_keys[TEXTS[0]], "themes": [three["rust"]], "version": 0})
    assert "Deze ronde is gestopt." in plain_text(sam.get(location_of(response)))
    assert count_rows(app, Coding) == 0 and count_rows(app, CodingDecision) == 0
    assert count_rows(app, RoundCoding) == 3
    page = plain_text(sam.get(rounds_url(world, round_id)))
    assert "Jullie waren het" not in page and "Eten" not in page
    assert "Gestopt." in plain_text(staf.get(rounds_url(world)))
    response = staf_post(rounds_url(world, round_id, "stop"))
    assert "al afgesloten of gestopt" in plain_text(staf.get(location_of(response)))
    assert count_rows(app, AuditEvent, AuditEvent.action == "panel.round_stop") == 1


# --- the size of a round, and its pages -----------------------------------------------------------

def all_card_keys(app, world, *, stored=False) -> list[str]:
    """The keys of all cards in the board's order: as the pages carry them, or as a round stores them."""
    from peerinterview.panel.rounds import card_sets
    with app.app_context():
        keys = [c.stored_key if stored else c.key
                for key, _q, cards in card_sets(world.project_id) if key == "all" for c in cards]
        db.session.remove()
    return keys


def test_staff_choose_how_many_cards_and_from_which(app, world, card_keys, sam, login_as):
    staf, staf_post = login_as("staf")
    page = html_of(staf.get(rounds_url(world)))
    assert 'name="size"' in page and 'value="40"' in page and 'name="first"' in page
    members = [user_id(app, "petra"), user_id(app, "sam")]
    for size, first, message in (("0", "1", "Kies een aantal van 1 tot 200."),
                                 ("201", "1", "Kies een aantal van 1 tot 200."),
                                 ("4", "8", "Er zijn maar 7 kaarten. Kies een lager nummer."),
                                 ("4", "0", "Vul een nummer in van 1 of hoger.")):
        response = staf_post(rounds_url(world), {"cards": "all", "members": members, "size": size, "first": first})
        assert response.status_code == 422 and message in plain_text(response), (size, first)
    assert count_rows(app, CodingRound) == 0
    response = staf_post(rounds_url(world), {"cards": "all", "members": members, "size": "4", "first": "2"})
    assert response.status_code == 303
    with app.app_context():
        round_ = db.session.scalars(select(CodingRound)).one()
        assert round_.cards == all_card_keys(app, world, stored=True)[1:5]
        assert round_.name == "Alle kaarten (7): kaart 2 tot en met 5"
        db.session.remove()
    assert "4 kaarten" in plain_text(staf.get(rounds_url(world)))


def test_sorting_and_comparing_go_page_by_page_and_keep_the_place(app, world, card_keys, sam, login_as,
                                                                   monkeypatch):
    monkeypatch.setattr("peerinterview.panel.round_routes.SORT_PER_PAGE", 3)
    monkeypatch.setattr("peerinterview.panel.round_routes.COMPARE_PER_PAGE", 3)
    _staf, staf_post = login_as("staf")
    rust = make_theme(staf_post, world, "Rust")
    staf_post(rounds_url(world), {"cards": "all", "members": [user_id(app, "petra"), user_id(app, "sam")],
                                  "size": "4", "first": "1"})
    round_id = db_round_id(app)
    keys = all_card_keys(app, world)[:4]
    started = {"round": round_id, "rust": rust}
    petra, petra_post = login_as("petra")
    first = html_of(petra.get(rounds_url(world, round_id)))
    assert "0 van de 4 kaarten gesorteerd" in plain_text(petra.get(rounds_url(world, round_id)))
    assert all(f'id="card-{k}"' in first for k in keys[:3]) and f'id="card-{keys[3]}"' not in first
    assert "Pagina 1 van 2" in plain_text(petra.get(rounds_url(world, round_id)))
    assert f'href="{rounds_url(world, round_id)}?page=2"' in first
    second = html_of(petra.get(rounds_url(world, round_id) + "?page=2"))
    assert f'id="card-{keys[3]}"' in second and f'id="card-{keys[0]}"' not in second
    # A sort on page 2 goes back to page 2, at the card.
    response = sort(petra_post, world, started, keys[3], "rust")
    assert location_of(response) == f"{rounds_url(world, round_id)}?page=2#card-{keys[3]}"
    assert "1 van de 4 kaarten gesorteerd" in plain_text(petra.get(location_of(response)))
    sort(petra_post, world, started, keys[0], "rust")
    assert "2 van de 4 kaarten gesorteerd" in plain_text(petra.get(rounds_url(world, round_id)))
    # A page out of range shows the nearest page.
    assert f'id="card-{keys[3]}"' in html_of(petra.get(rounds_url(world, round_id) + "?page=99"))
    _sam, sam_post = login_as("sam")
    sort(sam_post, world, started, keys[3], "rust")
    for post in (petra_post, sam_post):
        post(rounds_url(world, round_id, "done"))
    # The comparison pages too; the agreement is over the round's 4 cards, not the project's 7.
    page = petra.get(rounds_url(world, round_id))
    assert "Jullie waren het bij 3 van de 4 kaarten eens." in plain_text(page)
    assert f'id="card-{keys[3]}"' not in html_of(page) and "Pagina 1 van 2" in plain_text(page)
    page = petra.get(rounds_url(world, round_id) + "?page=2")
    assert "Jullie kozen allebei: Rust" in card_block(page, keys[3])
    response = petra_post(rounds_url(world, round_id, "decide"), {"card": keys[3], "themes": [rust], "version": 0})
    assert location_of(response) == f"{rounds_url(world, round_id)}?page=2#card-{keys[3]}"
