"""REFI-QDA: only the project's staff download the project (.qdpx) and the themes as a
codebook (.qdc); each download is logged. Everyone else is refused before anything is read."""
from .roles import PROJECT_STAFF

ACCESS = {
    "report.refi_download": {"GET": PROJECT_STAFF},
}


def url_values(app, world):
    return {"refi_file": "project.qdpx"}
