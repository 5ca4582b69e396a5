"""A REFI-QDA project: `project.qde` (namespace urn:QDA-XML:project:1.0) and the `.qdpx` zip
that holds it with one plain-text file per source in `sources/`.

Positions. The standard counts a selection's startPosition and endPosition in characters of
the source's plain text: Unicode code points, which is what a Python str counts (an emoji is
one, a letter with a combining accent is two). Some tools shift selections when a text has
CRLF line endings (they count a line break as one character while reading two), so every
text is written with LF line endings only, and positions count that text. Characters that
XML 1.0 cannot hold (most control characters) become U+FFFD, one for one, so no position moves.

Every list the schema wants non-empty (users, variables, cases, sources, notes) is left out
when it has nothing: the schema lets each container be absent, never empty.
"""
import io
import re
import xml.etree.ElementTree as ET  # nosec B405: only writes XML
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime

from . import ORIGIN, PROJECT_NS
from .codebook import Code, code_element

# Characters XML 1.0 does not allow (tab, LF and CR are allowed; CR goes in plain_text).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def plain_text(text: str) -> str:
    """The text as a source holds it: LF line endings, nothing XML cannot carry."""
    return _NOT_XML.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass
class User:
    guid: str
    name: str


@dataclass
class Variable:
    guid: str
    name: str
    kind: str  # typeOfVariable: "Text" or "Integer"
    description: str = ""


@dataclass
class Case:
    guid: str
    name: str
    values: list[tuple[Variable, str | int]] = field(default_factory=list)
    source_guids: list[str] = field(default_factory=list)


@dataclass
class Coding:
    guid: str
    code_guid: str
    user_guid: str | None = None
    at: datetime | None = None


@dataclass
class Note:
    guid: str
    name: str
    text: str
    description: str = ""


@dataclass
class Source:
    """One open text. When it has codings or notes, one selection covers the whole text: the
    panel sorts whole cards, so a coding always holds the whole answer."""

    guid: str
    selection_guid: str
    name: str
    text: str  # as stored; written as plain_text(text)
    description: str = ""
    codings: list[Coding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)
    created_at: datetime | None = None

    @property
    def path(self) -> str:
        return f"{self.guid}.txt"


@dataclass
class Project:
    name: str
    created_at: datetime
    description: str = ""
    users: list[User] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def _tag(name: str) -> str:
    return f"{{{PROJECT_NS}}}{name}"


def _time(moment: datetime) -> str:
    """xsd:dateTime in UTC ("2026-12-07T01:50:00Z"); naive datetimes of the app are UTC."""
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _container(root, name: str, items, write) -> None:
    if items:
        holder = ET.SubElement(root, _tag(name))
        for item in items:
            write(holder, item)


def _user(holder, user: User) -> None:
    ET.SubElement(holder, _tag("User"), {"guid": user.guid, "name": user.name})


def _variable(holder, variable: Variable) -> None:
    element = ET.SubElement(holder, _tag("Variable"),
                            {"guid": variable.guid, "name": variable.name, "typeOfVariable": variable.kind})
    if variable.description:
        ET.SubElement(element, _tag("Description")).text = variable.description


def _case(holder, case: Case) -> None:
    element = ET.SubElement(holder, _tag("Case"), {"guid": case.guid, "name": case.name})
    for variable, value in case.values:
        value_element = ET.SubElement(element, _tag("VariableValue"))
        ET.SubElement(value_element, _tag("VariableRef"), {"targetGUID": variable.guid})
        kind = "IntegerValue" if variable.kind == "Integer" else "TextValue"
        ET.SubElement(value_element, _tag(kind)).text = str(value)
    for guid in case.source_guids:
        ET.SubElement(element, _tag("SourceRef"), {"targetGUID": guid})


def _source(holder, source: Source) -> None:
    attributes = {"guid": source.guid, "name": source.name, "plainTextPath": f"internal://{source.path}"}
    if source.created_at:
        attributes["creationDateTime"] = _time(source.created_at)
    element = ET.SubElement(holder, _tag("TextSource"), attributes)
    if source.description:
        ET.SubElement(element, _tag("Description")).text = source.description
    if not (source.codings or source.note_guids):
        return
    text = plain_text(source.text)
    selection = ET.SubElement(element, _tag("PlainTextSelection"), {
        "guid": source.selection_guid, "name": source.name, "startPosition": "0", "endPosition": str(len(text))})
    for coding in source.codings:
        attributes = {"guid": coding.guid}
        if coding.user_guid:
            attributes["creatingUser"] = coding.user_guid
        if coding.at:
            attributes["creationDateTime"] = _time(coding.at)
        coding_element = ET.SubElement(selection, _tag("Coding"), attributes)
        ET.SubElement(coding_element, _tag("CodeRef"), {"targetGUID": coding.code_guid})
    for guid in source.note_guids:
        ET.SubElement(selection, _tag("NoteRef"), {"targetGUID": guid})


def _note(holder, note: Note) -> None:
    element = ET.SubElement(holder, _tag("Note"), {"guid": note.guid, "name": note.name})
    if note.description:
        ET.SubElement(element, _tag("Description")).text = note.description
    ET.SubElement(element, _tag("PlainTextContent")).text = plain_text(note.text)


def project_document(project: Project) -> bytes:
    """project.qde, in the order the schema's sequence wants."""
    ET.register_namespace("", PROJECT_NS)
    root = ET.Element(_tag("Project"), {"name": project.name, "origin": ORIGIN,
                                        "creationDateTime": _time(project.created_at)})
    _container(root, "Users", project.users, _user)
    if project.codes:
        codes = ET.SubElement(ET.SubElement(root, _tag("CodeBook")), _tag("Codes"))
        for code in project.codes:
            code_element(codes, code, PROJECT_NS)
    _container(root, "Variables", project.variables, _variable)
    _container(root, "Cases", project.cases, _case)
    _container(root, "Sources", project.sources, _source)
    _container(root, "Notes", project.notes, _note)
    if project.description:
        ET.SubElement(root, _tag("Description")).text = project.description
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def qdpx(project: Project) -> bytes:
    """The .qdpx zip: project.qde and sources/<guid>.txt (UTF-8 without a BOM, LF)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_document(project))
        for source in project.sources:
            archive.writestr(f"sources/{source.path}", plain_text(source.text).encode("utf-8"))
    return buffer.getvalue()
