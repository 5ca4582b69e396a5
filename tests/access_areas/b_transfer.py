"""Versions: the questionnaire as a file, a copy of another project's list or a starter
list. Staff and designers of the project only. The walk posts only a CSRF token: no file, no
choice, so every POST is refused with 422 and changes nothing (the XLSForm preview's "yes"
without a signed form sends the user back to the page with a message: 303, nothing changed). Export uses version 1 (the
world's frozen version)."""
from .roles import EDITORS

ACCESS = {
    "design.transfer": {"GET": EDITORS},
    "design.export_json": {"GET": EDITORS},
    "design.export_xlsform": {"GET": EDITORS},
    "design.import_questionnaire": {"POST": EDITORS},
    "design.confirm_xlsform": {"POST": EDITORS},
    "design.copy_questionnaire": {"POST": EDITORS},
    "design.start_from_starter": {"POST": EDITORS},
}
