#!/usr/bin/env python3
"""Bundle and minify the JavaScript and CSS the pages load (the budget: at most 40 KB, gzip, for
the first interview screen with everything it loads).

Every page loads one script and one style sheet instead of five scripts and two style sheets: each
extra file costs a tablet a request with its headers, more than most of these files themselves
(bench/README.md#figures-behind-the-code). The sources in peerinterview/static/js and css stay the
ones to edit; after an edit run

    .venv/bin/python scripts/build_assets.py

and commit the files in peerinterview/static/build/ with the sources. tests/test_webperf.py fails
when a built file is not what the sources make. htmx stays its own vendored file (its licence,
and its own long cache life).
"""
import sys
from pathlib import Path

import rcssmin
import rjsmin

STATIC = Path(__file__).resolve().parent.parent / "peerinterview" / "static"
BUILD = STATIC / "build"

# Order matters only where a file uses another's globals; each script is its own closure.
SCRIPTS = ["js/app.js", "js/read-aloud.js", "js/large-text.js", "js/interview-screen.js", "js/offline.js",
           "js/downloads.js", "js/question-kinds.js", "js/unsaved.js", "js/panel.js"]
# print.css goes in as an @media print block (the browser fetched it anyway, media="print" or not).
STYLES = [("css/app.css", None), ("css/print.css", "print")]


def _header(sources) -> str:
    return (f"/* Built by scripts/build_assets.py from {', '.join(sources)}. "
            "Do not edit: edit the sources and build again. */\n")


def build_js() -> str:
    parts = [rjsmin.jsmin((STATIC / name).read_text(encoding="utf-8")).strip().rstrip(";") + ";"
             for name in SCRIPTS]
    return _header(SCRIPTS) + "\n".join(parts) + "\n"


def build_css() -> str:
    parts = []
    for name, media in STYLES:
        css = rcssmin.cssmin((STATIC / name).read_text(encoding="utf-8"))
        parts.append(f"@media {media}{{{css}}}" if media else css)
    return _header([name for name, _media in STYLES]) + "\n".join(parts) + "\n"


BUNDLES = {"app.min.js": build_js, "app.min.css": build_css}


def main(argv=None) -> int:
    BUILD.mkdir(exist_ok=True)
    for name, build in BUNDLES.items():
        text = build()
        (BUILD / name).write_text(text, encoding="utf-8")
        print(f"{BUILD.relative_to(STATIC.parent.parent) / name}: {len(text.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
