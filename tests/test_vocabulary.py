"""The shared words are defined once, in peerinterview/vocabulary.py, and every page takes them
from there: a label written twice drifts ("Heel belangrijk" here, "heel belangrijk" there)."""
import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from peerinterview import vocabulary
from peerinterview.accounts.services import find_user
from peerinterview.extensions import db
from peerinterview.models import Recommendation

from .builders import location_of, plain_text
from .test_panel import cards, make_theme  # noqa: F401  (cards is a fixture)

PACKAGE = Path(__file__).resolve().parent.parent / "peerinterview"
SHARED = {name for name in vars(vocabulary) if name.isupper()}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "static" not in path.parts and path.name != "vocabulary.py":
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _assigned_names(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AnnAssign, ast.AugAssign)) else []
        names |= {target.id for target in targets if isinstance(target, ast.Name)}
    return names


def _strings(node) -> list | None:
    """The strings of a tuple or list literal of strings, or the first strings of a literal of
    pairs ([("nl", "Nederlands"), ...]); None for anything else."""
    if not isinstance(node, (ast.Tuple, ast.List)) or not node.elts:
        return None
    found = []
    for element in node.elts:
        if isinstance(element, (ast.Tuple, ast.List)):
            element = element.elts[0] if element.elts else None
        if not (isinstance(element, ast.Constant) and isinstance(element.value, str)):
            return None
        found.append(element.value)
    return found


@pytest.mark.database_independent
def test_no_module_defines_a_shared_label_again():
    again = [f"{path.relative_to(PACKAGE.parent)}: {name}" for path, tree in _modules()
             for name in sorted(_assigned_names(tree) & SHARED)]
    assert not again, "defined in vocabulary.py; import it from there:\n" + "\n".join(again)


@pytest.mark.database_independent
def test_no_module_writes_out_the_apps_languages():
    """("nl", "en"), ["nl", "en"] or [("nl", "Nederlands"), ("en", "English")]: use UI_LANGUAGES
    or LANGUAGE_CHOICES, so a third language is added in one place. Not the models: a column's
    default (a new project's languages) is data, and stays what its migration wrote."""
    languages = list(vocabulary.UI_LANGUAGES)
    found = [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}" for path, tree in _modules()
             if "models" not in path.relative_to(PACKAGE).parts
             for node in ast.walk(tree) if _strings(node) == languages]
    assert not found, "\n".join(found)


def test_the_language_lists_agree():
    assert [code for code, _name in vocabulary.LANGUAGE_CHOICES] == list(vocabulary.UI_LANGUAGES)
    assert set(vocabulary.UI_LANGUAGES) <= set(vocabulary.LANGUAGE_NAMES) <= set(vocabulary.ENGLISH_LANGUAGE_NAMES)
    assert vocabulary.SOURCE_LANGUAGE == "nl"


@pytest.mark.parametrize(("locale", "button", "saved", "in_report"), [
    ("nl", "Heel belangrijk", "Je stem is opgeslagen: Heel belangrijk.", "Maak een stille kamer. (heel belangrijk)"),
    ("en", "Very important", "Your vote has been saved: Very important.",
     "Maak een stille kamer. (very important)"),
])
def test_a_priority_starts_with_a_capital_only_where_it_starts_a_line(app, world, cards, login_as,  # noqa: F811
                                                                       locale, button, saved, in_report):
    """One definition, written for the middle of a sentence: the report says "(heel belangrijk)",
    the vote buttons, the tally and the message after voting start with the capital."""
    with app.app_context():
        find_user("petra").locale = locale
        db.session.commit()
        db.session.remove()
    petra, post = login_as("petra")
    theme = make_theme(post, world, "Rust")
    post(f"/projects/{world.project_id}/themes/{theme}/recommendations", {"text": "Maak een stille kamer."})
    with app.app_context():
        recommendation = db.session.scalar(select(Recommendation.id))
        db.session.remove()
    page = plain_text(petra.get(f"/projects/{world.project_id}/recommendations"))
    assert button in page
    response = post(f"/projects/{world.project_id}/recommendations/{recommendation}/vote", {"priority": "3"})
    page = plain_text(petra.get(location_of(response)))
    assert saved in page
    assert f"{button} 1" in page  # the tally
    report = plain_text(petra.get(f"/projects/{world.project_id}/report"))
    assert in_report in report
