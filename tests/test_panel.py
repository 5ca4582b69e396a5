"""Samen bespreken over HTTP: cards sorted into themes by several people at once (additive, with
undo), counts per theme with small groups hidden, quotes that only leave the panel when staff
approved them, the four dialogue questions, recommendations with votes, and the presentation."""
import html
import re

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.interview.services import withdraw_interview
from peerinterview.models import Answer, AuditEvent, Interview, Question
from peerinterview.models.panel import (
    Coding,
    Finding,
    Quote,
    Recommendation,
    RecommendationVote,
    Theme,
)

from .builders import count_rows, demo_login, html_of, location_of, make_interview, plain_text
from .helpers import answer_id_of_card, card_key_of
from .worlds import world_from_snapshot

TEXTS = ["Meer rust in de avond.", "Het eten is koud.", "Langer open in het weekend.",
         "Bel mij op 06-12345678 als er plek is.", "De koffie is lekker.", "Een stille kamer graag."]
NOTE = "Soms is er ruzie bij de deur."


@pytest.fixture
def cards(app, world):
    """Six completed interviews with an open answer: five at the first location, one at the
    second; one of them has a follow-up note. Returns {text: card key}. Built once per process,
    then put back from a snapshot (tests/worlds.py)."""
    return world_from_snapshot(app, "panel_cards", lambda: make_cards(app, world), on="world")


def make_cards(app, world):
    ids = []
    for i, text in enumerate(TEXTS):
        location = world.location_ids[0] if i < 5 else world.location_ids[1]
        ids.append(make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": text},
                                  completed=True, location_id=location))
    keys = {}
    with app.app_context():
        rows = db.session.execute(
            select(Answer, Question.kind).join(Question).where(Answer.interview_id.in_(ids))).all()
        for answer, kind in rows:
            if kind == "open":
                keys[answer.text] = card_key_of(answer)
            elif answer.interview_id == ids[0]:
                answer.note = NOTE
                keys[NOTE] = card_key_of(answer, "note")
        db.session.commit()
        db.session.remove()
    keys["_interviews"] = ids
    return keys


def board_url(world, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/projects/{world.project_id}/themes" + (f"?{query}" if query else "")


def make_theme(post, world, name) -> int:
    response = post(board_url(world), {"name": name})
    assert response.status_code == 303, html_of(response)[:2000]
    match = re.search(r"theme=(\d+)", location_of(response))
    return int(match.group(1))


def themes_of(app, key) -> set[str]:
    part = key.partition("-")[2]
    with app.app_context():
        names = set(db.session.scalars(
            select(Theme.name).join(Coding).where(Coding.answer_id == answer_id_of_card(key), Coding.part == part,
                                                  Theme.deleted_at.is_(None))))
        db.session.remove()
    return names


def add(post, world, theme_id, key, **args):
    return post(f"/projects/{world.project_id}/themes/{theme_id}/cards", {"card": key}, **args)


def remove(post, world, theme_id, key):
    return post(f"/projects/{world.project_id}/themes/{theme_id}/cards/remove", {"card": key})


# --- cards ----------------------------------------------------------------------------------

def test_panel_sees_every_open_answer_as_a_card_without_who_said_it(app, world, cards, login_as):
    petra, _ = login_as("petra")
    response = petra.get(board_url(world))
    assert response.status_code == 200
    text = plain_text(response)
    for answer in TEXTS + [NOTE]:
        assert answer in text
    assert "Uitleg bij: Hoe vaak komt u hier?" in text
    assert "Antwoord op: Wat kan beter?" in text
    with app.app_context():
        codes = db.session.scalars(select(Interview.respondent_code)).all()
        db.session.remove()
    for code in codes:
        assert code not in html_of(response)
    assert "Anna" not in text
    assert "Alle kaarten (7)" in text and "Nog zonder thema (7)" in text


def test_no_cards_while_too_few_interviews_are_completed(app, world, login_as):
    make_interview(app, world.project_id, "anna", answers={"q3": "Iets geheims."}, completed=True)
    petra, _ = login_as("petra")
    text = plain_text(petra.get(board_url(world)))
    assert "Er zijn nog te weinig interviews klaar." in text
    assert "Iets geheims." not in text


def test_interviewers_and_designers_may_not_sort_or_read_cards(app, world, cards, login_as):
    _petra, petra_post = login_as("petra")
    theme_id = make_theme(petra_post, world, "Rust")
    for name in ("anna", "bram", "dirk", "andere-staf"):
        client, post = login_as(name)
        for path in (board_url(world), f"/projects/{world.project_id}/themes/{theme_id}",
                     f"/projects/{world.project_id}/quotes", f"/projects/{world.project_id}/present"):
            response = client.get(path)
            assert response.status_code == 403, (name, path)
            assert "Meer rust in de avond." not in html_of(response)
        assert add(post, world, theme_id, cards[TEXTS[0]]).status_code == 403
        assert post(board_url(world), {"name": "Stiekem"}).status_code == 403
    assert themes_of(app, cards[TEXTS[0]]) == set()
    assert count_rows(app, Theme) == 1


def test_a_withdrawn_interview_takes_its_cards_codings_and_quotes_with_it(app, world, cards, login_as):
    petra, post = login_as("petra")
    theme_id = make_theme(post, world, "Rust")
    add(post, world, theme_id, cards[TEXTS[0]])
    post(f"/projects/{world.project_id}/quotes", {"card": cards[TEXTS[0]]})
    with app.app_context():
        withdraw_interview(db.session.get(Interview, cards["_interviews"][0]), by=find_user("staf"))
        db.session.commit()
        db.session.remove()
    assert count_rows(app, Coding) == 0
    assert count_rows(app, Quote) == 0
    text = plain_text(petra.get(board_url(world)))
    assert TEXTS[0] not in text and NOTE not in text


# --- themes: create, add, remove, rename, merge, split, delete, undo ---------------------------

def test_create_theme_and_put_cards_in_it(app, world, cards, login_as):
    petra, post = login_as("petra")
    response = post(board_url(world), {"name": "Rust"})
    assert response.status_code == 303
    page = petra.get(location_of(response))
    text = plain_text(page)
    assert "Het thema 'Rust' is gemaakt." in text
    assert "Je werkt nu aan het thema: Rust." in text
    theme_id = int(re.search(r"theme=(\d+)", location_of(response)).group(1))
    assert "Zet in Rust" in text
    response = add(post, world, theme_id, cards[TEXTS[0]], query_string={"theme": theme_id, "show": "unsorted"})
    assert response.status_code == 303
    assert location_of(response) == board_url(world, theme=theme_id, show="unsorted")
    assert "De kaart staat nu in 'Rust'." in plain_text(petra.get(location_of(response)))
    assert themes_of(app, cards[TEXTS[0]]) == {"Rust"}
    # Again: nothing doubles.
    add(post, world, theme_id, cards[TEXTS[0]])
    assert count_rows(app, Coding) == 1
    page = plain_text(petra.get(board_url(world, theme=theme_id)))
    assert "Haal uit Rust" in page and "In: Rust" in page and "Nog zonder thema (6)" in page


def test_a_tap_with_htmx_gets_the_board_and_its_message_in_one_response(app, world, cards, login_as):
    """No redirect, so the message never waits in the session cookie: two quick taps (two
    requests, each with its own copy of the cookie) cannot overwrite each other's message."""
    petra, post = login_as("petra")
    rust = make_theme(post, world, "Rust")
    petra.get(board_url(world, theme=rust))  # the theme's "gemaakt" message is shown and gone
    args = {"query_string": {"theme": rust, "show": "all"}, "headers": {"HX-Request": "true"}}
    response = add(post, world, rust, cards[TEXTS[0]], **args)
    assert response.status_code == 200
    html = html_of(response)
    assert 'id="board"' in html and 'id="flash"' in html
    assert "De kaart staat nu in 'Rust'." in plain_text(response)
    assert "Haal uit Rust" in html
    # The message was shown in that response: it does not come back on the next page.
    assert "De kaart staat nu in 'Rust'." not in plain_text(petra.get(board_url(world, theme=rust)))
    response = post(f"/projects/{world.project_id}/quotes", {"card": cards[TEXTS[0]]}, **args)
    assert response.status_code == 200 and "voorgesteld als citaat" in plain_text(response)
    # Without JavaScript: 303 back to the board, the message on the next page.
    response = add(post, world, rust, cards[TEXTS[1]], query_string={"theme": rust})
    assert response.status_code == 303
    assert "De kaart staat nu in 'Rust'." in plain_text(petra.get(location_of(response)))


def test_a_card_can_be_in_several_themes_and_be_taken_out(app, world, cards, login_as):
    _petra, post = login_as("petra")
    rust, avond = make_theme(post, world, "Rust"), make_theme(post, world, "Avond")
    key = cards[TEXTS[0]]
    add(post, world, rust, key)
    add(post, world, avond, key)
    assert themes_of(app, key) == {"Rust", "Avond"}
    assert remove(post, world, rust, key).status_code == 303
    assert themes_of(app, key) == {"Avond"}


def test_an_empty_theme_name_is_refused_in_b1(world, cards, login_as):
    _petra, post = login_as("petra")
    response = post(board_url(world), {"name": "  "})
    assert response.status_code == 422
    assert "Vul een naam voor het thema in." in plain_text(response)
    assert "Fout:" in html_of(response)


def test_a_card_of_another_project_or_nonsense_is_refused(app, world, cards, login_as):
    petra, post = login_as("petra")
    theme_id = make_theme(post, world, "Rust")
    for key in ("999999-text", "abc", f"{cards[TEXTS[0]].split('-')[0]}-secret"):
        response = add(post, world, theme_id, key)
        assert response.status_code == 303
        assert "Deze kaart bestaat niet meer." in plain_text(petra.get(location_of(response)))
    assert count_rows(app, Coding) == 0


def test_two_people_sorting_the_same_card_never_lose_each_others_work(app, world, cards, login_as):
    _petra, petra = login_as("petra")
    _staf, staf = login_as("staf")
    rust, eten = make_theme(petra, world, "Rust"), make_theme(staf, world, "Eten")
    key, other = cards[TEXTS[0]], cards[TEXTS[1]]
    # Both put the same card in a theme at (almost) the same time: both stay.
    add(petra, world, rust, key)
    add(staf, world, eten, key)
    assert themes_of(app, key) == {"Rust", "Eten"}
    # Both put it in the same theme: one coding, no error.
    assert add(staf, world, rust, key).status_code == 303
    assert count_rows(app, Coding, Coding.theme_id == rust) == 1
    # One takes it out of a theme while the other adds another card to it: both happen.
    remove(petra, world, rust, key)
    add(staf, world, rust, other)
    assert themes_of(app, key) == {"Eten"}
    assert themes_of(app, other) == {"Rust"}
    # Petra's undo puts her card back and leaves Staf's card alone.
    petra(f"/projects/{world.project_id}/themes/undo")
    assert themes_of(app, key) == {"Rust", "Eten"}
    assert themes_of(app, other) == {"Rust"}


def test_simultaneous_taps_by_two_people_on_the_same_cards(app, world, cards, login_as):
    """Real parallel requests: each person adds every card to two themes (one shared) at once."""
    from concurrent.futures import ThreadPoolExecutor

    _petra, petra = login_as("petra")
    _staf, staf = login_as("staf")
    rust, eten = make_theme(petra, world, "Rust"), make_theme(staf, world, "Eten")
    keys = [cards[text] for text in TEXTS] + [cards[NOTE]]
    jobs = [(post, theme_id, key) for key in keys for post, theme_id in
            ((petra, rust), (staf, rust), (staf, eten), (petra, eten))]
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(lambda job: add(job[0], world, job[1], job[2]).status_code, jobs))
    assert statuses == [303] * len(jobs)
    assert count_rows(app, Coding, Coding.theme_id == rust) == len(keys)
    assert count_rows(app, Coding, Coding.theme_id == eten) == len(keys)
    for key in keys:
        assert themes_of(app, key) == {"Rust", "Eten"}


def test_rename_with_a_stale_version_is_refused_with_a_b1_message(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    _staf, staf_post = login_as("staf")
    theme_id = make_theme(petra_post, world, "Rust")
    url = f"/projects/{world.project_id}/themes/{theme_id}/name"
    assert staf_post(url, {"name": "Rust en drukte", "version": "1"}).status_code == 303
    response = petra_post(url, {"name": "Stilte", "version": "1"})
    assert response.status_code == 409
    text = plain_text(response)
    assert "Iemand anders gaf dit thema net een andere naam: Rust en drukte." in text
    with app.app_context():
        assert db.session.get(Theme, theme_id).name == "Rust en drukte"
        db.session.remove()
    # The form now carries the new version: saving again wins, on purpose.
    assert re.search(r'name="version"[^>]*value="2"', html_of(response))
    assert petra_post(url, {"name": "Stilte", "version": "2"}).status_code == 303
    assert "Thema: Stilte" in plain_text(petra.get(f"/projects/{world.project_id}/themes/{theme_id}"))


def test_merge_moves_the_cards_and_undo_brings_the_theme_back(app, world, cards, login_as):
    petra, post = login_as("petra")
    rust, stilte = make_theme(post, world, "Rust"), make_theme(post, world, "Stilte")
    add(post, world, rust, cards[TEXTS[0]])
    add(post, world, stilte, cards[TEXTS[5]])
    add(post, world, stilte, cards[TEXTS[0]])
    response = post(f"/projects/{world.project_id}/themes/{rust}/merge", {"other": str(stilte)})
    assert response.status_code == 303
    assert "'Stilte' is samengevoegd met 'Rust'." in plain_text(petra.get(location_of(response)))
    assert themes_of(app, cards[TEXTS[5]]) == {"Rust"}
    assert themes_of(app, cards[TEXTS[0]]) == {"Rust"}
    assert petra.get(f"/projects/{world.project_id}/themes/{stilte}").status_code == 404
    post(f"/projects/{world.project_id}/themes/undo")
    assert themes_of(app, cards[TEXTS[5]]) == {"Stilte"}
    assert themes_of(app, cards[TEXTS[0]]) == {"Rust", "Stilte"}
    # Merging with itself (or with nothing) is refused, in B1.
    response = post(f"/projects/{world.project_id}/themes/{rust}/merge", {"other": str(rust)})
    assert response.status_code == 422 and "Kies een ander thema." in plain_text(response)
    assert post(f"/projects/{world.project_id}/themes/{rust}/merge", {}).status_code == 422


def test_split_moves_the_chosen_cards_to_a_new_theme(app, world, cards, login_as):
    petra, post = login_as("petra")
    rust = make_theme(post, world, "Rust")
    for text in TEXTS[:3]:
        add(post, world, rust, cards[text])
    response = post(f"/projects/{world.project_id}/themes/{rust}/split",
                    {"cards": [cards[TEXTS[1]], cards[TEXTS[2]]], "name": "Openingstijden"})
    assert response.status_code == 303
    assert "2 kaarten staan nu in het nieuwe thema 'Openingstijden'." in plain_text(petra.get(location_of(response)))
    assert themes_of(app, cards[TEXTS[0]]) == {"Rust"}
    assert themes_of(app, cards[TEXTS[1]]) == {"Openingstijden"}
    response = post(f"/projects/{world.project_id}/themes/{rust}/split", {"name": "Leeg"})
    assert response.status_code == 422
    assert "Kies de kaarten die je wilt verplaatsen." in plain_text(response)
    post(f"/projects/{world.project_id}/themes/undo")
    assert themes_of(app, cards[TEXTS[1]]) == {"Rust"}
    assert count_rows(app, Theme, Theme.deleted_at.is_(None)) == 1


def test_delete_and_undo_per_person(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    _staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    add(petra_post, world, rust, cards[TEXTS[0]])
    eten = make_theme(staf_post, world, "Eten")
    response = petra_post(f"/projects/{world.project_id}/themes/{rust}/delete")
    assert response.status_code == 303
    board = plain_text(petra.get(location_of(response)))
    assert "Het thema 'Rust' is weggegooid." in board and "Maak ongedaan" in board
    assert themes_of(app, cards[TEXTS[0]]) == set()
    # Staf's undo undoes Staf's own last action (making Eten), not Petra's delete.
    staf_post(f"/projects/{world.project_id}/themes/undo")
    assert count_rows(app, Theme, Theme.id == eten, Theme.deleted_at.is_(None)) == 0
    response = petra_post(f"/projects/{world.project_id}/themes/undo")
    assert "Ongedaan gemaakt: Thema 'Rust' weggegooid." in plain_text(petra.get(location_of(response)))
    assert themes_of(app, cards[TEXTS[0]]) == {"Rust"}
    # Only the last action: a second undo finds nothing (the one before stays).
    response = petra_post(f"/projects/{world.project_id}/themes/undo")
    assert "Er is niets om ongedaan te maken." in plain_text(petra.get(location_of(response)))
    assert themes_of(app, cards[TEXTS[0]]) == {"Rust"}


# --- seeing each other's changes --------------------------------------------------------------

def test_polling_is_cheap_when_nothing_changed_and_shows_others_changes(app, world, cards, login_as):
    petra, _ = login_as("petra")
    _staf, staf_post = login_as("staf")
    page = html_of(petra.get(board_url(world)))
    since = re.search(r"themes/changes\?since=(\d+)", page).group(1)
    changes = f"/projects/{world.project_id}/themes/changes?since={since}"
    unchanged = petra.get(changes, headers={"HX-Request": "true"})
    assert unchanged.status_code == 204 and unchanged.data == b""
    etag = unchanged.headers["ETag"]
    assert petra.get(changes, headers={"If-None-Match": etag}).status_code == 304
    eten = make_theme(staf_post, world, "Eten")
    add(staf_post, world, eten, cards[TEXTS[1]])
    changed = petra.get(changes, headers={"HX-Request": "true"})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    fragment = html_of(changed)
    assert "<html" not in fragment and 'id="board"' in fragment
    assert 'id="board-status"' in fragment and "De kaarten zijn bijgewerkt." in fragment
    assert "Eten" in fragment and "In: Eten" in plain_text(changed)
    # The fragment polls on from the new version.
    assert f"since={int(since) + 2}" in fragment
    # Pages with forms get a notice instead of a new page.
    here = f"/projects/{world.project_id}/quotes"
    notice = petra.get(f"/projects/{world.project_id}/themes/changes?since={since}&view=notice&here={here}")
    assert "Iemand anders heeft net iets veranderd." in plain_text(notice)
    assert f'href="{here}"' in html_of(notice)


def test_the_notice_link_stays_on_this_site(world, cards, login_as):
    petra, _ = login_as("petra")
    notice = petra.get(f"/projects/{world.project_id}/themes/changes?since=-1&view=notice&here=//evil.example")
    assert "evil.example" not in html_of(notice)


# --- counts and small groups ------------------------------------------------------------------

def test_counts_per_theme_and_small_groups_hidden_by_location(app, world, cards, login_as):
    petra, post = login_as("petra")
    rust = make_theme(post, world, "Rust")
    for text in TEXTS:
        add(post, world, rust, cards[text])
    add(post, world, rust, cards[NOTE])  # same person as TEXTS[0]: 7 cards, 6 people
    text = plain_text(petra.get(f"/projects/{world.project_id}/themes/{rust}"))
    assert "7 kaarten. De kaarten komen van 6 mensen." in text
    # The panel chooses a theme's cards, so it never reads people per location
    # (tests/test_panel_attacks.py); staff read them, small groups hidden.
    assert "De Haven" not in text and "Het Anker" not in text
    staff, _post = login_as("staf")
    text = plain_text(staff.get(f"/projects/{world.project_id}/themes/{rust}"))
    assert "7 kaarten. De kaarten komen van 6 mensen." in text
    # 5 at De Haven and 1 at Het Anker: the 1 is hidden, and so is the 5 (else 6 - 5 = 1).
    # Both read the same: a page that said "fewer than 5" for one of them would tell which.
    assert ("Het Anker: niet getoond" in text and "De Haven: niet getoond" in text) \
        or "Per locatie: niet getoond." in text
    assert "minder dan" not in text.lower()
    assert "5 mensen" not in text
    small = make_theme(post, world, "Klein")
    add(post, world, small, cards[TEXTS[0]])
    text = plain_text(petra.get(f"/projects/{world.project_id}/themes/{small}"))
    assert "1 kaart. Aantal mensen: niet getoond." in text
    assert "De Haven" not in text
    text = plain_text(staff.get(f"/projects/{world.project_id}/themes/{small}"))
    assert "1 kaart. Aantal mensen: niet getoond." in text
    assert "Per locatie: niet getoond." in text
    assert "De Haven" not in text


def test_locations_with_enough_people_are_counted(app, world, cards, login_as):
    for i in range(4):
        make_interview(app, world.project_id, "anna", answers={"q3": f"Anker {i}"}, completed=True,
                       location_id=world.location_ids[1])
    petra, post = login_as("petra")
    rust = make_theme(post, world, "Rust")
    with app.app_context():
        keys = [card_key_of(a) for a in db.session.scalars(select(Answer).where(Answer.text.is_not(None)))]
        db.session.remove()
    for key in keys:
        add(post, world, rust, key)
    # Staff read people per location; the panel, which chose the cards, does not.
    staff, _post = login_as("staf")
    text = plain_text(staff.get(f"/projects/{world.project_id}/themes/{rust}"))
    assert "De Haven: 5 mensen" in text and "Het Anker: 5 mensen" in text
    assert "De Haven" not in plain_text(petra.get(f"/projects/{world.project_id}/themes/{rust}"))


# --- quotes -----------------------------------------------------------------------------------

def test_quotes_are_proposed_by_the_panel_and_approved_redacted_by_staff(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    phone_card = cards[TEXTS[3]]
    add(petra_post, world, rust, phone_card)
    response = petra_post(f"/projects/{world.project_id}/quotes", {"card": phone_card})
    assert response.status_code == 303
    assert "voorgesteld als citaat" in plain_text(petra.get(location_of(response)))
    assert "Citaat: Wacht op goedkeuring" in plain_text(petra.get(board_url(world)))
    with app.app_context():
        quote = db.session.scalars(select(Quote)).one()
        quote_id, version = quote.id, quote.version
        db.session.remove()
    # The panel sees the proposal, but may not decide; nothing has left the panel yet.
    page = plain_text(petra.get(f"/projects/{world.project_id}/quotes"))
    assert "Wacht op goedkeuring door de begeleider." in page and "Keur goed" not in page
    decide = f"/projects/{world.project_id}/quotes/{quote_id}"
    assert petra_post(decide, {f"q{quote_id}-action": "approve", f"q{quote_id}-version": version,
                               f"q{quote_id}-text": "x"}).status_code == 403
    discuss = f"/projects/{world.project_id}/themes/{rust}/discuss"
    assert "06-12345678" not in plain_text(petra.get(discuss))
    # Staff see the phone number highlighted, ask for a suggestion, and approve it.
    review = html_of(staf.get(f"/projects/{world.project_id}/quotes"))
    assert re.search(r'<mark class="identifying">06-12345678', review)
    suggestion = staf_post(decide, {f"q{quote_id}-action": "suggest", f"q{quote_id}-version": version,
                                    f"q{quote_id}-text": TEXTS[3]})
    assert suggestion.status_code == 200
    assert "Bel mij op [telefoonnummer] als er plek is." in html_of(suggestion)
    assert count_rows(app, Quote, Quote.status == "approved") == 0
    response = staf_post(decide, {f"q{quote_id}-action": "approve", f"q{quote_id}-version": version,
                                  f"q{quote_id}-text": "Bel mij op [telefoonnummer] als er plek is."})
    assert response.status_code == 303
    # The approved, redacted wording is what shows outside the sorting page.
    for page in (petra.get(discuss), petra.get(f"/projects/{world.project_id}/quotes")):
        text = plain_text(page)
        assert "Bel mij op [telefoonnummer] als er plek is." in text
        assert "06-12345678" not in text
    # A second decision on the old version is a conflict, in B1.
    stale = staf_post(decide, {f"q{quote_id}-action": "reject", f"q{quote_id}-version": version})
    assert stale.status_code == 409
    assert "Iemand anders heeft dit citaat net beoordeeld." in plain_text(stale)
    assert count_rows(app, Quote, Quote.status == "approved") == 1


def test_a_quote_decided_by_someone_else_meanwhile_keeps_the_wording_typed_here(app, world, cards, login_as):
    """Two tabs of staff on the quotes page. Tab A removes the phone number from the wording while
    tab B rejects the quote and puts it back. A's "Keur goed" is refused (409), but A's wording is
    still in the box, with the quote's version of now: approving it is one more press. When B
    approved it meanwhile with other words, A's wording is shown beside the message."""
    petra, petra_post = login_as("petra")
    staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    phone_card = cards[TEXTS[3]]
    add(petra_post, world, rust, phone_card)
    petra_post(f"/projects/{world.project_id}/quotes", {"card": phone_card})
    with app.app_context():
        quote = db.session.scalars(select(Quote)).one()
        quote_id, version = quote.id, quote.version
        db.session.remove()
    decide = f"/projects/{world.project_id}/quotes/{quote_id}"
    mine = "Bel mij op [nummer weggehaald] als er plek is."
    staf_post(decide, {f"q{quote_id}-action": "reject", f"q{quote_id}-version": version})
    staf_post(decide, {f"q{quote_id}-action": "reopen", f"q{quote_id}-version": version + 1})
    refused = staf_post(decide, {f"q{quote_id}-action": "approve", f"q{quote_id}-version": version,
                                 f"q{quote_id}-text": mine})
    assert refused.status_code == 409
    page = html_of(refused)
    assert re.search(rf'<textarea[^>]*name="q{quote_id}-text"[^>]*>\s*{re.escape(mine)}</textarea>', page)
    new_version = re.search(rf'name="q{quote_id}-version"[^>]*value="(\d+)"', page).group(1)
    assert int(new_version) == version + 2
    assert staf_post(decide, {f"q{quote_id}-action": "approve", f"q{quote_id}-version": new_version,
                              f"q{quote_id}-text": mine}).status_code == 303
    assert mine in plain_text(petra.get(f"/projects/{world.project_id}/quotes"))

    # Now B takes it back and approves other words, while A still has the old page.
    staf_post(decide, {f"q{quote_id}-action": "reopen", f"q{quote_id}-version": int(new_version) + 1})
    stale = int(new_version) + 2
    staf_post(decide, {f"q{quote_id}-action": "approve", f"q{quote_id}-version": stale,
                       f"q{quote_id}-text": "Bel mij als er plek is."})
    other = "Bel mij op [telefoon] als er een plek is."
    refused = staf_post(decide, {f"q{quote_id}-action": "approve", f"q{quote_id}-version": stale,
                                 f"q{quote_id}-text": other})
    assert refused.status_code == 409
    text = plain_text(refused)
    assert "Jouw tekst is niet opgeslagen. Dit had je getypt:" in text and other in text
    assert "Bel mij als er plek is." in text  # what B approved, in the list
    assert count_rows(app, Quote, Quote.status == "approved") == 1


def test_a_rejected_quote_never_shows_and_can_be_proposed_again(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    _staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    add(petra_post, world, rust, cards[TEXTS[4]])
    petra_post(f"/projects/{world.project_id}/quotes", {"card": cards[TEXTS[4]]})
    with app.app_context():
        quote = db.session.scalars(select(Quote)).one()
        quote_id, version = quote.id, quote.version
        db.session.remove()
    staf_post(f"/projects/{world.project_id}/quotes/{quote_id}",
              {f"q{quote_id}-action": "reject", f"q{quote_id}-version": version})
    assert TEXTS[4] not in plain_text(petra.get(f"/projects/{world.project_id}/themes/{rust}/discuss"))
    assert "Stel voor als citaat" in plain_text(petra.get(f"/projects/{world.project_id}/themes/{rust}"))
    petra_post(f"/projects/{world.project_id}/quotes", {"card": cards[TEXTS[4]]})
    assert count_rows(app, Quote, Quote.status == "proposed") == 1
    # Approving needs a text.
    response = staf_post(f"/projects/{world.project_id}/quotes/{quote_id}",
                         {f"q{quote_id}-action": "approve", f"q{quote_id}-version": version + 1,
                          f"q{quote_id}-text": " "})
    assert response.status_code == 422
    assert "Vul de tekst van het citaat in." in plain_text(response)


def test_staff_can_put_a_rejected_quote_back_among_the_proposed_ones(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    add(petra_post, world, rust, cards[TEXTS[4]])
    petra_post(f"/projects/{world.project_id}/quotes", {"card": cards[TEXTS[4]]})
    with app.app_context():
        quote_id = db.session.scalars(select(Quote.id)).one()
        db.session.remove()
    decide = f"/projects/{world.project_id}/quotes/{quote_id}"
    response = staf_post(decide, {f"q{quote_id}-action": "reject", f"q{quote_id}-version": "1"})
    page = staf.get(location_of(response))
    assert "Vergissing? Kies 'Zet terug bij voorgesteld' onder Afgewezen." in plain_text(page)
    assert f'aria-label="Zet terug bij voorgesteld: {TEXTS[4]}"' in html_of(page)
    # The panel sees how many were rejected, never the texts nor the button.
    panel_page = plain_text(petra.get(f"/projects/{world.project_id}/quotes"))
    assert "Afgewezen (1)" in panel_page and TEXTS[4] not in panel_page and "Zet terug" not in panel_page
    assert petra_post(decide, {f"q{quote_id}-action": "reopen", f"q{quote_id}-version": "2"}).status_code == 403
    response = staf_post(decide, {f"q{quote_id}-action": "reopen", f"q{quote_id}-version": "2"})
    assert "Het citaat wacht weer op goedkeuring." in plain_text(staf.get(location_of(response)))
    assert count_rows(app, Quote, Quote.status == "proposed") == 1


# --- findings and recommendations -------------------------------------------------------------

def test_the_four_dialogue_questions_become_findings(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    _staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    discuss = f"/projects/{world.project_id}/themes/{rust}/discuss"
    text = plain_text(petra.get(discuss))
    for question in ("Herkennen we dit?", "Kunnen we het verklaren?", "Wat vinden we ervan?",
                     "Moet er iets gebeuren?"):
        assert question in text
    url = f"/projects/{world.project_id}/themes/{rust}/findings/recognise"
    response = petra_post(url, {"recognise-text": "Ja, 's avonds is het druk.", "recognise-version": "0"})
    assert response.status_code == 303
    assert "Opgeslagen: Herkennen we dit?" in plain_text(petra.get(location_of(response)))
    # Staf started from the empty box too: refused, and both texts are on the page.
    response = staf_post(url, {"recognise-text": "Nee, niet echt.", "recognise-version": "0"})
    assert response.status_code == 409
    text = plain_text(response)
    assert "Iemand anders heeft dit net veranderd." in text
    assert "Ja, 's avonds is het druk." in text and "Nee, niet echt." in text
    with app.app_context():
        finding = db.session.scalars(select(Finding)).one()
        assert (finding.question, finding.text, finding.version) == ("recognise", "Ja, 's avonds is het druk.", 1)
        db.session.remove()
    assert staf_post(url, {"recognise-text": "Ja, vooral 's avonds.", "recognise-version": "1"}).status_code == 303
    assert "Ja, vooral 's avonds." in plain_text(petra.get(discuss))
    assert petra_post(f"/projects/{world.project_id}/themes/{rust}/findings/nonsense",
                      {"nonsense-text": "x", "nonsense-version": "0"}).status_code == 404


def findings_data(texts: dict, versions: dict | None = None, seen=None) -> dict:
    """The whole form of the four boxes, as the browser sends it."""
    data = {}
    for question in ("recognise", "explain", "opinion", "action"):
        data[f"{question}-text"] = texts.get(question, "")
        data[f"{question}-version"] = str((versions or {}).get(question, 0))
    if seen is not None:
        data["seen"] = str(seen)
    return data


def textarea_of(response, question) -> str:
    match = re.search(rf'<textarea[^>]*name="{question}-text"[^>]*>(.*?)</textarea>', html_of(response), re.DOTALL)
    assert match, question
    return html.unescape(match.group(1)).strip()


def stored_findings(app) -> dict:
    with app.app_context():
        found = {f.question: (f.text, f.version) for f in db.session.scalars(select(Finding))}
        db.session.remove()
    return found


def test_the_four_boxes_are_saved_together_and_no_typed_text_is_ever_replaced(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    _staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    discuss = f"/projects/{world.project_id}/themes/{rust}/discuss"
    page = html_of(petra.get(discuss))
    # One form, one button: no box has a save button of its own that would empty the others.
    assert page.count(">Alles opslaan<") == 1 and "Opslaan:" not in page
    url = f"/projects/{world.project_id}/themes/{rust}/findings"
    typed = {"recognise": "Ja, 's avonds.", "explain": "Te weinig mensen.", "opinion": "Niet goed."}
    response = petra_post(url, findings_data(typed))
    assert response.status_code == 303
    assert "Alles is opgeslagen." in plain_text(petra.get(location_of(response)))
    assert stored_findings(app) == {q: (t, 1) for q, t in typed.items()}
    # Staf worked on the same page, loaded before Petra saved: where his text differs, nothing is
    # overwritten and his text stays in the box; a box he left as it is stored is no conflict.
    response = staf_post(url, findings_data({"recognise": "Ja, 's avonds.", "explain": "Het is te klein.",
                                             "action": "Een stille kamer."}))
    assert response.status_code == 409
    assert textarea_of(response, "explain") == "Het is te klein."
    assert textarea_of(response, "recognise") == "Ja, 's avonds."
    assert textarea_of(response, "opinion") == ""  # he emptied it: his (empty) box stays empty …
    text = plain_text(response)
    assert "Iemand anders heeft dit net veranderd. Dit staat er nu: Te weinig mensen." in text
    assert "Niet goed." in text  # … and Petra's text is shown above it
    found = stored_findings(app)
    assert found["explain"] == ("Te weinig mensen.", 1) and found["action"] == ("Een stille kamer.", 1)
    # Saving again from that page (it carries the versions now) keeps what he typed.
    response = staf_post(url, findings_data({"recognise": "Ja, 's avonds.", "explain": "Het is te klein.",
                                             "opinion": "Niet goed.", "action": "Een stille kamer."},
                                            {"recognise": 1, "explain": 1, "opinion": 1, "action": 1}))
    assert response.status_code == 303
    assert stored_findings(app)["explain"] == ("Het is te klein.", 2)
    response = petra_post(url, findings_data({"recognise": "x" * 5001}))
    assert response.status_code == 422 and "Gebruik hoogstens 5000 tekens." in plain_text(response)
    assert textarea_of(response, "recognise") == "x" * 5001
    _anna, anna_post = login_as("anna")
    assert anna_post(url, findings_data({"recognise": "Van Anna."})).status_code == 403


def test_a_box_saves_itself_while_typed_and_says_so(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    _staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    page = html_of(petra.get(f"/projects/{world.project_id}/themes/{rust}/discuss"))
    seen = int(re.search(r'name="seen"[^>]*value="(\d+)"', page).group(1))
    url = f"/projects/{world.project_id}/themes/{rust}/findings/explain"
    htmx = {"HX-Request": "true"}
    # The whole form comes along (the other boxes too); only this box is saved.
    response = petra_post(url, findings_data({"explain": "Te druk.", "opinion": "Nog niet klaar"}, seen=seen),
                          headers=htmx)
    assert response.status_code == 200 and "<html" not in html_of(response)
    fragment = html_of(response)
    assert 'name="explain-version" value="1"' in fragment and "Opgeslagen" in fragment
    assert stored_findings(app) == {"explain": ("Te druk.", 1)}
    # Its own save is not announced as someone else's change: the poll moves past it.
    after = int(re.search(r"since=(\d+)", fragment).group(1))
    assert after > seen
    assert f'name="seen" id="seen" value="{after}" hx-swap-oob="true"' in fragment
    assert petra.get(f"/projects/{world.project_id}/themes/changes?since={after}&view=notice").status_code == 204
    response = petra_post(url, findings_data({"explain": "Te druk in de avond."}, {"explain": 1}, seen=after),
                          headers=htmx)
    assert 'name="explain-version" value="2"' in html_of(response)
    # Someone else saved in between: not saved, their text shown, the next save may go on.
    staf_post(url, findings_data({"explain": "Te weinig personeel."}, {"explain": 2}), headers=htmx)
    response = petra_post(url, findings_data({"explain": "Te druk in de avond, echt."}, {"explain": 2}),
                          headers=htmx)
    fragment = html_of(response)
    assert "Niet opgeslagen. Iemand anders schreef hier net iets anders." in plain_text(response)
    assert 'id="finding-explain-conflict" hx-swap-oob="true"' in fragment and "Te weinig personeel." in fragment
    assert 'name="explain-version" value="3"' in fragment
    assert stored_findings(app)["explain"] == ("Te weinig personeel.", 3)
    response = petra_post(url, findings_data({"explain": "x" * 5001}, {"explain": 3}), headers=htmx)
    assert "Niet opgeslagen. Gebruik hoogstens 5000 tekens." in plain_text(response)
    assert stored_findings(app)["explain"] == ("Te weinig personeel.", 3)
    # Without htmx the page comes back with this box as typed and the others as stored.
    petra_post(f"/projects/{world.project_id}/themes/{rust}/findings/recognise",
               findings_data({"recognise": "Ja."}), headers=htmx)
    response = petra_post(url, {"explain-text": "y" * 5001, "explain-version": "3"})
    assert response.status_code == 422
    assert textarea_of(response, "explain") == "y" * 5001 and textarea_of(response, "recognise") == "Ja."


def test_recommendations_with_one_changeable_vote_per_person_listed_by_priority(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    _staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    add_url = f"/projects/{world.project_id}/themes/{rust}/recommendations"
    assert petra_post(add_url, {"text": "Maak een stille kamer."}).status_code == 303
    assert staf_post(add_url, {"text": "Meer medewerkers in de avond."}).status_code == 303
    response = petra_post(add_url, {"text": ""})
    assert response.status_code == 422 and "Schrijf eerst de aanbeveling." in plain_text(response)
    with app.app_context():
        stil, avond = db.session.scalars(select(Recommendation.id).order_by(Recommendation.id)).all()
        db.session.remove()
    vote = f"/projects/{world.project_id}/recommendations/%d/vote"
    petra_post(vote % stil, {"priority": "1"})
    petra_post(vote % avond, {"priority": "3"})
    staf_post(vote % avond, {"priority": "2"})
    staf_post(vote % stil, {"priority": "2"})
    # Petra changes her mind: still one vote of hers.
    response = petra_post(vote % stil, {"priority": "2"})
    assert "Je stem is opgeslagen: Belangrijk." in plain_text(petra.get(location_of(response)))
    assert count_rows(app, RecommendationVote) == 4
    assert count_rows(app, RecommendationVote, RecommendationVote.recommendation_id == stil) == 2
    page = plain_text(petra.get(f"/projects/{world.project_id}/recommendations"))
    assert page.index("Meer medewerkers in de avond.") < page.index("Maak een stille kamer.")
    assert "5 punten" in page and "4 punten" in page
    assert petra_post(vote % stil, {"priority": "7"}).status_code == 303
    assert count_rows(app, RecommendationVote, RecommendationVote.priority == 7) == 0
    _anna, anna_post = login_as("anna")
    assert anna_post(vote % stil, {"priority": "3"}).status_code == 403


# --- presentation -----------------------------------------------------------------------------

def test_the_facilitator_moves_the_slides_and_the_panel_follows(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    staf, staf_post = login_as("staf")
    rust = make_theme(staf_post, world, "Rust")
    add(staf_post, world, rust, cards[TEXTS[0]])  # an empty theme gets no slide
    page = html_of(petra.get(f"/projects/{world.project_id}/present"))
    assert "Deel 1 van 6" in plain_text(petra.get(f"/projects/{world.project_id}/present"))
    assert "Volgende" not in plain_text(petra.get(f"/projects/{world.project_id}/present"))
    version = re.search(r"present/slide\?v=(\d+)", page).group(1)
    poll = f"/projects/{world.project_id}/present/slide?v={version}"
    assert petra.get(poll, headers={"HX-Request": "true"}).status_code == 204
    # 1 start, 3 questions, 1 theme, recommendations
    assert petra_post(f"/projects/{world.project_id}/present", {"slide": "q:q1"}).status_code == 403
    assert staf_post(f"/projects/{world.project_id}/present", {"slide": "q:q1"}).status_code == 303
    slide = petra.get(poll, headers={"HX-Request": "true"})
    assert slide.status_code == 200 and "<html" not in html_of(slide)
    text = plain_text(slide)
    assert "Deel 2 van 6" in text and "Hoe vaak komt u hier?" in text
    assert "Elke dag: 6 van de 6 mensen (100%)" in text
    staf_post(f"/projects/{world.project_id}/present", {"slide": f"t:{rust}"})
    text = plain_text(petra.get(poll))
    assert "Thema Rust" in text
    response = staf_post(f"/projects/{world.project_id}/present", {"slide": "t:999999"})
    assert "Deze dia bestaat niet meer." in plain_text(staf.get(location_of(response)))
    assert "Vorige" in plain_text(staf.get(f"/projects/{world.project_id}/present"))


# --- demo -------------------------------------------------------------------------------------

def test_the_demo_has_themes_a_finding_votes_and_an_approved_quote(app, login_as):
    client, project_id = demo_login(app, "demo-panel")
    board = plain_text(client.get(f"/projects/{project_id}/themes"))
    for name in ("Rust en drukte", "Contact met medewerkers", "Eten en verzorging"):
        assert name in board
    assert count_rows(app, Coding) > 10
    with app.app_context():
        calm = db.session.scalars(select(Theme).where(Theme.name == "Rust en drukte")).one().id
        db.session.remove()
    discuss = plain_text(client.get(f"/projects/{project_id}/themes/{calm}/discuss"))
    assert "Ja. 's Avonds is het vaak te druk." in discuss
    assert "Maak een stille kamer waar mensen tot rust kunnen komen." in discuss
    assert "2 stemmen" in discuss
    assert "Meer rust. Een stille kamer zou fijn zijn." in discuss  # the approved quote
    assert "5 punten" in plain_text(client.get(f"/projects/{project_id}/recommendations"))


def test_the_facilitator_can_jump_to_any_slide(app, world, cards, login_as):
    staf, staf_post = login_as("staf")
    petra, _ = login_as("petra")
    rust = make_theme(staf_post, world, "Rust")
    add(staf_post, world, rust, cards[TEXTS[0]])
    page = plain_text(staf.get(f"/projects/{world.project_id}/present"))
    assert "Ga naar" in page and "5. Thema: Rust" in page and "6. Aanbevelingen" in page
    assert "slide-choice" not in html_of(petra.get(f"/projects/{world.project_id}/present"))
    staf_post(f"/projects/{world.project_id}/present", {"slide": "recommendations"})
    text = plain_text(petra.get(f"/projects/{world.project_id}/present"))
    assert "Deel 6 van 6" in text and "Er zijn nog geen aanbevelingen." in text
    assert rust


def test_staff_can_take_an_approved_quote_back(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    add(petra_post, world, rust, cards[TEXTS[5]])
    petra_post(f"/projects/{world.project_id}/quotes", {"card": cards[TEXTS[5]]})
    with app.app_context():
        quote_id = db.session.scalars(select(Quote.id)).one()
        db.session.remove()
    decide = f"/projects/{world.project_id}/quotes/{quote_id}"
    staf_post(decide, {f"q{quote_id}-action": "approve", f"q{quote_id}-version": "1",
                       f"q{quote_id}-text": TEXTS[5]})
    discuss = f"/projects/{world.project_id}/themes/{rust}/discuss"
    assert TEXTS[5] in plain_text(petra.get(discuss))
    assert petra_post(decide, {f"q{quote_id}-action": "reopen", f"q{quote_id}-version": "2"}).status_code == 403
    response = staf_post(decide, {f"q{quote_id}-action": "reopen", f"q{quote_id}-version": "2"})
    assert "Het citaat wacht weer op goedkeuring." in plain_text(staf.get(location_of(response)))
    assert TEXTS[5] not in plain_text(petra.get(discuss))
    assert count_rows(app, Quote, Quote.status == "proposed", Quote.text.is_(None)) == 1


def test_a_recommendation_is_taken_away_by_its_author_or_staff_kept_in_the_history_and_put_back(
        app, world, cards, login_as, make_user):
    make_user("piet", project_id=world.project_id, roles={"panel"})
    petra, petra_post = login_as("petra")
    piet, piet_post = login_as("piet")
    staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    add(petra_post, world, rust, cards[TEXTS[0]])
    add_url = f"/projects/{world.project_id}/themes/{rust}/recommendations"
    petra_post(add_url, {"text": "Van Petra."})
    staf_post(add_url, {"text": "Van Staf."})
    with app.app_context():
        petras, stafs = db.session.scalars(select(Recommendation.id).order_by(Recommendation.id)).all()
        db.session.remove()
    staf_post(f"/projects/{world.project_id}/recommendations/{petras}/vote", {"priority": "3"})
    piet_post(f"/projects/{world.project_id}/recommendations/{petras}/vote", {"priority": "2"})
    delete = f"/projects/{world.project_id}/recommendations/%d/delete"
    restore = f"/projects/{world.project_id}/recommendations/%d/restore"
    discuss = f"/projects/{world.project_id}/themes/{rust}/discuss"
    page = html_of(petra.get(discuss))
    assert page.count('aria-label="Haal weg:') == 1 and 'aria-label="Haal weg: Van Petra."' in page
    # Another panel member may not take away, nor put back, what Petra wrote.
    assert 'aria-label="Haal weg:' not in html_of(piet.get(discuss))
    assert piet_post(delete % petras).status_code == 403
    assert petra_post(delete % stafs).status_code == 403
    response = petra_post(delete % petras)
    assert response.status_code == 303
    text = plain_text(petra.get(location_of(response)))
    # Right away: what was taken away, and a way to put it back.
    assert "Je hebt deze aanbeveling weggehaald: Van Petra. Zet terug" in text
    # Gone from the lists, the slides and the report; its votes are kept.
    assert "Van Petra." not in plain_text(piet.get(f"/projects/{world.project_id}/recommendations"))
    staf_post(f"/projects/{world.project_id}/present", {"slide": "recommendations"})
    assert "Van Petra." not in plain_text(piet.get(f"/projects/{world.project_id}/present"))
    assert "Van Petra." not in plain_text(staf.get(f"/projects/{world.project_id}/report"))
    assert count_rows(app, RecommendationVote) == 2
    assert piet_post(f"/projects/{world.project_id}/recommendations/{petras}/vote",
                     {"priority": "1"}).status_code == 404
    # The history: everyone sees what was taken away and by whom; only Petra and staff may put it back.
    piet_page = plain_text(piet.get(discuss))
    assert "Weggehaald (1) Van Petra. Weggehaald door Petra." in piet_page
    assert "Zet terug" not in piet_page
    assert piet_post(restore % petras).status_code == 403
    assert petra_post(restore % stafs).status_code == 403
    assert staf_post(restore % stafs).status_code == 404  # not taken away
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(petras))).all()
        db.session.remove()
    assert "panel.recommendation_delete" in events
    response = petra_post(restore % petras)
    assert "De aanbeveling staat er weer, met haar stemmen." in plain_text(petra.get(location_of(response)))
    page = plain_text(piet.get(f"/projects/{world.project_id}/recommendations"))
    assert "Van Petra." in page and "5 punten" in page
    # Staff may take away what a panel member wrote, and put it back.
    assert staf_post(delete % petras).status_code == 303
    assert staf_post(restore % petras).status_code == 303
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(petras))
                                    .order_by(AuditEvent.id)).all()
        assert db.session.get(Recommendation, petras).deleted_at is None
        db.session.remove()
    assert [e for e in events if e.startswith("panel.recommendation_")] == [
        "panel.recommendation_add", "panel.recommendation_delete", "panel.recommendation_restore",
        "panel.recommendation_delete", "panel.recommendation_restore"]


def test_undoing_a_rename_keeps_a_later_rename_by_someone_else(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    _staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    url = f"/projects/{world.project_id}/themes/{rust}/name"
    petra_post(url, {"name": "Stilte", "version": "1"})
    staf_post(url, {"name": "Rust en stilte", "version": "2"})
    response = petra_post(f"/projects/{world.project_id}/themes/undo")
    assert "Dit kan niet meer ongedaan." in plain_text(petra.get(location_of(response)))
    with app.app_context():
        assert db.session.get(Theme, rust).name == "Rust en stilte"
        db.session.remove()
    response = petra_post(f"/projects/{world.project_id}/themes/undo")
    assert "Er is niets om ongedaan te maken." in plain_text(petra.get(location_of(response)))


def test_undo_comes_with_every_board_swap_and_names_exactly_what_it_undoes(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    rust = make_theme(petra_post, world, "Rust")
    add(petra_post, world, rust, cards[TEXTS[0]])
    # The board that htmx swaps in after a tap (and every poll) holds the undo button.
    poll = petra.get(f"/projects/{world.project_id}/themes/changes?since=0&theme={rust}")
    fragment = html_of(poll)
    assert 'id="undo-button"' in fragment
    assert "Kaart in 'Rust' gezet: “Meer rust in de avond.”" in plain_text(poll)
    first = int(re.search(r'name="action"[^>]*value="(\d+)"', fragment).group(1))
    add(petra_post, world, rust, cards[TEXTS[1]])
    board = petra.get(board_url(world, theme=rust))
    assert "Kaart in 'Rust' gezet: “Het eten is koud.”" in plain_text(board)
    assert "Meer rust in de avond.”" not in re.search(r'<div id="undo">.*?</div>', html_of(board), re.DOTALL).group(0)
    # A button that still shows the older step undoes nothing, and says what the last step is now.
    response = petra_post(f"/projects/{world.project_id}/themes/undo", {"action": str(first)})
    assert "Er is niets ongedaan gemaakt. Je laatste stap is nu: Kaart in 'Rust' gezet: “Het eten is koud.”" \
        in plain_text(petra.get(location_of(response)))
    assert themes_of(app, cards[TEXTS[1]]) == {"Rust"}
    current = int(re.search(r'name="action"[^>]*value="(\d+)"', html_of(board)).group(1))
    response = petra_post(f"/projects/{world.project_id}/themes/undo", {"action": str(current)})
    assert "Ongedaan gemaakt: Kaart in 'Rust' gezet: “Het eten is koud.”." in plain_text(petra.get(location_of(response)))
    assert themes_of(app, cards[TEXTS[1]]) == set() and themes_of(app, cards[TEXTS[0]]) == {"Rust"}


# --- the guided meeting -----------------------------------------------------------------------

def test_the_steps_say_where_the_panel_is_what_is_done_and_what_is_next(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    text = plain_text(petra.get(board_url(world)))
    assert "1 Antwoorden sorteren Hier ben je" in text and "Nog 7 kaarten zonder thema." in text
    assert "Volgende stap: 2. Thema's nakijken – Nog geen thema met kaarten." in text
    rust = make_theme(petra_post, world, "Rust")
    make_theme(petra_post, world, "Leeg")
    for key in [k for k in cards if k != "_interviews"]:
        add(petra_post, world, rust, cards[key])
    text = plain_text(petra.get(board_url(world)))
    assert "✓ Antwoorden sorteren Klaar. Hier ben je" in text and "Alle kaarten hebben een thema." in text
    text = plain_text(petra.get(f"/projects/{world.project_id}/themes/overview"))
    assert "2 Thema's nakijken Hier ben je" in text
    assert "1 thema heeft geen kaarten. Voeg het samen of gooi het weg." in text
    # The empty theme is not in the overview; the one with cards has a clear button to discuss it.
    assert "Leeg" not in text
    page = html_of(petra.get(f"/projects/{world.project_id}/themes/overview"))
    assert f'class="button" href="/projects/{world.project_id}/themes/{rust}/discuss"' in page
    assert 'aria-label="Bespreek dit thema: Rust"' in html_of(petra.get(board_url(world)))
    assert "0 van 1 thema's besproken." in text
    petra_post(f"/projects/{world.project_id}/themes/{rust}/findings",
               findings_data({q: "Ja." for q in ("recognise", "explain", "opinion", "action")}))
    text = plain_text(petra.get(f"/projects/{world.project_id}/recommendations"))
    assert "✓ Vier vragen Klaar" in text and "4 Aanbevelingen Hier ben je" in text
    assert "Nog geen aanbevelingen." in text


def test_empty_themes_are_not_in_the_report_the_summary_or_the_slides(app, world, cards, login_as):
    _petra, petra_post = login_as("petra")
    staf, _staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust met kaarten")
    make_theme(petra_post, world, "Lege stapel")
    add(petra_post, world, rust, cards[TEXTS[0]])
    for path in ("/report", "/report/summary", "/present", "/themes/overview"):
        text = plain_text(staf.get(f"/projects/{world.project_id}{path}"))
        assert "Lege stapel" not in text, path
    assert "Rust met kaarten" in plain_text(staf.get(f"/projects/{world.project_id}/report"))
    assert "Rust met kaarten" in plain_text(staf.get(f"/projects/{world.project_id}/report/summary"))


def test_the_facilitator_opens_a_meeting_with_an_agenda_that_every_tablet_follows(app, world, cards, login_as):
    petra, petra_post = login_as("petra")
    staf, staf_post = login_as("staf")
    rust = make_theme(petra_post, world, "Rust")
    eten = make_theme(petra_post, world, "Eten")
    add(petra_post, world, rust, cards[TEXTS[0]])
    add(petra_post, world, eten, cards[TEXTS[1]])
    present = f"/projects/{world.project_id}/present"
    page = plain_text(staf.get(present))
    assert "Bijeenkomst van vandaag" in page and "Begin de bijeenkomst" in page
    assert "Begin de bijeenkomst" not in plain_text(petra.get(present))
    # Only staff open or close a meeting; an agenda needs something on it.
    assert petra_post(f"/projects/{world.project_id}/meeting", {"themes": str(rust)}).status_code == 403
    response = staf_post(f"/projects/{world.project_id}/meeting", {})
    assert response.status_code == 422 and "Kies minstens één thema of één vraag." in plain_text(response)
    # A theme of another project or nonsense is not put on the agenda.
    response = staf_post(f"/projects/{world.project_id}/meeting",
                         {"themes": [str(eten), "999999"], "questions": ["q1", "nonsense"]})
    assert response.status_code == 303
    text = plain_text(petra.get(present))
    assert "Agenda van vandaag" in text and "Deel 1 van 4" in text
    assert "Vraag: Hoe vaak komt u hier?" in text and "Thema: Eten" in text
    assert "Thema: Rust" not in text and "Hoe voelt u zich hier?" not in text
    # Every panel page says the meeting has begun and leads to the shared screen.
    board = plain_text(petra.get(board_url(world)))
    assert "De bijeenkomst van vandaag is begonnen. Volg het scherm van de begeleider" in board
    staf_post(present, {"slide": f"t:{eten}"})
    text = plain_text(petra.get(present))
    assert "Deel 3 van 4" in text and "Thema: Eten – nu" in text and "Vraag: Hoe vaak komt u hier? – gehad" in text
    assert "Aanbevelingen – hierna" in text
    assert staf_post(present, {"slide": f"t:{rust}"}).status_code == 303
    assert "Deze dia staat niet op de agenda van vandaag." in plain_text(staf.get(present))
    assert petra_post(f"/projects/{world.project_id}/meeting/close").status_code == 403
    staf_post(f"/projects/{world.project_id}/meeting/close")
    text = plain_text(petra.get(present))
    assert "Alle delen" in text and "Thema: Rust" in text
    assert "De bijeenkomst van vandaag is begonnen." not in plain_text(petra.get(board_url(world)))
