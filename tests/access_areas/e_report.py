"""The report: staff and the panel read the report, edit its texts and get the PDFs;
only the project's staff download data (each download is logged). The walk posts an empty
texts form (all fields are optional: it saves nothing new and redirects)."""
from .roles import PANEL, PROJECT_STAFF

ACCESS = {
    "report.show": {"GET": PANEL},
    "report.edit_texts": {"GET": PANEL, "POST": PANEL},
    "report.pdf": {"GET": PANEL},
    "report.summary": {"GET": PANEL},
    "report.summary_pdf": {"GET": PANEL},
    # Makkelijk lezen: whoever reads the report (without a text, the PDF goes back to the page).
    "report.easy_read": {"GET": PANEL},
    "report.easy_read_pdf": {"GET": PANEL},
    "report.exports_page": {"GET": PROJECT_STAFF},
    "report.download": {"GET": PROJECT_STAFF},
}


def url_values(app, world):
    return {"name": "data.sav"}
