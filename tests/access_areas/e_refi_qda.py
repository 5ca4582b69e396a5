"""REFI-QDA: only the project's staff download the project (.qdpx) and the themes as a
codebook (.qdc); each download is logged. Only the project's staff import a codebook as the
first themes (the walk posts no file: 422, or 303 once the board has themes). Everyone else is
refused before anything is read."""
from .roles import PROJECT_STAFF

ACCESS = {
    "report.refi_download": {"GET": PROJECT_STAFF},
    "panel.import_codebook_view": {"POST": PROJECT_STAFF},
}


def url_values(app, world):
    return {"refi_file": "project.qdpx"}
