"""REFI-QDA in the browser: the panel gives a theme a colour and a description (axe-clean, the
colour named in words), and staff download the project (.qdpx) and the codebook (.qdc) from the
exports page; both files open and hold that theme."""
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, screenshot
from tests.browser.test_report_browser import demo_project, log_in

NS = {"q": "urn:QDA-XML:project:1.0", "c": "urn:QDA-XML:codebook:1.0"}


def test_theme_colour_then_qdpx_and_qdc_downloads(app, new_page):
    project_id = demo_project(app)
    page = new_page(accept_downloads=True)
    log_in(page, "demo-panel")
    page.goto(f"/projects/{project_id}/themes")
    page.get_by_role("link", name="Kaarten en naam: Eten en verzorging").click()
    expect(page.get_by_role("heading", level=1, name="Thema: Eten en verzorging")).to_be_visible()
    expect(page.get_by_text("Kleur: Groen")).to_be_visible()
    page.get_by_label("Wat hoort in dit thema?").fill("Eten, drinken en zelf kunnen wassen.")
    page.get_by_role("radio", name="Roze").check()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Het thema 'Eten en verzorging' is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Kleur: Roze")).to_be_visible()
    expect(page.get_by_text("Eten, drinken en zelf kunnen wassen.").first).to_be_visible()
    assert_accessible(page, "refi-01-theme-820")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "refi-02-theme-390")

    page = new_page(accept_downloads=True)
    log_in(page, "demo-staf")
    page.goto(f"/projects/{project_id}/exports")
    expect(page.get_by_role("heading", level=2, name="Voor een programma om teksten te bestuderen")).to_be_visible()
    assert_accessible(page, "refi-03-exports-820")
    with page.expect_download() as project_download:
        page.get_by_role("link", name="Project (.qdpx)").click()
    assert project_download.value.suggested_filename.endswith(".qdpx")
    archive = zipfile.ZipFile(io.BytesIO(Path(project_download.value.path()).read_bytes()))
    root = ET.fromstring(archive.read("project.qde"))
    codes = {c.get("name"): c.get("color") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    assert codes["Eten en verzorging"] == "#CC79A7"
    assert len(root.findall("q:Sources/q:TextSource", NS)) == len(
        [n for n in archive.namelist() if re.fullmatch(r"sources/[0-9a-f-]{36}\.txt", n)]) > 0

    with page.expect_download() as codebook_download:
        page.get_by_role("link", name="Alleen de thema's als codeboek (.qdc)").click()
    assert codebook_download.value.suggested_filename.endswith(".qdc")
    codebook = ET.fromstring(Path(codebook_download.value.path()).read_bytes())
    assert [c.get("name") for c in codebook.findall("c:Codes/c:Code", NS)] == [
        "Rust en drukte", "Contact met medewerkers", "Eten en verzorging"]
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page, "refi-04-exports-390")
