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
from .helpers import card_key_of
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


# ---------------------------------------------------------------------------------------------
# The exports: what is in them, the schemas, and a second reader

EMOJI = "Fijn 😀 hier, en de 👩‍👩‍👧 mag mee."
COMBINING = "Cafe\u0301 en cre\u0300me bru\u0302le\u0301e graag."
CRLF = "Eerste regel\r\nTweede regel\r\n\r\nDerde 🎉 regel."
PLAIN = ["Meer rust in de avond.", "Het eten is koud.", "Langer open in het weekend."]
SMALL_GROUP = "Bij ons is het anders."
HELD, UNFINISHED = "Bel Sandra op 06-12345678.", "Nog niet klaar."
NS = {"q": "urn:QDA-XML:project:1.0"}
SCALE_3 = "Niet goed, niet slecht"  # the middle of the five-point scale, in words


@pytest.fixture
def coded(app, world, login_as):
    """Seven completed interviews whose texts the panel may read (six at De Haven, one at Het
    Anker who also answered q1 differently), one held back by staff, one not finished; two
    themes sorted by a panel member and by staff; one approved quote with a shorter wording."""
    from peerinterview.models import Answer, Question
    from peerinterview.models.panel import Quote

    from .builders import make_interview

    texts = [EMOJI, COMBINING, CRLF, *PLAIN]
    ids = {text: make_interview(app, world.project_id, "anna", answers={"q1": "1", "q2": "3", "q3": text},
                                completed=True, location_id=world.location_ids[0]) for text in texts}
    ids[SMALL_GROUP] = make_interview(app, world.project_id, "anna", answers={"q1": "2", "q2": "3", "q3": SMALL_GROUP},
                                      completed=True, location_id=world.location_ids[1])
    ids[HELD] = make_interview(app, world.project_id, "anna", answers={"q1": "1", "q2": "3", "q3": HELD},
                               completed=True, location_id=world.location_ids[0])
    ids[UNFINISHED] = make_interview(app, world.project_id, "anna", answers={"q1": "1", "q3": UNFINISHED},
                                     location_id=world.location_ids[0])
    keys, answer_ids = {}, {}
    with app.app_context():
        for answer in db.session.scalars(select(Answer).join(Question).where(Question.kind == "open")):
            keys[answer.text] = card_key_of(answer)
            answer_ids[answer.text] = answer.id
            if answer.text == HELD:
                answer.review = "held"
        db.session.commit()
        db.session.remove()
    _petra, petra = login_as("petra")
    _staf, staf = login_as("staf")
    rust, eten = make_theme(petra, world, "Rust"), make_theme(staf, world, "Eten")
    petra(theme_url(world, rust, "/name"), {"name": "Rust", "description": "Over rust & stilte <thuis>.",
                                            "colour": "#56B4E9", "version": "1"})
    for theme_id, post, text in ((rust, petra, EMOJI), (rust, petra, CRLF), (eten, staf, COMBINING),
                                 (eten, staf, EMOJI), (rust, petra, HELD)):
        post(theme_url(world, theme_id, "/cards"), {"card": keys[text]})
    with app.app_context():
        answer_id = answer_ids[EMOJI]
        db.session.add(Quote(project_id=world.project_id, answer_id=answer_id, part="text", status="approved",
                             text="Fijn 😀 hier."))
        db.session.commit()
        db.session.remove()
    return {"keys": keys, "answer_ids": answer_ids, "themes": {"Rust": rust, "Eten": eten}, "interviews": ids}


def download(client, world, name):
    return client.get(f"/projects/{world.project_id}/exports/refi-qda/{name}")


def assert_valid(xml: bytes, schema: str):
    from lxml import etree

    from peerinterview.refi_qda import SCHEMAS

    validator = etree.XMLSchema(etree.parse(str(SCHEMAS / schema)))
    document = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    assert validator.validate(document), validator.error_log


def read_qdpx(data: bytes):
    """The second reader: only zipfile and xml.etree, nothing of the app."""
    import io
    import xml.etree.ElementTree as ET
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(data))
    root = ET.fromstring(archive.read("project.qde"))
    files = {name: archive.read(name).decode("utf-8") for name in archive.namelist() if name != "project.qde"}
    return root, files


def test_the_codebook_download_holds_the_themes_and_is_valid(app, world, coded, login_as):
    import xml.etree.ElementTree as ET

    staf, _post = login_as("staf")
    response = download(staf, world, "codebook.qdc")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="onderzoek-dagopvang.qdc"'
    assert_valid(response.data, "Codebook.xsd")
    root = ET.fromstring(response.data)
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    codes = {c.get("name"): c for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")}
    assert set(codes) == {"Rust", "Eten"}
    assert codes["Rust"].get("color") == "#56B4E9" and codes["Eten"].get("color") is None
    assert codes["Rust"].find("{urn:QDA-XML:codebook:1.0}Description").text == "Over rust & stilte <thuis>."
    # The same theme keeps its GUID in the next download (another program can match it up).
    again = ET.fromstring(download(staf, world, "codebook.qdc").data)
    assert {c.get("guid") for c in again.iter("{urn:QDA-XML:codebook:1.0}Code")} == {
        c.get("guid") for c in codes.values()}
    assert events(app, "export.refi_codebook") == 2


def test_without_themes_the_codebook_goes_back_to_the_page_with_a_message(app, world, login_as):
    staf, _post = login_as("staf")
    response = download(staf, world, "codebook.qdc")
    assert response.status_code == 303
    page = plain_text(staf.get(response.headers["Location"]))
    assert "Er zijn nog geen thema's. Het codeboek kan pas als er een thema is." in page
    assert events(app, "export.refi_codebook") == 0
    # The project can still be downloaded: it is valid without any theme or card.
    response = download(staf, world, "project.qdpx")
    assert response.status_code == 200
    root, files = read_qdpx(response.data)
    assert files == {} and root.find("q:CodeBook", NS) is None


def test_the_project_is_valid_and_every_selection_is_the_card_text(app, world, coded, login_as):
    staf, _post = login_as("staf")
    response = download(staf, world, "project.qdpx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    root, files = read_qdpx(response.data)
    import io
    import zipfile

    assert_valid(zipfile.ZipFile(io.BytesIO(response.data)).read("project.qde"), "Project.xsd")
    from peerinterview.report.refi_export import guid_maker

    with app.app_context():
        from peerinterview.models import Answer, Project

        guid = guid_maker(db.session.get(Project, world.project_id))
        # The export is staff's: its cards are named by the stored keys ("<answer id>-<part>").
        stored = {guid(f"card:{answer_id}-text"): db.session.get(Answer, answer_id).text
                  for answer_id in coded["answer_ids"].values()}
        db.session.remove()
    sources = root.findall("q:Sources/q:TextSource", NS)
    by_text = {}
    for source in sources:
        path = source.get("plainTextPath")
        assert path.startswith("internal://")
        text = files["sources/" + path.removeprefix("internal://")]
        # Line endings are LF; apart from that, the file holds the stored text exactly.
        assert "\r" not in text
        assert text == stored[source.get("guid")].replace("\r\n", "\n")
        by_text[stored[source.get("guid")]] = source
        for selection in source.findall("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            # Positions count code points: the selection is the whole card, emoji and all.
            assert text[start:end] == stored[source.get("guid")].replace("\r\n", "\n")
    # Only what the panel may read: not the held text, not the unfinished interview.
    assert set(by_text) == {EMOJI, COMBINING, CRLF, *PLAIN, SMALL_GROUP}
    # 33 code points; UTF-16 (as JavaScript or .NET count) would say 37, UTF-8 bytes 49.
    assert len(EMOJI.encode("utf-16-le")) // 2 == 37 and len(EMOJI.encode()) == 49
    assert by_text[EMOJI].find("q:PlainTextSelection", NS).get("endPosition") == "33"
    assert by_text[COMBINING].find("q:PlainTextSelection", NS).get("endPosition") == str(len(COMBINING))
    assert by_text[CRLF].find("q:PlainTextSelection", NS).get("endPosition") == str(len(CRLF) - 3)
    assert by_text[PLAIN[0]].find("q:PlainTextSelection", NS) is None  # in no theme, no quote
    codes = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}

    def themes(text):
        return {codes[ref.get("targetGUID")] for ref in by_text[text].iter("{urn:QDA-XML:project:1.0}CodeRef")}
    assert (themes(EMOJI), themes(CRLF), themes(COMBINING)) == ({"Rust", "Eten"}, {"Rust"}, {"Eten"})
    assert events(app, "export.refi_project") == 1


def test_cases_users_notes_and_variables_keep_people_unrecognisable(app, world, coded, login_as):
    staf, _post = login_as("staf")
    root, _files = read_qdpx(download(staf, world, "project.qdpx").data)
    xml = xml_text(root)
    # No respondent code, no account name, no held text anywhere in the file.
    with app.app_context():
        from peerinterview.models import Interview

        codes = [i.respondent_code for i in db.session.scalars(select(Interview))]
        db.session.remove()
    for secret in [*codes, "petra", "staf", "anna", HELD, "Sandra", UNFINISHED]:
        assert secret not in xml, secret
    users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}
    assert sorted(users.values()) == ["Begeleider 1", "Panellid 1"]
    creators = {users[c.get("creatingUser")] for c in root.iter("{urn:QDA-XML:project:1.0}Coding")}
    assert creators == {"Begeleider 1", "Panellid 1"}
    cases = root.findall("q:Cases/q:Case", NS)
    assert sorted(c.get("name") for c in cases) == [f"Deelnemer {n}" for n in range(1, 8)]
    assert all(len(c.findall("q:SourceRef", NS)) == 1 for c in cases)
    # Location and q1 would single out the one person at Het Anker: left out, and said so.
    # q2 (everyone said 3) is kept.
    variables = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    assert list(variables.values()) == ["Hoe voelt u zich hier?"]
    for case in cases:
        values = [(variables[v.find("q:VariableRef", NS).get("targetGUID")], v.find("q:TextValue", NS).text)
                  for v in case.findall("q:VariableValue", NS)]
        assert values == [("Hoe voelt u zich hier?", SCALE_3)]
    description = root.find("q:Description", NS).text
    assert "Weggelaten, omdat een groep anders te klein is: Locatie; Hoe vaak komt u hier?." in description
    # The approved quote is a note in its approved wording, linked from the card's selection.
    notes = root.findall("q:Notes/q:Note", NS)
    assert [n.find("q:PlainTextContent", NS).text for n in notes] == ["Fijn 😀 hier."]
    refs = [r.get("targetGUID") for r in root.iter("{urn:QDA-XML:project:1.0}NoteRef")]
    assert refs == [notes[0].get("guid")]


def test_variables_stay_when_every_group_is_big_enough(app, world, login_as):
    """Ten people, five per location, each location with its own answer to q1: location and q1
    each split them into groups of five, so both are kept; q2 would split one group: left out."""
    from .builders import make_interview

    for n in range(10):
        make_interview(app, world.project_id, "anna", completed=True, location_id=world.location_ids[n % 2],
                       answers={"q1": str(1 + n % 2), "q2": "3" if n else "4", "q3": f"Tekst {n}."})
    staf, _post = login_as("staf")
    root, _files = read_qdpx(download(staf, world, "project.qdpx").data)
    names = [v.get("name") for v in root.findall("q:Variables/q:Variable", NS)]
    assert names == ["Locatie", "Hoe vaak komt u hier?"]
    values = sorted(tuple(v.find("q:TextValue", NS).text for v in case.findall("q:VariableValue", NS))
                    for case in root.findall("q:Cases/q:Case", NS))
    assert values == [("De Haven", "Elke dag")] * 5 + [("Het Anker", "Soms")] * 5


def test_refi_downloads_are_for_the_project_s_staff_only(app, world, coded, login_as, client):
    for username in ("petra", "anna", "dirk", "andere-staf"):
        attacker, _post = login_as(username)
        for name in ("project.qdpx", "codebook.qdc"):
            assert download(attacker, world, name).status_code in (403, 404), (username, name)
    for name in ("project.qdpx", "codebook.qdc"):
        response = download(client, world, name)
        assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    staf, _post = login_as("staf")
    assert download(staf, world, "project.zip").status_code == 404
    assert events(app, "export.refi_project") == events(app, "export.refi_codebook") == 0


def xml_text(root) -> str:
    import xml.etree.ElementTree as ET

    return ET.tostring(root, encoding="unicode")


# ---------------------------------------------------------------------------------------------
# A codebook from another program as the first themes

QUALCODER_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
  <Codes>
    <Code guid="6a0a3a36-8f7b-4c8e-9d0b-5c2f1e0c0a01" name="Wonen" isCodable="false" color="#FF0000">
      <Description>Alles over het huis.</Description>
      <Code guid="6a0a3a36-8f7b-4c8e-9d0b-5c2f1e0c0a02" name="  Rust   en stilte " isCodable="true" color="#5ab0e0">
        <Description>Geluid, drukte,
          slapen.</Description>
      </Code>
      <Code guid="6a0a3a36-8f7b-4c8e-9d0b-5c2f1e0c0a03" name="Eten" isCodable="true" color="#0C0"/>
    </Code>
    <Code guid="6a0a3a36-8f7b-4c8e-9d0b-5c2f1e0c0a04" name="eten" isCodable="true"/>
    <Code guid="6a0a3a36-8f7b-4c8e-9d0b-5c2f1e0c0a05" name="Vervoer" isCodable="true" color="zwart"/>
  </Codes>
</CodeBook>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="6a0a3a36-8f7b-4c8e-9d0b-5c2f1e0c0a01" name="&secret;" isCodable="true"/></Codes></CodeBook>"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="6a0a3a36-8f7b-4c8e-9d0b-5c2f1e0c0a01" name="&lol4;" isCodable="true"/></Codes></CodeBook>"""


def upload(post, project_id, data: bytes, filename="codeboek.qdc"):
    import io

    return post(f"/projects/{project_id}/themes/import", {"codebook": (io.BytesIO(data), filename)},
                content_type="multipart/form-data")


def live_theme_rows(app, project_id):
    with app.app_context():
        rows = [(t.name, t.description, t.colour) for t in db.session.scalars(
            select(Theme).where(Theme.project_id == project_id, Theme.deleted_at.is_(None)).order_by(Theme.id))]
        db.session.remove()
    return rows


def test_staff_start_an_empty_board_with_the_themes_of_a_codebook(app, world, login_as):
    staf, post = login_as("staf")
    board = plain_text(staf.get(f"/projects/{world.project_id}/themes"))
    assert "Of begin met thema's uit een codeboek" in board
    response = upload(post, world.project_id, QUALCODER_QDC.encode())
    assert response.status_code == 303
    assert "3 thema's uit het codeboek gehaald." in plain_text(staf.get(response.headers["Location"]))
    # A category that is not codable gives no theme; names once (not case-sensitive), spaces
    # tidied; colours move to the nearest colour of the palette, an unreadable one to none.
    assert live_theme_rows(app, world.project_id) == [
        ("Rust en stilte", "Geluid, drukte, slapen.", "#56B4E9"), ("Eten", "", "#009E73"), ("Vervoer", "", None)]
    assert events(app, "panel.codebook_import") == 1
    # Now there are themes: the form is gone and a second import is refused.
    assert "Of begin met thema's uit een codeboek" not in plain_text(staf.get(f"/projects/{world.project_id}/themes"))
    response = upload(post, world.project_id, QUALCODER_QDC.encode())
    assert response.status_code == 303
    assert "Er zijn al thema's." in plain_text(staf.get(response.headers["Location"]))
    assert len(live_theme_rows(app, world.project_id)) == 3


def test_our_own_codebook_comes_back_as_the_same_themes(app, world, login_as):
    _petra, petra = login_as("petra")
    rust = make_theme(petra, world, "Rust")
    petra(theme_url(world, rust, "/name"), {"name": "Rust", "description": "Stilte & slaap 😴", "colour": "#CC79A7",
                                            "version": "1"})
    make_theme(petra, world, "Eten")
    staf, _post = login_as("staf")
    qdc = download(staf, world, "codebook.qdc").data
    _other, other_post = login_as("andere-staf")
    assert upload(other_post, world.other_project_id, qdc).status_code == 303
    assert live_theme_rows(app, world.other_project_id) == live_theme_rows(app, world.project_id) == [
        ("Rust", "Stilte & slaap 😴", "#CC79A7"), ("Eten", "", None)]


@pytest.mark.parametrize("data, message", [
    (XXE.encode(), "In dit bestand staan onderdelen die we niet openen."),
    (LAUGHS.encode(), "In dit bestand staan onderdelen die we niet openen."),
    (b"Naam;Uitleg\nRust;Stil\n", "Dit bestand kunnen we niet lezen."),
    (b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', "Dit is geen codeboek."),
    (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "In dit codeboek staan geen thema's."),
    (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>' + b"".join(
        b'<Code guid="6a0a3a36-8f7b-4c8e-9d0b-5c2f1e0c0a01" name="T%d" isCodable="true"/>' % n for n in range(101))
     + b"</Codes></CodeBook>", "In dit codeboek staan meer dan 100 thema's."),
    (b"<CodeBook>" + b" " * (512 * 1024) + b"</CodeBook>", "Het bestand is te groot. Het mag hoogstens 512 kB zijn."),
    (b"", "Dit bestand kunnen we niet lezen."),
    (None, "Kies een bestand."),
])
def test_a_bad_codebook_is_refused_with_a_b1_error_summary(app, world, login_as, data, message):
    _staf, post = login_as("staf")
    if data is None:
        response = post(f"/projects/{world.project_id}/themes/import", {})
    else:
        response = upload(post, world.project_id, data)
    assert response.status_code == 422
    text = plain_text(response)
    assert text.startswith("Fout:") or "Fout: " in html_of(response)
    assert "Er is iets niet goed" in text and message in text
    assert "root:" not in text  # nothing of a file on the server came in
    assert live_theme_rows(app, world.project_id) == []
    assert events(app, "panel.codebook_import") == 0


def test_only_the_project_s_staff_import_a_codebook(app, world, login_as):
    for username in ("petra", "anna", "dirk", "andere-staf"):
        _client, post = login_as(username)
        assert upload(post, world.project_id, QUALCODER_QDC.encode()).status_code in (403, 404), username
    # The panel sees no import form on its board.
    petra, _post = login_as("petra")
    assert "codeboek" not in plain_text(petra.get(f"/projects/{world.project_id}/themes"))
    assert live_theme_rows(app, world.project_id) == []


def test_the_refi_qda_package_is_pure():
    """refi_qda/ only writes and reads files: no Flask, no database, nothing else of the app, so
    what leaves the app is decided in one place (report/refi_export.py)."""
    import ast
    from pathlib import Path

    import peerinterview.refi_qda as package

    for path in Path(package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            else:
                continue
            for name in names:
                assert not name.startswith(("flask", "sqlalchemy", "peerinterview", "..")), (path.name, name)


def new_project_fields(name):
    return {"name": name, "research_question": "Wat vinden bewoners?", "min_group_size": "5",
            "consent_text": "Meedoen mag.", "review_open_answers": "y"}


def test_a_new_project_can_start_with_the_themes_of_a_codebook(app, world, login_as):
    import io

    from peerinterview.models import Project

    staf, post = login_as("staf")
    assert "Thema's uit een codeboek (mag leeg blijven)" in plain_text(staf.get("/projects/new"))
    response = post("/projects/new", {**new_project_fields("Met thema's"),
                                      "codebook": (io.BytesIO(QUALCODER_QDC.encode()), "codeboek.qdc")},
                    content_type="multipart/form-data")
    assert response.status_code == 303
    with app.app_context():
        project_id = db.session.scalars(select(Project.id).where(Project.name == "Met thema's")).one()
        db.session.remove()
    assert [name for name, _d, _c in live_theme_rows(app, project_id)] == ["Rust en stilte", "Eten", "Vervoer"]
    assert events(app, "panel.codebook_import") == 1
    # A file that cannot be used: the form comes back with the error, and no project is made.
    response = post("/projects/new", {**new_project_fields("Kapot"),
                                      "codebook": (io.BytesIO(XXE.encode()), "codeboek.qdc")},
                    content_type="multipart/form-data")
    assert response.status_code == 422
    assert "In dit bestand staan onderdelen die we niet openen." in plain_text(response)
    # Without a codebook a project starts empty, as before.
    assert post("/projects/new", new_project_fields("Zonder")).status_code == 303
    with app.app_context():
        names = set(db.session.scalars(select(Project.name)))
        db.session.remove()
    assert "Kapot" not in names and "Zonder" in names


def test_a_project_with_every_part_is_valid_and_keeps_positions_for_odd_characters():
    """The writer alone: an Integer variable, a note, a coder, a text with a lone CR, a tab and
    characters XML cannot hold (one U+FFFD each, so no position moves)."""
    import io
    import zipfile
    from datetime import datetime

    from peerinterview.refi_qda import project as qde
    from peerinterview.refi_qda.codebook import Code

    guid = "12345678-1234-5678-1234-5678123456{:02d}".format
    text = "Regel één\rregel\ttwee\x00\x0b\x1f 👍🏽 e\u0301"
    age = qde.Variable(guid(1), "Leeftijd", "Integer")
    where = qde.Variable(guid(2), "Locatie", "Text", "location")
    source = qde.Source(guid(3), guid(4), "Deelnemer 1, tekst 1", text, "Antwoord op: Wat?",
                        [qde.Coding(guid(5), guid(6), guid(7), datetime(2026, 12, 7, 1, 2, 3))], [guid(8)],
                        datetime(2026, 12, 7))
    document = qde.Project(
        name="Proef & <test>", created_at=datetime(2026, 12, 7), description="Beschrijving",
        users=[qde.User(guid(7), "Panellid 1")], codes=[Code(guid(6), "Rust", "Uitleg", "#0072B2")],
        variables=[age, where], cases=[qde.Case(guid(9), "Deelnemer 1", [(age, 42), (where, "De Haven")], [guid(3)])],
        sources=[source], notes=[qde.Note(guid(8), "Citaat", "Kort\r\ncitaat", "Goedgekeurd")])
    archive = zipfile.ZipFile(io.BytesIO(qde.qdpx(document)))
    assert_valid(archive.read("project.qde"), "Project.xsd")
    written = archive.read(f"sources/{guid(3)}.txt").decode("utf-8")
    assert written == "Regel één\nregel\ttwee\ufffd\ufffd\ufffd 👍🏽 e\u0301"
    assert len(written) == len(text)
    root, _files = read_qdpx(qde.qdpx(document))
    selection = root.find("q:Sources/q:TextSource/q:PlainTextSelection", NS)
    assert (selection.get("startPosition"), selection.get("endPosition")) == ("0", str(len(text)))
    assert root.find("q:Cases/q:Case/q:VariableValue/q:IntegerValue", NS).text == "42"
    assert root.find("q:Notes/q:Note/q:PlainTextContent", NS).text == "Kort\ncitaat"
