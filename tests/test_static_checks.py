"""Static checks as tests: bandit finds nothing of medium or high severity in the app,
and ruff finds no errors (pyflakes and pycodestyle errors: unused or undefined names, syntax,
imports). Both run from the environment that runs the tests (python -m …)."""
import ast
import functools
import json
import re
import subprocess  # noqa: S404  (fixed commands, no user input)
import sys
from pathlib import Path

import pytest

# They read the code, not a database.
pytestmark = pytest.mark.database_independent

ROOT = Path(__file__).resolve().parent.parent
# The rule set is given here, not taken from a user's ruff configuration. Blueprint packages
# import their routes at the bottom of __init__.py (Flask's pattern), hence the E402 exception.
RUFF_RULES = ["--isolated", "--select", "E4,E7,E9,F",
              "--config", "lint.per-file-ignores = {'__init__.py' = ['E402']}"]


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,  # noqa: S603
                          timeout=600, check=False)


def test_bandit_finds_no_medium_or_high_issues():
    result = run("bandit", "-r", "peerinterview", "--severity-level", "medium", "--format", "json", "--quiet")
    report = json.loads(result.stdout)
    problems = [f"{issue['filename']}:{issue['line_number']} {issue['test_id']} {issue['issue_severity']}: "
                f"{issue['issue_text']}" for issue in report["results"]]
    assert not problems, "\n".join(problems)
    assert not report["errors"], report["errors"]


def test_ruff_finds_no_errors():
    result = run("ruff", "check", *RUFF_RULES, "--output-format", "concise", "peerinterview", "tests", "bench",
                 "app.py")
    assert result.returncode == 0, result.stdout + result.stderr


# --- nothing a user typed reaches a page as HTML ---------------------------------------------

LAZY = {"_l", "lazy_gettext", "lazy_ngettext", "lazy_pgettext", "lazy_npgettext"}


def _called_name(call) -> str | None:
    function = call.func
    return function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)


def _constant(node) -> bool:
    """A literal, or arithmetic on literals and UPPER_CASE module constants."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and not part.id.isupper():
            return False
        if isinstance(part, (ast.Attribute, ast.Call, ast.Subscript, ast.NamedExpr, ast.Lambda)):
            return False
    return True


def test_lazy_strings_take_no_runtime_values():
    """Flask-Babel's lazy strings have __html__, so WTForms and Jinja treat them as safe markup:
    _l("Doel voor %(name)s", name=location.name) put a location's name into a label unescaped.
    Texts with values in them are made with _() at request time (plain str, escaped)."""
    problems = []
    for path in sorted((ROOT / "peerinterview").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call) and _called_name(node) in LAZY:
                fixed = 3 if "ngettext" in _called_name(node) else 1
                values = [k.value for k in node.keywords] + node.args[fixed:]
                if not all(_constant(value) for value in values):
                    problems.append(f"{where}: {ast.unparse(node)[:120]}")
            if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Call)
                    and _called_name(node.left) in LAZY):
                problems.append(f"{where}: {ast.unparse(node)[:120]}")
    assert not problems, "use _() for texts with values:\n" + "\n".join(problems)


def test_no_markup_made_by_hand():
    """No HTML is marked safe in Python, and templates mark only literals safe."""
    problems = []
    for path in sorted((ROOT / "peerinterview").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bMarkup\b|render_template_string|\.from_string\(", line):
                problems.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\|\s*safe\b|autoescape\s+false|Markup", text):
            # Only a literal may be marked safe ('<span lang="%s">%s</span>'|safe): the values
            # put into it with % are escaped.
            if not re.search(r"'[^'{}]*'\s*$", text[max(0, match.start() - 200):match.start()]):
                number = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{number}: {text[match.start() - 60:match.end()]}")
    assert not problems, "\n".join(problems)


# --- functions a reader can hold in their head -----------------------------------------------

# A function longer than this, or with more paths through it (McCabe, ruff's C901), is split
# where that helps the reader; the ones that stay are listed below with the reason.
MAX_LINES = 60
MAX_COMPLEXITY = 12
PYTHON_CODE = ["peerinterview", "tests", "bench", "scripts", "migrations", "app.py", "gunicorn.conf.py"]
MIGRATION = "a migration is one linear list of schema steps, and a released migration is not edited"
BROWSER_STORY = "one user story walked end to end in the browser; its steps read in order"
BIG_FUNCTIONS = {
    "bench/pooled_results.py::seed": "the benchmark's data set, built in one place so its size is visible",
    "migrations/versions/0001_initial_schema.py::upgrade": MIGRATION,
    "migrations/versions/0005_codesign_proposals_history.py::upgrade": MIGRATION,
    "migrations/versions/0006_panel_themes_quotes_findings_recommendations.py::upgrade": MIGRATION,
    "migrations/versions/0008_security_totp_login_cards_retention.py::upgrade": MIGRATION,
    "tests/attacker.py::panel_knowledge":
        "the attacker's whole knowledge as one list of equations, in the order a reader gathers it",
    "tests/attacker.py::Attacker.pinned": "one bound-tightening pass of the attacker's linear program",
    "tests/attacker.py::_add_breakdown": "every equation one breakdown gives the attacker, by cell kind",
    "tests/test_small_groups_attacker.py::_build": "builds one random questionnaire and its answers for the attack",
    "tests/test_exports.py::expected_rows": "the expected export computed independently, one branch per question kind",
    "tests/test_injection.py::test_user_texts_are_escaped_on_every_page_for_every_role":
        "one crawl over every page for every role",
    "tests/test_code_rules_imports.py::cycles": "Tarjan's algorithm, kept in its textbook shape",
    "tests/test_panel.py::test_a_recommendation_is_taken_away_by_its_author_or_staff_kept_in_the_history_and_put_back":
        "one story of a recommendation taken away and put back; its steps read in order",
    "tests/browser/test_codesign_browser.py::test_two_designers_co_design_a_question": BROWSER_STORY,
    "tests/browser/test_thin_path.py::test_staff_interviewer_and_panel_walk_the_thin_path": BROWSER_STORY,
    "tests/browser/test_panel_browser.py::test_two_panel_members_sort_the_same_cards_at_once": BROWSER_STORY,
    "tests/browser/test_interview_flow_browser.py::"
    "test_full_interview_with_skip_logic_note_overview_and_debrief": BROWSER_STORY,
    "tests/browser/test_offline.py::test_offline_after_question_two_reload_and_back_online": BROWSER_STORY,
    "tests/browser/test_question_types_browser.py::test_interview_with_info_section_multi_number_and_overview":
        BROWSER_STORY,
    "tests/browser/test_question_types_browser.py::test_offline_multi_number_and_info_are_queued_and_synced":
        BROWSER_STORY,
    "tests/browser/test_builder_browser.py::test_designer_gets_live_b1_advice_edits_and_adds_a_condition":
        BROWSER_STORY,
    "tests/browser/test_review_browser.py::test_staff_release_in_bulk_redact_one_release_it_and_hold_one_back":
        BROWSER_STORY,
    "tests/browser/test_panel_meeting_browser.py::"
    "test_the_facilitator_opens_todays_agenda_and_the_panel_tablet_follows_along_the_steps": BROWSER_STORY,
}


def _python_files() -> list[Path]:
    files = []
    for name in PYTHON_CODE:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return [path for path in files if ".venv" not in path.parts]


@functools.cache
def _functions() -> dict[tuple[str, int], tuple[str, int]]:
    """{(file, line of the def): ("file::Qualified.name", number of lines)} of every function."""
    found = {}

    def visit(node, path, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                found[(path, child.lineno)] = (f"{path}::{name}", child.end_lineno - child.lineno + 1)
                visit(child, path, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, path, f"{prefix}{child.name}.")
            else:
                visit(child, path, prefix)

    for path in _python_files():
        visit(ast.parse(path.read_text(encoding="utf-8")), path.relative_to(ROOT).as_posix(), "")
    return found


def _long_functions() -> dict[str, int]:
    return {name: lines for name, lines in _functions().values() if lines > MAX_LINES}


@functools.cache
def _complex_functions() -> dict[str, int]:
    result = run("ruff", "check", "--isolated", "--select", "C901", "--config",
                 f"lint.mccabe.max-complexity = {MAX_COMPLEXITY}", "--output-format", "json",
                 *(str(path.relative_to(ROOT)) for path in _python_files()))
    found = {}
    for problem in json.loads(result.stdout):
        path = Path(problem["filename"]).resolve().relative_to(ROOT).as_posix()
        name, _lines = _functions()[(path, problem["location"]["row"])]
        found[name] = int(re.search(r"\((\d+) >", problem["message"]).group(1))
    return found


def test_no_function_is_longer_than_the_budget_without_a_reason():
    unexplained = [f"{name}: {lines} lines" for name, lines in _long_functions().items() if name not in BIG_FUNCTIONS]
    assert not unexplained, (f"split these functions (at most {MAX_LINES} lines) or add them to BIG_FUNCTIONS "
                             "with the reason:\n" + "\n".join(unexplained))


def test_no_function_is_more_complex_than_the_budget_without_a_reason():
    unexplained = [f"{name}: complexity {n}" for name, n in _complex_functions().items() if name not in BIG_FUNCTIONS]
    assert not unexplained, (f"split these functions (complexity at most {MAX_COMPLEXITY}) or add them to "
                             "BIG_FUNCTIONS with the reason:\n" + "\n".join(unexplained))


def test_the_list_of_big_functions_holds_only_big_functions():
    big = set(_long_functions()) | set(_complex_functions())
    stale = sorted(set(BIG_FUNCTIONS) - big)
    assert not stale, "these are gone or small enough now: take them off BIG_FUNCTIONS:\n" + "\n".join(stale)
