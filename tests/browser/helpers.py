"""Browser helpers: the axe-core check used on every page a browser test visits."""
import os
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
# Only the violations come back: the whole result (every rule that passed, with its elements) is
# ten times larger, and carrying it from the browser cost more than a third of each scan.
AXE_RUN = "(options) => axe.run(document, options).then((results) => ({violations: results.violations}))"
# Screenshots of the pages the browser tests visit, to look at (test-artifacts/): only when asked
# for with SCREENSHOTS=1, because nothing checks them and they cost a fifth of a second each.
SCREENSHOTS = os.environ.get("SCREENSHOTS") == "1"


def assert_accessible(page, name=None):
    """Zero axe-core violations (WCAG 2.x A/AA and best practice), target-size included."""
    from axe_playwright_python.base import AxeResults
    from axe_playwright_python.sync_playwright import Axe

    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(Axe().axe_script)  # the axe-core that axe-playwright-python ships
    results = AxeResults(page.evaluate(AXE_RUN, AXE_OPTIONS))
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    # A CSP violation or a script error shows up here. Checked before the screenshot, which
    # injects a caret-hiding style of its own.
    assert not page.console_errors, page.console_errors
    if name:
        screenshot(page, name)


def screenshot(page, name, **options):
    """test-artifacts/<name>.png of the whole page, when SCREENSHOTS=1."""
    if SCREENSHOTS:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), **{"full_page": True, "caret": "initial", **options})
