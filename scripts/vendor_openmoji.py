"""Rebuild the vendored OpenMoji subset: peerinterview/static/vendor/openmoji-<version>/.

    python scripts/vendor_openmoji.py                 # fetches the package with `npm pack`
    python scripts/vendor_openmoji.py --package DIR   # an unpacked openmoji package

The subset is scripts/openmoji_subset.txt: one hexcode per line with its Dutch search words. The
English search words come from the package's openmoji.json (annotation and tags). Each picture is
made small for inline use: ids, the xml declaration and the miter limit go (the strokes have
round joins), numbers are rounded to one decimal (the view box is 72 wide) and the stroke
attributes that every line shares move to one group. The output is one pictograms.json (the
app puts the pictures inline: no request per picture) next to the licence; it holds the shapes as
data ([tag, attributes, children]), and the app writes the SVG from them.
"""
import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

VERSION = "17.0.0"
ROOT = Path(__file__).resolve().parent.parent
SUBSET = ROOT / "scripts" / "openmoji_subset.txt"
TARGET = ROOT / "peerinterview" / "static" / "vendor" / f"openmoji-{VERSION}"
SVG_NS = "http://www.w3.org/2000/svg"
NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE]-?\d+)?")
NUMERIC_ATTRIBUTES = {"d", "points", "transform", "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2",
                      "width", "height", "stroke-width"}
DROPPED_ATTRIBUTES = {"id", "stroke-miterlimit", "version", "paint-order"}
LICENCE_NOTE = """OpenMoji {version} (https://openmoji.org), a subset of its colour SVGs.
Made by the OpenMoji project and its contributors. Licence: CC BY-SA 4.0 (LICENSE.txt).
The pictures are changed: ids and metadata taken out and numbers rounded
(scripts/vendor_openmoji.py). Rebuild with that script; the chosen pictures and their
Dutch words are in scripts/openmoji_subset.txt.
"""


def read_subset() -> dict[str, str]:
    subset = {}
    for line in SUBSET.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            code, _, words = line.partition(" ")
            subset[code] = words.strip()
    return subset


def _number(text: str) -> str:
    value = round(float(text), 1)
    out = f"{value:.1f}".rstrip("0").rstrip(".")
    if out in ("-0", ""):
        out = "0"
    return out.replace("0.", ".", 1) if out.startswith(("0.", "-0.")) else out


def round_numbers(value: str) -> str:
    """Every number rounded; two numbers that touched keep a separator where rounding needs one
    ("1.04.54" must not become "1.5")."""
    out, last = [], 0
    for match in NUMBER.finditer(value):
        between = value[last:match.start()]
        number = _number(match.group())
        if not between and out and NUMBER.fullmatch(out[-1]):
            if not (number.startswith("-") or (number.startswith(".") and "." in out[-1])):
                between = " "
        if between:
            out.append(between)
        out.append(number)
        last = match.end()
    out.append(value[last:])
    return "".join(out)


def _clean(element: ET.Element) -> None:
    for name in list(element.attrib):
        if name in DROPPED_ATTRIBUTES:
            del element.attrib[name]
        elif name in NUMERIC_ATTRIBUTES:
            element.attrib[name] = round_numbers(element.attrib[name])
    element.text = (element.text or "").strip() or None
    element.tail = None
    for child in element:
        _clean(child)


def _unwrap_plain_groups(element: ET.Element) -> None:
    for child in list(element):
        _unwrap_plain_groups(child)
    index = 0
    while index < len(element):
        child = element[index]
        if child.tag == "g" and not child.attrib:
            element.remove(child)
            for offset, grandchild in enumerate(list(child)):
                element.insert(index + offset, grandchild)
            index += len(child)
        else:
            index += 1


def _shared_strokes(root: ET.Element) -> None:
    """Stroke attributes that every stroked shape shares go on one group around them."""
    stroked = [child for child in root if "stroke" in child.attrib]
    if len(stroked) < 2:
        return
    shared = {name: value for name, value in stroked[0].attrib.items()
              if name.startswith("stroke") or name == "fill"}
    for child in stroked[1:]:
        shared = {name: value for name, value in shared.items() if child.attrib.get(name) == value}
    if len(shared) < 2:
        return
    group = ET.Element("g", shared)
    first = list(root).index(stroked[0])
    for child in stroked:
        root.remove(child)
        for name in shared:
            del child.attrib[name]
        group.append(child)
    root.insert(first, group)


def optimise(svg_text: str) -> list:
    """The shapes of an OpenMoji SVG as nested lists, small and without ids (a page has many)."""
    ET.register_namespace("", SVG_NS)
    root = ET.fromstring(svg_text)
    for element in root.iter():
        element.tag = element.tag.split("}", 1)[-1]
    if root.attrib.get("viewBox") != "0 0 72 72":
        raise ValueError("not a 72 x 72 OpenMoji")
    _clean(root)
    _unwrap_plain_groups(root)
    _shared_strokes(root)
    return [_node(child) for child in root]


def _node(element: ET.Element) -> list:
    """[tag, {attribute: value}, [children]]: data, not markup, so that the app writes the SVG
    itself and escapes every value (peerinterview/pictograms.py)."""
    return [element.tag, dict(element.attrib), [_node(child) for child in element]]


def _markup(nodes: list) -> str:
    """About the SVG that templates/macros/pictogram.html writes: for the size report."""
    out = []
    for tag, attributes, children in nodes:
        written = "".join(f' {name}="{value}"' for name, value in attributes.items())
        out.append(f"<{tag}{written}>{_markup(children)}</{tag}>" if children else f"<{tag}{written}/>")
    return "".join(out)


def fetch_package(folder: Path) -> Path:
    subprocess.run(["npm", "pack", f"openmoji@{VERSION}", "--silent"], cwd=folder, check=True)
    with tarfile.open(folder / f"openmoji-{VERSION}.tgz") as archive:
        archive.extractall(folder, filter="data")
    return folder / "package"


def build(package: Path) -> dict:
    annotations = {entry["hexcode"]: entry for entry in
                   json.loads((package / "data" / "openmoji.json").read_text(encoding="utf-8"))}
    pictograms = {}
    for code, dutch in read_subset().items():
        entry = annotations[code]
        english = ", ".join(dict.fromkeys(
            word.strip() for word in [entry["annotation"], *entry["tags"].split(",")] if word.strip()))
        svg = optimise((package / "color" / "svg" / f"{code}.svg").read_text(encoding="utf-8"))
        pictograms[code] = {"nl": ", ".join(dutch.split()), "en": english, "svg": svg}
    return pictograms


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="an unpacked openmoji package (else: npm pack)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or fetch_package(Path(tmp))
        pictograms = build(package)
        TARGET.mkdir(parents=True, exist_ok=True)
        (TARGET / "LICENSE.txt").write_text((package / "LICENSE.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (TARGET / "README.txt").write_text(LICENCE_NOTE.format(version=VERSION), encoding="utf-8")
    (TARGET / "pictograms.json").write_text(
        json.dumps(pictograms, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    sizes = sorted(len(_markup(p["svg"])) for p in pictograms.values())
    print(f"{len(pictograms)} pictograms, median {sizes[len(sizes) // 2]} bytes, largest {sizes[-1]} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
