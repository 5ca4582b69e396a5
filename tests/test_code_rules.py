"""Rules about the repository's text, checked as tests: every reason a comment gives can be
followed inside the repository. No file outside docs/ refers to a tracker's issue number or to
design notes that are not in the repository, and every link into docs/ or bench/README.md (in a
comment, a docstring or a document) names a heading that exists."""
import re
import subprocess  # noqa: S404  (a fixed git command, no user input)
import unicodedata
from pathlib import Path

import pytest

# They read the files, not a database.
pytestmark = pytest.mark.database_independent

ROOT = Path(__file__).resolve().parent.parent

# docs/ may name former issue numbers (docs/architecture.md maps them to areas of the code).
MAY_NAME_ISSUES = ("docs/",)
# Written by scripts/build_assets.py from the sources, which are checked themselves.
GENERATED = ("peerinterview/static/build/",)
# This file spells out the references it looks for (the known input below).
HERE = Path(__file__).resolve().relative_to(ROOT).as_posix()

# "issue 8", "Issue 7:", "issues 4 and 5", "issue #12"; design notes kept outside the repository
# and their numbered sections ("§5").
OUTSIDE_REFERENCES = re.compile(r"(?i:\bissues?\s+#?\d+)|\b(?:DESIGN|PITFALLS|STYLE)\.md\b|§\s?\d")

# A link to a heading: docs/decisions.md#per-process-caches, bench/README.md#figures-behind-the-code,
# and inside docs/ also (decisions.md#…) and (#…) in Markdown links.
REPOSITORY_LINK = re.compile(r"(?<![\w/.-])((?:docs/[\w-]+|bench/README)\.md)#([\w-]+)")
MARKDOWN_LINK = re.compile(r"\]\(((?:\.\./)?(?:[\w-]+/)*[\w-]+\.md)?#([\w-]+)\)")


def tracked_files() -> list[str]:
    """The files git tracks (what a clone holds), without the generated ones."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,  # noqa: S603,S607
                                check=True, timeout=60).stdout.decode().split("\0")
    except (OSError, subprocess.SubprocessError):
        pytest.skip("git is needed to list the repository's files")
    return [name for name in listed if name and name != HERE and not name.startswith(GENERATED)]


def text_of(name: str) -> str | None:
    try:
        data = (ROOT / name).read_bytes()
    except OSError:  # deleted in the worktree, not yet in git
        return None
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def outside_references(text: str) -> list[tuple[int, str]]:
    return [(text.count("\n", 0, m.start()) + 1, m.group(0)) for m in OUTSIDE_REFERENCES.finditer(text)]


def slug(heading: str) -> str:
    """The anchor GitHub (and most Markdown viewers) give a heading: lower case, punctuation
    dropped except hyphens and underscores, each space a hyphen."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors_of(markdown: str) -> set[str]:
    """Every heading's anchor (a repeated heading gets -1, -2, … as on GitHub) and explicit ids;
    lines inside fenced code blocks are not headings."""
    anchors, seen, fenced = set(), {}, False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading and not fenced:
            base = slug(heading.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            anchors.add(base if count == 0 else f"{base}-{count}")
        anchors.update(re.findall(r"""\bid=["']([\w-]+)["']""", line))
    return anchors


def broken_links(name: str, text: str, anchors_in) -> list[str]:
    """Links from file `name` whose file or heading does not exist."""
    links = [(m.start(), m.group(1), m.group(2)) for m in REPOSITORY_LINK.finditer(text)]
    if name.endswith(".md"):
        here = Path(name).parent
        for m in MARKDOWN_LINK.finditer(text):
            target = (here / m.group(1)).as_posix() if m.group(1) else name
            links.append((m.start(), _normalised(target), m.group(2)))
    problems = []
    for start, target, anchor in links:
        anchors = anchors_in(target)
        if anchors is None:
            problems.append(f"{name}:{text.count(chr(10), 0, start) + 1}: {target} does not exist")
        elif anchor not in anchors:
            problems.append(f"{name}:{text.count(chr(10), 0, start) + 1}: {target} has no heading #{anchor}")
    return list(dict.fromkeys(problems))  # a Markdown link to docs/ is found by both patterns


def _normalised(path: str) -> str:
    parts = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


# --- the rules --------------------------------------------------------------------------------

def test_no_file_outside_docs_refers_to_an_issue_number_or_notes_outside_the_repository():
    """A newcomer cannot open an issue tracker's number or a design note that is not in the
    repository: a comment says its reason itself, or points into docs/ or bench/README.md."""
    problems = []
    for name in tracked_files():
        if name.startswith(MAY_NAME_ISSUES):
            continue
        text = text_of(name)
        if text is not None:
            problems += [f"{name}:{line}: {found!r}" for line, found in outside_references(text)]
    assert not problems, ("say the reason here, or point into docs/ "
                          "(e.g. docs/decisions.md#per-process-caches):\n" + "\n".join(problems))


def test_every_link_to_a_heading_in_docs_or_bench_readme_exists():
    """docs/decisions.md#per-process-caches must lead somewhere: a renamed heading breaks every
    comment that points to it, so the rename has to take them along."""
    cache: dict[str, set[str] | None] = {}

    def anchors_in(target: str) -> set[str] | None:
        if target not in cache:
            text = text_of(target)
            cache[target] = anchors_of(text) if text is not None else None
        return cache[target]

    problems = []
    for name in tracked_files():
        text = text_of(name)
        if text is not None:
            problems += broken_links(name, text, anchors_in)
    assert not problems, "\n".join(problems)


# --- the checks themselves, on known input ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "compression, cached static files (issue 8)", '"""Issue 7: staff print a login card',
    "the rules of issues 4 and 5", "see issue #12", "(DESIGN.md §5)", "# Boosted (PITFALLS.md).",
    "code style: STYLE.md", "as DESIGN §6 asks",
])
def test_a_reference_outside_the_repository_is_found(text):
    assert outside_references(text)


@pytest.mark.parametrize("text", [
    "f\"{issue['filename']}:{issue['line_number']}\"", "no known issues", "design.md",
    "docs/decisions.md#per-process-caches", "tissue 5",
])
def test_ordinary_words_are_not_taken_for_references(text):
    assert not outside_references(text)


def test_anchors_follow_the_headings_as_github_makes_them():
    markdown = "\n".join([
        "# Decisions", "## No Flask-Limiter: an own failure counter", "## One SECRET_KEY derives the server's keys",
        "## `webperf.py` and **light** on the wire", "## Samen bespreken: the panel's work", "## Layers", "## Layers",
        "```sh", "# /etc/cron.d/peerinterview", "```", '<a id="kept-anchor"></a>',
    ])
    assert anchors_of(markdown) == {
        "decisions", "no-flask-limiter-an-own-failure-counter", "one-secret_key-derives-the-servers-keys",
        "webperfpy-and-light-on-the-wire", "samen-bespreken-the-panels-work", "layers", "layers-1", "kept-anchor",
    }


def test_a_link_to_a_missing_heading_or_file_is_reported():
    documents = {"docs/decisions.md": {"per-process-caches"}, "bench/README.md": {"figures-behind-the-code"}}
    text = ("# kept per process (docs/decisions.md#per-process-caches)\n"
            "# see docs/decisions.md#per-process-cache and bench/README.md#figures-behind-the-code\n"
            "# and docs/nothing.md#anything\n")
    problems = broken_links("peerinterview/x.py", text, documents.get)
    assert problems == ["peerinterview/x.py:2: docs/decisions.md has no heading #per-process-cache",
                        "peerinterview/x.py:3: docs/nothing.md does not exist"]


def test_links_between_documents_are_checked_relative_to_the_document():
    documents = {"docs/decisions.md": {"ecdh-envelopes"}, "bench/README.md": {"how-to-run"},
                 "docs/architecture.md": {"layers"}}
    text = ("See [envelopes](decisions.md#ecdh-envelopes), [run](../bench/README.md#how-to-run),\n"
            "[layers](#layers) and [gone](#no-such-heading).\n")
    assert broken_links("docs/architecture.md", text, documents.get) == [
        "docs/architecture.md:2: docs/architecture.md has no heading #no-such-heading"]
