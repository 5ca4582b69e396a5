"""The codebook alone (`.qdc`, namespace urn:QDA-XML:codebook:1.0): write it from the themes,
and read one written by another program as the starting themes of a project.

Reading a file from outside is an attack surface: defusedxml refuses a DTD (so no entity can
expand into a billion laughs and no external entity can read a file or the network), the file
is read only up to MAX_CODEBOOK_BYTES, and only names, descriptions and colours come out of it,
each cut to what a theme holds.
"""
import xml.etree.ElementTree as ET  # nosec B405: writes XML; reading goes through defusedxml
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from . import CODEBOOK_NS, ORIGIN, PROJECT_NS

MAX_CODEBOOK_BYTES = 512 * 1024
MAX_CODES = 100  # a board with more themes than this is no longer a board
NAME_MAX = 120
DESCRIPTION_MAX = 300


@dataclass(frozen=True)
class Code:
    guid: str
    name: str
    description: str = ""
    colour: str | None = None  # "#RRGGBB"


class CodebookError(ValueError):
    """A file that is not a codebook we can use; `reason` names why (the view words it)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def code_element(parent, code: Code, ns: str):
    """One <Code> under `parent` (the schemas of codebook and project share its form)."""
    attributes = {"guid": code.guid, "name": code.name, "isCodable": "true"}
    if code.colour:
        attributes["color"] = code.colour
    element = ET.SubElement(parent, f"{{{ns}}}Code", attributes)
    if code.description:
        ET.SubElement(element, f"{{{ns}}}Description").text = code.description
    return element


def codebook_document(codes: list[Code]) -> bytes:
    """The .qdc file. The schema wants at least one code: the caller checks there is one."""
    if not codes:
        raise ValueError("a codebook needs at least one code")
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": ORIGIN})
    holder = ET.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    for code in codes:
        code_element(holder, code, CODEBOOK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# ---------------------------------------------------------------------------------------------
# Reading

def _local(tag: str) -> tuple[str, str]:
    namespace, _, name = tag.rpartition("}")
    return namespace.lstrip("{"), name


def _colour(value: str | None, palette) -> str | None:
    """The palette colour nearest to the file's colour (themes use a fixed palette)."""
    value = (value or "").strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    try:
        rgb = [int(value[i:i + 2], 16) for i in (0, 2, 4)] if len(value) == 6 else None
    except ValueError:
        rgb = None
    if rgb is None or not palette:
        return None

    def distance(colour):
        return sum((int(colour[1 + 2 * i:3 + 2 * i], 16) - rgb[i]) ** 2 for i in range(3))
    return min(palette, key=distance)


def _tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}" if namespace else name


def _codes_in(element, namespace: str, palette, found: list[Code]) -> None:
    """Every code under `element`, depth first: themes have no levels, so a code inside a code
    becomes a theme of its own."""
    for child in element:
        if child.tag != _tag(namespace, "Code"):
            continue
        name = " ".join((child.get("name") or "").split())[:NAME_MAX]
        description_element = child.find(_tag(namespace, "Description"))
        description = " ".join((description_element.text or "").split()) if description_element is not None else ""
        if name and child.get("isCodable", "true").strip() != "false":
            found.append(Code(child.get("guid") or "", name, description[:DESCRIPTION_MAX],
                              _colour(child.get("color"), palette)))
        _codes_in(child, namespace, palette, found)
        if len(found) > MAX_CODES:
            raise CodebookError("too_many")


def read_codebook(data: bytes, palette=()) -> list[Code]:
    """The codes of a .qdc file (also of a codebook inside a project), each name once."""
    if len(data) > MAX_CODEBOOK_BYTES:
        raise CodebookError("too_big")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise CodebookError("unsafe") from None
    except (ET.ParseError, ValueError):
        raise CodebookError("not_xml") from None
    namespace, name = _local(root.tag)
    if name != "CodeBook" or namespace not in (CODEBOOK_NS, PROJECT_NS, ""):
        raise CodebookError("not_codebook")
    codes_element = root.find(_tag(namespace, "Codes"))
    found: list[Code] = []
    if codes_element is not None:
        _codes_in(codes_element, namespace, palette, found)
    unique, seen = [], set()
    for code in found:
        if code.name.casefold() not in seen:
            seen.add(code.name.casefold())
            unique.append(code)
    if not unique:
        raise CodebookError("no_codes")
    return unique
