#!/usr/bin/env python3
"""Bundle and minify the JavaScript and CSS the pages load (the budget: at most 40 KB, gzip, for
the first interview screen with everything it loads).

A page loads the bundles of its area: one script and one style sheet, never five small files (each
extra file costs a tablet a request with its headers, more than most of these files themselves:
bench/README.md#figures-behind-the-code). The interview screens (templates that set
`asset_area = "interview"`) load interview.min.js and interview.min.css: what a tablet needs for an
interview, offline too, and nothing of the staff's and panel's screens. Every other page loads
app.min.js and app.min.css, which hold everything. The sources in peerinterview/static/js and css
stay the ones to edit; after an edit run

    .venv/bin/python scripts/build_assets.py

and commit the files in peerinterview/static/build/ with the sources. tests/test_webperf.py fails
when a built file is not what the sources make, or its compressed copies are missing or stale.
htmx, vendored with its licence in static/vendor/, goes into the bundles as it is.

The minifier (tdewolff/minify, a Go program in a Python wheel: no Node toolchain) also shortens
the names inside a script's functions. Beside each bundle go its compressed copies, made here
once (gzip with Zopfli, Brotli at its best level) instead of by every server process on the
first request for it: `app.min.js.gz`, `app.min.js.br`, ... (peerinterview/webperf.py serves
them).
"""
import gzip
import json
import re
import sys
import zlib
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import brotli
import minify
import zopfli.gzip

STATIC = Path(__file__).resolve().parent.parent / "peerinterview" / "static"
BUILD = STATIC / "build"

# htmx goes into the bundles as it is (not minified again, not changed): one request less on every
# cold page, at the price of loading it again when our scripts change. Its licence (Zero-Clause
# BSD) stays beside it in static/vendor/.
HTMX = "vendor/htmx-2.0.11/htmx.min.js"

# The scripts in groups. Order matters only where a file uses another's globals; each script is
# its own closure. A folder is a set of ES modules bundled into one closure (see bundle_modules).
GROUPS = {
    # Every page: htmx itself, CSRF for htmx, focus after a swap, read aloud, larger text.
    "core": [HTMX, "js/app.js", "js/read-aloud.js", "js/large-text.js"],
    # The interview on a tablet: the screen, the offline queue (sending recordings too).
    "interview": ["js/interview-screen.js", "js/offline/"],
    # Recording a spoken answer: loaded by the offline code only on a page with a spoken question.
    "spoken": ["js/recorder.js", "js/audio-speed.js"],
    # Staff and panel screens: downloads, the question builder, unsaved changes, the panel's
    # board, the speed of recordings they listen to.
    "staff": ["js/downloads.js", "js/question-kinds.js", "js/unsaved.js", "js/panel.js", "js/audio-speed.js"],
}
SCRIPT_BUNDLES = {
    "interview.min.js": ["core", "interview"],
    # The offline code runs on every page of a logged-in user too: the "Nog niet verstuurd" banner,
    # logging out only once the queue is empty, sending recordings that wait.
    "app.min.js": ["core", "interview", "staff"],
    "spoken.min.js": ["spoken"],
}
# print.css goes in as an @media print block (the browser fetched it anyway, media="print" or not).
STYLES = [("css/app.css", None), ("css/print.css", "print")]
# The interview's style sheet: app.css without its blocks between "/* area: staff */" and
# "/* end area */" (what only staff and panel screens use), and without print rules (a tablet in
# an interview prints nothing). The order of the rules stays that of app.css.
INTERVIEW_STYLES = [("css/app.css", None)]
STAFF_ONLY = re.compile(r"/\* area: staff \*/.*?/\* end area[^*]*\*/", re.DOTALL)


def _header(sources) -> str:
    return (f"/* Built by scripts/build_assets.py from {', '.join(sources)}. "
            "Do not edit: edit the sources and build again. */\n")


class ModuleError(Exception):
    """The modules of a folder do not fit together (a missing export, a cycle, a name twice)."""


# The only module syntax the folders use: named imports from a sibling, and `export` before a
# top-level declaration. Anything else (default exports, `export {…}`, imports from elsewhere) is
# refused, so what the browser would load as modules and what the bundle runs are the same program.
IMPORT = re.compile(r'^import \{([^}]*)\} from "\./([\w-]+\.js)";\n', re.MULTILINE)
ANY_IMPORT_OR_EXPORT = re.compile(r"^(?:import|export)\b.*$", re.MULTILINE)
DECLARATION = re.compile(r"^(export )?(?:async )?(?:function\*? ?|const |let |class )([\w$]+)", re.MULTILINE)


def read_modules(folder: Path) -> dict[str, dict]:
    """Each module of the folder: its source without import lines and `export` words, what it
    imports from which sibling, what it declares at the top and what it exports."""
    modules = {}
    for path in sorted(folder.glob("*.js")):
        source = path.read_text(encoding="utf-8")
        imports = {sibling: [n.strip() for n in names.split(",") if n.strip()]
                   for names, sibling in IMPORT.findall(source)}
        body = IMPORT.sub("", source)
        declared = {name: bool(exported) for exported, name in DECLARATION.findall(body)}
        body = re.sub(r"^export (?=(?:async )?(?:function|const|let|class)\b)", "", body, flags=re.MULTILINE)
        stray = ANY_IMPORT_OR_EXPORT.search(body)
        if stray:
            raise ModuleError(f"{path.name}: only `import {{…}} from \"./x.js\"` and `export` before a "
                              f"declaration are bundled: {stray.group(0)!r}")
        modules[path.name] = {"body": body, "imports": imports, "declared": declared}
    return modules


def module_order(modules: dict[str, dict]) -> list[str]:
    """The modules in an order where each comes after what it imports, checked for what bundling
    into one closure needs: every import exported by its sibling, every top-level name once."""
    owner = {}
    for name, module in modules.items():
        for declared in module["declared"]:
            if declared in owner:
                raise ModuleError(f"{declared!r} is declared in {owner[declared]} and in {name}: "
                                  "the bundle is one closure, so top-level names must differ")
            owner[declared] = name
        for sibling, names in module["imports"].items():
            if sibling not in modules:
                raise ModuleError(f"{name} imports from {sibling}, which is not in the folder")
            missing = [n for n in names if not modules[sibling]["declared"].get(n)]
            if missing:
                raise ModuleError(f"{name} imports {', '.join(missing)} from {sibling}, which does not export it")
    sorter = TopologicalSorter({name: set(m["imports"]) for name, m in modules.items()})
    try:
        sorter.prepare()
    except CycleError as error:
        raise ModuleError(f"the modules import each other in a circle: {' -> '.join(error.args[1])}") from None
    order = []
    while sorter.is_active():  # the same bundle on every run: ready modules by name
        ready = sorted(sorter.get_ready())
        order.extend(ready)
        sorter.done(*ready)
    return order


def bundle_modules(folder: Path) -> str:
    """One closure with every module in import order: the same program the browser would run when
    loading main.js as a module, in one request and without module loading."""
    modules = read_modules(folder)
    bodies = [f"// {name}\n{modules[name]['body']}" for name in module_order(modules)]
    return '(()=>{"use strict";\n' + "\n".join(bodies) + "\n})()"


# Names at the top level of a script and properties (window.peerInterviewRecorder, which
# spoken.min.js sets and the offline code reads) keep their names; only names inside functions
# and closures get shorter. js-version: no syntax newer than the sources use themselves (object
# spread, ES2018), so the minified code runs wherever the sources run.
MINIFY = {"js-version": 2018}


def _minify(mediatype: str, source: str) -> str:
    if "\0" in source:  # the wheel's binding returns its output as a C string, cut at a NUL
        raise ValueError("a NUL character in a source: the minifier would cut it there")
    minify.config(MINIFY)
    return minify.string(mediatype, source)


def _script(name: str) -> str:
    if name == HTMX:
        return (STATIC / name).read_text(encoding="utf-8").strip()
    source = bundle_modules(STATIC / name) if name.endswith("/") else (STATIC / name).read_text(encoding="utf-8")
    return _minify("application/javascript", source).strip().rstrip(";") + ";"


def _parts(bundle: str) -> list[str]:
    return [name for group in SCRIPT_BUNDLES[bundle] for name in GROUPS[group]]


def covers(bundle: str) -> list[str]:
    """The other bundles of the same kind whose every part this one holds too (app.min.js holds
    all of interview.min.js; app.min.css all of interview.min.css)."""
    if bundle.endswith(".js"):
        return [other for other in SCRIPT_BUNDLES if other != bundle and set(_parts(other)) <= set(_parts(bundle))]
    return ["interview.min.css"] if bundle == "app.min.css" else []


def _part_key(name: str) -> str:
    return name.removeprefix("js/").removesuffix("/").removesuffix(".js")


def build_js(bundle: str = "app.min.js") -> str:
    """One closure per script, each run at most once per page: a page that has one bundle and,
    after a boosted swap into another area, loads a second one (static/js/app.js) runs the
    scripts the second brings along that it did not have yet, and nothing twice. The bundle also
    tells the page which other bundles it covers, so they are not loaded for nothing."""
    parts = _parts(bundle)
    known = {name: covers(name) for name in (*SCRIPT_BUNDLES, *CSS_BUNDLES)}
    # htmx declares its global at the top level of the script (`var htmx`), so it stays outside
    # the closure, run once like the other parts.
    first = f"if(!window.htmx){{\n{_script(HTMX)}\n}}\n" if HTMX in parts else ""
    guarded = [f'if(!P["{_part_key(name)}"]){{P["{_part_key(name)}"]=1;\n{_script(name)}}}'
               for name in parts if name != HTMX]
    return (_header(parts) + first + "(function(A){var P=A.parts=A.parts||{};A.covers="
            + json.dumps(known, separators=(",", ":")) + ";\n" + "\n".join(guarded)
            + "\n})(window.peerInterviewAssets=window.peerInterviewAssets||{});\n")


def build_css(styles=STYLES) -> str:
    parts = []
    for name, media in styles:
        source = (STATIC / name).read_text(encoding="utf-8")
        if styles is INTERVIEW_STYLES:
            source = STAFF_ONLY.sub("", source)
        css = _minify("text/css", source)
        parts.append(f"@media {media}{{{css}}}" if media else css)
    names = [name if styles is not INTERVIEW_STYLES else f"{name} (without its staff blocks)" for name, _media in styles]
    return _header(names) + "\n".join(parts) + "\n"


CSS_BUNDLES = {"app.min.css": build_css, "interview.min.css": lambda: build_css(INTERVIEW_STYLES)}
BUNDLES = {**{name: (lambda name=name: build_js(name)) for name in SCRIPT_BUNDLES}, **CSS_BUNDLES}


# The compressed copies beside each bundle: gzip as small as the format allows (Zopfli; its
# header carries no time, so a bundle always gives the same bytes) and Brotli at its best level
# (browsers ask for it over HTTPS). With the decompressor that checks them.
COMPRESSED = {
    ".gz": (zopfli.gzip.compress, gzip.decompress),
    ".br": (lambda data: brotli.compress(data, quality=11), brotli.decompress),
}


def _write_compressed(path: Path, data: bytes) -> list[str]:
    """Write the compressed copies of a bundle beside it, and say their sizes. A copy that already
    holds exactly this bundle stays as it is: another machine's Zopfli or Brotli may give other
    bytes for the same contents, and those would only stir the history."""
    sizes = []
    for suffix, (compress, decompress) in COMPRESSED.items():
        copy = path.with_name(path.name + suffix)
        try:
            current = copy.read_bytes() if decompress(copy.read_bytes()) == data else None
        except (OSError, EOFError, zlib.error, brotli.error):
            current = None
        if current is None:
            current = compress(data)
            copy.write_bytes(current)
        sizes.append(f"{suffix} {len(current):,}")
    return sizes


def main(argv=None) -> int:
    BUILD.mkdir(exist_ok=True)
    for name, build in BUNDLES.items():
        data = build().encode()
        (BUILD / name).write_bytes(data)
        sizes = _write_compressed(BUILD / name, data)
        print(f"{BUILD.relative_to(STATIC.parent.parent) / name}: {len(data):,} bytes ({', '.join(sizes)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
