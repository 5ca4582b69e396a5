"""An uploaded XLSForm as pyxform's survey tree, read within the app's own bounds.

pyxform (the library ODK and KoboToolbox use) knows every spelling of the XLSForm format: column
aliases, languages, select syntaxes, groups. Its own workbook reader reads whole sheets, so the
sheets are read here, bounded, into the same rows its reader makes; pyxform's workbook → JSON
step then does the rest. What the JSON means for PeerInterview is xlsform_import.py's job."""
import io
import re
import zipfile

from flask_babel import gettext as _

from .document import MAX_FILE_BYTES, ImportRefused, Problem, too_large_problem

# Bounds in front of any reading (a small .xlsx can unpack to a huge one, and a few lines of XML
# can claim a million rows of 16,384 columns): checked on the zip's central directory before
# anything is unpacked, then while the sheets are read.
MAX_UNPACKED_BYTES = 2 * 1024 * 1024  # every part of the workbook together, unpacked
MAX_PARTS = 200                       # files inside the .xlsx (a saved XLSForm has about 12)
MAX_ROWS = 5000                       # rows read per sheet
MAX_COLUMNS = 200                     # columns looked at for the header row
# The sheets pyxform reads; any other sheet (notes, lookups) is left alone.
SHEETS = ("survey", "choices", "settings")


def not_xlsx() -> Problem:
    return Problem("", _("Dit bestand is geen Excel-bestand (.xlsx). Sla de XLSForm op als .xlsx."))


def _too_big_unpacked() -> Problem:
    return Problem("", _("Dit bestand is te groot om te lezen. Er zit meer dan %(size)s MB in. "
                         "Haal plaatjes en extra bladen uit het bestand.",
                         size=MAX_UNPACKED_BYTES // (1024 * 1024)))


def check_archive(data: bytes) -> None:
    """Refuse a zip bomb before anything is unpacked: the sizes come from the zip's table of
    contents (its central directory). A part that holds more than it says is cut off there by
    zipfile and then fails its checksum, so these sizes bound what any reader unpacks. Whatever
    reads the workbook runs only after this check."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ImportRefused([not_xlsx()])
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise ImportRefused([_too_big_unpacked()])
    if any(part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for part in parts):
        raise ImportRefused([not_xlsx()])


def survey_tree(data: bytes) -> dict:
    """pyxform's JSON of the workbook (its "survey" with "children"), or ImportRefused."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import DefinitionData

    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused([too_large_problem()])
    check_archive(data)
    sheets = _read_sheets(data)
    if "survey" not in sheets:
        raise ImportRefused([Problem("", _("Het blad 'survey' ontbreekt. Een XLSForm heeft een blad "
                                           "'survey' met de vragen."))])
    definition = DefinitionData(sheet_names=list(sheets), **{
        field: value for name, (rows, header) in sheets.items()
        for field, value in ((name, rows), (f"{name}_header", header))})
    # Answers from another file ("select_one_external"): that file never comes along, so a
    # stand-in list keeps pyxform going; the question is left out later, with the reason.
    definition.external_choices = [{"list_name": name, "name": "_"} for name in _external_lists(sheets)] or [
        {"list_name": "_", "name": "_"}]
    definition.external_choices_header = [{"list_name": None, "name": None}]
    try:
        return workbook_to_json(definition, form_name="data", warnings=[])
    except PyXFormError as error:
        raise ImportRefused([_pyxform_problem(str(error))])
    except Exception as error:  # noqa: BLE001 -- an uploaded file may trip pyxform in any way; refused, never a 500
        raise ImportRefused([_pyxform_problem(f"{type(error).__name__}: {error}")])


def _pyxform_problem(message: str) -> Problem:
    """pyxform's English message in B1 where we know it; else as the detail of a B1 sentence."""
    row = re.search(r"\[row\s*:\s*(\d+)\]", message)
    where = _("Blad survey, regel %(row)s", row=row.group(1)) if row else ""
    missing_list = re.search(r"List name not in choices sheet: (\S+)", message)
    if missing_list:
        return Problem(where, _("De lijst %(list)s staat niet op het blad choices.", list=missing_list.group(1)[:64]))
    duplicate = re.search(r"the 'name' value '([^']*)' is invalid\. Questions, groups, and repeats must be unique",
                          message)
    if duplicate:
        return Problem(where, _("De naam %(name)s staat meer dan één keer in het formulier. Geef elke vraag een "
                                "eigen naam.", name=duplicate.group(1)[:64]))
    return Problem(where, _("Dit formulier kunnen we niet lezen. De uitleg (in het Engels): %(detail)s",
                            detail=message[:300]))


def _external_lists(sheets: dict) -> set[str]:
    survey_rows = sheets["survey"][0]
    types = (" ".join(str(row.get(column, "")).split()) for row in survey_rows for column in row
             if column.strip().casefold() == "type")
    return {words.rsplit(" ", 1)[-1] for words in types if "external" in words.casefold() and " " in words}


def _read_sheets(data: bytes) -> dict:
    """{sheet: (rows, header)} of the XLSForm sheets, as pyxform's own reader makes them."""
    from openpyxl import load_workbook

    try:
        # read_only: sheets are read row by row when asked for; keep_links=False: no external
        # workbooks are read.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # noqa: BLE001 -- openpyxl raises many kinds of errors for a broken file
        raise ImportRefused([not_xlsx()])
    try:
        found = {sheet.title.strip().casefold(): sheet for sheet in workbook.worksheets}
        if len(found) == 1 and "survey" not in found:  # pyxform reads a lone sheet as the survey
            found = {"survey": next(iter(found.values()))}
        return {name: _sheet_rows(found[name], name) for name in SHEETS if name in found}
    finally:
        workbook.close()


def _values(sheet, **bounds):
    """The cell values of a sheet, row by row. A sheet is unpacked while it is read, so a broken
    or lying part shows up only here: refused like any file that is not a workbook."""
    try:
        yield from sheet.iter_rows(values_only=True, **bounds)
    except Exception:  # noqa: BLE001 -- zipfile (bad checksum) and the XML parser raise many kinds
        raise ImportRefused([not_xlsx()])


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(chr(160), " ").strip()


def _sheet_rows(sheet, name: str) -> tuple[list[dict], list[dict]]:
    """(rows, header) of one sheet: at most MAX_ROWS rows and MAX_COLUMNS columns are read,
    whatever size the sheet claims for itself. An empty row stays (as {}) so that pyxform's
    row numbers match the sheet's."""
    rows = _values(sheet, max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS)
    header: list[str] = []
    for values in rows:
        header = [re.sub(r" +", " ", cell_text(value)) for value in values]
        break
    columns = [(index, column) for index, column in enumerate(header) if column]
    if len({column for _index, column in columns}) != len(columns):
        raise ImportRefused([Problem("", _("Op het blad %(sheet)s staan twee kolommen met dezelfde naam.",
                                           sheet=name))])
    result = []
    for number, values in enumerate(rows, 2):
        if number > MAX_ROWS:
            if any(cell_text(value) for value in values):
                raise ImportRefused([Problem("", _("Het blad %(sheet)s heeft te veel regels. Het mogen er "
                                                   "hoogstens %(max)s zijn.", sheet=name, max=MAX_ROWS))])
            continue
        texts = {column: cell_text(values[index]) for index, column in columns if index < len(values)}
        result.append({column: text for column, text in texts.items() if text})
    while result and not result[-1]:
        result.pop()
    return result, [{column: None for _index, column in columns}] if columns else []
