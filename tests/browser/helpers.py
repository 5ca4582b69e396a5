"""Browser helpers: the axe-core check used on every page a browser test visits."""
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def assert_accessible(page, name=None):
    """Zero axe-core violations (WCAG 2.x A/AA and best practice), target-size included."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={
        "resultTypes": ["violations"],
        "rules": {"target-size": {"enabled": True}},
    })
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    # A CSP violation or a script error shows up here. Checked before the screenshot, which
    # injects a caret-hiding style of its own.
    assert not page.console_errors, page.console_errors
    if name:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, caret="initial")
