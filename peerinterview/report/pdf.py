"""The report and the one-pager as PDF, made with WeasyPrint: A4, page numbers, a contents
list with page numbers, SVG charts as vectors, fonts embedded, tagged (PDF/UA-1).

WeasyPrint needs Pango; it is imported only here, inside the functions, so the app starts on a
machine without Pango and only the PDF buttons need it.
"""
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flask import current_app, has_request_context, render_template

from .context import report_context, summary_context
from .services import easy_read_blocks, report_texts

STATIC_ROOT = Path(__file__).resolve().parent.parent / "static"
PDF_CSS = STATIC_ROOT / "css" / "pdf.css"


class RefusedURL(ValueError):
    """WeasyPrint asked for something that is not one of the app's own static files."""


def static_file_for(url: str) -> Path:
    """The file under static/ that `url` names, or RefusedURL.

    The report holds texts that people typed. They are escaped, but should any of them ever reach
    an <img src>, a <link> or a CSS url(), WeasyPrint would read a file on the server
    (file:///etc/passwd, the SQLite database) or ask another machine (http://, the cloud's
    metadata address) and put the answer in the PDF. So only plain files inside static/ are
    served: no other scheme, no host, no path that resolves outside (../, %2e%2e, symlinks).
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"not a static file of the app: {url[:200]}")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    if not path.is_relative_to(STATIC_ROOT.resolve()) or not path.is_file():
        raise RefusedURL(f"not a static file of the app: {url[:200]}")
    return path


def _static_files_fetcher():
    """A WeasyPrint URL fetcher that serves static_file_for() and refuses everything else (a
    refused image or style sheet is left out of the PDF, with a warning in the log)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_file_for(url)
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})

    return StaticFilesOnly()


# WeasyPrint draws inline SVG without the page's stylesheets, so the chart classes of
# templates/pool/_chart.html get their colours from a <style> inside each chart (PDF only: the
# web page's CSP allows no inline styles, and app.css colours the charts there).
CHART_STYLE = (
    "<style>.chart-label,.chart-value{font-family:'DejaVu Sans',sans-serif;font-size:17px;fill:#1a1a1a}"
    ".chart-value{font-weight:bold}.chart-track{fill:#e8eef5}.chart-bar{fill:#1d5a8c}"
    ".chart-bar-apart{fill:#595959}.chart-hidden{fill:none;stroke:#595959;stroke-width:2;stroke-dasharray:6 4}"
    ".chart-separator{stroke:#595959;stroke-width:1;stroke-dasharray:4 4}</style>"
)
_CHART_OPENING = re.compile(r'(<svg class="chart"[^>]*>)')


def html_to_pdf(html: str) -> bytes:
    """Raises OSError when the Pango library is missing (WeasyPrint loads it on import)."""
    from weasyprint import CSS, HTML

    html = _CHART_OPENING.sub(lambda m: m.group(1) + CHART_STYLE, html)
    fetcher = _static_files_fetcher()
    return HTML(string=html, base_url=str(PDF_CSS.parent), url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(filename=str(PDF_CSS), url_fetcher=fetcher)], pdf_variant="pdf/ua-1",
    )


def report_pdf(project) -> bytes:
    return html_to_pdf(render_template("report/pdf.html", pdf=True, **report_context(project)))


def summary_pdf(project) -> bytes:
    return html_to_pdf(render_template("report/summary_pdf.html", pdf=True, **summary_context(project)))


def easy_read_pdf(project) -> bytes:
    """The easy-read text as an A4 PDF in large type (tagged, as the others)."""
    texts = report_texts(project)
    return html_to_pdf(render_template("report/easy_read_pdf.html", pdf=True, project=project,
                                       title=texts.title or project.name, blocks=easy_read_blocks(texts.easy_read)))


def render_report_pdf(project_id: int, app=None) -> bytes:
    """For bench/: the report PDF of one project, timed from the database to the bytes.

    Call inside an app context, or pass the app; a request context is made when there is none
    (templates translate and read the locale)."""
    from ..extensions import db
    from ..models import Project

    app = app or current_app._get_current_object()
    if has_request_context():
        return report_pdf(db.session.get(Project, project_id))
    with app.test_request_context():
        return report_pdf(db.session.get(Project, project_id))
