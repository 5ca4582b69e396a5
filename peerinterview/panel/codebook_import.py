"""A codebook file (.qdc) uploaded as the first themes of a project: reading the upload and the
words for each refusal. Shared by the themes page (panel/) and a new project (projects/)."""
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from ..models.panel import THEME_COLOURS
from ..refi_qda.codebook import (
    MAX_CODEBOOK_BYTES,
    MAX_CODES,
    Code,
    CodebookError,
    read_codebook,
)

CODEBOOK_ERRORS = {
    "too_big": _l("Het bestand is te groot. Het mag hoogstens %(size)s kB zijn.", size=MAX_CODEBOOK_BYTES // 1024),
    "not_xml": _l("Dit bestand kunnen we niet lezen. Kies een codeboek (.qdc)."),
    "unsafe": _l("In dit bestand staan onderdelen die we niet openen. Kies een ander codeboek (.qdc)."),
    "not_codebook": _l("Dit is geen codeboek. Kies een bestand dat eindigt op .qdc."),
    "no_codes": _l("In dit codeboek staan geen thema's. Kies een ander codeboek."),
    "too_many": _l("In dit codeboek staan meer dan %(num)s thema's. Dat zijn er te veel.", num=MAX_CODES),
}


def has_upload(data) -> bool:
    """A file was chosen (a form posted by hand may carry text where the file belongs)."""
    return isinstance(data, FileStorage) and bool(data.filename)


def codebook_from_upload(upload) -> list[Code]:
    """The codes of an uploaded .qdc; CodebookError (its reason is a key of CODEBOOK_ERRORS)."""
    if not has_upload(upload):
        raise CodebookError("not_xml")
    return read_codebook(upload.read(MAX_CODEBOOK_BYTES + 1), palette=THEME_COLOURS)
