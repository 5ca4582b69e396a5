"""The report PDF reads only the app's own static files: whatever a report text, a quote or a
theme name says, WeasyPrint never opens a file elsewhere on the server and never asks another
machine (report/pdf.py, static_file_for)."""
import http.server
import io
import threading
from pathlib import Path

import pytest

from peerinterview.report import pdf
from peerinterview.report.pdf import STATIC_ROOT, RefusedURL, static_file_for

from .builders import html_of


@pytest.fixture
def listener():
    """A web server on this machine that only writes down what it was asked for."""
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            body = b"body { color: red }" if self.path.endswith(".css") else b"x"
            self.send_response(200)
            self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.asked = asked
    server.base = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asks the fetcher for, with "served" or "refused"."""
    seen = []

    def spy(url):
        try:
            path = static_file_for(url)
        except RefusedURL:
            seen.append((url, "refused"))
            raise
        seen.append((url, "served"))
        return path

    monkeypatch.setattr(pdf, "static_file_for", spy)
    return seen


def attachments(data: bytes) -> dict:
    from pypdf import PdfReader

    return dict(PdfReader(io.BytesIO(data)).attachments)


STATIC = STATIC_ROOT.resolve()


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "FILE:///etc/hostname",
    f"file://{STATIC}/../config.py",
    f"file://{STATIC}/%2e%2e/config.py",
    f"file://{STATIC}/css/%2e%2e/%2e%2e/__init__.py",
    f"file://{STATIC}/css/",
    f"file://{STATIC}/css/does-not-exist.css",
    f"file://otherhost{STATIC}/css/pdf.css",
    "http://127.0.0.1:9/secret",
    "https://169.254.169.254/latest/meta-data/",
    "ftp://127.0.0.1/file",
    "data:image/svg+xml;base64,PHN2Zy8+",
    "/etc/passwd",
])
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(RefusedURL):
        static_file_for(url)


def test_the_fetcher_refuses_a_symlink_out_of_static(tmp_path, monkeypatch):
    static = tmp_path / "static"
    static.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("geheim")
    (static / "link.txt").symlink_to(secret)
    monkeypatch.setattr(pdf, "STATIC_ROOT", static)
    with pytest.raises(RefusedURL):
        pdf.static_file_for((static / "link.txt").as_uri())


@pytest.mark.parametrize("name", ["css/pdf.css", "favicon.svg"])
def test_the_fetcher_serves_the_apps_static_files(name):
    assert static_file_for((STATIC / name).as_uri()) == STATIC / name


def test_a_pdf_with_outside_urls_asks_nobody_and_still_renders(app_ctx, listener, fetched):
    """Markup as it would be if a user's text ever reached the PDF's HTML unescaped."""
    base = listener.base
    html = f"""<!doctype html><html lang="nl"><head><title>Rapport</title>
      <link rel="stylesheet" href="{base}/theme.css">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <style>@import url({base}/import.css); body {{ background: url({base}/background.png) }}</style>
      </head><body><h1>Rapport</h1>
      <img src="file:///etc/passwd" alt="a"><img src="{base}/image.png" alt="b">
      <img src="../../config.py" alt="c"><img src="../favicon.svg" alt="d">
      <p>Gewone tekst.</p></body></html>"""
    data = pdf.html_to_pdf(html)
    assert data.startswith(b"%PDF-")
    assert listener.asked == []
    assert attachments(data) == {}
    assert b"root:" not in data
    refused = {url for url, outcome in fetched if outcome == "refused"}
    assert "file:///etc/passwd" in refused
    assert {f"{base}/theme.css", f"{base}/image.png", f"{base}/background.png"} <= refused
    assert any(url.endswith("/config.py") for url in refused)
    # The app's own files still come through.
    assert ((STATIC / "favicon.svg").as_uri(), "served") in fetched


def test_report_texts_with_urls_are_text_in_the_pdf(app, world, login_as, listener, fetched):
    staff, post = login_as("staf")
    texts = {
        "title": '<img src="file:///etc/passwd">',
        "summary": f'<img src="{listener.base}/summary.png"> <style>@import url({listener.base}/s.css)</style>',
        "method_notes": f'<link rel="attachment" href="file:///etc/passwd"> url({listener.base}/m.png)',
        "save": "Opslaan",
    }
    assert post(f"/projects/{world.project_id}/report/texts", texts).status_code == 303
    page = html_of(staff.get(f"/projects/{world.project_id}/report"))
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in page and '<img src="file:' not in page
    for url in (f"/projects/{world.project_id}/report.pdf", f"/projects/{world.project_id}/report/summary.pdf"):
        response = staff.get(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
        assert attachments(response.data) == {}
    from .test_report import pdf_text

    _reader, text = pdf_text(staff.get(f"/projects/{world.project_id}/report.pdf").data)
    assert '<img src="file:///etc/passwd">' in text  # the words, as typed
    assert listener.asked == []
    assert all(Path(static_file_for(url)).is_relative_to(STATIC) for url, outcome in fetched if outcome == "served")
    assert not [url for url, outcome in fetched if outcome == "refused"]
