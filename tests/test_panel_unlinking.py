"""A panel member tries to tell which open texts one person wrote: by the cards' keys on the pages
(answer ids are neighbours within one interview) and by the order of the texts (the i-th text of
one question and the i-th of another). Combining one person's texts is how people are recognised.

Every person here answers two questions with a text (an explanation under question 1, an open
answer to question 3), one interview after the other, so an order by answer id puts them at the
same place in both questions: the data would show the link 100 %. The random references are
seeded, so the test always sees the same order."""
import random
import re
import types

import pytest
from sqlalchemy import select

from peerinterview.accounts.services import find_user
from peerinterview.design.builder.services import add_question, freeze_version, questionnaire_of
from peerinterview.extensions import db
from peerinterview.models import Answer, Interview, Project, Question
from peerinterview.models.panel import Coding, Quote
from peerinterview.panel.services import decide_quote, project_quotes, quote_source_text
from peerinterview.projects.services import add_location

from .builders import count_rows, html_of, location_of, make_interview, plain_text
from .helpers import card_key_of
from .test_panel import add, make_theme

PEOPLE = 16
# By chance a random order puts about one person at the same place in both questions.
AT_THE_SAME_PLACE_AT_MOST = 4
PERSON = re.compile(r"(Uitleg|Tekst) van persoon (\d\d)")


@pytest.fixture
def seeded_refs(monkeypatch):
    """The answers' random references from a seeded generator: the same order on every run."""
    generator = random.Random(20261207)
    monkeypatch.setattr("peerinterview.models.interviews.secrets",
                        types.SimpleNamespace(token_hex=lambda n: f"{generator.getrandbits(8 * n):0{2 * n}x}"))


@pytest.fixture
def two_texts_each(app, world, seeded_refs) -> dict:
    """PEOPLE completed interviews, each with an explanation under question 1 and an open answer
    to question 3. Returns {"answers": {(person, part): answer id}, "keys": {card key},
    "in_given_order": [card key, in the order the answers were given]}."""
    ids = [make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": f"Tekst van persoon {i:02d}."},
                          completed=True, location_id=world.location_ids[i % 2]) for i in range(PEOPLE)]
    answers, keys, by_answer_id = {}, set(), {}
    with app.app_context():
        for person, interview_id in enumerate(ids):
            for answer, kind in db.session.execute(select(Answer, Question.kind).join(Question)
                                                   .where(Answer.interview_id == interview_id)):
                if kind == "open":
                    answers[(person, "text")] = answer.id
                    by_answer_id[answer.id] = card_key_of(answer, "text")
                elif answer.value == "1":
                    answer.note = f"Uitleg van persoon {person:02d}."
                    answers[(person, "note")] = answer.id
                    by_answer_id[answer.id] = card_key_of(answer, "note")
        db.session.commit()
        # The data is built so that an order by answer id lines the two questions up completely.
        by_id = sorted(answers, key=answers.get)
        assert [p for p, part in by_id if part == "note"] == [p for p, part in by_id if part == "text"]
        db.session.remove()
    keys = set(by_answer_id.values())
    return {"answers": answers, "keys": keys, "in_given_order": [by_answer_id[i] for i in sorted(by_answer_id)]}


def people_in_order(html: str) -> dict[str, list[int]]:
    """Whose texts a page shows, in the page's order: {"Uitleg": [person …], "Tekst": [person …]}.
    On pages with cards only the cards count (the undo button may quote a card's first words)."""
    cards = re.findall(r'<p class="card-text"[^>]*>(.*?)</p>', html, re.DOTALL)
    found = PERSON.findall(" ".join(cards) if cards else html)
    order = {"Uitleg": [], "Tekst": []}
    for kind, person in dict.fromkeys(found):
        order[kind].append(int(person))
    return order


def at_the_same_place(first: list[int], second: list[int]) -> int:
    return sum(1 for a, b in zip(first, second) if a == b)


def assert_not_lined_up(first: list[int], second: list[int], where: str) -> None:
    assert sorted(first) == sorted(second) == list(range(PEOPLE)), where
    assert at_the_same_place(first, second) <= AT_THE_SAME_PLACE_AT_MOST, (where, first, second)


class PanelReader:
    """A panel member's client that keeps every page it read, with its headers (an ETag too)."""

    def __init__(self, client):
        self.client, self.seen = client, []

    def get(self, url, **kwargs) -> str:
        response = self.client.get(url, **kwargs)
        assert response.status_code in (200, 304), url
        html = html_of(response)
        self.seen.append(html + " ".join(f"{k}: {v}" for k, v in response.headers.items()))
        return html

    def every_page(self, url) -> str:
        """Every page of a paged list ("Pagina 1 van 3"), as one text."""
        first = self.get(url)
        pages = [first]
        match = re.search(r"Pagina 1 van (\d+)", plain_text_of(first))
        for page in range(2, int(match.group(1)) + 1 if match else 1):
            pages.append(self.get(f"{url}{'&' if '?' in url else '?'}page={page}"))
        return " ".join(pages)

    def assert_not_lined_up(self, url, paged=False) -> dict[str, list[int]]:
        order = people_in_order(self.every_page(url) if paged else self.get(url))
        assert_not_lined_up(order["Uitleg"], order["Tekst"], url)
        return order


def plain_text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def approve_every_quote(app, world):
    with app.app_context():
        staff = find_user("staf")
        for quote in project_quotes(world.project_id, "proposed"):
            decide_quote(quote, approve=True, text=quote_source_text(quote), version=quote.version, by=staff)
        db.session.commit()
        db.session.remove()


def sort_and_propose_everything(app, world, post, keys: list[str]) -> int:
    """Every card into one theme "Alles", and proposed as a quote, in the order of `keys`: one
    person after the other, as the board showed them when it was ordered by answer id (the
    quotes' own ids then follow the people)."""
    theme = make_theme(post, world, "Alles")
    for key in keys:
        assert add(post, world, theme, key).status_code == 303
        assert post(f"/projects/{world.project_id}/quotes", {"card": key}).status_code == 303
    assert count_rows(app, Coding, Coding.theme_id == theme) == 2 * PEOPLE
    return theme


def start_round_over_all_cards(app, login_as, world) -> str:
    _staf, staff_post = login_as("staf")
    members = [find_user_id(app, "petra"), find_user_id(app, "staf")]
    response = staff_post(f"/projects/{world.project_id}/rounds",
                          {"cards": "all", "members": members, "size": "40", "first": "1"})
    assert response.status_code == 303
    return location_of(response)


def assert_no_answer_ids(seen: list[str], two_texts_each: dict) -> None:
    """No answer id on any page read, in a key or elsewhere next to a part's name; the keys are
    the references, and they do not run on."""
    everything = " ".join(seen)
    for (person, part), answer_id in two_texts_each["answers"].items():
        assert not re.search(rf"(?<![0-9a-z]){answer_id}-(text|note)(?![a-z])", everything), (person, part)
    shown = set(re.findall(r"\b([0-9a-f]{16})-(?:text|note)\b", everything))
    assert shown == {key.partition("-")[0] for key in two_texts_each["keys"]}
    assert not shown & {str(answer_id) for answer_id in two_texts_each["answers"].values()}
    numbers = sorted(int(ref, 16) for ref in shown)
    assert all(b - a > 1 for a, b in zip(numbers, numbers[1:])), "the references run on"


def test_the_panel_can_neither_read_answer_ids_nor_line_up_one_persons_texts(
        app, world, two_texts_each, login_as):
    """What a panel member reads on every page that shows open texts: the board (all, unsorted,
    a theme, its htmx fragment and its poll), a theme, the quotes, a round, the results, the
    report, a theme's discussion and the slides."""
    petra, post = login_as("petra")
    reader = PanelReader(petra)
    project = f"/projects/{world.project_id}"
    board = reader.assert_not_lined_up(f"{project}/themes", paged=True)
    keys = set(re.findall(r'name="card" value="([^"]+)"', " ".join(reader.seen)))
    assert keys == two_texts_each["keys"]

    theme = sort_and_propose_everything(app, world, post, two_texts_each["in_given_order"])
    for url in (f"{project}/themes/{theme}", f"{project}/quotes"):
        reader.assert_not_lined_up(url)
    reader.assert_not_lined_up(f"{project}/themes?theme={theme}&show=theme", paged=True)
    reader.get(f"{project}/themes?show=unsorted")
    reader.get(f"{project}/themes?theme={theme}", headers={"HX-Request": "true"})
    reader.get(f"{project}/themes/changes?version=0")

    # Approved quotes leave the panel: the quotes page, the report, the discussion, the slides.
    approve_every_quote(app, world)
    for url in (f"{project}/quotes", f"{project}/report", f"{project}/themes/{theme}/discuss"):
        reader.assert_not_lined_up(url)
    _staf, staff_post = login_as("staf")
    assert staff_post(f"{project}/present", {"slide": f"t:{theme}"}).status_code == 303
    reader.get(f"{project}/present")
    reader.get(f"{project}/present/slide")

    reader.assert_not_lined_up(start_round_over_all_cards(app, login_as, world), paged=True)

    # The results show only question 3's texts: their order against the board's explanations.
    for url in (f"{project}/results", f"{project}/results/q3/open-answers"):
        assert_not_lined_up(board["Uitleg"], people_in_order(reader.get(url))["Tekst"], url)

    assert_no_answer_ids(reader.seen, two_texts_each)


def find_user_id(app, name) -> int:
    with app.app_context():
        user_id = find_user(name).id
        db.session.remove()
    return user_id


def _card_of_another_project(app, world) -> str:
    """A completed interview of the other project (its own questionnaire): its card's key."""
    with app.app_context():
        other = db.session.get(Project, world.other_project_id)
        staff = find_user("andere-staf")
        add_location(other, "Elders", by=staff)
        version = questionnaire_of(other).draft
        add_question(version, kind="open", text="Wat wil je kwijt?", by=staff)
        freeze_version(version, by=staff)
        db.session.commit()
        db.session.remove()
    interview_id = make_interview(app, world.other_project_id, "andere-staf", answers={"q1": "Geheim van elders."},
                                  completed=True)
    with app.app_context():
        answer = db.session.scalars(select(Answer).join(Interview).where(Interview.id == interview_id)).one()
        key = card_key_of(answer)
        db.session.remove()
    return key


def test_a_reference_of_another_project_or_a_forged_one_is_no_card(app, world, two_texts_each, login_as):
    """The attacker posts a real key of another project, keys in the old form (answer ids),
    and references that look right but are made up: none is a card of this project."""
    elsewhere = _card_of_another_project(app, world)
    petra, post = login_as("petra")
    project = f"/projects/{world.project_id}"
    theme = make_theme(post, world, "Proef")
    with app.app_context():
        answer_id = db.session.scalar(select(Answer.id).join(Interview).where(
            Interview.project_id == world.project_id, Answer.text.is_not(None)))
        db.session.remove()
    real = sorted(two_texts_each["keys"])[0]
    forged = [elsewhere, f"{answer_id}-text", "0" * 16 + "-text", "f" * 16 + "-note", real.upper(),
              real.partition("-")[0] + "-secret", real.partition("-")[0][:-1] + "-text", real + "x"]
    for key in forged:
        for url in (f"{project}/themes/{theme}/cards", f"{project}/quotes"):
            response = post(url, {"card": key})
            assert response.status_code == 303, (key, url)
            assert "Deze kaart bestaat niet meer." in plain_text(petra.get(location_of(response))), (key, url)
    assert count_rows(app, Coding) == 0
    assert count_rows(app, Quote) == 0
    # The other project's text never reached this project's pages.
    assert "Geheim van elders." not in html_of(petra.get(f"{project}/themes"))
    # The real key still works.
    assert add(post, world, theme, real).status_code == 303
    assert count_rows(app, Coding) == 1


def test_every_new_answer_gets_its_own_random_reference(app, world):
    """Also through the cached upsert the tablets use: never one reference for two answers."""
    ids = [make_interview(app, world.project_id, "anna", answers={"q1": "1", "q2": "3", "q3": f"Tekst {i}"},
                          completed=True) for i in range(3)]
    with app.app_context():
        refs = db.session.scalars(select(Answer.ref).where(Answer.interview_id.in_(ids))).all()
        db.session.remove()
    assert len(refs) == 9 and len(set(refs)) == 9
    assert all(re.fullmatch(r"[0-9a-f]{16}", ref) for ref in refs)


def test_the_quotes_kept_after_the_retention_date_do_not_line_up_either(app, world, two_texts_each, login_as):
    """After the retention date only the approved wording of the quotes is kept, and the panel
    still reads it: in the kept order, one person's quotes would still sit side by side."""
    from peerinterview.models.base import utcnow
    from peerinterview.security.retention import freeze_quotes

    _petra, post = login_as("petra")
    sort_and_propose_everything(app, world, post, two_texts_each["in_given_order"])
    approve_every_quote(app, world)
    with app.app_context():
        project = db.session.get(Project, world.project_id)
        assert freeze_quotes(project) == 2 * PEOPLE
        project.erased_at = utcnow()  # the page shows what was kept once the answers are gone
        db.session.commit()
        db.session.remove()
    reader = PanelReader(login_as("petra")[0])
    reader.assert_not_lined_up(f"/projects/{world.project_id}/bewaarde-uitkomsten")
