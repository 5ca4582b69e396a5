"""Static checks as tests: bandit finds nothing of medium or high severity in the app,
and ruff finds no errors (pyflakes and pycodestyle errors: unused or undefined names, syntax,
imports). Both run from the environment that runs the tests (python -m …)."""
import ast
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
